import type { EntityManager } from "@mikro-orm/postgresql";
import { D, type Dec } from "../../domain/kernel/money";
import { pgArray } from "../../domain/kernel/pg";
import { formatRupiah, wibDate } from "../../domain/kernel/rupiah-text";
import { PROCUREMENT_METHOD } from "./mapping/codes";
import { amountDecimal } from "./mapping/values";
import { mergerFor } from "./merge";
import { storedCompiled, storedRecordsPage } from "./records";
import { RED_FLAG_RULES, type RedFlagRules } from "./red-flag-rules";
import { loadOcdsSchemas, type Json, type JsonObject } from "./schema";

/**
 * Red flags for the public (issue #9, item 6): signs in a contracting process that deserve a second look,
 * computed from the compiled open contracting records alone — what the OCDS API and the bulk files give
 * anyone — so that anyone can reproduce them, each with its explanation in plain Indonesian and the data
 * behind it (the values and their paths in the compiled release). A red flag is a reason to look, never a
 * finding of wrongdoing. Thresholds come from data (red-flag-rules.json; the pengadaan langsung ceilings
 * from the method rules), never from literals here.
 *
 * How the compiled release is read (Jejak's mapping, exports/ocds/mapping.ts, writes it this way; another
 * publisher's data reads the same where it follows the standard):
 *   - the method: `tender.procurementMethodDetails` names the metode pemilihan ("Tender (pascakualifikasi)",
 *     "Pengadaan Langsung"…); competitive means `tender.procurementMethod` open or selective;
 *   - the kind: `tender.mainProcurementCategory` (+ "consultingServices" for konsultansi);
 *   - the HPS: `tender.value`; the submission period: `tender.tenderPeriod`;
 *   - the bids (bid extension): `bids.details[]`. After a retender the compiled release also keeps the
 *     earlier selections' bids; the current selection's are those dated from its announcement (the earliest
 *     of its tender period's start and its milestones' dates — milestone ids start with the tender id);
 *   - the winner: an award not cancelled whose `relatedBids` names one of those bids;
 *   - contracts: `contracts[].value` against their award's value, `contracts[].amendments`.
 */

export type RedFlagCode =
  | "short-submission-period"
  | "single-bid"
  | "identical-bid-prices"
  | "late-bid-won"
  | "others-disqualified"
  | "lowest-bid-disqualified"
  | "price-near-hps"
  | "amendment-increase"
  | "package-splitting"
  | "kontrak-kritis";

/** One value a flag rests on: where it is (the process's ocid and the path in its compiled release). */
export interface Evidence {
  /** The process whose compiled release holds the value; null for Jejak's own rules data. */
  ocid: string | null;
  /** The path in the compiled release (e.g. "bids.details[2].value.amount"), or the rules data's row. */
  path: string;
  value: Json;
  /** What the value is, in Indonesian. */
  label: string;
}

export interface RedFlag {
  code: RedFlagCode;
  /** The process the flag is raised on. */
  ocid: string;
  title: string;
  explanation: string;
  evidence: Evidence[];
  /** The rule or practice the threshold comes from. */
  source: string;
  /** Other processes the flag involves (package splitting). */
  related?: string[];
}

/** The title of each flag, for lists and legends. */
export const RED_FLAG_TITLES: Record<RedFlagCode, string> = {
  "short-submission-period": "Masa pemasukan penawaran terlalu singkat",
  "single-bid": "Hanya satu penawaran dalam tender",
  "identical-bid-prices": "Harga penawaran sama persis",
  "late-bid-won": "Penawaran yang masuk terlambat menang",
  "others-disqualified": "Semua penawaran lain digugurkan",
  "lowest-bid-disqualified": "Penawaran terendah digugurkan",
  "price-near-hps": "Harga pemenang hampir sama dengan HPS",
  "amendment-increase": "Nilai kontrak naik lewat adendum",
  "package-splitting": "Dugaan pemecahan paket",
  "kontrak-kritis": "Kontrak kritis",
};

/** A pengadaan langsung ceiling in force for a kind between two dates (a row of `method_rule`). */
export interface CeilingRule {
  id: string;
  kind: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  maxValue: string | null;
  regulation: string;
  article: string;
}

/**
 * A contract's physical progress on a date (planned against actual), read from its compiled release: by
 * default the latest verified progress report milestone that carries Jejak's `physicalProgress`
 * (reportedProgress below); a caller may give another reading.
 */
export interface ProgressSignal {
  asOf: string;
  plannedPercent: string;
  actualPercent: string;
  /** Where the figures were read (a path in the compiled release, e.g. contracts[0].implementation…). */
  path: string;
}

export interface FlagContext {
  rules?: RedFlagRules;
  /** Where a contract's progress is read (default: reportedProgress). */
  progress?: (ocid: string, contract: JsonObject, index: number) => ProgressSignal | null;
}

/**
 * The latest progress report of a contract in its compiled release: the reporting milestone of
 * `implementation.milestones` with Jejak's `physicalProgress` (actual and planned) and the latest due
 * date (the end of the period reported); null when the contract has none.
 */
export function reportedProgress(_ocid: string, contract: JsonObject, index: number): ProgressSignal | null {
  const impl = contract.implementation;
  if (!isObject(impl)) return null;
  let best: ProgressSignal | null = null;
  objects(impl.milestones).forEach((m, j) => {
    const p = m.physicalProgress;
    const due = text(m.dueDate);
    if (m.type !== "reporting" || !isObject(p) || typeof p.actual !== "number" || typeof p.planned !== "number" || !due) return;
    if (best && due <= best.asOf) return;
    best = { asOf: due, plannedPercent: String(p.planned), actualPercent: String(p.actual), path: `contracts[${index}].implementation.milestones[${j}].physicalProgress.actual` };
  });
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Reading the compiled release

const DAY = 86_400_000;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: Json | undefined): string | null => (typeof v === "string" && v !== "" ? v : null);
const amountOf = (v: Json | undefined): Dec | null => (isObject(v) && typeof v.amount === "number" && Number.isFinite(v.amount) ? amountDecimal(v.amount) : null);
const rp = (d: Dec) => formatRupiah(d.toFixed(2));
const moment = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${dayText(wibDate(iso))} ${d.slice(11, 13)}.${d.slice(14, 16)} WIB`;
};
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
const dayText = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
/** A decimal for people: "2,5", "10", "0,75". */
const num = (d: Dec, places = 2) => d.toFixed(places).replace(/\.?0+$/, "").replace(".", ",");
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY);
const nameOf = (c: JsonObject, ref: Json | undefined): string => {
  const id = isObject(ref) ? text(ref.id) : null;
  const party = objects(c.parties).find((p) => p.id === id);
  return text(party?.name) ?? (isObject(ref) ? text(ref.name) : null) ?? id ?? "?";
};

// Longest names first: "Tender Cepat" before "Tender".
const METHOD_NAMES = Object.entries(PROCUREMENT_METHOD)
  .map(([method, m]) => ({ method, details: m.details, qualified: `${m.details} (` }))
  .sort((a, b) => b.details.length - a.details.length);

/** The metode pemilihan named by `tender.procurementMethodDetails`, or null. */
export function methodOf(c: JsonObject): string | null {
  const details = isObject(c.tender) ? text(c.tender.procurementMethodDetails) : null;
  if (!details) return null;
  return METHOD_NAMES.find((m) => details === m.details || details.startsWith(m.qualified))?.method ?? null;
}

/** The jenis pengadaan of `tender.mainProcurementCategory`, or null. */
export function kindOf(c: JsonObject): string | null {
  const t = isObject(c.tender) ? c.tender : {};
  const extra = Array.isArray(t.additionalProcurementCategories) ? t.additionalProcurementCategories : [];
  switch (t.mainProcurementCategory) {
    case "goods":
      return "barang";
    case "works":
      return "konstruksi";
    case "services":
      return extra.includes("consultingServices") ? "konsultansi" : "jasa_lainnya";
    default:
      return null;
  }
}

interface Bid {
  index: number;
  bid: JsonObject;
  path: string;
  price: Dec | null;
  tenderer: string | null;
}

/** The current selection's bids (see the module comment). */
function currentBids(c: JsonObject): Bid[] {
  const t = isObject(c.tender) ? c.tender : {};
  const tenderId = text(t.id);
  const starts: number[] = [];
  const period = isObject(t.tenderPeriod) ? t.tenderPeriod : {};
  if (text(period.startDate)) starts.push(Date.parse(period.startDate as string));
  for (const m of objects(t.milestones)) {
    if (!tenderId || !String(m.id ?? "").startsWith(`${tenderId}-`)) continue;
    const d = text(m.dateMet);
    if (d) starts.push(Date.parse(d));
  }
  const from = starts.filter(Number.isFinite).length ? Math.min(...starts.filter(Number.isFinite)) : null;
  const details = isObject(c.bids) ? objects(c.bids.details) : [];
  return details
    .map((bid, index) => ({
      index,
      bid,
      path: `bids.details[${index}]`,
      price: amountOf(bid.value),
      tenderer: objects(bid.tenderers)[0] ? text(objects(bid.tenderers)[0].id) : null,
    }))
    .filter((b) => from === null || !text(b.bid.date) || Date.parse(b.bid.date as string) >= from)
    .filter((b) => b.bid.status !== "withdrawn");
}

interface Winner {
  award: JsonObject;
  awardPath: string;
  bid: Bid;
}

/** The current selection's winner: an award not cancelled that names one of its bids. */
function winnerOf(c: JsonObject, bids: Bid[]): Winner | null {
  const awards = objects(c.awards);
  for (let i = 0; i < awards.length; i++) {
    const a = awards[i];
    if (a.status !== "active" && a.status !== "pending") continue;
    const related = Array.isArray(a.relatedBids) ? a.relatedBids : [];
    const bid = bids.find((b) => related.includes(b.bid.id as Json));
    if (bid) return { award: a, awardPath: `awards[${i}]`, bid };
  }
  return null;
}

const competitive = (c: JsonObject) => isObject(c.tender) && (c.tender.procurementMethod === "open" || c.tender.procurementMethod === "selective");

// ---------------------------------------------------------------------------------------------------
// The flags of one process

/** Every flag of one process that its own compiled release shows (package splitting needs the others: see splittingFlags). */
export function processFlags(c: JsonObject, ctx: FlagContext = {}): RedFlag[] {
  const rules = ctx.rules ?? RED_FLAG_RULES;
  const ocid = String(c.ocid ?? "");
  const out: RedFlag[] = [];
  const flag = (code: RedFlagCode, explanation: string, evidence: Omit<Evidence, "ocid">[], source: string) =>
    out.push({ code, ocid, title: RED_FLAG_TITLES[code], explanation, evidence: evidence.map((e) => ({ ocid, ...e })), source });
  const t = isObject(c.tender) ? c.tender : null;
  const method = methodOf(c);
  const details = t ? (text(t.procurementMethodDetails) ?? "?") : "?";
  const bids = t ? currentBids(c) : [];
  const winner = winnerOf(c, bids);

  // Submission period shorter than the method's minimum.
  const periodRule = rules.submissionPeriods.find((r) => r.method === method);
  const period = t && isObject(t.tenderPeriod) ? t.tenderPeriod : null;
  if (periodRule && period && text(period.startDate) && text(period.endDate)) {
    const start = period.startDate as string;
    const end = period.endDate as string;
    const days = new D(Date.parse(end) - Date.parse(start)).div(DAY);
    if (days.lt(periodRule.minDays))
      flag(
        "short-submission-period",
        `Penawaran hanya dapat dimasukkan selama ${num(days, 1)} hari (${moment(start)} s.d. ${moment(end)}), lebih singkat dari ${periodRule.minDays} hari kalender untuk metode ${details}. Masa yang singkat menyulitkan penyedia lain menyiapkan penawaran, sehingga persaingan berkurang.`,
        [
          { path: "tender.tenderPeriod.startDate", value: start, label: "Awal pemasukan penawaran" },
          { path: "tender.tenderPeriod.endDate", value: end, label: "Batas akhir pemasukan penawaran" },
          { path: "tender.procurementMethodDetails", value: details, label: "Metode pemilihan" },
        ],
        `${periodRule.regulation} ${periodRule.article}`,
      );
  }

  // A single bid in a competitive tender.
  if (t && competitive(c)) {
    // The current selection's bidders; `numberOfTenderers` only for data without the bid extension (after a
    // retender the compiled release may still carry the earlier selection's count until the new opening).
    const withBids = isObject(c.bids) && objects(c.bids.details).length > 0;
    const tenderers = withBids ? new Set(bids.map((b) => b.tenderer)).size : typeof t.numberOfTenderers === "number" ? t.numberOfTenderers : null;
    if (tenderers === 1) {
      const only = bids[0];
      flag(
        "single-bid",
        `Pemilihan ini terbuka untuk semua penyedia (${details}), tetapi hanya satu penyedia yang memasukkan penawaran${only ? `: ${nameOf(c, objects(only.bid.tenderers)[0])}` : ""}. Tanpa pesaing, harga dan mutu penawaran tidak teruji oleh persaingan.`,
        [
          { path: "tender.procurementMethod", value: t.procurementMethod ?? null, label: "Jenis metode (OCDS)" },
          ...(withBids ? [] : [{ path: "tender.numberOfTenderers", value: tenderers, label: "Jumlah peserta yang menawar" }]),
          ...(only ? [{ path: `${only.path}.tenderers[0].id`, value: objects(only.bid.tenderers)[0]?.id ?? null, label: "Satu-satunya penawar" }] : []),
        ],
        "Praktik tanda bahaya pengadaan (opentender.net ICW; Open Contracting Partnership): penawar tunggal.",
      );
    }
  }

  // Identical bid prices from different tenderers.
  const byPrice = new Map<string, Bid[]>();
  for (const b of bids) if (b.price) byPrice.set(b.price.toFixed(2), [...(byPrice.get(b.price.toFixed(2)) ?? []), b]);
  const same = [...byPrice.values()].filter((g) => new Set(g.map((b) => b.tenderer)).size >= 2);
  if (same.length)
    flag(
      "identical-bid-prices",
      `${same.map((g) => `${g.length} penyedia (${g.map((b) => nameOf(c, objects(b.bid.tenderers)[0])).join(", ")}) menawar dengan harga yang sama persis, ${rp(g[0].price!)}`).join("; ")}. Harga yang sama sampai ke rupiah terakhir jarang terjadi kebetulan dan bisa menandakan penawaran yang diatur bersama.`,
      same.flatMap((g) => g.map((b) => ({ path: `${b.path}.value.amount`, value: (b.bid.value as JsonObject).amount, label: `Harga penawaran ${nameOf(c, objects(b.bid.tenderers)[0])}` }))),
      "Praktik tanda bahaya pengadaan (Open Contracting Partnership): harga penawaran identik.",
    );

  // The winning bid came in after the deadline.
  if (winner && period && text(period.endDate) && text(winner.bid.bid.date) && Date.parse(winner.bid.bid.date as string) > Date.parse(period.endDate as string))
    flag(
      "late-bid-won",
      `Penawaran pemenang (${nameOf(c, objects(winner.award.suppliers)[0])}) tercatat masuk ${moment(winner.bid.bid.date as string)}, setelah batas akhir pemasukan penawaran ${moment(period.endDate as string)}. Penawaran yang terlambat seharusnya tidak dievaluasi.`,
      [
        { path: `${winner.bid.path}.date`, value: winner.bid.bid.date as string, label: "Waktu masuk penawaran pemenang" },
        { path: "tender.tenderPeriod.endDate", value: period.endDate as string, label: "Batas akhir pemasukan penawaran" },
        { path: `${winner.awardPath}.relatedBids`, value: winner.award.relatedBids ?? null, label: "Penawaran yang menang" },
      ],
      "Praktik tanda bahaya pengadaan (Open Contracting Partnership): penawaran terlambat diterima.",
    );

  // Every bid but the winner's disqualified.
  const others = winner ? bids.filter((b) => b !== winner.bid) : [];
  if (winner && others.length && others.every((b) => b.bid.status === "disqualified"))
    flag(
      "others-disqualified",
      `Dari ${bids.length} penawaran, semua kecuali milik pemenang (${nameOf(c, objects(winner.award.suppliers)[0])}) digugurkan. Pengguguran semua pesaing bisa wajar, tetapi juga bisa menandakan persyaratan atau evaluasi yang mengarah ke satu penyedia; alasannya tercantum di setiap penawaran.`,
      [
        { path: `${winner.bid.path}.status`, value: winner.bid.bid.status ?? null, label: "Status penawaran pemenang" },
        ...others.map((b) => ({ path: `${b.path}.status`, value: b.bid.status ?? null, label: `Status penawaran ${nameOf(c, objects(b.bid.tenderers)[0])}` })),
      ],
      "Praktik tanda bahaya pengadaan (Open Contracting Partnership): semua penawar lain digugurkan.",
    );

  // The lowest bid disqualified (while another bid stayed valid).
  const priced = bids.filter((b) => b.price);
  if (priced.length >= 2 && priced.some((b) => b.bid.status === "valid")) {
    const lowest = priced.reduce((m, b) => (b.price!.lt(m) ? b.price! : m), priced[0].price!);
    const atLowest = priced.filter((b) => b.price!.eq(lowest));
    if (atLowest.every((b) => b.bid.status === "disqualified")) {
      const b = atLowest[0];
      const reason = text(b.bid.description);
      flag(
        "lowest-bid-disqualified",
        `Penawaran terendah, ${rp(lowest)} dari ${nameOf(c, objects(b.bid.tenderers)[0])}, digugurkan${winner ? `, dan pemenangnya menawar ${rp(winner.bid.price ?? lowest)}` : ""}. Alasan pengguguran perlu diperiksa: selisihnya dibayar dari uang publik.`,
        [
          { path: `${b.path}.value.amount`, value: (b.bid.value as JsonObject).amount, label: "Harga penawaran terendah" },
          { path: `${b.path}.status`, value: b.bid.status ?? null, label: "Status penawaran terendah" },
          ...(reason ? [{ path: `${b.path}.description`, value: reason, label: "Keterangan penawaran (alasan)" }] : []),
          ...(winner?.bid.price ? [{ path: `${winner.bid.path}.value.amount`, value: (winner.bid.bid.value as JsonObject).amount, label: "Harga penawaran pemenang" }] : []),
        ],
        "Praktik tanda bahaya pengadaan (Open Contracting Partnership): penawaran terendah digugurkan.",
      );
    }
  }

  // The winning price within a small share of the HPS.
  const hps = t ? amountOf(t.value) : null;
  const price = winner ? amountOf(winner.award.value) : null;
  if (winner && hps && price && hps.gt(0)) {
    const gap = hps.minus(price);
    if (gap.lte(hps.times(rules.hpsProximityPercent).div(100)))
      flag(
        "price-near-hps",
        `Harga pemenang ${rp(price)} ${gap.lt(0) ? `${num(gap.neg().div(hps).times(100))}% di atas` : `hanya ${num(gap.div(hps).times(100))}% di bawah`} HPS ${rp(hps)} (batas ${num(new D(rules.hpsProximityPercent))}%). HPS adalah perkiraan harga pemilik pekerjaan; dalam persaingan yang sehat harga pemenang biasanya lebih jauh di bawahnya.`,
        [
          { path: `${winner.awardPath}.value.amount`, value: (winner.award.value as JsonObject).amount, label: "Nilai penetapan pemenang" },
          { path: "tender.value.amount", value: (t!.value as JsonObject).amount, label: "HPS" },
        ],
        rules.hpsProximitySource,
      );
  }

  // Contract value raised by amendments beyond the share allowed.
  const awards = objects(c.awards);
  objects(c.contracts).forEach((k, i) => {
    if (!objects(k.amendments).length || k.status === "cancelled") return;
    const ai = awards.findIndex((a) => a.id === k.awardID);
    const base = ai >= 0 ? amountOf(awards[ai].value) : null;
    const now = amountOf(k.value);
    if (!base || !now || !base.gt(0)) return;
    const rise = now.minus(base);
    if (rise.gt(base.times(rules.amendmentIncreasePercent).div(100)))
      flag(
        "amendment-increase",
        `Nilai kontrak ${text(k.title) ?? ""} kini ${rp(now)}, naik ${rp(rise)} (${num(rise.div(base).times(100))}%) dari nilai penetapan pemenang ${rp(base)} setelah ${objects(k.amendments).length} adendum. Pekerjaan tambah paling banyak ${num(new D(rules.amendmentIncreasePercent))}% dari nilai kontrak awal.`.replace(/ {2,}/g, " "),
        [
          { path: `contracts[${i}].value.amount`, value: (k.value as JsonObject).amount, label: "Nilai kontrak sekarang" },
          { path: `awards[${ai}].value.amount`, value: (awards[ai].value as JsonObject).amount, label: "Nilai penetapan pemenang" },
          ...objects(k.amendments).map((a, j) => ({ path: `contracts[${i}].amendments[${j}].description`, value: a.description ?? null, label: `Adendum ${String(a.id ?? j + 1)}` })),
        ],
        rules.amendmentIncreaseSource,
      );
  });

  // Kontrak kritis: an active contract's latest verified physical progress behind its plan (kurva S).
  {
    const k = rules.kontrakKritis;
    const progress = ctx.progress ?? reportedProgress;
    objects(c.contracts).forEach((contract, i) => {
      if (contract.status !== "active") return;
      const s = progress(ocid, contract, i);
      if (!s) return;
      const planned = new D(s.plannedPercent);
      const lag = planned.minus(s.actualPercent);
      const limit = planned.lte(k.planBoundaryPercent) ? k.lagUpToBoundaryPercent : k.lagAfterBoundaryPercent;
      if (lag.gt(limit))
        flag(
          "kontrak-kritis",
          `Per ${dayText(wibDate(s.asOf))} progres fisik ${num(new D(s.actualPercent))}% tertinggal ${num(lag)}% dari rencana ${num(planned)}% (batas ${num(new D(limit))}% pada tahap ini). Kontrak kritis harus ditangani dengan rapat pembuktian (show cause meeting).`,
          [
            { path: `${s.path}`, value: s.actualPercent, label: "Progres fisik" },
            { path: `contracts[${i}].id`, value: contract.id ?? null, label: "Kontrak" },
          ],
          k.source,
        );
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Package splitting: across processes

/** A pengadaan langsung purchase, as splitting needs it (small: kept for every such process of a tenant). */
export interface DirectPurchase {
  ocid: string;
  buyer: string;
  buyerName: string;
  supplier: string;
  supplierName: string;
  kind: string;
  /** The award's date, a day in WIB. */
  day: string;
  value: Dec;
  valueText: Json;
  awardPath: string;
}

/** The pengadaan langsung purchases of a process (its awards not cancelled). */
export function directPurchases(c: JsonObject): DirectPurchase[] {
  if (methodOf(c) !== "pengadaan_langsung") return [];
  const kind = kindOf(c);
  const buyer = isObject(c.buyer) ? text(c.buyer.id) : null;
  if (!kind || !buyer) return [];
  const out: DirectPurchase[] = [];
  objects(c.awards).forEach((a, i) => {
    if (a.status !== "active") return;
    const supplier = objects(a.suppliers)[0];
    const value = amountOf(a.value);
    const date = text(a.date) ?? text(objects(c.contracts).find((k) => k.awardID === a.id)?.dateSigned);
    if (!supplier || !text(supplier.id) || !value || !date) return;
    out.push({
      ocid: String(c.ocid ?? ""),
      buyer,
      buyerName: nameOf(c, c.buyer),
      supplier: supplier.id as string,
      supplierName: nameOf(c, supplier),
      kind,
      day: wibDate(date),
      value,
      valueText: (a.value as JsonObject).amount,
      awardPath: `awards[${i}]`,
    });
  });
  return out;
}

/** The pengadaan langsung ceiling in force on a day for a kind, or null. */
export function ceilingOn(ceilings: readonly CeilingRule[], kind: string, day: string): CeilingRule | null {
  return ceilings.find((r) => r.kind === kind && r.maxValue !== null && r.effectiveFrom <= day && (r.effectiveTo === null || day <= r.effectiveTo)) ?? null;
}

/**
 * Package splitting: pengadaan langsung purchases by one buyer from one supplier, of one kind, at most
 * `splittingWindowDays` apart, together above the pengadaan langsung ceiling in force on the latest of
 * them. Each process in such a group gets the flag once (the first group it falls in, by date).
 */
export function splittingFlags(purchases: readonly DirectPurchase[], ceilings: readonly CeilingRule[], rules: RedFlagRules = RED_FLAG_RULES): RedFlag[] {
  const groups = new Map<string, DirectPurchase[]>();
  for (const p of purchases) {
    const key = `${p.buyer}\u0000${p.supplier}\u0000${p.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: RedFlag[] = [];
  const flagged = new Set<string>();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.ocid < b.ocid ? -1 : 1));
    let lastEnd = -1;
    for (let i = 0; i < list.length; i++) {
      let j = i;
      while (j + 1 < list.length && dayNumber(list[j + 1].day) - dayNumber(list[i].day) <= rules.splittingWindowDays) j++;
      if (j === i || j <= lastEnd) continue;
      const group = list.slice(i, j + 1);
      const rule = ceilingOn(ceilings, group[0].kind, group[group.length - 1].day);
      if (!rule) continue;
      const total = group.reduce((s, p) => s.plus(p.value), new D(0));
      const ceiling = new D(rule.maxValue!);
      if (!total.gt(ceiling)) continue;
      lastEnd = j;
      const first = group[0];
      const span = dayNumber(group[group.length - 1].day) - dayNumber(first.day);
      const explanation = `${first.buyerName} membeli dari ${first.supplierName} lewat ${group.length} pengadaan langsung ${span === 0 ? `pada ${dayText(first.day)}` : `dalam ${span} hari (${dayText(first.day)} s.d. ${dayText(group[group.length - 1].day)})`}, seluruhnya ${rp(total)}: di atas batas pengadaan langsung ${rp(ceiling)} (${rule.regulation} ${rule.article}). Pekerjaan yang dipecah menjadi paket-paket kecil menghindari tender yang terbuka untuk semua penyedia.`;
      const evidence: Evidence[] = [
        ...group.flatMap((p) => [
          { ocid: p.ocid, path: `${p.awardPath}.value.amount`, value: p.valueText, label: `Nilai pembelian ${dayText(p.day)}` },
          { ocid: p.ocid, path: `${p.awardPath}.date`, value: p.day, label: "Tanggal penetapan (WIB)" },
          { ocid: p.ocid, path: `${p.awardPath}.suppliers[0].id`, value: p.supplier, label: "Penyedia" },
          { ocid: p.ocid, path: "buyer.id", value: p.buyer, label: "Pembeli (OPD)" },
        ]),
        { ocid: null, path: `method-rules.csv#${rule.id}`, value: rule.maxValue, label: "Batas pengadaan langsung" },
      ];
      for (const p of group) {
        if (flagged.has(p.ocid)) continue;
        flagged.add(p.ocid);
        out.push({
          code: "package-splitting",
          ocid: p.ocid,
          title: RED_FLAG_TITLES["package-splitting"],
          explanation,
          evidence,
          source: rules.splittingSource,
          related: group.map((x) => x.ocid).filter((o) => o !== p.ocid),
        });
      }
    }
  }
  return out;
}

/** Every flag of a set of compiled releases (one per process). */
export function redFlags(compiled: readonly JsonObject[], ceilings: readonly CeilingRule[], ctx: FlagContext = {}): RedFlag[] {
  const flags = compiled.flatMap((c) => processFlags(c, ctx));
  return [...flags, ...splittingFlags(compiled.flatMap(directPurchases), ceilings, ctx.rules)];
}

// ---------------------------------------------------------------------------------------------------
// From the database

/** The pengadaan langsung ceilings (`method_rule`). */
export async function loadCeilings(em: EntityManager): Promise<CeilingRule[]> {
  const rows = await em.execute<{ id: string; kind: string; effective_from: string; effective_to: string | null; max_value: string | null; regulation: string; article: string }[]>(
    `select id, kind, to_char(effective_from, 'YYYY-MM-DD') as effective_from, to_char(effective_to, 'YYYY-MM-DD') as effective_to, max_value::text as max_value, regulation, article
       from method_rule where method = 'pengadaan_langsung' order by effective_from, id`,
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, maxValue: r.max_value, regulation: r.regulation, article: r.article }));
}

/**
 * Every red flag of a tenant's processes, from their stored compiled releases (`ocds_record`, records.ts):
 * read a page at a time (`batch` records, newest process first), each flagged, then dropped; only the
 * pengadaan langsung purchases are kept until the end for package splitting.
 */
export async function tenantRedFlags(em: EntityManager, tenant: string, opts: { batch?: number; ctx?: FlagContext } = {}): Promise<{ processes: number; flags: RedFlag[] }> {
  const ceilings = await loadCeilings(em);
  const flags: RedFlag[] = [];
  const purchases: DirectPurchase[] = [];
  let processes = 0;
  let before: string | null = null;
  const size = opts.batch ?? 500;
  do {
    const page = await storedRecordsPage(em, tenant, before, size);
    for (const rec of page.records) {
      const compiled = JSON.parse(rec.compiled) as JsonObject;
      processes++;
      flags.push(...processFlags(compiled, opts.ctx));
      purchases.push(...directPurchases(compiled));
    }
    before = page.next;
  } while (before !== null);
  flags.push(...splittingFlags(purchases, ceilings, opts.ctx?.rules));
  return { processes, flags };
}

/**
 * The flags of one process, for its public page: its own, and package splitting among the pengadaan
 * langsung processes of the same buyer (the other processes are read only when this one is a purchase).
 */
export async function processRedFlags(em: EntityManager, tenant: string, ocid: string, ctx: FlagContext = {}): Promise<RedFlag[]> {
  const merger = mergerFor(loadOcdsSchemas().release);
  const stored = await storedCompiled(em, tenant, ocid);
  let compiled: JsonObject;
  if (stored !== null) compiled = JSON.parse(stored) as JsonObject;
  else {
    // Not stored yet (a database published before ocds_record and not yet synced): compiled from its releases.
    const own = await em.execute<{ data: string }[]>("select data::text as data from ocds_release where tenant_code = ? and ocid = ? order by seq", [tenant, ocid]);
    if (!own.length) return [];
    compiled = merger.compiledRelease(own.map((r) => JSON.parse(r.data) as JsonObject));
  }
  const flags = processFlags(compiled, ctx);
  const mine = directPurchases(compiled);
  if (!mine.length) return flags;
  // The other pengadaan langsung processes of the buyer that could share a 30-day window with this one: their
  // releases name the buyer, the method and one of the same suppliers, and are dated within 31 days of this
  // process's purchases (the date index narrows the search first; a page never reads the OPD's whole year).
  const days = mine.map((m) => m.day).sort();
  const rows = await em.execute<{ ocid: string; data: string }[]>(
    `select r.ocid, r.data::text as data from ocds_release r
      where r.tenant_code = ? and r.ocid in (
        select x.ocid from ocds_release x
         where x.tenant_code = ? and x.ocid <> ? and x.date >= ?::date - 31 and x.date < ?::date + 32
           and x.data->'buyer'->>'id' = ? and x.data->'tender'->>'procurementMethodDetails' = ?
           and exists (select 1 from json_array_elements(coalesce(x.data->'awards', '[]'::json)) a, json_array_elements(coalesce(a->'suppliers', '[]'::json)) s
                        where s->>'id' = any(?::text[])))
      order by r.seq`,
    [tenant, tenant, ocid, days[0], days[days.length - 1], mine[0].buyer, PROCUREMENT_METHOD.pengadaan_langsung.details, pgArray([...new Set(mine.map((m) => m.supplier))])],
  );
  const byOcid = new Map<string, JsonObject[]>();
  for (const r of rows) byOcid.set(r.ocid, [...(byOcid.get(r.ocid) ?? []), JSON.parse(r.data) as JsonObject]);
  const purchases = [...mine, ...[...byOcid.values()].flatMap((rs) => directPurchases(merger.compiledRelease(rs)))];
  return [...flags, ...splittingFlags(purchases, await loadCeilings(em), ctx.rules).filter((f) => f.ocid === ocid)];
}

/**
 * The red flags of a tenant's processes counted per fiscal year of their package and per flag (the public
 * dashboard's figures): `tenantRedFlags`, each process's year looked up once.
 */
export async function redFlagCountsByYear(em: EntityManager, tenant: string): Promise<Map<number, Map<RedFlagCode, number>>> {
  const { flags } = await tenantRedFlags(em, tenant, { batch: 100 });
  const ocids = [...new Set(flags.map((f) => f.ocid))];
  const years = new Map<string, number>();
  if (ocids.length) {
    const rows = await em.execute<{ ocid: string; y: number }[]>(
      "select o.ocid, p.fiscal_year::int as y from ocds_process o join proc_package p on p.id = o.package_id where o.tenant_code = ? and o.ocid = any(?::text[])",
      [tenant, pgArray(ocids)],
    );
    for (const r of rows) years.set(r.ocid, r.y);
  }
  const byYear = new Map<number, Map<RedFlagCode, number>>();
  for (const f of flags) {
    const y = years.get(f.ocid);
    if (y === undefined) continue;
    const m = byYear.get(y) ?? new Map<RedFlagCode, number>();
    m.set(f.code, (m.get(f.code) ?? 0) + 1);
    byYear.set(y, m);
  }
  return byYear;
}
