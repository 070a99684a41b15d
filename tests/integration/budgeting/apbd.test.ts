import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, T } from "../../support/musrenbang";
import { anApprovedRka } from "../../support/budgeting";
import {
  absorption,
  addBudgetLine,
  addLine,
  apbdSummary,
  apbdVersions,
  assembleApbd,
  changeBudgetLine,
  diffApbd,
  issueDpa,
  moveApbd,
  moveRka,
  openOpdRka,
  openRka,
  recordSp2d,
  reviseApbd,
  rkaView,
  setCashPlan,
  dpaView,
} from "../../../domain/budgeting";
import { proposalDetail } from "../../../domain/musrenbang";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { verifyAuditChain } from "../../../domain/audit/verify";
import type { Actor } from "../../../domain/identity/actor";

const db = useTestDatabase("planned");
const YEAR = 2027;
const DINKES = "1.02.0.00.0.00.01.0000";
const BPKAD = "5.02.0.00.0.00.01.0000";
const BALITA = "1.02.02.2.02.0004";
const code = (e: unknown) => (e instanceof DomainError ? e.key : String(e));

let tapd: Actor;
let apbd1 = "";
let lineKeys: { meals: string; honor: string } = { meals: "", honor: "" };
let subBalita = "";

async function approve(rka: string) {
  const opd = actorWith("opd_officer", "opd", (await rkaView(db.em(), T, rka)).rka.opdCode);
  let v = (await rkaView(db.em(), T, rka)).rka.version;
  await moveRka(db.em(), opd, clock, rka, "submit", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "verify", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "approve", "", v++);
}

describe("APBD: assembled from approved RKAs, adopted, DPA, cash plan, SP2D, revisions", () => {
  beforeAll(async () => {
    tapd = await actorOf(db.em(), "tapd");
    subBalita = (await anApprovedRka(db.em())).sub;
    const dinkes = actorWith("opd_officer", "opd", DINKES);
    const rev = await openOpdRka(db.em(), dinkes, clock, YEAR, DINKES, "pendapatan");
    await addLine(db.em(), dinkes, clock, rev, { accountCode: "4.1.02.01.01.0006", description: "Retribusi puskesmas", factors: [{ qty: "1", unit: "tahun" }], unitPrice: "5000000", fundingSource: "PAD" }, 1);
    await approve(rev);
    const bpkad = actorWith("opd_officer", "opd", BPKAD);
    const fin = await openOpdRka(db.em(), bpkad, clock, YEAR, BPKAD, "pembiayaan");
    await addLine(db.em(), bpkad, clock, fin, { accountCode: "6.1.01.05.03.0001", description: "SiLPA sisa BTT", factors: [{ qty: "1", unit: "tahun" }], unitPrice: "2000000", fundingSource: "SiLPA" }, 1);
    await approve(fin);
    // One RKA left in draft: not in the APBD.
    const [other] = await db.em().execute<{ id: string }[]>(
      "select s.id from sub_activity s join opd o on o.id = s.opd_id where o.code = ? and s.fiscal_year = ? and s.id <> ? order by s.sub_kegiatan_code limit 1",
      [DINKES, YEAR, subBalita],
    );
    await openRka(db.em(), dinkes, clock, other.id);
  });

  it("assembles version 1 from approved RKAs only, with summary tables that reconcile", async () => {
    expect(code(await assembleApbd(db.em(), actorWith("opd_officer", "opd", DINKES), clock, YEAR).catch((e) => e))).toBe("auth.forbidden");
    const out = await assembleApbd(db.em(), tapd, clock, YEAR);
    apbd1 = out.id;
    expect(out).toMatchObject({ lines: 4, notApproved: 1 });
    const s = await apbdSummary(db.em(), T, apbd1);
    expect(s.totals).toMatchObject({ pendapatan: "5000000.00", belanja: "7800000.00", pembiayaan: "2000000.00", surplus: "-2800000.00", netFinancing: "2000000.00", silpa: "-800000.00" });
    expect(s.byOpd.filter((o) => o.kind === "belanja")).toEqual([{ code: DINKES, name: expect.any(String), kind: "belanja", total: "7800000.00" }]);
    expect(s.byGroup.map((g) => [g.code, g.total])).toEqual([
      ["4.1.02", "5000000.00"],
      ["5.1.02", "7800000.00"],
      ["6.1.01", "2000000.00"],
    ]);
    expect(s.byProgram).toEqual([{ code: "1.02.02", name: expect.stringContaining("PROGRAM"), total: "7800000.00" }]);
    expect(s.byFunding.map((f) => [f.code, f.kind, f.total])).toContainEqual(["DAK Non-Fisik", "belanja", "7800000.00"]);
  });

  it("agree → evaluate → adopt (locked); DPA issued with the proposals' timelines; cash plan sums to the DPA", async () => {
    let v = (await apbdSummary(db.em(), T, apbd1)).apbd.version;
    expect(code(await moveApbd(db.em(), tapd, clock, apbd1, "enact", "Perkada", v).catch((e) => e))).toBe("budget.apbd.enactOnlyPergeseran");
    await moveApbd(db.em(), tapd, clock, apbd1, "agree", "", v++);
    expect(code(await assembleApbd(db.em(), tapd, clock, YEAR).catch((e) => e))).toBe("budget.apbd.alreadyAgreed");
    await moveApbd(db.em(), tapd, clock, apbd1, "evaluate", "", v++);
    expect(code(await moveApbd(db.em(), tapd, clock, apbd1, "adopt", "", v).catch((e) => e))).toBe("budget.apbd.legalBasisRequired");
    await moveApbd(db.em(), tapd, clock, apbd1, "adopt", "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026", v++);
    expect(code(await issueDpa(db.em(), tapd, clock, YEAR, BPKAD).catch((e) => e))).toBe("budget.dpa.noLines");
    const dpa = await issueDpa(db.em(), tapd, clock, YEAR, DINKES);
    expect(code(await issueDpa(db.em(), tapd, clock, YEAR, DINKES).catch((e) => e))).toBe("budget.dpa.exists");
    // A proposal behind the sub-activity now says it is budgeted.
    const [p] = await db.em().execute<{ proposal_id: string }[]>("select proposal_id from sub_activity_proposal where sub_activity_id = ? limit 1", [subBalita]);
    expect(p).toBeTruthy();
    const tl = (await proposalDetail(db.em(), T, p.proposal_id))!.timeline;
    expect(tl[tl.length - 1]).toMatchObject({ action: "budget", details: expect.objectContaining({ amount: "7800000.00" }) });
    const months = (x: string) => Array.from({ length: 12 }, (_, i) => (i === 11 ? x : "650000"));
    const monthly = (amounts: string[]) => ({ period: "bulan", plan: [{ subActivityId: subBalita, amounts }] });
    const bad = await setCashPlan(db.em(), tapd, clock, dpa, monthly(months("650000.01"))).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationErrors);
    expect((bad as ValidationErrors).problems[0]).toMatchObject({ key: "budget.cash.sumMismatch", params: { sum: "7800000.01", budget: "7800000.00" } });
    await setCashPlan(db.em(), actorWith("opd_officer", "opd", DINKES), clock, dpa, monthly(months("650000")));
    expect(code(await setCashPlan(db.em(), actorWith("opd_officer", "opd", BPKAD), clock, dpa, { period: "bulan", plan: [] }).catch((e) => e))).toBe("auth.forbidden");
    expect((await dpaView(db.em(), T, dpa)).cash[0]).toMatchObject({ amounts: Array(12).fill("650000.00"), set: true });
  });

  it("a cash plan per quarter (triwulan): four amounts on the quarters' last months that add up exactly; switching the period replaces the plan", async () => {
    const [dpa] = (await db.em().execute<{ id: string }[]>("select d.id from dpa d join opd o on o.id = d.opd_id where o.code = ?", [DINKES])).map((d) => d.id);
    const field = `plan.${BALITA}`;
    const quarterly = (amounts: string[], period = "triwulan") => ({ period, plan: [{ subActivityId: subBalita, amounts }] });
    const problems = async (input: Parameters<typeof setCashPlan>[4]) => ((await setCashPlan(db.em(), tapd, clock, dpa, input).catch((e) => e)) as ValidationErrors).problems;
    const rows = () => db.em().execute<{ month: number; period: string; amount: string }[]>("select month, period, amount::text as amount from dpa_cash_plan where dpa_id = ? order by month", [dpa]);
    const monthlyRows = await rows();
    // Twelve amounts for a quarterly plan, or four for a monthly one: refused, the sub-activity named.
    expect(await problems(quarterly(Array(12).fill("650000")))).toEqual([{ field, key: "budget.cash.quartersRequired", params: { code: BALITA, count: 12 } }]);
    expect(await problems(quarterly(["0", "1950000", "2925000", "2925000"], "bulan"))).toEqual([{ field, key: "budget.cash.monthsRequired", params: { code: BALITA, count: 4 } }]);
    // Not exact to the sen, negative, unreadable, an unknown period: refused by field.
    expect(await problems(quarterly(["0", "1950000", "2925000", "2925000.01"]))).toEqual([{ field, key: "budget.cash.sumMismatch", params: { code: BALITA, sum: "7800000.01", budget: "7800000.00" } }]);
    expect((await problems(quarterly(["-1", "1950000", "2925000", "x"]))).map((p) => [p.field, p.key])).toEqual([
      [`${field}.1`, "budget.cash.amountNegative"],
      [`${field}.4`, "money.format"],
    ]);
    expect(await problems(quarterly(["7800000", "0", "0", "0"], "semester"))).toEqual([{ field: "period", key: "budget.cash.periodUnknown", params: { value: "semester" } }]);
    expect(await rows()).toEqual(monthlyRows); // nothing changed
    // Shown per quarter before it is set: the monthly plan's quarters.
    expect((await dpaView(db.em(), T, dpa, { period: "triwulan" })).cash[0]).toMatchObject({ amounts: ["1950000.00", "1950000.00", "1950000.00", "1950000.00"], set: false });

    await setCashPlan(db.em(), actorWith("opd_officer", "opd", DINKES), clock, dpa, quarterly(["0", "1950000", "2925000", "2925000"]));
    expect(await rows()).toEqual([
      { month: 3, period: "triwulan", amount: "0.00" },
      { month: 6, period: "triwulan", amount: "1950000.00" },
      { month: 9, period: "triwulan", amount: "2925000.00" },
      { month: 12, period: "triwulan", amount: "2925000.00" },
    ]);
    const view = await dpaView(db.em(), T, dpa);
    expect(view.dpa.cashPlanPeriod).toBe("triwulan");
    expect(view.period).toBe("triwulan");
    expect(view.cash[0]).toMatchObject({ amounts: ["0.00", "1950000.00", "2925000.00", "2925000.00"], set: true });
    // Asked per month, each quarter is spread evenly over its three months, exact to the sen.
    const asMonths = (await dpaView(db.em(), T, dpa, { period: "bulan" })).cash[0];
    expect(asMonths.set).toBe(false);
    expect(asMonths.amounts).toEqual(["0.00", "0.00", "0.00", "650000.00", "650000.00", "650000.00", "975000.00", "975000.00", "975000.00", "975000.00", "975000.00", "975000.00"]);
    const [event] = await db.em().execute<{ before: unknown; after: { period: string; rows: number; plan: Record<string, string[]> } }[]>(
      "select before, after from audit_event where tenant_code = ? and action = 'CashPlanSet' and entity_id = ? order by id desc limit 1",
      [T, dpa],
    );
    expect(event).toMatchObject({ before: { period: "bulan" }, after: { period: "triwulan", rows: 4, plan: { [BALITA]: ["0.00", "1950000.00", "2925000.00", "2925000.00"] } } });

    // The database holds the rows to their DPA's period: no quarterly row off a quarter's last month, no
    // row of another period than its DPA's, no switch of the DPA while rows of the other period remain.
    const insert = (period: string, month: number) =>
      db.em().execute("insert into dpa_cash_plan (dpa_id, sub_activity_id, kind, period, month, amount) values (?, null, 'belanja', ?, ?, 0)", [dpa, period, month]);
    await expect(insert("triwulan", 4)).rejects.toThrow(/dpa_cash_plan_period_month/);
    await expect(insert("bulan", 1)).rejects.toThrow(/dpa_cash_plan_period_fk/);

    // Back to months: the quarterly plan is replaced as a whole.
    await setCashPlan(db.em(), tapd, clock, dpa, quarterly(asMonths.amounts, "bulan"));
    const back = await rows();
    expect(back.map((r) => [r.month, r.period])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, "bulan"]));
    await db.em().execute("update dpa set cash_plan_period = 'bulan' where id = ?", [dpa]); // unchanged: allowed
    expect((await db.em().execute<{ p: string }[]>("select cash_plan_period as p from dpa where id = ?", [dpa]))[0].p).toBe("bulan");
    await expect(db.em().execute("update dpa set cash_plan_period = 'triwulan' where id = ?", [dpa])).rejects.toThrow(/dpa_cash_plan_period_month/);
  });

  it("SP2D never beyond the line, also in parallel; absorption per line, sub-activity and OPD", async () => {
    const lines = await db.em().execute<{ line_key: string; description: string }[]>("select line_key, description from budget_line where apbd_id = ? and kind = 'belanja' order by position", [apbd1]);
    lineKeys = { meals: lines.find((l) => l.description.startsWith("Nasi"))!.line_key, honor: lines.find((l) => l.description.startsWith("Honor"))!.line_key };
    const pay = (n: string, amount: string, key = lineKeys.meals, paidOn = "2027-03-10") => recordSp2d(db.em(), tapd, clock, { year: YEAR, lineKey: key, number: n, paidOn, amount });
    await pay("SP2D/0001/2027", "1500000");
    // Two payments of 1.500.000 at once on a line with 2.700.000 left: one goes through.
    const both = await Promise.allSettled([pay("SP2D/0002/2027", "1500000"), pay("SP2D/0003/2027", "1500000")]);
    expect(both.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const refused = (both.find((x) => x.status === "rejected") as PromiseRejectedResult).reason;
    expect(code(refused)).toBe("budget.sp2d.beyondLine");
    expect((refused as DomainError).params).toEqual({ line: "4200000.00", paid: "3000000.00", amount: "1500000.00" });
    const invalid = await pay("S", "-1", lineKeys.meals, "2026-12-31").catch((e) => e);
    expect((invalid as ValidationErrors).problems.map((p) => p.field).sort()).toEqual(["amount", "number", "paidOn"]);
    const abs = (await absorption(db.em(), T, YEAR))!;
    expect(abs.total).toEqual({ budget: "7800000.00", paid: "3000000.00", percent: "38.46" });
    expect(abs.lines.find((l) => l.line_key === lineKeys.meals)).toMatchObject({ paid: "3000000.00", percent: "71.43" });
  });

  it("a pergeseran shifts within a sub-activity (totals kept, never below paid); versions compare line by line", async () => {
    expect(code(await reviseApbd(db.em(), tapd, clock, YEAR, "pergeseran", "pendek").catch((e) => e))).toBe("budget.apbd.reasonRequired");
    const shift = await reviseApbd(db.em(), tapd, clock, YEAR, "pergeseran", "Pergeseran antar rincian objek: tambahan narasumber");
    let v = 1;
    // Below what was paid: refused.
    const low = await changeBudgetLine(db.em(), tapd, clock, shift, lineKeys.meals, { volume: "80", unitPrice: "35000" }, v).catch((e) => e);
    expect(code(low)).toBe("budget.apbd.belowPaid");
    await changeBudgetLine(db.em(), tapd, clock, shift, lineKeys.meals, { volume: "100", unitPrice: "35000" }, v++); // 3.500.000 (−700.000)
    // Totals changed: enacting is refused until the shift balances.
    expect(code(await moveApbd(db.em(), tapd, clock, shift, "enact", "Perkada Nomor 12 Tahun 2027", v).catch((e) => e))).toBe("budget.apbd.shiftChangesTotals");
    await changeBudgetLine(db.em(), tapd, clock, shift, lineKeys.honor, { volume: "1", unitPrice: "4300000" }, v);
    v = (await apbdVersions(db.em(), T, YEAR)).at(-1)!.version;
    expect(code(await moveApbd(db.em(), tapd, clock, shift, "agree", "", v).catch((e) => e))).toBe("budget.apbd.pergeseranByPerkada");
    await moveApbd(db.em(), tapd, clock, shift, "enact", "Perkada Nomor 12 Tahun 2027", v);
    const diff = await diffApbd(db.em(), T, apbd1, shift);
    const changed = diff.rows.filter((r) => r.change !== "same");
    expect(changed.map((r) => [r.line.description, r.before, r.after, r.delta])).toEqual([
      ["Nasi kotak kelas ibu balita", "4200000.00", "3500000.00", "-700000.00"],
      ["Honor narasumber gizi", "3600000.00", "4300000.00", "700000.00"],
    ]);
    expect(diff).toMatchObject({ totalBefore: "14800000.00", totalAfter: "14800000.00", delta: "0.00" });
    // Payments follow the line into the version in force; the DPA for the new version is issued again.
    expect(code(await recordSp2d(db.em(), tapd, clock, { year: YEAR, lineKey: lineKeys.meals, number: "SP2D/0009/2027", paidOn: "2027-05-02", amount: "600000" }).catch((e) => e))).toBe("budget.sp2d.noDpa");
    await issueDpa(db.em(), tapd, clock, YEAR, DINKES);
    expect(code(await recordSp2d(db.em(), tapd, clock, { year: YEAR, lineKey: lineKeys.meals, number: "SP2D/0009/2027", paidOn: "2027-05-02", amount: "500000.01" }).catch((e) => e))).toBe("budget.sp2d.beyondLine");
    await recordSp2d(db.em(), tapd, clock, { year: YEAR, lineKey: lineKeys.meals, number: "SP2D/0009/2027", paidOn: "2027-05-02", amount: "500000" });
    expect((await absorption(db.em(), T, YEAR))!.lines.find((l) => l.line_key === lineKeys.meals)).toMatchObject({ budget: "3500000.00", paid: "3500000.00", percent: "100.00" });
    expect((await apbdVersions(db.em(), T, YEAR)).map((a) => [a.version_no, a.kind, a.status])).toEqual([
      [1, "murni", "adopted"],
      [2, "pergeseran", "adopted"],
    ]);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("the APBD-P (once a year) may add lines; a pergeseran may not; the diff shows them added", async () => {
    const versions = await apbdVersions(db.em(), T, YEAR);
    const shift = versions.at(-1)!;
    const line = { opdCode: DINKES, subActivityId: subBalita, accountCode: "5.1.02.01.01.0024", description: "Alat tulis kantor kelas ibu balita", volume: "10", unit: "rim", unitPrice: "55000", fundingSource: "PAD" };
    expect(code(await addBudgetLine(db.em(), tapd, clock, shift.id, line, shift.version).catch((e) => e))).toBe("budget.apbd.addOnlyPerubahan");
    const p = await reviseApbd(db.em(), tapd, clock, YEAR, "perubahan", "APBD Perubahan 2027: tambahan PAD");
    expect(code(await reviseApbd(db.em(), tapd, clock, YEAR, "perubahan", "APBD Perubahan kedua 2027").catch((e) => e))).toBe("budget.apbd.revisionNeedsAdopted");
    let v = 1;
    const bad = await addBudgetLine(db.em(), tapd, clock, p, { ...line, accountCode: "5.1", volume: "0", unit: "", fundingSource: "X" }, v).catch((e) => e);
    expect((bad as ValidationErrors).problems.map((x) => x.field).sort()).toEqual(["accountCode", "fundingSource", "unit", "volume"]);
    expect(code(await addBudgetLine(db.em(), tapd, clock, p, { ...line, subActivityId: "" }, v).catch((e) => e))).toBe("validation.failed");
    await addBudgetLine(db.em(), tapd, clock, p, line, v++); // 550.000
    await addBudgetLine(db.em(), tapd, clock, p, { opdCode: DINKES, accountCode: "4.1.02.01.01.0006", description: "Tambahan retribusi puskesmas", volume: "1", unit: "tahun", unitPrice: "750000", fundingSource: "PAD" }, v++);
    for (const [action, basis] of [["agree", ""], ["evaluate", ""], ["adopt", "Perda Kabupaten Bojonegoro Nomor 4 Tahun 2027 tentang Perubahan APBD"]] as const)
      await moveApbd(db.em(), tapd, clock, p, action, basis, v++);
    const s2 = await apbdSummary(db.em(), T, p);
    expect(s2.apbd).toMatchObject({ kind: "perubahan", status: "adopted", versionNo: 3 });
    expect(s2.totals).toMatchObject({ pendapatan: "5750000.00", belanja: "8350000.00" });
    const diff = await diffApbd(db.em(), T, shift.id, p);
    expect(diff.rows.filter((r) => r.change === "added").map((r) => [r.line.description, r.delta]).sort()).toEqual([
      ["Alat tulis kantor kelas ibu balita", "550000.00"],
      ["Tambahan retribusi puskesmas", "750000.00"],
    ]);
    expect(diff.delta).toBe("1300000.00");
  });
});
