import { describe, expect, it } from "vitest";
import { shippedMethodRules } from "../../../imports/procurement/method-rules";
import { judgeMethod, overlappingRules, rulesInForce } from "../../../domain/procurement/rules";
import { DomainError } from "../../../domain/kernel/domain-error";
import { Money } from "../../../domain/kernel/money";
import { formatNpwp, parseNpwp } from "../../../domain/procurement/vendors";
import { seal, unseal } from "../../../domain/procurement/sealing";

const rules = shippedMethodRules();
const judge = (method: string, kind: string, value: string, on: string) => judgeMethod(rules, { method: method as never, kind: kind as never, value: Money.idr(value), on });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { key: e.key, params: e.params };
    throw e;
  }
  return null;
};

describe("method rules (dated data with their legal source)", () => {
  it("ships a table without overlaps, one rule per method and kind on any date", () => {
    expect(rules.length).toBeGreaterThan(30);
    expect(overlappingRules(rules)).toEqual([]);
    expect(overlappingRules([...rules, { ...rules[0], id: "zz-copy" }])).toEqual([`${rules[0].id}/zz-copy`]);
  });

  it("pengadaan langsung for construction: Rp200 jt under Perpres 12/2021, Rp400 jt from Perpres 46/2025", () => {
    expect(judge("pengadaan_langsung", "konstruksi", "200000000.00", "2024-06-01").regulation).toBe("Perpres 12/2021");
    expect(refusal(() => judge("pengadaan_langsung", "konstruksi", "350000000.00", "2024-06-01"))).toEqual({
      key: "procure.rule.aboveMax",
      params: expect.objectContaining({ max: "200000000.00", rule: "Perpres 12/2021 Pasal 38 ayat (3)" }),
    });
    expect(judge("pengadaan_langsung", "konstruksi", "350000000.00", "2025-05-02").regulation).toBe("Perpres 46/2025");
    expect(refusal(() => judge("pengadaan_langsung", "konstruksi", "400000000.01", "2027-01-10"))?.key).toBe("procure.rule.aboveMax");
    // The boundary day of each regulation belongs to it.
    expect(judge("pengadaan_langsung", "konstruksi", "300000000.00", "2025-04-30").id).toBe("p46-pl-konstruksi");
    expect(refusal(() => judge("pengadaan_langsung", "konstruksi", "300000000.00", "2025-04-29"))?.key).toBe("procure.rule.aboveMax");
  });

  it("goods and other services stay at Rp200 jt; consultancy at Rp100 jt", () => {
    expect(refusal(() => judge("pengadaan_langsung", "barang", "200000000.01", "2027-01-10"))?.key).toBe("procure.rule.aboveMax");
    expect(judge("pengadaan_langsung", "jasa_lainnya", "200000000.00", "2027-01-10").id).toBe("p46-pl-jasa");
    expect(refusal(() => judge("pengadaan_langsung", "konsultansi", "150000000.00", "2022-01-10"))?.params).toMatchObject({ rule: "Perpres 12/2021 Pasal 41 ayat (3)" });
  });

  it("a tender below the threshold is refused, and a method that does not fit the kind is named", () => {
    expect(refusal(() => judge("tender", "konstruksi", "300000000.00", "2027-01-10"))).toMatchObject({ key: "procure.rule.belowMin", params: { min: "400000000.01" } });
    expect(judge("tender", "konstruksi", "300000000.00", "2024-01-10").id).toBe("p12-tender-konstruksi");
    expect(refusal(() => judge("seleksi", "barang", "900000000.00", "2027-01-10"))?.key).toBe("procure.rule.methodNotForKind");
    expect(refusal(() => judge("tender", "konsultansi", "900000000.00", "2027-01-10"))?.key).toBe("procure.rule.methodNotForKind");
    expect(refusal(() => judge("tender", "barang", "900000000.00", "2017-01-10"))?.key).toBe("procure.rule.methodNotForKind");
  });

  it("a new regulation is a data change: a row closes the old rule and opens the new one", () => {
    const next = rules.map((r) => (r.id === "p46-pl-barang" ? { ...r, effectiveTo: "2027-12-31" } : r));
    next.push({ ...rules.find((r) => r.id === "p46-pl-barang")!, id: "p99-pl-barang", regulation: "Perpres 99/2027", effectiveFrom: "2028-01-01", effectiveTo: null, maxValue: "300000000.00" });
    expect(overlappingRules(next)).toEqual([]);
    expect(judgeMethod(next, { method: "pengadaan_langsung", kind: "barang", value: Money.idr("250000000"), on: "2028-02-01" }).regulation).toBe("Perpres 99/2027");
    expect(rulesInForce(next, "pengadaan_langsung", "barang", "2027-06-01").map((r) => r.id)).toEqual(["p46-pl-barang"]);
  });

  it("refuses a malformed shipped table", () => {
    expect(() => shippedMethodRules("id,regulation,article,effective_from,effective_to,method,kind,min_value,max_value,note\nx,P,1,2020-01-01,,lelang,barang,,,\n")).toThrow(/unknown method/);
  });
});

describe("NPWP", () => {
  it("accepts 15 and 16 digits with punctuation, refuses others", () => {
    expect(parseNpwp("01.234.567.8-901.000")).toBe("012345678901000");
    expect(parseNpwp("3522 0612 3456 0001")).toBe("3522061234560001");
    expect(formatNpwp("012345678901000")).toBe("01.234.567.8-901.000");
    for (const bad of ["1234", "01.234.567.8-901.00", "12345678901234567", "000000000000000", "01.234.567.8-901.00A"])
      expect(() => parseNpwp(bad)).toThrow(DomainError);
  });
});

describe("sealed bids", () => {
  const ids = { tenderId: "7d3e8f0e-0000-4000-8000-000000000001", vendorId: "7d3e8f0e-0000-4000-8000-000000000002", bidId: "7d3e8f0e-0000-4000-8000-000000000003" };
  it("round-trips, and the ciphertext holds no clear price", () => {
    const sealed = seal(ids, { price: "1987654321.55", note: "penawaran", documents: [] });
    expect(sealed.toString("latin1")).not.toContain("1987654321");
    expect(unseal(ids, sealed).price).toBe("1987654321.55");
  });
  it("cannot be moved to another tender, vendor or bid, nor tampered with", () => {
    const sealed = seal(ids, { price: "100.00", note: "", documents: [] });
    expect(() => unseal({ ...ids, tenderId: "7d3e8f0e-0000-4000-8000-000000000009" }, sealed)).toThrow();
    expect(() => unseal({ ...ids, vendorId: ids.bidId }, sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => unseal(ids, tampered)).toThrow();
  });
});
