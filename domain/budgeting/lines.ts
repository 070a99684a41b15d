import { D, Money } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";

/** One factor of a line's volume: "10 orang", "2 hari". */
export interface Factor {
  qty: string;
  unit: string;
}

/** Tax rates a line may carry (PPN 11% and 12% under UU HPP; 0 for none). */
export const TAX_RATES = ["0", "11", "12"] as const;

const QTY = /^\d{1,12}(\.\d{1,4})?$/;

/** "1.250,5" or "1250.5" or "1250,5" → "1250.5" (quantities: Indonesian or plain decimals). */
export function normaliseQty(text: string): string {
  const t = String(text ?? "").trim().replace(/\s/g, "");
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return t.replace(/\./g, "").replace(",", ".");
  return t.replace(",", ".");
}

/**
 * The volume of a line as the exact product of one to four factors, each a positive number with at most
 * four decimals, and its unit (the factors' units joined, e.g. "orang × hari", unless the line names one).
 * Problems come back per factor (factor1…factor4).
 */
export function volumeOf(factors: Factor[], p = new Problems()): { volume: string; unit: string; factors: Factor[] } {
  const used = factors.filter((f) => String(f.qty ?? "").trim() !== "" || String(f.unit ?? "").trim() !== "");
  if (used.length === 0) p.add("factor1", "budget.line.factorRequired");
  if (used.length > 4) p.add("factor5", "budget.line.tooManyFactors");
  const clean: Factor[] = [];
  used.slice(0, 4).forEach((f, i) => {
    const qty = normaliseQty(f.qty);
    const unit = String(f.unit ?? "").trim().slice(0, 40);
    if (!QTY.test(qty) || new D(qty).lte(0)) p.add(`factor${i + 1}`, "budget.line.factorFormat", { value: f.qty });
    else if (!unit) p.add(`factor${i + 1}`, "budget.line.factorUnit");
    else clean.push({ qty: new D(qty).toFixed(), unit });
  });
  const volume = clean.reduce((v, f) => v.times(f.qty), new D(1));
  return { volume: volume.toFixed(), unit: clean.map((f) => f.unit).join(" × "), factors: clean };
}

/**
 * A line's amount: volume × unit price × (100 + tax) / 100, rounded half-up to the sen once, at the end.
 * Totals are sums of these amounts, so they always reconcile with the lines.
 */
export function amountOf(volume: string, unitPrice: Money, taxPercent: string): Money {
  const v = new D(volume);
  const t = new D(taxPercent);
  if (!v.isFinite() || v.lte(0)) throw new DomainError("budget.line.factorFormat", { value: volume });
  const exact = new D(unitPrice.toString()).times(v).times(t.plus(100)).div(100);
  return Money.fromDecimal(exact.toDecimalPlaces(2, D.ROUND_HALF_UP));
}

/** Which kind of RKA an account code may appear in: 4 pendapatan, 5 belanja, 6 pembiayaan. */
export function kindOfAccount(code: string): "pendapatan" | "belanja" | "pembiayaan" | null {
  return ({ "4": "pendapatan", "5": "belanja", "6": "pembiayaan" } as const)[code.trim().charAt(0) as "4" | "5" | "6"] ?? null;
}
