import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE } from "../../support/http";
import { absorption } from "../../../domain/budgeting/apbd";
import { D, Money } from "../../../domain/kernel/money";
import { criticalContracts } from "../../../domain/monev/queries";
import { dashboard, publicYears, type Dashboard } from "../../../domain/monev/dashboard";
import { tenantRedFlags } from "../../../exports/ocds/red-flags";
import { loader as pageLoader } from "../../../app/routes/dasbor";
import { renderSlot } from "../../../app/render-data";
import { monevWorld, T, YEAR } from "./world";

const db = useTestDatabase("full");
let world: Awaited<ReturnType<typeof monevWorld>>;
const NOW = new Date("2027-06-01T03:00:00Z");

beforeAll(async () => {
  world = await monevWorld(db.em);
});

describe("the public dashboard's figures (domain/monev/dashboard.ts)", () => {
  it("opens with the latest year that has an adopted APBD", async () => {
    const y = await publicYears(db.em(), T);
    expect(y.preferred).toBe(YEAR);
    expect(y.years).toContain(YEAR);
  });

  it("absorption per OPD and in total equals budgeting's absorption() of the APBD in force, SP2D included", async () => {
    const d = await dashboard(db.em(), T, YEAR, NOW);
    const a = (await absorption(db.em(), T, YEAR))!;
    expect(d.apbd).not.toBeNull();
    expect(d.absorption.total).toEqual(a.total);
    expect(Money.idr(d.absorption.total.paid).toString()).toBe("12345678.25");
    expect(d.absorption.rows.map((r) => ({ key: `${r.opd}|${r.name}`, budget: r.budget, paid: r.paid, percent: r.percent }))).toEqual(a.byOpd);
    // A year without an APBD has no absorption.
    const empty = await dashboard(db.em(), T, YEAR + 3, NOW);
    expect(empty.apbd).toBeNull();
    expect(empty.absorption.rows).toEqual([]);
  });

  it("physical progress is the value-weighted latest verified report, financial the payments over the value; kontrak kritis as monev counts them", async () => {
    const d = await dashboard(db.em(), T, YEAR, NOW);
    // Independently: every public contract of the year with its latest verified report and payments.
    const contracts = await db.em().execute<{ opd: string; value: string; physical: string | null; paid: string | null }[]>(
      `select o.code as opd, c.value::text as value,
              (select r.physical::text from progress_report r where r.contract_id = c.id and r.status = 'verified' order by r.period_no desc limit 1) as physical,
              (select sum(amount)::text from contract_payment where contract_id = c.id) as paid
         from contract c join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id
        where c.tenant_code = ? and p.fiscal_year = ? and c.status in ('signed','completed','terminated')`,
      [T, YEAR],
    );
    expect(d.contracts.total.contracts).toBe(contracts.length);
    expect(d.contracts.total.contracts).toBeGreaterThan(0);
    for (const row of d.contracts.rows) {
      const mine = contracts.filter((c) => c.opd === row.opd);
      expect(row.contracts).toBe(mine.length);
      const value = Money.sum(mine.map((c) => Money.idr(c.value)));
      const paid = Money.sum(mine.map((c) => Money.idr(c.paid ?? "0")));
      expect(row.value).toBe(value.toString());
      expect(row.paid).toBe(paid.toString());
      expect(row.financial).toBe(paid.percentOf(value).toFixed(2));
      const done = mine.reduce((s, c) => s.plus(new D(c.value).times(c.physical ?? "0").div(100)), new D(0));
      expect(row.physical).toBe(done.div(value.toDecimal()).times(100).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2));
    }
    const pu = d.contracts.rows.find((r) => r.opd === "1.03.0.00.0.00.01.0000")!;
    expect(Number(pu.physical)).toBeGreaterThan(0);
    expect(Number(pu.financial)).toBeGreaterThan(0);
    const critical = await criticalContracts(db.em(), T, YEAR);
    expect(critical.count).toBe(1);
    expect(d.contracts.total.critical).toBe(critical.count);
    expect(pu.critical).toBe(1);
  });

  it("counts public complaints by status with those past their SLA, never the held ones", async () => {
    const d = await dashboard(db.em(), T, YEAR, NOW);
    const rows = await db.em().execute<{ status: string; n: number; late: number }[]>(
      `select status, count(*)::int as n, count(*) filter (where status in ('held','received','verified','forwarded','in_progress') and sla_due_on < date '2027-06-01')::int as late
         from complaint where tenant_code = ? and status not in ('held','discarded') group by status`,
      [T],
    );
    expect(d.complaints.rows.map((r) => ({ status: r.status, n: r.count, late: r.overdue })).sort((a, b) => a.status.localeCompare(b.status))).toEqual(
      rows.sort((a, b) => a.status.localeCompare(b.status)),
    );
    expect(d.complaints.total).toBeGreaterThan(0);
    expect(d.complaints.overdue).toBeGreaterThan(0);
    // On the day it was filed, nothing is overdue yet.
    expect((await dashboard(db.em(), T, YEAR, new Date("2027-02-10T04:00:00Z"))).complaints.overdue).toBe(0);
    // A held report is not public: hold ours, and it leaves the counts.
    await db.em().execute("update complaint set status = 'held' where id = ?", [world.complaint.id]);
    const held = await dashboard(db.em(), T, YEAR, NOW);
    expect(held.complaints.total).toBe(d.complaints.total - 1);
    await db.em().execute("update complaint set status = ? where id = ?", [world.complaint.status, world.complaint.id]);
  });

  it("counts the year's Musrenbang proposals per kecamatan: raised, adopted, taken up in a Renja", async () => {
    const d = await dashboard(db.em(), T, YEAR, NOW);
    const rows = await db.em().execute<{ code: string; total: number; adopted: number; taken: number }[]>(
      `select p.kecamatan_code as code, count(*)::int as total, count(*) filter (where p.status = 'adopted')::int as adopted,
              count(*) filter (where exists (select 1 from sub_activity_proposal sp where sp.proposal_id = p.id))::int as taken
         from proposal p where p.tenant_code = ? and p.fiscal_year = ? group by p.kecamatan_code order by p.kecamatan_code`,
      [T, YEAR],
    );
    expect(d.proposals.rows.map((r) => ({ code: r.code, total: r.total, adopted: r.adopted, taken: r.takenUp }))).toEqual(rows);
    expect(d.proposals.adopted).toBeGreaterThan(0);
    expect(d.proposals.rows.every((r) => r.name.length > 0)).toBe(true);
  });
});

describe("GET /dasbor", () => {
  it("serves the figures, the red flags of the year's processes once computed, and nothing private", async () => {
    type Page = { d: Dashboard; flags: { rows: { code: string; count: number }[] } | null; charts: { absorption: { lengths: number[] }[] } };
    // The figures reach the page's component through the request's load context (app/render-data.tsx).
    const slot = renderSlot<Page>("dasbor");
    const load = async () => {
      const context = {};
      const res = (await pageLoader({ request: new Request(`${BASE}/dasbor?tahun=${YEAR}`), params: {}, context })) as Response;
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toMatch(/public/);
      expect(await res.json()).toMatchObject({ year: YEAR, view: null });
      return slot.get(context)!;
    };
    let page = await load();
    expect(page.d.year).toBe(YEAR);
    expect(page.d.absorption.total).toEqual((await dashboard(db.em(), T, YEAR, NOW)).absorption.total);
    for (const c of page.charts.absorption) for (const l of c.lengths) expect(l).toBeGreaterThanOrEqual(0);
    // Red flags are computed in the background; the page says "segera" until they are there.
    for (let i = 0; i < 100 && page.flags === null; i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await load();
    }
    expect(page.flags).not.toBeNull();
    const { flags } = await tenantRedFlags(db.em(), T);
    const years = await db.em().execute<{ ocid: string; y: number }[]>("select distinct ocid, (select fiscal_year::int from proc_package where id = package_id) as y from ocds_release where tenant_code = ?", [T]);
    const ofYear = flags.filter((f) => years.find((r) => r.ocid === f.ocid)?.y === YEAR);
    expect(ofYear.length).toBeGreaterThan(0);
    const expected = new Map<string, number>();
    for (const f of ofYear) expected.set(f.code, (expected.get(f.code) ?? 0) + 1);
    expect(new Map(page.flags!.rows.map((r) => [r.code, r.count]))).toEqual(expected);
    const text = JSON.stringify(page);
    expect(text).not.toContain(world.reporter.name);
    expect(text).not.toContain(world.reporter.contact);
  });
});
