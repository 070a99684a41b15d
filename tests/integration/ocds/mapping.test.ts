import { describe, expect, it } from "vitest";
import { EVALUATION_METHODS, KINDS, METHODS, STAGES as TENDER_STAGES } from "../../../domain/procurement";
import { AWARD_CRITERIA, CATEGORY, CONTRACT_STATUS, PROCUREMENT_METHOD, procurementMethodOf, STAGES, TENDER_STATUS } from "../../../exports/ocds/mapping/codes";
import { opdPartyId, vendorPartyId } from "../../../exports/ocds/mapping/parties";
import { compact, dayEnd, dayStart, idr, OcdsValueError, rupiahNumber } from "../../../exports/ocds/mapping/values";
import { loadOcdsSchemas } from "../../../exports/ocds/schema";

/** The mapping's pure parts: money at the edge, and the code tables against the standard's codelists. */

describe("rupiah as OCDS numbers", () => {
  it("keeps every amount below 2^46 exact to the sen, and refuses what a double would not keep", () => {
    for (const s of ["0.00", "0.01", "1250000.00", "2399929335.00", "2231935281.55", "70368744177663.99", "-15000.50"]) {
      const n = rupiahNumber(s);
      expect(n.toFixed(2)).toBe(s);
      expect(JSON.parse(JSON.stringify({ n })).n.toFixed(2)).toBe(s);
    }
    expect(rupiahNumber("1250000")).toBe(1250000);
    expect(rupiahNumber("12.5")).toBe(12.5);
    // From 2^46 on, neighbouring sen amounts share a double: refused rather than published wrong.
    expect(() => rupiahNumber("70368744177664.00")).toThrow(OcdsValueError);
    expect(() => rupiahNumber("89999999999999.99")).toThrow(OcdsValueError);
    for (const bad of ["", "1,5", "1.234", "Rp1000", "1e6"]) expect(() => rupiahNumber(bad)).toThrow(OcdsValueError);
    expect(idr("1500.00")).toEqual({ amount: 1500, currency: "IDR" });
  });

  it("writes WIB calendar days as date-times and drops empty fields", () => {
    expect(dayStart("2027-01-05")).toBe("2027-01-05T00:00:00+07:00");
    expect(dayEnd("2027-01-05")).toBe("2027-01-05T23:59:59+07:00");
    expect(dayStart(null)).toBeNull();
    expect(compact({ a: "", b: null, c: [], d: {}, e: { f: " " }, g: 0, h: false, i: ["x", ""], j: "y" })).toEqual({ g: 0, h: false, i: ["x"], j: "y" });
  });
});

describe("code tables", () => {
  const codelists = loadOcdsSchemas().codelists;
  const codes = (name: string) => codelists.get(name)!.codes;

  it("maps every method, kind and evaluation method of the domain to codes of the standard's codelists", () => {
    for (const m of METHODS) {
      expect(PROCUREMENT_METHOD[m], m).toBeDefined();
      if (PROCUREMENT_METHOD[m].method) expect(codes("method.csv").has(PROCUREMENT_METHOD[m].method!), m).toBe(true);
    }
    expect(PROCUREMENT_METHOD.swakelola.method).toBeNull();
    expect(procurementMethodOf("tender", "pra")).toEqual({ method: "selective", details: "Tender (prakualifikasi)" });
    expect(procurementMethodOf("e_purchasing", null).method).toBe("direct");
    for (const k of KINDS) {
      expect(codes("procurementCategory.csv").has(CATEGORY[k].main), k).toBe(true);
      for (const a of CATEGORY[k].additional) expect(codes("extendedProcurementCategory.csv").has(a)).toBe(true);
    }
    for (const e of EVALUATION_METHODS) expect(codes("awardCriteria.csv").has(AWARD_CRITERIA[e].code), e).toBe(true);
    for (const s of Object.values(TENDER_STATUS)) expect(codes("tenderStatus.csv").has(s)).toBe(true);
    for (const s of Object.values(CONTRACT_STATUS)) expect(codes("contractStatus.csv").has(s)).toBe(true);
  });

  it("knows every stage of every schedule as a milestone", () => {
    for (const stage of new Set(Object.values(TENDER_STAGES).flat())) {
      expect(STAGES[stage], stage).toBeDefined();
      expect(codes("milestoneType.csv").has(STAGES[stage].type)).toBe(true);
    }
  });

  it("identifies an OPD by its pemda and unit codes, a vendor by its NPWP digits", () => {
    expect(opdPartyId("35.22", "1.03.0.00.0.00.01.0000")).toBe("IDN-KEMENDAGRI-35.22-1.03.0.00.0.00.01.0000");
    expect(vendorPartyId("01.234.567.8-606.000")).toBe("IDN-NPWP-012345678606000");
  });
});
