/**
 * What the mapping reads: one contracting process (a RUP package) as the database holds it right after a
 * procurement event, loaded in the event's transaction by one statement (exports/ocds/publish.ts,
 * `loadSnapshot`). Plain data — amounts as exact decimal strings, moments as ISO strings, days as
 * yyyy-mm-dd — so that the mapping is a pure function and can be tested without a database.
 *
 * Only what the public may see is loaded: announced selections, bids once opened (prices; the evaluation
 * results once the winner is announced or the selection has ended, as domain/procurement/public.ts shows
 * them), never a sealed bid.
 */

export interface SnapshotTenant {
  /** Kemendagri code of the pemda, e.g. "35.22". */
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string | null;
}

export interface SnapshotPackage {
  id: string;
  kodeRup: string | null;
  name: string;
  description: string;
  volume: string;
  year: number;
  type: "penyedia" | "swakelola";
  kind: "barang" | "konstruksi" | "konsultansi" | "jasa_lainnya";
  method: "tender" | "tender_cepat" | "seleksi" | "pengadaan_langsung" | "penunjukan_langsung" | "e_purchasing" | "swakelola";
  swakelolaType: number | null;
  pagu: string;
  pdn: boolean;
  umk: boolean;
  plannedOn: string;
  selectionStart: string | null;
  selectionEnd: string | null;
  executionStart: string | null;
  executionEnd: string | null;
  status: string;
  announcedAt: string | null;
  cancelReason: string;
  source: string;
}

export interface SnapshotSubActivity {
  code: string;
  name: string;
  indicator: string;
  target: string;
  unit: string;
}

/** The method rule in force on the package's planning date (regulation, article, limits). */
export interface SnapshotRule {
  regulation: string;
  article: string;
  minValue: string | null;
  maxValue: string | null;
}

/** A DPA line the package draws on, from the latest adopted APBD version holding it. */
export interface SnapshotLine {
  lineKey: string;
  /** What the package takes from the line. */
  amount: string;
  accountCode: string | null;
  description: string | null;
  fundingSource: string | null;
  subCode: string | null;
  subName: string | null;
}

export interface SnapshotProposal {
  id: string;
  code: string;
  title: string;
  problem: string;
  source: "musrenbang" | "pokir";
  /** The level of the last forum that decided on it. */
  forumLevel: "desa" | "kecamatan" | "kabupaten" | "perangkat_daerah" | null;
  desaCode: string;
  estimatedCost: string;
  beneficiaries: number;
  /** The sub-activity that took it up (its sub kegiatan code). */
  subCode: string;
}

export interface SnapshotLocation {
  code: string;
  name: string | null;
  detail: string;
}

export interface SnapshotStage {
  stage: string;
  startsAt: string;
  endsAt: string;
}

export interface SnapshotAddendum {
  no: number;
  description: string;
  oldDeadline: string | null;
  newDeadline: string | null;
  createdAt: string;
}

export interface SnapshotBid {
  id: string;
  vendorId: string;
  submittedAt: string;
  price: string;
  correctedPrice: string | null;
  /** The evaluation, once results are public; null before. */
  result: { pass: boolean; rank: number | null; reason: string } | null;
}

export interface SnapshotTender {
  id: string;
  code: string;
  attempt: number;
  method: SnapshotPackage["method"];
  status: "draft" | "announced" | "opened" | "evaluated" | "winner_announced" | "sppbj" | "contracted" | "failed" | "cancelled";
  hps: string;
  evaluationMethod: "harga_terendah" | "kualitas_biaya" | "kualitas" | "pagu_anggaran" | "biaya_terendah";
  technicalWeight: string | null;
  qualification: "pasca" | "pra";
  requirements: string;
  documents: { title: string; ref: string }[];
  bidDeadline: string | null;
  openedAt: string | null;
  announcedAt: string | null;
  winnerBidId: string | null;
  invitedVendorId: string | null;
  failureReason: string;
  source: string;
  questions: number;
  /** The evaluation results are public (the winner is announced, or the selection has ended). */
  resultsPublic: boolean;
  stages: SnapshotStage[];
  addenda: SnapshotAddendum[];
  /** Opened bids only (a sealed bid is never loaded). */
  bids: SnapshotBid[];
}

export interface SnapshotAmendment {
  no: number;
  reason: string;
  valueBefore: string;
  valueAfter: string;
  endBefore: string | null;
  endAfter: string | null;
  scope: string;
  signedOn: string;
}

export interface SnapshotTerm {
  no: number;
  description: string;
  progressPercent: string;
  amount: string;
}

export interface SnapshotContract {
  id: string;
  tenderId: string | null;
  vendorId: string;
  sppbjNumber: string;
  sppbjDate: string;
  number: string | null;
  signedOn: string | null;
  type: "lump_sum" | "harga_satuan" | "gabungan";
  originalValue: string;
  value: string;
  startDate: string | null;
  endDate: string | null;
  status: "sppbj" | "signed" | "terminated" | "completed" | "cancelled";
  catalogueRef: string;
  terminationReason: string;
  /** e-Monev: a payment has been made on the contract (the OPD is then its payer, the vendor its payee). */
  paid?: boolean;
  amendments: SnapshotAmendment[];
  terms: SnapshotTerm[];
}

export interface SnapshotVendor {
  id: string;
  npwp: string;
  nib: string;
  name: string;
  address: string;
}

/** A winner announcement already made: the bid named (every winner ever named keeps its award). */
export interface SnapshotWinner {
  tenderId: string;
  bidId: string;
  /** When the winner was announced (the WinnerAnnounced event's moment). */
  at: string;
}

export interface ProcessSnapshot {
  tenant: SnapshotTenant;
  package: SnapshotPackage;
  opd: { code: string; name: string };
  subActivity: SnapshotSubActivity | null;
  rule: SnapshotRule | null;
  lines: SnapshotLine[];
  proposals: SnapshotProposal[];
  locations: SnapshotLocation[];
  tenders: SnapshotTender[];
  contracts: SnapshotContract[];
  vendors: SnapshotVendor[];
  /** Winner announcements of the process, in the order they were made (this event's included). */
  winners: SnapshotWinner[];
  /** The id of the ocid's latest release before this one (what an amendment amends); null for the first. */
  previousReleaseId: string | null;
}
