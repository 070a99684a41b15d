import { DomainError } from "./domain-error";

/** What the machine needs to know about who acts: the roles they hold (scope is the policy's job). */
export interface RoleHolder {
  hasAnyRole(roles: readonly string[]): boolean;
}

export interface Transition<S extends string, A extends string, C, R extends string = string> {
  action: A;
  from: readonly S[];
  to: S;
  roles: readonly R[];
  /** Returns a message key explaining the refusal, or null when allowed. */
  guard?: (ctx: C) => string | null;
  /** Past-tense domain event written to the audit trail (and later to open data). */
  event: string;
}

export interface Machine<S extends string, A extends string, C, R extends string = string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly actions: readonly A[];
  readonly transitions: readonly Transition<S, A, C, R>[];
  /** The actions this actor may take now: drives the buttons a page shows, by the same rules as fire(). */
  available(state: S, actor: RoleHolder, ctx: C): A[];
  /** Applies one action, or throws a DomainError naming why not. Returns the new state and the event. */
  fire(state: S, action: A, actor: RoleHolder, ctx: C): { to: S; event: string };
  /** A Mermaid state diagram of the table, for the docs. */
  toMermaid(): string;
}

/**
 * Defines a lifecycle as a table of transitions. Each (state, action) pair has at most one row,
 * checked here so that a table can never be ambiguous.
 */
export function defineMachine<S extends string, A extends string, C, R extends string = string>(
  name: string,
  states: readonly S[],
  actions: readonly A[],
  transitions: readonly Transition<S, A, C, R>[],
): Machine<S, A, C, R> {
  const seen = new Set<string>();
  for (const t of transitions) {
    if (!states.includes(t.to)) throw new Error(`${name}: unknown target state ${t.to}`);
    if (!actions.includes(t.action)) throw new Error(`${name}: unknown action ${t.action}`);
    if (t.roles.length === 0) throw new Error(`${name}: ${t.action} names no role`);
    for (const f of t.from) {
      if (!states.includes(f)) throw new Error(`${name}: unknown source state ${f}`);
      const k = `${f}|${t.action}`;
      if (seen.has(k)) throw new Error(`${name}: two transitions for ${f} --${t.action}-->`);
      seen.add(k);
    }
  }
  const find = (s: S, a: A) => transitions.find((t) => t.action === a && t.from.includes(s));
  return {
    name,
    states,
    actions,
    transitions,
    available(state, actor, ctx) {
      return transitions
        .filter((t) => t.from.includes(state) && actor.hasAnyRole(t.roles) && !t.guard?.(ctx))
        .map((t) => t.action);
    },
    fire(state, action, actor, ctx) {
      const t = find(state, action);
      if (!t) throw new DomainError(`${name}.illegalTransition`, { from: state, action }, "invalid");
      if (!actor.hasAnyRole(t.roles)) throw new DomainError("auth.roleRequired", { action }, "forbidden");
      const refusal = t.guard?.(ctx);
      if (refusal) throw new DomainError(refusal, { from: state, action });
      return { to: t.to, event: t.event };
    },
    toMermaid() {
      const lines = ["stateDiagram-v2"];
      for (const t of transitions) for (const f of t.from) lines.push(`  ${f} --> ${t.to}: ${t.action}`);
      return lines.join("\n");
    },
  };
}
