import { Money } from "./money";

/**
 * "Terbilang": a rupiah amount in Indonesian words, as written on receipts (kuitansi), SPM/SP2D and
 * contracts. Read exactly from the canonical decimal string, never through a JS number:
 *
 *   "1250000.00" → "satu juta dua ratus lima puluh ribu rupiah"
 *   "1001.50"    → "seribu satu rupiah lima puluh sen"
 *   "0"          → "nol rupiah"
 *   "-21.05"     → "minus dua puluh satu rupiah lima sen"
 *
 * Covers every amount numeric(20,2) holds (up to 999.999 kuadriliun). Sen are read as a number of
 * sen ("lima puluh sen"), after the rupiah ("nol rupiah lima puluh sen" below one rupiah).
 * Throws DomainError "money.format" for text that is not an amount.
 */
export function terbilang(amount: string | Money): string {
  const canonical = (typeof amount === "string" ? Money.idr(amount) : amount).toString();
  const negative = canonical.startsWith("-");
  const [int, sen] = canonical.replace(/^-/, "").split(".");
  const rupiah = integerWords(int);
  const senWords = belowThousand(Number(sen));
  const words = `${rupiah || "nol"} rupiah${senWords ? ` ${senWords} sen` : ""}`;
  return negative && (rupiah || senWords) ? `minus ${words}` : words;
}

const ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"];

/** 0–999 in words ("" for 0): sebelas, dua belas, seratus, seratus sebelas, dua ratus. */
function belowThousand(n: number): string {
  if (n < 12) return ONES[n];
  if (n < 20) return `${ONES[n - 10]} belas`;
  if (n < 100) return join(`${ONES[Math.floor(n / 10)]} puluh`, ONES[n % 10]);
  const hundreds = Math.floor(n / 100);
  return join(hundreds === 1 ? "seratus" : `${ONES[hundreds]} ratus`, belowThousand(n % 100));
}

const SCALES = ["", "ribu", "juta", "miliar", "triliun", "kuadriliun"];

/** A string of digits in words ("" for zero): groups of three from the right, "seribu" for 1.000. */
function integerWords(digits: string): string {
  const d = digits.replace(/^0+/, "");
  if (!d) return "";
  const groups: number[] = [];
  for (let end = d.length; end > 0; end -= 3) groups.unshift(Number(d.slice(Math.max(0, end - 3), end)));
  if (groups.length > SCALES.length) throw new RangeError(`terbilang: ${digits} is beyond kuadriliun`);
  const parts: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    const scale = SCALES[groups.length - 1 - i];
    if (scale === "ribu" && g === 1) parts.push("seribu");
    else parts.push(join(belowThousand(g), scale));
  });
  return parts.join(" ");
}

const join = (a: string, b: string) => (b ? `${a} ${b}` : a);
