import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { Money } from "../../domain/kernel/money";
import type { RkpdSheetItem, RkpdSub } from "../../domain/planning/queries";
import { moneyCellValue } from "./musrenbang";
import { drained, streamFrom } from "./stream";

/** The RKPD already in memory (as `rkpd()` returns it): for one OPD's Renja and for tests. */
export interface RkpdSheetData {
  year: number;
  tenantName: string;
  opds: { code: string; name: string; status: string | null; ceiling: string | null; planned: string; subs: RkpdSub[] }[];
}

/** The RKPD read page by page (`rkpdSheetPages`): what the full download uses, however long the plan. */
export interface RkpdSheetSource {
  year: number;
  tenantName: string;
  pages: AsyncIterable<RkpdSheetItem[]>;
}

const HEADERS = ["Kode", "Urusan/Bidang/Program/Kegiatan/Sub Kegiatan", "Indikator", "Target", "Satuan", "Lokasi", "Pagu Indikatif (Rp)", "Sumber Dana", "Usulan Musrenbang"];

/**
 * The RKPD in the standard table layout: per OPD, its programmes, kegiatan and sub-activities with
 * indicator, target, location, indicative ceiling and funding source; subtotals per programme, kegiatan
 * and OPD and a grand total, each the exact Decimal sum of the rows under it.
 *
 * Written by exceljs's streaming writer, row by row, as the rows arrive: from a `RkpdSheetSource` one page
 * at a time, waiting for the reader when it falls behind, so memory stays flat however long the plan.
 * A programme's and a kegiatan's subtotal row comes before its sub-activities (the figure announced with
 * the OPD, summed by the database); the running Decimal sums are checked against it when the group ends,
 * and a difference aborts the download rather than hand out a sheet whose totals do not reconcile. The
 * OPD total and the grand total come after their rows, from the running sums.
 */
export function streamRkpdXlsx(data: RkpdSheetData | RkpdSheetSource): PassThrough {
  const pages = "pages" in data ? data.pages : pagesOf(data.opds);
  return streamFrom((out) => write(out, data.year, data.tenantName, pages));
}

/** In-memory OPDs as the same items, grouped by programme and kegiatan in order of first appearance. */
async function* pagesOf(opds: RkpdSheetData["opds"]): AsyncGenerator<RkpdSheetItem[]> {
  for (const o of opds) {
    if (!o.subs.length) continue;
    const subtotals: Record<string, string> = {};
    const ordered: RkpdSub[] = [];
    for (const pc of [...new Set(o.subs.map((s) => s.programCode))]) {
      const inProgram = o.subs.filter((s) => s.programCode === pc);
      subtotals[pc] = Money.sum(inProgram.map((s) => Money.idr(s.ceiling))).toString();
      for (const kc of [...new Set(inProgram.map((s) => s.kegiatanCode))]) {
        const inKegiatan = inProgram.filter((s) => s.kegiatanCode === kc);
        subtotals[kc] = Money.sum(inKegiatan.map((s) => Money.idr(s.ceiling))).toString();
        ordered.push(...inKegiatan);
      }
    }
    const total = Money.sum(o.subs.map((s) => Money.idr(s.ceiling))).toString();
    yield [{ kind: "opd", code: o.code, name: o.name, status: o.status, ceiling: o.ceiling, total, subtotals }, ...ordered.map((sub) => ({ kind: "sub" as const, sub }))];
  }
}

interface Group {
  code: string;
  sum: Money;
}

async function write(out: PassThrough, year: number, tenantName: string, pages: AsyncIterable<RkpdSheetItem[]>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(`RKPD ${year}`, { views: [{ state: "frozen", ySplit: 3 }] });
  ws.columns = [{ width: 22 }, { width: 60 }, { width: 36 }, { width: 10 }, { width: 10 }, { width: 28 }, { width: 20, style: { numFmt: "#,##0.00" } }, { width: 14 }, { width: 40 }];
  ws.addRow([`RENCANA KERJA PEMERINTAH DAERAH (RKPD) ${tenantName.toUpperCase()} TAHUN ${year}`]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const head = ws.addRow(HEADERS);
  head.font = { bold: true };
  head.commit();
  const money = (m: Money) => moneyCellValue(m);

  let grand = Money.zero;
  let opd: Extract<RkpdSheetItem, { kind: "opd" }> | null = null;
  let opdSum = Money.zero;
  // The programme and kegiatan being written, with the running sums of their rows.
  const open: { program: Group | null; kegiatan: Group | null } = { program: null, kegiatan: null };
  const check = (g: Group | null) => {
    if (g && opd && g.sum.toString() !== opd.subtotals[g.code])
      throw new Error(`RKPD ${year}: the rows of ${opd.code} ${g.code} add up to ${g.sum.toString()}, not ${opd.subtotals[g.code]}`);
  };
  const closeOpd = () => {
    if (!opd) return;
    check(open.kegiatan);
    check(open.program);
    if (opdSum.toString() !== opd.total) throw new Error(`RKPD ${year}: the rows of ${opd.code} add up to ${opdSum.toString()}, not ${opd.total}`);
    const t = ws.addRow(["", `JUMLAH ${opd.name.toUpperCase()}`, "", "", "", "", money(opdSum)]);
    t.font = { bold: true };
    t.commit();
    grand = grand.plus(opdSum);
    opd = null;
  };

  for await (const page of pages) {
    for (const item of page) {
      if (item.kind === "opd") {
        closeOpd();
        opd = item;
        opdSum = Money.zero;
        open.program = open.kegiatan = null;
        ws.addRow([item.code, item.name.toUpperCase()]).font = { bold: true };
        continue;
      }
      if (!opd) throw new Error(`RKPD ${year}: sub-activity ${item.sub.code} comes before its OPD`);
      const s = item.sub;
      if (open.program?.code !== s.programCode) {
        check(open.kegiatan);
        check(open.program);
        open.kegiatan = null;
        open.program = { code: s.programCode, sum: Money.zero };
        ws.addRow([s.programCode, s.programName, "", "", "", "", money(Money.idr(opd.subtotals[s.programCode] ?? "0"))]).font = { bold: true };
      }
      if (open.kegiatan?.code !== s.kegiatanCode) {
        check(open.kegiatan);
        open.kegiatan = { code: s.kegiatanCode, sum: Money.zero };
        ws.addRow([s.kegiatanCode, s.kegiatanName, "", "", "", "", money(Money.idr(opd.subtotals[s.kegiatanCode] ?? "0"))]).font = { italic: true };
      }
      const ceiling = Money.idr(s.ceiling);
      open.kegiatan.sum = open.kegiatan.sum.plus(ceiling);
      open.program.sum = open.program.sum.plus(ceiling);
      opdSum = opdSum.plus(ceiling);
      ws.addRow([s.code, s.name, s.indicator, s.target, s.unit, s.locations.join(", "), money(ceiling), s.fundingSource, s.proposals.map((p) => p.code).join(", ")]).commit();
    }
    // Let the reader catch up before the next page is fetched: a slow download holds one page, not the year.
    if (!(await drained(out))) return;
  }
  closeOpd();
  const g = ws.addRow(["", "JUMLAH SELURUHNYA", "", "", "", "", money(grand)]);
  g.font = { bold: true };
  g.commit();
  ws.commit();
  await wb.commit();
}
