import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { apbdVersions, dpaView, dpasOf, reviewQueue } from "../../../domain/budgeting";
import { dpaDocument, publicApbd } from "../../../domain/budgeting/public";
import { proposalDetail } from "../../../domain/musrenbang";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";
import { seedDemo } from "../../../imports/demo/seed";
import { APBD_LEGAL_BASES, DEMO_LAST_RKA, seedDemoApbd } from "../../../imports/demo/apbd";

const db = useTestDatabase("adopted");
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
const DPMD = "2.13.0.00.0.00.01.0000";
const DISHUB = "2.15.0.00.0.00.01.0000";
const ROAD = "1.03.10.2.01.0033"; // Dinas PU's road reconstruction, works by a contractor
/** The date in WIB of a moment. */
const wibDay = (at: Date | string | number) => new Date(new Date(at).getTime() + 7 * 3600_000).toISOString().slice(0, 10);

const apbdOf = async () => {
  const versions = await apbdVersions(db.em(), T, YEAR);
  expect(versions).toHaveLength(1);
  return versions[0];
};

describe("the demo's APBD 2027 and DPAs (what npm start serves)", () => {
  it("approved DPMD's waiting RKA on 21 October: every RKA 2027 is in the APBD, none left in TAPD's queue", async () => {
    expect(await reviewQueue(db.em(), T, YEAR)).toEqual([]);
    const [{ statuses }] = await db.em().execute<{ statuses: string[] }[]>("select array_agg(distinct status) as statuses from rka where tenant_code = ? and fiscal_year = ?", [T, YEAR]);
    expect(statuses).toEqual(["approved"]);
    const events = await db.em().execute<{ action: string; at: Date; after: { note?: string } }[]>(
      `select e.action, e.at, e.after from audit_event e join rka r on r.id::text = e.entity_id join sub_activity s on s.id = r.sub_activity_id
        where e.tenant_code = ? and e.entity_type = 'Rka' and s.sub_kegiatan_code = ? order by e.id`,
      [T, DEMO_LAST_RKA],
    );
    expect(events.slice(-2).map((e) => [e.action, wibDay(e.at)])).toEqual([
      ["RkaVerified", "2026-10-21"],
      ["RkaApproved", "2026-10-21"],
    ]);
    expect(events.at(-2)!.after.note).toMatch(/BUMDes/);
  });

  it("assembled on 22 October, agreed, evaluated and adopted by Perda on 16 November, each step with its legal basis", async () => {
    const a = await apbdOf();
    expect(a).toMatchObject({ version_no: 1, kind: "murni", status: "adopted", legal_basis: APBD_LEGAL_BASES.adopt });
    const events = await db.em().execute<{ action: string; at: Date; after: { legalBasis?: string; notApproved?: number } }[]>(
      "select action, at, after from audit_event where tenant_code = ? and entity_type = 'Apbd' and entity_id = ? order by id",
      [T, a.id],
    );
    expect(events.map((e) => [e.action, wibDay(e.at), e.after.legalBasis ?? null])).toEqual([
      ["ApbdAssembled", "2026-10-22", null],
      ["ApbdAgreed", "2026-10-29", APBD_LEGAL_BASES.agree],
      ["ApbdEvaluated", "2026-11-10", APBD_LEGAL_BASES.evaluate],
      ["ApbdAdopted", "2026-11-16", APBD_LEGAL_BASES.adopt],
    ]);
    expect(events[0].after.notApproved).toBe(0);
    expect(APBD_LEGAL_BASES.agree).toMatch(/^Nota Persetujuan Bersama DPRD dan Bupati Bojonegoro Nomor .*ilustratif/);
    expect(APBD_LEGAL_BASES.evaluate).toMatch(/^Keputusan Gubernur Jawa Timur Nomor .*ilustratif/);
    expect(APBD_LEGAL_BASES.adopt).toMatch(/^Perda Kabupaten Bojonegoro Nomor \d+ Tahun 2026 tentang .*Tahun Anggaran 2027 .*ilustratif/);
    // Its lines are the approved RKAs' lines, to the sen; the public page shows it in force.
    const [{ rka, apbd }] = await db.em().execute<{ rka: string; apbd: string }[]>(
      `select (select sum(l.amount)::numeric(20,2)::text from rka_line l join rka r on r.id = l.rka_id where r.tenant_code = ? and r.fiscal_year = ? and r.kind = 'belanja') as rka,
              (select sum(amount)::numeric(20,2)::text from budget_line where apbd_id = ? and kind = 'belanja') as apbd`,
      [T, YEAR, a.id],
    );
    expect(apbd).toBe(rka);
    const pub = (await publicApbd(db.em(), T, YEAR))!;
    expect(pub.apbd).toMatchObject({ id: a.id, kind: "murni", legalBasis: APBD_LEGAL_BASES.adopt });
    expect(pub.totals.belanja).toBe(apbd);
  });

  it("issued a DPA from 18 November for every OPD with spending, its total the OPD's budget lines", async () => {
    const a = await apbdOf();
    const spending = await db.em().execute<{ code: string; total: string }[]>(
      "select o.code, sum(b.amount)::numeric(20,2)::text as total from budget_line b join opd o on o.id = b.opd_id where b.apbd_id = ? and b.kind = 'belanja' group by 1 order by 1",
      [a.id],
    );
    expect(spending.length).toBe(7);
    const dpas = await dpasOf(db.em(), a.id);
    expect(dpas.map((d) => [d.opd_code, d.total])).toEqual(spending.map((s) => [s.code, s.total]));
    for (const d of dpas) {
      expect(d.number).toBe(`DPA-SKPD/${d.opd_code}/${YEAR}`);
      const doc = (await dpaDocument(db.em(), T, d.id))!; // throws when its lines do not add up to its total
      expect(Money.sum(doc.subs.map((s) => Money.idr(s.total))).toString()).toBe(d.total);
      expect(wibDay(doc.dpa.issuedAt) >= "2026-11-18").toBe(true);
      expect(doc.dpa.issuedBy).toBe("Hendro Kusumo (TAPD)");
    }
  });

  it("set every DPA's cash plan, per month or per quarter, each sub-activity's amounts adding up exactly to its budget", async () => {
    const a = await apbdOf();
    for (const d of await dpasOf(db.em(), a.id)) {
      const view = await dpaView(db.em(), T, d.id);
      const quarterly = [DPMD, DISHUB].includes(d.opd_code);
      expect(view.period, d.opd_code).toBe(quarterly ? "triwulan" : "bulan");
      let total = Money.zero;
      for (const c of view.cash) {
        expect(c.set, `${d.opd_code} ${c.code}`).toBe(true);
        expect(c.amounts).toHaveLength(quarterly ? 4 : 12);
        const sum = Money.sum(c.amounts.map((m) => Money.idr(m)));
        expect(sum.toString(), `${d.opd_code} ${c.code}`).toBe(c.amount);
        expect(c.amounts.every((m) => !Money.idr(m).isNegative())).toBe(true);
        // In whole thousands of rupiah as officers write them, but for the last period that takes the rest.
        expect(c.amounts.filter((m) => !Money.idr(m).toDecimal().mod(1000).isZero()).length).toBeLessThanOrEqual(1);
        total = total.plus(sum);
      }
      expect(total.toString()).toBe(d.total);
      const months = await db.em().execute<{ month: number }[]>("select distinct month from dpa_cash_plan where dpa_id = ? order by month", [d.id]);
      expect(months.map((m) => m.month)).toEqual(quarterly ? [3, 6, 9, 12] : Array.from({ length: 12 }, (_, i) => i + 1));
    }
    // Construction is paid late in the year: nothing before the contract, most of it in the second half.
    const pu = (await dpasOf(db.em(), a.id)).find((d) => d.opd_code === PU)!;
    const road = (await dpaView(db.em(), T, pu.id)).cash.find((c) => c.code === ROAD)!.amounts.map((m) => Money.idr(m));
    expect(road.slice(0, 4).every((m) => m.isZero())).toBe(true);
    expect(Money.sum(road.slice(6)).exceeds(Money.sum(road.slice(0, 6)))).toBe(true);
    // Set by the OPDs after the DPAs were issued; no SP2D, the fiscal year has not started.
    const sets = await db.em().execute<{ at: Date; actor_name: string }[]>("select at, actor_name from audit_event where tenant_code = ? and action = 'CashPlanSet' order by id", [T]);
    expect(sets).toHaveLength(7);
    expect(sets.every((s) => wibDay(s.at) >= "2026-11-23" && wibDay(s.at) <= "2026-11-30")).toBe(true);
    expect(sets.map((s) => s.actor_name)).toContain("opd.pu"); // the demo account sets Dinas PU's
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from sp2d where tenant_code = ?", [T]);
    expect(n).toBe(0);
  });

  it("gave the proposals behind the budgeted sub-activities their public 'budget' step with the DPA and the amount", async () => {
    const a = await apbdOf();
    const linked = await db.em().execute<{ proposal_id: string; amount: string; dpa: string }[]>(
      `select x.proposal_id, (select sum(b.amount)::numeric(20,2)::text from budget_line b where b.apbd_id = ? and b.sub_activity_id = s.id) as amount, d.number as dpa
         from sub_activity_proposal x join sub_activity s on s.id = x.sub_activity_id join dpa d on d.apbd_id = ? and d.opd_id = s.opd_id
        where s.tenant_code = ? and s.fiscal_year = ? and exists (select 1 from budget_line b where b.apbd_id = ? and b.sub_activity_id = s.id)`,
      [a.id, a.id, T, YEAR, a.id],
    );
    expect(linked.length).toBeGreaterThan(5);
    for (const l of linked) {
      const tl = (await proposalDetail(db.em(), T, l.proposal_id))!.timeline;
      const step = tl.filter((e) => e.action === "budget");
      expect(step, l.proposal_id).toHaveLength(1);
      expect(step[0]).toMatchObject({ level: "kabupaten", details: expect.objectContaining({ dpa: l.dpa, amount: l.amount, year: YEAR }) });
      expect(tl.at(-1)!.action).toBe("budget");
    }
  });

  it("keeps the audit trail in the story's order and unbroken", async () => {
    const times = await db.em().execute<{ at: Date }[]>("select at from audit_event where tenant_code = ? and entity_type in ('KuaPpas','Rka','Apbd','Dpa') order by id", [T]);
    const ts = times.map((t) => new Date(t.at).getTime());
    expect(ts.filter((t, i) => i > 0 && t < ts[i - 1]).map((t) => new Date(t).toISOString())).toEqual([]);
    expect(wibDay(ts.at(-1)!) < "2027-01-01").toBe(true);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("is idempotent: a second run (the stage, or the whole seed as every start runs it) changes nothing", async () => {
    const state = () =>
      db.em().execute<{ table: string; n: number }[]>(
        `select 'apbd' as table, count(*)::int as n from apbd union all select 'dpa', count(*)::int from dpa union all select 'dpa_cash_plan', count(*)::int from dpa_cash_plan
         union all select 'proposal_event', count(*)::int from proposal_event union all select 'audit_event', count(*)::int from audit_event union all select 'rka', count(*)::int from rka`,
      );
    const before = await state();
    expect(await seedDemoApbd(db.em())).toEqual({ created: false, dpas: 0 });
    expect(await seedDemo(db.em(), { allowed: true, upTo: "apbd" })).toEqual({ created: false });
    expect(await state()).toEqual(before);
  });
});
