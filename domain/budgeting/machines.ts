import { defineMachine } from "../kernel/machine";
import type { Role } from "../identity/roles";

export const KUA_STATUSES = ["draft", "submitted", "agreed"] as const;
export type KuaStatus = (typeof KUA_STATUSES)[number];
export const KUA_ACTIONS = ["submit", "agree"] as const;

/** KUA-PPAS: drafted by TAPD from the final RKPD → submitted to DPRD → agreed (nota kesepakatan). Agreed ceilings bind the RKA. */
export const kuaMachine = defineMachine<KuaStatus, (typeof KUA_ACTIONS)[number], { blocker: string | null }, Role>("budget.kua", KUA_STATUSES, KUA_ACTIONS, [
  { action: "submit", from: ["draft"], to: "submitted", roles: ["tapd_member"], guard: (c) => c.blocker, event: "KuaPpasSubmitted" },
  { action: "agree", from: ["submitted"], to: "agreed", roles: ["tapd_member"], guard: (c) => c.blocker, event: "KuaPpasAgreed" },
]);

export const RKA_STATUSES = ["draft", "submitted", "verified", "approved", "returned"] as const;
export type RkaStatus = (typeof RKA_STATUSES)[number];
export const RKA_ACTIONS = ["submit", "verify", "approve", "return"] as const;
export type RkaAction = (typeof RKA_ACTIONS)[number];

/**
 * RKA-SKPD review: the OPD drafts and submits (never above its ceiling); TAPD verifies (with notes per
 * line), approves — which locks it — or returns it with a note, and the OPD fixes and resubmits.
 */
export const rkaMachine = defineMachine<RkaStatus, RkaAction, { blocker: string | null }, Role>("budget.rka", RKA_STATUSES, RKA_ACTIONS, [
  { action: "submit", from: ["draft", "returned"], to: "submitted", roles: ["opd_officer"], guard: (c) => c.blocker, event: "RkaSubmitted" },
  { action: "verify", from: ["submitted"], to: "verified", roles: ["tapd_member"], event: "RkaVerified" },
  { action: "approve", from: ["verified"], to: "approved", roles: ["tapd_member"], guard: (c) => c.blocker, event: "RkaApproved" },
  { action: "return", from: ["submitted", "verified"], to: "returned", roles: ["tapd_member"], guard: (c) => c.blocker, event: "RkaReturned" },
]);

/** Statuses in which the OPD may change lines. */
export const RKA_EDITABLE: readonly RkaStatus[] = ["draft", "returned"];

export const APBD_STATUSES = ["rancangan", "agreed", "evaluated", "adopted"] as const;
export type ApbdStatus = (typeof APBD_STATUSES)[number];
export const APBD_ACTIONS = ["agree", "evaluate", "adopt", "enact"] as const;
export type ApbdAction = (typeof APBD_ACTIONS)[number];

/**
 * An APBD version (murni, each pergeseran, the perubahan): rancangan → agreed with the DPRD (persetujuan
 * bersama) → evaluated (by the governor) → adopted (Perda). A pergeseran is enacted by Perkada straight
 * from rancangan. Adopted is locked and becomes the version in force; a change after that is a new version.
 */
export const apbdMachine = defineMachine<ApbdStatus, ApbdAction, { blocker: string | null; pergeseran: boolean }, Role>("budget.apbd", APBD_STATUSES, APBD_ACTIONS, [
  { action: "agree", from: ["rancangan"], to: "agreed", roles: ["tapd_member"], guard: (c) => (c.pergeseran ? "budget.apbd.pergeseranByPerkada" : c.blocker), event: "ApbdAgreed" },
  { action: "evaluate", from: ["agreed"], to: "evaluated", roles: ["tapd_member"], event: "ApbdEvaluated" },
  { action: "adopt", from: ["evaluated"], to: "adopted", roles: ["tapd_member"], guard: (c) => c.blocker, event: "ApbdAdopted" },
  { action: "enact", from: ["rancangan"], to: "adopted", roles: ["tapd_member"], guard: (c) => (c.pergeseran ? c.blocker : "budget.apbd.enactOnlyPergeseran"), event: "ApbdShiftEnacted" },
]);
