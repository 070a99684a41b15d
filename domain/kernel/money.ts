import Decimal from "decimal.js";
import { DomainError } from "./domain-error";

/** Decimal configured once for all money arithmetic: 40 significant digits, half-up. */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

/** numeric(20,2): at most 18 integer digits and 2 decimals. */
const RUPIAH = /^-?\d{1,18}(\.\d{1,2})?$/;

/**
 * An amount of rupiah, exact to the sen. Immutable.
 * No JS number ever carries one: construct from a string or a Decimal.
 */
export class Money {
  private constructor(private readonly value: Dec) {}

  /** Parses the canonical form "1250000.00" (also "1250000" or "1250000.5"). */
  static idr(text: string): Money {
    const t = String(text).trim();
    if (!RUPIAH.test(t)) throw new DomainError("money.format", { text: t });
    return new Money(new D(t));
  }

  /** From a Decimal that must already be exact to the sen. */
  static fromDecimal(value: Decimal.Value): Money {
    const d = new D(value);
    if (!d.isFinite() || d.decimalPlaces() > 2) throw new DomainError("money.format", { text: d.toString() });
    if (d.abs().gte("1e18")) throw new DomainError("money.tooLarge", { text: d.toString() });
    return new Money(d);
  }

  static readonly zero = new Money(new D(0));

  static sum(items: Iterable<Money>): Money {
    let total = new D(0);
    for (const m of items) total = total.plus(m.value);
    return new Money(total);
  }

  plus(o: Money): Money {
    return new Money(this.value.plus(o.value));
  }
  minus(o: Money): Money {
    return new Money(this.value.minus(o.value));
  }
  negated(): Money {
    return new Money(this.value.negated());
  }
  /** Unit price × volume. Rounded half-up to the sen here, and only here. */
  times(factor: Decimal.Value): Money {
    return new Money(this.value.times(new D(factor)).toDecimalPlaces(2, D.ROUND_HALF_UP));
  }
  /** This amount as a share of a whole, half-up to `places` decimals (e.g. absorption %). */
  percentOf(whole: Money, places = 2): Dec {
    if (whole.value.isZero()) return new D(0);
    return this.value.div(whole.value).times(100).toDecimalPlaces(places, D.ROUND_HALF_UP);
  }
  /**
   * Splits this amount into parts proportional to `weights`, half-up to the sen, with the
   * rounding remainder given to the largest parts first so that the parts always add up.
   */
  allocate(weights: readonly Decimal.Value[]): Money[] {
    const ws = weights.map((w) => new D(w));
    const total = ws.reduce((a, b) => a.plus(b), new D(0));
    if (ws.length === 0 || total.lte(0) || ws.some((w) => w.isNegative()))
      throw new DomainError("money.allocateWeights");
    const sen = this.value.times(100);
    const raw = ws.map((w) => sen.times(w).div(total));
    const floors = raw.map((r) => r.floor());
    let remainder = sen.minus(floors.reduce((a, b) => a.plus(b), new D(0))).toNumber();
    const order = raw
      .map((r, i) => ({ i, frac: r.minus(r.floor()) }))
      .sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
    const parts = floors.slice();
    for (const { i } of order) {
      if (remainder <= 0) break;
      parts[i] = parts[i].plus(1);
      remainder -= 1;
    }
    return parts.map((p) => new Money(p.div(100)));
  }

  exceeds(o: Money): boolean {
    return this.value.gt(o.value);
  }
  lessThan(o: Money): boolean {
    return this.value.lt(o.value);
  }
  equals(o: Money): boolean {
    return this.value.eq(o.value);
  }
  compare(o: Money): number {
    return this.value.comparedTo(o.value);
  }
  isZero(): boolean {
    return this.value.isZero();
  }
  isNegative(): boolean {
    return this.value.isNegative();
  }
  toDecimal(): Dec {
    return this.value;
  }
  /** The one door to a JSON number (OCDS value.amount). Refuses what a double cannot hold exactly. */
  toJsonNumber(): number {
    const sen = this.value.times(100);
    if (!Number.isSafeInteger(sen.toNumber())) throw new DomainError("money.tooLargeForJson");
    return sen.toNumber() / 100;
  }
  /** Canonical "1250000.00". */
  toString(): string {
    return this.value.toFixed(2);
  }
  toJSON(): string {
    return this.toString();
  }
}
