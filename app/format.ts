import type { Lang } from "./i18n";

export { formatRupiah } from "../domain/kernel/rupiah-text";

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
