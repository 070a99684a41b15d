import { amountOf, kindOfAccount, normaliseQty, volumeOf } from "../../../domain/budgeting/lines";
import { Money } from "../../../domain/kernel/money";
import { Problems, ValidationErrors } from "../../../domain/kernel/domain-error";

describe("RKA line arithmetic", () => {
  it("multiplies up to four factors exactly and joins their units", () => {
    expect(volumeOf([{ qty: "10", unit: "orang" }, { qty: "2", unit: "hari" }])).toMatchObject({ volume: "20", unit: "orang × hari" });
    expect(volumeOf([{ qty: "0,125", unit: "m3" }, { qty: "3", unit: "titik" }, { qty: "1.5", unit: "lapis" }, { qty: "7", unit: "ruas" }]).volume).toBe("3.9375");
    expect(volumeOf([{ qty: "1.250,5", unit: "m2" }]).volume).toBe("1250.5");
    expect(volumeOf([{ qty: "0.0001", unit: "ton" }, { qty: "0.0003", unit: "kali" }]).volume).toBe("0.00000003");
  });

  it("names each bad factor", () => {
    const p = new Problems();
    volumeOf([{ qty: "0", unit: "orang" }, { qty: "2", unit: "" }, { qty: "1.23456", unit: "x" }], p);
    expect(p.list.map((x) => [x.field, x.key])).toEqual([
      ["factor1", "budget.line.factorFormat"],
      ["factor2", "budget.line.factorUnit"],
      ["factor3", "budget.line.factorFormat"],
    ]);
    const none = new Problems();
    volumeOf([{ qty: "", unit: "" }], none);
    expect(() => none.throwIfAny()).toThrow(ValidationErrors);
  });

  it("rounds the amount half-up to the sen once, after tax", () => {
    // 3 × Rp33.333,33 = 99.999,99 (no float drift).
    expect(amountOf("3", Money.idr("33333.33"), "0").toString()).toBe("99999.99");
    // 0.1 + 0.2 style trap: 0.3 × 0.1 … kept exact.
    expect(amountOf("0.3", Money.idr("0.10"), "0").toString()).toBe("0.03");
    // 7 × 1.234,57 × 1.11 = 9.592,60 (9592.6089 half-up).
    expect(amountOf("7", Money.idr("1234.57"), "11").toString()).toBe("9592.61");
    // Half a sen rounds up: 1 × 0.05 × 1.1 = 0.055 → 0.06 (tax 10 is not offered, but the arithmetic is general).
    expect(amountOf("1", Money.idr("0.05"), "10").toString()).toBe("0.06");
    // Large: 150,000 × Rp987.654.321,99 = 148.148.148.298.500,00
    expect(amountOf("150000", Money.idr("987654321.99"), "0").toString()).toBe("148148148298500.00");
    expect(amountOf("3.9375", Money.idr("1250000"), "12").toString()).toBe("5512500.00");
  });

  it("knows which RKA an account belongs to", () => {
    expect(kindOfAccount("5.1.02.01.01.0024")).toBe("belanja");
    expect(kindOfAccount("4.1.01.09.01.0001")).toBe("pendapatan");
    expect(kindOfAccount("6.1.01.01.01.0001")).toBe("pembiayaan");
    expect(kindOfAccount("1.3.2")).toBeNull();
    expect(normaliseQty(" 2,5 ")).toBe("2.5");
  });
});
