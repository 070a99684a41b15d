import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, T, PU, DINKES } from "../../support/musrenbang";
import { ROAD_SUB, YEAR } from "../../support/procurement";
import { enterEvaluation, quarterlyEvaluation } from "../../../domain/monev/evaluation";
import { recordSp2d } from "../../../domain/budgeting/apbd";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { fixedClock } from "../../../domain/kernel/clock";
import { Money } from "../../../domain/kernel/money";
import { streamEvaluationXlsx } from "../../../exports/xlsx/evaluation";
import type { Actor } from "../../../domain/identity/actor";

/**
 * The quarterly RKPD evaluation on the demo as `npm start` serves it (template `full`: the APBD 2027 in
 * force with its DPAs and cash plans, Dinas PU's road contract signed on 5 January 2027).
 */
const db = useTestDatabase("full");
const may2027 = fixedClock("2027-05-10T03:00:00Z");

const problemsOf = (e: unknown) => (e instanceof ValidationErrors ? e.problems.map((p) => `${p.field}:${p.key}`) : e instanceof DomainError ? [e.key] : [String(e)]);

describe("quarterly evaluation of the RKPD", () => {
  let pu: Actor;
  let tapd: Actor;
  let road: { id: string; line_key: string };
  let plain: { id: string; code: string };

  beforeAll(async () => {
    pu = await actorOf(db.em(), "opd.pu");
    tapd = await actorOf(db.em(), "tapd");
    [road] = await db.em().execute<{ id: string; line_key: string }[]>(
      `select s.id, (select b.line_key from budget_line b join apbd a on a.id = b.apbd_id and a.status = 'adopted'
                      where b.sub_activity_id = s.id and b.kind = 'belanja' order by b.amount desc limit 1) as line_key
         from sub_activity s where s.fiscal_year = ? and s.sub_kegiatan_code = ?`,
      [YEAR, ROAD_SUB],
    );
    // A sub-activity of Dinas PU without any contract: its physical progress is entered by hand.
    [plain] = await db.em().execute<{ id: string; code: string }[]>(
      `select s.id, s.sub_kegiatan_code as code from sub_activity s join opd o on o.id = s.opd_id join renja r on r.id = s.renja_id and r.status = 'final'
        where s.fiscal_year = ? and o.code = ? and not exists (select 1 from proc_package p join contract c on c.package_id = p.id where p.sub_activity_id = s.id)
        order by s.sub_kegiatan_code limit 1`,
      [YEAR, PU],
    );
  });

  it("takes every sub-activity of the final RKPD with its budget in the APBD in force, and totals that reconcile", async () => {
    const e = await quarterlyEvaluation(db.em(), T, YEAR);
    const [expected] = await db.em().execute<{ subs: number; budget: string }[]>(
      `select (select count(*)::int from sub_activity s join renja r on r.id = s.renja_id and r.status = 'final' where s.fiscal_year = ?) as subs,
              (select sum(b.amount)::text from budget_line b where b.apbd_id = (select id from apbd where fiscal_year = ? and status = 'adopted' order by version_no desc limit 1)
                 and b.kind = 'belanja' and b.sub_activity_id is not null) as budget`,
      [YEAR, YEAR],
    );
    expect(e.apbd).not.toBeNull();
    expect(e.rows.length).toBe(expected.subs);
    // Sub-activities in the RKPD without budget lines count at their indicative ceiling, so the total is at least the APBD's.
    const withLines = e.rows.filter((r) => r.budget !== "0.00");
    expect(Money.sum(e.opds.map((o) => Money.idr(o.budget))).toString()).toBe(e.total.budget);
    expect(Money.idr(e.total.budget).compare(Money.idr(expected.budget))).toBeGreaterThanOrEqual(0);
    expect(withLines.length).toBeGreaterThan(0);
    const roadRow = e.rows.find((r) => r.subActivityId === road.id)!;
    expect(roadRow.contracts).toBe(1);
    // The DPA's cash plan of the road sub-activity, per quarter, adds up to what the cash plan table holds.
    const [plan] = await db.em().execute<{ total: string | null }[]>(
      `select sum(c.amount)::text as total from dpa_cash_plan c join dpa d on d.id = c.dpa_id
        where d.apbd_id = ? and c.sub_activity_id = ? and c.kind = 'belanja'`,
      [e.apbd!.id, road.id],
    );
    expect(Money.sum(roadRow.quarters.map((q) => Money.idr(q.planRp))).toString()).toBe(Money.idr(plan.total ?? "0").toString());
  });

  it("counts an SP2D in the quarter it was paid, exact to the sen, in the sub-activity, its OPD and the total", async () => {
    const before = await quarterlyEvaluation(db.em(), T, YEAR);
    await recordSp2d(db.em(), tapd, may2027, { year: YEAR, lineKey: road.line_key, number: "SP2D/EVAL/0001/2027", paidOn: "2027-04-01", amount: "1234567.89" });
    await recordSp2d(db.em(), tapd, may2027, { year: YEAR, lineKey: road.line_key, number: "SP2D/EVAL/0002/2027", paidOn: "2027-03-31", amount: "0.11" });
    const after = await quarterlyEvaluation(db.em(), T, YEAR);
    const row = (e: typeof after) => e.rows.find((r) => r.subActivityId === road.id)!;
    const diff = (a: string, b: string) => Money.idr(a).minus(Money.idr(b)).toString();
    expect(diff(row(after).quarters[0].paidRp, row(before).quarters[0].paidRp)).toBe("0.11");
    expect(diff(row(after).quarters[1].paidRp, row(before).quarters[1].paidRp)).toBe("1234567.89");
    expect(diff(row(after).year.paidRp, row(before).year.paidRp)).toBe("1234568.00");
    const opd = (e: typeof after) => e.opds.find((o) => o.code === PU)!;
    expect(diff(opd(after).paid[1], opd(before).paid[1])).toBe("1234567.89");
    expect(diff(after.total.paidYear, before.total.paidYear)).toBe("1234568.00");
  });

  it("derives physical progress from the contracts' verified reports, weighted by value, at each quarter's end", async () => {
    const [c] = await db.em().execute<{ id: string }[]>(
      "select c.id from contract c join proc_package p on p.id = c.package_id where p.sub_activity_id = ? and c.status = 'signed'",
      [road.id],
    );
    const report = (no: number, end: string, physical: string, planned: string, status = "verified") =>
      db.em().execute(
        `insert into progress_report (id, tenant_code, contract_id, period_no, period_start, period_end, physical, planned, deviation, status, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, ?::date - 6, ?, ?, ?, ?::numeric - ?::numeric, ?, now(), now())`,
        [T, c.id, no, end, end, physical, planned, physical, planned, status],
      );
    await report(1, "2027-03-28", "12.50", "15.00");
    await report(2, "2027-06-27", "40.00", "45.00");
    await report(3, "2027-06-30", "55.00", "50.00", "submitted"); // not verified: does not count
    const e = await quarterlyEvaluation(db.em(), T, YEAR, PU);
    const row = e.rows.find((r) => r.subActivityId === road.id)!;
    expect(row.quarters.map((q) => q.physical)).toEqual(["12.50", "40.00", "40.00", "40.00"]);
    expect(row.quarters.map((q) => q.physicalPlan)).toEqual(["15.00", "45.00", "45.00", "45.00"]);
    // Output K derived from the quarter's gain in physical progress: target × gain / 100.
    const target = Number(row.target);
    expect(Number(row.quarters[0].output)).toBeCloseTo((target * 12.5) / 100, 4);
    expect(Number(row.quarters[1].output)).toBeCloseTo((target * 27.5) / 100, 4);
    expect(row.quarters[2].output).toBe("0");
    expect(row.year.physical).toBe("40.00");
  });

  it("lets the OPD enter a quarter's output, physical progress and factors, with every rule checked", async () => {
    const entry = (actor: Actor, over: Partial<Parameters<typeof enterEvaluation>[3]> = {}, clock = may2027) =>
      enterEvaluation(db.em(), actor, clock, { subActivityId: plain.id, quarter: 1, output: "3", physical: "20", drivers: "Cuaca baik", obstacles: "", followUp: "", expectedVersion: null, ...over });
    // Another OPD's officer may not; nor may a citizen.
    expect(problemsOf(await entry(actorWith("opd_officer", "opd", DINKES)).catch((e) => e))).toEqual(["auth.forbidden"]);
    expect(problemsOf(await entry(actorWith("citizen", "tenant", T)).catch((e) => e))).toEqual(["auth.forbidden"]);
    // A quarter that has not begun; bad numbers; physical progress of a sub-activity with contracts.
    expect(problemsOf(await entry(pu, { quarter: 3 }).catch((e) => e))).toEqual(["quarter:monev.evaluation.notYet"]);
    expect(problemsOf(await entry(pu, { output: "-1", physical: "100.5" }).catch((e) => e))).toEqual(["output:monev.evaluation.output", "physical:monev.evaluation.physical"]);
    expect(problemsOf(await entry(pu, { subActivityId: road.id }).catch((e) => e))).toEqual(["physical:monev.evaluation.physicalFromContracts"]);
    expect(await entry(pu)).toEqual({ version: 1 });
    // Concurrent edit: the form read no entry, but there is one now.
    expect(problemsOf(await entry(pu, { output: "4" }).catch((e) => e))).toEqual(["concurrency.stale"]);
    // Cumulative progress never goes down from one quarter to the next.
    expect(problemsOf(await entry(pu, { quarter: 2, physical: "15", expectedVersion: null }).catch((e) => e))).toEqual(["physical:monev.evaluation.physicalDown"]);
    expect(await entry(pu, { quarter: 2, output: "2,5", physical: "35", expectedVersion: null })).toEqual({ version: 1 });
    expect(problemsOf(await entry(pu, { quarter: 1, physical: "36", expectedVersion: 1 }).catch((e) => e))).toEqual(["physical:monev.evaluation.physicalAbove"]);
    // The monev officer corrects it (any OPD).
    expect(await entry(await actorOf(db.em(), "monev"), { physical: "25", expectedVersion: 1 })).toEqual({ version: 2 });

    const e = await quarterlyEvaluation(db.em(), T, YEAR, PU);
    const row = e.rows.find((r) => r.subActivityId === plain.id)!;
    expect(row.quarters.map((q) => [q.output, q.physical, q.entered])).toEqual([
      ["3", "25.00", true],
      ["2.5", "35.00", true],
      ["0", "35.00", false],
      ["0", "35.00", false],
    ]);
    expect(row.quarters[0].drivers).toBe("Cuaca baik");
    // Entered output takes precedence; later quarters derive theirs from the (unchanged) progress: nothing more.
    expect(row.year.output).toBe("5.5");
    const [audit] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from audit_event where action = 'EvaluationEntered' and entity_id = ?", [plain.id]);
    expect(audit.n).toBe(3);
  });

  it("writes the Permendagri 86/2017 form in Excel, with sums that reconcile", async () => {
    const e = await quarterlyEvaluation(db.em(), T, YEAR);
    const chunks: Buffer[] = [];
    for await (const c of streamEvaluationXlsx(e, "Kabupaten Bojonegoro")) chunks.push(c as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(String(ws.getCell("A1").value)).toContain(`EVALUASI TERHADAP HASIL RKPD KABUPATEN BOJONEGORO TAHUN ${YEAR}`);
    expect(ws.getRow(4).getCell(3).value).toBe("Urusan/Bidang/Program/Kegiatan/Sub Kegiatan");
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((r, n) => n > 4 && rows.push(r));
    const subs = rows.filter((r) => typeof r.getCell(1).value === "number");
    expect(subs.length).toBe(e.rows.length);
    const total = rows[rows.length - 1];
    expect(total.getCell(3).value).toBe("JUMLAH");
    const money = (v: ExcelJS.CellValue) => Money.idr(String(v ?? 0));
    expect(money(total.getCell(7).value).toString()).toBe(e.total.budget);
    expect(Money.sum(subs.map((r) => money(r.getCell(7).value))).toString()).toBe(e.total.budget);
    expect(Money.sum(subs.map((r) => money(r.getCell(17).value))).toString()).toBe(e.total.paidYear);
    const opdRows = rows.filter((r) => r.getCell(1).value == null && r.getCell(3).value !== "Program" && r.getCell(3).value !== "Kegiatan" && r !== total);
    expect(Money.sum(opdRows.map((r) => money(r.getCell(7).value))).toString()).toBe(e.total.budget);
  });
});
