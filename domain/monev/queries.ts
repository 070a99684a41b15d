import type { EntityManager } from "@mikro-orm/postgresql";
import { isUuid } from "../kernel/codes";
import { Money } from "../kernel/money";
import { pgArray } from "../kernel/pg";
import { evaluateCritical, type CriticalReason } from "./critical";
import { periodsOf, plannedCurve, type PeriodKind } from "./kurva-s";
import type { CriticalStatus, ReportStatus } from "./machines";
import type { PaymentKind, PhotoMilestone } from "./vocabulary";
import type { WorkItemRow } from "./support";

/**
 * The read side of contract monitoring, for the contractor's and the PPK's pages and for the public
 * pages, dashboards and map (which use `publicOnly`: verified reports only). Every query is filtered by
 * the tenant and goes through an index starting with the contract (sized for 200,000 reports).
 */

export interface MonitoringReport {
  id: string;
  period_no: number;
  period_start: string;
  period_end: string;
  physical: string;
  planned: string;
  deviation: string;
  problems: string;
  actions: string;
  status: ReportStatus;
  note: string;
  corrects_id: string | null;
  correction_reason: string;
  submitted_at: string | null;
  submitted_by: string | null;
  verified_at: string | null;
  verified_by: string | null;
  /** The capacity the report was verified in: the PPK or the supervising consultant (null: verified before it was recorded, by the PPK). */
  verified_as: "ppk" | "supervising_consultant" | null;
  version: number;
  photos: number;
  flagged: number;
}

export interface SeriesPoint {
  no: number;
  start: string;
  end: string;
  /** Planned cumulative progress (kurva S) at the end of the period. */
  planned: string;
  /** The period's report, when there is one (verified only, for the public). */
  actual: string | null;
  deviation: string | null;
  status: ReportStatus | null;
  reportId: string | null;
}

export interface CriticalCaseView {
  id: string;
  status: CriticalStatus;
  reason: CriticalReason;
  opened_at: string;
  closed_at: string | null;
  planned: string;
  physical: string;
  version: number;
  steps: { no: number; action: string; from_status: string; to_status: string; on_date: string; minutes: string; deadline: string | null; letter_number: string; recorded_by: string }[];
}

/**
 * A contract's monitoring: schedule, planned S-curve and actual progress per period, reports, the kontrak
 * kritis verdict of the latest verified report and its cases with their steps, payments (financial
 * progress = paid ÷ value) and handovers. Null when the contract does not exist in the tenant.
 */
export async function contractMonitoring(em: EntityManager, tenant: string, contractId: string, opts: { publicOnly?: boolean } = {}) {
  if (!isUuid(contractId)) return null;
  const [c] = await em.execute<
    {
      id: string;
      number: string | null;
      status: string;
      value: string;
      start_date: string | null;
      end_date: string | null;
      vendor_id: string;
      vendor_name: string;
      package_id: string;
      package_name: string;
      kind: string;
      fiscal_year: number;
      opd_code: string;
      opd_name: string;
      version: number;
    }[]
  >(
    `select c.id, c.number, c.status, c.value::text as value, to_char(c.start_date, 'YYYY-MM-DD') as start_date, to_char(c.end_date, 'YYYY-MM-DD') as end_date,
            c.vendor_id, v.name as vendor_name, p.id as package_id, p.name as package_name, p.kind, p.fiscal_year, o.code as opd_code, o.name as opd_name, c.version
       from contract c join vendor v on v.id = c.vendor_id join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id
      where c.tenant_code = ? and c.id = ?`,
    [tenant, contractId],
  );
  if (!c) return null;
  const [plan] = await em.execute<{ period_kind: PeriodKind; site_lat: string | null; site_lng: string | null; far_threshold_m: number; maintenance_days: number; version: number }[]>(
    "select period_kind, site_lat::text as site_lat, site_lng::text as site_lng, far_threshold_m, maintenance_days, version from monev_plan where contract_id = ?",
    [c.id],
  );
  const items = await em.execute<WorkItemRow[]>(
    "select id, no::int as no, division, name, value::text as value, weight::text as weight, planned_start::int as planned_start, planned_end::int as planned_end from monev_work_item where contract_id = ? order by no",
    [c.id],
  );
  const reports = await em.execute<MonitoringReport[]>(
    `select r.id, r.period_no::int as period_no, to_char(r.period_start, 'YYYY-MM-DD') as period_start, to_char(r.period_end, 'YYYY-MM-DD') as period_end,
            r.physical::text as physical, r.planned::text as planned, r.deviation::text as deviation, r.problems, r.actions, r.status, r.note, r.corrects_id, r.correction_reason,
            r.submitted_at::text as submitted_at, r.submitted_by, r.verified_at::text as verified_at, r.verified_by, r.verified_as, r.version,
            (select count(*)::int from progress_photo ph where ph.report_id = r.id) as photos,
            (select count(*)::int from progress_photo ph where ph.report_id = r.id and (ph.far_from_site or ph.before_start)) as flagged
       from progress_report r where r.contract_id = ? ${opts.publicOnly ? "and r.status = 'verified'" : ""} order by r.period_no`,
    [c.id],
  );
  const periods = plan && c.start_date && c.end_date ? periodsOf(plan.period_kind, c.start_date, c.end_date) : [];
  const curve = plannedCurve(items.map((i) => ({ weight: i.weight, plannedStart: i.planned_start, plannedEnd: i.planned_end })), periods.length);
  const byPeriod = new Map(reports.filter((r) => r.status !== "draft").map((r) => [r.period_no, r]));
  const series: SeriesPoint[] = periods.map((p, i) => {
    const r = byPeriod.get(p.no);
    return { no: p.no, start: p.start, end: p.end, planned: curve[i].toFixed(2), actual: r?.physical ?? null, deviation: r?.deviation ?? null, status: r?.status ?? null, reportId: r?.id ?? null };
  });
  const latest = [...reports].reverse().find((r) => r.status === "verified") ?? null;
  const verdict =
    latest && c.start_date ? evaluateCritical({ planned: latest.planned, actual: latest.physical, start: c.start_date, asOf: latest.period_end, fiscalYear: c.fiscal_year }) : null;
  const cases = await criticalCasesOf(em, c.id);
  const payments = await em.execute<{ no: number; kind: PaymentKind; term_no: number | null; amount: string; sp2d_number: string; paid_on: string }[]>(
    "select no::int as no, kind, term_no::int as term_no, amount::text as amount, sp2d_number, to_char(paid_on, 'YYYY-MM-DD') as paid_on from contract_payment where contract_id = ? order by no",
    [c.id],
  );
  const paid = Money.sum(payments.map((p) => Money.idr(p.amount)));
  const handovers = await em.execute<{ kind: "pho" | "fho"; number: string; signed_on: string; note: string }[]>(
    "select kind, number, to_char(signed_on, 'YYYY-MM-DD') as signed_on, note from contract_handover where contract_id = ? order by signed_on",
    [c.id],
  );
  return {
    contract: c,
    plan: plan ?? null,
    items,
    reports,
    series,
    latest,
    verdict: verdict ? { critical: verdict.critical, reason: verdict.reason, behind: verdict.behind.toFixed(2), projectedFinish: verdict.projectedFinish } : null,
    openCase: cases.find((k) => k.closed_at === null) ?? null,
    cases,
    payments,
    financial: { value: c.value, paid: paid.toString(), percent: paid.percentOf(Money.idr(c.value)).toFixed(2) },
    handovers,
  };
}
export type ContractMonitoring = NonNullable<Awaited<ReturnType<typeof contractMonitoring>>>;

async function criticalCasesOf(em: EntityManager, contractId: string): Promise<CriticalCaseView[]> {
  const cases = await em.execute<Omit<CriticalCaseView, "steps">[]>(
    `select id, status, reason, opened_at::text as opened_at, closed_at::text as closed_at, planned::text as planned, physical::text as physical, version
       from critical_case where contract_id = ? order by opened_at desc`,
    [contractId],
  );
  if (!cases.length) return [];
  const steps = await em.execute<(CriticalCaseView["steps"][number] & { case_id: string })[]>(
    `select case_id, no::int as no, action, from_status, to_status, to_char(on_date, 'YYYY-MM-DD') as on_date, minutes, to_char(deadline, 'YYYY-MM-DD') as deadline, letter_number, recorded_by
       from critical_step where case_id = any(?::uuid[]) order by case_id, no`,
    [pgArray(cases.map((k) => k.id))],
  );
  return cases.map((k) => ({ ...k, steps: steps.filter((s) => s.case_id === k.id).map(({ case_id: _c, ...s }) => s) }));
}

/** The critical status of a contract for its public page: the open case (if any) and its steps. */
export async function criticalStatus(em: EntityManager, tenant: string, contractId: string): Promise<CriticalCaseView | null> {
  if (!isUuid(contractId)) return null;
  const [own] = await em.execute<{ id: string }[]>("select id from contract where tenant_code = ? and id = ?", [tenant, contractId]);
  if (!own) return null;
  return (await criticalCasesOf(em, contractId)).find((k) => k.closed_at === null) ?? null;
}

/** Open kontrak kritis cases of the tenant (optionally one fiscal year), for the dashboard: the count and the list. */
export async function criticalContracts(em: EntityManager, tenant: string, year?: number) {
  const rows = await em.execute<{ case_id: string; contract_id: string; number: string | null; package_name: string; opd_name: string; vendor_name: string; status: CriticalStatus; reason: CriticalReason; opened_at: string; planned: string; physical: string }[]>(
    `select k.id as case_id, c.id as contract_id, c.number, p.name as package_name, o.name as opd_name, v.name as vendor_name, k.status, k.reason, k.opened_at::text as opened_at,
            k.planned::text as planned, k.physical::text as physical
       from critical_case k join contract c on c.id = k.contract_id join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id join vendor v on v.id = c.vendor_id
      where k.tenant_code = ? and k.status not in ('terminated','resolved') ${year ? "and p.fiscal_year = ?" : ""}
      order by k.opened_at`,
    year ? [tenant, year] : [tenant],
  );
  return { count: rows.length, rows };
}

/** One report with its work items and photos (without their bytes). */
export async function reportDetail(em: EntityManager, tenant: string, reportId: string) {
  if (!isUuid(reportId)) return null;
  const [r] = await em.execute<{ id: string; contract_id: string; period_no: number; status: ReportStatus; physical: string; planned: string; deviation: string; version: number }[]>(
    "select id, contract_id, period_no::int as period_no, status, physical::text as physical, planned::text as planned, deviation::text as deviation, version from progress_report where tenant_code = ? and id = ?",
    [tenant, reportId],
  );
  if (!r) return null;
  const items = await em.execute<{ no: number; division: string; name: string; weight: string; physical: string }[]>(
    `select w.no::int as no, w.division, w.name, w.weight::text as weight, i.physical::text as physical
       from progress_report_item i join monev_work_item w on w.id = i.item_id where i.report_id = ? order by w.no`,
    [r.id],
  );
  const photos = await em.execute<ReportPhotoMeta[]>(
    `select id, milestone, filename, content_type, size, width, height, lat::text as lat, lng::text as lng, taken_at::text as taken_at, distance_m, far_from_site, before_start
       from progress_photo where report_id = ? order by created_at, filename`,
    [r.id],
  );
  return { ...r, items, photos };
}

export interface ReportPhotoMeta {
  id: string;
  milestone: PhotoMilestone;
  filename: string;
  content_type: string;
  size: number;
  width: number;
  height: number;
  lat: string | null;
  lng: string | null;
  taken_at: string | null;
  distance_m: number | null;
  far_from_site: boolean;
  before_start: boolean;
}

/** A progress photo's bytes (or thumbnail), with its contract and report status, so the route decides who may see it. */
export async function progressPhotoBytes(em: EntityManager, tenant: string, photoId: string, thumb: boolean) {
  if (!isUuid(photoId)) return null;
  const [p] = await em.execute<{ data: Buffer; content_type: string; contract_id: string; vendor_id: string; opd_code: string; status: ReportStatus }[]>(
    `select ${thumb ? "ph.thumb" : "ph.data"} as data, ${thumb ? "'image/webp'" : "ph.content_type"} as content_type, r.contract_id, c.vendor_id, o.code as opd_code, r.status
       from progress_photo ph join progress_report r on r.id = ph.report_id join contract c on c.id = r.contract_id join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id
      where ph.tenant_code = ? and ph.id = ?`,
    [tenant, photoId],
  );
  return p ?? null;
}

/** Reports waiting for the PPK's verification, oldest first: all OPDs (`opds` null) or the given ones. */
export async function reportQueue(em: EntityManager, tenant: string, opds: string[] | null) {
  return em.execute<{ id: string; contract_id: string; number: string | null; package_name: string; vendor_name: string; period_no: number; physical: string; planned: string; submitted_at: string }[]>(
    `select r.id, c.id as contract_id, c.number, p.name as package_name, v.name as vendor_name, r.period_no::int as period_no, r.physical::text as physical, r.planned::text as planned,
            r.submitted_at::text as submitted_at
       from progress_report r join contract c on c.id = r.contract_id join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id join vendor v on v.id = c.vendor_id
      where r.tenant_code = ? and r.status = 'submitted' ${opds ? "and o.code = any(?::text[])" : ""}
      order by r.submitted_at limit 200`,
    opds ? [tenant, pgArray(opds)] : [tenant],
  );
}

/** Every photo of a contract's reports (without bytes), newest period first; verified reports only for the public. */
export async function contractPhotos(em: EntityManager, tenant: string, contractId: string, opts: { publicOnly?: boolean } = {}) {
  if (!isUuid(contractId)) return [];
  return em.execute<(ReportPhotoMeta & { report_id: string; period_no: number; status: ReportStatus })[]>(
    `select ph.id, ph.milestone, ph.filename, ph.content_type, ph.size, ph.width, ph.height, ph.lat::text as lat, ph.lng::text as lng, ph.taken_at::text as taken_at,
            ph.distance_m, ph.far_from_site, ph.before_start, r.id as report_id, r.period_no::int as period_no, r.status
       from progress_report r join progress_photo ph on ph.report_id = r.id
      where r.tenant_code = ? and r.contract_id = ? ${opts.publicOnly ? "and r.status = 'verified'" : ""}
      order by r.period_no desc, ph.created_at, ph.filename`,
    [tenant, contractId],
  );
}

/** The values per work item (by item number) of a contract's latest report, to prefill the next one. */
export async function latestItemProgress(em: EntityManager, contractId: string): Promise<Record<number, string>> {
  const rows = await em.execute<{ no: number; physical: string }[]>(
    `select w.no::int as no, i.physical::text as physical from progress_report_item i join monev_work_item w on w.id = i.item_id
      where i.report_id = (select id from progress_report where contract_id = ? order by period_no desc limit 1)`,
    [contractId],
  );
  return Object.fromEntries(rows.map((r) => [r.no, r.physical]));
}

/** The DPA lines of a contract's package (APBD in force) with their budget and what is left after SP2D, for the payment form. */
export async function paymentLines(em: EntityManager, tenant: string, contractId: string) {
  if (!isUuid(contractId)) return [];
  return em.execute<{ line_key: string; account_code: string; description: string; budget: string; left: string }[]>(
    `select b.line_key::text as line_key, b.account_code, b.description, b.amount::text as budget,
            (b.amount - coalesce((select sum(s.amount) from sp2d s join budget_line x on x.id = s.budget_line_id where x.line_key = b.line_key), 0))::numeric(20,2)::text as left
       from contract c join proc_package p on p.id = c.package_id join proc_package_budget pb on pb.package_id = p.id join budget_line b on b.line_key = pb.line_key
       join apbd a on a.id = b.apbd_id and a.status = 'adopted' and a.version_no = (select max(version_no) from apbd where tenant_code = a.tenant_code and fiscal_year = a.fiscal_year and status = 'adopted')
      where c.tenant_code = ? and c.id = ? order by b.position, b.line_key`,
    [tenant, contractId],
  );
}
