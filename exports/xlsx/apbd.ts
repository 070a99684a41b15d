import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { Money } from "../../domain/kernel/money";
import type { AmountRow, ApbdSection, ApbdSheetItem, ApbdVersionInfo, PublicApbd } from "../../domain/budgeting/public";
import { moneyCellValue, quantityCell } from "./musrenbang";
import { drained, streamFrom } from "./stream";

/**
 * The whole APBD in Excel, as the public download and TAPD's desk copy:
 *
 *   "Ringkasan" — the version in force and its legal basis; the summary block (pendapatan, belanja,
 *                 surplus/defisit, penerimaan and pengeluaran pembiayaan, pembiayaan netto, SiLPA); the
 *                 standard tables: by account group, spending by OPD, bidang urusan, programme, funding
 *                 source and kecamatan, each with its JUMLAH row.
 *   "Rincian"   — every line (OPD, sub kegiatan, kode rekening, uraian, volume, satuan, harga, PPN, jumlah,
 *                 sumber dana) by section (pendapatan, belanja, penerimaan and pengeluaran pembiayaan) and
 *                 OPD, with a subtotal per OPD and per section.
 *
 * Written by exceljs's streaming writer as the lines arrive (`apbdSheetPages`, one page at a time, waiting
 * for the reader when it falls behind), so memory stays flat at 150,000 lines. Money is exact
 * (`moneyCellValue`: whole rupiah as numbers, anything with sen as its canonical text). Every subtotal is
 * the running Decimal sum of the rows above it and is checked against the total the database announced
 * for the OPD and section, and each section against the summary; a difference aborts the download rather
 * than hand out a sheet whose totals do not reconcile.
 */
export interface ApbdSheetSource {
  tenantName: string;
  summary: PublicApbd;
  pages: AsyncIterable<ApbdSheetItem[]>;
}

export const APBD_SHEETS = { summary: "Ringkasan", lines: "Rincian" } as const;

const SECTION_TITLE: Record<ApbdSection, string> = {
  pendapatan: "PENDAPATAN DAERAH",
  belanja: "BELANJA DAERAH",
  penerimaan: "PENERIMAAN PEMBIAYAAN DAERAH",
  pengeluaran: "PENGELUARAN PEMBIAYAAN DAERAH",
};

export const APBD_LINE_HEADERS = [
  "No",
  "Kode Perangkat Daerah",
  "Perangkat Daerah",
  "Kode Sub Kegiatan",
  "Sub Kegiatan",
  "Kode Rekening",
  "Uraian",
  "Volume",
  "Satuan",
  "Harga Satuan (Rp)",
  "PPN (%)",
  "Jumlah (Rp)",
  "Sumber Dana",
] as const;
/** 1-based column of Jumlah in "Rincian". */
export const APBD_AMOUNT_COLUMN = 12;

const MONEY_FMT = "#,##0.00";
const WIB = new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Jakarta", day: "numeric", month: "long", year: "numeric" });

/** "APBD murni", "Pergeseran ke-2", "Perubahan APBD (APBD-P)". */
export function versionLabel(v: Pick<ApbdVersionInfo, "kind" | "pergeseranNo">): string {
  if (v.kind === "pergeseran") return `Pergeseran APBD ke-${v.pergeseranNo ?? 1}`;
  if (v.kind === "perubahan") return "Perubahan APBD (APBD-P)";
  return "APBD murni";
}

export function formatDateWib(iso: string): string {
  return WIB.format(new Date(iso));
}

export function streamApbdXlsx(src: ApbdSheetSource): PassThrough {
  return streamFrom((out) => write(out, src));
}

const money = (m: Money | string) => moneyCellValue(m);

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, tenantName: string, s: PublicApbd) {
  const ws = wb.addWorksheet(APBD_SHEETS.summary);
  ws.columns = [{ width: 26 }, { width: 70 }, { width: 24, style: { numFmt: MONEY_FMT } }, { width: 10, style: { numFmt: "0.00" } }];
  const bold = (values: unknown[]) => {
    const r = ws.addRow(values);
    r.font = { bold: true };
    r.commit();
  };
  const plain = (values: unknown[]) => ws.addRow(values).commit();
  bold([`ANGGARAN PENDAPATAN DAN BELANJA DAERAH (APBD) ${tenantName.toUpperCase()} TAHUN ANGGARAN ${s.year}`]);
  plain([`Versi berlaku: ${versionLabel(s.apbd)} (versi ke-${s.apbd.versionNo}), ditetapkan ${formatDateWib(s.apbd.adoptedAt)}. Dasar hukum: ${s.apbd.legalBasis || "—"}`]);
  if (s.versions.length > 1)
    plain([`Versi yang pernah ditetapkan: ${s.versions.map((v) => `${versionLabel(v)} (${v.legalBasis || "—"}, ${formatDateWib(v.adoptedAt)})`).join("; ")}`]);
  plain(["Jumlah dalam rupiah. Belanja per kecamatan: nilai sub kegiatan dibagi rata antarkecamatan lokasinya; sub kegiatan berlokasi tingkat kabupaten dicatat pada \"Seluruh kabupaten\"."]);
  plain([]);

  const t = s.totals;
  bold(["RINGKASAN APBD"]);
  bold(["Kode", "Uraian", "Jumlah (Rp)"]);
  bold(["4", "PENDAPATAN DAERAH", money(t.pendapatan)]);
  bold(["5", "BELANJA DAERAH", money(t.belanja)]);
  bold([null, "SURPLUS/(DEFISIT)", money(t.surplus)]);
  bold(["6", "PEMBIAYAAN DAERAH"]);
  plain(["6.1", "Penerimaan Pembiayaan", money(t.financingReceipts)]);
  plain(["6.2", "Pengeluaran Pembiayaan", money(t.financingSpending)]);
  bold([null, "PEMBIAYAAN NETTO", money(t.netFinancing)]);
  bold([null, "SISA LEBIH PEMBIAYAAN ANGGARAN TAHUN BERKENAAN (SILPA)", money(t.silpa)]);

  const table = (title: string, head: string, rows: AmountRow[], total: string, share: boolean, label = (r: AmountRow) => r.name) => {
    plain([]);
    bold([title]);
    bold(["Kode", head, "Jumlah (Rp)", share ? "%" : null]);
    const whole = Money.idr(total);
    for (const r of rows) {
      const m = Money.idr(r.total);
      plain([r.code || null, label(r), money(m), share ? m.percentOf(whole).toNumber() : null]);
    }
    bold([null, "JUMLAH", money(Money.sum(rows.map((r) => Money.idr(r.total)))), share && !whole.isZero() ? 100 : null]);
  };
  table("PENDAPATAN MENURUT KELOMPOK/JENIS REKENING", "Uraian", s.revenue.byGroup, s.revenue.total, false);
  table("BELANJA MENURUT KELOMPOK/JENIS REKENING", "Uraian", s.spending.byGroup, s.spending.total, true);
  table("PENERIMAAN PEMBIAYAAN MENURUT JENIS REKENING", "Uraian", s.financing.receipts, t.financingReceipts, false);
  table("PENGELUARAN PEMBIAYAAN MENURUT JENIS REKENING", "Uraian", s.financing.spending, t.financingSpending, false);
  table("BELANJA MENURUT PERANGKAT DAERAH", "Perangkat Daerah", s.spending.byOpd, s.spending.total, true);
  table("PENDAPATAN MENURUT PERANGKAT DAERAH", "Perangkat Daerah", s.revenue.byOpd, s.revenue.total, false);
  table("BELANJA MENURUT URUSAN/BIDANG URUSAN", "Bidang Urusan", s.spending.byBidang, s.spending.total, true);
  table("BELANJA MENURUT PROGRAM", "Program", s.spending.byProgram, s.spending.total, true);
  table("BELANJA MENURUT SUMBER DANA", "Sumber Dana", s.spending.byFunding, s.spending.total, true, (r) => r.code);
  table(
    "BELANJA MENURUT KECAMATAN (LOKASI SUB KEGIATAN)",
    "Kecamatan",
    s.spending.byKecamatan.map((k) => ({ code: k.code ?? "", name: k.name, total: k.total })),
    s.spending.total,
    true,
  );
  ws.commit();
}

async function write(out: PassThrough, src: ApbdSheetSource): Promise<void> {
  const s = src.summary;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "Jejak";
  writeSummary(wb, src.tenantName, s);

  const ws = wb.addWorksheet(APBD_SHEETS.lines, { views: [{ state: "frozen", ySplit: 3 }] });
  ws.columns = [
    { width: 8 },
    { width: 24 },
    { width: 36 },
    { width: 20 },
    { width: 40 },
    { width: 20 },
    { width: 44 },
    { width: 10 },
    { width: 10 },
    { width: 18, style: { numFmt: MONEY_FMT } },
    { width: 8 },
    { width: 20, style: { numFmt: MONEY_FMT } },
    { width: 18 },
  ];
  const title = ws.addRow([`RINCIAN APBD ${src.tenantName.toUpperCase()} TAHUN ANGGARAN ${s.year} — ${versionLabel(s.apbd).toUpperCase()}`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  ws.addRow([`Dasar hukum: ${s.apbd.legalBasis || "—"}. Baris tanpa No adalah judul dan jumlah.`]).commit();
  const head = ws.addRow([...APBD_LINE_HEADERS]);
  head.font = { bold: true };
  head.commit();

  const expected: Record<ApbdSection, Money> = {
    pendapatan: Money.idr(s.totals.pendapatan),
    belanja: Money.idr(s.totals.belanja),
    penerimaan: Money.idr(s.totals.financingReceipts),
    pengeluaran: Money.idr(s.totals.financingSpending),
  };
  const written: Partial<Record<ApbdSection, Money>> = {};
  const sumRow = (label: string, amount: Money, code = "") => {
    const r = ws.addRow([null, code || null, label, null, null, null, null, null, null, null, null, money(amount)]);
    r.font = { bold: true };
    r.commit();
  };
  let section: { name: ApbdSection; total: string; sum: Money } | null = null;
  let opd: { code: string; name: string; total: string; sum: Money } | null = null;
  const closeOpd = () => {
    if (!opd) return;
    if (opd.sum.toString() !== opd.total) throw new Error(`APBD ${s.year}: the lines of ${opd.code} add up to ${opd.sum.toString()}, not ${opd.total}`);
    sumRow(`JUMLAH ${opd.name.toUpperCase()}`, opd.sum, opd.code);
    opd = null;
  };
  const closeSection = () => {
    closeOpd();
    if (!section) return;
    if (section.sum.toString() !== section.total || !section.sum.equals(expected[section.name]))
      throw new Error(`APBD ${s.year}: the ${section.name} lines add up to ${section.sum.toString()}, not ${section.total} (summary ${expected[section.name].toString()})`);
    sumRow(`JUMLAH ${SECTION_TITLE[section.name]}`, section.sum);
    written[section.name] = section.sum;
    section = null;
  };

  for await (const page of src.pages) {
    for (const item of page) {
      if (item.kind === "section") {
        closeSection();
        if (written[item.section]) throw new Error(`APBD ${s.year}: section ${item.section} comes twice`);
        section = { name: item.section, total: item.total, sum: Money.zero };
        const r = ws.addRow([null, null, SECTION_TITLE[item.section]]);
        r.font = { bold: true, size: 12 };
        r.commit();
        continue;
      }
      if (!section) throw new Error(`APBD ${s.year}: a line comes before its section`);
      if (item.kind === "opd") {
        closeOpd();
        opd = { code: item.code, name: item.name, total: item.total, sum: Money.zero };
        const r = ws.addRow([null, item.code, item.name.toUpperCase()]);
        r.font = { bold: true };
        r.commit();
        continue;
      }
      const l = item.line;
      if (!opd || opd.code !== l.opdCode || l.section !== section.name) throw new Error(`APBD ${s.year}: line ${l.no} comes outside its OPD or section`);
      const amount = Money.idr(l.amount);
      opd.sum = opd.sum.plus(amount);
      section.sum = section.sum.plus(amount);
      ws.addRow([
        l.no,
        l.opdCode,
        l.opdName,
        l.subCode,
        l.subName,
        l.accountCode,
        l.spec ? `${l.description} (${l.spec})` : l.description,
        quantityCell(l.volume),
        l.unit,
        money(l.unitPrice),
        quantityCell(l.taxPercent),
        money(amount),
        l.fundingSource,
      ]).commit();
    }
    // Let the reader catch up before the next page is fetched: a slow download holds one page, not the year.
    if (!(await drained(out))) return;
  }
  closeSection();
  for (const name of Object.keys(expected) as ApbdSection[])
    if (!written[name] && !expected[name].isZero()) throw new Error(`APBD ${s.year}: no ${name} lines, but the summary says ${expected[name].toString()}`);
  const surplus = (written.pendapatan ?? Money.zero).minus(written.belanja ?? Money.zero);
  const net = (written.penerimaan ?? Money.zero).minus(written.pengeluaran ?? Money.zero);
  if (surplus.toString() !== s.totals.surplus || net.toString() !== s.totals.netFinancing) throw new Error(`APBD ${s.year}: surplus or net financing of the lines differs from the summary`);
  ws.addRow([]).commit();
  sumRow("SURPLUS/(DEFISIT)", surplus);
  sumRow("PEMBIAYAAN NETTO", net);
  sumRow("SISA LEBIH PEMBIAYAAN ANGGARAN TAHUN BERKENAAN (SILPA)", surplus.plus(net));
  ws.commit();
  await wb.commit();
}
