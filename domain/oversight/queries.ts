import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../identity/actor";
import { can, canSomewhere, visibleScopes } from "../identity/policy";
import { isUuid } from "../kernel/codes";
import { pgArray } from "../kernel/pg";
import { complaintMachine, COMPLAINT_STATUSES, HIDDEN_STATUSES, OPEN_STATUSES, MAX_REOPENS, type ComplaintAction, type ComplaintStatus } from "./complaint-machine";
import { normalizeTicket, ticketHash, TARGET_KINDS, type TargetKind } from "./rules";
import { categories, type Category } from "./support";

/**
 * What anyone may read about a report. Built from an explicit column list that never touches
 * complaint_reporter, the ticket hash, the identity mode or the held reasons: a reporter's personal data
 * cannot reach a public page or the open-data API by accident.
 */
export interface PublicComplaint {
  id: string;
  number: string;
  status: ComplaintStatus;
  targetKind: TargetKind;
  targetId: string | null;
  category: string;
  /** The category's name as the tenant has it (its own row, else the national default). */
  categoryName: string;
  /** True when that name is the national default's (an interface may show its translation instead). */
  categoryNational: boolean;
  text: string;
  lat: string | null;
  lng: string | null;
  regionCode: string | null;
  opd: { code: string; name: string } | null;
  submittedAt: string;
  slaDueOn: string;
  overdue: boolean;
  escalationLevel: number;
  answer: string;
  answeredAt: string | null;
  rating: number | null;
  /** The public reason of a rejection (out of scope). */
  reason: string;
  photos: string[];
}

export interface PublicStep {
  at: string;
  action: string;
  from: ComplaintStatus | null;
  to: ComplaintStatus;
  by: string;
  note: string;
}

const PUBLIC_COLUMNS = `c.id, c.number, c.status, c.target_kind, c.target_id, c.category,
  (select k.name from complaint_category k where k.code = c.category and k.tenant_code in (c.tenant_code, '*') order by (k.tenant_code = c.tenant_code) desc limit 1) as category_name,
  (select k.name from complaint_category k where k.code = c.category and k.tenant_code = '*') as category_national_name, c.text, c.lat::text as lat, c.lng::text as lng, c.region_code,
  o.code as opd_code, o.name as opd_name, c.created_at, to_char(c.sla_due_on, 'YYYY-MM-DD') as sla_due_on, c.escalation_level,
  c.answer, c.answered_at, c.rating, case when c.status = 'rejected' then c.reason else '' end as reason,
  coalesce((select array_agg(ph.id::text order by ph.no) from complaint_photo ph where ph.complaint_id = c.id), '{}') as photos`;

interface PublicRow {
  id: string;
  number: string;
  status: ComplaintStatus;
  target_kind: TargetKind;
  target_id: string | null;
  category: string;
  category_name: string | null;
  category_national_name: string | null;
  text: string;
  lat: string | null;
  lng: string | null;
  region_code: string | null;
  opd_code: string | null;
  opd_name: string | null;
  created_at: string | Date;
  sla_due_on: string;
  escalation_level: number;
  answer: string;
  answered_at: string | Date | null;
  rating: number | null;
  reason: string;
  photos: string[];
}

const iso = (d: string | Date | null) => (d == null ? null : new Date(d).toISOString());

function toPublic(r: PublicRow, today: string): PublicComplaint {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    targetKind: r.target_kind,
    targetId: r.target_id,
    category: r.category,
    categoryName: r.category_name ?? r.category,
    categoryNational: r.category_name != null && r.category_name === r.category_national_name,
    text: r.text,
    lat: r.lat,
    lng: r.lng,
    regionCode: r.region_code,
    opd: r.opd_code ? { code: r.opd_code, name: r.opd_name ?? "" } : null,
    submittedAt: iso(r.created_at)!,
    slaDueOn: r.sla_due_on,
    overdue: OPEN_STATUSES.includes(r.status) && r.sla_due_on < today,
    escalationLevel: Number(r.escalation_level),
    answer: r.answer,
    answeredAt: iso(r.answered_at),
    rating: r.rating == null ? null : Number(r.rating),
    reason: r.reason,
    photos: Array.isArray(r.photos) ? r.photos : [],
  };
}

const VISIBLE = COMPLAINT_STATUSES.filter((s) => !HIDDEN_STATUSES.includes(s));

export interface PublicFilter {
  status?: string;
  opd?: string;
  kategori?: string;
  page?: number;
  perPage?: number;
}

/** Cleans query parameters into a filter: unknown values are dropped, paging bounded (≤ 100 a page). */
export function cleanComplaintFilter(q: URLSearchParams): Required<PublicFilter> {
  const status = q.get("status") ?? "";
  const page = Math.max(1, Math.min(10_000, Number.parseInt(q.get("page") ?? "1", 10) || 1));
  const perPage = Math.max(1, Math.min(100, Number.parseInt(q.get("per_page") ?? "20", 10) || 20));
  return {
    status: (VISIBLE as readonly string[]).includes(status) ? status : "",
    opd: /^[\d.]{1,40}$/.test(q.get("opd") ?? "") ? q.get("opd")! : "",
    kategori: /^[a-z_]{2,40}$/.test(q.get("kategori") ?? "") ? q.get("kategori")! : "",
    page,
    perPage,
  };
}

/** The public list (and the open-data API): visible reports only, newest first, with their answers. */
export async function publicComplaints(em: EntityManager, tenant: string, f: PublicFilter, today: string): Promise<{ total: number; page: number; perPage: number; items: PublicComplaint[] }> {
  const where = ["c.tenant_code = ?", "c.status = any(?::text[])"];
  const params: unknown[] = [tenant, pgArray(f.status ? [f.status] : VISIBLE)];
  if (f.opd) {
    where.push("o.code = ?");
    params.push(f.opd);
  }
  if (f.kategori) {
    where.push("c.category = ?");
    params.push(f.kategori);
  }
  const page = f.page ?? 1;
  const perPage = f.perPage ?? 20;
  const from = `from complaint c left join opd o on o.id = c.opd_id where ${where.join(" and ")}`;
  const [{ total }] = await em.execute<{ total: number }[]>(`select count(*)::int as total ${from}`, params as never[]);
  const rows = await em.execute<PublicRow[]>(`select ${PUBLIC_COLUMNS} ${from} order by c.created_at desc, c.id limit ? offset ?`, [...params, perPage, (page - 1) * perPage] as never[]);
  return { total, page, perPage, items: rows.map((r) => toPublic(r, today)) };
}

async function history(em: EntityManager, complaintId: string): Promise<PublicStep[]> {
  const rows = await em.execute<{ at: string | Date; action: string; from_status: ComplaintStatus | null; to_status: ComplaintStatus; actor_label: string; public_note: string }[]>(
    "select at, action, from_status, to_status, actor_label, public_note from complaint_event where complaint_id = ? order by id",
    [complaintId],
  );
  return rows.map((r) => ({ at: iso(r.at)!, action: r.action, from: r.from_status, to: r.to_status, by: r.actor_label, note: r.public_note }));
}

/** One visible report with its public history, or null (unknown, held for moderation or discarded). */
export async function publicComplaint(em: EntityManager, tenant: string, id: string, today: string): Promise<(PublicComplaint & { history: PublicStep[] }) | null> {
  if (!isUuid(id)) return null;
  const [r] = await em.execute<PublicRow[]>(
    `select ${PUBLIC_COLUMNS} from complaint c left join opd o on o.id = c.opd_id where c.tenant_code = ? and c.id = ? and c.status = any(?::text[])`,
    [tenant, id, pgArray(VISIBLE)],
  );
  return r ? { ...toPublic(r, today), history: await history(em, r.id) } : null;
}

/**
 * The reporter's view through the ticket: the same public fields (also while held for moderation) and
 * what the reporter may still do. Null for an unknown ticket.
 */
export async function complaintByTicket(
  em: EntityManager,
  tenant: string,
  ticket: string,
  today: string,
): Promise<(PublicComplaint & { history: PublicStep[]; ticket: string; canRate: boolean; canReopen: boolean }) | null> {
  const t = normalizeTicket(ticket);
  if (!t) return null;
  const [r] = await em.execute<(PublicRow & { reopen_count: number })[]>(
    `select ${PUBLIC_COLUMNS}, c.reopen_count from complaint c left join opd o on o.id = c.opd_id where c.tenant_code = ? and c.ticket_hash = ?`,
    [tenant, ticketHash(t)],
  );
  if (!r) return null;
  const answered = r.status === "answered" || r.status === "closed";
  return { ...toPublic(r, today), history: await history(em, r.id), ticket: t, canRate: answered, canReopen: answered && Number(r.reopen_count) < MAX_REOPENS };
}

/**
 * The answered reports about one contract, proposal or sub-activity, for its public page: what was
 * reported and what the government answered. Newest first.
 */
export async function publicComplaintsFor(em: EntityManager, tenant: string, targetKind: TargetKind, targetId: string, today: string): Promise<PublicComplaint[]> {
  if (!TARGET_KINDS.includes(targetKind) || !isUuid(targetId)) return [];
  const rows = await em.execute<PublicRow[]>(
    `select ${PUBLIC_COLUMNS} from complaint c left join opd o on o.id = c.opd_id
      where c.tenant_code = ? and c.target_kind = ? and c.target_id = ? and c.status = any(?::text[]) order by c.created_at desc limit 50`,
    [tenant, targetKind, targetId, pgArray(VISIBLE)],
  );
  return rows.map((r) => toPublic(r, today));
}

/**
 * The visible reports about the contracts that carry out a proposal (the contracts of the packages paying
 * for the sub-activities that took it up: the same chain as the proposal's "contract" timeline step), for
 * the proposal's public page, each naming its contract. Newest first.
 */
export async function publicComplaintsOnContractsOf(
  em: EntityManager,
  tenant: string,
  proposalId: string,
  today: string,
): Promise<(PublicComplaint & { contract: { id: string; number: string } })[]> {
  if (!isUuid(proposalId)) return [];
  const rows = await em.execute<(PublicRow & { contract_number: string })[]>(
    `select ${PUBLIC_COLUMNS}, coalesce(k.number, k.sppbj_number) as contract_number
       from complaint c left join opd o on o.id = c.opd_id join contract k on k.id = c.target_id
      where c.tenant_code = ? and c.target_kind = 'contract' and c.status = any(?::text[])
        and k.package_id in (select pb.package_id from proc_package_budget pb
                               join budget_line b on b.line_key = pb.line_key
                               join sub_activity_proposal x on x.sub_activity_id = b.sub_activity_id
                              where x.proposal_id = ?)
      order by c.created_at desc limit 50`,
    [tenant, pgArray(VISIBLE), proposalId],
  );
  return rows.map((r) => ({ ...toPublic(r, today), contract: { id: r.target_id!, number: r.contract_number } }));
}

/** A report's photo for the public: only the small re-encoded copy (no EXIF position or camera data). */
export async function complaintPhoto(em: EntityManager, tenant: string, photoId: string, full: boolean): Promise<{ content_type: string; data: Buffer; sha256: string } | null> {
  if (!isUuid(photoId)) return null;
  const [r] = await em.execute<{ content_type: string; data: Buffer; sha256: string }[]>(
    `select ${full ? "ph.content_type, ph.data" : "'image/webp' as content_type, ph.thumb as data"}, ph.sha256
       from complaint_photo ph join complaint c on c.id = ph.complaint_id
      where ph.tenant_code = ? and ph.id = ? and (? or c.status = any(?::text[]))`,
    [tenant, photoId, full, pgArray(VISIBLE)],
  );
  return r ?? null;
}

export interface QueueItem extends PublicComplaint {
  version: number;
  identity: string;
  heldReasons: string[];
  /** Name and contact: to the monev officer for named and confidential reports, to the OPD for named ones only. */
  reporter: { name: string; contact: string } | null;
  actions: ComplaintAction[];
  internal: { at: string; action: string; by: string; note: string }[];
}

/** May this actor see officers' data about reports at all? */
export function canSeeQueue(actor: Actor): boolean {
  return canSomewhere(actor, "oversight.triage") || canSomewhere(actor, "oversight.respond");
}

/**
 * The officers' queue (/monev/pengaduan): the monev officer sees every report, an OPD officer those
 * forwarded to their OPDs. Open reports first, the most overdue at the top; each with the actions this
 * officer may take on it now.
 */
export async function complaintQueue(
  em: EntityManager,
  actor: Actor,
  f: { status?: string; page?: number },
  today: string,
): Promise<{ total: number; items: QueueItem[]; counts: { status: ComplaintStatus; total: number; overdue: number }[]; categories: Category[] }> {
  const tenant = actor.tenant;
  const triage = can(actor, "oversight.triage", { tenant });
  const opds = visibleScopes(actor, "oversight.respond").opds;
  if (!triage && opds.length === 0) return { total: 0, items: [], counts: [], categories: [] };
  const where = ["c.tenant_code = ?"];
  const params: unknown[] = [tenant];
  if (!triage) {
    where.push("o.code = any(?::text[])", "c.status = any(?::text[])");
    params.push(pgArray(opds), pgArray(["forwarded", "in_progress", "answered", "closed"]));
  }
  const scope = where.join(" and ");
  const counts = await em.execute<{ status: ComplaintStatus; total: number; overdue: number }[]>(
    `select c.status, count(*)::int as total,
            (count(*) filter (where c.status = any(?::text[]) and c.sla_due_on < ?::date))::int as overdue
       from complaint c left join opd o on o.id = c.opd_id where ${scope} group by c.status`,
    [pgArray(OPEN_STATUSES), today, ...params] as never[],
  );
  const status = (COMPLAINT_STATUSES as readonly string[]).includes(f.status ?? "") ? f.status! : "";
  const listWhere = status ? `${scope} and c.status = ?` : scope;
  const listParams = status ? [...params, status] : params;
  const page = Math.max(1, f.page ?? 1);
  const rows = await em.execute<(PublicRow & { version: number; identity_mode: string; held_reasons: string[]; reporter_name: string | null; reporter_contact: string | null; reopen_count: number })[]>(
    `select ${PUBLIC_COLUMNS}, c.version, c.identity_mode, c.held_reasons, c.reopen_count,
            r.name as reporter_name, r.contact as reporter_contact
       from complaint c left join opd o on o.id = c.opd_id left join complaint_reporter r on r.complaint_id = c.id
      where ${listWhere}
      order by (c.status = any(?::text[])) desc, (c.status = any(?::text[]) and c.sla_due_on < ?::date) desc, c.sla_due_on, c.created_at
      limit 50 offset ?`,
    [...listParams, pgArray(OPEN_STATUSES), pgArray(OPEN_STATUSES), today, (page - 1) * 50] as never[],
  );
  const ids = rows.map((r) => r.id);
  const notes = ids.length
    ? await em.execute<{ complaint_id: string; at: string | Date; action: string; actor_label: string; public_note: string; internal_note: string }[]>(
        "select complaint_id, at, action, actor_label, public_note, internal_note from complaint_event where complaint_id = any(?::uuid[]) order by id",
        [pgArray(ids)],
      )
    : [];
  const items = rows.map((r): QueueItem => {
    const showReporter = r.reporter_name != null && (triage || r.identity_mode === "named");
    const ctx = { reopenCount: Number(r.reopen_count), reason: "x", answer: "x", opdId: "x" };
    const mayRespond = r.opd_code != null && can(actor, "oversight.respond", { tenant, opd: r.opd_code });
    const actions = complaintMachine
      .available(r.status, actor, ctx)
      .filter((a) => (["take", "answer"].includes(a) ? mayRespond : triage));
    return {
      ...toPublic(r, today),
      version: r.version,
      identity: r.identity_mode,
      heldReasons: triage ? r.held_reasons ?? [] : [],
      reporter: showReporter ? { name: r.reporter_name!, contact: r.reporter_contact ?? "" } : null,
      actions,
      internal: notes
        .filter((n) => n.complaint_id === r.id)
        .map((n) => ({ at: iso(n.at)!, action: n.action, by: n.actor_label, note: [n.public_note, n.internal_note].filter(Boolean).join(" — ") })),
    };
  });
  const total = counts.filter((c) => !status || c.status === status).reduce((s, c) => s + c.total, 0);
  return { total, items, counts: counts.map((c) => ({ status: c.status, total: c.total, overdue: c.overdue })), categories: await categories(em, tenant) };
}

export { categories };

/** A line naming what a report is about, for the form and the ticket page; null when it does not exist. */
export async function targetSummary(em: EntityManager, tenant: string, kind: TargetKind, id: string | null): Promise<{ kind: TargetKind; id: string; label: string; href: string | null } | null> {
  if (kind === "point" || !isUuid(id)) return null;
  const sql: Record<Exclude<TargetKind, "point">, string> = {
    proposal: "select code || ' — ' || title as label from proposal where tenant_code = ? and id = ?",
    contract: "select coalesce(c.number, c.sppbj_number) || ' — ' || p.name as label from contract c join proc_package p on p.id = c.package_id where c.tenant_code = ? and c.id = ?",
    sub_activity: "select sub_kegiatan_code || ' ' || name || ' (' || fiscal_year || ')' as label from sub_activity where tenant_code = ? and id = ?",
  };
  const [r] = await em.execute<{ label: string; package_id?: string }[]>(sql[kind], [tenant, id]);
  if (!r) return null;
  // A contract links to its public page (/kontrak/<id>: progress, payments and the answers to complaints).
  const href = kind === "proposal" ? `/usulan/${id}` : kind === "contract" ? `/kontrak/${id}` : null;
  return { kind, id, label: r.label, href };
}
