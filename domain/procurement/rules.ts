import { DomainError } from "../kernel/domain-error";
import { Money } from "../kernel/money";
import type { Kind, Method } from "./vocabulary";

/**
 * One row of the method rules: between which values a method may be used for a kind of procurement, from
 * and until which date, and the article that says so. Rules are data (imports/procurement/data/
 * method-rules.csv, loaded into `method_rule`): a new regulation adds rows and closes the old ones.
 */
export interface MethodRule {
  id: string;
  regulation: string;
  article: string;
  effectiveFrom: string; // yyyy-mm-dd
  effectiveTo: string | null;
  method: Method;
  kind: Kind;
  minValue: string | null;
  maxValue: string | null;
  note: string;
}

/** The rules in force on a date for a method and kind. */
export function rulesInForce(rules: readonly MethodRule[], method: Method, kind: Kind, on: string): MethodRule[] {
  return rules.filter((r) => r.method === method && r.kind === kind && r.effectiveFrom <= on && (r.effectiveTo === null || on <= r.effectiveTo));
}

/**
 * Judges a package's value against the rules in force on its planning date: refused when no rule lets
 * the method be used for this kind on that date, or when the value is outside the rule's range — the
 * refusal names the regulation and article. Returns the rule applied.
 */
export function judgeMethod(rules: readonly MethodRule[], input: { method: Method; kind: Kind; value: Money; on: string }): MethodRule {
  const inForce = rulesInForce(rules, input.method, input.kind, input.on);
  if (inForce.length === 0) throw new DomainError("procure.rule.methodNotForKind", { method: input.method, kind: input.kind, on: input.on }, "invalid", "method");
  if (inForce.length > 1) throw new Error(`method rules overlap on ${input.on}: ${inForce.map((r) => r.id).join(", ")}`);
  const r = inForce[0];
  const rule = `${r.regulation} ${r.article}`;
  if (r.maxValue !== null && input.value.exceeds(Money.idr(r.maxValue)))
    throw new DomainError("procure.rule.aboveMax", { method: input.method, kind: input.kind, max: r.maxValue, value: input.value.toString(), rule }, "invalid", "method");
  if (r.minValue !== null && Money.idr(r.minValue).exceeds(input.value))
    throw new DomainError("procure.rule.belowMin", { method: input.method, kind: input.kind, min: r.minValue, value: input.value.toString(), rule }, "invalid", "method");
  return r;
}

/** Every (method, kind) has at most one rule on any date: checked when rules are loaded. */
export function overlappingRules(rules: readonly MethodRule[]): string[] {
  const bad: string[] = [];
  for (const a of rules)
    for (const b of rules)
      if (a.id < b.id && a.method === b.method && a.kind === b.kind && a.effectiveFrom <= (b.effectiveTo ?? "9999-12-31") && b.effectiveFrom <= (a.effectiveTo ?? "9999-12-31"))
        bad.push(`${a.id}/${b.id}`);
  return bad;
}
