import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { DomainError } from "../kernel/domain-error";
import { loadContract, loadPackage, vendorOfActor, type ContractRow, type PackageRow } from "../procurement";
import { periodsOf, plannedCurve, type Period, type PeriodKind } from "./kurva-s";
import type { Dec } from "../kernel/money";

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

/** The contractor of this contract: their vendor (by NPWP scope) must be the contract's; another vendor's gets 403. */
export async function assertContractorOf(tx: EntityManager, actor: Actor, contract: ContractRow): Promise<void> {
  const v = await vendorOfActor(tx, actor);
  if (v.id !== contract.vendor_id) throw new DomainError("pengadaan.vendor.notYourContract", {}, "forbidden");
}

/** Contract-level monitoring needs a signed contract with its dates. */
export function assertRunning(c: ContractRow): void {
  if (c.status !== "signed" || !c.start_date || !c.end_date) throw new DomainError("monev.contract.notRunning", { status: c.status });
}
