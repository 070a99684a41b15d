import { defineMachine } from "../kernel/machine";
import type { Role } from "../identity/roles";
import { FORUM_STATUSES, PROPOSAL_STATUSES, type ForumStatus, type ProposalStatus } from "./vocabulary";

/** Who runs a forum of each level: only these, within their own scope, act on it. */
export const FORUM_ROLE: Record<string, Role> = {
  desa: "desa_facilitator",
  kecamatan: "kecamatan_facilitator",
  kabupaten: "bappeda_planner",
  perangkat_daerah: "opd_officer",
};
const FACILITATORS: Role[] = ["desa_facilitator", "kecamatan_facilitator", "bappeda_planner", "opd_officer"];

export const FORUM_ACTIONS = ["open", "startScoring", "reopen", "close"] as const;
export type ForumAction = (typeof FORUM_ACTIONS)[number];

export interface ForumCtx {
  /** Message key of what still blocks closing (unscored or undecided proposals, missing minutes), or null. */
  closeBlocker: string | null;
  scheduled: boolean;
}

/**
 * A forum's life: planned → open (proposals accepted) → scoring → closed (minutes signed, everything
 * locked). Scoring may go back to open for corrections until the minutes are signed.
 */
export const forumMachine = defineMachine<ForumStatus, ForumAction, ForumCtx, Role>("musrenbang.forum", FORUM_STATUSES, FORUM_ACTIONS, [
  { action: "open", from: ["planned"], to: "open", roles: FACILITATORS, guard: (c) => (c.scheduled ? null : "musrenbang.forum.notScheduled"), event: "ForumOpened" },
  { action: "startScoring", from: ["open"], to: "scoring", roles: FACILITATORS, event: "ForumScoringStarted" },
  { action: "reopen", from: ["scoring"], to: "open", roles: FACILITATORS, event: "ForumReopened" },
  { action: "close", from: ["scoring"], to: "closed", roles: FACILITATORS, guard: (c) => c.closeBlocker, event: "ForumClosed" },
]);

export const PROPOSAL_ACTIONS = [
  "withdraw",
  "prioritise",
  "deprioritise",
  "verify",
  "reject",
  "merge",
  "forward",
  "accept",
  "transfer",
  "adopt",
  "notAdopt",
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

export interface ProposalCtx {
  /** Trimmed reason text given with the action ("" when none). */
  reason: string;
  /** For accept: the proposed sub-activity; for merge: the target's id; for transfer: the new OPD. */
  target: string;
}

const needsReason = (c: ProposalCtx) => (c.reason.length >= 10 ? null : "musrenbang.usulan.reasonRequired");
const needsTarget = (key: string) => (c: ProposalCtx) => (c.target ? null : key);

/**
 * A proposal's path: submitted at the desa forum → (desa closes: within quota) escalated to the
 * kecamatan forum → verified → (kecamatan closes: within quota) forwarded to OPD review at the
 * kabupaten forum → accepted by the target OPD → adopted when the kabupaten forum closes. Every
 * refusal carries a reason the village can read.
 */
export const proposalMachine = defineMachine<ProposalStatus, ProposalAction, ProposalCtx, Role>(
  "musrenbang.usulan",
  PROPOSAL_STATUSES,
  PROPOSAL_ACTIONS,
  [
    { action: "withdraw", from: ["submitted"], to: "withdrawn", roles: ["desa_facilitator"], guard: needsReason, event: "ProposalWithdrawn" },
    { action: "prioritise", from: ["submitted"], to: "escalated", roles: ["desa_facilitator"], event: "ProposalEscalated" },
    { action: "deprioritise", from: ["submitted"], to: "not_prioritised", roles: ["desa_facilitator"], event: "ProposalNotPrioritised" },
    { action: "deprioritise", from: ["verified"], to: "not_prioritised", roles: ["kecamatan_facilitator"], event: "ProposalNotPrioritised" },
    { action: "verify", from: ["escalated"], to: "verified", roles: ["kecamatan_facilitator"], event: "ProposalVerified" },
    { action: "reject", from: ["escalated", "verified"], to: "rejected", roles: ["kecamatan_facilitator"], guard: needsReason, event: "ProposalRejected" },
    { action: "reject", from: ["opd_review"], to: "rejected", roles: ["opd_officer"], guard: needsReason, event: "ProposalRejected" },
    { action: "merge", from: ["escalated", "verified"], to: "merged", roles: ["kecamatan_facilitator"], guard: needsTarget("musrenbang.usulan.mergeTargetRequired"), event: "ProposalMerged" },
    { action: "forward", from: ["verified"], to: "opd_review", roles: ["kecamatan_facilitator"], event: "ProposalForwardedToOpd" },
    { action: "accept", from: ["opd_review"], to: "accepted", roles: ["opd_officer"], guard: needsTarget("musrenbang.usulan.subKegiatanRequired"), event: "ProposalAcceptedByOpd" },
    { action: "transfer", from: ["opd_review"], to: "opd_review", roles: ["opd_officer", "bappeda_planner"], guard: (c) => needsTarget("musrenbang.usulan.opdRequired")(c) ?? needsReason(c), event: "ProposalTransferred" },
    { action: "adopt", from: ["accepted"], to: "adopted", roles: ["bappeda_planner"], event: "ProposalAdopted" },
    { action: "notAdopt", from: ["accepted"], to: "not_adopted", roles: ["bappeda_planner"], guard: needsReason, event: "ProposalNotAdopted" },
  ],
);
