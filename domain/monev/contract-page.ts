import type { EntityManager } from "@mikro-orm/postgresql";
import { isUuid } from "../kernel/codes";
import { Money } from "../kernel/money";
import { publicComplaintsFor, type PublicComplaint } from "../oversight/queries";
import { evaluateCritical, type CriticalReason } from "./critical";
import { periodsOf, plannedCurve, type PeriodKind } from "./kurva-s";
import type { CriticalStatus } from "./machines";
import type { PaymentKind } from "./payments";
import type { PhotoMilestone } from "./progress";

/**
 * Everything public about one contract (GET /kontrak/<id>, /api/kontrak/<id>): the chain back to the
 * money's origin (package, sub-activities with their RKPD code, DPA lines, the Musrenbang proposals behind
 * them), the selection, the contract with its amendments and payment terms, and its execution — the kurva S
 * (planned against the VERIFIED actual progress per period), the verified reports with their photos and
 * EXIF flags, the kontrak kritis status with the steps taken (step and date only: the minutes, letters and
 * who recorded them stay with the officers), the payments and the handovers (BAST PHO/FHO), and the
 * citizens' reports about it with the government's answers (public fields only, never the reporter).
 *
 * Never here: a bid price before the opening (only the winner's value once announced), reports not yet
 * verified, the PPK's return notes, the officers' internal notes, the vendor's full NPWP.
 *
 * Two statements: the whole document built as JSON in the database (every part through an index that starts
 * with the contract, the package or the report), and the public complaints about the contract.
 */

export interface PublicContractPage {
  id: string;
  number: string | null;
  sppbjNumber: string;
  sppbjDate: string;
  signedOn: string | null;
  type: string;
  status: string;
  originalValue: string;
  value: string;
  startDate: string | null;
  endDate: string | null;
  spmkNumber: string | null;
  spmkDate: string | null;
  performanceBond: string | null;
  terminationReason: string;
  vendor: { name: string; npwp: string };
  amendments: { no: number; reason: string; valueBefore: string; valueAfter: string; endBefore: string | null; endAfter: string | null; scope: string; signedOn: string }[];
  terms: { no: number; description: string; progressPercent: string; amount: string }[];
  package: {
    id: string;
    kodeRup: string | null;
    name: string;
    year: number;
    kind: string;
    method: string;
    pagu: string;
    announcedAt: string;
    opd: { code: string; name: string };
    locations: { code: string; name: string; detail: string }[];
  };
  /** The sub-activities the package's money comes from (RKPD / Renja code and name). */
  subActivities: { code: string; name: string; indicator: string; target: string; unit: string }[];
  /** The DPA lines the package draws on (APBD version in force): kode rekening, what the package takes and the line's amount. */
  lines: { dpaNumber: string | null; accountCode: string | null; description: string | null; amount: string; lineAmount: string | null; fundingSource: string | null; subKegiatan: string | null }[];
  /** The Musrenbang proposals taken up by those sub-activities, with their village. */
  proposals: { id: string; code: string; title: string; status: string; desa: string; kecamatan: string | null }[];
  /** The selection the contract came from (null for e-purchasing or an imported contract without one). */
  selection: { id: string; code: string; attempt: number; method: string; status: string; hps: string; announcedAt: string | null; openedAt: string | null; bidCount: number; winnerValue: string | null } | null;
  /** The reporting period and the schedule's work items (their weights make the kurva S). Null until the PPK sets it. */
  schedule: { periodKind: PeriodKind; items: { no: number; division: string; name: string; weight: string; plannedStart: number; plannedEnd: number }[] } | null;
  /** Planned against verified actual cumulative physical progress, per period (percent, two decimals). */
  series: { no: number; start: string; end: string; planned: string; actual: string | null; deviation: string | null }[];
  /** The latest verified report's figures. */
  physical: { period: number; actual: string; planned: string; deviation: string; asOf: string } | null;
  /** Paid ÷ contract value. */
  financial: { value: string; paid: string; percent: string };
  /** The LKPP 12/2021 verdict on the latest verified report, and the handling of the contract (newest case first). */
  critical: {
    verdict: { critical: boolean; reason: CriticalReason | null; behind: string; projectedFinish: string | null } | null;
    openStatus: CriticalStatus | null;
    cases: { status: CriticalStatus; reason: CriticalReason; openedAt: string; closedAt: string | null; planned: string; physical: string; steps: { no: number; action: string; toStatus: CriticalStatus; onDate: string }[] }[];
  };
  reports: {
    id: string;
    period: number;
    start: string;
    end: string;
    physical: string;
    planned: string;
    deviation: string;
    problems: string;
    actions: string;
    verifiedAt: string | null;
    correctsPeriod: number | null;
    correctionReason: string;
    photos: { id: string; milestone: PhotoMilestone; width: number; height: number; lat: string | null; lng: string | null; takenAt: string | null; distanceM: number | null; farFromSite: boolean; beforeStart: boolean }[];
  }[];
  payments: { no: number; kind: PaymentKind; termNo: number | null; amount: string; paidOn: string }[];
  handovers: { kind: "pho" | "fho"; number: string; signedOn: string }[];
  complaints: PublicComplaint[];
}

type Doc = Omit<PublicContractPage, "series" | "physical" | "financial" | "critical" | "complaints" | "vendor"> & {
  vendor: { name: string; npwp: string };
  cases: PublicContractPage["critical"]["cases"];
  fiscalYear: number;
};

/** The document as PostgreSQL builds it; `?` are the tenant and the contract id. */
const DOC_SQL = `
with c as (select c.* from contract c join proc_package p on p.id = c.package_id
            where c.tenant_code = ? and c.id = ?::uuid and p.announced_at is not null),
     pkg as (select p.* from proc_package p where p.id = (select package_id from c)),
     lines as (
       select pb.amount, b.account_code, b.description, b.funding_source, b.amount as line_amount, b.sub_activity_id, b.apbd_id, b.opd_id
         from pkg join proc_package_budget pb on pb.package_id = pkg.id
         left join lateral (select bl.* from apbd a join budget_line bl on bl.apbd_id = a.id and bl.line_key = pb.line_key
                             where a.tenant_code = pkg.tenant_code and a.fiscal_year = pkg.fiscal_year and a.status = 'adopted'
                             order by a.version_no desc limit 1) b on true),
     subs as (select s.* from sub_activity s where s.id in (select sub_activity_id from lines union select sub_activity_id from pkg)),
     reps as (select r.* from progress_report r where r.contract_id = (select id from c) and r.status = 'verified')
select json_build_object(
  'id', c.id, 'number', c.number, 'sppbjNumber', c.sppbj_number, 'sppbjDate', to_char(c.sppbj_date, 'YYYY-MM-DD'), 'signedOn', to_char(c.signed_on, 'YYYY-MM-DD'),
  'type', c.type, 'status', c.status, 'originalValue', c.original_value::text, 'value', c.value::text,
  'startDate', to_char(c.start_date, 'YYYY-MM-DD'), 'endDate', to_char(c.end_date, 'YYYY-MM-DD'),
  'spmkNumber', c.spmk_number, 'spmkDate', to_char(c.spmk_date, 'YYYY-MM-DD'), 'performanceBond', c.performance_bond::text, 'terminationReason', c.termination_reason,
  'vendor', json_build_object('name', v.name, 'npwp', v.npwp),
  'fiscalYear', pkg.fiscal_year,
  'amendments', (select coalesce(json_agg(json_build_object('no', a.no, 'reason', a.reason, 'valueBefore', a.value_before::text, 'valueAfter', a.value_after::text,
                    'endBefore', to_char(a.end_before, 'YYYY-MM-DD'), 'endAfter', to_char(a.end_after, 'YYYY-MM-DD'), 'scope', a.scope,
                    'signedOn', to_char(a.signed_on, 'YYYY-MM-DD')) order by a.no), '[]'::json) from contract_amendment a where a.contract_id = c.id),
  'terms', (select coalesce(json_agg(json_build_object('no', tm.no, 'description', tm.description, 'progressPercent', tm.progress_percent::text, 'amount', tm.amount::text) order by tm.no), '[]'::json)
              from contract_term tm where tm.contract_id = c.id),
  'package', json_build_object('id', pkg.id, 'kodeRup', pkg.kode_rup::text, 'name', pkg.name, 'year', pkg.fiscal_year, 'kind', pkg.kind, 'method', pkg.method,
       'pagu', pkg.pagu::text, 'announcedAt', pkg.announced_at, 'opd', json_build_object('code', o.code, 'name', o.name),
       'locations', (select coalesce(json_agg(json_build_object('code', pl.region_code, 'name', coalesce(r.name, pl.region_code), 'detail', pl.detail) order by pl.region_code), '[]'::json)
                       from proc_package_location pl left join region r on r.code = pl.region_code where pl.package_id = pkg.id)),
  'subActivities', (select coalesce(json_agg(json_build_object('code', s.sub_kegiatan_code, 'name', s.name, 'indicator', s.indicator, 'target', s.target::text, 'unit', s.unit)
                      order by s.sub_kegiatan_code), '[]'::json) from subs s),
  'lines', (select coalesce(json_agg(json_build_object('dpaNumber', d.number, 'accountCode', l.account_code, 'description', l.description, 'amount', l.amount::text,
                'lineAmount', l.line_amount::text, 'fundingSource', l.funding_source, 'subKegiatan', s.sub_kegiatan_code) order by l.account_code, l.description), '[]'::json)
              from lines l left join sub_activity s on s.id = l.sub_activity_id left join dpa d on d.apbd_id = l.apbd_id and d.opd_id = l.opd_id),
  'proposals', (select coalesce(json_agg(json_build_object('id', pr.id, 'code', pr.code, 'title', pr.title, 'status', pr.status, 'desa', d.name, 'kecamatan', k.name) order by pr.code), '[]'::json)
                  from proposal pr join region d on d.code = pr.desa_code left join region k on k.code = pr.kecamatan_code
                 where pr.id in (select x.proposal_id from sub_activity_proposal x where x.sub_activity_id in (select id from subs))),
  'selection', case when t.id is not null and t.announced_at is not null then json_build_object(
       'id', t.id, 'code', t.code, 'attempt', t.attempt, 'method', t.method, 'status', t.status, 'hps', t.hps::text, 'announcedAt', t.announced_at, 'openedAt', t.opened_at,
       'bidCount', (select count(*) from bid b where b.tender_id = t.id and b.status in ('sealed','opened')),
       -- Only the winner's value, and only once announced: never a price before the opening.
       'winnerValue', case when t.status in ('winner_announced','sppbj','contracted') then (select b.corrected_price::text from bid b where b.id = t.winner_bid_id) end) end,
  'schedule', (select json_build_object('periodKind', mp.period_kind,
                 'items', (select coalesce(json_agg(json_build_object('no', w.no, 'division', w.division, 'name', w.name, 'weight', w.weight::text,
                              'plannedStart', w.planned_start, 'plannedEnd', w.planned_end) order by w.no), '[]'::json) from monev_work_item w where w.contract_id = c.id))
                 from monev_plan mp where mp.contract_id = c.id),
  'reports', (select coalesce(json_agg(json_build_object('id', r.id, 'period', r.period_no, 'start', to_char(r.period_start, 'YYYY-MM-DD'), 'end', to_char(r.period_end, 'YYYY-MM-DD'),
                 'physical', r.physical::text, 'planned', r.planned::text, 'deviation', r.deviation::text, 'problems', r.problems, 'actions', r.actions, 'verifiedAt', r.verified_at,
                 'correctsPeriod', (select x.period_no from progress_report x where x.id = r.corrects_id), 'correctionReason', r.correction_reason,
                 'photos', (select coalesce(json_agg(json_build_object('id', ph.id, 'milestone', ph.milestone, 'width', ph.width, 'height', ph.height, 'lat', ph.lat::text, 'lng', ph.lng::text,
                               'takenAt', ph.taken_at, 'distanceM', ph.distance_m, 'farFromSite', ph.far_from_site, 'beforeStart', ph.before_start) order by ph.created_at, ph.filename), '[]'::json)
                              from progress_photo ph where ph.report_id = r.id)) order by r.period_no), '[]'::json) from reps r),
  'cases', (select coalesce(json_agg(json_build_object('status', k.status, 'reason', k.reason, 'openedAt', k.opened_at, 'closedAt', k.closed_at, 'planned', k.planned::text, 'physical', k.physical::text,
               -- The step and its date only: minutes, letter numbers and who recorded them are not published.
               'steps', (select coalesce(json_agg(json_build_object('no', st.no, 'action', st.action, 'toStatus', st.to_status, 'onDate', to_char(st.on_date, 'YYYY-MM-DD')) order by st.no), '[]'::json)
                           from critical_step st where st.case_id = k.id)) order by k.opened_at desc), '[]'::json) from critical_case k where k.contract_id = c.id),
  'payments', (select coalesce(json_agg(json_build_object('no', cp.no, 'kind', cp.kind, 'termNo', cp.term_no, 'amount', cp.amount::text, 'paidOn', to_char(cp.paid_on, 'YYYY-MM-DD')) order by cp.no), '[]'::json)
                 from contract_payment cp where cp.contract_id = c.id),
  'handovers', (select coalesce(json_agg(json_build_object('kind', h.kind, 'number', h.number, 'signedOn', to_char(h.signed_on, 'YYYY-MM-DD')) order by h.signed_on, h.kind), '[]'::json)
                  from contract_handover h where h.contract_id = c.id)
) as doc
from c join pkg on true join opd o on o.id = pkg.opd_id join vendor v on v.id = c.vendor_id left join tender t on t.id = c.tender_id`;

/**
 * A vendor's NPWP as the public sees it: the first two and last three digits, the rest starred
 * ("01.***.***.*-***.000"; 16 digits: "0123 **** **** 0002" keeps the first and last four).
 */
export function maskNpwp(digits: string): string {
  const d = String(digits ?? "").replace(/\D/g, "");
  if (d.length === 15) return `${d.slice(0, 2)}.***.***.*-***.${d.slice(12)}`;
  if (d.length === 16) return `${d.slice(0, 4)} **** **** ${d.slice(12)}`;
  return d ? "***" : "";
}

/**
 * The public page of a contract (see above). `today` (YYYY-MM-DD, WIB) tells the complaints' SLA that is
 * overdue. Null for an unknown id, a contract of another tenant or of a package not announced.
 */
export async function publicContract(em: EntityManager, tenant: string, contractId: string, today: string): Promise<PublicContractPage | null> {
  if (!isUuid(contractId)) return null;
  const [row] = await em.execute<{ doc: Doc | null }[]>(DOC_SQL, [tenant, contractId]);
  const doc = row?.doc;
  if (!doc) return null;
  const { cases, fiscalYear, vendor, ...rest } = doc;

  // The kurva S: the plan from the schedule's weights over the contract's periods; the actual from verified reports.
  let periods: { no: number; start: string; end: string }[] = [];
  if (doc.schedule && doc.startDate && doc.endDate && doc.endDate >= doc.startDate) periods = periodsOf(doc.schedule.periodKind, doc.startDate, doc.endDate);
  const curve = doc.schedule ? plannedCurve(doc.schedule.items.map((i) => ({ weight: i.weight, plannedStart: i.plannedStart, plannedEnd: i.plannedEnd })), periods.length) : [];
  const byPeriod = new Map(doc.reports.map((r) => [r.period, r]));
  const series = periods.map((p, i) => {
    const r = byPeriod.get(p.no);
    return { no: p.no, start: p.start, end: p.end, planned: curve[i].toFixed(2), actual: r?.physical ?? null, deviation: r?.deviation ?? null };
  });
  const latest = doc.reports.length ? doc.reports[doc.reports.length - 1] : null;
  const verdict =
    latest && doc.startDate ? evaluateCritical({ planned: latest.planned, actual: latest.physical, start: doc.startDate, asOf: latest.end, fiscalYear }) : null;
  const open = cases.find((k) => k.closedAt === null) ?? null;

  const paid = Money.sum(doc.payments.map((p) => Money.idr(p.amount)));
  const complaints = await publicComplaintsFor(em, tenant, "contract", doc.id, today);
  return {
    ...rest,
    vendor: { name: vendor.name, npwp: maskNpwp(vendor.npwp) },
    series,
    physical: latest ? { period: latest.period, actual: latest.physical, planned: latest.planned, deviation: latest.deviation, asOf: latest.end } : null,
    financial: { value: doc.value, paid: paid.toString(), percent: paid.percentOf(Money.idr(doc.value)).toFixed(2) },
    critical: {
      verdict: verdict ? { critical: verdict.critical, reason: verdict.reason, behind: verdict.behind.toFixed(2), projectedFinish: verdict.projectedFinish } : null,
      openStatus: open?.status ?? null,
      cases,
    },
    complaints,
  };
}
