import { describe, expect, it } from "vitest";
import { Money } from "../../../domain/kernel/money";
import { addMonths, deviation, periodAt, periodsOf, plannedAt, plannedCurve, weightedProgress, weightsByValue } from "../../../domain/monev/kurva-s";
import { keyOf } from "../../support/errors";

describe("reporting periods", () => {
  it("cuts weeks of seven days from the start, the last ending on the contract's end", () => {
    const p = periodsOf("weekly", "2027-01-06", "2027-01-30");
    expect(p).toEqual([
      { no: 1, start: "2027-01-06", end: "2027-01-12" },
      { no: 2, start: "2027-01-13", end: "2027-01-19" },
      { no: 3, start: "2027-01-20", end: "2027-01-26" },
      { no: 4, start: "2027-01-27", end: "2027-01-30" },
    ]);
    expect(periodAt(p, "2027-01-19")?.no).toBe(2);
    expect(periodAt(p, "2027-02-01")).toBeNull();
  });
  it("cuts months from the start's day of the month (the demo road contract: 6 Jan – 30 Jun 2027 is six months)", () => {
    const p = periodsOf("monthly", "2027-01-06", "2027-06-30");
    expect(p.map((x) => `${x.start}..${x.end}`)).toEqual([
      "2027-01-06..2027-02-05",
      "2027-02-06..2027-03-05",
      "2027-03-06..2027-04-05",
      "2027-04-06..2027-05-05",
      "2027-05-06..2027-06-05",
      "2027-06-06..2027-06-30",
    ]);
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(periodsOf("weekly", "2027-01-06", "2027-06-30")).toHaveLength(26);
  });
  it("refuses an end before the start", () => {
    expect(keyOf(() => periodsOf("weekly", "2027-02-01", "2027-01-01"))).toBe("monev.schedule.contractDates");
  });
});

describe("weights by value", () => {
  it("sum to exactly 100.00, the leftover hundredths going to the largest remainders", () => {
    const w = weightsByValue(["100000000.00", "100000000.00", "100000000.00"].map(Money.idr));
    expect(w.map(String)).toEqual(["33.34", "33.33", "33.33"]);
    const odd = weightsByValue(["1234567.89", "987654.32", "55555.55", "1.00"].map(Money.idr));
    expect(odd.reduce((a, b) => a.plus(b)).toFixed(2)).toBe("100.00");
    expect(odd.map((x) => x.toFixed(2))).toEqual(["54.20", "43.36", "2.44", "0.00"]);
  });
  it("refuses an empty schedule", () => {
    expect(keyOf(() => weightsByValue([]))).toBe("monev.schedule.noItems");
  });
});

describe("the planned S-curve", () => {
  // Preparation 10% in period 1; earthworks 30% over 1–2; pavement 50% over 2–4; finishing 10% in 4.
  const items = [
    { weight: "10.00", plannedStart: 1, plannedEnd: 1 },
    { weight: "30.00", plannedStart: 1, plannedEnd: 2 },
    { weight: "50.00", plannedStart: 2, plannedEnd: 4 },
    { weight: "10.00", plannedStart: 4, plannedEnd: 4 },
  ];
  it("accumulates each item's weight spread evenly over its planned periods, ending at 100", () => {
    const c = plannedCurve(items, 4);
    // p1: 10 + 15 = 25; p2: 10 + 30 + 16.666… = 56.67; p3: 40 + 33.33… = 73.33; p4: 100
    expect(c.map((x) => x.toFixed(2))).toEqual(["25.00", "56.67", "73.33", "100.00"]);
    expect(plannedAt(c, 0).toFixed(2)).toBe("0.00");
    expect(plannedAt(c, 9).toFixed(2)).toBe("100.00");
  });
  it("is never decreasing and exactly the sum of the weights at the end, with weights from real values", () => {
    const w = weightsByValue(["12345678.91", "234567890.12", "34567.89", "456789012.34"].map(Money.idr));
    const c = plannedCurve(w.map((weight, i) => ({ weight, plannedStart: 1 + i, plannedEnd: 3 + 2 * i })), 9);
    for (let i = 1; i < c.length; i++) expect(c[i].gte(c[i - 1])).toBe(true);
    expect(c[8].toFixed(2)).toBe("100.00");
  });
  it("weighs actual progress per item by value, and gives the deviation in points", () => {
    const actual = weightedProgress([
      { weight: "10.00", physical: "100" },
      { weight: "30.00", physical: "50" },
      { weight: "50.00", physical: "3.33" },
      { weight: "10.00", physical: "0" },
    ]);
    expect(actual.toFixed(2)).toBe("26.67"); // 10 + 15 + 1.665 → half-up
    expect(deviation(actual, "56.67").toFixed(2)).toBe("-30.00");
  });
});
