import { describe, expect, it } from "vitest";
import { CRITICAL_ACTIONS, CRITICAL_STATUSES, criticalMachine, REPORT_ACTIONS, REPORT_STATUSES, reportMachine, type CriticalCtx } from "../../../domain/monev/machines";
import { keyOf } from "../../support/errors";

const everyone = { hasAnyRole: () => true };
const nobody = { hasAnyRole: () => false };
const as = (role: string) => ({ hasAnyRole: (r: readonly string[]) => r.includes(role) });

describe("the progress report machine", () => {
  // from → action → to, written out by hand: the table must say exactly this.
  const expected: Record<string, string> = {
    "draft|save": "draft",
    "draft|submit": "submitted",
    "returned|save": "returned",
    "returned|submit": "submitted",
    "submitted|verify": "verified",
    "submitted|return": "returned",
  };
  const pairs = REPORT_STATUSES.flatMap((s) => REPORT_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)("from %s, %s", (from, action) => {
    const to = expected[`${from}|${action}`];
    if (to) expect(reportMachine.fire(from, action, everyone, { noNote: null }).to).toBe(to);
    else expect(keyOf(() => reportMachine.fire(from, action, everyone, { noNote: null }))).toBe("monev.report.illegalTransition");
  });
  it("lets only the contractor submit and only the PPK verify or return (with a note)", () => {
    expect(keyOf(() => reportMachine.fire("draft", "submit", as("procurement_officer"), { noNote: null }))).toBe("auth.roleRequired");
    expect(keyOf(() => reportMachine.fire("submitted", "verify", as("contractor"), { noNote: null }))).toBe("auth.roleRequired");
    expect(keyOf(() => reportMachine.fire("submitted", "return", as("procurement_officer"), { noNote: "monev.report.noteRequired" }))).toBe("monev.report.noteRequired");
    expect(reportMachine.available("verified", everyone, { noNote: null })).toEqual([]);
    expect(keyOf(() => reportMachine.fire("draft", "save", nobody, { noNote: null }))).toBe("auth.roleRequired");
  });
});

describe("the kontrak kritis handling machine", () => {
  const clear: CriticalCtx = { noMinutes: null, noLetter: null, noReason: null, stillCritical: null };
  const open = ["critical", "scm1", "scm2", "scm3", "warning1", "warning2", "warning3"];
  const expected: Record<string, string> = {
    "critical|holdScm": "scm1",
    "scm1|holdScm": "scm2",
    "scm2|holdScm": "scm3",
    "scm3|issueWarning": "warning1",
    "warning1|issueWarning": "warning2",
    "warning2|issueWarning": "warning3",
    "warning3|terminate": "terminated",
    ...Object.fromEntries(open.map((s) => [`${s}|resolve`, "resolved"])),
  };
  const pairs = CRITICAL_STATUSES.flatMap((s) => CRITICAL_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)("from %s, %s", (from, action) => {
    const to = expected[`${from}|${action}`];
    if (to) expect(criticalMachine.fire(from, action, everyone, clear).to).toBe(to);
    else expect(keyOf(() => criticalMachine.fire(from, action, everyone, clear))).toBe("monev.critical.illegalTransition");
  });
  it("needs minutes, a letter, a reason; resolves only when no longer critical; PPK only", () => {
    expect(keyOf(() => criticalMachine.fire("critical", "holdScm", everyone, { ...clear, noMinutes: "monev.critical.minutesRequired" }))).toBe("monev.critical.minutesRequired");
    expect(keyOf(() => criticalMachine.fire("scm3", "issueWarning", everyone, { ...clear, noLetter: "monev.critical.letterRequired" }))).toBe("monev.critical.letterRequired");
    expect(keyOf(() => criticalMachine.fire("warning3", "terminate", everyone, { ...clear, noReason: "procure.reasonRequired" }))).toBe("procure.reasonRequired");
    expect(keyOf(() => criticalMachine.fire("scm2", "resolve", everyone, { ...clear, stillCritical: "monev.critical.stillCritical" }))).toBe("monev.critical.stillCritical");
    expect(keyOf(() => criticalMachine.fire("critical", "holdScm", as("contractor"), clear))).toBe("auth.roleRequired");
    expect(criticalMachine.available("terminated", everyone, clear)).toEqual([]);
    expect(criticalMachine.available("resolved", everyone, clear)).toEqual([]);
  });
});
