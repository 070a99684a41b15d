import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import { Forum, FINAL_STATUSES, Proposal, assertRunsForum, forumWorkspace } from "../../domain/musrenbang";
import { DomainError } from "../../domain/kernel/domain-error";
import { listOpds } from "../../domain/tenancy/queries";
import type { ForumTemplateData, TemplateProposal } from "./musrenbang";

/** The forum, after refusing (404, then 403) anyone but its own facilitators. */
export async function forumRunBy(em: EntityManager, actor: Actor, forumId: string): Promise<Forum> {
  const forum = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(forumId) ? await em.findOne(Forum, { id: forumId }) : null;
  if (!forum) throw new DomainError("musrenbang.forum.notFound", { id: forumId }, "notFound");
  await assertRunsForum(em, actor, forum);
  return forum;
}

/**
 * What writeForumTemplate needs for one forum: forumWorkspace() plus the fields its proposal rows
 * leave out (problem, bidang urusan, address, RT/RW, location) and the tenant's OPDs.
 * Who: the forum's own facilitators (403 otherwise).
 *
 * The template lists the proposals now in the forum except those whose path is over (withdrawn,
 * merged, not prioritised, …): nothing can be edited or scored on them.
 *
 * This is a query and belongs in domain/musrenbang/queries.ts (e.g. `forumSheet`); it lives here
 * until that file can take it.
 */
export async function forumTemplateData(db: EntityManager, actor: Actor, forumId: string, generatedAt = new Date()): Promise<ForumTemplateData> {
  const em = db.fork();
  em.setFilterParams("tenant", { tenant: actor.tenant });
  await forumRunBy(em, actor, forumId);
  const ws = await forumWorkspace(em, actor, forumId);
  const rows = ws.current.filter((p) => !FINAL_STATUSES.includes(p.status));
  const full = new Map((await em.find(Proposal, { id: { $in: rows.map((r) => r.id) } })).map((p) => [p.id, p]));
  const proposals: TemplateProposal[] = rows.map((r) => {
    const p = full.get(r.id)!;
    return {
      code: r.code,
      version: p.version,
      status: r.status,
      title: p.title,
      problem: p.problem,
      kind: p.kind,
      thematicGroup: p.thematicGroup,
      bidangUrusan: p.bidangUrusan,
      targetOpd: r.opdCode,
      address: p.address,
      rt: p.rt,
      rw: p.rw,
      lat: p.lat ?? null,
      lng: p.lng ?? null,
      volume: r.volume,
      unit: p.unit,
      estimatedCost: r.estimatedCost,
      beneficiaries: p.beneficiaries,
      scores: ws.scores[r.id] ?? {},
    };
  });
  const opds = (await listOpds(em)).map((o) => ({ code: o.code, name: o.name }));
  return {
    forum: { id: ws.forum.id, name: ws.forum.name, fiscalYear: ws.forum.fiscalYear, level: ws.forum.level, regionCode: ws.forum.regionCode, status: ws.forum.status },
    criteria: ws.criteria.map((c) => ({ code: c.code, name: c.name, description: c.description, weight: c.weight })),
    proposals,
    opds,
    generatedAt,
  };
}
