import { D, type Dec } from "../../../domain/kernel/money";
export { formatRupiah as rupiahText, wibDate as wibDay } from "../../../domain/kernel/rupiah-text";
import type { Json, JsonObject } from "../schema";

/**
 * Values at the OCDS edge: amounts, moments and dates, and the removal of empty fields.
 *
 * Money. Jejak carries rupiah as exact decimal strings ("1250000.00", numeric(20,2)); OCDS requires
 * `Value.amount` to be a JSON number. The string becomes a number here and only here. A double holds every
 * amount with at most two decimals exactly enough to give the same decimal back (Number(s).toFixed(2) === s,
 * and JSON.stringify writes the same digits) as long as its magnitude is below 2^46 ≈ 7.04 × 10^13
 * (Rp 70 triliun): there the spacing of doubles (2^-7 ≈ 0.0078) is finer than a sen, so the nearest double
 * to a sen amount lies within half a sen of it and no two sen amounts share one. From 2^46 upward the
 * spacing is 2^-6 > 0.01 and neighbouring sen amounts collide (measured: 89,999,999,999,999.99 comes back as
 * …99.98) — so the often-quoted bound 2^53/100 is too generous. Anything at or above 2^46, or any string
 * that does not survive the round trip, is refused rather than published wrong. The largest APBD of any
 * pemda is about Rp 80 triliun in total; a single package is orders of magnitude below the bound.
 *
 * Moments (timestamps) are written in UTC (`toISOString`), so that release dates compare as strings in
 * time order — the merge orders releases by comparing their `date` strings. Calendar dates (a contract's
 * start, an SPPBJ date) are days in WIB, the calendar officers and regulations speak in, written as the
 * start (00:00:00+07:00) or the end (23:59:59+07:00) of that day.
 */

const MAX_EXACT = 2 ** 46;
const SEN = /^-?\d{1,18}(\.\d{1,2})?$/;

export class OcdsValueError extends Error {
  override name = "OcdsValueError";
}

/** A rupiah amount (exact decimal string) as an OCDS number; refuses what a double would not keep exact. */
export function rupiahNumber(text: string): number {
  const t = String(text).trim();
  if (!SEN.test(t)) throw new OcdsValueError(`not a rupiah amount: ${JSON.stringify(text)}`);
  const n = Number(t);
  const [int, frac = ""] = t.replace("-", "").split(".");
  const canonical = `${t.startsWith("-") && n !== 0 ? "-" : ""}${BigInt(int).toString()}.${frac.padEnd(2, "0")}`;
  if (!(Math.abs(n) < MAX_EXACT) || n.toFixed(2) !== canonical) throw new OcdsValueError(`the amount ${t} cannot be published exactly as a JSON number (limit 2^46)`);
  return n;
}

/** A percentage (progress, an exact decimal string such as "42.50") as a JSON number; refuses anything else. */
export function percentNumber(text: string): number {
  const t = String(text).trim();
  if (!/^-?\d{1,3}(\.\d{1,4})?$/.test(t)) throw new OcdsValueError(`not a percentage: ${JSON.stringify(text)}`);
  return Number(t);
}

/**
 * An OCDS amount (a JSON number) read back as an exact Decimal: the shortest decimal that names the double,
 * which is the published sen amount (see above). Sums and comparisons of amounts are made on these, never on
 * the doubles.
 */
export function amountDecimal(n: number): Dec {
  return new D(String(n));
}

/** An OCDS Value in rupiah. */
export function idr(text: string): JsonObject {
  return { amount: rupiahNumber(text), currency: "IDR" };
}

/** A moment as an ISO 8601 date-time in UTC; null when absent. */
export function moment(x: Date | string | null | undefined): string | null {
  if (x === null || x === undefined || x === "") return null;
  const d = x instanceof Date ? x : new Date(x);
  if (Number.isNaN(d.getTime())) throw new OcdsValueError(`not a moment: ${JSON.stringify(x)}`);
  return d.toISOString();
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The start of a WIB calendar day (yyyy-mm-dd) as a date-time; null when absent. */
export function dayStart(day: string | null | undefined): string | null {
  if (!day) return null;
  if (!DAY.test(day)) throw new OcdsValueError(`not a date: ${JSON.stringify(day)}`);
  return `${day}T00:00:00+07:00`;
}

/** The end of a WIB calendar day (yyyy-mm-dd) as a date-time; null when absent. */
export function dayEnd(day: string | null | undefined): string | null {
  if (!day) return null;
  if (!DAY.test(day)) throw new OcdsValueError(`not a date: ${JSON.stringify(day)}`);
  return `${day}T23:59:59+07:00`;
}

/** A period from its two ends; null when both are absent. */
export function period(startDate: string | null, endDate: string | null): JsonObject | null {
  return startDate || endDate ? compact({ startDate, endDate }) : null;
}

/** A WIB calendar day for people: "5 Januari 2027". */
export function dayText(day: string): string {
  const months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
  const [y, m, d] = day.split("-").map(Number);
  return `${d} ${months[m - 1]} ${y}`;
}


type Loose = Json | undefined;

/**
 * The value without empty fields, deeply: null, undefined, "" (or blank), [] and {} are dropped, so a
 * release never carries a field that says nothing (the quality report flags empty fields, and a null in a
 * release would remove a value from the compiled release). Explicit nulls are never published by the mapping.
 */
export function compact<T extends Record<string, Loose>>(o: T): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    const c = clean(v);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

function clean(v: Loose): Json | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v.trim() === "" ? undefined : v;
  if (Array.isArray(v)) {
    const items = v.map(clean).filter((x): x is Json => x !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof v === "object") {
    const o = compact(v as Record<string, Loose>);
    return Object.keys(o).length ? o : undefined;
  }
  return v;
}
