import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { listRpjmd, renjaVersions, rkpd, rpjmdView } from "../../../domain/planning";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";

const db = useTestDatabase("full");

describe("the demo's e-Planning (what npm start serves)", () => {
  it("has an adopted RPJMD whose goals have five yearly targets and programmes", async () => {
    const [r] = await listRpjmd(db.em(), T);
    expect(r).toMatchObject({ start_year: 2026, end_year: 2030, status: "adopted" });
    const view = await rpjmdView(db.em(), T, r.id);
    const goals = view.missions.flatMap((m) => m.goals);
    expect(goals.length).toBeGreaterThanOrEqual(6);
    for (const g of goals) {
      expect(g.programs.length).toBeGreaterThan(0);
      for (const i of g.indicators) expect(Object.keys(i.targets)).toEqual(["2026", "2027", "2028", "2029", "2030"]);
    }
  });

  it("has an RKPD 2027 built from the Musrenbang: every accepted proposal taken up or left out with a reason; ceilings hold", async () => {
    const plan = await rkpd(db.em(), T, 2027);
    const withRenja = plan.opds.filter((o) => o.status);
    expect(withRenja.length).toBe(8);
    expect(withRenja.filter((o) => o.status === "final").length).toBe(8);
    for (const o of withRenja) {
      expect(Money.idr(o.planned).exceeds(Money.idr(o.ceiling!))).toBe(false);
      expect(Money.sum(o.subs.map((s) => Money.idr(s.ceiling))).toString()).toBe(o.planned);
    }
    expect(plan.opds.flatMap((o) => o.subs).filter((s) => s.proposals.length).length).toBeGreaterThanOrEqual(8);
    const [{ orphans }] = await db.em().execute<{ orphans: number }[]>(
      `select count(*)::int as orphans from proposal p where p.tenant_code = ? and p.fiscal_year = 2027 and p.status in ('accepted','adopted')
          and p.target_opd_id in (select opd_id from renja where fiscal_year = 2027)
          and not exists (select 1 from sub_activity_proposal x where x.proposal_id = p.id)
          and not exists (select 1 from proposal_event e where e.proposal_id = p.id and e.action = 'leftOut' and length(e.reason) > 10)`,
      [T],
    );
    expect(orphans).toBe(0);
    // Dinas PU Bina Marga's Renja was revised once and adopted again: both adoptions are kept.
    const [pu] = await db.em().execute<{ id: string; status: string; revision: number }[]>(
      "select r.id, r.status, r.revision from renja r join opd o on o.id = r.opd_id where o.code = '1.03.0.00.0.00.01.0000' and r.fiscal_year = 2027",
    );
    expect(pu).toMatchObject({ status: "final", revision: 1 });
    const versions = await renjaVersions(db.em(), pu.id);
    expect(versions.map((v) => v.revision)).toEqual([0, 1]);
    expect(Money.idr(versions[1].total).exceeds(Money.idr(versions[0].total))).toBe(true);
    // Two road and one drainage proposal of Dinas PU stay left out, waiting.
    const [{ waiting }] = await db.em().execute<{ waiting: number }[]>(
      `select count(*)::int as waiting from proposal p join opd o on o.id = p.target_opd_id where o.code = '1.03.0.00.0.00.01.0000' and p.fiscal_year = 2027
          and p.status in ('accepted','adopted') and not exists (select 1 from sub_activity_proposal x where x.proposal_id = p.id)`,
    );
    expect(waiting).toBe(3);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
