import { forumMachine, proposalMachine, FORUM_ACTIONS, PROPOSAL_ACTIONS } from "../../../domain/musrenbang/machines";
import { FORUM_STATUSES, PROPOSAL_STATUSES } from "../../../domain/musrenbang/vocabulary";
import { keyOf } from "../../support/errors";

const everyone = { hasAnyRole: () => true };
const nobody = { hasAnyRole: () => false };

describe("forum machine", () => {
  const pairs = FORUM_STATUSES.flatMap((s) => FORUM_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)("from %s, %s is allowed only where the table says", (from, action) => {
    const listed = forumMachine.transitions.some((t) => t.action === action && t.from.includes(from));
    const key = keyOf(() => forumMachine.fire(from, action, everyone, { closeBlocker: null, scheduled: true }));
    expect(key).toBe(listed ? null : "musrenbang.forum.illegalTransition");
  });
  it("a closed forum can do nothing more: everything is locked", () => {
    for (const a of FORUM_ACTIONS) expect(keyOf(() => forumMachine.fire("closed", a, everyone, { closeBlocker: null, scheduled: true }))).toBe("musrenbang.forum.illegalTransition");
  });
  it("cannot open without a schedule, nor close with a blocker", () => {
    expect(keyOf(() => forumMachine.fire("planned", "open", everyone, { closeBlocker: null, scheduled: false }))).toBe("musrenbang.forum.notScheduled");
    expect(keyOf(() => forumMachine.fire("scoring", "close", everyone, { closeBlocker: "musrenbang.forum.unscored", scheduled: true }))).toBe("musrenbang.forum.unscored");
  });
  it("refuses roles that run no forum", () => {
    expect(keyOf(() => forumMachine.fire("planned", "open", nobody, { closeBlocker: null, scheduled: true }))).toBe("auth.roleRequired");
  });
});

describe("proposal machine", () => {
  const ctx = { reason: "Alasan yang cukup panjang", target: "x" };
  const pairs = PROPOSAL_STATUSES.flatMap((s) => PROPOSAL_ACTIONS.map((a) => [s, a] as const));
  it.each(pairs)("from %s, %s is allowed only where the table says", (from, action) => {
    const listed = proposalMachine.transitions.some((t) => t.action === action && t.from.includes(from));
    const key = keyOf(() => proposalMachine.fire(from, action, everyone, ctx));
    expect(key).toBe(listed ? null : "musrenbang.usulan.illegalTransition");
  });

  it("final statuses accept no action", () => {
    for (const s of ["withdrawn", "not_prioritised", "rejected", "merged", "adopted", "not_adopted"] as const)
      expect(proposalMachine.available(s, everyone, ctx)).toEqual([]);
  });

  it("a reason the village can read is required to reject, withdraw or leave out", () => {
    for (const [from, action] of [["escalated", "reject"], ["opd_review", "reject"], ["submitted", "withdraw"], ["accepted", "notAdopt"]] as const)
      expect(keyOf(() => proposalMachine.fire(from, action, everyone, { reason: "terlalu", target: "" }))).toBe("musrenbang.usulan.reasonRequired");
  });

  it("each level's decisions belong to its own role", () => {
    const only = (role: string) => ({ hasAnyRole: (rs: readonly string[]) => rs.includes(role) });
    expect(proposalMachine.available("escalated", only("kecamatan_facilitator"), ctx).sort()).toEqual(["merge", "reject", "verify"]);
    expect(proposalMachine.available("escalated", only("opd_officer"), ctx)).toEqual([]);
    expect(proposalMachine.available("opd_review", only("opd_officer"), ctx).sort()).toEqual(["accept", "reject", "transfer"]);
    expect(proposalMachine.available("opd_review", only("kecamatan_facilitator"), ctx)).toEqual([]);
    expect(proposalMachine.available("accepted", only("bappeda_planner"), ctx).sort()).toEqual(["adopt", "notAdopt"]);
  });
});
