import { CONTRACT_TYPES, EVALUATION_METHODS, QUALIFICATIONS, type ContractType, type EvaluationMethod, type Qualification } from "../../../domain/procurement/vocabulary";
import { normaliseHeader, type HeaderSpec } from "../sheet-tables";

/**
 * SPSE's exports as the import reads them: the tender results table (one row per participant) and the
 * contracts table (one row per contract version), their columns by the names SPSE and people give them,
 * and SPSE's words for Jejak's vocabulary.
 */

export const MAX_SPSE_ROWS = 60_000;

export type TK = "tenderCode" | "kodeRup" | "packageName" | "hps" | "vendorName" | "npwp" | "price" | "corrected" | "winner" | "winnerDate" | "evaluation" | "qualification" | "announcedOn";
export type CK =
  | "number"
  | "kodeRup"
  | "tenderCode"
  | "signedOn"
  | "value"
  | "npwp"
  | "vendorName"
  | "startDate"
  | "endDate"
  | "type"
  | "version"
  | "reason"
  | "amendedValue"
  | "amendedOn"
  | "sppbjNumber"
  | "sppbjDate"
  | "qualification";

const TENDER_CODE = ["kd tender", "kode tender", "kd nontender", "kd non tender", "kode non tender", "kd paket spse", "kode paket spse"];
const KODE_RUP = ["kd rup", "kode rup", "id rup"];
const NPWP = ["npwp penyedia", "npwp", "npwp peserta"];
const VENDOR_NAME = ["nama penyedia", "nama peserta", "penyedia", "peserta"];
const QUALIFICATION = ["kualifikasi penyedia", "kualifikasi usaha", "kualifikasi"];

export const T_SPEC: HeaderSpec<TK> = {
  tenderCode: TENDER_CODE,
  kodeRup: KODE_RUP,
  packageName: ["nama paket"],
  hps: ["nilai hps", "hps", "nilai hps paket"],
  vendorName: VENDOR_NAME,
  npwp: NPWP,
  price: ["nilai penawaran", "harga penawaran", "penawaran"],
  corrected: ["nilai terkoreksi", "harga terkoreksi", "nilai penawaran terkoreksi"],
  winner: ["pemenang", "status pemenang", "is pemenang"],
  winnerDate: ["tgl penetapan pemenang", "tanggal penetapan pemenang", "tgl pengumuman pemenang"],
  evaluation: ["metode evaluasi"],
  qualification: QUALIFICATION,
  announcedOn: ["tgl pengumuman", "tanggal pengumuman", "tgl pengumuman tender"],
};
export const T_REQUIRED: TK[] = ["tenderCode", "kodeRup", "hps", "vendorName", "npwp", "price"];
export const T_LABEL: Record<TK, string> = {
  tenderCode: "kd_tender",
  kodeRup: "kd_rup",
  packageName: "nama_paket",
  hps: "nilai_hps",
  vendorName: "nama_penyedia",
  npwp: "npwp_penyedia",
  price: "nilai_penawaran",
  corrected: "nilai_terkoreksi",
  winner: "pemenang",
  winnerDate: "tgl_penetapan_pemenang",
  evaluation: "metode_evaluasi",
  qualification: "kualifikasi_penyedia",
  announcedOn: "tgl_pengumuman",
};

export const C_SPEC: HeaderSpec<CK> = {
  number: ["no kontrak", "nomor kontrak"],
  kodeRup: KODE_RUP,
  tenderCode: TENDER_CODE,
  signedOn: ["tgl kontrak", "tanggal kontrak", "tgl ttd kontrak"],
  value: ["nilai kontrak"],
  npwp: NPWP,
  vendorName: VENDOR_NAME,
  startDate: ["tgl mulai", "tanggal mulai", "tgl mulai kontrak", "tgl awal kontrak"],
  endDate: ["tgl selesai", "tanggal selesai", "tgl selesai kontrak", "tgl akhir kontrak"],
  type: ["jenis kontrak", "tipe kontrak", "bentuk kontrak"],
  version: ["versi adendum", "versi addendum", "adendum ke", "versi kontrak"],
  reason: ["alasan", "alasan adendum", "alasan addendum"],
  amendedValue: ["nilai", "nilai adendum", "nilai setelah adendum"],
  amendedOn: ["tgl adendum", "tanggal adendum"],
  sppbjNumber: ["no sppbj", "nomor sppbj"],
  sppbjDate: ["tgl sppbj", "tanggal sppbj"],
  qualification: QUALIFICATION,
};
export const C_REQUIRED: CK[] = ["number", "signedOn", "value", "npwp"];
export const C_LABEL: Record<CK, string> = {
  number: "no_kontrak",
  kodeRup: "kd_rup",
  tenderCode: "kd_tender",
  signedOn: "tgl_kontrak",
  value: "nilai_kontrak",
  npwp: "npwp_penyedia",
  vendorName: "nama_penyedia",
  startDate: "tgl_mulai",
  endDate: "tgl_selesai",
  type: "jenis_kontrak",
  version: "versi_adendum",
  reason: "alasan",
  amendedValue: "nilai",
  amendedOn: "tgl_adendum",
  sppbjNumber: "no_sppbj",
  sppbjDate: "tgl_sppbj",
  qualification: "kualifikasi_penyedia",
};

export const KNOWN = new Set([...Object.values(T_SPEC), ...Object.values(C_SPEC)].flat());

const CONTRACT_TYPE: Record<string, ContractType> = {
  "lump sum": "lump_sum",
  lumsum: "lump_sum",
  lumpsum: "lump_sum",
  "kontrak lumsum": "lump_sum",
  "kontrak lump sum": "lump_sum",
  "harga satuan": "harga_satuan",
  "kontrak harga satuan": "harga_satuan",
  gabungan: "gabungan",
  "gabungan lumsum dan harga satuan": "gabungan",
  "gabungan lump sum dan harga satuan": "gabungan",
  "kontrak gabungan lumsum dan harga satuan": "gabungan",
};
const EVALUATION: Record<string, EvaluationMethod> = {
  "harga terendah": "harga_terendah",
  "harga terendah sistem gugur": "harga_terendah",
  "sistem gugur": "harga_terendah",
  "kualitas dan biaya": "kualitas_biaya",
  kualitas: "kualitas",
  "pagu anggaran": "pagu_anggaran",
  "biaya terendah": "biaya_terendah",
};
const QUALIFICATION_OF: Record<string, Qualification> = { kecil: "kecil", "usaha kecil": "kecil", umk: "kecil", "non kecil": "non_kecil", menengah: "non_kecil", besar: "non_kecil" };
const mapOf = <T extends string>(codes: readonly T[], words: Record<string, T>) => (text: string): T | null => {
  const t = normaliseHeader(text);
  return words[t] ?? (codes as readonly string[]).find((c) => normaliseHeader(c) === t) as T | undefined ?? null;
};
export const contractTypeOf = mapOf(CONTRACT_TYPES, CONTRACT_TYPE);
export const evaluationOf = mapOf(EVALUATION_METHODS, EVALUATION);
export const qualificationOf = mapOf(QUALIFICATIONS, QUALIFICATION_OF);
