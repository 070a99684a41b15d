import type { EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { defineMachine } from "../kernel/machine";
import { parseKodeWilayah, wilayahWithin } from "../kernel/codes";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Role } from "../identity/roles";
import { Opd } from "../tenancy/opd.entity";
import { ProposalEvent } from "../musrenbang/entities";
import { findInForce, setInForce } from "../nomenclature/sets";

export const RENJA_STATUSES = ["rancangan_awal", "rancangan", "final"] as const;
export type RenjaStatus = (typeof RENJA_STATUSES)[number];
export const RENJA_ACTIONS = ["submit", "adopt"] as const;

/**
 * A Renja's life (Permendagri 86/2017): rancangan awal → rancangan (submitted by the OPD) → final
 * (adopted with the RKPD by Perkada, by Bappeda). Final is locked; later changes are a revision.
 */
export const renjaMachine = defineMachine<RenjaStatus, (typeof RENJA_ACTIONS)[number], { blocker: string | null }, Role>(
  "planning.renja",
  RENJA_STATUSES,
  RENJA_ACTIONS,
  [
    { action: "submit", from: ["rancangan_awal"], to: "rancangan", roles: ["opd_officer", "bappeda_planner"], event: "RenjaSubmitted" },
    { action: "adopt", from: ["rancangan"], to: "final", roles: ["bappeda_planner"], guard: (c) => c.blocker, event: "RenjaAdopted" },
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

async function loadRenja(tx: EntityManager, id: string, lock = false) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError("planning.renjaNotFound", {}, "notFound");
  const [r] = await tx.execute<{ id: string; tenant_code: string; fiscal_year: number; opd_id: string; status: RenjaStatus; version: number; opd_code: string; opd_name: string }[]>(
    `select r.*, o.code as opd_code, o.name as opd_name from renja r join opd o on o.id = r.opd_id where r.id = ?${lock ? " for update of r" : ""}`,
    [id],
  );
  if (!r) throw new DomainError("planning.renjaNotFound", {}, "notFound");
  return r;
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
}

export const FUNDING_SOURCES = ["PAD", "DAU", "DAK Fisik", "DAK Non-Fisik", "DBH", "DID", "Bantuan Keuangan Provinsi", "Pinjaman Daerah", "SiLPA"] as const;

/**
 * Adds a sub-activity to a Renja that is not final. The code must exist in the nomenclature in force
 * for the year and belong to a bidang urusan the OPD carries out; locations lie in the tenant; the sum of
 * the OPD's sub-activity ceilings stays within its indicative ceiling (the ceiling row is locked, so two
 * planners saving at once cannot overrun it); each proposal taken up must be accepted or adopted for
 * this OPD and year and not taken up elsewhere — its public timeline then says where it went.
 * Who: that OPD's officers, Bappeda. Emits SubActivityAdded and ProposalPlanned per proposal.
 */
export async function addSubActivity(em: EntityManager, actor: Actor, clock: Clock, renjaId: string, input: SubActivityInput): Promise<string> {
  const p = new Problems();
  const target = p.check("target", () => {
    const t = String(input.target ?? "").trim().replace(",", ".");
    if (!/^\d{1,14}(\.\d{1,4})?$/.test(t) || new D(t).lte(0)) throw new DomainError("planning.targetFormat");
    return new D(t).toFixed(4);
  });
  const ceiling = p.check("ceiling", () => Money.idr(String(input.ceiling ?? "").trim()));
  if (!FUNDING_SOURCES.includes(input.fundingSource as never)) p.add("fundingSource", "planning.fundingSourceUnknown", { value: input.fundingSource });
  const locations = [...new Set(input.locations.map((l) => l.trim()).filter(Boolean))];
  if (locations.length === 0) p.add("locations", "planning.locationRequired");
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    const renja = await loadRenja(tx, renjaId, true);
    if (!actor.hasRole("bappeda_planner")) assertCan(actor, "workspace.opd", { tenant: actor.tenant, opd: renja.opd_code });
    else assertCan(actor, "workspace.planning", { tenant: actor.tenant });
    if (renja.status === "final") throw new DomainError("planning.renjaLocked");
    for (const l of locations) {
      const { code } = parseKodeWilayah(l, "locations");
      if (!wilayahWithin(code, actor.tenant)) throw new DomainError("region.outsideTenant", { code }, "invalid", "locations");
      const [exists] = await tx.execute<{ n: number }[]>("select 1 as n from region where code = ?", [code]);
      if (!exists) throw new DomainError("region.unknown", { code }, "invalid", "locations");
    }
    const set = await setInForce(tx, "planning", renja.fiscal_year);
    const item = set ? await findInForce(tx, renja.fiscal_year, String(input.subKegiatan ?? "").trim()) : null;
    if (!set || !item || item.level !== "sub_kegiatan")
      throw new DomainError("planning.subKegiatanNotInForce", { code: input.subKegiatan, year: renja.fiscal_year }, "invalid", "subKegiatan");
    const bidang = item.code.split(".").slice(0, 2).join(".");
    const [carries] = await tx.execute<{ n: number }[]>("select 1 as n from opd_bidang where opd_id = ? and bidang_code = ?", [renja.opd_id, bidang]);
    if (!carries) throw new DomainError("planning.bidangNotCarried", { bidang, opd: renja.opd_name }, "invalid", "subKegiatan");
    const limit = await ceilingRow(tx, actor.tenant, renja.fiscal_year, renja.opd_id, true);
    if (!limit) throw new DomainError("planning.noCeiling", { opd: renja.opd_name, year: renja.fiscal_year }, "invalid", "ceiling");
    const planned = await plannedSum(tx, actor.tenant, renja.fiscal_year, renja.opd_id);
    const after = planned.plus(ceiling!);
    if (after.exceeds(limit.amount))
      throw new DomainError("planning.ceilingExceeded", { limit: limit.amount.toString(), planned: planned.toString(), requested: ceiling!.toString() }, "invalid", "ceiling");
    const [dup] = await tx.execute<{ n: number }[]>("select 1 as n from sub_activity where renja_id = ? and sub_kegiatan_code = ?", [renja.id, item.code]);
    if (dup) throw new DomainError("planning.subActivityExists", { code: item.code }, "conflict", "subKegiatan");
    const parents = item.code.split(".");
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      `insert into sub_activity (id, tenant_code, renja_id, opd_id, fiscal_year, nomenclature_set_id, program_code, kegiatan_code, sub_kegiatan_code, name, indicator, target, unit, locations, ceiling, funding_source, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?)`,
      [
        id, actor.tenant, renja.id, renja.opd_id, renja.fiscal_year, set.id, parents.slice(0, 3).join("."), parents.slice(0, 5).join("."), item.code, item.name,
        item.indicator || item.name, target!, (input.unit ?? "").trim() || item.unit || "-", `{${locations.map((l) => `"${l}"`).join(",")}}`, ceiling!.toString(), input.fundingSource, now, now,
      ],
    );
    record({ type: "SubActivityAdded", entityType: "SubActivity", entityId: id, after: { renja: renja.id, code: item.code, ceiling: ceiling!.toString(), target: target!, locations, fundingSource: input.fundingSource } });
    for (const pid of [...new Set(input.proposals)]) {
      const [pr] = await tx.execute<{ id: string; code: string; status: string; fiscal_year: number; target_opd_id: string; current_forum_id: string; linked: string | null }[]>(
        `select p.id, p.code, p.status, p.fiscal_year, p.target_opd_id, p.current_forum_id, (select sub_activity_id::text from sub_activity_proposal s where s.proposal_id = p.id) as linked
           from proposal p where p.tenant_code = ? and p.id = ?::uuid`,
        [actor.tenant, /^[0-9a-f-]{36}$/i.test(pid) ? pid : "00000000-0000-0000-0000-000000000000"],
      );
      if (!pr) throw new DomainError("musrenbang.usulan.notFound", { id: pid }, "invalid", "proposals");
      if (!["accepted", "adopted"].includes(pr.status) || pr.fiscal_year !== renja.fiscal_year || pr.target_opd_id !== renja.opd_id)
        throw new DomainError("planning.proposalNotAdoptable", { code: pr.code }, "invalid", "proposals");
      if (pr.linked) throw new DomainError("planning.proposalTaken", { code: pr.code }, "conflict", "proposals");
      await tx.execute("insert into sub_activity_proposal (tenant_code, sub_activity_id, proposal_id, linked_at) values (?, ?, ?, ?)", [actor.tenant, id, pr.id, now]);
      tx.create(ProposalEvent, {
        tenantCode: actor.tenant,
        proposalId: pr.id,
        forumId: null,
        at: now,
        level: "kabupaten",
        action: "plan",
        fromStatus: pr.status,
        toStatus: pr.status,
        actorName: actor.displayName,
        reason: "",
        details: { subKegiatan: `${item.code} ${item.name}`, opd: renja.opd_name, year: renja.fiscal_year, subActivityId: id },
      });
      record({ type: "ProposalPlanned", entityType: "Proposal", entityId: pr.id, after: { subActivity: id, code: item.code } });
    }
    return id;
  });
}

/**
 * Moves a Renja on: submit (OPD) or adopt (Bappeda, when the RKPD is set by Perkada). Adopting locks it,
 * and every proposal accepted for this OPD and year that no sub-activity took up is marked on its public
 * timeline as left out, with the reason given. Emits RenjaSubmitted / RenjaAdopted and ProposalLeftOut.
 */
export async function moveRenja(em: EntityManager, actor: Actor, clock: Clock, renjaId: string, action: "submit" | "adopt", leftOutReason = ""): Promise<{ leftOut: number }> {
  return transact(em, actor, clock, async (tx, record) => {
    const renja = await loadRenja(tx, renjaId, true);
    if (action === "submit" && !actor.hasRole("bappeda_planner")) assertCan(actor, "workspace.opd", { tenant: actor.tenant, opd: renja.opd_code });
    if (action === "adopt") assertCan(actor, "workspace.planning", { tenant: actor.tenant });
    const left =
      action === "adopt"
        ? await tx.execute<{ id: string; status: string }[]>(
            `select p.id, p.status from proposal p where p.tenant_code = ? and p.fiscal_year = ? and p.target_opd_id = ? and p.status in ('accepted','adopted')
               and not exists (select 1 from sub_activity_proposal s where s.proposal_id = p.id)`,
            [actor.tenant, renja.fiscal_year, renja.opd_id],
          )
        : [];
    const reason = leftOutReason.trim();
    const { to, event } = renjaMachine.fire(renja.status, action, actor, { blocker: left.length && reason.length < 10 ? "planning.leftOutReasonRequired" : null });
    await tx.execute("update renja set status = ?, version = version + 1, updated_at = ? where id = ?", [to, clock.now(), renja.id]);
    record({ type: event, entityType: "Renja", entityId: renja.id, before: { status: renja.status }, after: { status: to } });
    for (const p of left) {
      tx.create(ProposalEvent, {
        tenantCode: actor.tenant,
        proposalId: p.id,
        forumId: null,
        at: clock.now(),
        level: "kabupaten",
        action: "leftOut",
        fromStatus: p.status,
        toStatus: p.status,
        actorName: actor.displayName,
        reason,
        details: { opd: renja.opd_name, year: renja.fiscal_year },
      });
      record({ type: "ProposalLeftOut", entityType: "Proposal", entityId: p.id, after: { renja: renja.id, reason } });
    }
    return { leftOut: left.length };
  });
}

/** A Renja with its sub-activities and the proposals behind each. */
export async function renjaDetail(em: EntityManager, renjaId: string) {
  const renja = await loadRenja(em, renjaId);
  const subs = await em.execute<{ id: string; sub_kegiatan_code: string; name: string; indicator: string; target: string; unit: string; locations: string[]; ceiling: string; funding_source: string; proposals: { id: string; code: string; title: string }[] }[]>(
    `select s.id, s.sub_kegiatan_code, s.name, s.indicator, s.target::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source,
            coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                        from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '[]'::json) as proposals
       from sub_activity s where s.renja_id = ? order by s.sub_kegiatan_code`,
    [renja.id],
  );
  const limit = await ceilingRow(em, renja.tenant_code, renja.fiscal_year, renja.opd_id, false);
  const total = Money.sum(subs.map((s) => Money.idr(s.ceiling)));
  return { renja, subs, ceiling: limit?.amount.toString() ?? null, planned: total.toString() };
}
