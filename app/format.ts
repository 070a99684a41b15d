import type { Lang } from "./i18n";

const RUPIAH_TEXT = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Rupiah the Indonesian way, from the canonical decimal string (never through a JS number):
 * "1250000.00" → "Rp1.250.000,00"; "-5.5" → "-Rp5,50".
 */
export function formatRupiah(amount: string | { toString(): string }): string {
  const text = String(amount).trim();
  const m = RUPIAH_TEXT.exec(text);
  if (!m) return text;
  const [, neg, digits, frac = ""] = m;
  // Grouped by slicing rather than by regular expressions: a 300-line RKA shows some 600 amounts.
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++; // leading zeros
  const int = start ? digits.slice(start) : digits;
  let end = int.length % 3 || 3;
  let grouped = int.slice(0, end);
  for (; end < int.length; end += 3) grouped += "." + int.slice(end, end + 3);
  return `${neg ? "-" : ""}Rp${grouped},${frac.length === 2 ? frac : frac.padEnd(2, "0")}`;
}

const ZONE = "Asia/Jakarta";
const locale = (lang: Lang) => (lang === "id" ? "id-ID" : "en-GB");

/** Intl formatters are costly to build: one of each per language, made on first use. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** An integer count with Indonesian (or English) grouping: 83763 → "83.763". */
export function formatCount(n: number, lang: Lang = "id"): string {
  return cached(`count:${lang}`, () => new Intl.NumberFormat(locale(lang))).format(n);
}

/** A moment shown in WIB: "25 Nov 2026 21.14 WIB". */
export function formatDateTime(at: Date | string, lang: Lang = "id"): string {
  const f = cached(`dt:${lang}`, () => new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }));
  return `${f.format(new Date(at))} WIB`;
}

export function formatDate(at: Date | string, lang: Lang = "id"): string {
  return cached(`d:${lang}`, () => new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" })).format(new Date(at));
}
