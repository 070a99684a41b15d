import { DomainError } from "../kernel/domain-error";
import { wilayahWithin } from "../kernel/codes";
import type { Actor, Scope } from "./actor";
import type { Role } from "./roles";

/**
 * What a protected thing belongs to. A desa page is { region: "35.22.01.2001" }, an OPD's
 * document { opd: "1.03.0.00.0.00.01.0000" }, a tenant-wide page {}.
 */
export interface Resource {
  tenant: string;
  opd?: string | null;
  /** Kemendagri code of the desa or kecamatan the thing is located in. */
  region?: string | null;
  vendor?: string | null;
  /** The contract (id) the thing belongs to: a progress report, for its supervising consultant. */
  contract?: string | null;
}

/**
 * The permission matrix: each permission and the roles that hold it. Data, not code: a new stage adds
 * its rows here. Scope is then checked against the resource by `covers`.
 */
export const PERMISSIONS = {
  "admin.users.manage": ["admin"],
  "audit.read": ["admin", "auditor"],
  "workspace.admin": ["admin"],
  "workspace.planning": ["bappeda_planner"],
  "workspace.opd": ["opd_officer", "bappeda_planner", "tapd_member"],
  "workspace.budget": ["tapd_member"],
  "workspace.desa": ["desa_facilitator", "kecamatan_facilitator", "bappeda_planner"],
  "workspace.kecamatan": ["kecamatan_facilitator", "bappeda_planner"],
  "workspace.procurement": ["procurement_officer"],
  "workspace.pokja": ["pokja_member"],
  "workspace.vendor": ["contractor"],
  "workspace.monev": ["monev_officer"],
  "workspace.audit": ["auditor"],
  "workspace.citizen": ["citizen"],
  // e-Musrenbang: each forum level is run by its own facilitators only, within their scope.
  "musrenbang.forum.desa": ["desa_facilitator"],
  "musrenbang.forum.kecamatan": ["kecamatan_facilitator"],
  "musrenbang.forum.kabupaten": ["bappeda_planner"],
  "musrenbang.forum.perangkat_daerah": ["opd_officer"],
  "musrenbang.forum.view": ["desa_facilitator", "kecamatan_facilitator", "bappeda_planner"],
  "musrenbang.schedule": ["bappeda_planner", "admin"],
  "musrenbang.configure": ["bappeda_planner", "admin"],
  "musrenbang.opd.verify": ["opd_officer"],
  // e-Planning reference data: the nomenclature and account codes, OPDs' bidang urusan.
  "nomenclature.manage": ["admin", "bappeda_planner"],
  // e-Budgeting: TAPD runs the budget (price lists, KUA-PPAS, review, APBD, DPA, SP2D); OPDs draft their RKA.
  "budget.prices.manage": ["tapd_member", "admin"],
  "budget.manage": ["tapd_member"],
  "budget.rka.edit": ["opd_officer"],
  "budget.rka.review": ["tapd_member"],
  "budget.view": ["opd_officer", "tapd_member", "bappeda_planner", "auditor"],
  // e-Procurement: the PPK plans packages (RUP), sets the HPS and signs contracts for their OPD; the Pokja
  // of the UKPBJ registers vendors and runs the tenders assigned to them; contractors bid for their vendor.
  "procure.package.manage": ["procurement_officer"],
  "procure.contract.manage": ["procurement_officer"],
  "procure.tender.run": ["pokja_member"],
  "procure.vendor.manage": ["pokja_member", "admin"],
  "procure.bid": ["contractor"],
  "procure.view": ["procurement_officer", "pokja_member", "tapd_member", "auditor", "admin"],
  // Citizen reports (pengaduan): the monev officer triages (moderates, verifies, forwards, closes); the
  // officers of the OPD a report is forwarded to take it up and answer it.
  "oversight.triage": ["monev_officer"],
  "oversight.respond": ["opd_officer"],
  // The tenant admin sets the complaint categories (SLA in working days) and the local holidays.
  "oversight.configure": ["admin"],
  // Quarterly evaluation of the RKPD (e-Monev): each OPD enters its own figures; the monev officer and
  // Bappeda may correct any OPD's and read the consolidated evaluation.
  "monev.evaluation.edit": ["opd_officer", "monev_officer", "bappeda_planner"],
  "monev.evaluation.view": ["opd_officer", "monev_officer", "bappeda_planner", "tapd_member", "auditor"],
  // Progress reports are verified or returned by the PPK of the contract's OPD, or by the supervising
  // consultant (konsultan pengawas) the PPK assigned to that contract (scope: the contract).
  "monev.report.verify": ["procurement_officer", "supervising_consultant"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Does an assignment's scope cover the resource? */
export function covers(scope: Scope, r: Resource): boolean {
  switch (scope.kind) {
    case "tenant":
      return scope.code === r.tenant;
    case "opd":
      return r.opd != null && r.opd === scope.code;
    case "kecamatan":
    case "desa":
      return r.region != null && wilayahWithin(r.region, scope.code);
    case "vendor":
      return r.vendor != null && r.vendor === scope.code;
    case "contract":
      return r.contract != null && r.contract === scope.code;
  }
}

/** True when the actor holds a role with this permission in a scope covering the resource. */
export function can(actor: Actor, permission: Permission, resource: Resource): boolean {
  if (resource.tenant !== actor.tenant) return false;
  const roles: readonly Role[] = PERMISSIONS[permission];
  return actor.assignments.some((a) => roles.includes(a.role) && covers(a.scope, resource));
}

/**
 * True when the actor holds the permission in at least one scope of this tenant: for pages that list
 * "your" things and then filter them by `visibleScopes`.
 */
export function canSomewhere(actor: Actor, permission: Permission): boolean {
  const roles: readonly Role[] = PERMISSIONS[permission];
  return actor.assignments.some((a) => roles.includes(a.role));
}

/** Throws a "forbidden" DomainError unless `can`. Every use case calls it before it changes anything. */
export function assertCan(actor: Actor, permission: Permission, resource: Resource): void {
  if (!actor.isAuthenticated && actor.assignments.length === 0)
    throw new DomainError("auth.loginRequired", { permission }, "forbidden");
  if (!can(actor, permission, resource)) throw new DomainError("auth.forbidden", { permission }, "forbidden");
}

/**
 * For loaders that list things: the scopes in which the actor may see them. `all` is true when a
 * tenant-wide assignment grants it, otherwise the lists hold the OPDs, regions and vendors to filter by.
 */
export function visibleScopes(actor: Actor, permission: Permission) {
  const roles: readonly Role[] = PERMISSIONS[permission];
  const mine = actor.assignments.filter((a) => roles.includes(a.role));
  return {
    all: mine.some((a) => a.scope.kind === "tenant" && a.scope.code === actor.tenant),
    opds: mine.filter((a) => a.scope.kind === "opd").map((a) => a.scope.code),
    regions: mine.filter((a) => a.scope.kind === "desa" || a.scope.kind === "kecamatan").map((a) => a.scope.code),
    vendors: mine.filter((a) => a.scope.kind === "vendor").map((a) => a.scope.code),
  };
}
