/** The fixed vocabularies of e-Musrenbang. Pure data, safe for the browser bundle. */

export const FORUM_LEVELS = ["desa", "kecamatan", "kabupaten", "perangkat_daerah"] as const;
export type ForumLevel = (typeof FORUM_LEVELS)[number];
/** Levels that score and rank proposals, each with its criteria and quota. */
export const SCORED_LEVELS = ["desa", "kecamatan", "kabupaten"] as const;
export type ScoredLevel = (typeof SCORED_LEVELS)[number];

export const FORUM_STATUSES = ["planned", "open", "scoring", "closed"] as const;
export type ForumStatus = (typeof FORUM_STATUSES)[number];

export const PROPOSAL_STATUSES = [
  "submitted",
  "withdrawn",
  "not_prioritised",
  "escalated",
  "verified",
  "rejected",
  "merged",
  "opd_review",
  "accepted",
  "adopted",
  "not_adopted",
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Statuses after which nothing more will happen to a proposal in this cycle. */
export const FINAL_STATUSES: readonly ProposalStatus[] = ["withdrawn", "not_prioritised", "rejected", "merged", "adopted", "not_adopted"];

export const KINDS = ["fisik", "nonfisik"] as const;
export type ProposalKind = (typeof KINDS)[number];

/** Thematic groups used by many kabupaten (e.g. Temanggung). */
export const THEMATIC_GROUPS = ["ekonomi", "sosial_budaya", "prasarana_wilayah", "pemerintahan"] as const;
export type ThematicGroup = (typeof THEMATIC_GROUPS)[number];

export const SOURCES = ["musrenbang", "pokir"] as const;
export type ProposalSource = (typeof SOURCES)[number];

/**
 * Bidang urusan a village proposal can be filed under (Permendagri 90/2019, Lampiran; codes checked
 * against shared/domain/README.md). The full nomenclature arrives with e-Planning; until then this
 * list is the reference.
 */
export const BIDANG_URUSAN: Record<string, string> = {
  "1.01": "Pendidikan",
  "1.02": "Kesehatan",
  "1.03": "Pekerjaan Umum dan Penataan Ruang",
  "1.04": "Perumahan Rakyat dan Kawasan Permukiman",
  "1.05": "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
  "1.06": "Sosial",
  "2.07": "Tenaga Kerja",
  "2.08": "Pemberdayaan Perempuan dan Pelindungan Anak",
  "2.09": "Pangan",
  "2.11": "Lingkungan Hidup",
  "2.13": "Pemberdayaan Masyarakat dan Desa",
  "2.15": "Perhubungan",
  "2.16": "Komunikasi dan Informatika",
  "2.17": "Koperasi, Usaha Kecil dan Menengah",
  "2.19": "Kepemudaan dan Olahraga",
  "2.22": "Kebudayaan",
  "3.25": "Kelautan dan Perikanan",
  "3.26": "Pariwisata",
  "3.27": "Pertanian",
  "3.30": "Perdagangan",
  "3.31": "Perindustrian",
};

/** Units offered for a proposal's volume (free text is accepted too). */
export const COMMON_UNITS = ["m", "m²", "m³", "km", "unit", "paket", "titik", "orang", "kegiatan", "kelompok", "ekor", "ha"];

export const PHOTO_MAX = 5;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

export const DEFAULT_QUOTA: Record<ScoredLevel, number> = { desa: 5, kecamatan: 20, kabupaten: 1000 };

/** Default criteria (weights sum to 100), adjustable per tenant and level by the admin. */
export const DEFAULT_CRITERIA: { code: string; name: string; description: string; weight: string }[] = [
  { code: "urgensi", name: "Urgensi / tingkat kebutuhan", description: "1 tidak mendesak … 5 sangat mendesak", weight: "35" },
  { code: "penerima_manfaat", name: "Jumlah penerima manfaat", description: "1 satu kelompok … 5 seluruh desa", weight: "25" },
  { code: "keselarasan", name: "Keselarasan dengan prioritas RPJMD", description: "1 tidak selaras … 5 prioritas utama", weight: "25" },
  { code: "kesiapan", name: "Kesiapan (lahan, dokumen, swadaya)", description: "1 belum siap … 5 siap dilaksanakan", weight: "15" },
];
