import { DomainError } from "./domain-error";

export const TENANT_TIME_ZONE = "Asia/Jakarta";

/** An Indonesian fiscal year: the calendar year (1 January – 31 December, WIB). */
export class FiscalYear {
  private constructor(readonly year: number) {}

  static of(year: number | string): FiscalYear {
    const y = typeof year === "string" ? Number.parseInt(year, 10) : year;
    if (!Number.isInteger(y) || y < 2000 || y > 2100 || String(y) !== String(year).trim())
      throw new DomainError("fiscalYear.invalid", { text: String(year) });
    return new FiscalYear(y);
  }

  /** The fiscal year a moment falls in, read in WIB (UTC+7, no daylight saving). */
  static containing(at: Date): FiscalYear {
    return new FiscalYear(new Date(at.getTime() + 7 * 3600_000).getUTCFullYear());
  }

  /** First instant of the year in WIB, as UTC. */
  get startsAt(): Date {
    return new Date(Date.UTC(this.year, 0, 1) - 7 * 3600_000);
  }
  /** First instant of the next year in WIB, as UTC (exclusive end). */
  get endsBefore(): Date {
    return new Date(Date.UTC(this.year + 1, 0, 1) - 7 * 3600_000);
  }
  contains(at: Date): boolean {
    return at >= this.startsAt && at < this.endsBefore;
  }
  next(): FiscalYear {
    return new FiscalYear(this.year + 1);
  }
  previous(): FiscalYear {
    return new FiscalYear(this.year - 1);
  }
  equals(o: FiscalYear): boolean {
    return o.year === this.year;
  }
  toString(): string {
    return String(this.year);
  }
  toJSON(): number {
    return this.year;
  }
}
