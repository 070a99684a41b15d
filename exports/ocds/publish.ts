import type { EntityManager } from "@mikro-orm/postgresql";
import { registerProcurementPublisher, type ProcurementPublisher, type PublishedProcurementEvent } from "../../domain/procurement/events";
import { pgArray } from "../../domain/kernel/pg";
import { buildRelease, ocidOf, type MappingOptions } from "./mapping";
import type { ProcessSnapshot } from "./mapping/snapshot";
import { updateStoredRecord } from "./records";
import { loadOcdsSchemas, type JsonObject } from "./schema";
import { validateRelease, type ValidationIssue } from "./validate";

/**
 * Publishing: each procurement event becomes an OCDS release in the event's own transaction — the process
 * is loaded as it stands (one statement), mapped (mapping.ts), validated against the release schema with
 * the declared extensions (validate.ts), and appended to `ocds_release` (migration 0013), which refuses to
 * change or lose a row; then the process's stored record (`ocds_record`, records.ts) is brought up to date.
 * An invalid release throws: the use case fails and nothing of it is written.
 *
 * Importing this module registers the publisher with the domain (domain/procurement/events.ts). Every
 * process that runs procurement use cases imports it once, in its composition root.
 *
 * Configuration (environment):
 *   OCDS_PREFIX   the registered ocid prefix; default "ocds-jejakdemo", deliberately not a registrable one
 *                 (registered prefixes are "ocds-" and six characters) so that demo data can never pass for
 *                 a real publisher's. Set it once: it is part of every ocid, and releases are never rewritten.
 *   PUBLIC_URL    the app's public address (https://…), for links to public pages inside releases (the
 *                 package's public page /pengadaan/<id>, the Musrenbang proposals' pages). Releases are
 *                 immutable, so a link written once stays: without PUBLIC_URL, outside production (the demo,
 *                 tests) links point at http://localhost:<PORT, default 3000>, where `npm start` serves;
 *                 in production they are left out (a warning says so when this module loads, at boot).
 *   OCDS_LICENSE  the licence of the data (API packages); default CC BY 4.0.
 */

export const DEFAULT_OCDS_PREFIX = "ocds-jejakdemo";
export const DEFAULT_OCDS_LICENSE = "https://creativecommons.org/licenses/by/4.0/";

export interface OcdsConfig {
  prefix: string;
  /** PUBLIC_URL as configured (package metadata fall back to the request's origin without it). */
  publicUrl: string | null;
  /** The address links inside releases start with (see PUBLIC_URL above); null: no links. */
  pageUrl?: string | null;
  license: string;
}

/** Production as the rest of the app reads it (server.ts sets JEJAK_NON_PRODUCTION when the operator did not ask for production). */
const isProduction = (env: NodeJS.ProcessEnv) => env.NODE_ENV === "production" && env.JEJAK_NON_PRODUCTION !== "1";

export function ocdsConfig(env: NodeJS.ProcessEnv = process.env): OcdsConfig {
  const prefix = env.OCDS_PREFIX?.trim() || DEFAULT_OCDS_PREFIX;
  if (!/^ocds-[a-z0-9]{1,32}$/.test(prefix)) throw new Error(`OCDS_PREFIX must be "ocds-" followed by lowercase letters or digits, got "${prefix}"`);
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, "") || null;
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new Error(`PUBLIC_URL must be an absolute http(s) address, got "${publicUrl}"`);
  // A release is never rewritten, so a link in it must be right the day it is published. In production a
  // guessed address (localhost, or whatever host a request came from) would be published wrong for good:
  // no link is better — the record is still found by its ocid — and the operator is told at boot. Outside
  // production the demo runs at localhost, where its links then work.
  const pageUrl = publicUrl ?? (isProduction(env) ? null : `http://localhost:${env.PORT?.trim() || 3000}`);
  return { prefix, publicUrl, pageUrl, license: env.OCDS_LICENSE?.trim() || DEFAULT_OCDS_LICENSE };
}

/** The boot warning when releases will be published without links to public pages, or null. */
export function publicUrlWarning(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!isProduction(env) || env.PUBLIC_URL?.trim()) return null;
  return "PUBLIC_URL is not set: OCDS releases published from now on carry no links to the public pages (releases are never rewritten). Set PUBLIC_URL=https://<the public address>.";
}

/** The ocid of a package's contracting process under the configured prefix. */
export function ocidOfPackage(tenant: string, packageId: string, env: NodeJS.ProcessEnv = process.env): string {
  return ocidOf(ocdsConfig(env).prefix, tenant, packageId);
}

export function mappingOptions(config: OcdsConfig = ocdsConfig()): MappingOptions {
  return { prefix: config.prefix, publicUrl: config.pageUrl === undefined ? config.publicUrl : config.pageUrl, classifications: loadOcdsSchemas().extensions.includes("budget_and_spend") };
}

export class InvalidOcdsRelease extends Error {
  override name = "InvalidOcdsRelease";
  constructor(
    readonly releaseId: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`the OCDS release ${releaseId} does not validate: ${issues.map((i) => `${i.path || "/"} ${i.message}`).join("; ")}`);
  }
}

/**
 * The contracting process of a package as it stands in `tx`: one statement, building the whole snapshot as
 * JSON in the database (as domain/procurement/public.ts does for the public page). Only what the public may
 * see: selections with their schedule, addenda and, once opened, their bids (evaluation results once public).
 */
export async function loadSnapshot(tx: EntityManager, packageId: string, ocid: string): Promise<ProcessSnapshot> {
  const [row] = await tx.execute<{ doc: ProcessSnapshot | null }[]>(
    `with pkg as (select p.* from proc_package p where p.id = ?),
          lines as (
            select pb.line_key, pb.amount, b.account_code, b.description, b.funding_source, b.sub_activity_id
              from pkg join proc_package_budget pb on pb.package_id = pkg.id
              left join lateral (select bl.* from apbd a join budget_line bl on bl.apbd_id = a.id and bl.line_key = pb.line_key
                                  where a.tenant_code = pkg.tenant_code and a.fiscal_year = pkg.fiscal_year and a.status = 'adopted'
                                  order by a.version_no desc limit 1) b on true),
          subs as (select s.* from sub_activity s where s.id in (select sub_activity_id from lines union select sub_activity_id from pkg)),
          tenders as (select t.* from tender t join pkg on t.package_id = pkg.id),
          contracts as (select c.* from contract c join pkg on c.package_id = pkg.id)
     select json_build_object(
       'tenant', (select json_build_object('code', te.code, 'name', te.name, 'provinceCode', split_part(te.code, '.', 1), 'provinceName', pr.name)
                    from tenant te left join region pr on pr.code = split_part(te.code, '.', 1) where te.code = pkg.tenant_code),
       'package', json_build_object('id', pkg.id, 'kodeRup', pkg.kode_rup::text, 'name', pkg.name, 'description', pkg.description, 'volume', pkg.volume,
           'year', pkg.fiscal_year, 'type', pkg.type, 'kind', pkg.kind, 'method', pkg.method, 'swakelolaType', pkg.swakelola_type, 'pagu', pkg.pagu::text,
           'pdn', pkg.pdn, 'umk', pkg.umk, 'plannedOn', to_char(pkg.planned_on, 'YYYY-MM-DD'),
           'selectionStart', to_char(pkg.selection_start, 'YYYY-MM-DD'), 'selectionEnd', to_char(pkg.selection_end, 'YYYY-MM-DD'),
           'executionStart', to_char(pkg.execution_start, 'YYYY-MM-DD'), 'executionEnd', to_char(pkg.execution_end, 'YYYY-MM-DD'),
           'status', pkg.status, 'announcedAt', pkg.announced_at, 'cancelReason', pkg.cancel_reason, 'source', pkg.source),
       'opd', (select json_build_object('code', o.code, 'name', o.name) from opd o where o.id = pkg.opd_id),
       'subActivity', (select json_build_object('code', s.sub_kegiatan_code, 'name', s.name, 'indicator', s.indicator, 'target', s.target::text, 'unit', s.unit)
                         from sub_activity s where s.id = pkg.sub_activity_id),
       'rule', (select json_build_object('regulation', r.regulation, 'article', r.article, 'minValue', r.min_value::text, 'maxValue', r.max_value::text)
                  from method_rule r where r.method = pkg.method and r.kind = pkg.kind and r.effective_from <= pkg.planned_on
                   and (r.effective_to is null or pkg.planned_on <= r.effective_to) order by r.effective_from desc limit 1),
       'lines', (select coalesce(json_agg(json_build_object('lineKey', l.line_key, 'amount', l.amount::text, 'accountCode', l.account_code, 'description', l.description,
                    'fundingSource', l.funding_source, 'subCode', s.sub_kegiatan_code, 'subName', s.name) order by l.account_code, l.description, l.line_key), '[]'::json)
                   from lines l left join sub_activity s on s.id = l.sub_activity_id),
       'proposals', (select coalesce(json_agg(json_build_object('id', pr.id, 'code', pr.code, 'title', pr.title, 'problem', pr.problem, 'source', pr.source,
                        'forumLevel', f.level, 'desaCode', pr.desa_code, 'estimatedCost', pr.estimated_cost::text, 'beneficiaries', pr.beneficiaries,
                        'subCode', s.sub_kegiatan_code) order by pr.code), '[]'::json)
                       from sub_activity_proposal x join subs s on s.id = x.sub_activity_id join proposal pr on pr.id = x.proposal_id
                       left join forum f on f.id = pr.current_forum_id),
       'locations', (select coalesce(json_agg(json_build_object('code', pl.region_code, 'name', r.name, 'detail', pl.detail) order by pl.region_code), '[]'::json)
                       from proc_package_location pl left join region r on r.code = pl.region_code where pl.package_id = pkg.id),
       'tenders', (select coalesce(json_agg(json_build_object(
             'id', t.id, 'code', t.code, 'attempt', t.attempt, 'method', t.method, 'status', t.status, 'hps', t.hps::text, 'evaluationMethod', t.evaluation_method,
             'technicalWeight', t.technical_weight::text, 'qualification', t.qualification, 'requirements', t.requirements, 'documents', t.documents,
             'bidDeadline', t.bid_deadline, 'openedAt', t.opened_at, 'announcedAt', t.announced_at, 'winnerBidId', t.winner_bid_id,
             'invitedVendorId', t.invited_vendor_id, 'failureReason', t.failure_reason, 'source', t.source,
             'questions', (select count(*) from tender_question q where q.tender_id = t.id),
             'resultsPublic', t.status in ('winner_announced','sppbj','contracted','failed','cancelled'),
             'stages', (select coalesce(json_agg(json_build_object('stage', st.stage, 'startsAt', st.starts_at, 'endsAt', st.ends_at) order by st.position), '[]'::json)
                          from tender_stage st where st.tender_id = t.id),
             'addenda', (select coalesce(json_agg(json_build_object('no', a.no, 'description', a.description, 'oldDeadline', a.old_deadline, 'newDeadline', a.new_deadline,
                            'createdAt', a.created_at) order by a.no), '[]'::json) from tender_addendum a where a.tender_id = t.id),
             -- A sealed bid never leaves the database: bids only once opened, results only once public.
             'bids', case when t.opened_at is not null then (
                 select coalesce(json_agg(json_build_object('id', b.id, 'vendorId', b.vendor_id, 'submittedAt', b.submitted_at, 'price', b.price::text,
                     'correctedPrice', b.corrected_price::text,
                     'result', case when t.status in ('winner_announced','sppbj','contracted','failed','cancelled') and b.evaluated_at is not null then json_build_object(
                         'pass', coalesce(b.admin_pass and b.tech_pass and b.price_pass and b.qual_pass, false), 'rank', b.rank, 'reason', b.reason) end)
                   order by b.submitted_at, b.id), '[]'::json)
                   from bid b where b.tender_id = t.id and b.status = 'opened') else '[]'::json end
           ) order by t.attempt), '[]'::json) from tenders t),
       'contracts', (select coalesce(json_agg(json_build_object(
             'id', c.id, 'tenderId', c.tender_id, 'vendorId', c.vendor_id, 'sppbjNumber', c.sppbj_number, 'sppbjDate', to_char(c.sppbj_date, 'YYYY-MM-DD'),
             'number', c.number, 'signedOn', to_char(c.signed_on, 'YYYY-MM-DD'), 'type', c.type, 'originalValue', c.original_value::text, 'value', c.value::text,
             'startDate', to_char(c.start_date, 'YYYY-MM-DD'), 'endDate', to_char(c.end_date, 'YYYY-MM-DD'), 'status', c.status,
             'catalogueRef', c.catalogue_ref, 'terminationReason', c.termination_reason,
             'paid', exists (select 1 from contract_payment cp where cp.contract_id = c.id),
             'amendments', (select coalesce(json_agg(json_build_object('no', a.no, 'reason', a.reason, 'valueBefore', a.value_before::text, 'valueAfter', a.value_after::text,
                               'endBefore', to_char(a.end_before, 'YYYY-MM-DD'), 'endAfter', to_char(a.end_after, 'YYYY-MM-DD'), 'scope', a.scope,
                               'signedOn', to_char(a.signed_on, 'YYYY-MM-DD')) order by a.no), '[]'::json) from contract_amendment a where a.contract_id = c.id),
             'terms', (select coalesce(json_agg(json_build_object('no', m.no, 'description', m.description, 'progressPercent', m.progress_percent::text,
                          'amount', m.amount::text) order by m.no), '[]'::json) from contract_term m where m.contract_id = c.id)
           ) order by c.created_at, c.id), '[]'::json) from contracts c),
       'vendors', (select coalesce(json_agg(json_build_object('id', v.id, 'npwp', v.npwp, 'nib', v.nib, 'name', v.name, 'address', v.address) order by v.id), '[]'::json)
                     from vendor v where v.id in (select b.vendor_id from bid b join tenders t on t.id = b.tender_id where b.status = 'opened'
                                                  union select c.vendor_id from contracts c)),
       'winners', (select coalesce(json_agg(json_build_object('tenderId', e.payload->>'tender', 'bidId', e.payload->>'bid', 'at', e.at) order by e.id), '[]'::json)
                     from procurement_event e where e.package_id = pkg.id and e.type = 'WinnerAnnounced'),
       'previousReleaseId', (select r.id from ocds_release r where r.ocid = ? order by r.seq desc limit 1)
     ) as doc
     from pkg`,
    [packageId, ocid],
  );
  if (!row?.doc) throw new Error(`package ${packageId} not found: no OCDS release can be built`);
  return row.doc;
}

/**
 * Builds, validates and stores the release of one procurement event, in the event's transaction: one
 * statement to load the process, one to store the release, then its process's stored record (three more).
 */
export async function publishEvent(tx: EntityManager, event: PublishedProcurementEvent, config: OcdsConfig = ocdsConfig()): Promise<JsonObject> {
  const ocid = ocidOf(config.prefix, event.tenant, event.packageId);
  const snapshot = await loadSnapshot(tx, event.packageId, ocid);
  if (snapshot.tenant.code !== event.tenant) throw new Error(`package ${event.packageId} belongs to tenant ${snapshot.tenant.code}, not ${event.tenant}`);
  const release = buildRelease(event, snapshot, mappingOptions(config));
  const issues = validateRelease(release);
  if (issues.length) throw new InvalidOcdsRelease(String(release.id), issues);
  // One statement: the release, and the process the first time it publishes one; their publication numbers.
  const [stored] = await tx.execute<{ seq: string; process_seq: string }[]>(
    `with r as (insert into ocds_release (tenant_code, ocid, id, package_id, event_id, date, tags, data) values (?, ?, ?, ?, ?, ?, ?::text[], ?::json)
                returning seq, tenant_code, ocid, package_id),
          p as (insert into ocds_process (ocid, tenant_code, package_id) select ocid, tenant_code, package_id from r on conflict (ocid) do nothing returning seq)
     select r.seq::text as seq, coalesce((select p.seq from p), (select o.seq from ocds_process o where o.ocid = r.ocid))::text as process_seq from r`,
    [event.tenant, ocid, release.id, event.packageId, event.id, event.at, pgArray(release.tag as string[]), JSON.stringify(release)],
  );
  // The process's stored record, in the same transaction (records.ts): this process only.
  await updateStoredRecord(tx, { tenant: event.tenant, ocid, packageId: event.packageId, seq: stored.seq, processSeq: stored.process_seq, release });
  return release;
}

export const ocdsPublisher: ProcurementPublisher = { publish: (tx, event) => publishEvent(tx, event).then(() => undefined) };

registerProcurementPublisher(ocdsPublisher);

