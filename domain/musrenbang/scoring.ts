import Decimal from "decimal.js";
import { D, type Dec, type Money } from "../kernel/money";
import { DomainError } from "../kernel/domain-error";

export interface Criterion {
  id: string;
  code: string;
  weight: Decimal.Value;
}

/** Criteria weights must each be positive and add up to exactly 100. */
export function checkWeights(weights: readonly Decimal.Value[]): void {
  if (weights.length === 0) throw new DomainError("musrenbang.criteria.none", {}, "invalid", "criteria");
  const ws = weights.map((w) => new D(w));
  if (ws.some((w) => !w.isFinite() || w.lte(0) || w.gt(100) || w.decimalPlaces() > 2))
    throw new DomainError("musrenbang.criteria.weightRange", {}, "invalid", "criteria");
  const sum = ws.reduce((a, b) => a.plus(b), new D(0));
  if (!sum.eq(100)) throw new DomainError("musrenbang.criteria.weightsSum", { sum: sum.toFixed(2) }, "invalid", "criteria");
}

export function checkScore(score: unknown, field = "score"): number {
  const n = typeof score === "string" ? Number(score.trim()) : score;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 5) throw new DomainError("musrenbang.score.range", { value: String(score) }, "invalid", field);
  return n;
}

/**
 * The weighted total on a 0–100 scale: Σ (score × weight) ÷ 5, exact in Decimal, half-up to two
 * decimals. All five on every criterion gives 100. A missing score is refused.
 */
export function weightedTotal(criteria: readonly Criterion[], scores: ReadonlyMap<string, number>): Dec {
  checkWeights(criteria.map((c) => c.weight));
  let total = new D(0);
  for (const c of criteria) {
    const s = scores.get(c.id);
    if (s === undefined) throw new DomainError("musrenbang.score.missing", { criterion: c.code });
    total = total.plus(new D(checkScore(s)).times(c.weight));
  }
  return total.div(5).toDecimalPlaces(2, D.ROUND_HALF_UP);
}

export interface Rankable {
  id: string;
  code: string;
  total: Dec;
  beneficiaries: number;
  estimatedCost: Money;
  submittedAt: Date;
}

/**
 * Ranks by weighted total; ties are broken deterministically and visibly: more beneficiaries first,
 * then the lower estimated cost, then the earlier submission, then the proposal code. Every rank is
 * unique, so a quota cut never falls inside a tie.
 */
export function rankProposals<T extends Rankable>(items: readonly T[]): (T & { rank: number })[] {
  return [...items]
    .sort(
      (a, b) =>
        b.total.comparedTo(a.total) ||
        b.beneficiaries - a.beneficiaries ||
        a.estimatedCost.compare(b.estimatedCost) ||
        a.submittedAt.getTime() - b.submittedAt.getTime() ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )
    .map((x, i) => ({ ...x, rank: i + 1 }));
}

/** The top `quota` of a ranked list go on; the rest stay with the reason "outside the quota". */
export function splitByQuota<T extends { rank: number }>(ranked: readonly T[], quota: number): { within: T[]; outside: T[] } {
  if (!Number.isInteger(quota) || quota < 1) throw new DomainError("musrenbang.quota.invalid", { quota });
  return { within: ranked.filter((r) => r.rank <= quota), outside: ranked.filter((r) => r.rank > quota) };
}
