import { Money } from "../../../domain/kernel/money";
import { DomainError } from "../../../domain/kernel/domain-error";

describe("Money", () => {
  it("parses canonical rupiah and prints it back with two decimals", () => {
    expect(Money.idr("1250000").toString()).toBe("1250000.00");
    expect(Money.idr("1250000.5").toString()).toBe("1250000.50");
    expect(Money.idr("-12.34").toString()).toBe("-12.34");
    expect(JSON.stringify({ v: Money.idr("7.1") })).toBe('{"v":"7.10"}');
  });

  it.each(["1.555", "abc", "", "1,5", "1e3", "1234567890123456789", " 1 2"])("refuses %j with money.format", (text) => {
    expect(() => Money.idr(text)).toThrow(DomainError);
    try {
      Money.idr(text);
    } catch (e) {
      expect((e as DomainError).key).toBe("money.format");
    }
  });

  it("adds exactly where binary floating point does not", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(Money.idr("0.10").plus(Money.idr("0.20")).equals(Money.idr("0.30"))).toBe(true);
    const many = Array.from({ length: 1000 }, () => Money.idr("0.01"));
    expect(Money.sum(many).toString()).toBe("10.00");
  });

  it("handles amounts near the numeric(20,2) limit without losing a sen", () => {
    const big = Money.idr("999999999999999999.99");
    expect(big.minus(Money.idr("0.01")).toString()).toBe("999999999999999999.98");
    expect(big.plus(Money.idr("0.01")).toString()).toBe("1000000000000000000.00");
  });

  it("rounds price × volume half-up to the sen, only in times()", () => {
    expect(Money.idr("10000.00").times("0.333").toString()).toBe("3330.00");
    expect(Money.idr("0.05").times("0.5").toString()).toBe("0.03"); // 0.025 → 0.03 (half-up)
    expect(Money.idr("0.05").times("0.1").toString()).toBe("0.01"); // 0.005 → 0.01
    expect(Money.idr("0.04").times("0.1").toString()).toBe("0.00"); // 0.004 → 0.00
    expect(Money.idr("-0.05").times("0.5").toString()).toBe("-0.03"); // half away from zero
    expect(Money.idr("1234567.89").times("2.5").toString()).toBe("3086419.73"); // 3086419.725 → .73
  });

  it("allocates a ceiling into parts that always add back up", () => {
    const parts = Money.idr("100.00").allocate(["1", "1", "1"]);
    expect(parts.map(String)).toEqual(["33.34", "33.33", "33.33"]);
    expect(Money.sum(parts).toString()).toBe("100.00");
    const odd = Money.idr("1000000.01").allocate(["3", "7"]);
    expect(Money.sum(odd).toString()).toBe("1000000.01");
    expect(() => Money.idr("1").allocate([])).toThrow(DomainError);
    expect(() => Money.idr("1").allocate(["0"])).toThrow(DomainError);
  });

  it("compares and computes percentages in Decimal", () => {
    expect(Money.idr("2").exceeds(Money.idr("1.99"))).toBe(true);
    expect(Money.idr("1.99").exceeds(Money.idr("2"))).toBe(false);
    expect(Money.idr("1").percentOf(Money.idr("3")).toString()).toBe("33.33");
    expect(Money.idr("2").percentOf(Money.idr("3")).toString()).toBe("66.67");
    expect(Money.idr("2").percentOf(Money.zero).toString()).toBe("0");
  });

  it("leaves through one door to a JSON number, and refuses what a double cannot hold", () => {
    expect(Money.idr("1250000.10").toJsonNumber()).toBe(1250000.1);
    expect(() => Money.idr("999999999999999999.99").toJsonNumber()).toThrow(DomainError);
  });

  it("fromDecimal refuses fractions of a sen", () => {
    expect(Money.fromDecimal("12.30").toString()).toBe("12.30");
    expect(() => Money.fromDecimal("12.301")).toThrow(DomainError);
  });
});
