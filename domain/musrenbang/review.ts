import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { Opd } from "../tenancy/opd.entity";
import { Proposal } from "./entities";
import { assertRunsForum, loadForum, loadProposal, recordStep } from "./support";

const text = (v: unknown) => String(v ?? "").trim();

async function opdCodeOf(em: EntityManager, id: string): Promise<string | null> {
  return (await em.findOne(Opd, { id }))?.code ?? null;
}

/** Loads a proposal in its kecamatan forum, for that forum's facilitators, while the forum is open. */
async function atOpenKecamatanForum(tx: EntityManager, actor: Actor, id: string, expectedVersion: number, allowScoring = false) {
  const p = await loadProposal(tx, id, expectedVersion);
  const forum = await loadForum(tx, p.currentForumId);
  if (forum.level !== "kecamatan") throw new DomainError("musrenbang.usulan.notAtKecamatan");
  await assertRunsForum(tx, actor, forum);
  if (!(forum.status === "open" || (allowScoring && forum.status === "scoring"))) throw new DomainError("musrenbang.forum.notOpen", { status: forum.status });
  return { p, forum };
}

/** The kecamatan forum checks a proposal is complete and in order. Who: its facilitators. Emits ProposalVerified. */
export async function verifyProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const { p, forum } = await atOpenKecamatanForum(tx, actor, id, expectedVersion);
    const { event, from } = p.apply("verify", actor, { reason: "", target: "" });
    record(recordStep(tx, p, { forum, action: "verify", from, event, actor, at: clock.now() }));
  });
}

/**
 * Rejects a proposal with a reason the village will read on the public tracker. Who: the kecamatan
 * forum's facilitators (escalated or verified proposals, while the forum is open or scoring), or an
 * officer of the target OPD (proposals in OPD review, before the kabupaten forum closes).
 * Emits ProposalRejected.
 */
export async function rejectProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, reason: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, id, expectedVersion);
    const forum = await loadForum(tx, p.currentForumId);
    if (p.status === "opd_review") {
      assertCan(actor, "musrenbang.opd.verify", { tenant: actor.tenant, opd: await opdCodeOf(tx, p.targetOpdId) });
      if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
    } else {
      await assertRunsForum(tx, actor, forum);
      if (forum.status !== "open" && forum.status !== "scoring") throw new DomainError("musrenbang.forum.notOpen", { status: forum.status });
    }
    const r = text(reason).slice(0, 2000);
    const { event, from } = p.apply("reject", actor, { reason: r, target: "" });
    record(recordStep(tx, p, { forum, action: "reject", from, event, actor, at: clock.now(), reason: r, details: p.status === "rejected" && from === "opd_review" ? { by: "opd" } : { by: "kecamatan" } }));
  });
}

/**
 * Merges a duplicate into another proposal of the same kecamatan forum. Both keep their histories: the
 * merged one ends as "merged into X", and X's timeline shows what it absorbed. Who: the forum's
 * facilitators, while it is open. Emits ProposalMerged.
 */
export async function mergeProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, intoId: string, reason: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const { p, forum } = await atOpenKecamatanForum(tx, actor, id, expectedVersion);
    if (id === intoId) throw new DomainError("musrenbang.usulan.mergeSelf", {}, "invalid", "into");
    const into = await tx.findOne(Proposal, { id: intoId });
    if (!into || into.currentForumId !== forum.id || !["escalated", "verified"].includes(into.status))
      throw new DomainError("musrenbang.usulan.mergeTargetInvalid", {}, "invalid", "into");
    const { event, from } = p.apply("merge", actor, { reason: text(reason), target: into.id });
    p.mergedIntoId = into.id;
    const at = clock.now();
    record(recordStep(tx, p, { forum, action: "merge", from, event, actor, at, reason: text(reason), details: { into: into.code, intoId: into.id } }));
    record(recordStep(tx, into, { forum, action: "absorb", from: into.status, event: "ProposalAbsorbedDuplicate", actor, at, reason: text(reason), details: { from: p.code, fromId: p.id } }));
    into.updatedAt = at;
  });
}

/** Marks two proposals flagged as likely duplicates as distinct, so they are no longer flagged. Who: kecamatan facilitators. */
export async function keepBothProposals(em: EntityManager, actor: Actor, clock: Clock, aId: string, bId: string): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const a = await loadProposal(tx, aId);
    const b = await loadProposal(tx, bId);
    const forum = await loadForum(tx, a.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (b.currentForumId !== forum.id) throw new DomainError("musrenbang.usulan.mergeTargetInvalid");
    const [x, y] = a.id < b.id ? [a, b] : [b, a];
    await tx.execute(
      "insert into duplicate_dismissal (tenant_code, proposal_a, proposal_b, dismissed_by) values (?, ?, ?, ?) on conflict do nothing",
      [actor.tenant, x.id, y.id, actor.username],
    );
    record({ type: "DuplicateDismissed", entityType: "Proposal", entityId: x.id, after: { a: x.code, b: y.code } });
  });
}

async function inOpdReview(tx: EntityManager, actor: Actor, id: string, expectedVersion: number) {
  const p = await loadProposal(tx, id, expectedVersion);
  const forum = await loadForum(tx, p.currentForumId);
  assertCan(actor, "musrenbang.opd.verify", { tenant: actor.tenant, opd: await opdCodeOf(tx, p.targetOpdId) });
  if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
  return { p, forum };
}

/**
 * The target OPD accepts a proposal, naming the sub-activity it proposes to fund it through. Who: an
 * officer of the target OPD. Emits ProposalAcceptedByOpd.
 */
export async function acceptProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, subKegiatan: string, note: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const { p, forum } = await inOpdReview(tx, actor, id, expectedVersion);
    const sk = text(subKegiatan).slice(0, 300);
    const { event, from } = p.apply("accept", actor, { reason: text(note), target: sk });
    p.proposedSubKegiatan = sk;
    record(recordStep(tx, p, { forum, action: "accept", from, event, actor, at: clock.now(), reason: text(note), details: { subKegiatan: sk } }));
  });
}

/**
 * Sends a proposal to the OPD that should handle it, keeping the original target on record. Who: an
 * officer of the current target OPD, or Bappeda. Emits ProposalTransferred.
 */
export async function transferProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, opdCode: string, reason: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, id, expectedVersion);
    const forum = await loadForum(tx, p.currentForumId);
    const current = await opdCodeOf(tx, p.targetOpdId);
    if (!actor.hasRole("bappeda_planner")) assertCan(actor, "musrenbang.opd.verify", { tenant: actor.tenant, opd: current });
    else assertCan(actor, "musrenbang.forum.kabupaten", { tenant: actor.tenant });
    if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
    const to = await tx.findOne(Opd, { code: text(opdCode) });
    if (!to) throw new DomainError("opd.unknown", { code: opdCode }, "invalid", "opd");
    if (to.id === p.targetOpdId) throw new DomainError("musrenbang.usulan.sameOpd", {}, "invalid", "opd");
    const { event, from } = p.apply("transfer", actor, { reason: text(reason), target: to.id });
    p.targetOpdId = to.id;
    p.updatedAt = clock.now();
    record(recordStep(tx, p, { forum, action: "transfer", from, event, actor, at: clock.now(), reason: text(reason), details: { from: current, to: to.code, toName: to.name } }));
  });
}

/** The kabupaten forum leaves an accepted proposal out of the final results, with a reason. Who: Bappeda. */
export async function notAdoptProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, reason: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, id, expectedVersion);
    const forum = await loadForum(tx, p.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
    const { event, from } = p.apply("notAdopt", actor, { reason: text(reason), target: "" });
    record(recordStep(tx, p, { forum, action: "notAdopt", from, event, actor, at: clock.now(), reason: text(reason) }));
  });
}
