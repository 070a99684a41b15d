import type { EntityManager } from "@mikro-orm/postgresql";
import { Money } from "../kernel/money";

export interface ReconcileRow {
  id: string;
  code: string;
  title: string;
  desa: string;
  kind: string;
  cost: string;
  proposedSub: string;
  subId: string | null;
  subCode: string | null;
  subName: string | null;
  /** "taken" (a sub-activity takes it up), "leftOut" (marked at adoption, not since taken up), or "pending". */
  state: "taken" | "leftOut" | "pending";
  leftOutReason: string;
}

/**
 * The Forum Perangkat Daerah's reconciliation of a Renja with Musrenbang: every proposal (and pokir) the
 * OPD accepted for the year, where the Renja takes it up or why not, the OPD's own Forum PD if one was
 * held, and totals (estimated cost of the proposals per state; ceilings of the sub-activities).
 */
export async function reconciliation(em: EntityManager, tenant: string, renja: { id: string; fiscal_year: number; opd_id: string }) {
  const rows = await em.execute<(Omit<ReconcileRow, "state"> & { last: string | null })[]>(
    `select p.id, p.code, p.title, d.name as desa, p.kind, p.estimated_cost::text as cost, p.proposed_sub_kegiatan as "proposedSub",
            s.id as "subId", s.sub_kegiatan_code as "subCode", s.name as "subName",
            e.action as last, coalesce(case when e.action = 'leftOut' then e.reason end, '') as "leftOutReason"
       from proposal p
       join region d on d.code = p.desa_code
       left join sub_activity_proposal x on x.proposal_id = p.id
       left join sub_activity s on s.id = x.sub_activity_id
       left join lateral (select action, reason from proposal_event e where e.proposal_id = p.id and e.action in ('plan','unplan','leftOut') order by e.id desc limit 1) e on true
      where p.tenant_code = ? and p.fiscal_year = ? and p.target_opd_id = ? and p.status in ('accepted','adopted')
      order by (s.id is not null), p.code`,
    [tenant, renja.fiscal_year, renja.opd_id],
  );
  const list: ReconcileRow[] = rows.map(({ last, ...r }) => ({ ...r, state: r.subId ? "taken" : last === "leftOut" ? "leftOut" : "pending" }));
  const sum = (state: ReconcileRow["state"]) => Money.sum(list.filter((r) => r.state === state).map((r) => Money.idr(r.cost))).toString();
  const subs = await em.execute<{ id: string; code: string; name: string; ceiling: string; n: number }[]>(
    `select s.id, s.sub_kegiatan_code as code, s.name, s.ceiling::text as ceiling, (select count(*)::int from sub_activity_proposal x where x.sub_activity_id = s.id) as n
       from sub_activity s where s.renja_id = ? order by s.sub_kegiatan_code`,
    [renja.id],
  );
  const [forum] = await em.execute<{ id: string; name: string; status: string; signed_at: Date | null }[]>(
    "select id, name, status, signed_at from forum where tenant_code = ? and fiscal_year = ? and level = 'perangkat_daerah' and opd_id = ?",
    [tenant, renja.fiscal_year, renja.opd_id],
  );
  return {
    rows: list,
    subs,
    forum: forum ? { id: forum.id, name: forum.name, status: forum.status, signed: !!forum.signed_at } : null,
    counts: { accepted: list.length, taken: list.filter((r) => r.state === "taken").length, pending: list.filter((r) => r.state === "pending").length, leftOut: list.filter((r) => r.state === "leftOut").length },
    costs: { taken: sum("taken"), pending: sum("pending"), leftOut: sum("leftOut") },
    ceilings: Money.sum(subs.map((s) => Money.idr(s.ceiling))).toString(),
  };
}
