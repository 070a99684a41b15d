import { checkWeights, rankProposals, splitByQuota, weightedTotal } from "../../../domain/musrenbang/scoring";
import { D, Money } from "../../../domain/kernel/money";
import { DomainError } from "../../../domain/kernel/domain-error";

const criteria = [
  { id: "u", code: "urgensi", weight: "35" },
  { id: "p", code: "penerima", weight: "25" },
  { id: "k", code: "keselarasan", weight: "25" },
  { id: "s", code: "kesiapan", weight: "15" },
];
const scores = (u: number, p: number, k: number, s: number) => new Map([["u", u], ["p", p], ["k", k], ["s", s]]);

describe("weighted scores", () => {
  it("are Σ score × weight ÷ 5 on a 0–100 scale, exact", () => {
    expect(weightedTotal(criteria, scores(5, 5, 5, 5)).toFixed(2)).toBe("100.00");
    expect(weightedTotal(criteria, scores(1, 1, 1, 1)).toFixed(2)).toBe("20.00");
    expect(weightedTotal(criteria, scores(4, 3, 5, 2)).toFixed(2)).toBe("74.00"); // (140+75+125+30)/5
  });

  it("round half-up to two decimals with awkward weights", () => {
    const thirds = [
      { id: "a", code: "a", weight: "33.33" },
      { id: "b", code: "b", weight: "33.33" },
      { id: "c", code: "c", weight: "33.34" },
    ];
    expect(weightedTotal(thirds, new Map([["a", 5], ["b", 4], ["c", 4]])).toFixed(2)).toBe("86.67"); // 433.33/5 = 86.666
  });

  it.each([
    [["50", "49.99"], "99.99"],
    [["50", "50.01"], "100.01"],
    [["60", "60"], "120.00"],
  ])("refuses weights %j that add up to %s, not 100", (weights, sum) => {
    try {
      checkWeights(weights);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).key).toBe("musrenbang.criteria.weightsSum");
      expect((e as DomainError).params.sum).toBe(sum);
    }
  });

  it("refuses zero, negative or over-precise weights, and a score outside 1–5 or missing", () => {
    expect(() => checkWeights(["0", "100"])).toThrow(DomainError);
    expect(() => checkWeights(["-10", "110"])).toThrow(DomainError);
    expect(() => checkWeights(["33.333", "66.667"])).toThrow(DomainError);
    expect(() => weightedTotal(criteria, scores(6, 1, 1, 1))).toThrow(DomainError);
    expect(() => weightedTotal(criteria, new Map([["u", 3]]))).toThrow(/score.missing/);
  });
});

describe("ranking", () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
  const item = (code: string, total: string, ben: number, cost: string, minute: number) => ({
    id: code,
    code,
    total: new D(total),
    beneficiaries: ben,
    estimatedCost: Money.idr(cost),
    submittedAt: at(minute),
  });

  it("orders by total, then more beneficiaries, then lower cost, then earlier submission, then code", () => {
    const ranked = rankProposals([
      item("E", "80.00", 100, "100", 1),
      item("A", "90.00", 10, "500", 9),
      item("D", "80.00", 100, "100", 1),
      item("C", "80.00", 100, "50", 5),
      item("B", "80.00", 300, "900", 9),
      item("F", "80.00", 100, "100", 0),
    ]);
    expect(ranked.map((r) => `${r.rank}${r.code}`)).toEqual(["1A", "2B", "3C", "4F", "5D", "6E"]);
  });

  it("is the same whatever the input order", () => {
    const items = [item("X", "70", 5, "10", 1), item("Y", "70", 5, "10", 1), item("Z", "70.01", 1, "99", 3)];
    const a = rankProposals(items).map((r) => r.code);
    const b = rankProposals([...items].reverse()).map((r) => r.code);
    expect(a).toEqual(["Z", "X", "Y"]);
    expect(b).toEqual(a);
  });

  it("splits by quota exactly at the cut, never inside a tie", () => {
    const ranked = rankProposals([item("A", "50", 1, "1", 1), item("B", "50", 1, "1", 2), item("C", "40", 1, "1", 3)]);
    const { within, outside } = splitByQuota(ranked, 1);
    expect(within.map((r) => r.code)).toEqual(["A"]);
    expect(outside.map((r) => r.code)).toEqual(["B", "C"]);
    expect(splitByQuota(ranked, 5).outside).toEqual([]);
    expect(() => splitByQuota(ranked, 0)).toThrow(DomainError);
  });
});
