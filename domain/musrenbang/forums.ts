import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { parseKodeWilayah, wilayahWithin } from "../kernel/codes";
import { Money } from "../kernel/money";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan, can } from "../identity/policy";
import { Region } from "../regions/region.entity";
import { Opd } from "../tenancy/opd.entity";
import { Forum, Proposal } from "./entities";
import type { ForumAction } from "./machines";
import { rankProposals, splitByQuota, weightedTotal } from "./scoring";
import {
  assertRunsForum,
  criteriaFor,
  forumPermission,
  isScoredLevel,
  kabupatenForum,
  loadForum,
  nextForum,
  quotaFor,
  recordStep,
} from "./support";
import { FORUM_LEVELS, type ForumLevel } from "./vocabulary";

export interface ScheduleInput {
  fiscalYear: number | string;
  level: string;
  /** Region code for desa, kecamatan and kabupaten forums; OPD code for a Forum Perangkat Daerah. */
  scope: string;
  opensAt?: Date | null;
  closesAt?: Date | null;
  venue?: string;
}

const LEVEL_OF_REGION: Record<number, ForumLevel> = { 2: "kabupaten", 3: "kecamatan", 4: "desa" };
const forumName = (level: ForumLevel, name: string) =>
  level === "desa" ? `Musrenbang Desa/Kelurahan ${name}` : level === "kecamatan" ? `Musrenbang Kecamatan ${name}` : level === "kabupaten" ? `Musrenbang RKPD ${name}` : `Forum Perangkat Daerah ${name}`;

function checkSchedule(problems: Problems, opensAt?: Date | null, closesAt?: Date | null) {
  for (const [f, d] of [["opensAt", opensAt], ["closesAt", closesAt]] as const)
    if (d && Number.isNaN(d.getTime())) problems.add(f, "musrenbang.forum.dateInvalid");
  if (opensAt && closesAt && closesAt <= opensAt) problems.add("closesAt", "musrenbang.forum.closesBeforeOpens");
}

/**
 * Schedules a forum for a fiscal year. Who: Bappeda or admin for any forum; a facilitator for the forum
 * of their own desa/kecamatan; an OPD officer for their own Forum Perangkat Daerah. Emits ForumScheduled.
 * Refuses: a second forum for the same level, place and year; a place outside the tenant.
 */
export async function scheduleForum(em: EntityManager, actor: Actor, clock: Clock, input: ScheduleInput): Promise<string> {
  const problems = new Problems();
  const year = problems.check("fiscalYear", () => FiscalYear.of(input.fiscalYear));
  const level = FORUM_LEVELS.find((l) => l === input.level);
  if (!level) problems.add("level", "musrenbang.forum.levelUnknown", { level: input.level });
  checkSchedule(problems, input.opensAt, input.closesAt);
  problems.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    let regionCode: string;
    let opdId: string | null = null;
    let name: string;
    if (level === "perangkat_daerah") {
      const opd = await tx.findOne(Opd, { code: input.scope.trim() });
      if (!opd) throw new DomainError("opd.unknown", { code: input.scope }, "invalid", "scope");
      if (!can(actor, "musrenbang.schedule", { tenant: actor.tenant })) assertCan(actor, "musrenbang.forum.perangkat_daerah", { tenant: actor.tenant, opd: opd.code });
      regionCode = actor.tenant;
      opdId = opd.id;
      name = forumName(level, opd.name);
    } else {
      const { code, level: rl } = parseKodeWilayah(input.scope, "scope");
      const region = await tx.findOne(Region, { code });
      if (!region) throw new DomainError("region.unknown", { code }, "invalid", "scope");
      if (!wilayahWithin(code, actor.tenant)) throw new DomainError("region.outsideTenant", { code }, "invalid", "scope");
      if (LEVEL_OF_REGION[rl] !== level) throw new DomainError("musrenbang.forum.regionLevel", { code, level }, "invalid", "scope");
      if (!can(actor, "musrenbang.schedule", { tenant: actor.tenant })) assertCan(actor, forumPermission(level!), { tenant: actor.tenant, region: code });
      regionCode = code;
      name = forumName(level!, region.name);
    }
    const dup = await tx.findOne(Forum, level === "perangkat_daerah" ? { fiscalYear: year!.year, level, opdId } : { fiscalYear: year!.year, level: level!, regionCode });
    if (dup) throw new DomainError("musrenbang.forum.exists", { name: dup.name, year: year!.year }, "conflict", "scope");
    const forum = tx.create(Forum, {
      tenantCode: actor.tenant,
      fiscalYear: year!.year,
      level: level!,
      regionCode,
      opdId,
      name,
      status: "planned",
      opensAt: input.opensAt ?? null,
      closesAt: input.closesAt ?? null,
      venue: (input.venue ?? "").trim().slice(0, 200),
      signatories: [],
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    if (isScoredLevel(level!)) await criteriaFor(tx, actor.tenant, level);
    record({ type: "ForumScheduled", entityType: "Forum", entityId: forum.id, after: { name, fiscalYear: year!.year, level, regionCode } });
    return forum.id;
  });
}

/**
 * Schedules every missing forum of a year at once: the kabupaten forum, each kecamatan's and each
 * desa/kelurahan's, with one window per level. Who: Bappeda, admin. Emits ForumScheduled for each.
 */
export async function scheduleYear(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  input: { fiscalYear: number | string; windows?: Partial<Record<"desa" | "kecamatan" | "kabupaten", { opensAt: Date; closesAt: Date }>> },
): Promise<{ created: number }> {
  assertCan(actor, "musrenbang.schedule", { tenant: actor.tenant });
  const year = FiscalYear.of(input.fiscalYear).year;
  return transact(em, actor, clock, async (tx, record) => {
    const regions = await tx.find(Region, { code: { $like: `${actor.tenant}.%` }, level: { $in: [3, 4] } }, { orderBy: { code: "asc" } });
    const tenantRegion = await tx.findOneOrFail(Region, { code: actor.tenant });
    const existing = new Set((await tx.find(Forum, { fiscalYear: year, level: { $in: ["desa", "kecamatan", "kabupaten"] } })).map((f) => `${f.level}|${f.regionCode}`));
    let created = 0;
    for (const r of [tenantRegion, ...regions]) {
      const level = LEVEL_OF_REGION[r.level];
      if (existing.has(`${level}|${r.code}`)) continue;
      const w = input.windows?.[level as "desa"];
      const forum = tx.create(Forum, {
        tenantCode: actor.tenant,
        fiscalYear: year,
        level,
        regionCode: r.code,
        opdId: null,
        name: forumName(level, r.name),
        status: "planned",
        opensAt: w?.opensAt ?? null,
        closesAt: w?.closesAt ?? null,
        venue: "",
        signatories: [],
      createdAt: clock.now(),
      updatedAt: clock.now(),
      });
      record({ type: "ForumScheduled", entityType: "Forum", entityId: forum.id, after: { name: forum.name, fiscalYear: year, level, regionCode: r.code } });
      created++;
    }
    for (const level of ["desa", "kecamatan", "kabupaten"] as const) await criteriaFor(tx, actor.tenant, level);
    return { created };
  });
}

/** Changes a forum's schedule or venue before it closes. Who: its facilitators, Bappeda. Emits ForumRescheduled. */
export async function rescheduleForum(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  forumId: string,
  input: { opensAt: Date | null; closesAt: Date | null; venue: string; expectedVersion: number },
): Promise<void> {
  const problems = new Problems();
  checkSchedule(problems, input.opensAt, input.closesAt);
  problems.throwIfAny();
  await transact(em, actor, clock, async (tx, record) => {
    const forum = await loadForum(tx, forumId, { expectedVersion: input.expectedVersion });
    if (!can(actor, "musrenbang.schedule", { tenant: actor.tenant })) await assertRunsForum(tx, actor, forum);
    if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
    const before = { opensAt: forum.opensAt, closesAt: forum.closesAt, venue: forum.venue };
    forum.opensAt = input.opensAt;
    forum.closesAt = input.closesAt;
    forum.venue = input.venue.trim().slice(0, 200);
    record({ type: "ForumRescheduled", entityType: "Forum", entityId: forum.id, before, after: { opensAt: forum.opensAt, closesAt: forum.closesAt, venue: forum.venue } });
  });
}

/**
 * Opens a forum, starts its scoring, or reopens it for corrections. Who: the forum's own facilitators.
 * Emits ForumOpened, ForumScoringStarted or ForumReopened.
 */
export async function moveForum(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  forumId: string,
  action: Exclude<ForumAction, "close">,
  expectedVersion: number,
): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const forum = await loadForum(tx, forumId, { lock: true, expectedVersion });
    await assertRunsForum(tx, actor, forum);
    const from = forum.status;
    const event = forum.transition(action, actor, { closeBlocker: null, scheduled: !!(forum.opensAt && forum.closesAt) });
    forum.updatedAt = clock.now();
    record({ type: event, entityType: "Forum", entityId: forum.id, before: { status: from }, after: { status: forum.status } });
  });
}

export interface MinutesInput {
  attendeesTotal: string | number;
  attendeesWomen: string | number;
  signatories: { name: string; position: string }[];
  notes?: string;
  expectedVersion: number;
}

const nonNegInt = (v: string | number) => {
  const n = typeof v === "number" ? v : /^\d{1,6}$/.test(String(v).trim()) ? Number(String(v).trim()) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
};

/**
 * Signs the minutes (berita acara) and closes the forum: everything in it is locked and its ranked list
 * frozen. At a desa forum the top proposals within the desa quota go on to the kecamatan forum and the
 * rest are marked not prioritised with their rank; at a kecamatan forum every escalated proposal must
 * have been verified, rejected or merged first, and the top verified ones go to OPD review at the
 * kabupaten forum; at the kabupaten forum every proposal must have its OPD decision, and the accepted
 * ones are adopted. Who: the forum's own facilitators. Emits ForumClosed and one event per proposal.
 */
export async function closeForum(em: EntityManager, actor: Actor, clock: Clock, forumId: string, minutes: MinutesInput) {
  const problems = new Problems();
  const total = nonNegInt(minutes.attendeesTotal);
  const women = nonNegInt(minutes.attendeesWomen);
  if (total === null || total < 1) problems.add("attendeesTotal", "musrenbang.minutes.attendeesRequired");
  if (women === null) problems.add("attendeesWomen", "musrenbang.minutes.womenRequired");
  else if (total !== null && women > total) problems.add("attendeesWomen", "musrenbang.minutes.womenExceedTotal");
  const signatories = minutes.signatories
    .map((s) => ({ name: String(s.name ?? "").trim().slice(0, 120), position: String(s.position ?? "").trim().slice(0, 120) }))
    .filter((s) => s.name || s.position);
  if (signatories.length === 0) problems.add("signatories", "musrenbang.minutes.signatoryRequired");
  if (signatories.some((s) => !s.name || !s.position)) problems.add("signatories", "musrenbang.minutes.signatoryIncomplete");
  problems.throwIfAny();

  return transact(em, actor, clock, async (tx, record) => {
    const now = clock.now();
    const forum = await loadForum(tx, forumId, { lock: true, expectedVersion: minutes.expectedVersion });
    await assertRunsForum(tx, actor, forum);
    const inForum = await tx.find(Proposal, { currentForumId: forum.id }, { orderBy: { code: "asc" } });
    let blocker: string | null = null;
    let blockerParams: Record<string, unknown> = {};
    const outcome = { moved: 0, stayed: 0, adopted: 0 };

    const candidates =
      forum.level === "desa" ? inForum.filter((p) => p.status === "submitted") : forum.level === "kecamatan" ? inForum.filter((p) => p.status === "verified") : [];
    if (forum.level === "kecamatan" && inForum.some((p) => p.status === "escalated")) {
      blocker = "musrenbang.forum.undecided";
      blockerParams = { count: inForum.filter((p) => p.status === "escalated").length };
    }
    if (forum.level === "kabupaten" && inForum.some((p) => p.status === "opd_review")) {
      blocker = "musrenbang.forum.pendingOpd";
      blockerParams = { count: inForum.filter((p) => p.status === "opd_review").length };
    }

    let ranked: ReturnType<typeof rankProposals<{ id: string; code: string; total: ReturnType<typeof weightedTotal>; beneficiaries: number; estimatedCost: Money; submittedAt: Date; p: Proposal }>> = [];
    let next: Forum | null = null;
    if (!blocker && (forum.level === "desa" || forum.level === "kecamatan")) {
      const criteria = await criteriaFor(tx, actor.tenant, forum.level);
      const scoreRows = candidates.length
        ? await tx.execute<{ proposal_id: string; criterion_id: string; score: number }[]>(
            "select proposal_id, criterion_id, score from proposal_score where forum_id = ?",
            [forum.id],
          )
        : [];
      const byProposal = new Map<string, Map<string, number>>();
      for (const r of scoreRows) {
        if (!byProposal.has(r.proposal_id)) byProposal.set(r.proposal_id, new Map());
        byProposal.get(r.proposal_id)!.set(r.criterion_id, r.score);
      }
      const unscored = candidates.filter((p) => criteria.some((c) => !byProposal.get(p.id)?.has(c.id)));
      if (unscored.length) {
        blocker = "musrenbang.forum.unscored";
        blockerParams = { count: unscored.length, codes: unscored.slice(0, 5).map((p) => p.code).join(", ") };
      } else {
        ranked = rankProposals(
          candidates.map((p) => ({
            id: p.id,
            code: p.code,
            total: weightedTotal(criteria, byProposal.get(p.id)!),
            beneficiaries: p.beneficiaries,
            estimatedCost: p.cost,
            submittedAt: p.createdAt,
            p,
          })),
        );
        if (ranked.length) {
          next = await nextForum(tx, forum);
          if (!next) {
            blocker = "musrenbang.forum.nextMissing";
            blockerParams = { level: forum.level === "desa" ? "kecamatan" : "kabupaten", year: forum.fiscalYear };
          } else if (next.isLocked) {
            blocker = "musrenbang.forum.nextClosed";
            blockerParams = { name: next.name };
          }
        }
      }
    }
    if (blocker) throw new DomainError(blocker, blockerParams);

    const event = forum.transition("close", actor, { closeBlocker: null, scheduled: true });
    forum.attendeesTotal = total;
    forum.attendeesWomen = women;
    forum.signatories = signatories;
    forum.minutesNotes = (minutes.notes ?? "").trim().slice(0, 4000);
    forum.signedAt = now;

    if (forum.level === "desa" || forum.level === "kecamatan") {
      const quota = await quotaFor(tx, actor.tenant, forum.level);
      const { within, outside } = splitByQuota(ranked, quota);
      for (const r of within) {
        const from = r.p.status;
        const { event: ev } = r.p.apply(forum.level === "desa" ? "prioritise" : "forward", actor, { reason: "", target: "" });
        r.p.currentForumId = next!.id;
        record(recordStep(tx, r.p, { forum, action: forum.level === "desa" ? "prioritise" : "forward", from, event: ev, actor, at: now, details: { rank: r.rank, of: ranked.length, quota, total: r.total.toFixed(2), to: next!.name } }));
        outcome.moved++;
      }
      for (const r of outside) {
        const from = r.p.status;
        const { event: ev } = r.p.apply("deprioritise", actor, { reason: "", target: "" });
        record(recordStep(tx, r.p, { forum, action: "deprioritise", from, event: ev, actor, at: now, details: { rank: r.rank, of: ranked.length, quota, total: r.total.toFixed(2) } }));
        outcome.stayed++;
      }
      for (const r of ranked)
        await tx.execute(
          `insert into forum_entry (tenant_code, forum_id, proposal_id, total_score, rank, outcome) values (?, ?, ?, ?, ?, ?)`,
          [actor.tenant, forum.id, r.id, r.total.toFixed(2), r.rank, r.rank <= quota ? "moved_on" : "not_prioritised"],
        );
    } else if (forum.level === "kabupaten") {
      for (const p of inForum.filter((x) => x.status === "accepted")) {
        const from = p.status;
        const { event: ev } = p.apply("adopt", actor, { reason: "", target: "" });
        record(recordStep(tx, p, { forum, action: "adopt", from, event: ev, actor, at: now }));
        await tx.execute(`insert into forum_entry (tenant_code, forum_id, proposal_id, total_score, rank, outcome) values (?, ?, ?, null, null, 'adopted')`, [actor.tenant, forum.id, p.id]);
        outcome.adopted++;
      }
    }
    record({
      type: event,
      entityType: "Forum",
      entityId: forum.id,
      before: { status: "scoring" },
      after: { status: "closed", attendeesTotal: total, attendeesWomen: women, signatories, ...outcome },
    });
    return outcome;
  });
}

export { kabupatenForum };
