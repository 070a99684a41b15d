import type { Role } from "../identity/roles";
import { defineMachine, type Machine } from "../kernel/machine";

export const REPORT_STATUSES = ["draft", "submitted", "verified", "returned"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_ACTIONS = ["save", "submit", "verify", "return"] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export interface ReportCtx {
  /** return: a note telling the contractor what to fix. */
  noNote: string | null;
}

const CONTRACTOR: Role[] = ["contractor"];
const PPK: Role[] = ["procurement_officer"];
/** The PPK, or the supervising consultant assigned to the contract (scope checked by the use case). */
const VERIFIERS: Role[] = ["procurement_officer", "supervising_consultant"];

/**
 * A progress report: the contractor drafts it (save) and submits it; the PPK of the contract's OPD — or
 * the supervising consultant (konsultan pengawas) assigned to the contract — verifies it or returns it
 * with a note; a returned report is corrected and submitted again. A verified
 * report is final — a later mistake is corrected by a later report, with its reason.
 */
export const reportMachine: Machine<ReportStatus, ReportAction, ReportCtx, Role> = defineMachine("monev.report", REPORT_STATUSES, REPORT_ACTIONS, [
  { action: "save", from: ["draft"], to: "draft", roles: CONTRACTOR, event: "ProgressReportSaved" },
  { action: "save", from: ["returned"], to: "returned", roles: CONTRACTOR, event: "ProgressReportSaved" },
  { action: "submit", from: ["draft", "returned"], to: "submitted", roles: CONTRACTOR, event: "ProgressReportSubmitted" },
  { action: "verify", from: ["submitted"], to: "verified", roles: VERIFIERS, event: "ProgressReportVerified" },
  { action: "return", from: ["submitted"], to: "returned", roles: VERIFIERS, guard: (c) => c.noNote, event: "ProgressReportReturned" },
]);

export const CRITICAL_STATUSES = ["critical", "scm1", "scm2", "scm3", "warning1", "warning2", "warning3", "terminated", "resolved"] as const;
export type CriticalStatus = (typeof CRITICAL_STATUSES)[number];
export const OPEN_CRITICAL: readonly CriticalStatus[] = ["critical", "scm1", "scm2", "scm3", "warning1", "warning2", "warning3"];
export const CRITICAL_ACTIONS = ["holdScm", "issueWarning", "terminate", "resolve"] as const;
export type CriticalAction = (typeof CRITICAL_ACTIONS)[number];

export interface CriticalCtx {
  /** holdScm: the minutes of the meeting and the deadline agreed (uji coba / test period). */
  noMinutes: string | null;
  /** issueWarning: the letter's number and the deadline it sets. */
  noLetter: string | null;
  /** terminate: the reason. */
  noReason: string | null;
  /** resolve: only once the latest verified report is no longer critical. */
  stillCritical: string | null;
}

/**
 * The handling of a critical contract (Peraturan LKPP 12/2021): show-cause meetings SCM I, II and III —
 * each with minutes and a deadline (test period) — then up to three warning letters, then termination
 * (pemutusan kontrak). At any step the case is resolved once a verified report shows the contract no
 * longer critical. The PPK of the contract's OPD acts; a resolution also follows from a verified report,
 * which the supervising consultant may verify (the manual steps stay the PPK's: recordCriticalStep).
 */
export const criticalMachine: Machine<CriticalStatus, CriticalAction, CriticalCtx, Role> = defineMachine("monev.critical", CRITICAL_STATUSES, CRITICAL_ACTIONS, [
  { action: "holdScm", from: ["critical"], to: "scm1", roles: PPK, guard: (c) => c.noMinutes, event: "ShowCauseMeetingHeld" },
  { action: "holdScm", from: ["scm1"], to: "scm2", roles: PPK, guard: (c) => c.noMinutes, event: "ShowCauseMeetingHeld" },
  { action: "holdScm", from: ["scm2"], to: "scm3", roles: PPK, guard: (c) => c.noMinutes, event: "ShowCauseMeetingHeld" },
  { action: "issueWarning", from: ["scm3"], to: "warning1", roles: PPK, guard: (c) => c.noLetter, event: "WarningLetterIssued" },
  { action: "issueWarning", from: ["warning1"], to: "warning2", roles: PPK, guard: (c) => c.noLetter, event: "WarningLetterIssued" },
  { action: "issueWarning", from: ["warning2"], to: "warning3", roles: PPK, guard: (c) => c.noLetter, event: "WarningLetterIssued" },
  { action: "terminate", from: ["warning3"], to: "terminated", roles: PPK, guard: (c) => c.noReason, event: "CriticalContractTerminated" },
  { action: "resolve", from: [...OPEN_CRITICAL], to: "resolved", roles: VERIFIERS, guard: (c) => c.stillCritical, event: "CriticalCaseResolved" },
]);
