import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { DomainError, ValidationErrors, type FieldProblem } from "../kernel/domain-error";
import { D, Money, type Dec } from "../kernel/money";
import { wibDate } from "../kernel/rupiah-text";
import { isUuid } from "../kernel/codes";

/**
 * The quarterly evaluation of the RKPD (evaluasi hasil RKPD per triwulan, Permendagri 86/2017): for every
 * sub-activity of a year's final RKPD, its target (K: the indicator's target in its unit; Rp: its budget in
 * the APBD in force, or its ceiling before there is one) against what was realised in each triwulan.
 *
 *   Rp realised   the SP2D paid on the sub-activity's lines in the quarter (every version of the year's APBD);
 *   Rp planned    the DPA's cash plan (anggaran kas) of the sub-activity's months in the quarter;
 *   physical %    cumulative at the quarter's end: with contracts, each signed contract's latest verified
 *                 progress report up to that day (0 before the first), weighted by contract value, with the
 *                 plan (kurva S) the same way; without contracts, what the OPD entered;
 *   K realised    what the OPD entered for the quarter; else, with a physical figure, the target times the
 *                 quarter's gain in physical progress.
 *
 * The year's realisation is the sum of the quarters (K and Rp) and its achievement the share of the target.
 * Columns of the regulation's form that need the Renstra of each OPD (its end-of-period target and the
 * realisation of past years) are not kept by Jejak and are left out of the form (see exports/xlsx/evaluation.ts).
 */

export const QUARTERS = [1, 2, 3, 4] as const;
export type Quarter = (typeof QUARTERS)[number];

export interface QuarterFigures {
  quarter: Quarter;
  /** Cash plan of the quarter (Rp). */
  planRp: string;
  /** SP2D paid in the quarter (Rp). */
  paidRp: string;
  /** Cumulative physical progress planned and realised at the quarter's end (%), null when unknown. */
  physicalPlan: string | null;
  physical: string | null;
  /** Output realised in the quarter (K), null when unknown. */
  output: string | null;
  /** Whether `output`/`physical` were entered by hand. */
  entered: boolean;
  drivers: string;
  obstacles: string;
  followUp: string;
  version: number | null;
}

export interface EvaluationRow {
  subActivityId: string;
  opdCode: string;
  opdName: string;
  programCode: string;
  kegiatanCode: string;
  code: string;
  name: string;
  indicator: string;
  target: string;
  unit: string;
  budget: string;
  contracts: number;
  quarters: QuarterFigures[];
  year: { output: string | null; paidRp: string; outputPercent: string | null; paidPercent: string; physical: string | null };
}

export interface Evaluation {
  year: number;
  apbd: { id: string; versionNo: number } | null;
  rows: EvaluationRow[];
  /** Per OPD, in code order: budget, paid per quarter and in the year, and the share paid. */
  opds: { code: string; name: string; subs: number; budget: string; paid: string[]; paidYear: string; paidPercent: string; physical: string | null }[];
  total: { budget: string; paid: string[]; paidYear: string; paidPercent: string };
}

export interface EvaluationSource {
  id: string;
  opd_code: string;
  opd_name: string;
  program_code: string;
  kegiatan_code: string;
  code: string;
  name: string;
  indicator: string;
  target: string;
  unit: string;
  budget: string;
  contracts: number;
  plan: (string | null)[];
  paid: (string | null)[];
  cvalue: string | null;
  phys: (string | null)[] | null;
  phys_plan: (string | null)[] | null;
  entries: { quarter: number; output: string | null; physical: string | null; drivers: string; obstacles: string; follow_up: string; version: number }[];
}

const pct = (part: Dec, whole: Dec) => (whole.isZero() ? "0.00" : part.times(100).dividedBy(whole).toFixed(2));

/**
 * The evaluation of a year, for one OPD or all of them (Bappeda's consolidated RKPD evaluation). One
 * statement: the sub-activities with their budget, cash plan and SP2D per quarter, their contracts'
 * progress at each quarter's end (weighted sums), and the entries.
 */
export async function quarterlyEvaluation(em: EntityManager, tenant: string, year: number, opdCode?: string): Promise<Evaluation> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new DomainError("monev.evaluation.year", { year }, "notFound");
  const [apbd] = await em.execute<{ id: string; version_no: number }[]>(
    "select id, version_no from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1",
    [tenant, year],
  );
  const params: unknown[] = [tenant, year];
  if (opdCode) params.push(opdCode);
  const y = Number(year);
  const quarterly = (expr: string, filter: string) => `array[${QUARTERS.map((q) => `sum(${expr}) filter (where ${filter} = ${q})`).join(", ")}]::text[]`;
  const rows = await em.execute<EvaluationSource[]>(
    `with subs as (
       select s.id, s.ceiling, o.code as opd_code, o.name as opd_name, s.program_code, s.kegiatan_code, s.sub_kegiatan_code as code, s.name, s.indicator,
              trim_scale(s.target)::text as target, s.unit
         from sub_activity s join renja r on r.id = s.renja_id and r.status = 'final' join opd o on o.id = s.opd_id
        where s.tenant_code = ? and s.fiscal_year = ? ${opdCode ? "and o.code = ?" : ""}),
     ends as (select q, (make_date(${y}, q * 3, 1) + interval '1 month' - interval '1 day')::date as day from generate_series(1, 4) q),
     budget as (select b.sub_activity_id, sum(b.amount) as amount from budget_line b
                 where b.apbd_id = ? and b.kind = 'belanja' and b.sub_activity_id in (select id from subs) group by 1),
     plan as (select c.sub_activity_id, ${quarterly("c.amount", "(c.month + 2) / 3")} as q from dpa_cash_plan c join dpa d on d.id = c.dpa_id
               where d.apbd_id = ? and c.kind = 'belanja' and c.sub_activity_id in (select id from subs) group by 1),
     paid as (select x.sub_activity_id, ${quarterly("p.amount", "extract(quarter from p.paid_on)")} as q from sp2d p join budget_line x on x.id = p.budget_line_id
               where p.tenant_code = ? and p.paid_on between make_date(${y}, 1, 1) and make_date(${y}, 12, 31) and x.sub_activity_id in (select id from subs) group by 1),
     k as (select p.sub_activity_id, c.id, c.value from contract c join proc_package p on p.id = c.package_id
            where p.sub_activity_id in (select id from subs) and c.status in ('signed', 'completed')),
     -- Each contract's latest verified report up to each quarter's end, weighted by the contract's value.
     kq as (select k.sub_activity_id, e.q, k.value * coalesce(r.physical, 0) as done, k.value * coalesce(r.planned, 0) as planned
              from k cross join ends e
              left join lateral (select r.physical, r.planned from progress_report r where r.contract_id = k.id and r.status = 'verified' and r.period_end <= e.day
                                  order by r.period_end desc, r.period_no desc limit 1) r on true),
     prog as (select kq.sub_activity_id, ${quarterly("kq.done", "kq.q")} as done, ${quarterly("kq.planned", "kq.q")} as planned from kq group by 1),
     kv as (select k.sub_activity_id, count(*)::int as n, sum(k.value) as value from k group by 1),
     ent as (select v.sub_activity_id, json_agg(json_build_object('quarter', v.quarter, 'output', trim_scale(v.output)::text, 'physical', v.physical::text, 'drivers', v.drivers,
                                                  'obstacles', v.obstacles, 'follow_up', v.follow_up, 'version', v.version) order by v.quarter) as entries
               from evaluation_entry v where v.sub_activity_id in (select id from subs) group by 1)
     select s.id, s.opd_code, s.opd_name, s.program_code, s.kegiatan_code, s.code, s.name, s.indicator, s.target, s.unit,
            coalesce(b.amount, s.ceiling)::numeric(20,2)::text as budget, coalesce(kv.n, 0) as contracts, kv.value::text as cvalue,
            coalesce(pl.q, array[null, null, null, null]::text[]) as plan, coalesce(pd.q, array[null, null, null, null]::text[]) as paid,
            pr.done as phys, pr.planned as phys_plan, coalesce(ent.entries, '[]') as entries
       from subs s left join budget b on b.sub_activity_id = s.id left join plan pl on pl.sub_activity_id = s.id left join paid pd on pd.sub_activity_id = s.id
       left join kv on kv.sub_activity_id = s.id left join prog pr on pr.sub_activity_id = s.id left join ent on ent.sub_activity_id = s.id
      order by s.opd_code, s.code`,
    [...params, apbd?.id ?? null, apbd?.id ?? null, tenant] as never[],
  );
  const out = rows.map(evaluationRow);
  const byOpd = new Map<string, { code: string; name: string; rows: EvaluationRow[] }>();
  for (const r of out) {
    const g = byOpd.get(r.opdCode) ?? { code: r.opdCode, name: r.opdName, rows: [] };
    g.rows.push(r);
    byOpd.set(r.opdCode, g);
  }
  const summarise = (rs: EvaluationRow[]) => {
    const budget = Money.sum(rs.map((r) => Money.idr(r.budget)));
    const paid = QUARTERS.map((q) => Money.sum(rs.map((r) => Money.idr(r.quarters[q - 1].paidRp))));
    const paidYear = Money.sum(paid);
    return { budget: budget.toString(), paid: paid.map(String), paidYear: paidYear.toString(), paidPercent: pct(paidYear.toDecimal(), budget.toDecimal()) };
  };
  return {
    year,
    apbd: apbd ? { id: apbd.id, versionNo: apbd.version_no } : null,
    rows: out,
    opds: [...byOpd.values()].map((g) => {
      // The OPD's physical progress: its sub-activities' year figures weighted by budget (those with a figure).
      const known = g.rows.filter((r) => r.year.physical !== null);
      const weight = known.reduce((a, r) => a.plus(r.budget), new D(0));
      const physical = known.length === 0 ? null : weight.isZero() ? null : known.reduce((a, r) => a.plus(new D(r.year.physical!).times(r.budget)), new D(0)).dividedBy(weight).toFixed(2);
      return { code: g.code, name: g.name, subs: g.rows.length, ...summarise(g.rows), physical };
    }),
    total: summarise(out),
  };
}

/** One sub-activity's figures from its raw row (exported for the unit tests of the rules). */
export function evaluationRow(r: EvaluationSource): EvaluationRow {
  const target = new D(r.target);
  const cvalue = r.cvalue === null ? null : new D(r.cvalue);
  const entry = (q: number) => r.entries.find((e) => e.quarter === q);
  const weighted = (sums: (string | null)[] | null, q: number) => (cvalue && !cvalue.isZero() && sums ? new D(sums[q - 1] ?? 0).dividedBy(cvalue) : null);
  let before: Dec = new D(0);
  let lastEntered: Dec | null = null;
  const quarters = QUARTERS.map((q): QuarterFigures => {
    const e = entry(q);
    if (e?.physical != null) lastEntered = new D(e.physical);
    // Contracts decide the physical progress; without them, the latest figure entered up to this quarter.
    const physical: Dec | null = r.contracts > 0 ? weighted(r.phys, q) : lastEntered;
    const output = e?.output != null ? new D(e.output) : physical !== null ? target.times(physical.minus(before)).dividedBy(100).toDecimalPlaces(4) : null;
    if (physical !== null) before = physical;
    const plan = r.contracts > 0 ? weighted(r.phys_plan, q) : null;
    return {
      quarter: q,
      planRp: Money.idr(r.plan[q - 1] ?? "0").toString(),
      paidRp: Money.idr(r.paid[q - 1] ?? "0").toString(),
      physicalPlan: plan === null ? null : plan.toFixed(2),
      physical: physical === null ? null : physical.toFixed(2),
      output: output === null ? null : output.toFixed(),
      entered: e !== undefined && (e.output != null || (r.contracts === 0 && e.physical != null)),
      drivers: e?.drivers ?? "",
      obstacles: e?.obstacles ?? "",
      followUp: e?.follow_up ?? "",
      version: e?.version ?? null,
    };
  });
  const outputs = quarters.map((q) => q.output).filter((o): o is string => o !== null);
  const output = outputs.length ? outputs.reduce((a, o) => a.plus(o), new D(0)) : null;
  const paid = Money.sum(quarters.map((q) => Money.idr(q.paidRp)));
  const lastPhysical = [...quarters].reverse().find((q) => q.physical !== null)?.physical ?? null;
  return {
    subActivityId: r.id,
    opdCode: r.opd_code,
    opdName: r.opd_name,
    programCode: r.program_code,
    kegiatanCode: r.kegiatan_code,
    code: r.code,
    name: r.name,
    indicator: r.indicator,
    target: r.target,
    unit: r.unit,
    budget: Money.idr(r.budget).toString(),
    contracts: r.contracts,
    quarters,
    year: {
      output: output === null ? null : output.toFixed(),
      paidRp: paid.toString(),
      outputPercent: output === null ? null : pct(output, target),
      paidPercent: pct(paid.toDecimal(), Money.idr(r.budget).toDecimal()),
      physical: lastPhysical,
    },
  };
}

/** The years with a final RKPD, newest first. */
export async function evaluationYears(em: EntityManager, tenant: string): Promise<number[]> {
  const rows = await em.execute<{ y: number }[]>("select distinct fiscal_year as y from renja where tenant_code = ? and status = 'final' order by 1 desc", [tenant]);
  return rows.map((r) => r.y);
}

export interface EvaluationEntryInput {
  subActivityId: string;
  quarter: number | string;
  /** Output realised in the quarter, in the indicator's unit; empty: none entered. */
  output?: string | null;
  /** Cumulative physical progress at the quarter's end (%), for sub-activities without contracts. */
  physical?: string | null;
  drivers?: string;
  obstacles?: string;
  followUp?: string;
  /** The entry's version as the form read it (null: there was none); a mismatch is a conflict. */
  expectedVersion?: number | null;
}

const TEXT_MAX = 2000;

/**
 * Enters (or corrects) an OPD's figures for a sub-activity and a triwulan. Who: the OPD's officers for
 * their own OPD, the monev officer and Bappeda for any. A quarter can be entered once it has begun (WIB);
 * output is ≥ 0 with at most 4 decimals; physical progress, only for sub-activities without contracts
 * (theirs comes from the verified progress reports), is 0–100 and never below an earlier quarter's or above
 * a later one's. Concurrent edits: the version read must be the version stored. Emits EvaluationEntered.
 */
export async function enterEvaluation(em: EntityManager, actor: Actor, clock: Clock, input: EvaluationEntryInput): Promise<{ version: number }> {
  if (!isUuid(input.subActivityId)) throw new DomainError("monev.evaluation.subNotFound", {}, "notFound");
  const quarter = Number(input.quarter);
  return transact(em, actor, clock, async (tx, record) => {
    const [s] = await tx.execute<{ id: string; fiscal_year: number; opd_code: string; code: string; status: string; contracts: number }[]>(
      `select s.id, s.fiscal_year, o.code as opd_code, s.sub_kegiatan_code as code, r.status,
              (select count(*)::int from contract c join proc_package p on p.id = c.package_id where p.sub_activity_id = s.id and c.status in ('signed', 'completed')) as contracts
         from sub_activity s join renja r on r.id = s.renja_id join opd o on o.id = s.opd_id where s.tenant_code = ? and s.id = ? for update of s`,
      [actor.tenant, input.subActivityId],
    );
    if (!s || s.status !== "final") throw new DomainError("monev.evaluation.subNotFound", {}, "notFound");
    assertCan(actor, "monev.evaluation.edit", { tenant: actor.tenant, opd: s.opd_code });
    const problems: FieldProblem[] = [];
    if (!QUARTERS.includes(quarter as Quarter)) problems.push({ field: "quarter", key: "monev.evaluation.quarter", params: {} });
    else if (wibDate(clock.now()) < `${s.fiscal_year}-${String(quarter * 3 - 2).padStart(2, "0")}-01`)
      problems.push({ field: "quarter", key: "monev.evaluation.notYet", params: { quarter, year: s.fiscal_year } });
    const number = (field: "output" | "physical", text: string | null | undefined, max?: number) => {
      const t = (text ?? "").trim().replace(",", ".");
      if (t === "") return null;
      if (!/^\d{1,14}(\.\d{1,4})?$/.test(t) || (max !== undefined && new D(t).greaterThan(max))) {
        problems.push({ field, key: `monev.evaluation.${field}`, params: { max } });
        return null;
      }
      return new D(t);
    };
    const output = number("output", input.output);
    const physical = number("physical", input.physical, 100);
    if (physical !== null && physical.decimalPlaces() > 2) problems.push({ field: "physical", key: "monev.evaluation.physical", params: { max: 100 } });
    if (physical !== null && s.contracts > 0) problems.push({ field: "physical", key: "monev.evaluation.physicalFromContracts", params: { contracts: s.contracts } });
    const texts = { drivers: input.drivers ?? "", obstacles: input.obstacles ?? "", followUp: input.followUp ?? "" };
    for (const [field, text] of Object.entries(texts)) if (text.length > TEXT_MAX) problems.push({ field, key: "monev.evaluation.tooLong", params: { max: TEXT_MAX } });
    if (problems.length === 0 && physical !== null) {
      // Cumulative: not below an earlier quarter's figure, not above a later one's.
      const [edge] = await tx.execute<{ below: string | null; above: string | null }[]>(
        `select (select max(physical)::text from evaluation_entry where sub_activity_id = ? and quarter < ? and physical is not null) as below,
                (select min(physical)::text from evaluation_entry where sub_activity_id = ? and quarter > ? and physical is not null) as above`,
        [s.id, quarter, s.id, quarter],
      );
      if (edge.below !== null && physical.lessThan(edge.below)) problems.push({ field: "physical", key: "monev.evaluation.physicalDown", params: { before: edge.below } });
      if (edge.above !== null && physical.greaterThan(edge.above)) problems.push({ field: "physical", key: "monev.evaluation.physicalAbove", params: { after: edge.above } });
    }
    if (problems.length) throw new ValidationErrors(problems);
    const [old] = await tx.execute<{ output: string | null; physical: string | null; drivers: string; obstacles: string; follow_up: string; version: number }[]>(
      "select trim_scale(output)::text as output, physical::text as physical, drivers, obstacles, follow_up, version from evaluation_entry where sub_activity_id = ? and quarter = ? for update",
      [s.id, quarter],
    );
    if (input.expectedVersion !== undefined && (old?.version ?? null) !== input.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const version = (old?.version ?? 0) + 1;
    const values = [output?.toFixed() ?? null, physical?.toFixed(2) ?? null, texts.drivers.trim(), texts.obstacles.trim(), texts.followUp.trim()];
    await tx.execute(
      `insert into evaluation_entry (tenant_code, sub_activity_id, quarter, output, physical, drivers, obstacles, follow_up, version, updated_at, updated_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (sub_activity_id, quarter) do update set output = excluded.output, physical = excluded.physical, drivers = excluded.drivers,
         obstacles = excluded.obstacles, follow_up = excluded.follow_up, version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [actor.tenant, s.id, quarter, ...values, version, clock.now(), actor.username],
    );
    record({
      type: "EvaluationEntered",
      entityType: "SubActivity",
      entityId: s.id,
      before: old ? { quarter, output: old.output, physical: old.physical, drivers: old.drivers, obstacles: old.obstacles, followUp: old.follow_up } : undefined,
      after: { quarter, code: s.code, output: values[0], physical: values[1], drivers: values[2], obstacles: values[3], followUp: values[4] },
    });
    return { version };
  });
}
