import type { EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";
import { pgArray } from "../kernel/pg";
import { HIDDEN_STATUSES, OPEN_STATUSES, wibDay } from "../oversight";

/**
 * The public command-centre view (/dasbor) of a fiscal year, figures per OPD:
 *
 *   absorption   budget (spending lines of the APBD in force) against SP2D paid on them — the same
 *                figures as budgeting's `absorption()`, aggregated in SQL;
 *   contracts    signed, completed or terminated contracts of the year's packages: value, paid to the
 *                contractor (contract_payment), financial progress = paid ÷ value, physical progress =
 *                each contract's latest verified cumulative progress weighted by its value (0 before its
 *                first report), and the open kontrak kritis cases;
 *   complaints   citizens' reports by status (held and discarded ones are not public), with those still open
 *                past their SLA due day — all years: a report is not tied to a fiscal year;
 *   proposals    the year's Musrenbang proposals per kecamatan: raised, adopted, taken up in a Renja.
 *
 * Five statements, run side by side. Amounts stay exact (numeric in SQL, Decimal here); percentages are
 * rounded half-up to 2 decimals only when shown.
 */

export interface AbsorptionRow {
  opd: string;
  name: string;
  budget: string;
  paid: string;
  percent: string;
}
export interface ContractProgressRow {
  opd: string;
  name: string;
  contracts: number;
  value: string;
  paid: string;
  /** paid ÷ value, percent. */
  financial: string;
  /** value-weighted latest verified physical progress, percent. */
  physical: string;
  critical: number;
}
export interface ComplaintStatusRow {
  status: string;
  count: number;
  overdue: number;
}
export interface KecamatanProposalRow {
  code: string;
  name: string;
  total: number;
  adopted: number;
  takenUp: number;
}

const pct = (part: string, whole: string) => Money.idr(part).percentOf(Money.idr(whole)).toFixed(2);

/** The years a public page can show (proposals, plans, APBD or packages), newest first, and the one to open with: the latest with an adopted APBD, else the newest. */
export async function publicYears(em: EntityManager, tenant: string): Promise<{ years: number[]; preferred: number }> {
  const rows = await em.execute<{ y: number; adopted: boolean }[]>(
    `select y, bool_or(adopted) as adopted from (
       select distinct fiscal_year::int as y, false as adopted from proposal where tenant_code = ?
       union select distinct fiscal_year::int, false from sub_activity where tenant_code = ?
       union select distinct fiscal_year::int, false from proc_package where tenant_code = ?
       union select distinct fiscal_year::int, status = 'adopted' from apbd where tenant_code = ?) t
     group by y order by y desc`,
    [tenant, tenant, tenant, tenant],
  );
  const years = rows.map((r) => r.y);
  const preferred = rows.find((r) => r.adopted)?.y ?? years[0] ?? new Date().getUTCFullYear();
  return { years, preferred };
}

/** `now` gives the WIB day against which complaints' SLA due days are judged (overdue: due before today). */
export async function dashboard(em: EntityManager, tenant: string, year: number, now: Date) {
  const today = wibDay(now);
  const [absorptionRows, contractRows, complaintRows, kecamatanRows, apbd] = await Promise.all([
    em.execute<{ opd: string; name: string; budget: string; paid: string }[]>(
      `with inforce as (
         select id from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1
       ), paid as (
         select x.line_key, sum(s.amount) as amount
           from sp2d s join budget_line x on x.id = s.budget_line_id join apbd a on a.id = x.apbd_id
          where s.tenant_code = ? and a.fiscal_year = ? group by x.line_key
       )
       select o.code as opd, o.name, sum(b.amount)::numeric(20,2)::text as budget, coalesce(sum(pd.amount), 0)::numeric(20,2)::text as paid
         from budget_line b join inforce i on i.id = b.apbd_id join opd o on o.id = b.opd_id left join paid pd on pd.line_key = b.line_key
        where b.kind = 'belanja'
        group by o.code, o.name order by o.code`,
      [tenant, year, tenant, year],
    ),
    em.execute<{ opd: string; name: string; contracts: number; value: string; paid: string; done: string; critical: number }[]>(
      `select o.code as opd, o.name, count(*)::int as contracts, sum(c.value)::numeric(20,2)::text as value,
              coalesce(sum(pay.amount), 0)::numeric(20,2)::text as paid,
              coalesce(sum(c.value * coalesce(rp.physical, 0)), 0)::text as done,
              count(ck.contract_id)::int as critical
         from contract c join proc_package pk on pk.id = c.package_id join opd o on o.id = pk.opd_id
         left join (select contract_id, sum(amount) as amount from contract_payment where tenant_code = ? group by contract_id) pay on pay.contract_id = c.id
         left join lateral (select r.physical from progress_report r where r.contract_id = c.id and r.status = 'verified' order by r.period_no desc limit 1) rp on true
         left join critical_case ck on ck.contract_id = c.id and ck.status not in ('terminated','resolved')
        where c.tenant_code = ? and pk.fiscal_year = ? and c.status in ('signed','completed','terminated')
        group by o.code, o.name order by o.code`,
      [tenant, tenant, year],
    ),
    em.execute<{ status: string; count: number; overdue: number }[]>(
      `select status, count(*)::int as count, count(*) filter (where status = any(?::text[]) and sla_due_on < ?::date)::int as overdue
         from complaint where tenant_code = ? and status <> all(?::text[])
        group by status`,
      [pgArray(OPEN_STATUSES), today, tenant, pgArray(HIDDEN_STATUSES)],
    ),
    em.execute<{ code: string; name: string; total: number; adopted: number; taken_up: number }[]>(
      `select k.code, k.name, count(*)::int as total, count(*) filter (where p.status = 'adopted')::int as adopted, count(sp.proposal_id)::int as taken_up
         from proposal p join region k on k.code = p.kecamatan_code left join sub_activity_proposal sp on sp.proposal_id = p.id
        where p.tenant_code = ? and p.fiscal_year = ?
        group by k.code, k.name order by k.code`,
      [tenant, year],
    ),
    em.execute<{ version_no: number; kind: string }[]>(
      "select version_no, kind from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1",
      [tenant, year],
    ),
  ]);

  const absorption: AbsorptionRow[] = absorptionRows.map((r) => ({ ...r, percent: pct(r.paid, r.budget) }));
  const budget = Money.sum(absorption.map((r) => Money.idr(r.budget))).toString();
  const paid = Money.sum(absorption.map((r) => Money.idr(r.paid))).toString();

  const physicalOf = (done: string, value: string) => (new D(value).isZero() ? new D(0) : new D(done).div(value).toDecimalPlaces(2, D.ROUND_HALF_UP)).toFixed(2);
  const contracts: ContractProgressRow[] = contractRows.map((r) => ({
    opd: r.opd,
    name: r.name,
    contracts: r.contracts,
    value: r.value,
    paid: r.paid,
    financial: pct(r.paid, r.value),
    physical: physicalOf(r.done, r.value),
    critical: r.critical,
  }));
  const cValue = Money.sum(contracts.map((r) => Money.idr(r.value))).toString();
  const cPaid = Money.sum(contracts.map((r) => Money.idr(r.paid))).toString();
  const cDone = contractRows.reduce((s, r) => s.plus(r.done), new D(0)).toString();

  const order = ["received", "verified", "forwarded", "in_progress", "answered", "closed", "rejected"];
  const complaints: ComplaintStatusRow[] = [...complaintRows].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));

  const kecamatan: KecamatanProposalRow[] = kecamatanRows.map((r) => ({ code: r.code, name: r.name, total: r.total, adopted: r.adopted, takenUp: r.taken_up }));

  return {
    year,
    apbd: apbd[0] ? { versionNo: apbd[0].version_no, kind: apbd[0].kind } : null,
    absorption: { rows: absorption, total: { budget, paid, percent: pct(paid, budget) } },
    contracts: {
      rows: contracts,
      total: {
        contracts: contracts.reduce((s, r) => s + r.contracts, 0),
        value: cValue,
        paid: cPaid,
        financial: pct(cPaid, cValue),
        physical: physicalOf(cDone, cValue),
        critical: contracts.reduce((s, r) => s + r.critical, 0),
      },
    },
    complaints: {
      rows: complaints,
      total: complaints.reduce((s, r) => s + r.count, 0),
      overdue: complaints.reduce((s, r) => s + r.overdue, 0),
    },
    proposals: {
      rows: kecamatan,
      total: kecamatan.reduce((s, r) => s + r.total, 0),
      adopted: kecamatan.reduce((s, r) => s + r.adopted, 0),
      takenUp: kecamatan.reduce((s, r) => s + r.takenUp, 0),
    },
  };
}
export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
