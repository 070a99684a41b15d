import type { Role } from "../identity/roles";
import { defineMachine, type Machine } from "../kernel/machine";
import type { Method } from "./vocabulary";

export const TENDER_STATUSES = ["draft", "announced", "opened", "evaluated", "winner_announced", "sppbj", "contracted", "failed", "cancelled"] as const;
export type TenderStatus = (typeof TENDER_STATUSES)[number];
export const TENDER_ACTIONS = ["announce", "amend", "open", "evaluate", "announceWinner", "reevaluate", "issueSppbj", "signContract", "fail", "cancel"] as const;
export type TenderAction = (typeof TENDER_ACTIONS)[number];

/** What the guards need to know: each is a refusal key, or null when the step may happen now. */
export interface TenderCtx {
  /** announce: schedule, HPS, Pokja, RUP in order. */
  notReady: string | null;
  /** amend: only before the bid deadline. */
  pastDeadline: string | null;
  /** open: only at or after the opening time. */
  beforeOpening: string | null;
  /** evaluate: every Pokja member has signed the pakta integritas and every bid has a result. */
  evaluationIncomplete: string | null;
  /** announceWinner: a bid passed every stage. */
  noWinner: string | null;
  /** issueSppbj: the sanggah (and for construction the banding) period is over and answered, none upheld. */
  objectionsOpen: string | null;
  /** fail / cancel: a reason is given. */
  noReason: string | null;
}

type M = Machine<TenderStatus, TenderAction, TenderCtx, Role>;
const POKJA: Role[] = ["pokja_member"];
const PPK: Role[] = ["procurement_officer"];
const closing = (methodName: string) =>
  [
    { action: "fail", from: ["opened", "evaluated", "winner_announced"], to: "failed", roles: POKJA, guard: (c: TenderCtx) => c.noReason, event: "TenderFailed" },
    { action: "cancel", from: ["draft", "announced", "opened", "evaluated", "winner_announced", "sppbj"], to: "cancelled", roles: [...PPK, ...POKJA], guard: (c: TenderCtx) => c.noReason, event: "TenderCancelled" },
    { action: "signContract", from: ["sppbj"], to: "contracted", roles: PPK, event: `${methodName}Contracted` },
  ] as const;

/**
 * Tender (goods, construction, other services) and seleksi (consultancy): announced with the dokumen
 * pemilihan, HPS and per-stage schedule → questions and addenda (aanwijzing) → sealed bids until the
 * deadline → opening → evaluation (administrasi, teknis, harga, kualifikasi) → winner announced → sanggah
 * (and sanggah banding for construction) → SPPBJ → contract. A tender fails (gagal) or is cancelled
 * (batal) with a reason; a retender is a new attempt on the same package.
 */
export const tenderMachine: M = defineMachine("procure.tender", TENDER_STATUSES, TENDER_ACTIONS, [
  { action: "announce", from: ["draft"], to: "announced", roles: POKJA, guard: (c) => c.notReady, event: "TenderAnnounced" },
  { action: "amend", from: ["announced"], to: "announced", roles: POKJA, guard: (c) => c.pastDeadline, event: "TenderAmended" },
  { action: "open", from: ["announced"], to: "opened", roles: POKJA, guard: (c) => c.beforeOpening, event: "TenderOpened" },
  { action: "evaluate", from: ["opened"], to: "evaluated", roles: POKJA, guard: (c) => c.evaluationIncomplete, event: "TenderEvaluated" },
  { action: "announceWinner", from: ["evaluated"], to: "winner_announced", roles: POKJA, guard: (c) => c.noWinner, event: "WinnerAnnounced" },
  { action: "reevaluate", from: ["evaluated", "winner_announced"], to: "opened", roles: POKJA, guard: (c) => c.noReason, event: "TenderReevaluated" },
  { action: "issueSppbj", from: ["winner_announced"], to: "sppbj", roles: PPK, guard: (c) => c.objectionsOpen, event: "Awarded" },
  ...closing("Tender"),
]);

/**
 * Tender cepat: the same without aanwijzing questions and without sanggah — bidders are already
 * qualified (SIKaP), they send a price only, and the lowest price wins.
 */
export const tenderCepatMachine: M = defineMachine("procure.tenderCepat", TENDER_STATUSES, TENDER_ACTIONS, [
  { action: "announce", from: ["draft"], to: "announced", roles: POKJA, guard: (c) => c.notReady, event: "TenderAnnounced" },
  { action: "amend", from: ["announced"], to: "announced", roles: POKJA, guard: (c) => c.pastDeadline, event: "TenderAmended" },
  { action: "open", from: ["announced"], to: "opened", roles: POKJA, guard: (c) => c.beforeOpening, event: "TenderOpened" },
  { action: "evaluate", from: ["opened"], to: "evaluated", roles: POKJA, guard: (c) => c.evaluationIncomplete, event: "TenderEvaluated" },
  { action: "announceWinner", from: ["evaluated"], to: "winner_announced", roles: POKJA, guard: (c) => c.noWinner, event: "WinnerAnnounced" },
  { action: "issueSppbj", from: ["winner_announced"], to: "sppbj", roles: PPK, event: "Awarded" },
  ...closing("TenderCepat"),
]);

/**
 * Pengadaan langsung and penunjukan langsung: one vendor is invited ("announce" sends the invitation),
 * sends an offer (a sealed bid until the offer deadline), the offer is opened and negotiated
 * ("evaluate" records the agreed price), the vendor is named ("announceWinner") and the PPK issues the
 * SPPBJ/SPK — no sanggah.
 */
export const directMachine: M = defineMachine("procure.direct", TENDER_STATUSES, TENDER_ACTIONS, [
  { action: "announce", from: ["draft"], to: "announced", roles: POKJA, guard: (c) => c.notReady, event: "InvitationSent" },
  { action: "open", from: ["announced"], to: "opened", roles: POKJA, guard: (c) => c.beforeOpening, event: "OfferOpened" },
  { action: "evaluate", from: ["opened"], to: "evaluated", roles: POKJA, guard: (c) => c.evaluationIncomplete, event: "OfferNegotiated" },
  { action: "announceWinner", from: ["evaluated"], to: "winner_announced", roles: POKJA, guard: (c) => c.noWinner, event: "WinnerAnnounced" },
  { action: "issueSppbj", from: ["winner_announced"], to: "sppbj", roles: PPK, event: "Awarded" },
  ...closing("Direct"),
]);

/** The machine each selection method runs (e-purchasing and swakelola have none: see contracts.ts). */
export function machineFor(method: Method): M {
  switch (method) {
    case "tender":
    case "seleksi":
      return tenderMachine;
    case "tender_cepat":
      return tenderCepatMachine;
    case "pengadaan_langsung":
    case "penunjukan_langsung":
      return directMachine;
    default:
      throw new Error(`no selection machine for ${method}`);
  }
}

/** Methods whose winners may be objected to (sanggah), and those with a sanggah banding (construction). */
export function hasSanggah(method: Method): boolean {
  return method === "tender" || method === "seleksi";
}

export const ORDER_STATUSES = ["sppbj", "signed", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_ACTIONS = ["accept", "refuse", "withdraw"] as const;

/**
 * E-purchasing: the PPK orders from the catalogue (the order waits as "sppbj"); the vendor accepts it —
 * the order is then the contract (surat pesanan) — or refuses it, or the PPK withdraws it first.
 */
export const orderMachine = defineMachine<OrderStatus, (typeof ORDER_ACTIONS)[number], Record<string, never>, Role>("procure.order", ORDER_STATUSES, ORDER_ACTIONS, [
  { action: "accept", from: ["sppbj"], to: "signed", roles: ["contractor"], event: "ContractSigned" },
  { action: "refuse", from: ["sppbj"], to: "cancelled", roles: ["contractor"], event: "OrderRefused" },
  { action: "withdraw", from: ["sppbj"], to: "cancelled", roles: ["procurement_officer"], event: "OrderWithdrawn" },
]);

export const SWAKELOLA_STATUSES = ["announced", "executing", "completed"] as const;
export type SwakelolaStatus = (typeof SWAKELOLA_STATUSES)[number];
export const SWAKELOLA_ACTIONS = ["start", "complete"] as const;

/** Swakelola: announced in the RUP → the team is formed by decree and work starts → the work is handed over. */
export const swakelolaMachine = defineMachine<SwakelolaStatus, (typeof SWAKELOLA_ACTIONS)[number], Record<string, never>, Role>("procure.swakelola", SWAKELOLA_STATUSES, SWAKELOLA_ACTIONS, [
  { action: "start", from: ["announced"], to: "executing", roles: ["procurement_officer"], event: "SwakelolaStarted" },
  { action: "complete", from: ["executing"], to: "completed", roles: ["procurement_officer"], event: "SwakelolaCompleted" },
]);
