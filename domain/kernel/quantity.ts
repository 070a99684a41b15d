import Decimal from "decimal.js";
import { D, type Dec } from "./money";
import { DomainError } from "./domain-error";

const QTY = /^\d{1,14}(\.\d{1,4})?$/;

/** A non-negative amount of something in a unit ("10 orang", "2,5 km"). Exact, up to 4 decimals. */
export class Quantity {
  private constructor(
    readonly amount: Dec,
    readonly unit: string,
  ) {}

  static of(amount: Decimal.Value, unit: string): Quantity {
    const d = new D(typeof amount === "string" ? amount.trim() : amount);
    if (!d.isFinite() || d.isNegative() || !QTY.test(d.toFixed()))
      throw new DomainError("quantity.format", { text: String(amount) });
    const u = unit.trim();
    if (!u) throw new DomainError("quantity.unitRequired");
    return new Quantity(d, u);
  }

  /** Volume as a product of factors, e.g. 10 orang × 2 hari = 20 orang-hari. */
  static product(factors: readonly Quantity[]): Quantity {
    if (factors.length === 0) throw new DomainError("quantity.noFactors");
    const amount = factors.reduce((a, f) => a.times(f.amount), new D(1));
    return new Quantity(amount, factors.map((f) => f.unit).join(" × "));
  }

  plus(o: Quantity): Quantity {
    if (o.unit !== this.unit) throw new DomainError("quantity.unitMismatch", { a: this.unit, b: o.unit });
    return new Quantity(this.amount.plus(o.amount), this.unit);
  }
  equals(o: Quantity): boolean {
    return this.unit === o.unit && this.amount.eq(o.amount);
  }
  toString(): string {
    return `${this.amount.toFixed()} ${this.unit}`;
  }
  toJSON() {
    return { amount: this.amount.toFixed(), unit: this.unit };
  }
}
