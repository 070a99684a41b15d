import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Money } from "../../domain/kernel/money";
import type { Factor } from "../../domain/budgeting/lines";
import { rkaView } from "../../domain/budgeting/rka";
import { moneyCellValue, quantityCell } from "./musrenbang";
import { drained, streamFrom } from "./stream";

/**
 * One RKA in Excel, in the layout budget officers know from SIPD's RKA rincian: a header block naming
 * the pemda, the OPD, the sub kegiatan, its KUA-PPAS ceiling and the RKA's id; a note on how the file
 * is read back; then one row per line in position order — grouped by rekening and, within it, by
 * heading (kelompok), each group row with its subtotal — and the JUMLAH row. The same layout is read
 * back by imports/budgeting/rka-sheet.ts: the columns are defined here, once, for both.
 *
 * Money goes in as a number only when exact (moneyCellValue: whole rupiah below 10^15), quantities only
 * when Excel keeps them exactly (at most 15 significant digits); anything else as its canonical text.
 */

export const RKA_SHEET = {
  name: "RKA",
  /** The label of the cell that carries the RKA's id (the id is in the next non-empty cell of that row). */
  idLabel: "ID RKA (jangan diubah)",
  /** Rows 1–6 the header block, row 7 the note; the table's header row. */
  headerRow: 8,
} as const;

/** The table's columns in order. `key` names what the importer reads; Jumlah is informational. */
export const RKA_COLUMNS = [
  { key: "no", header: "No", width: 6 },
  { key: "heading", header: "Kelompok", width: 24 },
  { key: "account", header: "Kode Rekening", width: 20 },
  { key: "item", header: "Kode Komponen", width: 22 },
  { key: "description", header: "Uraian", width: 40 },
  { key: "spec", header: "Spesifikasi", width: 28 },
  { key: "q1", header: "Koefisien 1", width: 11 },
  { key: "u1", header: "Satuan 1", width: 10 },
  { key: "q2", header: "Koefisien 2", width: 11 },
  { key: "u2", header: "Satuan 2", width: 10 },
  { key: "q3", header: "Koefisien 3", width: 11 },
  { key: "u3", header: "Satuan 3", width: 10 },
  { key: "q4", header: "Koefisien 4", width: 11 },
  { key: "u4", header: "Satuan 4", width: 10 },
  { key: "unit", header: "Satuan", width: 14 },
  { key: "price", header: "Harga Satuan", width: 16 },
  { key: "tax", header: "PPN %", width: 7 },
  { key: "funding", header: "Sumber Dana", width: 16 },
  { key: "amount", header: "Jumlah", width: 18 },
  { key: "justification", header: "Justifikasi Harga", width: 30 },
  // Hidden: which line (id) at which version the row was exported from, so that an import does not
  // overwrite a line someone changed in the application since the download.
  { key: "ref", header: "Ref", width: 10 },
] as const;
export type RkaColumnKey = (typeof RKA_COLUMNS)[number]["key"];

export const RKA_NOTE =
  "Catatan: kolom Jumlah dihitung ulang oleh sistem (koefisien × harga satuan × (100 + PPN) / 100); angka Jumlah yang berbeda di berkas bukan kesalahan. " +
  "Baris tanpa No adalah baris baru (ditambahkan di akhir). Baris yang dihapus dari berkas TIDAK dihapus dari RKA. Baris kelompok dan JUMLAH diabaikan saat impor.";

/** One line as the sheet shows it. */
export interface RkaSheetLine {
  id: string;
  version: number;
  position: number;
  heading: string;
  accountCode: string;
  accountName: string | null;
  priceItemCode: string | null;
  description: string;
  spec: string;
  factors: Factor[];
  unit: string;
  /** Canonical "14333.33". */
  unitPrice: string;
  taxPercent: string;
  fundingSource: string;
  amount: string;
  justification: string;
}

export interface RkaSheetData {
  tenantName: string;
  rka: { id: string; year: number; kind: string; status: string; opdCode: string; opdName: string };
  sub: { code: string; name: string } | null;
  ceiling: { amount: string; agreed: boolean } | null;
  lines: readonly RkaSheetLine[];
}

/** What the sheet needs, from rkaView (the caller has checked who may see the RKA). */
export async function rkaSheetData(em: EntityManager, tenant: string, rkaId: string, tenantName: string): Promise<RkaSheetData> {
  const v = await rkaView(em, tenant, rkaId);
  return {
    tenantName,
    rka: { id: v.rka.id, year: v.rka.year, kind: v.rka.kind, status: v.rka.status, opdCode: v.rka.opdCode, opdName: v.rka.opdName },
    sub: v.sub ? { code: v.sub.code, name: v.sub.name } : null,
    ceiling: v.ceiling,
    lines: v.lines.map((l) => ({
      id: l.id,
      version: l.version,
      position: l.position,
      heading: l.heading,
      accountCode: l.account_code,
      accountName: l.account_name,
      priceItemCode: l.price_item_code,
      description: l.description,
      spec: l.spec,
      factors: l.factors,
      unit: l.unit,
      unitPrice: l.unit_price,
      taxPercent: l.tax_percent,
      fundingSource: l.funding_source,
      amount: l.amount,
      justification: l.justification,
    })),
  };
}

/**
 * Writes the sheet with exceljs's streaming writer, row by row, committing each row and waiting for the
 * reader every few hundred rows, so a slow download holds a few rows, not the whole workbook.
 */
export function streamRkaXlsx(data: RkaSheetData): PassThrough {
  return streamFrom((out) => write(out, data));
}

const RUPIAH_FMT = '"Rp"#,##0';
const GROUP_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE7F0" } };
const COL = Object.fromEntries(RKA_COLUMNS.map((c, i) => [c.key, i + 1])) as Record<RkaColumnKey, number>;

const KIND_TITLE: Record<string, string> = { belanja: "RINCIAN BELANJA", pendapatan: "RINCIAN PENDAPATAN", pembiayaan: "RINCIAN PEMBIAYAAN" };

async function write(out: PassThrough, data: RkaSheetData): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(RKA_SHEET.name, { views: [{ state: "frozen", ySplit: RKA_SHEET.headerRow }] });
  ws.columns = RKA_COLUMNS.map((c) => ({ width: c.width, hidden: c.key === "ref" }));
  const { rka } = data;
  const pemda = /^pemerintah/i.test(data.tenantName) ? data.tenantName : `Pemerintah ${data.tenantName}`;

  const money = (row: ExcelJS.Row, col: number, amount: string | Money) => {
    const cell = row.getCell(col);
    cell.value = moneyCellValue(amount);
    if (typeof cell.value === "string") cell.alignment = { horizontal: "right" };
    else cell.numFmt = RUPIAH_FMT;
  };
  const block = (label: string, value: string, extra = "") => {
    const r = ws.addRow([label, "", value, "", extra]);
    r.getCell(1).font = { bold: true };
    return r;
  };

  ws.addRow([pemda.toUpperCase()]).font = { bold: true, size: 13 };
  ws.addRow([`RENCANA KERJA DAN ANGGARAN SKPD (RKA-SKPD) — ${KIND_TITLE[rka.kind] ?? rka.kind.toUpperCase()} — TAHUN ANGGARAN ${rka.year}`]).font = { bold: true };
  block("Organisasi", `${rka.opdCode} ${rka.opdName}`).commit();
  block("Sub Kegiatan", data.sub ? `${data.sub.code} ${data.sub.name}` : `— (${rka.kind})`).commit();
  const pagu = block("Pagu KUA-PPAS", "", data.ceiling ? (data.ceiling.agreed ? "disepakati" : "belum disepakati") : "");
  if (data.ceiling) money(pagu, 3, data.ceiling.amount);
  else pagu.getCell(3).value = "—";
  pagu.commit();
  const idRow = block(RKA_SHEET.idLabel, rka.id, `Status: ${rka.status}`);
  idRow.getCell(3).font = { bold: true, color: { argb: "FF9C0006" } };
  idRow.commit();
  const note = ws.addRow([RKA_NOTE]);
  note.font = { italic: true, size: 9 };
  note.commit();
  const head = ws.addRow(RKA_COLUMNS.map((c) => c.header));
  head.font = { bold: true };
  head.alignment = { vertical: "middle", wrapText: true };
  head.eachCell((c) => (c.fill = HEADER_FILL));
  head.commit();

  const lines = data.lines;
  const groupRow = (values: Partial<Record<RkaColumnKey, string>>, amount: Money) => {
    const r = ws.addRow([]);
    for (const [k, v] of Object.entries(values)) r.getCell(COL[k as RkaColumnKey]).value = v;
    r.font = { bold: true };
    for (let c = 1; c <= RKA_COLUMNS.length - 1; c++) r.getCell(c).fill = GROUP_FILL;
    money(r, COL.amount, amount);
    r.commit();
  };
  // The subtotal of the run of consecutive lines from i on that share the key.
  const runSum = (i: number, same: (a: RkaSheetLine, b: RkaSheetLine) => boolean) => {
    let sum = Money.zero;
    for (let j = i; j < lines.length && same(lines[i], lines[j]); j++) sum = sum.plus(Money.idr(lines[j].amount));
    return sum;
  };
  let total = Money.zero;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const prev = i > 0 ? lines[i - 1] : null;
    if (!prev || prev.accountCode !== l.accountCode) {
      groupRow({ account: l.accountCode, description: l.accountName ?? "" }, runSum(i, (a, b) => a.accountCode === b.accountCode));
    }
    if (l.heading && (!prev || prev.accountCode !== l.accountCode || prev.heading !== l.heading)) {
      groupRow({ heading: l.heading, description: `[#] ${l.heading}` }, runSum(i, (a, b) => a.accountCode === b.accountCode && a.heading === b.heading));
    }
    const r = ws.addRow([]);
    r.getCell(COL.no).value = l.position;
    r.getCell(COL.heading).value = l.heading || null;
    r.getCell(COL.account).value = l.accountCode;
    r.getCell(COL.item).value = l.priceItemCode || null;
    r.getCell(COL.description).value = l.description;
    r.getCell(COL.spec).value = l.spec || null;
    l.factors.slice(0, 4).forEach((f, k) => {
      r.getCell(COL.q1 + 2 * k).value = quantityCell(f.qty);
      r.getCell(COL.u1 + 2 * k).value = f.unit;
    });
    r.getCell(COL.unit).value = l.unit;
    money(r, COL.price, l.unitPrice);
    r.getCell(COL.tax).value = quantityCell(l.taxPercent);
    r.getCell(COL.funding).value = l.fundingSource;
    money(r, COL.amount, l.amount);
    r.getCell(COL.justification).value = l.justification || null;
    r.getCell(COL.ref).value = `${l.id}/${l.version}`;
    r.commit();
    total = total.plus(Money.idr(l.amount));
    if (i % 500 === 499 && !(await drained(out))) return;
  }
  const t = ws.addRow([]);
  t.getCell(COL.description).value = "JUMLAH";
  t.font = { bold: true };
  t.border = { top: { style: "thin" } };
  money(t, COL.amount, total);
  t.commit();
  ws.commit();
  await wb.commit();
}
