import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../identity/actor";
import { assertCan, can } from "../identity/policy";
import { DomainError } from "../kernel/domain-error";
import { loadContract, loadPackage, vendorOfActor, type ContractRow, type PackageRow } from "../procurement";
import { periodsOf, plannedCurve, type Period, type PeriodKind } from "./kurva-s";
import type { Dec } from "../kernel/money";
import { pgArray } from "../kernel/pg";

/** The monitoring settings of a contract (monev_plan), once its schedule is set. */
export interface PlanRow {
  contract_id: string;
  period_kind: PeriodKind;
  site_lat: string | null;
  site_lng: string | null;
  far_threshold_m: number;
  maintenance_days: number;
  version: number;
}

export interface WorkItemRow {
  id: string;
  no: number;
  division: string;
  name: string;
  value: string;
  weight: string;
  planned_start: number;
  planned_end: number;
}

export interface MonevContract {
  contract: ContractRow;
  pkg: PackageRow;
  plan: PlanRow | null;
  items: WorkItemRow[];
  periods: Period[];
  /** Planned cumulative progress at the end of each period (index 0 = period 1). */
  curve: Dec[];
}

/** A contract with its package, schedule, periods and planned S-curve. */
export async function loadMonevContract(tx: EntityManager, tenant: string, contractId: string, lock = false): Promise<MonevContract> {
  const contract = await loadContract(tx, tenant, contractId, lock);
  const pkg = await loadPackage(tx, tenant, contract.package_id);
  const [plan] = await tx.execute<PlanRow[]>(
    "select contract_id, period_kind, site_lat::text as site_lat, site_lng::text as site_lng, far_threshold_m, maintenance_days, version from monev_plan where contract_id = ?",
    [contract.id],
  );
  const items = await tx.execute<WorkItemRow[]>(
    "select id, no::int as no, division, name, value::text as value, weight::text as weight, planned_start::int as planned_start, planned_end::int as planned_end from monev_work_item where contract_id = ? order by no",
    [contract.id],
  );
  const periods = plan && contract.start_date && contract.end_date ? periodsOf(plan.period_kind, contract.start_date, contract.end_date) : [];
  const curve = plan ? plannedCurve(items.map((i) => ({ weight: i.weight, plannedStart: i.planned_start, plannedEnd: i.planned_end })), periods.length) : [];
  return { contract, pkg, plan: plan ?? null, items, periods, curve };
}

/** The PPK of the contract's OPD (procure.contract.manage in its scope). */
export function assertPpkOf(actor: Actor, m: { pkg: PackageRow }): void {
  assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: m.pkg.opd_code });
}

/** In what capacity a report was verified (progress_report.verified_as). */
export type VerifierCapacity = "ppk" | "supervising_consultant";

/**
 * Who may verify or return this contract's progress reports: the PPK of its OPD, or a supervising
 * consultant (konsultan pengawas) assigned to this contract — its scope is the contract, and the
 * assignment must still stand in the database, so a consultant unassigned since its session was loaded is
 * refused too. Never the contract's own contractor: an account holding the contractor role for the
 * contract's vendor is refused its own reports. Returns the capacity in which the actor verifies.
 */
export async function assertVerifierOf(tx: EntityManager, actor: Actor, m: { pkg: PackageRow; contract: ContractRow }): Promise<VerifierCapacity> {
  assertCan(actor, "monev.report.verify", { tenant: actor.tenant, opd: m.pkg.opd_code, contract: m.contract.id });
  const npwps = actor.scopesFor("contractor").map((s) => s.code);
  if (npwps.length) {
    const [own] = await tx.execute<{ id: string }[]>("select id from vendor where id = ? and npwp = any(?::text[])", [m.contract.vendor_id, pgArray(npwps)]);
    if (own) throw new DomainError("monev.report.ownReport", {}, "forbidden");
  }
  if (can(actor, "procure.contract.manage", { tenant: actor.tenant, opd: m.pkg.opd_code })) return "ppk";
  const [assigned] = actor.userId
    ? await tx.execute<{ id: string }[]>("select id from contract_supervisor where contract_id = ? and user_id = ? and ended_at is null", [m.contract.id, actor.userId])
    : [];
  if (!assigned) throw new DomainError("monev.supervisor.notAssigned", {}, "forbidden");
  return "supervising_consultant";
}

/** The contractor of this contract: their vendor (by NPWP scope) must be the contract's; another vendor's gets 403. */
export async function assertContractorOf(tx: EntityManager, actor: Actor, contract: ContractRow): Promise<void> {
  const v = await vendorOfActor(tx, actor);
  if (v.id !== contract.vendor_id) throw new DomainError("pengadaan.vendor.notYourContract", {}, "forbidden");
}

/** Contract-level monitoring needs a signed contract with its dates. */
export function assertRunning(c: ContractRow): void {
  if (c.status !== "signed" || !c.start_date || !c.end_date) throw new DomainError("monev.contract.notRunning", { status: c.status });
}
