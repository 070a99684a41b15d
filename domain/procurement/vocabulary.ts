/** The words of e-Procurement (Perpres 16/2018 as amended). Labels live in app/i18n/procurement.ts. */

export const PACKAGE_TYPES = ["penyedia", "swakelola"] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/** Jenis pengadaan. */
export const KINDS = ["barang", "konstruksi", "konsultansi", "jasa_lainnya"] as const;
export type Kind = (typeof KINDS)[number];

/** Metode pemilihan (Perpres 16/2018 Pasal 38 and 41, as amended), plus swakelola for the plan. */
export const METHODS = ["tender", "tender_cepat", "seleksi", "pengadaan_langsung", "penunjukan_langsung", "e_purchasing", "swakelola"] as const;
export type Method = (typeof METHODS)[number];

/** Methods whose selection runs as a tender in Jejak (announced, sealed bids, opening, evaluation). */
export const COMPETITIVE: readonly Method[] = ["tender", "tender_cepat", "seleksi"];

export const EVALUATION_METHODS = ["harga_terendah", "kualitas_biaya", "kualitas", "pagu_anggaran", "biaya_terendah"] as const;
export type EvaluationMethod = (typeof EVALUATION_METHODS)[number];

export const CONTRACT_TYPES = ["lump_sum", "harga_satuan", "gabungan"] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export const QUALIFICATIONS = ["kecil", "non_kecil"] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

/**
 * Belanja accounts a package may draw on: barang dan jasa (5.1.02) and modal (5.2). Personnel, grants,
 * social aid and transfers are not procured.
 */
export function procurableAccount(code: string): boolean {
  return code.startsWith("5.1.02.") || code.startsWith("5.2.");
}

export function isIn<T extends string>(list: readonly T[], x: unknown): x is T {
  return typeof x === "string" && (list as readonly string[]).includes(x);
}
