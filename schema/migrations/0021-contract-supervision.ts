import { Migration } from "@mikro-orm/migrations";

/** Migration 0020's function with the reports' verifiedAs. */
const PUBLIC_CONTRACT_DOC = `
create or replace function public_contract_doc(p_tenant text, p_id uuid) returns json
language plpgsql stable as $fn$
begin
  return (with c as (select c.* from contract c join proc_package p on p.id = c.package_id
            where c.tenant_code = p_tenant and c.id = p_id and p.announced_at is not null),
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
                 'physical', r.physical::text, 'planned', r.planned::text, 'deviation', r.deviation::text, 'problems', r.problems, 'actions', r.actions, 'verifiedAt', r.verified_at, 'verifiedAs', r.verified_as,
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
from c join pkg on true join opd o on o.id = pkg.opd_id join vendor v on v.id = c.vendor_id left join tender t on t.id = c.tender_id
  );
end
$fn$;
`;

/**
 * Supervising consultants (konsultan pengawas, issue #9): the PPK of a contract's OPD assigns a user
 * account to the contract to verify or return its progress reports, and may end the assignment. Each
 * assignment is a row kept for the record (who assigned whom, when, under which letter; who ended it, when
 * and why); the rows not ended are the consultant's scope (domain/identity/authenticate.ts loadActor).
 *
 * A verified report records in what capacity it was verified (verified_as: the PPK or the supervising
 * consultant); the reports verified before this migration were all verified by the PPK. The public
 * contract document (public_contract_doc, migration 0020) now carries it as reports[].verifiedAs.
 */
export class Migration0021ContractSupervision extends Migration {
  override up(): void {
    this.addSql(`
create table contract_supervisor (
  id uuid primary key,
  tenant_code text not null,
  contract_id uuid not null references contract(id),
  user_id uuid not null references app_user(id),
  -- the letter of assignment (surat penugasan) or the consultancy contract's number, if given
  letter_number text not null default '',
  assigned_at timestamptz not null,
  assigned_by text not null,
  ended_at timestamptz,
  ended_by text,
  end_reason text not null default '',
  check ((ended_at is null) = (ended_by is null))
);
create unique index contract_supervisor_active_idx on contract_supervisor (contract_id, user_id) where ended_at is null;
create index contract_supervisor_user_idx on contract_supervisor (user_id) where ended_at is null;
create index contract_supervisor_contract_idx on contract_supervisor (contract_id, assigned_at);

alter table progress_report add column verified_as text check (verified_as in ('ppk','supervising_consultant'));
update progress_report set verified_as = 'ppk' where status = 'verified';
`);
    this.addSql(PUBLIC_CONTRACT_DOC);
  }

  override down(): void {
    this.addSql(PUBLIC_CONTRACT_DOC.replace("'verifiedAs', r.verified_as, ", ""));
    this.addSql("alter table progress_report drop column if exists verified_as; drop table if exists contract_supervisor;");
  }
}
