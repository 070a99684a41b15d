import type { SnapshotPackage, SnapshotTender } from "./snapshot";

/**
 * Jejak's vocabulary (Perpres 16/2018 as amended) in OCDS codes. Every table is explicit; a closed
 * codelist (method, procurementCategory, tenderStatus, awardStatus, contractStatus, milestoneStatus,
 * bidStatus) only ever receives one of its codes, an open one (awardCriteria, milestoneType, documentType,
 * extendedProcurementCategory) one of its codes where one fits.
 */

type Method = SnapshotPackage["method"];

export interface MethodCode {
  /** OCDS `procurementMethod` (closed codelist method.csv); null when the package has no procurement (swakelola). */
  method: "open" | "selective" | "limited" | "direct" | null;
  /** `procurementMethodDetails`: the method's name in the regulation. */
  details: string;
}

/**
 * Metode pemilihan → `procurementMethod`, read against the codelist's definitions:
 *
 *   open       "All interested suppliers can submit a tender": tender (goods, works, other services) and
 *              seleksi (consultancy) with pascakualifikasi are announced publicly and any registered vendor
 *              may bid; tender cepat too — it is announced publicly and open to every vendor qualified in
 *              SIKaP, a standing national registry any vendor can join, not a shortlist for this tender.
 *   selective  "Only qualified suppliers are invited to submit a tender": a tender or seleksi with
 *              prakualifikasi (only the vendors that pass the qualification are invited to bid) — see
 *              `procurementMethodOf`, which looks at the selection's qualification.
 *   direct     "The contract is awarded to a single supplier without competition": pengadaan langsung and
 *              penunjukan langsung (one vendor is invited, its offer negotiated), and e-purchasing — the
 *              PPK orders a catalogue product from that product's vendor (surat pesanan) with no competition
 *              at this stage; the competition took place when the catalogue was formed, in a separate
 *              process of LKPP or the catalogue's owner. Not `limited` ("the procuring entity contacts a
 *              number of suppliers of its choice"): nobody is contacted to compete. A mini-competition among
 *              catalogue vendors, if Jejak ever runs one, would be `selective`.
 *   —          swakelola is not procurement from a supplier (the OPD, another government body or a community
 *              group carries out the work itself): no `procurementMethod`, and no tender section at all.
 */
export const PROCUREMENT_METHOD: Record<Method, MethodCode> = {
  tender: { method: "open", details: "Tender" },
  seleksi: { method: "open", details: "Seleksi" },
  tender_cepat: { method: "open", details: "Tender Cepat" },
  pengadaan_langsung: { method: "direct", details: "Pengadaan Langsung" },
  penunjukan_langsung: { method: "direct", details: "Penunjukan Langsung" },
  e_purchasing: { method: "direct", details: "E-Purchasing (katalog elektronik)" },
  swakelola: { method: null, details: "Swakelola" },
};

/** The method of a selection: prakualifikasi makes a tender or seleksi selective. */
export function procurementMethodOf(method: Method, qualification: "pasca" | "pra" | null): MethodCode {
  const m = PROCUREMENT_METHOD[method];
  if (qualification === "pra" && (method === "tender" || method === "seleksi")) return { method: "selective", details: `${m.details} (prakualifikasi)` };
  if (qualification === "pasca" && (method === "tender" || method === "seleksi")) return { method: m.method, details: `${m.details} (pascakualifikasi)` };
  return m;
}

/** Jenis pengadaan → `mainProcurementCategory` (closed) and `additionalProcurementCategories` (open). */
export const CATEGORY: Record<SnapshotPackage["kind"], { main: "goods" | "works" | "services"; additional: string[]; label: string }> = {
  barang: { main: "goods", additional: [], label: "Barang" },
  konstruksi: { main: "works", additional: [], label: "Pekerjaan Konstruksi" },
  konsultansi: { main: "services", additional: ["consultingServices"], label: "Jasa Konsultansi" },
  jasa_lainnya: { main: "services", additional: [], label: "Jasa Lainnya" },
};

/**
 * Metode evaluasi → `awardCriteria` (open codelist; the deprecated codes are never used). Pagu anggaran
 * (the best technical proposal within the budget ceiling) is "qualityOnly": "the price is either fixed, or
 * with a maximum set and price factors are not included in evaluation".
 */
export const AWARD_CRITERIA: Record<SnapshotTender["evaluationMethod"], { code: string; details: string }> = {
  harga_terendah: { code: "priceOnly", details: "Harga terendah" },
  biaya_terendah: { code: "costOnly", details: "Biaya terendah (biaya selama umur ekonomis)" },
  kualitas: { code: "qualityOnly", details: "Kualitas" },
  pagu_anggaran: { code: "qualityOnly", details: "Pagu anggaran (penawaran teknis terbaik dalam pagu)" },
  kualitas_biaya: { code: "ratedCriteria", details: "Kualitas dan biaya" },
};

/** A selection's status → `tender.status` (closed codelist tenderStatus.csv). */
export const TENDER_STATUS: Record<SnapshotTender["status"], "planned" | "active" | "complete" | "unsuccessful" | "cancelled"> = {
  draft: "planned",
  announced: "active",
  opened: "active",
  evaluated: "active",
  winner_announced: "active",
  sppbj: "complete",
  contracted: "complete",
  failed: "unsuccessful",
  cancelled: "cancelled",
};

/** A contract's status → `contracts.status` (closed codelist contractStatus.csv). */
export const CONTRACT_STATUS: Record<"sppbj" | "signed" | "terminated" | "completed" | "cancelled", "pending" | "active" | "terminated" | "cancelled"> = {
  sppbj: "pending",
  signed: "active",
  terminated: "terminated",
  completed: "terminated",
  cancelled: "cancelled",
};

/** Jenis kontrak, in the contract's description. */
export const CONTRACT_TYPE: Record<string, string> = { lump_sum: "Lumsum", harga_satuan: "Harga satuan", gabungan: "Gabungan lumsum dan harga satuan" };

/**
 * The stages of a schedule (jadwal tahapan) as tender milestones: title, type (open codelist
 * milestoneType.csv), how far the selection must have come for the stage to be met (1 announced, 2 opened,
 * 3 evaluated, 4 winner announced, 5 SPPBJ), and whether the stage is a period that is met once it has
 * run its course (an announcement, a download or upload window, the aanwijzing, a sanggah period).
 */
export const STAGES: Record<string, { title: string; type: string; level: number; period: boolean }> = {
  pengumuman: { title: "Pengumuman", type: "engagement", level: 1, period: true },
  undangan: { title: "Undangan", type: "engagement", level: 1, period: true },
  download_dokumen: { title: "Download dokumen pemilihan", type: "engagement", level: 2, period: true },
  aanwijzing: { title: "Pemberian penjelasan (aanwijzing)", type: "engagement", level: 2, period: true },
  upload_penawaran: { title: "Upload dokumen penawaran", type: "engagement", level: 2, period: true },
  pembukaan: { title: "Pembukaan dokumen penawaran", type: "assessment", level: 2, period: false },
  evaluasi: { title: "Evaluasi penawaran", type: "assessment", level: 3, period: false },
  negosiasi: { title: "Klarifikasi dan negosiasi", type: "assessment", level: 3, period: false },
  pengumuman_pemenang: { title: "Pengumuman pemenang", type: "approval", level: 4, period: false },
  sanggah: { title: "Masa sanggah", type: "assessment", level: 5, period: true },
  sanggah_banding: { title: "Masa sanggah banding", type: "assessment", level: 5, period: true },
  sppbj: { title: "Surat Penunjukan Penyedia Barang/Jasa (SPPBJ)", type: "approval", level: 5, period: false },
};

/** How far a selection has come (see STAGES); for an ended one, how far it came before it ended. */
export function progressOf(t: Pick<SnapshotTender, "status" | "openedAt" | "winnerBidId">): number {
  switch (t.status) {
    case "draft":
      return 0;
    case "announced":
      return 1;
    case "opened":
      return 2;
    case "evaluated":
      return 3;
    case "winner_announced":
      return 4;
    case "sppbj":
      return 5;
    case "contracted":
      return 6;
    default:
      return t.winnerBidId ? 4 : t.openedAt ? 2 : 1;
  }
}

/** A tender document's `documentType` (open codelist documentType.csv), from its title. */
export function documentTypeOf(title: string): string {
  if (/spesifikasi|gambar|kak\b|kerangka acuan/i.test(title)) return "technicalSpecifications";
  if (/undangan/i.test(title)) return "tenderNotice";
  if (/rab\b|bill of quantit|daftar kuantitas/i.test(title)) return "billOfQuantity";
  return "biddingDocuments";
}

/** The Indonesian name of a swakelola type (Perpres 16/2018 Pasal 18). */
export const SWAKELOLA_TYPE: Record<number, string> = {
  1: "Swakelola tipe I (direncanakan, dilaksanakan dan diawasi oleh PD penanggung jawab anggaran)",
  2: "Swakelola tipe II (dilaksanakan oleh kementerian/lembaga/perangkat daerah lain)",
  3: "Swakelola tipe III (dilaksanakan oleh organisasi kemasyarakatan)",
  4: "Swakelola tipe IV (dilaksanakan oleh kelompok masyarakat)",
};
