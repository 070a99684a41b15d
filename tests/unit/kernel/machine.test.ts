import { defineMachine } from "../../../domain/kernel/machine";
import { DomainError } from "../../../domain/kernel/domain-error";
import { keyOf } from "../../support/errors";

const STATES = ["planned", "open", "scoring", "closed"] as const;
const ACTIONS = ["open", "startScoring", "close", "reopen"] as const;
type Ctx = { signed: boolean };

const forum = defineMachine<(typeof STATES)[number], (typeof ACTIONS)[number], Ctx>("test.forum", STATES, ACTIONS, [
  { action: "open", from: ["planned"], to: "open", roles: ["facilitator"], event: "ForumOpened" },
  { action: "startScoring", from: ["open"], to: "scoring", roles: ["facilitator"], event: "ScoringStarted" },
  {
    action: "close",
    from: ["scoring"],
    to: "closed",
    roles: ["facilitator"],
    guard: (c) => (c.signed ? null : "test.forum.minutesUnsigned"),
    event: "ForumClosed",
  },
]);

const actor = (...roles: string[]) => ({ hasAnyRole: (rs: readonly string[]) => roles.some((r) => rs.includes(r)) });
const everyPair = STATES.flatMap((s) => ACTIONS.map((a) => [s, a] as const));


describe("state machine helper", () => {
  it.each(everyPair)("from %s, %s succeeds only when the table lists it", (from, action) => {
    const listed = forum.transitions.some((t) => t.action === action && t.from.includes(from));
    const key = keyOf(() => forum.fire(from, action, actor("facilitator"), { signed: true }));
    if (listed) expect(key).toBeNull();
    else expect(key).toBe("test.forum.illegalTransition");
  });

  it("returns the target state and the event", () => {
    expect(forum.fire("planned", "open", actor("facilitator"), { signed: false })).toEqual({ to: "open", event: "ForumOpened" });
  });

  it("refuses a role the transition does not name, as forbidden", () => {
    try {
      forum.fire("planned", "open", actor("citizen"), { signed: true });
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).key).toBe("auth.roleRequired");
      expect((e as DomainError).kind).toBe("forbidden");
    }
  });

  it("refuses when the guard says why", () => {
    expect(keyOf(() => forum.fire("scoring", "close", actor("facilitator"), { signed: false }))).toBe("test.forum.minutesUnsigned");
  });

  it("lists the available actions by the same rules", () => {
    expect(forum.available("scoring", actor("facilitator"), { signed: false })).toEqual([]);
    expect(forum.available("scoring", actor("facilitator"), { signed: true })).toEqual(["close"]);
    expect(forum.available("planned", actor("citizen"), { signed: true })).toEqual([]);
  });

  it("refuses an ambiguous or inconsistent table when it is defined", () => {
    expect(() =>
      defineMachine("bad", ["a", "b"], ["go"], [
        { action: "go", from: ["a"], to: "b", roles: ["x"], event: "E" },
        { action: "go", from: ["a"], to: "a", roles: ["x"], event: "E" },
      ]),
    ).toThrow(/two transitions/);
    expect(() => defineMachine("bad", ["a"], ["go"], [{ action: "go", from: ["a"], to: "z" as "a", roles: ["x"], event: "E" }])).toThrow(/unknown target/);
    expect(() => defineMachine("bad", ["a"], ["go"], [{ action: "go", from: ["a"], to: "a", roles: [], event: "E" }])).toThrow(/names no role/);
  });

  it("draws itself as a Mermaid diagram", () => {
    expect(forum.toMermaid()).toContain("planned --> open: open");
  });
});
