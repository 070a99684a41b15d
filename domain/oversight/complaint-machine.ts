import { defineMachine, type RoleHolder } from "../kernel/machine";
import type { Role } from "../identity/roles";

/**
 * The life of a citizen report (SP4N-LAPOR's flow): received → verified (or rejected as out of scope,
 * with a reason) → forwarded to the responsible OPD → in progress → answered → closed. A report with
 * links, banned words or from a throttled source is held for moderation first (released, or discarded
 * as abuse). The reporter, known only by the ticket's secret, may reopen an answered or closed report
 * once.
 */
export const COMPLAINT_STATUSES = ["held", "received", "verified", "rejected", "discarded", "forwarded", "in_progress", "answered", "closed"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_ACTIONS = ["release", "discard", "verify", "reject", "forward", "take", "answer", "close", "reopen"] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/** Statuses the SLA runs in: the report waits on the government. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ["held", "received", "verified", "forwarded", "in_progress"];
/** Statuses a visitor never sees: held for moderation or discarded as abuse. */
export const HIDDEN_STATUSES: readonly ComplaintStatus[] = ["held", "discarded"];

/** The reporter is not a role anyone holds: whoever presents the ticket's secret acts as "reporter". */
export type ComplaintRole = Role | "reporter";
export const REPORTER: RoleHolder = { hasAnyRole: (roles) => roles.includes("reporter") };

/** How many times a reporter may reopen a report. */
export const MAX_REOPENS = 1;

export interface ComplaintCtx {
  reopenCount: number;
  reason?: string;
  answer?: string;
  opdId?: string | null;
}

const blank = (s: string | undefined) => !s || s.trim().length === 0;

export const complaintMachine = defineMachine<ComplaintStatus, ComplaintAction, ComplaintCtx, ComplaintRole>(
  "pengaduan",
  COMPLAINT_STATUSES,
  COMPLAINT_ACTIONS,
  [
    { action: "release", from: ["held"], to: "received", roles: ["monev_officer"], event: "ComplaintReleased" },
    { action: "discard", from: ["held"], to: "discarded", roles: ["monev_officer"], guard: (c) => (blank(c.reason) ? "pengaduan.reasonRequired" : null), event: "ComplaintDiscarded" },
    { action: "verify", from: ["received"], to: "verified", roles: ["monev_officer"], event: "ComplaintVerified" },
    { action: "reject", from: ["received"], to: "rejected", roles: ["monev_officer"], guard: (c) => (blank(c.reason) ? "pengaduan.reasonRequired" : null), event: "ComplaintRejected" },
    // Forwarding again before the OPD takes the report corrects the routing.
    { action: "forward", from: ["verified", "forwarded"], to: "forwarded", roles: ["monev_officer"], guard: (c) => (c.opdId ? null : "pengaduan.opdRequired"), event: "ComplaintForwarded" },
    { action: "take", from: ["forwarded"], to: "in_progress", roles: ["opd_officer"], event: "ComplaintTaken" },
    { action: "answer", from: ["in_progress"], to: "answered", roles: ["opd_officer"], guard: (c) => (blank(c.answer) ? "pengaduan.answerRequired" : null), event: "ComplaintAnswered" },
    { action: "close", from: ["answered"], to: "closed", roles: ["monev_officer", "reporter"], event: "ComplaintClosed" },
    {
      action: "reopen",
      from: ["answered", "closed"],
      to: "in_progress",
      roles: ["reporter"],
      guard: (c) => (c.reopenCount >= MAX_REOPENS ? "pengaduan.reopenUsed" : blank(c.reason) ? "pengaduan.reasonRequired" : null),
      event: "ComplaintReopened",
    },
  ],
);

export function isComplaintStatus(x: unknown): x is ComplaintStatus {
  return typeof x === "string" && (COMPLAINT_STATUSES as readonly string[]).includes(x);
}
