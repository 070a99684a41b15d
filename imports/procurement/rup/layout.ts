import { KINDS, METHODS, type PackageType } from "../../../domain/procurement/vocabulary";
import { RUP_LINE_COLUMNS, RUP_PACKAGE_COLUMNS, SIRUP_KIND, SIRUP_METHOD, type RupLineKey, type RupPackageKey } from "../../../exports/xlsx/rup";
import { normaliseHeader, type HeaderSpec } from "../sheet-tables";

/**
 * The RUP in SiRUP's layout (exports/xlsx/rup.ts) as the import reads it: the package table ("Paket") and
 * the budget line table ("Anggaran"), their columns by the names SiRUP and people give them, and SiRUP's
 * words for Jejak's vocabulary.
 */

export type PK = RupPackageKey;
export type LK = RupLineKey;

export const MAX_RUP_ROWS = 60_000;

export const P_SPEC: HeaderSpec<PK> = {
  kodeRup: ["kd rup", "kode rup", "id rup", "kd rup paket"],
  name: ["nama paket"],
  opdCode: ["kd satker", "kode satker", "kode satuan kerja", "kode opd", "kode skpd", "kode perangkat daerah"],
  opdName: ["nama satker", "nama satuan kerja", "nama opd", "nama skpd", "nama perangkat daerah"],
  year: ["tahun anggaran", "tahun", "ta"],
  pagu: ["pagu", "pagu rp", "pagu paket", "total pagu"],
  method: ["metode pengadaan", "metode pemilihan", "mtd pemilihan", "metode"],
  kind: ["jenis pengadaan"],
  type: ["tipe", "tipe paket", "jenis paket", "cara pengadaan"],
  swakelolaType: ["tipe swakelola"],
  pdn: ["status pdn", "pdn"],
  umk: ["status ukm", "status umk", "ukm", "umk"],
  selectionStart: ["tgl awal pemilihan", "tanggal awal pemilihan"],
  selectionEnd: ["tgl akhir pemilihan", "tanggal akhir pemilihan"],
  executionStart: ["tgl awal pelaksanaan", "tanggal awal pelaksanaan", "tgl awal kontrak", "tgl awal pelaksanaan kontrak"],
  executionEnd: ["tgl akhir pelaksanaan", "tanggal akhir pelaksanaan", "tgl akhir kontrak", "tgl akhir pelaksanaan kontrak"],
  locations: ["lokasi", "lokasi pekerjaan"],
  description: ["uraian pekerjaan", "uraian"],
  volume: ["volume pekerjaan", "volume"],
  ppkName: ["nama ppk"],
  plannedOn: ["tgl buat paket", "tanggal buat paket", "tgl perencanaan"],
  status: ["status umumkan rup", "status umumkan", "status pengumuman"],
};
export const P_REQUIRED: PK[] = ["kodeRup", "name", "opdCode", "year", "pagu", "method", "kind"];
export const P_LABEL = Object.fromEntries(RUP_PACKAGE_COLUMNS.map((c) => [c.key, c.header])) as Record<PK, string>;

export const L_SPEC: HeaderSpec<LK> = {
  kodeRup: P_SPEC.kodeRup,
  mak: ["mak", "kode mak", "kode anggaran", "kd mak"],
  fundingSource: ["sumber dana"],
  amount: ["pagu", "pagu rp", "nilai", "jumlah"],
};
export const L_REQUIRED: LK[] = ["kodeRup", "mak", "amount"];
export const L_LABEL = Object.fromEntries(RUP_LINE_COLUMNS.map((c) => [c.key, c.header])) as Record<LK, string>;

export const KNOWN = new Set([...Object.values(P_SPEC), ...Object.values(L_SPEC)].flat());

/** Where a `validPackage` problem shows in the package row. */
const FIELD_COLUMN: Record<string, PK> = {
  fiscalYear: "year",
  name: "name",
  type: "type",
  kind: "kind",
  method: "method",
  swakelolaType: "swakelolaType",
  lines: "pagu",
  selectionStart: "selectionStart",
  selectionEnd: "selectionEnd",
  executionStart: "executionStart",
  executionEnd: "executionEnd",
  plannedOn: "plannedOn",
  kodeRup: "kodeRup",
};

/** The column of the package row a domain problem (by its form field) belongs to. */
export const columnOf = (field: string): PK => (field.startsWith("locations.") ? "locations" : (FIELD_COLUMN[field.split(".")[0]] ?? "kodeRup"));

/** SiRUP's labels (and Jejak's codes) → the vocabulary. */
const byLabel = <T extends string>(codes: readonly T[], labels: Record<T, string>, extra: Record<string, T> = {}) => {
  const m = new Map<string, T>();
  for (const c of codes) {
    m.set(normaliseHeader(c), c);
    m.set(normaliseHeader(labels[c]), c);
  }
  for (const [k, v] of Object.entries(extra)) m.set(normaliseHeader(k), v);
  return (text: string): T | null => m.get(normaliseHeader(text)) ?? null;
};
export const methodOf = byLabel(METHODS, SIRUP_METHOD, { "e purchasing": "e_purchasing", epurchasing: "e_purchasing", "e katalog": "e_purchasing", "pengadaan langsung": "pengadaan_langsung" });
export const kindOf = byLabel(KINDS, SIRUP_KIND, { konstruksi: "konstruksi", "jasa konsultansi badan usaha": "konsultansi", "jasa konsultansi perorangan": "konsultansi", "jasa lain": "jasa_lainnya" });
export const typeOf = (text: string): PackageType | null => {
  const t = normaliseHeader(text);
  if (["penyedia", "melalui penyedia", "paket penyedia"].includes(t)) return "penyedia";
  if (["swakelola", "paket swakelola"].includes(t)) return "swakelola";
  return null;
};
const ROMAN: Record<string, string> = { i: "1", ii: "2", iii: "3", iv: "4" };
export const swakelolaTypeOf = (text: string) => {
  const t = normaliseHeader(text).replace(/^tipe /, "");
  return ROMAN[t] ?? t;
};
