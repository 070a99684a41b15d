import { describe, expect, it } from "vitest";
import { evaluateCritical, projectedFinish } from "../../../domain/monev/critical";

const at = (planned: string, actual: string, asOf = "2027-03-31") => evaluateCritical({ planned, actual, start: "2027-01-06", asOf, fiscalYear: 2027 });

describe("kontrak kritis (Peraturan LKPP 12/2021)", () => {
  it("period I (planned 0–70): exactly 10 points behind is not critical, 10.01 is", () => {
    expect(at("40.00", "30.00")).toMatchObject({ critical: false, reason: null });
    expect(at("40.00", "29.99")).toMatchObject({ critical: true, reason: "behind_period1" });
    expect(at("70.00", "60.00").critical).toBe(false);
    expect(at("70.00", "59.99")).toMatchObject({ critical: true, reason: "behind_period1" });
    expect(at("10.00", "0.00").critical).toBe(false);
    expect(at("10.01", "0.00").reason).toBe("behind_period1");
  });
  it("period II (planned above 70): exactly 5 points behind is not critical, 5.01 is", () => {
    expect(at("70.01", "65.01").critical).toBe(false);
    expect(at("70.01", "65.00")).toMatchObject({ critical: true, reason: "behind_period2" });
    expect(at("90.00", "85.00").critical).toBe(false);
    expect(at("90.00", "84.99")).toMatchObject({ critical: true, reason: "behind_period2" });
    expect(at("100.00", "94.99").reason).toBe("behind_period2");
  });
  it("period II, within 5 points but at its pace finishing after 31 December, is critical", () => {
    // 85% in 359 days (6 Jan → 30 Dec): the rest needs ~63 more days, past the year.
    expect(at("88.00", "85.00", "2027-12-30")).toMatchObject({ critical: true, reason: "past_fiscal_year" });
    // 85% by the end of June: finishes in time.
    expect(at("88.00", "85.00", "2027-06-30")).toMatchObject({ critical: false });
    // period I is judged by the 10-point rule only
    expect(at("60.00", "51.00", "2027-12-30").critical).toBe(false);
  });
  it("ahead of plan or finished is never critical", () => {
    expect(at("50.00", "60.00").critical).toBe(false);
    expect(at("100.00", "100.00").critical).toBe(false);
    expect(at("40.00", "30.00").behind.toFixed(2)).toBe("10.00");
  });
  it("projects the finish at the pace so far", () => {
    expect(projectedFinish("2027-01-01", "2027-01-10", "50")).toBe("2027-01-20");
    expect(projectedFinish("2027-01-01", "2027-01-10", "0")).toBeNull();
    expect(projectedFinish("2027-01-01", "2027-01-10", "100")).toBe("2027-01-10");
  });
});
