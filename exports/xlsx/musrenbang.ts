import ExcelJS from "exceljs";
import { D, Money } from "../../domain/kernel/money";
import { BIDANG_URUSAN, KINDS, THEMATIC_GROUPS } from "../../domain/musrenbang/vocabulary";

/**
 * e-Musrenbang in Excel: the template an offline forum fills in (read back by
 * imports/musrenbang/forum-sheet.ts) and the ranked list for the minutes. Pure writers: data in,
 * bytes out; no ORM, no HTTP. The sheet's layout lives here, once, for the writer and the reader.
 *
 * Money is never carried by a JS number unless the number is exact: whole rupiah below 10^15 (what
 * Excel keeps to the unit) go in as numbers with a rupiah format; anything else as its canonical text.
 */

/** Sheet names and the format stamp the importer checks. Bump the version when the layout changes. */
export const FORUM_SHEET = {
  format: "jejak.musrenbang.forum",
  version: 1,
  usulan: "Usulan",
  petunjuk: "Petunjuk",
  referensi: "Referensi",
  meta: "Meta",
} as const;

/** The fixed columns of the "Usulan" sheet, in order; `key` is the ProposalInput field ("code" excepted). */
export const FORUM_COLUMNS = [
  { key: "code", header: "Kode Usulan", width: 24 },
  { key: "title", header: "Judul", width: 40 },
  { key: "problem", header: "Permasalahan", width: 50 },
  { key: "kind", header: "Jenis", width: 11 },
  { key: "thematicGroup", header: "Kelompok Bidang", width: 20 },
  { key: "bidangUrusan", header: "Bidang Urusan", width: 14 },
  { key: "targetOpd", header: "OPD Tujuan", width: 26 },
  { key: "address", header: "Alamat", width: 30 },
  { key: "rt", header: "RT", width: 6 },
  { key: "rw", header: "RW", width: 6 },
  { key: "lat", header: "Lintang", width: 12 },
  { key: "lng", header: "Bujur", width: 12 },
  { key: "volume", header: "Volume", width: 10 },
  { key: "unit", header: "Satuan", width: 10 },
  { key: "estimatedCost", header: "Perkiraan Biaya (Rp)", width: 20 },
  { key: "beneficiaries", header: "Penerima Manfaat", width: 12 },
] as const;
export type ForumColumnKey = (typeof FORUM_COLUMNS)[number]["key"];

/** The header of a criterion's score column. */
export const scoreHeader = (name: string) => `Nilai: ${name}`;

/** Rows the validations and formats reach beyond the pre-filled ones, for new proposals. */
const SPARE_ROWS = 500;
const MIN_ROWS = 1000;

export interface TemplateCriterion {
  code: string;
  name: string;
  description?: string;
  weight?: string;
}

/** One existing proposal as the template shows it: every editable field, as stored. */
export interface TemplateProposal {
  code: string;
  version: number;
  status: string;
  title: string;
  problem: string;
  kind: string;
  thematicGroup: string;
  bidangUrusan: string;
  /** OPD code. */
  targetOpd: string;
  address: string;
  rt: string;
  rw: string;
  lat: string | null;
  lng: string | null;
  volume: string;
  unit: string;
  /** Canonical "1250000.00". */
  estimatedCost: string;
  beneficiaries: number;
  /** Scores in this forum by criterion code. */
  scores: Record<string, number>;
}

export interface ForumTemplateData {
  forum: { id: string; name: string; fiscalYear: number; level: string; regionCode: string; status: string };
  criteria: readonly TemplateCriterion[];
  proposals: readonly TemplateProposal[];
  opds: readonly { code: string; name: string }[];
  /** Defaults to the vocabulary's list. */
  bidangUrusan?: Readonly<Record<string, string>>;
  generatedAt?: Date;
}

/** The score columns of a template: letter, header and criterion code (names made unique if two clash). */
export function scoreColumns(criteria: readonly TemplateCriterion[]): { letter: string; header: string; code: string }[] {
  const seen = new Set<string>(FORUM_COLUMNS.map((c) => c.header.toLowerCase()));
  return criteria.map((c, i) => {
    let header = scoreHeader(c.name);
    if (seen.has(header.toLowerCase())) header = `${header} (${c.code})`;
    seen.add(header.toLowerCase());
    return { letter: columnLetter(FORUM_COLUMNS.length + i + 1), header, code: c.code };
  });
}

export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** A number Excel stores exactly (at most 15 significant digits), or null. */
function exactNumber(text: string): number | null {
  const d = new D(text);
  if (!d.isFinite() || d.sd(true) > 15) return null;
  const n = d.toNumber();
  return new D(n).eq(d) ? n : null;
}

/** A quantity as a number when Excel keeps it exactly (≤ 15 significant digits), else its text. */
export function quantityCell(text: string): number | string {
  const d = new D(text);
  return d.isFinite() ? (exactNumber(text) ?? d.toFixed()) : text;
}

/** Whole rupiah below 10^15 as a number, anything else as the canonical text: never a sen lost. */
export function moneyCellValue(amount: string | Money): number | string {
  const m = typeof amount === "string" ? Money.idr(amount) : amount;
  const d = m.toDecimal();
  return d.isInteger() && d.abs().lt("1e15") ? d.toNumber() : m.toString();
}

const RUPIAH_FMT = '"Rp"#,##0';
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE7F0" } };
const CODE_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { vertical: "middle", wrapText: true };
  row.eachCell((c) => (c.fill = HEADER_FILL));
}

type Validations = { add(address: string, v: ExcelJS.DataValidation): void };
const validations = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: Validations }).dataValidations;

/**
 * The forum's own template: "Usulan" (one proposal per row, existing ones pre-filled with their
 * scores), "Petunjuk" (how to fill it in), "Referensi" (OPD and bidang urusan codes) and the hidden
 * "Meta" (forum, year, format version, score columns, proposal versions). An untouched file imports
 * as unchanged.
 */
export async function writeForumTemplate(data: ForumTemplateData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Jejak";
  wb.created = wb.modified = data.generatedAt ?? new Date();
  const bidang = data.bidangUrusan ?? BIDANG_URUSAN;
  const scores = scoreColumns(data.criteria);
  const lastRow = Math.max(1 + data.proposals.length + SPARE_ROWS, MIN_ROWS);

  const ws = wb.addWorksheet(FORUM_SHEET.usulan, { views: [{ state: "frozen", xSplit: 2, ySplit: 1 }] });
  ws.columns = [
    ...FORUM_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    ...scores.map((s) => ({ header: s.header, key: `score:${s.code}`, width: Math.max(12, Math.min(30, s.header.length)) })),
  ];
  for (const key of ["code", "bidangUrusan", "targetOpd", "rt", "rw"]) ws.getColumn(key).numFmt = "@";
  ws.getColumn("estimatedCost").numFmt = RUPIAH_FMT;
  ws.getColumn("beneficiaries").numFmt = "#,##0";
  for (const key of ["lat", "lng"]) ws.getColumn(key).numFmt = "0.000000";
  for (const key of ["title", "problem", "address"]) ws.getColumn(key).alignment = { wrapText: true, vertical: "top" };
  styleHeader(ws.getRow(1));

  const decimal = (t: string | null) => (t === null || t === "" ? null : (exactNumber(t) ?? new D(t).toFixed()));
  for (const p of data.proposals) {
    const row = ws.addRow({
      code: p.code,
      title: p.title,
      problem: p.problem,
      kind: p.kind,
      thematicGroup: p.thematicGroup,
      bidangUrusan: p.bidangUrusan,
      targetOpd: p.targetOpd,
      address: p.address,
      rt: p.rt,
      rw: p.rw,
      lat: decimal(p.lat),
      lng: decimal(p.lng),
      volume: decimal(p.volume),
      unit: p.unit,
      estimatedCost: moneyCellValue(p.estimatedCost),
      beneficiaries: p.beneficiaries,
      ...Object.fromEntries(scores.map((s) => [`score:${s.code}`, p.scores[s.code] ?? null])),
    });
    row.getCell("code").fill = CODE_FILL;
    const cost = row.getCell("estimatedCost");
    if (typeof cost.value === "string") cost.alignment = { horizontal: "right" };
  }

  const dv = validations(ws);
  const range = (key: string) => {
    const letter = ws.getColumn(key).letter;
    return `${letter}2:${letter}${lastRow}`;
  };
  const list = (formula: string, title: string, prompt: string, errorStyle: "stop" | "warning"): ExcelJS.DataValidation => ({
    type: "list",
    allowBlank: true,
    formulae: [formula],
    showInputMessage: true,
    promptTitle: title,
    prompt,
    showErrorMessage: true,
    errorStyle,
    errorTitle: title,
    error: `Pilih dari daftar (lihat lembar ${FORUM_SHEET.referensi}).`,
  });
  dv.add(range("kind"), list(`"${KINDS.join(",")}"`, "Jenis", "fisik atau nonfisik", "stop"));
  dv.add(range("thematicGroup"), list(`"${THEMATIC_GROUPS.join(",")}"`, "Kelompok Bidang", THEMATIC_GROUPS.join(", "), "stop"));
  const bidangCodes = Object.keys(bidang);
  dv.add(range("bidangUrusan"), list(`${FORUM_SHEET.referensi}!$F$2:$F$${1 + bidangCodes.length}`, "Bidang Urusan", "Kode bidang urusan, mis. 1.03", "warning"));
  dv.add(range("targetOpd"), list(`${FORUM_SHEET.referensi}!$C$2:$C$${1 + Math.max(1, data.opds.length)}`, "OPD Tujuan", "Kode perangkat daerah tujuan", "warning"));
  for (const s of scores)
    dv.add(`${s.letter}2:${s.letter}${lastRow}`, {
      type: "whole",
      operator: "between",
      allowBlank: true,
      formulae: [1, 5],
      showErrorMessage: true,
      errorStyle: "stop",
      errorTitle: s.header,
      error: "Nilai berupa bilangan bulat 1–5.",
    });

  writeInstructions(wb.addWorksheet(FORUM_SHEET.petunjuk), data, scores);

  const ref = wb.addWorksheet(FORUM_SHEET.referensi);
  ref.columns = [
    { header: "Kode OPD", key: "opdCode", width: 26 },
    { header: "Nama OPD", key: "opdName", width: 50 },
    { header: "Pilihan OPD", key: "opdChoice", width: 60 },
    { header: "", key: "gap", width: 3 },
    { header: "Kode Bidang Urusan", key: "bidangCode", width: 20 },
    { header: "Pilihan Bidang Urusan", key: "bidangChoice", width: 60 },
  ];
  ref.getColumn("opdCode").numFmt = "@";
  ref.getColumn("bidangCode").numFmt = "@";
  styleHeader(ref.getRow(1));
  const n = Math.max(data.opds.length, bidangCodes.length);
  for (let i = 0; i < n; i++) {
    const o = data.opds[i];
    const b = bidangCodes[i];
    ref.addRow({
      opdCode: o?.code ?? null,
      opdName: o?.name ?? null,
      opdChoice: o ? `${o.code} — ${o.name}` : null,
      bidangCode: b ?? null,
      bidangChoice: b ? `${b} — ${bidang[b]}` : null,
    });
  }

  const meta = wb.addWorksheet(FORUM_SHEET.meta, { state: "veryHidden" });
  meta.addRows([
    ["format", FORUM_SHEET.format],
    ["version", FORUM_SHEET.version],
    ["forumId", data.forum.id],
    ["fiscalYear", data.forum.fiscalYear],
    ["level", data.forum.level],
    ["regionCode", data.forum.regionCode],
    ["status", data.forum.status],
    ["generatedAt", (data.generatedAt ?? wb.created).toISOString()],
    ...scores.map((s) => ["criterion", s.code, s.header, s.letter]),
    ...data.proposals.map((p) => ["proposal", p.code, p.version]),
  ]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

function writeInstructions(ws: ExcelJS.Worksheet, data: ForumTemplateData, scores: { header: string; code: string }[]) {
  ws.getColumn(1).width = 110;
  ws.getColumn(1).alignment = { wrapText: true, vertical: "top" };
  const f = data.forum;
  const lines: [string, boolean?][] = [
    [`Templat usulan ${f.name} — tahun ${f.fiscalYear}`, true],
    [`Status forum saat templat diunduh: ${f.status}. Usulan baru hanya diterima selama forum dibuka (open); nilai hanya diisi saat forum dalam tahap penilaian (scoring).`],
    [""],
    ["Cara mengisi", true],
    [`1. Isi satu usulan per baris di lembar "${FORUM_SHEET.usulan}". Jangan mengubah judul kolom di baris 1, jangan menghapus atau mengganti nama lembar.`],
    ['2. "Kode Usulan" diisi oleh sistem (sel abu-abu). Untuk usulan baru, biarkan kosong. Jangan mengubah atau menyalin kode usulan yang sudah ada ke baris lain.'],
    ['3. Judul 5–200 karakter; Permasalahan 10–4000 karakter.'],
    [`4. Jenis: ${KINDS.join(" atau ")}. Kelompok Bidang: ${THEMATIC_GROUPS.join(", ")}.`],
    [`5. Bidang Urusan: kode seperti 1.03; OPD Tujuan: kode perangkat daerah. Keduanya dapat dipilih dari daftar; lihat lembar "${FORUM_SHEET.referensi}".`],
    ["6. RT dan RW: angka, mis. 003. Lintang dan Bujur: derajat desimal (mis. -7.150000 dan 111.880000); boleh dikosongkan keduanya."],
    ["7. Volume: angka dengan titik desimal (mis. 250 atau 12.5), paling banyak 4 desimal; Satuan wajib diisi (m, m², unit, paket, …)."],
    ['8. Perkiraan Biaya (Rp): angka rupiah tanpa "Rp", mis. 150000000, 150.000.000 atau 1250000,50. Sen tidak dibulatkan.'],
    ["9. Penerima Manfaat: bilangan bulat (jiwa)."],
    ['10. Kolom "Nilai: …": bilangan bulat 1–5 untuk setiap kriteria. Isi semua kriteria sebuah usulan sekaligus, dan hanya saat forum dalam tahap penilaian.'],
    [""],
    ["Kriteria penilaian", true],
    ...data.criteria.map((c, i): [string] => [`${scores[i].header}${c.weight ? ` (bobot ${c.weight}%)` : ""}${c.description ? `: ${c.description}` : ""}`]),
    ...(data.criteria.length ? [] : [["Forum ini tidak menilai usulan."] as [string]]),
    [""],
    ["Mengunggah", true],
    ["Unggah kembali berkas ini di halaman forum. Sistem memeriksa seluruh berkas lebih dahulu: bila ada satu saja kesalahan, tidak ada yang disimpan, dan setiap kesalahan ditunjukkan dengan nomor baris dan huruf kolomnya. Baris yang tidak diubah tidak mengubah apa pun."],
    [`Berkas ini hanya untuk ${f.name} tahun ${f.fiscalYear}; tidak dapat diunggah ke forum lain. Bila usulan diubah orang lain setelah templat diunduh, unduh templat yang baru.`],
  ];
  for (const [text, bold] of lines) {
    const row = ws.addRow([text]);
    if (bold) row.font = { bold: true, size: row.number === 1 ? 14 : 12 };
  }
}

/** One line of the ranked list: a ProposalRow of rankedList() with its rank and total. */
export interface RankedListRow {
  rank: number | null;
  code: string;
  title: string;
  desaName: string;
  opdCode: string;
  opdName: string;
  volume: string;
  unit: string;
  /** Canonical "1250000.00". */
  estimatedCost: string;
  beneficiaries: number;
  /** Weighted total "85.50", or null when not (fully) scored. */
  total: string | null;
  status: string;
}

/** What rankedList(em, actor, forumId) returns, as far as the export needs it. */
export interface RankedListData {
  forum: { name: string; fiscalYear: number; status: string };
  list: readonly RankedListRow[];
}

export interface RankedListOptions {
  /** A translator (app/i18n `translator(lang)`) for status labels; without one the codes are shown. */
  t?: (key: string, params?: Record<string, unknown>) => string;
  generatedAt?: Date;
}

export const RANKED_HEADERS = [
  "Peringkat",
  "Kode Usulan",
  "Judul",
  "Desa/Kelurahan",
  "OPD Tujuan",
  "Volume",
  "Satuan",
  "Perkiraan Biaya (Rp)",
  "Penerima Manfaat",
  "Nilai Total",
  "Status",
] as const;

/**
 * The forum's ranked list: a title row (forum, year, status), the header on row 3, one row per
 * proposal, and a totals row whose cost is the exact Decimal sum of the rows.
 */
export async function writeRankedList(data: RankedListData, opts: RankedListOptions = {}): Promise<Buffer> {
  const label = (key: string, code: string) => {
    const s = opts.t?.(key);
    return s && s !== key ? s : code;
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = "Jejak";
  wb.created = wb.modified = opts.generatedAt ?? new Date();
  const ws = wb.addWorksheet("Peringkat", { views: [{ state: "frozen", ySplit: 3 }], pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const f = data.forum;
  ws.addRow([`${f.name} — Tahun ${f.fiscalYear} — Status: ${label(`mus.forumStatus.${f.status}`, f.status)}`]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, RANKED_HEADERS.length);
  ws.addRow([]);
  styleHeader(ws.addRow([...RANKED_HEADERS]));
  [10, 24, 44, 22, 26, 10, 10, 20, 12, 11, 26].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.getColumn(2).numFmt = "@";
  ws.getColumn(8).numFmt = RUPIAH_FMT;
  ws.getColumn(9).numFmt = "#,##0";
  ws.getColumn(10).numFmt = "0.00";
  ws.getColumn(3).alignment = { wrapText: true, vertical: "top" };

  for (const r of data.list) {
    const row = ws.addRow([
      r.rank ?? null,
      r.code,
      r.title,
      r.desaName,
      r.opdName || r.opdCode,
      exactNumber(r.volume) ?? r.volume,
      r.unit,
      moneyCellValue(r.estimatedCost),
      r.beneficiaries,
      r.total === null || r.total === "" ? null : (exactNumber(r.total) ?? r.total),
      label(`mus.status.${r.status}`, r.status),
    ]);
    if (typeof row.getCell(8).value === "string") row.getCell(8).alignment = { horizontal: "right" };
  }
  const cost = Money.sum(data.list.map((r) => Money.idr(r.estimatedCost)));
  const people = data.list.reduce((a, r) => a + r.beneficiaries, 0);
  const totals = ws.addRow([`Jumlah (${data.list.length} usulan)`, null, null, null, null, null, null, moneyCellValue(cost), people, null, null]);
  totals.font = { bold: true };
  totals.border = { top: { style: "thin" } };
  if (typeof totals.getCell(8).value === "string") totals.getCell(8).alignment = { horizontal: "right" };
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + data.list.length, column: RANKED_HEADERS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
