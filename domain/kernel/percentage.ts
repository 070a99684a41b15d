import Decimal from "decimal.js";
import { D, type Dec } from "./money";
import { DomainError } from "./domain-error";

/** A percentage between 0 and 100 inclusive, exact to 2 decimals (physical progress, weights). */
export class Percentage {
  private constructor(readonly value: Dec) {}

  static of(value: Decimal.Value): Percentage {
    const d = new D(typeof value === "string" ? value.trim().replace(",", ".") : value);
    if (!d.isFinite() || d.lt(0) || d.gt(100) || d.decimalPlaces() > 2)
      throw new DomainError("percentage.range", { text: String(value) });
    return new Percentage(d);
  }
  static readonly zero = new Percentage(new D(0));
  static readonly full = new Percentage(new D(100));

  /** Points between two percentages (e.g. planned − actual), may be negative. */
  pointsAbove(o: Percentage): Dec {
    return this.value.minus(o.value);
  }
  /** The share of a whole as a fraction (40% → 0.4). */
  asFraction(): Dec {
    return this.value.div(100);
  }
  gt(o: Percentage): boolean {
    return this.value.gt(o.value);
  }
  equals(o: Percentage): boolean {
    return this.value.eq(o.value);
  }
  toString(): string {
    return this.value.toFixed(2);
  }
  toJSON(): string {
    return this.toString();
  }
}
