import { DomainError } from "../kernel/domain-error";
import { D, type Dec, Money } from "../kernel/money";

/**
 * The planned S-curve (kurva S) of a contract: its work items, weighted by value, spread evenly over the
 * periods they are planned in, summed cumulatively per reporting period. Pure: no database, no clock.
 */

import { PERIOD_KINDS, type PeriodKind } from "./vocabulary";
export { PERIOD_KINDS, type PeriodKind };

export interface Period {
  no: number;
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, inclusive. */
  end: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** Adds whole months to a date, keeping the day of the month where it exists (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return iso(Date.UTC(y, m, Math.min(d, last)));
}

export function addDays(date: string, days: number): string {
  return iso(day(date) + days * DAY);
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((day(b) - day(a)) / DAY);
}

/**
 * The reporting periods of a contract from its start to its end date (both inclusive): weeks of seven days
 * from the start, or months from the start's day of the month; the last period ends on the end date.
 */
export function periodsOf(kind: PeriodKind, start: string, end: string): Period[] {
  if (!DATE.test(start) || !DATE.test(end) || end < start) throw new DomainError("monev.schedule.contractDates", { start, end });
  const out: Period[] = [];
  for (let no = 1; ; no++) {
    const s = kind === "weekly" ? addDays(start, 7 * (no - 1)) : addMonths(start, no - 1);
    if (s > end) break;
    const next = kind === "weekly" ? addDays(start, 7 * no) : addMonths(start, no);
    const e = addDays(next, -1);
    out.push({ no, start: s, end: e < end ? e : end });
    if (no > 1000) throw new DomainError("monev.schedule.contractDates", { start, end });
  }
  return out;
}

/** The period a date falls in (null before the start or after the end). */
export function periodAt(periods: readonly Period[], date: string): Period | null {
  return periods.find((p) => p.start <= date && date <= p.end) ?? null;
}

/**
 * Weights (percent, two decimals) proportional to the items' values, summing to exactly 100.00: each is
 * rounded down to the hundredth and the remaining hundredths go to the largest remainders first (ties to
 * the earlier item).
 */
export function weightsByValue(values: readonly Money[]): Dec[] {
  const total = Money.sum(values);
  if (values.length === 0 || !total.exceeds(Money.zero)) throw new DomainError("monev.schedule.noItems", {}, "invalid", "items");
  const totalD = new D(total.toString());
  const raw = values.map((v) => new D(v.toString()).div(totalD).times(10000));
  const floors = raw.map((r) => r.floor());
  let left = new D(10000).minus(floors.reduce((a, b) => a.plus(b), new D(0))).toNumber();
  const order = raw.map((r, i) => ({ i, frac: r.minus(r.floor()) })).sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
  const units = floors.slice();
  for (const { i } of order) {
    if (left <= 0) break;
    units[i] = units[i].plus(1);
    left -= 1;
  }
  return units.map((u) => u.div(100));
}

export interface ScheduledItem {
  /** Percent of the contract, two decimals. */
  weight: Dec | string;
  /** First and last planned period, 1-based, inclusive. */
  plannedStart: number;
  plannedEnd: number;
}

/**
 * The planned cumulative progress (percent, half-up to two decimals) at the end of each period 1…n: each
 * item contributes its weight spread evenly over its planned periods. When every item ends within the n
 * periods the last value is the sum of the weights (100.00 for a whole schedule).
 */
export function plannedCurve(items: readonly ScheduledItem[], periods: number): Dec[] {
  const out: Dec[] = [];
  for (let p = 1; p <= periods; p++) {
    let sum = new D(0);
    for (const it of items) {
      const span = it.plannedEnd - it.plannedStart + 1;
      const done = Math.min(Math.max(p - it.plannedStart + 1, 0), span);
      sum = sum.plus(new D(it.weight).times(done).div(span));
    }
    out.push(sum.toDecimalPlaces(2, D.ROUND_HALF_UP));
  }
  return out;
}

/** The planned progress at a period (after the last period: the last value; before the first: 0). */
export function plannedAt(curve: readonly Dec[], periodNo: number): Dec {
  if (periodNo < 1 || curve.length === 0) return new D(0);
  return curve[Math.min(periodNo, curve.length) - 1];
}

/** Cumulative physical progress of the whole contract: Σ weight × item progress ÷ 100, half-up to two decimals. */
export function weightedProgress(items: readonly { weight: Dec | string; physical: Dec | string }[]): Dec {
  return items.reduce((s, it) => s.plus(new D(it.weight).times(new D(it.physical)).div(100)), new D(0)).toDecimalPlaces(2, D.ROUND_HALF_UP);
}

/** Deviation in points: actual − planned (negative when behind plan). */
export function deviation(actual: Dec | string, planned: Dec | string): Dec {
  return new D(actual).minus(new D(planned));
}
