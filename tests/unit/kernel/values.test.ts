import { Quantity } from "../../../domain/kernel/quantity";
import { Percentage } from "../../../domain/kernel/percentage";
import { FiscalYear } from "../../../domain/kernel/fiscal-year";
import { parseKodeWilayah, parentKodeWilayah, wilayahWithin } from "../../../domain/kernel/codes";
import { DomainError } from "../../../domain/kernel/domain-error";

describe("Quantity", () => {
  it("multiplies factors with their units (10 orang × 2 hari)", () => {
    const v = Quantity.product([Quantity.of("10", "orang"), Quantity.of("2", "hari")]);
    expect(v.amount.toString()).toBe("20");
    expect(v.unit).toBe("orang × hari");
    expect(Quantity.product([Quantity.of("2.5", "m"), Quantity.of("0.4", "m")]).amount.toString()).toBe("1");
  });
  it("refuses negative, malformed or unitless volumes, and adding different units", () => {
    expect(() => Quantity.of("-1", "m")).toThrow(DomainError);
    expect(() => Quantity.of("1.23456", "m")).toThrow(DomainError);
    expect(() => Quantity.of("1", " ")).toThrow(DomainError);
    expect(() => Quantity.of("1", "m").plus(Quantity.of("1", "kg"))).toThrow(DomainError);
    expect(Quantity.of("1", "m").plus(Quantity.of("2.5", "m")).toString()).toBe("3.5 m");
  });
});

describe("Percentage", () => {
  it("holds 0–100 with two decimals and measures points between two", () => {
    expect(Percentage.of("40").pointsAbove(Percentage.of("52.5")).toString()).toBe("-12.5");
    expect(Percentage.of("12,5").toString()).toBe("12.50");
    expect(() => Percentage.of("100.01")).toThrow(DomainError);
    expect(() => Percentage.of("-0.01")).toThrow(DomainError);
    expect(() => Percentage.of("1.005")).toThrow(DomainError);
  });
});

describe("FiscalYear", () => {
  it("is the calendar year in WIB", () => {
    const fy = FiscalYear.of(2026);
    expect(fy.startsAt.toISOString()).toBe("2025-12-31T17:00:00.000Z");
    expect(fy.contains(new Date("2025-12-31T17:00:00Z"))).toBe(true);
    expect(fy.contains(new Date("2025-12-31T16:59:59Z"))).toBe(false);
    // 31 Dec 2026 23:30 WIB is still 2026; 18:00 UTC on 31 Dec is already 2027 in WIB.
    expect(FiscalYear.containing(new Date("2026-12-31T16:30:00Z")).year).toBe(2026);
    expect(FiscalYear.containing(new Date("2026-12-31T18:00:00Z")).year).toBe(2027);
  });
  it("refuses what is not a year", () => {
    for (const bad of ["20x6", "1999", 2026.5, "２０２６", "2026-1"]) expect(() => FiscalYear.of(bad as never)).toThrow(DomainError);
  });
});

describe("Kemendagri region codes", () => {
  it("parses the four levels", () => {
    expect(parseKodeWilayah("35").level).toBe(1);
    expect(parseKodeWilayah("35.22").level).toBe(2);
    expect(parseKodeWilayah("35.22.06").level).toBe(3);
    expect(parseKodeWilayah(" 35.22.06.2001 ").level).toBe(4);
    expect(parentKodeWilayah("35.22.06.2001")).toBe("35.22.06");
    expect(parentKodeWilayah("35")).toBeNull();
  });
  it.each(["3", "35.2", "35.22.6", "35.22.06.201", "35-22", "", "35.22.06.2001.1"])("refuses %j", (code) => {
    expect(() => parseKodeWilayah(code)).toThrow(DomainError);
  });
  it("knows what lies within what, by whole segments", () => {
    expect(wilayahWithin("35.22.06.2001", "35.22.06")).toBe(true);
    expect(wilayahWithin("35.22.06", "35.22.06")).toBe(true);
    expect(wilayahWithin("35.22.16.2001", "35.22.1")).toBe(false);
  });
});
