import { D, type Dec } from "../kernel/money";
import { addDays, daysBetween } from "./kurva-s";

/**
 * Kontrak kritis (Peraturan LKPP 12/2021, lampiran: pengendalian kontrak). A contract is critical when:
 *
 *  a. in period I — planned physical progress 0–70% (up to and including 70) — the actual progress is
 *     behind the plan by more than 10 points;
 *  b. in period II — planned progress above 70 up to 100% — it is behind by more than 5 points;
 *  c. in period II, behind by 5 points or less, but at the pace so far it will finish after the end of
 *     the fiscal year (31 December).
 *
 * "More than": exactly 10 (or 5) points behind is not yet critical. Pure: no database, no clock.
 */
export const PERIOD_I_UP_TO = "70";
export const PERIOD_I_TOLERANCE = "10";
export const PERIOD_II_TOLERANCE = "5";

export const CRITICAL_REASONS = ["behind_period1", "behind_period2", "past_fiscal_year"] as const;
export type CriticalReason = (typeof CRITICAL_REASONS)[number];

export interface CriticalInput {
  /** Planned cumulative progress (kurva S) at the report's period, percent. */
  planned: Dec | string;
  /** Actual cumulative physical progress, percent. */
  actual: Dec | string;
  /** The contract's start date (YYYY-MM-DD). */
  start: string;
  /** The day progress was measured (the report period's end, YYYY-MM-DD). */
  asOf: string;
  /** The fiscal year (its 31 December is the limit for rule c). */
  fiscalYear: number;
}

export interface CriticalVerdict {
  critical: boolean;
  reason: CriticalReason | null;
  /** Points behind the plan (planned − actual; negative when ahead). */
  behind: Dec;
  /** Finish date at the pace so far (null when nothing is done yet). */
  projectedFinish: string | null;
}

/** The day the work would be complete at the average pace from the start to `asOf`. */
export function projectedFinish(start: string, asOf: string, actual: Dec | string): string | null {
  const a = new D(actual);
  if (a.lte(0)) return null;
  if (a.gte(100)) return asOf;
  const elapsed = daysBetween(start, asOf) + 1;
  if (elapsed <= 0) return null;
  const total = new D(elapsed).times(100).div(a).ceil().toNumber();
  return addDays(start, total - 1);
}

export function evaluateCritical(i: CriticalInput): CriticalVerdict {
  const planned = new D(i.planned);
  const actual = new D(i.actual);
  const behind = planned.minus(actual);
  const finish = projectedFinish(i.start, i.asOf, actual);
  const verdict = (reason: CriticalReason | null): CriticalVerdict => ({ critical: reason !== null, reason, behind, projectedFinish: finish });
  if (actual.gte(100)) return verdict(null);
  if (planned.lte(PERIOD_I_UP_TO)) return verdict(behind.gt(PERIOD_I_TOLERANCE) ? "behind_period1" : null);
  if (behind.gt(PERIOD_II_TOLERANCE)) return verdict("behind_period2");
  const yearEnd = `${i.fiscalYear}-12-31`;
  if (finish === null || finish > yearEnd) return verdict("past_fiscal_year");
  return verdict(null);
}
