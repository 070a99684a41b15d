/** Amounts and days as Indonesian readers write them: shared by the pages, the exports and the open data. */

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

/** The date in WIB (yyyy-mm-dd) of a moment: the calendar officers and regulations speak in. */
export function wibDate(at: Date | string): string {
  const d = at instanceof Date ? at : new Date(at);
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}
