import { describe, expect, it } from "vitest";
import { shippedMethodRules } from "../../../imports/procurement/method-rules";
import { RED_FLAG_RULES } from "../../../exports/ocds/red-flag-rules";
import { directPurchases, processFlags, redFlags, splittingFlags, type CeilingRule, type ProgressSignal, type RedFlag } from "../../../exports/ocds/red-flags";
import type { JsonObject } from "../../../exports/ocds/schema";
import { deepFreeze } from "./helpers";

/**
 * The public red flags on crafted compiled releases: each flag on a process that has it and on one that
 * does not, at the boundaries the rules name (exactly 1 % of the HPS, exactly 10 % added by amendments,
 * exactly 30 days between purchases).
 */

const idr = (amount: number) => ({ amount, currency: "IDR" });
const vendor = (n: number) => ({ id: `IDN-NPWP-00${n}`, name: `CV Penyedia ${n}`, roles: ["tenderer"] });
const ref = (n: number) => ({ id: `IDN-NPWP-00${n}`, name: `CV Penyedia ${n}` });
const OPD = { id: "IDN-KEMENDAGRI-35.22-1.03", name: "Dinas PU Bina Marga" };
const HPS = 1_000_000_000;

/** A competitive works tender, complete and clean: three bids, the lowest valid one won, a contract at the award's value. */
function tender(over: { bids?: JsonObject[]; award?: Partial<JsonObject>; tender?: Partial<JsonObject>; contract?: Partial<JsonObject> } = {}): JsonObject {
  const bids = over.bids ?? [
    { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
    { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(920_000_000) },
    { id: "b3", date: "2027-01-07T03:00:00Z", status: "valid", tenderers: [ref(3)], value: idr(950_000_000) },
  ];
  const winner = bids[0];
  return deepFreeze({
    ocid: "ocds-test-1",
    id: "ocds-test-1-2027",
    parties: [{ ...OPD, roles: ["buyer", "procuringEntity"] }, vendor(1), vendor(2), vendor(3)],
    buyer: OPD,
    tender: {
      id: "T1",
      status: "complete",
      procurementMethod: "open",
      procurementMethodDetails: "Tender (pascakualifikasi)",
      mainProcurementCategory: "works",
      value: idr(HPS),
      tenderPeriod: { startDate: "2027-01-01T01:00:00Z", endDate: "2027-01-11T03:00:00Z" },
      numberOfTenderers: new Set(bids.map((b) => JSON.stringify(b.tenderers))).size,
      milestones: [{ id: "T1-pengumuman", type: "engagement", status: "met", dateMet: "2027-01-01T01:00:00Z" }],
      ...over.tender,
    },
    bids: { details: bids },
    awards: winner ? [{ id: winner.id, status: "active", date: "2027-01-20T00:00:00+07:00", value: winner.value, suppliers: winner.tenderers, relatedBids: [winner.id], ...over.award }] : [],
    contracts: winner ? [{ id: "k1", awardID: winner.id, title: "Kontrak 1", status: "active", value: winner.value, ...over.contract }] : [],
  } as JsonObject);
}

const codes = (flags: RedFlag[]) => flags.map((f) => f.code).sort();
const only = (flags: RedFlag[], code: string) => flags.filter((f) => f.code === code);

describe("a clean process", () => {
  it("raises no flag", () => {
    expect(processFlags(tender())).toEqual([]);
  });
});

describe("submission period shorter than the method's minimum", () => {
  const minimum = RED_FLAG_RULES.submissionPeriods.find((r) => r.method === "tender")!.minDays;
  // Periods ending at the fixture's deadline, after every bid.
  const period = (days: number) => ({ tenderPeriod: { startDate: new Date(Date.parse("2027-01-11T03:00:00Z") - days * 86_400_000).toISOString(), endDate: "2027-01-11T03:00:00Z" } });

  it("is raised below the minimum, with the period, the method and the regulation", () => {
    const [f] = only(processFlags(tender({ tender: period(minimum - 0.5), bids: [] })), "short-submission-period");
    expect(f.explanation).toMatch(new RegExp(`selama ${String(minimum - 0.5).replace(".", ",")} hari .* lebih singkat dari ${minimum} hari kalender untuk metode Tender \\(pascakualifikasi\\)`));
    expect(f.evidence.map((e) => e.path)).toEqual(["tender.tenderPeriod.startDate", "tender.tenderPeriod.endDate", "tender.procurementMethodDetails"]);
    expect(f.evidence.every((e) => e.ocid === "ocds-test-1")).toBe(true);
    expect(f.source).toMatch(/Peraturan LKPP 12\/2021/);
  });

  it("is not raised at exactly the minimum, nor for a direct method without one", () => {
    expect(only(processFlags(tender({ tender: period(minimum) })), "short-submission-period")).toEqual([]);
    expect(only(processFlags(tender({ tender: { ...period(1), procurementMethod: "direct", procurementMethodDetails: "Pengadaan Langsung" } })), "short-submission-period")).toEqual([]);
  });

  it("takes tender cepat's own minimum from the data", () => {
    const cepat = RED_FLAG_RULES.submissionPeriods.find((r) => r.method === "tender_cepat")!.minDays;
    expect(cepat).toBeLessThan(minimum);
    const quick = (days: number) => tender({ tender: { ...period(days), procurementMethodDetails: "Tender Cepat" } });
    expect(codes(processFlags(quick(cepat)))).toEqual([]);
    expect(codes(processFlags(quick(cepat - 0.25)))).toEqual(["short-submission-period"]);
  });
});

describe("a single bid in a competitive tender", () => {
  const single = [{ id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) }];

  it("is raised, naming the only bidder", () => {
    const [f] = only(processFlags(tender({ bids: single })), "single-bid");
    expect(f.explanation).toContain("CV Penyedia 1");
    expect(f.evidence.map((e) => [e.path, e.value])).toEqual([
      ["tender.procurementMethod", "open"],
      ["bids.details[0].tenderers[0].id", "IDN-NPWP-001"],
    ]);
  });

  it("reads numberOfTenderers when the data has no bids, but not an earlier selection's count after a retender", () => {
    const { bids: _bids, ...rest } = tender();
    const noBids: JsonObject = { ...rest, tender: { ...(rest.tender as JsonObject), numberOfTenderers: 1 } };
    expect(only(processFlags(noBids), "single-bid").map((f) => f.evidence.map((e) => e.path))).toEqual([["tender.procurementMethod", "tender.numberOfTenderers"]]);
    // The retender is announced (its period starts 1 February), its bids still sealed: only the failed attempt's one bid is public.
    const retender = tender({
      bids: [{ id: "a1", date: "2027-01-05T03:00:00Z", status: "disqualified", tenderers: [ref(1)], value: idr(900_000_000) }],
      tender: { id: "T2", status: "active", numberOfTenderers: 1, tenderPeriod: { startDate: "2027-02-01T01:00:00Z", endDate: "2027-02-11T03:00:00Z" }, milestones: [] },
      award: { status: "cancelled" },
    });
    expect(processFlags(retender)).toEqual([]);
  });

  it("is not raised with two bidders, nor in a direct purchase", () => {
    expect(only(processFlags(tender({ bids: [...single, { id: "b2", date: "2027-01-05T04:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(950_000_000) }] })), "single-bid")).toEqual([]);
    expect(only(processFlags(tender({ bids: single, tender: { procurementMethod: "direct", procurementMethodDetails: "Pengadaan Langsung" } })), "single-bid")).toEqual([]);
  });
});

describe("identical bid prices", () => {
  it("is raised when two bidders offer the same price to the rupiah, with both bids as evidence", () => {
    const bids = [
      { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
      { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(912_345_678.9) },
      { id: "b3", date: "2027-01-07T03:00:00Z", status: "valid", tenderers: [ref(3)], value: idr(912_345_678.9) },
    ];
    const [f] = only(processFlags(tender({ bids })), "identical-bid-prices");
    expect(f.explanation).toContain("Rp912.345.678,90");
    expect(f.evidence.map((e) => e.path)).toEqual(["bids.details[1].value.amount", "bids.details[2].value.amount"]);
  });

  it("is not raised for prices a sen apart", () => {
    const bids = [
      { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
      { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(900_000_000.01) },
    ];
    expect(only(processFlags(tender({ bids })), "identical-bid-prices")).toEqual([]);
  });
});

describe("a late bid won", () => {
  const bids = (winnerAt: string) => [
    { id: "b1", date: winnerAt, status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
    { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(920_000_000) },
  ];

  it("is raised when the winning bid is dated after the deadline", () => {
    const [f] = only(processFlags(tender({ bids: bids("2027-01-11T03:00:01Z") })), "late-bid-won");
    expect(f.evidence.map((e) => [e.path, e.value])).toEqual([
      ["bids.details[0].date", "2027-01-11T03:00:01Z"],
      ["tender.tenderPeriod.endDate", "2027-01-11T03:00:00Z"],
      ["awards[0].relatedBids", ["b1"]],
    ]);
  });

  it("is not raised for a bid at the deadline", () => {
    expect(only(processFlags(tender({ bids: bids("2027-01-11T03:00:00Z") })), "late-bid-won")).toEqual([]);
  });
});

describe("every bid but the winner's disqualified", () => {
  const with2 = (status: string) => [
    { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
    { id: "b2", date: "2027-01-06T03:00:00Z", status: "disqualified", tenderers: [ref(2)], value: idr(920_000_000) },
    { id: "b3", date: "2027-01-07T03:00:00Z", status, tenderers: [ref(3)], value: idr(950_000_000) },
  ];

  it("is raised when all the others are disqualified", () => {
    const [f] = only(processFlags(tender({ bids: with2("disqualified") })), "others-disqualified");
    expect(f.explanation).toMatch(/Dari 3 penawaran, semua kecuali milik pemenang \(CV Penyedia 1\) digugurkan/);
    expect(f.evidence.map((e) => e.path)).toEqual(["bids.details[0].status", "bids.details[1].status", "bids.details[2].status"]);
  });

  it("is not raised when another bid stayed valid, nor with the winner's bid alone", () => {
    expect(only(processFlags(tender({ bids: with2("valid") })), "others-disqualified")).toEqual([]);
    expect(only(processFlags(tender({ bids: with2("valid").slice(0, 1) })), "others-disqualified")).toEqual([]);
  });
});

describe("the lowest bid disqualified", () => {
  it("is raised with the lowest price, its reason and the winner's price", () => {
    const bids: JsonObject[] = [
      { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
      { id: "b2", date: "2027-01-06T03:00:00Z", status: "disqualified", tenderers: [ref(2)], value: idr(850_000_000), description: "Penawaran pada tender T1; SBU tidak memenuhi" },
    ];
    const [f] = only(processFlags(tender({ bids })), "lowest-bid-disqualified");
    expect(f.explanation).toMatch(/Penawaran terendah, Rp850\.000\.000,00 dari CV Penyedia 2, digugurkan, dan pemenangnya menawar Rp900\.000\.000,00/);
    expect(f.evidence.map((e) => e.path)).toEqual(["bids.details[1].value.amount", "bids.details[1].status", "bids.details[1].description", "bids.details[0].value.amount"]);
  });

  it("is not raised when the lowest bid won, or when a valid bid ties with it", () => {
    expect(only(processFlags(tender()), "lowest-bid-disqualified")).toEqual([]);
    const tie = [
      { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
      { id: "b2", date: "2027-01-06T03:00:00Z", status: "disqualified", tenderers: [ref(2)], value: idr(900_000_000) },
    ];
    expect(only(processFlags(tender({ bids: tie })), "lowest-bid-disqualified")).toEqual([]);
  });
});

describe("the winning price within 1 % of the HPS", () => {
  const wonAt = (amount: number) => tender({ bids: [{ id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(amount) }, { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(HPS) }] });

  it("is raised at exactly 1 % below the HPS, and above it", () => {
    const [f] = only(processFlags(wonAt(990_000_000)), "price-near-hps");
    expect(f.explanation).toMatch(/Harga pemenang Rp990\.000\.000,00 hanya 1% di bawah HPS Rp1\.000\.000\.000,00/);
    expect(f.evidence.map((e) => [e.path, e.value])).toEqual([
      ["awards[0].value.amount", 990_000_000],
      ["tender.value.amount", HPS],
    ]);
    expect(only(processFlags(wonAt(999_999_999.99)), "price-near-hps")).toHaveLength(1);
  });

  it("is not raised a sen further below", () => {
    expect(only(processFlags(wonAt(989_999_999.99)), "price-near-hps")).toEqual([]);
  });

  it("follows the threshold in the rules data", () => {
    expect(only(processFlags(wonAt(960_000_000), { rules: { ...RED_FLAG_RULES, hpsProximityPercent: "5" } }), "price-near-hps")).toHaveLength(1);
  });
});

describe("the contract value raised by amendments", () => {
  const amended = (value: number, amendments = [{ id: "1", description: "Adendum kontrak nomor 1: pekerjaan tambah." }]) => tender({ contract: { value: idr(value), amendments } });

  it("is raised above 10 % of the awarded value", () => {
    const [f] = only(processFlags(amended(990_000_000.01)), "amendment-increase");
    expect(f.explanation).toMatch(/kini Rp990\.000\.000,01, naik Rp90\.000\.000,01 \(10%\) dari nilai penetapan pemenang Rp900\.000\.000,00 setelah 1 adendum/);
    expect(f.evidence.map((e) => e.path)).toEqual(["contracts[0].value.amount", "awards[0].value.amount", "contracts[0].amendments[0].description"]);
    expect(f.source).toMatch(/Perpres 16\/2018 Pasal 54/);
  });

  it("is not raised at exactly 10 %, nor without an amendment", () => {
    expect(only(processFlags(amended(990_000_000)), "amendment-increase")).toEqual([]);
    expect(only(processFlags(amended(1_000_000_000, [])), "amendment-increase")).toEqual([]);
  });
});

describe("a retender", () => {
  it("judges the current selection's bids only: the failed attempt's bids are left out", () => {
    const c = tender({
      bids: [
        // The first attempt (failed): one bid, lower than anything in the retender, disqualified.
        { id: "a1", date: "2026-12-01T03:00:00Z", status: "disqualified", tenderers: [ref(3)], value: idr(700_000_000) },
        { id: "b1", date: "2027-01-05T03:00:00Z", status: "valid", tenderers: [ref(1)], value: idr(900_000_000) },
        { id: "b2", date: "2027-01-06T03:00:00Z", status: "valid", tenderers: [ref(2)], value: idr(920_000_000) },
      ],
      award: { id: "b1", relatedBids: ["b1"] },
      contract: { awardID: "b1" },
    });
    expect(processFlags(c)).toEqual([]);
  });
});

describe("package splitting", () => {
  const ceilings: CeilingRule[] = shippedMethodRules()
    .filter((r) => r.method === "pengadaan_langsung")
    .map((r) => ({ id: r.id, kind: r.kind, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, maxValue: r.maxValue, regulation: r.regulation, article: r.article }));
  let n = 0;
  const purchase = (day: string, amount: number, o: { supplier?: number; buyer?: typeof OPD; category?: string } = {}): JsonObject => {
    n++;
    const v = ref(o.supplier ?? 1);
    return {
      ocid: `ocds-test-pl-${n}`,
      parties: [{ ...(o.buyer ?? OPD), roles: ["buyer"] }, { ...v, roles: ["supplier"] }],
      buyer: o.buyer ?? OPD,
      tender: { id: `PL${n}`, procurementMethod: "direct", procurementMethodDetails: "Pengadaan Langsung", mainProcurementCategory: o.category ?? "works", value: idr(amount) },
      awards: [{ id: `a${n}`, status: "active", date: `${day}T00:00:00+07:00`, value: idr(amount), suppliers: [v] }],
    };
  };
  const flagsOf = (...processes: JsonObject[]) => splittingFlags(processes.flatMap(directPurchases), ceilings);

  it("reads the ceilings from the method rules: construction Rp400 juta from 30 April 2025", () => {
    expect(ceilings.find((r) => r.kind === "konstruksi" && r.effectiveFrom === "2025-04-30")?.maxValue).toBe("400000000.00");
  });

  it("is raised on every purchase of a group exactly 30 days apart whose total exceeds the ceiling", () => {
    const a = purchase("2027-01-01", 250_000_000);
    const b = purchase("2027-01-31", 150_000_000.01);
    const flags = flagsOf(a, b);
    expect(flags.map((f) => [f.ocid, f.related])).toEqual([
      [a.ocid, [b.ocid]],
      [b.ocid, [a.ocid]],
    ]);
    expect(flags[0].explanation).toMatch(/Dinas PU Bina Marga membeli dari CV Penyedia 1 lewat 2 pengadaan langsung dalam 30 hari .* seluruhnya Rp400\.000\.000,01: di atas batas pengadaan langsung Rp400\.000\.000,00 \(Perpres 46\/2025 Pasal 38 ayat \(3\)\)/);
    expect(flags[0].evidence).toContainEqual({ ocid: null, path: "method-rules.csv#p46-pl-konstruksi", value: "400000000.00", label: "Batas pengadaan langsung" });
    expect(flags[0].evidence).toContainEqual({ ocid: b.ocid, path: "awards[0].value.amount", value: 150_000_000.01, label: "Nilai pembelian 31 Januari 2027" });
  });

  it("is not raised 31 days apart, at exactly the ceiling, from different vendors or buyers, or for another kind", () => {
    expect(flagsOf(purchase("2027-01-01", 250_000_000), purchase("2027-02-01", 150_000_000.01))).toEqual([]);
    expect(flagsOf(purchase("2027-01-01", 250_000_000), purchase("2027-01-31", 150_000_000))).toEqual([]);
    expect(flagsOf(purchase("2027-01-01", 250_000_000), purchase("2027-01-05", 250_000_000, { supplier: 2 }))).toEqual([]);
    expect(flagsOf(purchase("2027-01-01", 250_000_000), purchase("2027-01-05", 250_000_000, { buyer: { id: "IDN-KEMENDAGRI-35.22-2.01", name: "Dinas Pendidikan" } }))).toEqual([]);
    expect(flagsOf(purchase("2027-01-01", 250_000_000), purchase("2027-01-05", 150_000_000, { category: "goods" }))).toEqual([]);
  });

  it("applies the ceiling of the date: goods above Rp200 juta", () => {
    expect(flagsOf(purchase("2027-01-01", 120_000_000, { category: "goods" }), purchase("2027-01-10", 90_000_000, { category: "goods" }))).toHaveLength(2);
  });

  it("takes tenders out of it, and is part of redFlags over a set of processes", () => {
    expect(directPurchases(tender())).toEqual([]);
    const a = purchase("2027-03-01", 300_000_000);
    const b = purchase("2027-03-02", 300_000_000);
    expect(codes(redFlags([tender(), a, b], ceilings))).toEqual(["package-splitting", "package-splitting"]);
  });
});

describe("kontrak kritis", () => {
  const signal = (plannedPercent: string, actualPercent: string): ProgressSignal => ({ asOf: "2027-04-01T00:00:00+07:00", plannedPercent, actualPercent, path: "contracts[0].implementation.progress" });
  const flagged = (s: ProgressSignal) => only(processFlags(tender(), { progress: () => s }), "kontrak-kritis");

  it("is skipped while no progress is reported", () => {
    expect(only(processFlags(tender()), "kontrak-kritis")).toEqual([]);
  });

  /** Verified progress reports as e-Monev publishes them: reporting milestones with Jejak's physicalProgress. */
  const report = (period: number, dueDate: string, planned: number, actual: number) => ({
    id: `progres-${period}`,
    type: "reporting",
    status: "met",
    dueDate,
    physicalProgress: { actual, planned, deviation: Number((actual - planned).toFixed(2)) },
  });
  const reported = (milestones: JsonObject[], status = "active") =>
    only(processFlags(tender({ contract: { status, implementation: { milestones } } })), "kontrak-kritis");

  it("reads the latest verified progress report from the compiled release, whatever the milestones' order", () => {
    const late = report(3, "2027-03-21T23:59:59+07:00", 45, 30);
    const earlier = [report(1, "2027-03-07T23:59:59+07:00", 10, 10), report(2, "2027-03-14T23:59:59+07:00", 25, 24)];
    const flags = reported([late, ...earlier]);
    expect(flags).toHaveLength(1);
    expect(flags[0].explanation).toMatch(/^Per 21 Maret 2027 progres fisik 30% tertinggal 15% dari rencana 45%/);
    expect(flags[0].evidence[0]).toEqual({ ocid: "ocds-test-1", path: "contracts[0].implementation.milestones[0].physicalProgress.actual", value: "30", label: "Progres fisik" });
    // Caught up in the next report: no flag.
    expect(reported([late, ...earlier, report(4, "2027-03-28T23:59:59+07:00", 60, 52)])).toEqual([]);
    // Exactly 10 points behind is not critical.
    expect(reported([report(1, "2027-03-07T23:59:59+07:00", 40, 30)])).toEqual([]);
  });

  it("ignores contracts that are not active, and milestones without figures", () => {
    const behind = [report(1, "2027-03-07T23:59:59+07:00", 40, 20)];
    expect(reported(behind)).toHaveLength(1);
    expect(reported(behind, "terminated")).toEqual([]);
    expect(reported([{ ...behind[0], physicalProgress: null }])).toEqual([]);
    expect(reported([{ ...behind[0], type: "delivery" }])).toEqual([]);
  });

  it("is raised when progress lags the plan by more than 10 % up to 70 % planned, or by more than 5 % after", () => {
    expect(flagged(signal("50", "39.99"))).toHaveLength(1);
    expect(flagged(signal("50", "40"))).toEqual([]);
    expect(flagged(signal("70", "59.9"))).toHaveLength(1);
    expect(flagged(signal("80", "74.9"))).toHaveLength(1);
    expect(flagged(signal("80", "75"))).toEqual([]);
    expect(flagged(signal("80", "74.9"))[0].explanation).toMatch(/progres fisik 74,9% tertinggal 5,1% dari rencana 80%/);
  });
});
