import type { EntityManager } from "@mikro-orm/postgresql";
import { D } from "../kernel/money";
import { Money } from "../kernel/money";
import { isKodeWilayah, isUuid } from "../kernel/codes";
import type { Actor } from "../identity/actor";
import { can } from "../identity/policy";
import { forumMachine, proposalMachine } from "./machines";
import { rankProposals, weightedTotal } from "./scoring";
import { SCORED_STATUS } from "./scores";
import { criteriaFor, forumPermission, forumResource, isScoredLevel, loadForum, quotaFor } from "./support";
import { BIDANG_URUSAN, PROPOSAL_STATUSES, type ProposalStatus } from "./vocabulary";


export interface ForumSummary {
  id: string;
  fiscalYear: number;
  level: string;
  regionCode: string;
  name: string;
  status: string;
  opensAt: Date | null;
  closesAt: Date | null;
  proposals: number;
}

/** Forums of a year, optionally of one level or inside one region. */
export async function listForums(
  em: EntityManager,
  tenant: string,
  f: { year?: number; level?: string; within?: string; opd?: string; limit?: number },
): Promise<ForumSummary[]> {
  const where = ["f.tenant_code = ?"];
  const params: unknown[] = [tenant];
  const add = (sql: string, ...v: unknown[]) => {
    where.push(sql);
    params.push(...v);
  };
  if (f.year) add("f.fiscal_year = ?", f.year);
  if (f.level) add("f.level = ?", f.level);
  if (f.within) add("(f.region_code = ? or f.region_code like ?)", f.within, `${f.within}.%`);
  if (f.opd) add("f.opd_id = (select o.id from opd o where o.tenant_code = f.tenant_code and o.code = ?)", f.opd);
  const rows = await em.execute<{ id: string; fiscal_year: number; level: string; region_code: string; name: string; status: string; opens_at: Date | null; closes_at: Date | null; n: string }[]>(
    `select f.id, f.fiscal_year, f.level, f.region_code, f.name, f.status, f.opens_at, f.closes_at,
            (select count(*) from proposal p where p.origin_forum_id = f.id or p.current_forum_id = f.id)::text as n
       from forum f where ${where.join(" and ")}
      order by f.fiscal_year desc, case f.level when 'kabupaten' then 0 when 'kecamatan' then 1 when 'desa' then 2 else 3 end, f.region_code
      limit ?`,
    [...params, f.limit ?? 500] as never[],
  );
  return rows.map((r) => ({ id: r.id, fiscalYear: r.fiscal_year, level: r.level, regionCode: r.region_code, name: r.name, status: r.status, opensAt: r.opens_at, closesAt: r.closes_at, proposals: Number(r.n) }));
}

export interface ProposalRow {
  id: string;
  code: string;
  version: number;
  title: string;
  status: ProposalStatus;
  source: string;
  kind: string;
  thematicGroup: string;
  desaCode: string;
  desaName: string;
  opdCode: string;
  opdName: string;
  volume: string;
  unit: string;
  estimatedCost: string;
  beneficiaries: number;
  createdAt: Date;
  photos: number;
  reason: string;
  proposedSubKegiatan: string;
  mergedIntoCode: string | null;
}

const ROW_SQL = `select p.id, p.code, p.version, p.title, p.status, p.source, p.kind, p.thematic_group, p.desa_code, d.name as desa_name,
       o.code as opd_code, o.short_name as opd_name, p.volume::text as volume, p.unit, p.estimated_cost::text as estimated_cost,
       p.beneficiaries, p.created_at, p.reason, p.proposed_sub_kegiatan, m.code as merged_into_code,
       (select count(*) from proposal_photo ph where ph.proposal_id = p.id)::int as photos
  from proposal p join region d on d.code = p.desa_code join opd o on o.id = p.target_opd_id
  left join proposal m on m.id = p.merged_into_id`;

type RowRecord = Record<string, unknown>;
const toRow = (r: RowRecord): ProposalRow => ({
  id: r.id as string,
  code: r.code as string,
  version: r.version as number,
  title: r.title as string,
  status: r.status as ProposalStatus,
  source: r.source as string,
  kind: r.kind as string,
  thematicGroup: r.thematic_group as string,
  desaCode: r.desa_code as string,
  desaName: r.desa_name as string,
  opdCode: r.opd_code as string,
  opdName: r.opd_name as string,
  volume: new D(r.volume as string).toFixed(),
  unit: r.unit as string,
  estimatedCost: r.estimated_cost as string,
  beneficiaries: r.beneficiaries as number,
  createdAt: new Date(r.created_at as string),
  photos: r.photos as number,
  reason: r.reason as string,
  proposedSubKegiatan: r.proposed_sub_kegiatan as string,
  mergedIntoCode: (r.merged_into_code as string | null) ?? null,
});

/**
 * A forum as its facilitators work in it: the proposals in it now (with live scores and totals), the
 * ones it sent on or left behind (with their frozen rank), the criteria, and what the viewer may do.
 */
export async function forumWorkspace(em: EntityManager, actor: Actor, forumId: string) {
  const forum = await loadForum(em, forumId);
  const resource = { tenant: actor.tenant, ...(await forumResource(em, forum)) };
  const runs = can(actor, forumPermission(forum.level), resource);
  const criteria = isScoredLevel(forum.level) ? (await criteriaFor(em.fork(), actor.tenant, forum.level)).map((c) => ({ id: c.id, code: c.code, name: c.name, description: c.description, weight: c.weight })) : [];
  const current = (await em.execute<RowRecord[]>(`${ROW_SQL} where p.tenant_code = ? and p.current_forum_id = ? order by p.code`, [actor.tenant, forum.id])).map(toRow);
  const departed = (
    await em.execute<(RowRecord & { rank: number | null; total_score: string | null })[]>(
      `${ROW_SQL.replace("select p.id", "select e.rank, e.total_score::text as total_score, p.id")} join forum_entry e on e.proposal_id = p.id and e.forum_id = ?
        where p.tenant_code = ? and p.current_forum_id <> ? order by e.rank nulls last, p.code`,
      [forum.id, actor.tenant, forum.id],
    )
  ).map((r) => ({ ...toRow(r), rank: r.rank, total: r.total_score }));
  const scoreRows = await em.execute<{ proposal_id: string; criterion_id: string; score: number }[]>(
    "select proposal_id, criterion_id, score from proposal_score where forum_id = ?",
    [forum.id],
  );
  const scores: Record<string, Record<string, number>> = {};
  for (const s of scoreRows) {
    const code = criteria.find((c) => c.id === s.criterion_id)?.code;
    if (code) (scores[s.proposal_id] ??= {})[code] = s.score;
  }
  const candidateStatus = isScoredLevel(forum.level) ? SCORED_STATUS[forum.level] : null;
  const candidates = current.filter((p) => p.status === candidateStatus);
  const scored = candidates.filter((p) => criteria.every((c) => scores[p.id]?.[c.code] !== undefined));
  const live = rankProposals(
    scored.map((p) => ({
      id: p.id,
      code: p.code,
      total: weightedTotal(criteria, new Map(criteria.map((c) => [c.id, scores[p.id][c.code]]))),
      beneficiaries: p.beneficiaries,
      estimatedCost: Money.idr(p.estimatedCost),
      submittedAt: p.createdAt,
    })),
  );
  const ranking = Object.fromEntries(live.map((r) => [r.id, { rank: r.rank, total: r.total.toFixed(2) }]));
  const forumActions = runs ? forumMachine.available(forum.status, actor, { closeBlocker: null, scheduled: !!(forum.opensAt && forum.closesAt) }) : [];
  // What the machine allows, narrowed to what this forum's state allows (the use cases check both).
  const stateAllows = (a: string) =>
    forum.status !== "closed" &&
    forum.status !== "planned" &&
    !(forum.level === "kecamatan" && forum.status !== "open" && (a === "verify" || a === "merge")) &&
    !(forum.level === "desa" && forum.status !== "open");
  const proposalActions = Object.fromEntries(
    current.map((p) => [
      p.id,
      runs || can(actor, "musrenbang.opd.verify", { tenant: actor.tenant, opd: p.opdCode })
        ? proposalMachine.available(p.status, actor, { reason: "x".repeat(10), target: "x" }).filter(stateAllows)
        : [],
    ]),
  );
  return {
    forum: {
      id: forum.id,
      version: forum.version,
      fiscalYear: forum.fiscalYear,
      level: forum.level,
      regionCode: forum.regionCode,
      name: forum.name,
      status: forum.status,
      opensAt: forum.opensAt ?? null,
      closesAt: forum.closesAt ?? null,
      venue: forum.venue,
      attendeesTotal: forum.attendeesTotal ?? null,
      attendeesWomen: forum.attendeesWomen ?? null,
      signatories: forum.signatories,
      minutesNotes: forum.minutesNotes,
      signedAt: forum.signedAt ?? null,
    },
    runs,
    criteria,
    current,
    departed,
    scores,
    ranking,
    unscored: candidates.length - scored.length,
    forumActions,
    proposalActions,
  };
}

/**
 * The forum's ranked list for the minutes and the Excel export: frozen ranks once closed, live ranks
 * (of fully scored proposals) before.
 */
export async function rankedList(em: EntityManager, actor: Actor, forumId: string) {
  const ws = await forumWorkspace(em, actor, forumId);
  if (ws.forum.status === "closed") {
    const rows = ws.departed
      .filter((d) => d.rank !== null)
      .map((d) => ({ ...d, rank: d.rank!, total: d.total! }))
      .concat(
        ws.current
          .filter((c) => ws.forum.level === "kabupaten" || c.status === "not_prioritised")
          .map((c) => ({ ...c, rank: 0, total: "" })),
      );
    const ranks = await em.execute<{ proposal_id: string; rank: number | null; total_score: string | null }[]>(
      "select proposal_id, rank, total_score::text as total_score from forum_entry where forum_id = ?",
      [forumId],
    );
    const byId = new Map(ranks.map((r) => [r.proposal_id, r]));
    const all = rows.map((r) => ({ ...r, rank: byId.get(r.id)?.rank ?? null, total: byId.get(r.id)?.total_score ?? null }));
    return { ...ws, list: all.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (a.code < b.code ? -1 : 1)) };
  }
  const list = ws.current
    .map((p) => ({ ...p, rank: ws.ranking[p.id]?.rank ?? null, total: ws.ranking[p.id]?.total ?? null }))
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (a.code < b.code ? -1 : 1));
  return { ...ws, list };
}

/**
 * Likely duplicates among a forum's proposals still under discussion: a similar title (pg_trgm
 * similarity ≥ 0.45) in the same or a neighbouring desa (same kecamatan), or points within 150 m —
 * minus the pairs the forum decided to keep apart.
 */
export async function likelyDuplicates(em: EntityManager, forumId: string) {
  return em.execute<{ a_id: string; a_code: string; a_title: string; b_id: string; b_code: string; b_title: string; similarity: string; distance_m: string | null }[]>(
    `select a.id a_id, a.code a_code, a.title a_title, b.id b_id, b.code b_code, b.title b_title,
            round(similarity(lower(a.title), lower(b.title))::numeric, 2)::text as similarity,
            case when a.lat is not null and b.lat is not null
                 then round(earth_distance(ll_to_earth(a.lat::float8, a.lng::float8), ll_to_earth(b.lat::float8, b.lng::float8))::numeric)::text end as distance_m
       from proposal a join proposal b on a.current_forum_id = b.current_forum_id and a.id < b.id
      where a.current_forum_id = ? and a.status in ('submitted','escalated','verified') and b.status in ('submitted','escalated','verified')
        and a.kecamatan_code = b.kecamatan_code
        and (similarity(lower(a.title), lower(b.title)) >= 0.45
             or (a.lat is not null and b.lat is not null
                 and earth_distance(ll_to_earth(a.lat::float8, a.lng::float8), ll_to_earth(b.lat::float8, b.lng::float8)) < 150))
        and not exists (select 1 from duplicate_dismissal x where x.proposal_a = a.id and x.proposal_b = b.id)
      order by similarity desc, a.code`,
    [forumId],
  );
}

/** Proposals of the same year in the same kecamatan with a similar title: shown as a warning when raising one. */
export async function similarProposals(em: EntityManager, tenant: string, year: number, kecamatan: string, title: string, excludeId?: string) {
  if (title.trim().length < 5) return [];
  return em.execute<{ id: string; code: string; title: string; desa: string; status: string; similarity: string }[]>(
    `select p.id, p.code, p.title, d.name as desa, p.status, round(similarity(lower(p.title), lower(?))::numeric, 2)::text as similarity
       from proposal p join region d on d.code = p.desa_code
      where p.tenant_code = ? and p.fiscal_year = ? and p.kecamatan_code = ? and p.id <> ?::uuid
        and lower(p.title) % lower(?) and similarity(lower(p.title), lower(?)) >= 0.45
      order by similarity desc limit 5`,
    [title, tenant, year, kecamatan, excludeId ?? "00000000-0000-0000-0000-000000000000", title, title],
  );
}

/** An OPD's verification queue: proposals in OPD review (and recently decided) targeting it. */
export async function opdQueue(em: EntityManager, tenant: string, opdCode: string, year?: number) {
  const rows = await em.execute<RowRecord[]>(
    `${ROW_SQL} where p.tenant_code = ? and o.code = ? and p.status in ('opd_review','accepted','adopted','not_adopted')
       ${year ? "and p.fiscal_year = ?" : ""} order by case p.status when 'opd_review' then 0 else 1 end, p.code limit 500`,
    year ? [tenant, opdCode, year] : [tenant, opdCode],
  );
  return rows.map(toRow);
}

export interface PublicFilter {
  desa?: string;
  kecamatan?: string;
  status?: string;
  opd?: string;
  q?: string;
  tahun?: number;
  page?: number;
  perPage?: number;
}

/** Normalises public filters: unknown values are dropped rather than failing the page. */
export function cleanPublicFilter(raw: Record<string, string | null | undefined>): PublicFilter {
  const f: PublicFilter = {};
  if (raw.desa && isKodeWilayah(raw.desa) && raw.desa.split(".").length === 4) f.desa = raw.desa;
  if (raw.kecamatan && isKodeWilayah(raw.kecamatan) && raw.kecamatan.split(".").length === 3) f.kecamatan = raw.kecamatan;
  if (raw.status && (PROPOSAL_STATUSES as readonly string[]).includes(raw.status)) f.status = raw.status;
  if (raw.opd && /^[\d.]{3,40}$/.test(raw.opd)) f.opd = raw.opd;
  if (raw.q?.trim()) f.q = raw.q.trim().slice(0, 100);
  if (raw.tahun && /^\d{4}$/.test(raw.tahun)) f.tahun = Number(raw.tahun);
  const page = Number(raw.page ?? 1);
  f.page = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
  const per = Number(raw.per_page ?? raw.perPage ?? 25);
  f.perPage = Number.isInteger(per) && per >= 1 ? Math.min(per, 100) : 25;
  return f;
}

/** The public tracker: proposals by desa, kecamatan, status, OPD, year and text, newest year first, paged. */
export async function searchProposals(em: EntityManager, tenant: string, f: PublicFilter) {
  const where = ["p.tenant_code = ?"];
  const params: unknown[] = [tenant];
  const add = (sql: string, ...v: unknown[]) => {
    where.push(sql);
    params.push(...v);
  };
  if (f.desa) add("p.desa_code = ?", f.desa);
  if (f.kecamatan) add("p.kecamatan_code = ?", f.kecamatan);
  if (f.status) add("p.status = ?", f.status);
  if (f.opd) add("o.code = ?", f.opd);
  if (f.tahun) add("p.fiscal_year = ?", f.tahun);
  if (f.q) add("(lower(p.title) like ? or p.code = ?)", `%${f.q.toLowerCase().replace(/[%_\\]/g, "")}%`, f.q);
  const perPage = f.perPage ?? 25;
  const page = f.page ?? 1;
  const [{ n }] = await em.execute<{ n: string }[]>(
    `select count(*)::text as n from proposal p ${f.opd ? "join opd o on o.id = p.target_opd_id" : ""} where ${where.join(" and ")}`,
    params as never[],
  );
  const rows = await em.execute<RowRecord[]>(
    `${ROW_SQL} where ${where.join(" and ")} order by p.fiscal_year desc, p.code limit ? offset ?`,
    [...params, perPage, (page - 1) * perPage] as never[],
  );
  return { total: Number(n), page, perPage, items: rows.map(toRow) };
}

/** One proposal for the public: everything about it, its photos, and its whole timeline. */
export async function proposalDetail(em: EntityManager, tenant: string, idOrCode: string) {
  const key = isUuid(idOrCode) ? "p.id = ?::uuid" : "p.code = ?";
  const rows = await em.execute<RowRecord[]>(
    `select p.*, p.volume::text as volume_text, p.estimated_cost::text as cost_text, p.lat::text as lat_text, p.lng::text as lng_text,
            d.name as desa_name, k.name as kecamatan_name, o.code as opd_code, o.name as opd_name,
            oo.code as original_opd_code, oo.name as original_opd_name, m.code as merged_into_code,
            f.name as forum_name, f.level as forum_level, f.status as forum_status
       from proposal p join region d on d.code = p.desa_code join region k on k.code = p.kecamatan_code
       join opd o on o.id = p.target_opd_id join opd oo on oo.id = p.original_opd_id
       join forum f on f.id = p.current_forum_id left join proposal m on m.id = p.merged_into_id
      where p.tenant_code = ? and ${key}`,
    [tenant, idOrCode],
  );
  const r = rows[0];
  if (!r) return null;
  const id = r.id as string;
  const [timeline, photos, absorbed] = await Promise.all([
    em.execute<{ id: string; at: Date; level: string; action: string; from_status: string | null; to_status: string; actor_name: string; reason: string; details: Record<string, unknown>; forum_name: string | null }[]>(
      `select e.id::text as id, e.at, e.level, e.action, e.from_status, e.to_status, e.actor_name, e.reason, e.details, f.name as forum_name
         from proposal_event e left join forum f on f.id = e.forum_id where e.proposal_id = ? order by e.id`,
      [id],
    ),
    em.execute<{ id: string; filename: string; width: number; height: number; size: number; sha256: string }[]>(
      "select id, filename, width, height, size, sha256 from proposal_photo where proposal_id = ? order by created_at",
      [id],
    ),
    em.execute<{ id: string; code: string; title: string }[]>("select id, code, title from proposal where tenant_code = ? and merged_into_id = ? order by code", [tenant, id]),
  ]);
  return {
    id,
    code: r.code as string,
    fiscalYear: r.fiscal_year as number,
    source: r.source as string,
    proposer: r.proposer as string,
    title: r.title as string,
    problem: r.problem as string,
    kind: r.kind as string,
    thematicGroup: r.thematic_group as string,
    bidangUrusan: { code: r.bidang_urusan as string, name: BIDANG_URUSAN[r.bidang_urusan as string] ?? "" },
    opd: { code: r.opd_code as string, name: r.opd_name as string },
    originalOpd: { code: r.original_opd_code as string, name: r.original_opd_name as string },
    desa: { code: r.desa_code as string, name: r.desa_name as string },
    kecamatan: { code: r.kecamatan_code as string, name: r.kecamatan_name as string },
    address: r.address as string,
    rt: r.rt as string,
    rw: r.rw as string,
    location: r.lat_text ? { lat: r.lat_text as string, lng: r.lng_text as string } : null,
    volume: new D(r.volume_text as string).toFixed(),
    unit: r.unit as string,
    estimatedCost: r.cost_text as string,
    beneficiaries: r.beneficiaries as number,
    status: r.status as ProposalStatus,
    reason: r.reason as string,
    proposedSubKegiatan: r.proposed_sub_kegiatan as string,
    mergedInto: r.merged_into_id ? { id: r.merged_into_id as string, code: r.merged_into_code as string } : null,
    absorbed,
    forum: { id: r.current_forum_id as string, name: r.forum_name as string, level: r.forum_level as string, status: r.forum_status as string },
    originForumId: r.origin_forum_id as string,
    version: r.version as number,
    createdAt: new Date(r.created_at as string),
    photos,
    timeline: timeline.map((e) => ({
      id: e.id,
      at: new Date(e.at),
      level: e.level,
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actor: e.actor_name,
      reason: e.reason,
      details: e.details,
      forum: e.forum_name,
    })),
  };
}

export async function photoBytes(em: EntityManager, tenant: string, photoId: string, thumb: boolean) {
  if (!isUuid(photoId)) return null;
  const rows = await em.execute<{ content_type: string; data: Buffer; sha256: string }[]>(
    `select ${thumb ? "'image/webp' as content_type, thumb as data" : "content_type, data"}, sha256 from proposal_photo where tenant_code = ? and id = ?`,
    [tenant, photoId],
  );
  return rows[0] ?? null;
}

/** Just enough of a forum to decide who may look at it. */
export async function forumHeader(em: EntityManager, id: string) {
  if (!isUuid(id)) return null;
  const rows = await em.execute<{ id: string; level: string; region_code: string; opd_code: string | null; name: string; fiscal_year: number; status: string }[]>(
    "select f.id, f.level, f.region_code, o.code as opd_code, f.name, f.fiscal_year, f.status from forum f left join opd o on o.id = f.opd_id where f.id = ?",
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, level: r.level, regionCode: r.region_code, opdCode: r.opd_code, name: r.name, fiscalYear: r.fiscal_year, status: r.status } : null;
}

/** A level's criteria (defaults until configured) and quota, for the settings page. */
export async function criteriaOf(em: EntityManager, tenant: string, level: "desa" | "kecamatan" | "kabupaten") {
  const criteria = await criteriaFor(em.fork(), tenant, level);
  return {
    criteria: criteria.map((c) => ({ code: c.code, name: c.name, description: c.description, weight: new D(c.weight).toFixed(2) })),
    quota: await quotaFor(em, tenant, level),
  };
}
