import { COMPLAINT_ACTIONS, COMPLAINT_STATUSES, REPORTER, complaintMachine, type ComplaintAction, type ComplaintCtx, type ComplaintStatus } from "../../../domain/oversight/complaint-machine";
import { keyOf } from "../../support/errors";

const everyone = { hasAnyRole: () => true };
const monev = { hasAnyRole: (r: readonly string[]) => r.includes("monev_officer") };
const opd = { hasAnyRole: (r: readonly string[]) => r.includes("opd_officer") };
const full: ComplaintCtx = { reopenCount: 0, reason: "alasan", answer: "jawaban", opdId: "opd-1" };

/** The table as the issue states it, written out here independently of the machine: (from, action) → to. */
const EXPECTED: Record<string, ComplaintStatus> = {
  "held|release": "received",
  "held|discard": "discarded",
  "received|verify": "verified",
  "received|reject": "rejected",
  "verified|forward": "forwarded",
  "forwarded|forward": "forwarded",
  "forwarded|take": "in_progress",
  "in_progress|answer": "answered",
  "answered|close": "closed",
  "answered|reopen": "in_progress",
  "closed|reopen": "in_progress",
};
const WHO: Record<ComplaintAction, "monev" | "opd" | "reporter" | "monevOrReporter"> = {
  release: "monev",
  discard: "monev",
  verify: "monev",
  reject: "monev",
  forward: "monev",
  take: "opd",
  answer: "opd",
  close: "monevOrReporter",
  reopen: "reporter",
};

describe("the complaint machine", () => {
  const pairs = COMPLAINT_STATUSES.flatMap((s) => COMPLAINT_ACTIONS.map((a) => [s, a] as const));

  it.each(pairs)("from %s, %s goes where the issue says, or nowhere", (from, action) => {
    const expected = EXPECTED[`${from}|${action}`];
    if (!expected) {
      expect(keyOf(() => complaintMachine.fire(from, action, everyone, full))).toBe("pengaduan.illegalTransition");
      return;
    }
    expect(complaintMachine.fire(from, action, everyone, full).to).toBe(expected);
    const who = WHO[action];
    expect(keyOf(() => complaintMachine.fire(from, action, monev, full))).toBe(who === "monev" || who === "monevOrReporter" ? null : "auth.roleRequired");
    expect(keyOf(() => complaintMachine.fire(from, action, opd, full))).toBe(who === "opd" ? null : "auth.roleRequired");
    expect(keyOf(() => complaintMachine.fire(from, action, REPORTER, full))).toBe(who === "reporter" || who === "monevOrReporter" ? null : "auth.roleRequired");
  });

  it("lets the reporter reopen once only, and only after an answer", () => {
    expect(complaintMachine.fire("answered", "reopen", REPORTER, { reopenCount: 0, reason: "belum selesai" }).to).toBe("in_progress");
    expect(keyOf(() => complaintMachine.fire("closed", "reopen", REPORTER, { reopenCount: 1, reason: "belum selesai" }))).toBe("pengaduan.reopenUsed");
    for (const s of ["received", "verified", "forwarded", "in_progress", "rejected"] as const)
      expect(keyOf(() => complaintMachine.fire(s, "reopen", REPORTER, { reopenCount: 0, reason: "x" }))).toBe("pengaduan.illegalTransition");
  });

  it("requires a reason to reject, discard or reopen, an answer to answer, an OPD to forward", () => {
    const bare: ComplaintCtx = { reopenCount: 0, reason: "  ", answer: "", opdId: null };
    expect(keyOf(() => complaintMachine.fire("received", "reject", monev, bare))).toBe("pengaduan.reasonRequired");
    expect(keyOf(() => complaintMachine.fire("held", "discard", monev, bare))).toBe("pengaduan.reasonRequired");
    expect(keyOf(() => complaintMachine.fire("answered", "reopen", REPORTER, bare))).toBe("pengaduan.reasonRequired");
    expect(keyOf(() => complaintMachine.fire("in_progress", "answer", opd, bare))).toBe("pengaduan.answerRequired");
    expect(keyOf(() => complaintMachine.fire("verified", "forward", monev, bare))).toBe("pengaduan.opdRequired");
  });

  it("ends nowhere after a rejection or a discard", () => {
    for (const s of ["rejected", "discarded"] as const) expect(complaintMachine.available(s, everyone, full)).toEqual([]);
    expect(complaintMachine.available("closed", everyone, { ...full, reopenCount: 1 })).toEqual([]);
  });
});
