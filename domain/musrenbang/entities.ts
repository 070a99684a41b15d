import { defineEntity, p, type Opt } from "@mikro-orm/core";
import { tenantFilter, tenantOwnedProperties } from "../kernel/tenant-owned";
import { DomainError } from "../kernel/domain-error";
import { Money } from "../kernel/money";
import { MoneyType } from "../kernel/money.type";
import type { Actor } from "../identity/actor";
import { forumMachine, proposalMachine, type ForumAction, type ForumCtx, type ProposalAction, type ProposalCtx } from "./machines";
import { FORUM_LEVELS, FORUM_STATUSES, KINDS, PROPOSAL_STATUSES, SCORED_LEVELS, SOURCES, THEMATIC_GROUPS, type ProposalStatus } from "./vocabulary";

const ForumSchema = defineEntity({
  name: "Forum",
  tableName: "forum",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    ...tenantOwnedProperties(),
    fiscalYear: p.smallint(),
    level: p.enum([...FORUM_LEVELS]),
    regionCode: p.string(),
    opdId: p.uuid().nullable(),
    name: p.string(),
    status: p.enum([...FORUM_STATUSES]).default("planned"),
    opensAt: p.datetime().nullable(),
    closesAt: p.datetime().nullable(),
    venue: p.string().default(""),
    attendeesTotal: p.integer().nullable(),
    attendeesWomen: p.integer().nullable(),
    signatories: p.json<{ name: string; position: string }[]>().default([]),
    minutesNotes: p.text().default(""),
    signedAt: p.datetime().nullable(),
  },
});

/** A Musrenbang forum of one level and fiscal year. Its status changes only through forumMachine. */
export class Forum extends ForumSchema.class {
  /** Applies a lifecycle action; returns the event name. */
  transition(action: ForumAction, actor: Actor, ctx: ForumCtx): string {
    const { to, event } = forumMachine.fire(this.status, action, actor, ctx);
    this.status = to;
    return event;
  }
  get isLocked(): Opt & boolean {
    return this.status === "closed";
  }
  assertStatus(...allowed: (typeof FORUM_STATUSES)[number][]): void {
    if (!allowed.includes(this.status)) throw new DomainError("musrenbang.forum.wrongStatus", { status: this.status, allowed: allowed.join(", ") });
  }
}
ForumSchema.setClass(Forum);

const ProposalSchema = defineEntity({
  name: "Proposal",
  tableName: "proposal",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    ...tenantOwnedProperties(),
    code: p.string(),
    fiscalYear: p.smallint(),
    source: p.enum([...SOURCES]),
    originForumId: p.uuid(),
    currentForumId: p.uuid(),
    title: p.string(),
    problem: p.text(),
    kind: p.enum([...KINDS]),
    thematicGroup: p.enum([...THEMATIC_GROUPS]),
    bidangUrusan: p.string(),
    targetOpdId: p.uuid(),
    originalOpdId: p.uuid(),
    desaCode: p.string(),
    kecamatanCode: p.string(),
    address: p.string().default(""),
    rt: p.string().default(""),
    rw: p.string().default(""),
    lat: p.decimal("string").precision(9).scale(6).nullable(),
    lng: p.decimal("string").precision(9).scale(6).nullable(),
    volume: p.decimal("string").precision(18).scale(4),
    unit: p.string(),
    estimatedCost: p.type(MoneyType),
    beneficiaries: p.integer(),
    proposer: p.string().default(""),
    status: p.enum([...PROPOSAL_STATUSES]),
    mergedIntoId: p.uuid().nullable(),
    reason: p.text().default(""),
    proposedSubKegiatan: p.text().default(""),
    createdBy: p.string(),
  },
});

/** A proposal (usulan). Its status changes only through proposalMachine, here. */
export class Proposal extends ProposalSchema.class {
  /** Applies one action; returns the event name and the statuses either side. */
  apply(action: ProposalAction, actor: Actor, ctx: ProposalCtx): { event: string; from: ProposalStatus; to: ProposalStatus } {
    const from = this.status;
    const { to, event } = proposalMachine.fire(from, action, actor, ctx);
    this.status = to;
    if (ctx.reason) this.reason = ctx.reason;
    return { event, from, to };
  }
  get cost(): Opt & Money {
    return this.estimatedCost as unknown as Money;
  }
}
ProposalSchema.setClass(Proposal);

const CriterionSchema = defineEntity({
  name: "ScoringCriterion",
  tableName: "scoring_criterion",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    tenantCode: p.string(),
    level: p.enum([...SCORED_LEVELS]),
    code: p.string(),
    name: p.string(),
    description: p.string().default(""),
    weight: p.decimal("string").precision(5).scale(2),
    sortOrder: p.integer().default(0),
  },
});
export class ScoringCriterion extends CriterionSchema.class {}
CriterionSchema.setClass(ScoringCriterion);

const EventSchema = defineEntity({
  name: "ProposalEvent",
  tableName: "proposal_event",
  filters: tenantFilter,
  properties: {
    id: p.bigint("string").primary().autoincrement(),
    tenantCode: p.string(),
    proposalId: p.uuid(),
    forumId: p.uuid().nullable(),
    at: p.datetime(),
    level: p.string(),
    action: p.string(),
    fromStatus: p.string().nullable(),
    toStatus: p.string(),
    actorName: p.string(),
    reason: p.text().default(""),
    details: p.json<Record<string, unknown>>(),
  },
});
/** One step of a proposal's public timeline: what happened, at which level, by whom, and why. */
export class ProposalEvent extends EventSchema.class {}
EventSchema.setClass(ProposalEvent);

export { ForumSchema, ProposalSchema, CriterionSchema, EventSchema };
