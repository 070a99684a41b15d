import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import { parentKodeWilayah, isUuid } from "../kernel/codes";
import type { DomainEvent } from "../kernel/events";
import type { Actor } from "../identity/actor";
import { assertCan, type Permission, type Resource } from "../identity/policy";
import { Opd } from "../tenancy/opd.entity";
import { Forum, Proposal, ProposalEvent, ScoringCriterion } from "./entities";
import { DEFAULT_CRITERIA, DEFAULT_QUOTA, SCORED_LEVELS, type ForumLevel, type ProposalStatus, type ScoredLevel } from "./vocabulary";

export const forumPermission = (level: ForumLevel) => `musrenbang.forum.${level}` as Permission;

/** What a forum belongs to, for the policy: its region, or its OPD for a Forum Perangkat Daerah. */
export async function forumResource(em: EntityManager, forum: Forum): Promise<Omit<Resource, "tenant">> {
  if (forum.level !== "perangkat_daerah") return { region: forum.regionCode };
  const opd = forum.opdId ? await em.findOne(Opd, { id: forum.opdId }) : null;
  return { opd: opd?.code ?? null };
}

/** Refuses (403) anyone but the forum's own facilitators. */
export async function assertRunsForum(em: EntityManager, actor: Actor, forum: Forum): Promise<void> {
  assertCan(actor, forumPermission(forum.level), { tenant: actor.tenant, ...(await forumResource(em, forum)) });
}

export async function loadForum(em: EntityManager, id: string, opts: { lock?: boolean; expectedVersion?: number } = {}): Promise<Forum> {
  if (!isUuid(id)) throw new DomainError("musrenbang.forum.notFound", { id }, "notFound");
  const forum = await em.findOne(Forum, { id }, opts.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!forum) throw new DomainError("musrenbang.forum.notFound", { id }, "notFound");
  if (opts.expectedVersion !== undefined && forum.version !== opts.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return forum;
}

export async function loadProposal(em: EntityManager, id: string, expectedVersion?: number, lock = false): Promise<Proposal> {
  if (!isUuid(id)) throw new DomainError("musrenbang.usulan.notFound", { id }, "notFound");
  const p = await em.findOne(Proposal, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!p) throw new DomainError("musrenbang.usulan.notFound", { id }, "notFound");
  if (expectedVersion !== undefined && p.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return p;
}

/** The forum a level's proposals go on to: desa → its kecamatan, kecamatan → the kabupaten. */
export async function nextForum(em: EntityManager, forum: Forum): Promise<Forum | null> {
  const level = forum.level === "desa" ? "kecamatan" : forum.level === "kecamatan" ? "kabupaten" : null;
  if (!level) return null;
  const region = parentKodeWilayah(forum.regionCode);
  return em.findOne(Forum, { fiscalYear: forum.fiscalYear, level, regionCode: region! });
}

/** The kabupaten/kota forum of a year (where pokir enter and OPDs verify). */
export async function kabupatenForum(em: EntityManager, tenant: string, year: number): Promise<Forum | null> {
  return em.findOne(Forum, { fiscalYear: year, level: "kabupaten", regionCode: tenant });
}

/**
 * Appends a step to the proposal's public timeline and returns the matching audit event, so that the
 * use case records both in the same transaction.
 */
export function recordStep(
  em: EntityManager,
  p: Proposal,
  step: { forum: Forum | null; action: string; from: ProposalStatus | null; event: string; actor: Actor; at: Date; reason?: string; details?: Record<string, unknown> },
): DomainEvent {
  em.create(ProposalEvent, {
    tenantCode: p.tenantCode,
    proposalId: p.id,
    forumId: step.forum?.id ?? null,
    at: step.at,
    level: step.forum?.level ?? "kabupaten",
    action: step.action,
    fromStatus: step.from,
    toStatus: p.status,
    actorName: step.actor.displayName,
    reason: step.reason ?? "",
    details: step.details ?? {},
  });
  return {
    type: step.event,
    entityType: "Proposal",
    entityId: p.id,
    before: step.from ? { status: step.from } : null,
    after: { status: p.status, code: p.code, ...(step.reason ? { reason: step.reason } : {}), ...(step.details ?? {}) },
  };
}

/** The next proposal code of a desa and year, e.g. 2027-35.22.06.2001-007 (the caller holds the forum lock). */
export async function nextProposalCode(em: EntityManager, tenant: string, year: number, prefix: string): Promise<string> {
  const [r] = await em.execute<{ n: string }[]>(
    "select count(*)::text as n from proposal where tenant_code = ? and fiscal_year = ? and code like ?",
    [tenant, year, `${year}-${prefix}-%`],
  );
  return `${year}-${prefix}-${String(Number(r.n) + 1).padStart(3, "0")}`;
}

/** The tenant's criteria for a level, creating the defaults the first time. */
export async function criteriaFor(em: EntityManager, tenant: string, level: ScoredLevel): Promise<ScoringCriterion[]> {
  const existing = await em.find(ScoringCriterion, { level }, { orderBy: { sortOrder: "asc", code: "asc" } });
  if (existing.length) return existing;
  return DEFAULT_CRITERIA.map((c, i) => em.create(ScoringCriterion, { tenantCode: tenant, level, sortOrder: i, ...c }));
}

export async function quotaFor(em: EntityManager, tenant: string, level: ScoredLevel): Promise<number> {
  const [r] = await em.execute<{ quota: number }[]>("select quota from musrenbang_setting where tenant_code = ? and level = ?", [tenant, level]);
  return r?.quota ?? DEFAULT_QUOTA[level];
}

export function isScoredLevel(level: ForumLevel): level is ScoredLevel {
  return (SCORED_LEVELS as readonly string[]).includes(level);
}
