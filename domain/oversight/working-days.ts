import { wibDate } from "../kernel/rupiah-text";

/**
 * Working days (hari kerja) as government offices count them: Monday to Friday, minus the national
 * holidays, cuti bersama and the tenant's own holidays. Days are WIB calendar dates, "yyyy-mm-dd".
 * Pure: the holidays are passed in.
 */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

function toUtc(day: Day): number {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  if (new Date(t).toISOString().slice(0, 10) !== day) throw new Error(`not a day: ${day}`);
  return t;
}

/** The calendar day after (or n days after) a day. */
export function nextDay(day: Day, n = 1): Day {
  return new Date(toUtc(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The WIB date of a moment. */
export function wibDay(at: Date): Day {
  return wibDate(at);
}

export function isWeekend(day: Day): boolean {
  const wd = new Date(toUtc(day)).getUTCDay();
  return wd === 0 || wd === 6;
}

export function isWorkingDay(day: Day, holidays: ReadonlySet<Day>): boolean {
  return !isWeekend(day) && !holidays.has(day);
}

/**
 * The n-th working day after `start` (the day itself does not count, as with a letter received today:
 * "2 hari kerja" ends on the second working day after it). n = 0 gives `start`.
 */
export function addWorkingDays(start: Day, n: number, holidays: ReadonlySet<Day>): Day {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a whole number ≥ 0: ${n}`);
  let day = start;
  toUtc(day);
  for (let left = n; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDay(day, holidays)) left--;
  }
  return day;
}

/**
 * Working days from `from` (exclusive) to `to` (inclusive): how many working days have passed. Negative
 * when `to` is before `from` (the days from `to`, exclusive, to `from`, inclusive, counted back).
 */
export function workingDaysBetween(from: Day, to: Day, holidays: ReadonlySet<Day>): number {
  const a = toUtc(from);
  const b = toUtc(to);
  if (b < a) return -workingDaysBetween(to, from, holidays);
  let count = 0;
  for (let t = a + MS_PER_DAY; t <= b; t += MS_PER_DAY) if (isWorkingDay(new Date(t).toISOString().slice(0, 10), holidays)) count++;
  return count;
}
