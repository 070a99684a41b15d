import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../kernel/pg";
import { D, Money } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { defineMachine } from "../kernel/machine";
import { parseKodeWilayah, wilayahWithin, isUuid } from "../kernel/codes";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Role } from "../identity/roles";
import { Opd } from "../tenancy/opd.entity";
import { ProposalEvent } from "../musrenbang/entities";
import { findInForce, setInForce } from "../nomenclature/sets";
import { goalServed } from "./rpjmd";
import type { DomainEvent } from "../kernel/events";

export const RENJA_STATUSES = ["rancangan_awal", "rancangan", "final"] as const;
export type RenjaStatus = (typeof RENJA_STATUSES)[number];
export const RENJA_ACTIONS = ["submit", "adopt", "revise"] as const;
export type RenjaAction = (typeof RENJA_ACTIONS)[number];

/**
 * A Renja's life (Permendagri 86/2017): rancangan awal → rancangan (submitted by the OPD) → final
 * (adopted with the RKPD by Perkada, by Bappeda). Final is locked; a change after that opens a revision
 * (final → rancangan, revision n+1, with a reason), and each adoption keeps a snapshot in renja_version.
 */
export const renjaMachine = defineMachine<RenjaStatus, RenjaAction, { blocker: string | null }, Role>(
  "planning.renja",
  RENJA_STATUSES,
  RENJA_ACTIONS,
  [
    { action: "submit", from: ["rancangan_awal"], to: "rancangan", roles: ["opd_officer", "bappeda_planner"], event: "RenjaSubmitted" },
    { action: "adopt", from: ["rancangan"], to: "final", roles: ["bappeda_planner"], guard: (c) => c.blocker, event: "RenjaAdopted" },
    { action: "revise", from: ["final"], to: "rancangan", roles: ["bappeda_planner"], guard: (c) => c.blocker, event: "RenjaRevisionOpened" },
  ],
);

async function opdByCode(tx: EntityManager, code: string) {
  const opd = await tx.findOne(Opd, { code });
  if (!opd) throw new DomainError("opd.unknown", { code }, "invalid", "opd");
  return opd;
}

async function ceilingRow(tx: EntityManager, tenant: string, year: number, opdId: string, lock: boolean) {
  const [r] = await tx.execute<{ amount: string; version: number }[]>(
    `select amount::text as amount, version from plan_ceiling where tenant_code = ? and fiscal_year = ? and opd_id = ?${lock ? " for update" : ""}`,
    [tenant, year, opdId],
  );
  return r ? { amount: Money.idr(r.amount), version: r.version } : null;
}

async function plannedSum(tx: EntityManager, tenant: string, year: number, opdId: string, except?: string): Promise<Money> {
  const [r] = await tx.execute<{ s: string }[]>(
    `select coalesce(sum(ceiling), 0)::text as s from sub_activity where tenant_code = ? and fiscal_year = ? and opd_id = ?${except ? " and id <> ?" : ""}`,
    except ? [tenant, year, opdId, except] : [tenant, year, opdId],
  );
  return Money.fromDecimal(new D(r.s).toFixed(2));
}

/**
 * Sets an OPD's indicative ceiling (pagu indikatif) for a year. Who: Bappeda. Refuses a ceiling below
 * what the OPD's sub-activities already plan. Emits PlanCeilingSet.
 */
export async function setPlanCeiling(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, opdCode: string, amountText: string): Promise<void> {
  assertCan(actor, "workspace.planning", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  const amount = Money.idr(String(amountText).trim());
  if (amount.isNegative()) throw new DomainError("planning.ceilingNegative", {}, "invalid", "amount");
  await transact(em, actor, clock, async (tx, record) => {
    const opd = await opdByCode(tx, opdCode);
    const before = await ceilingRow(tx, actor.tenant, year, opd.id, true);
    const planned = await plannedSum(tx, actor.tenant, year, opd.id);
    if (planned.exceeds(amount)) throw new DomainError("planning.ceilingBelowPlanned", { planned: planned.toString() }, "invalid", "amount");
    await tx.execute(
      `insert into plan_ceiling (tenant_code, fiscal_year, opd_id, amount, updated_at) values (?, ?, ?, ?, ?)
       on conflict (tenant_code, fiscal_year, opd_id) do update set amount = excluded.amount, version = plan_ceiling.version + 1, updated_at = excluded.updated_at`,
      [actor.tenant, year, opd.id, amount.toString(), clock.now()],
    );
    record({ type: "PlanCeilingSet", entityType: "Opd", entityId: opd.id, before: before ? { year, amount: before.amount.toString() } : null, after: { year, amount: amount.toString() } });
  });
}

/** Opens an OPD's Renja for a year (rancangan awal). Who: that OPD's officers, Bappeda. Emits RenjaOpened. */
export async function openRenja(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, opdCode: string): Promise<string> {
  const year = FiscalYear.of(yearInput).year;
  return transact(em, actor, clock, async (tx, record) => {
    const opd = await opdByCode(tx, opdCode);
    if (!actor.hasRole("bappeda_planner")) assertCan(actor, "workspace.opd", { tenant: actor.tenant, opd: opd.code });
    const [dup] = await tx.execute<{ id: string }[]>("select id from renja where tenant_code = ? and fiscal_year = ? and opd_id = ?", [actor.tenant, year, opd.id]);
    if (dup) throw new DomainError("planning.renjaExists", { year }, "conflict");
    const id = crypto.randomUUID();
    await tx.execute("insert into renja (id, tenant_code, fiscal_year, opd_id, status, created_at, updated_at) values (?, ?, ?, ?, 'rancangan_awal', ?, ?)", [id, actor.tenant, year, opd.id, clock.now(), clock.now()]);
    record({ type: "RenjaOpened", entityType: "Renja", entityId: id, after: { year, opd: opd.code } });
    return id;
  });
}

interface RenjaRow {
  id: string;
  tenant_code: string;
  fiscal_year: number;
  opd_id: string;
  status: RenjaStatus;
  revision: number;
  revision_reason: string;
  version: number;
  opd_code: string;
  opd_name: string;
}

async function loadRenja(tx: EntityManager, id: string, lock = false): Promise<RenjaRow> {
  if (!isUuid(id)) throw new DomainError("planning.renjaNotFound", {}, "notFound");
  const [r] = await tx.execute<RenjaRow[]>(
    `select r.*, o.code as opd_code, o.name as opd_name from renja r join opd o on o.id = r.opd_id where r.id = ?${lock ? " for update of r" : ""}`,
    [id],
  );
  if (!r) throw new DomainError("planning.renjaNotFound", {}, "notFound");
  return r;
}

/** The Renja locked for a change to its content: by its OPD's officers or Bappeda, and never once final. */
async function editableRenja(tx: EntityManager, actor: Actor, renjaId: string): Promise<RenjaRow> {
  const renja = await loadRenja(tx, renjaId, true);
  if (!actor.hasRole("bappeda_planner")) assertCan(actor, "workspace.opd", { tenant: actor.tenant, opd: renja.opd_code });
  else assertCan(actor, "workspace.planning", { tenant: actor.tenant });
  if (renja.status === "final") throw new DomainError("planning.renjaLocked");
  return renja;
}

export interface SubActivityInput {
  subKegiatan: string;
  target: string;
  unit?: string;
  locations: string[];
  ceiling: string;
  fundingSource: string;
  /** Ids of accepted Musrenbang proposals (or pokir) this sub-activity takes up. */
  proposals: string[];
  /** The RPJMD goal it serves, when its programme serves several (default: the first by code). */
  goal?: string;
}

export type SubActivityChange = Omit<SubActivityInput, "subKegiatan" | "proposals">;

export const FUNDING_SOURCES = ["PAD", "DAU", "DAK Fisik", "DAK Non-Fisik", "DBH", "DID", "Bantuan Keuangan Provinsi", "Pinjaman Daerah", "SiLPA"] as const;

/** The editable values of a sub-activity, validated together so that the form shows every problem at once. */
function parseValues(input: SubActivityChange) {
  const p = new Problems();
  const target = p.check("target", () => {
    const t = String(input.target ?? "").trim().replace(",", ".");
    if (!/^\d{1,14}(\.\d{1,4})?$/.test(t) || new D(t).lte(0)) throw new DomainError("planning.targetFormat");
    return new D(t).toFixed(4);
  });
  const ceiling = p.check("ceiling", () => Money.idr(String(input.ceiling ?? "").trim()));
  if (ceiling?.isNegative()) p.add("ceiling", "planning.ceilingNegative");
  if (!FUNDING_SOURCES.includes(input.fundingSource as never)) p.add("fundingSource", "planning.fundingSourceUnknown", { value: input.fundingSource });
  const locations = [...new Set(input.locations.map((l) => l.trim()).filter(Boolean))];
  if (locations.length === 0) p.add("locations", "planning.locationRequired");
  p.throwIfAny();
  return { target: target!, ceiling: ceiling!, fundingSource: input.fundingSource, locations, unit: (input.unit ?? "").trim() };
}

async function checkLocations(tx: EntityManager, actor: Actor, locations: string[]): Promise<void> {
  for (const l of locations) {
    const { code } = parseKodeWilayah(l, "locations");
    if (!wilayahWithin(code, actor.tenant)) throw new DomainError("region.outsideTenant", { code }, "invalid", "locations");
    const [exists] = await tx.execute<{ n: number }[]>("select 1 as n from region where code = ?", [code]);
    if (!exists) throw new DomainError("region.unknown", { code }, "invalid", "locations");
  }
}

/** The OPD's ceiling holds `requested` more on top of what its other sub-activities plan (the ceiling row is locked). */
async function checkCeiling(tx: EntityManager, actor: Actor, renja: RenjaRow, requested: Money, except?: string): Promise<void> {
  const limit = await ceilingRow(tx, actor.tenant, renja.fiscal_year, renja.opd_id, true);
  if (!limit) throw new DomainError("planning.noCeiling", { opd: renja.opd_name, year: renja.fiscal_year }, "invalid", "ceiling");
  const planned = await plannedSum(tx, actor.tenant, renja.fiscal_year, renja.opd_id, except);
  if (planned.plus(requested).exceeds(limit.amount))
    throw new DomainError("planning.ceilingExceeded", { limit: limit.amount.toString(), planned: planned.toString(), requested: requested.toString() }, "invalid", "ceiling");
}


function timeline(tx: EntityManager, actor: Actor, at: Date, proposal: { id: string; status: string }, action: "plan" | "unplan" | "leftOut", reason: string, details: Record<string, unknown>) {
  tx.create(ProposalEvent, {
    tenantCode: actor.tenant,
    proposalId: proposal.id,
    forumId: null,
    at,
    level: "kabupaten",
    action,
    fromStatus: proposal.status,
    toStatus: proposal.status,
    actorName: actor.displayName,
    reason,
    details,
  });
}

interface SubRow {
  id: string;
  renja_id: string;
  sub_kegiatan_code: string;
  name: string;
  version: number;
}

async function loadSub(tx: EntityManager, actor: Actor, subId: string, expectedVersion?: number): Promise<{ sub: SubRow; renja: RenjaRow }> {
  if (!isUuid(subId)) throw new DomainError("planning.subActivityNotFound", {}, "notFound");
  const [sub] = await tx.execute<SubRow[]>("select id, renja_id, sub_kegiatan_code, name, version from sub_activity where tenant_code = ? and id = ?", [actor.tenant, subId]);
  if (!sub) throw new DomainError("planning.subActivityNotFound", {}, "notFound");
  const renja = await editableRenja(tx, actor, sub.renja_id);
  if (expectedVersion !== undefined && sub.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return { sub, renja };
}

/**
 * Links a proposal to a sub-activity: it must be accepted or adopted for this OPD and year and not taken
 * up elsewhere; its public timeline then says where it went. Emits ProposalPlanned.
 */
async function takeUp(tx: EntityManager, actor: Actor, record: (e: DomainEvent) => void, renja: RenjaRow, sub: { id: string; code: string; name: string }, pid: string, at: Date) {
  const [pr] = await tx.execute<{ id: string; code: string; status: string; fiscal_year: number; target_opd_id: string; linked: string | null }[]>(
    `select p.id, p.code, p.status, p.fiscal_year, p.target_opd_id, (select sub_activity_id::text from sub_activity_proposal s where s.proposal_id = p.id) as linked
       from proposal p where p.tenant_code = ? and p.id = ?::uuid for update of p`,
    [actor.tenant, isUuid(pid) ? pid : "00000000-0000-0000-0000-000000000000"],
  );
  if (!pr) throw new DomainError("musrenbang.usulan.notFound", { id: pid }, "invalid", "proposals");
  if (!["accepted", "adopted"].includes(pr.status) || pr.fiscal_year !== renja.fiscal_year || pr.target_opd_id !== renja.opd_id)
    throw new DomainError("planning.proposalNotAdoptable", { code: pr.code }, "invalid", "proposals");
  if (pr.linked) throw new DomainError("planning.proposalTaken", { code: pr.code }, "conflict", "proposals");
  await tx.execute("insert into sub_activity_proposal (tenant_code, sub_activity_id, proposal_id, linked_at) values (?, ?, ?, ?)", [actor.tenant, sub.id, pr.id, at]);
  timeline(tx, actor, at, pr, "plan", "", { subKegiatan: `${sub.code} ${sub.name}`, opd: renja.opd_name, year: renja.fiscal_year, subActivityId: sub.id });
  record({ type: "ProposalPlanned", entityType: "Proposal", entityId: pr.id, after: { subActivity: sub.id, code: sub.code } });
}

/**
 * Adds a sub-activity to a Renja that is not final. The code must exist in the nomenclature in force
 * for the year and belong to a bidang urusan the OPD carries out; under an adopted RPJMD its programme
 * must serve one of the RPJMD's goals; locations lie in the tenant; the sum of the OPD's sub-activity
 * ceilings stays within its indicative ceiling (the ceiling row is locked, so two planners saving at
 * once cannot overrun it); each proposal taken up must be accepted or adopted for this OPD and year and
 * not taken up elsewhere — its public timeline then says where it went.
 * Who: that OPD's officers, Bappeda. Emits SubActivityAdded and ProposalPlanned per proposal.
 */
export async function addSubActivity(em: EntityManager, actor: Actor, clock: Clock, renjaId: string, input: SubActivityInput): Promise<string> {
  const v = parseValues(input);
  return transact(em, actor, clock, async (tx, record) => {
    const renja = await editableRenja(tx, actor, renjaId);
    await checkLocations(tx, actor, v.locations);
    const set = await setInForce(tx, "planning", renja.fiscal_year);
    const item = set ? await findInForce(tx, renja.fiscal_year, String(input.subKegiatan ?? "").trim()) : null;
    if (!set || !item || item.level !== "sub_kegiatan")
      throw new DomainError("planning.subKegiatanNotInForce", { code: input.subKegiatan, year: renja.fiscal_year }, "invalid", "subKegiatan");
    const bidang = item.code.split(".").slice(0, 2).join(".");
    const [carries] = await tx.execute<{ n: number }[]>("select 1 as n from opd_bidang where opd_id = ? and bidang_code = ?", [renja.opd_id, bidang]);
    if (!carries) throw new DomainError("planning.bidangNotCarried", { bidang, opd: renja.opd_name }, "invalid", "subKegiatan");
    const parents = item.code.split(".");
    const goal = await goalServed(tx, actor.tenant, renja.fiscal_year, parents.slice(0, 3).join("."), input.goal);
    await checkCeiling(tx, actor, renja, v.ceiling);
    const [dup] = await tx.execute<{ n: number }[]>("select 1 as n from sub_activity where renja_id = ? and sub_kegiatan_code = ?", [renja.id, item.code]);
    if (dup) throw new DomainError("planning.subActivityExists", { code: item.code }, "conflict", "subKegiatan");
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      `insert into sub_activity (id, tenant_code, renja_id, opd_id, fiscal_year, nomenclature_set_id, program_code, kegiatan_code, sub_kegiatan_code, name, indicator, target, unit, locations, ceiling, funding_source, rpjmd_goal_id, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?)`,
      [
        id, actor.tenant, renja.id, renja.opd_id, renja.fiscal_year, set.id, parents.slice(0, 3).join("."), parents.slice(0, 5).join("."), item.code, item.name,
        item.indicator || item.name, v.target, v.unit || item.unit || "-", pgArray(v.locations), v.ceiling.toString(), v.fundingSource, goal, now, now,
      ],
    );
    record({ type: "SubActivityAdded", entityType: "SubActivity", entityId: id, after: { renja: renja.id, code: item.code, ceiling: v.ceiling.toString(), target: v.target, locations: v.locations, fundingSource: v.fundingSource, goal } });
    for (const pid of [...new Set(input.proposals)]) await takeUp(tx, actor, record, renja, { id, code: item.code, name: item.name }, pid, now);
    return id;
  });
}

/**
 * Changes a sub-activity's target, unit, locations, ceiling, funding source or RPJMD goal while its
 * Renja is not final, rechecking the OPD's ceiling without counting the old amount. Refuses a stale
 * version. Who: that OPD's officers, Bappeda. Emits SubActivityChanged with what changed.
 */
export async function updateSubActivity(em: EntityManager, actor: Actor, clock: Clock, subId: string, input: SubActivityChange, expectedVersion: number): Promise<void> {
  const v = parseValues(input);
  await transact(em, actor, clock, async (tx, record) => {
    const { sub, renja } = await loadSub(tx, actor, subId, expectedVersion);
    const [before] = await tx.execute<{ target: string; unit: string; locations: string[]; ceiling: string; funding_source: string; program_code: string; rpjmd_goal_id: string | null }[]>(
      "select target::text as target, unit, locations, ceiling::text as ceiling, funding_source, program_code, rpjmd_goal_id from sub_activity where id = ?",
      [sub.id],
    );
    await checkLocations(tx, actor, v.locations);
    const goal = await goalServed(tx, actor.tenant, renja.fiscal_year, before.program_code, input.goal || before.rpjmd_goal_id || undefined);
    await checkCeiling(tx, actor, renja, v.ceiling, sub.id);
    const after = { target: v.target, unit: v.unit || before.unit, locations: v.locations, ceiling: v.ceiling.toString(), funding_source: v.fundingSource, rpjmd_goal_id: goal };
    const old = { target: new D(before.target).toFixed(4), unit: before.unit, locations: before.locations, ceiling: before.ceiling, funding_source: before.funding_source, rpjmd_goal_id: before.rpjmd_goal_id };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(old[k]));
    if (!changed.length) return;
    await tx.execute(
      "update sub_activity set target = ?, unit = ?, locations = ?::text[], ceiling = ?, funding_source = ?, rpjmd_goal_id = ?, version = version + 1, updated_at = ? where id = ?",
      [after.target, after.unit, pgArray(after.locations), after.ceiling, after.funding_source, goal, clock.now(), sub.id],
    );
    record({
      type: "SubActivityChanged",
      entityType: "SubActivity",
      entityId: sub.id,
      before: Object.fromEntries(changed.map((k) => [k, old[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    });
  });
}

/**
 * Removes a sub-activity from a Renja that is not final. The proposals it took up are released, and
 * their public timelines say so. Who: that OPD's officers, Bappeda. Emits SubActivityRemoved and
 * ProposalUnplanned per proposal.
 */
export async function removeSubActivity(em: EntityManager, actor: Actor, clock: Clock, subId: string, expectedVersion: number, reason: string): Promise<void> {
  const why = String(reason ?? "").trim();
  if (why.length < 5) throw new DomainError("planning.removeReasonRequired", {}, "invalid", "reason");
  await transact(em, actor, clock, async (tx, record) => {
    const { sub, renja } = await loadSub(tx, actor, subId, expectedVersion);
    const linked = await tx.execute<{ id: string; status: string }[]>(
      "select p.id, p.status from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = ?",
      [sub.id],
    );
    const now = clock.now();
    for (const p of linked) {
      timeline(tx, actor, now, p, "unplan", why, { subKegiatan: `${sub.sub_kegiatan_code} ${sub.name}`, opd: renja.opd_name, year: renja.fiscal_year });
      record({ type: "ProposalUnplanned", entityType: "Proposal", entityId: p.id, after: { subActivity: sub.id, reason: why } });
    }
    await tx.execute("delete from sub_activity_proposal where sub_activity_id = ?", [sub.id]);
    await tx.execute("delete from sub_activity where id = ?", [sub.id]);
    record({ type: "SubActivityRemoved", entityType: "SubActivity", entityId: sub.id, before: { renja: renja.id, code: sub.sub_kegiatan_code }, after: { reason: why } });
  });
}

/**
 * Reconciliation (Forum Perangkat Daerah): takes up one more accepted proposal in an existing
 * sub-activity, or releases one (with the reason, on its public timeline). Who: that OPD's officers,
 * Bappeda; not once the Renja is final. Emits ProposalPlanned / ProposalUnplanned.
 */
export async function linkProposal(em: EntityManager, actor: Actor, clock: Clock, subId: string, proposalId: string): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const { sub, renja } = await loadSub(tx, actor, subId);
    await takeUp(tx, actor, record, renja, { id: sub.id, code: sub.sub_kegiatan_code, name: sub.name }, proposalId, clock.now());
  });
}

export async function unlinkProposal(em: EntityManager, actor: Actor, clock: Clock, subId: string, proposalId: string, reason: string): Promise<void> {
  const why = String(reason ?? "").trim();
  if (why.length < 5) throw new DomainError("planning.removeReasonRequired", {}, "invalid", "reason");
  await transact(em, actor, clock, async (tx, record) => {
    const { sub, renja } = await loadSub(tx, actor, subId);
    const [p] = await tx.execute<{ id: string; status: string }[]>(
      "select p.id, p.status from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = ? and x.proposal_id::text = ?",
      [sub.id, String(proposalId)],
    );
    if (!p) throw new DomainError("planning.proposalNotLinked", {}, "invalid", "proposals");
    await tx.execute("delete from sub_activity_proposal where sub_activity_id = ? and proposal_id = ?", [sub.id, p.id]);
    timeline(tx, actor, clock.now(), p, "unplan", why, { subKegiatan: `${sub.sub_kegiatan_code} ${sub.name}`, opd: renja.opd_name, year: renja.fiscal_year });
    record({ type: "ProposalUnplanned", entityType: "Proposal", entityId: p.id, after: { subActivity: sub.id, reason: why } });
  });
}

/** Accepted proposals of the OPD and year that no sub-activity takes up and that were not already marked left out since their last change. */
async function notTakenUp(tx: EntityManager, tenant: string, renja: RenjaRow) {
  return tx.execute<{ id: string; status: string }[]>(
    `select p.id, p.status from proposal p where p.tenant_code = ? and p.fiscal_year = ? and p.target_opd_id = ? and p.status in ('accepted','adopted')
       and not exists (select 1 from sub_activity_proposal s where s.proposal_id = p.id)
       and coalesce((select e.action from proposal_event e where e.proposal_id = p.id and e.action in ('plan','unplan','leftOut') order by e.id desc limit 1), '') <> 'leftOut'`,
    [tenant, renja.fiscal_year, renja.opd_id],
  );
}

/**
 * Moves a Renja on: submit (OPD), adopt (Bappeda, when the RKPD is set by Perkada), or revise (Bappeda:
 * reopens a final Renja as revision n+1, with a reason). Adopting locks it and keeps a snapshot of what
 * was adopted (renja_version); every proposal accepted for this OPD and year that no sub-activity took up
 * is marked on its public timeline as left out, with the reason given. Emits RenjaSubmitted /
 * RenjaAdopted / RenjaRevisionOpened and ProposalLeftOut.
 */
export async function moveRenja(em: EntityManager, actor: Actor, clock: Clock, renjaId: string, action: RenjaAction, reasonText = ""): Promise<{ leftOut: number }> {
  return transact(em, actor, clock, async (tx, record) => {
    const renja = await loadRenja(tx, renjaId, true);
    if (action === "submit" && !actor.hasRole("bappeda_planner")) assertCan(actor, "workspace.opd", { tenant: actor.tenant, opd: renja.opd_code });
    if (action !== "submit") assertCan(actor, "workspace.planning", { tenant: actor.tenant });
    const reason = reasonText.trim();
    const left = action === "adopt" ? await notTakenUp(tx, actor.tenant, renja) : [];
    const blocker =
      action === "adopt" && left.length && reason.length < 10 ? "planning.leftOutReasonRequired" : action === "revise" && reason.length < 10 ? "planning.revisionReasonRequired" : null;
    const { to, event } = renjaMachine.fire(renja.status, action, actor, { blocker });
    const revision = action === "revise" ? renja.revision + 1 : renja.revision;
    await tx.execute("update renja set status = ?, revision = ?, revision_reason = ?, version = version + 1, updated_at = ? where id = ?", [
      to, revision, action === "revise" ? reason : renja.revision_reason, clock.now(), renja.id,
    ]);
    record({ type: event, entityType: "Renja", entityId: renja.id, before: { status: renja.status, revision: renja.revision }, after: { status: to, revision, ...(action === "revise" ? { reason } : {}) } });
    for (const p of left) {
      timeline(tx, actor, clock.now(), p, "leftOut", reason, { opd: renja.opd_name, year: renja.fiscal_year });
      record({ type: "ProposalLeftOut", entityType: "Proposal", entityId: p.id, after: { renja: renja.id, reason } });
    }
    if (to === "final") {
      const snap = await snapshot(tx, renja);
      await tx.execute(
        "insert into renja_version (tenant_code, renja_id, revision, adopted_at, adopted_by, reason, ceiling, total, snapshot) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
        [actor.tenant, renja.id, revision, clock.now(), actor.displayName, renja.revision_reason, snap.ceiling, snap.total, JSON.stringify(snap.subs)],
      );
    }
    return { leftOut: left.length };
  });
}

export interface SnapshotSub {
  code: string;
  name: string;
  indicator: string;
  target: string;
  unit: string;
  locations: string[];
  ceiling: string;
  fundingSource: string;
  proposals: string[];
}

async function snapshot(tx: EntityManager, renja: RenjaRow): Promise<{ ceiling: string | null; total: string; subs: SnapshotSub[] }> {
  const subs = await tx.execute<SnapshotSub[]>(
    `select s.sub_kegiatan_code as code, s.name, s.indicator, s.target::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source as "fundingSource",
            coalesce((select array_agg(p.code order by p.code) from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '{}') as proposals
       from sub_activity s where s.renja_id = ? order by s.sub_kegiatan_code`,
    [renja.id],
  );
  const limit = await ceilingRow(tx, renja.tenant_code, renja.fiscal_year, renja.opd_id, false);
  return { ceiling: limit?.amount.toString() ?? null, total: Money.sum(subs.map((s) => Money.idr(s.ceiling))).toString(), subs: subs.map((s) => ({ ...s, target: new D(s.target).toFixed() })) };
}

/** Every adopted version of a Renja, oldest first, each with its snapshot. */
export async function renjaVersions(em: EntityManager, renjaId: string) {
  const rows = await em.execute<{ revision: number; adopted_at: Date; adopted_by: string; reason: string; ceiling: string | null; total: string; snapshot: SnapshotSub[] }[]>(
    "select revision, adopted_at, adopted_by, reason, ceiling::text as ceiling, total::text as total, snapshot from renja_version where renja_id = ? order by revision",
    [renjaId],
  );
  return rows.map((r) => ({ ...r, adoptedAt: new Date(r.adopted_at).toISOString() }));
}

/** A Renja with its sub-activities (with their RPJMD goal) and the proposals behind each. */
export async function renjaDetail(em: EntityManager, renjaId: string) {
  const renja = await loadRenja(em, renjaId);
  const subs = await em.execute<{
    id: string;
    version: number;
    sub_kegiatan_code: string;
    name: string;
    indicator: string;
    target: string;
    unit: string;
    locations: string[];
    ceiling: string;
    funding_source: string;
    goal: string | null;
    proposals: { id: string; code: string; title: string }[];
  }[]>(
    `select s.id, s.version, s.sub_kegiatan_code, s.name, s.indicator, s.target::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source,
            (select g.code || ' ' || g.text from rpjmd_goal g where g.id = s.rpjmd_goal_id) as goal,
            coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                        from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '[]'::json) as proposals
       from sub_activity s where s.renja_id = ? order by s.sub_kegiatan_code`,
    [renja.id],
  );
  const limit = await ceilingRow(em, renja.tenant_code, renja.fiscal_year, renja.opd_id, false);
  const total = Money.sum(subs.map((s) => Money.idr(s.ceiling)));
  return { renja, subs: subs.map((s) => ({ ...s, target: new D(s.target).toFixed() })), ceiling: limit?.amount.toString() ?? null, planned: total.toString() };
}
