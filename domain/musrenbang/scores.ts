import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { ScoringCriterion } from "./entities";
import { checkScore, checkWeights } from "./scoring";
import { assertRunsForum, criteriaFor, isScoredLevel, loadForum, loadProposal } from "./support";
import { SCORED_LEVELS, type ScoredLevel } from "./vocabulary";

/** Which proposals a forum scores: desa — submitted; kecamatan — verified; kabupaten — accepted. */
export const SCORED_STATUS: Record<ScoredLevel, string> = { desa: "submitted", kecamatan: "verified", kabupaten: "accepted" };

/**
 * Enters one proposal's scores (1–5 per criterion, by criterion code) while the forum is scoring.
 * Who: the forum's facilitators. Emits ProposalScored with the scores before and after.
 */
export async function scoreProposal(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  forumId: string,
  proposalId: string,
  scores: Record<string, unknown>,
): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const forum = await loadForum(tx, forumId);
    await assertRunsForum(tx, actor, forum);
    if (!isScoredLevel(forum.level)) throw new DomainError("musrenbang.forum.notScored");
    if (forum.status !== "scoring") throw new DomainError("musrenbang.forum.notScoring", { status: forum.status });
    const p = await loadProposal(tx, proposalId);
    if (p.currentForumId !== forum.id || p.status !== SCORED_STATUS[forum.level]) throw new DomainError("musrenbang.score.notCandidate", { code: p.code });
    const criteria = await criteriaFor(tx, actor.tenant, forum.level);
    const problems = new Problems();
    const values = new Map<string, number>();
    for (const c of criteria) {
      const v = problems.check(`score.${c.code}`, () => checkScore(scores[c.code], `score.${c.code}`));
      if (v !== undefined) values.set(c.id, v);
    }
    problems.throwIfAny();
    const before = await tx.execute<{ criterion_id: string; score: number }[]>(
      "select criterion_id, score from proposal_score where forum_id = ? and proposal_id = ?",
      [forum.id, p.id],
    );
    for (const c of criteria)
      await tx.execute(
        `insert into proposal_score (tenant_code, forum_id, proposal_id, criterion_id, score, scored_by, scored_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (forum_id, proposal_id, criterion_id) do update set score = excluded.score, scored_by = excluded.scored_by, scored_at = excluded.scored_at`,
        [actor.tenant, forum.id, p.id, c.id, values.get(c.id)!, actor.username, clock.now()],
      );
    const byCode = (rows: { criterion_id: string; score: number }[]) =>
      Object.fromEntries(criteria.map((c) => [c.code, rows.find((r) => r.criterion_id === c.id)?.score ?? null]));
    record({
      type: "ProposalScored",
      entityType: "Proposal",
      entityId: p.id,
      before: before.length ? byCode(before) : null,
      after: Object.fromEntries(criteria.map((c) => [c.code, values.get(c.id)!])),
    });
  });
}

export interface CriterionInput {
  code: string;
  name: string;
  description?: string;
  weight: string;
}

/**
 * Sets a level's scoring criteria and weights for the tenant (weights must add up to exactly 100), and
 * its quota. A criterion already used by scores cannot be removed. Who: admin, Bappeda.
 * Emits ScoringCriteriaConfigured.
 */
export async function configureScoring(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  level: string,
  input: { criteria: CriterionInput[]; quota: string | number },
): Promise<void> {
  assertCan(actor, "musrenbang.configure", { tenant: actor.tenant });
  const lvl = SCORED_LEVELS.find((l) => l === level);
  if (!lvl) throw new DomainError("musrenbang.forum.levelUnknown", { level });
  const problems = new Problems();
  const criteria = input.criteria
    .map((c) => ({ code: String(c.code ?? "").trim().toLowerCase(), name: String(c.name ?? "").trim(), description: String(c.description ?? "").trim(), weight: String(c.weight ?? "").trim().replace(",", ".") }))
    .filter((c) => c.code || c.name || c.weight);
  criteria.forEach((c, i) => {
    if (!/^[a-z][a-z0-9_]{1,30}$/.test(c.code)) problems.add(`criteria.${i}.code`, "musrenbang.criteria.codeFormat");
    if (!c.name) problems.add(`criteria.${i}.name`, "musrenbang.criteria.nameRequired");
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(c.weight)) problems.add(`criteria.${i}.weight`, "musrenbang.criteria.weightRange");
  });
  if (new Set(criteria.map((c) => c.code)).size !== criteria.length) problems.add("criteria", "musrenbang.criteria.duplicateCode");
  problems.throwIfAny();
  checkWeights(criteria.map((c) => c.weight));
  const quota = Number(String(input.quota).trim());
  if (!Number.isInteger(quota) || quota < 1 || quota > 1000) throw new DomainError("musrenbang.quota.invalid", { quota: input.quota }, "invalid", "quota");
  await transact(em, actor, clock, async (tx, record) => {
    const existing = await tx.find(ScoringCriterion, { level: lvl });
    const before = existing.map((c) => ({ code: c.code, weight: c.weight }));
    for (const old of existing.filter((e) => !criteria.some((c) => c.code === e.code))) {
      const [{ n }] = await tx.execute<{ n: string }[]>("select count(*)::text as n from proposal_score where criterion_id = ?", [old.id]);
      if (n !== "0") throw new DomainError("musrenbang.criteria.inUse", { code: old.code }, "invalid", "criteria");
      tx.remove(old);
    }
    criteria.forEach((c, i) => {
      const found = existing.find((e) => e.code === c.code);
      if (found) Object.assign(found, { name: c.name, description: c.description, weight: c.weight, sortOrder: i });
      else tx.create(ScoringCriterion, { tenantCode: actor.tenant, level: lvl, sortOrder: i, ...c });
    });
    await tx.execute(
      `insert into musrenbang_setting (tenant_code, level, quota) values (?, ?, ?)
       on conflict (tenant_code, level) do update set quota = excluded.quota, version = musrenbang_setting.version + 1, updated_at = now()`,
      [actor.tenant, lvl, quota],
    );
    record({ type: "ScoringCriteriaConfigured", entityType: "MusrenbangSetting", entityId: `${actor.tenant}:${lvl}`, before: { criteria: before }, after: { criteria: criteria.map((c) => ({ code: c.code, weight: c.weight })), quota } });
  });
}

export { assertRunsForum };
