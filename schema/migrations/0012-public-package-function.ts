import { Migration } from "@mikro-orm/migrations";

/**
 * The public chain of one package (GET /pengadaan/<id>, /api/pengadaan/<id>) as a PL/pgSQL function.
 * Sent as one statement with its parameters written into the SQL text (MikroORM's execute does that), its
 * large plan was made again on every request (2.5–4.4 ms of the page's 3.5–5.5 ms in the database); inside a
 * function PostgreSQL keeps the plan per connection (measured 1.0–1.3 ms a call). domain/procurement/public.ts
 * documents what it returns; a change to the statement is a new migration replacing the function.
 */
export class Migration0012PublicPackageFunction extends Migration {
  override up(): void {
    this.addSql(`
create or replace function public_package_doc(p_tenant text, p_id uuid) returns json
language plpgsql stable as $fn$
begin
  return (
with pkg as (select p.* from proc_package p where p.tenant_code = p_tenant and p.id = p_id and p.announced_at is not null),
          lines as (
            select pb.line_key, pb.amount, b.account_code, b.description, b.funding_source, b.amount as line_amount, b.sub_activity_id
              from pkg join proc_package_budget pb on pb.package_id = pkg.id
              left join lateral (select bl.* from apbd a join budget_line bl on bl.apbd_id = a.id and bl.line_key = pb.line_key
                                  where a.tenant_code = pkg.tenant_code and a.fiscal_year = pkg.fiscal_year and a.status = 'adopted'
                                  order by a.version_no desc limit 1) b on true),
          subs as (select s.* from sub_activity s where s.id in (select sub_activity_id from lines union select sub_activity_id from pkg)),
          tenders as (select t.* from tender t join pkg on t.package_id = pkg.id where t.announced_at is not null)
     select json_build_object(
       'id', pkg.id, 'kodeRup', pkg.kode_rup::text, 'name', pkg.name, 'description', pkg.description, 'volume', pkg.volume, 'year', pkg.fiscal_year,
       'type', pkg.type, 'kind', pkg.kind, 'method', pkg.method, 'swakelolaType', pkg.swakelola_type, 'pagu', pkg.pagu::text, 'pdn', pkg.pdn, 'umk', pkg.umk,
       'plannedOn', to_char(pkg.planned_on, 'YYYY-MM-DD'), 'selectionStart', to_char(pkg.selection_start, 'YYYY-MM-DD'), 'selectionEnd', to_char(pkg.selection_end, 'YYYY-MM-DD'),
       'executionStart', to_char(pkg.execution_start, 'YYYY-MM-DD'), 'executionEnd', to_char(pkg.execution_end, 'YYYY-MM-DD'),
       'ppkName', pkg.ppk_name, 'status', pkg.status, 'announcedAt', pkg.announced_at, 'cancelReason', pkg.cancel_reason,
       'opd', json_build_object('code', o.code, 'name', o.name),
       'lines', (select coalesce(json_agg(json_build_object('amount', l.amount::text, 'accountCode', l.account_code, 'description', l.description,
                   'fundingSource', l.funding_source, 'lineAmount', l.line_amount::text, 'subKegiatan', s.sub_kegiatan_code, 'subName', s.name)
                   order by l.account_code, l.description), '[]'::json)
                  from lines l left join sub_activity s on s.id = l.sub_activity_id),
       'subActivities', (select coalesce(json_agg(json_build_object('code', s.sub_kegiatan_code, 'name', s.name, 'indicator', s.indicator, 'target', s.target::text, 'unit', s.unit)
                   order by s.sub_kegiatan_code), '[]'::json) from subs s),
       'proposals', (select coalesce(json_agg(json_build_object('id', pr.id, 'code', pr.code, 'title', pr.title, 'status', pr.status, 'desa', d.name) order by pr.code), '[]'::json)
                  from proposal pr join region d on d.code = pr.desa_code
                 where pr.id in (select x.proposal_id from sub_activity_proposal x where x.sub_activity_id in (select id from subs))),
       'locations', (select coalesce(json_agg(json_build_object('code', pl.region_code, 'name', coalesce(r.name, pl.region_code), 'detail', pl.detail) order by pl.region_code), '[]'::json)
                  from proc_package_location pl left join region r on r.code = pl.region_code where pl.package_id = pkg.id),
       'tenders', (select coalesce(json_agg(json_build_object(
           'id', t.id, 'code', t.code, 'attempt', t.attempt, 'method', t.method, 'status', t.status, 'hps', t.hps::text,
           'evaluationMethod', t.evaluation_method, 'technicalWeight', t.technical_weight::text, 'qualification', t.qualification,
           'requirements', t.requirements, 'documents', t.documents, 'invited', iv.name,
           'bidDeadline', t.bid_deadline, 'openingAt', t.opening_at, 'openedAt', t.opened_at, 'announcedAt', t.announced_at,
           'sanggahUntil', t.sanggah_until, 'bandingUntil', t.banding_until, 'failureReason', t.failure_reason,
           'stages', (select coalesce(json_agg(json_build_object('stage', st.stage, 'startsAt', st.starts_at, 'endsAt', st.ends_at) order by st.position), '[]'::json)
                        from tender_stage st where st.tender_id = t.id),
           'addenda', (select coalesce(json_agg(json_build_object('no', ad.no, 'description', ad.description, 'oldDeadline', ad.old_deadline, 'newDeadline', ad.new_deadline, 'createdAt', ad.created_at) order by ad.no), '[]'::json)
                        from tender_addendum ad where ad.tender_id = t.id),
           'questions', (select coalesce(json_agg(json_build_object('id', q.id, 'question', q.question, 'askedAt', q.asked_at, 'answer', q.answer, 'answeredAt', q.answered_at) order by q.asked_at), '[]'::json)
                        from tender_question q where q.tender_id = t.id),
           'bidCount', (select count(*) from bid b where b.tender_id = t.id and b.status in ('sealed','opened')),
           -- Before the opening nothing of a bid leaves the database but the count above.
           'bids', case when t.opened_at is not null then (
               select coalesce(json_agg(json_build_object(
                   'vendor', v.name, 'price', b.price::text, 'correctedPrice', b.corrected_price::text, 'submittedAt', b.submitted_at,
                   'result', case when t.status in ('winner_announced','sppbj','contracted','failed','cancelled') and b.evaluated_at is not null then json_build_object(
                       'admin', b.admin_pass, 'tech', b.tech_pass, 'techScore', b.tech_score::text, 'price', b.price_pass, 'qual', b.qual_pass,
                       'totalScore', b.total_score::text, 'rank', b.rank, 'reason', b.reason) end,
                   'winner', t.status in ('winner_announced','sppbj','contracted') and b.id = t.winner_bid_id)
                 order by b.rank nulls last, b.corrected_price, v.name), '[]'::json)
                 from bid b join vendor v on v.id = b.vendor_id where b.tender_id = t.id and b.status = 'opened') end,
           'winner', case when t.status in ('winner_announced','sppbj','contracted') then (
               select json_build_object('vendor', v.name, 'value', b.corrected_price::text) from bid b join vendor v on v.id = b.vendor_id where b.id = t.winner_bid_id) end,
           'sanggah', (select coalesce(json_agg(json_build_object('id', s.id, 'kind', s.kind, 'vendor', v.name, 'text', s.text, 'submittedAt', s.submitted_at,
                          'answer', s.answer, 'upheld', s.upheld, 'answeredAt', s.answered_at) order by s.submitted_at), '[]'::json)
                        from sanggah s join vendor v on v.id = s.vendor_id where s.tender_id = t.id)
         ) order by t.attempt), '[]'::json)
         from tenders t left join vendor iv on iv.id = t.invited_vendor_id),
       'contracts', (select coalesce(json_agg(json_build_object(
           'id', c.id, 'tenderCode', ct.code, 'vendor', v.name, 'sppbjNumber', c.sppbj_number, 'sppbjDate', to_char(c.sppbj_date, 'YYYY-MM-DD'),
           'number', c.number, 'signedOn', to_char(c.signed_on, 'YYYY-MM-DD'), 'type', c.type, 'originalValue', c.original_value::text, 'value', c.value::text,
           'startDate', to_char(c.start_date, 'YYYY-MM-DD'), 'endDate', to_char(c.end_date, 'YYYY-MM-DD'), 'performanceBond', c.performance_bond::text,
           'spmkNumber', c.spmk_number, 'spmkDate', to_char(c.spmk_date, 'YYYY-MM-DD'), 'status', c.status, 'terminationReason', c.termination_reason,
           'amendments', (select coalesce(json_agg(json_build_object('no', a.no, 'reason', a.reason, 'valueBefore', a.value_before::text, 'valueAfter', a.value_after::text,
                              'endBefore', to_char(a.end_before, 'YYYY-MM-DD'), 'endAfter', to_char(a.end_after, 'YYYY-MM-DD'), 'scope', a.scope,
                              'signedOn', to_char(a.signed_on, 'YYYY-MM-DD')) order by a.no), '[]'::json) from contract_amendment a where a.contract_id = c.id),
           'terms', (select coalesce(json_agg(json_build_object('no', tm.no, 'description', tm.description, 'progressPercent', tm.progress_percent::text, 'amount', tm.amount::text) order by tm.no), '[]'::json)
                       from contract_term tm where tm.contract_id = c.id)
         ) order by c.created_at), '[]'::json)
         from contract c join vendor v on v.id = c.vendor_id left join tender ct on ct.id = c.tender_id where c.package_id = pkg.id)
     ) as doc
     from pkg join opd o on o.id = pkg.opd_id
  );
end
$fn$;
`);
  }

  override down(): void {
    this.addSql("drop function if exists public_package_doc(text, uuid);");
  }
}
