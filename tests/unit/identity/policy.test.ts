import { Actor, type Assignment } from "../../../domain/identity/actor";
import { PERMISSIONS, assertCan, can, covers, visibleScopes } from "../../../domain/identity/policy";
import { ROLES, ROLE_SCOPE } from "../../../domain/identity/roles";
import { DomainError } from "../../../domain/kernel/domain-error";

const T = "35.22";
const PU = "1.03.0.00.0.00.01.0000";
const as = (...a: Assignment[]) => new Actor(T, "u1", "u", "U", a);
const desaFacilitator = as({ role: "desa_facilitator", scope: { kind: "desa", code: "35.22.06.2001" } });
const kecFacilitator = as({ role: "kecamatan_facilitator", scope: { kind: "kecamatan", code: "35.22.06" } });
const bappeda = as({ role: "bappeda_planner", scope: { kind: "tenant", code: T } });
const opdOfficer = as({ role: "opd_officer", scope: { kind: "opd", code: PU } });

describe("permission checks: role × scope", () => {
  it("a desa facilitator sees their own desa and no other", () => {
    expect(can(desaFacilitator, "workspace.desa", { tenant: T, region: "35.22.06.2001" })).toBe(true);
    expect(can(desaFacilitator, "workspace.desa", { tenant: T, region: "35.22.06.2002" })).toBe(false);
    expect(can(desaFacilitator, "workspace.kecamatan", { tenant: T, region: "35.22.06" })).toBe(false);
  });

  it("a kecamatan facilitator covers every desa of their kecamatan, not a neighbour's", () => {
    expect(can(kecFacilitator, "workspace.desa", { tenant: T, region: "35.22.06.2010" })).toBe(true);
    expect(can(kecFacilitator, "workspace.kecamatan", { tenant: T, region: "35.22.06" })).toBe(true);
    expect(can(kecFacilitator, "workspace.desa", { tenant: T, region: "35.22.07.2001" })).toBe(false);
  });

  it("scope codes match by whole segments (35.22.1 does not cover 35.22.16)", () => {
    expect(covers({ kind: "kecamatan", code: "35.22.1" }, { tenant: T, region: "35.22.16.2001" })).toBe(false);
  });

  it("Bappeda works across the tenant, never in another one", () => {
    expect(can(bappeda, "workspace.desa", { tenant: T, region: "35.22.28.2001" })).toBe(true);
    expect(can(bappeda, "workspace.opd", { tenant: T, opd: PU })).toBe(true);
    expect(can(bappeda, "workspace.desa", { tenant: "35.23", region: "35.23.01.2001" })).toBe(false);
  });

  it("an OPD officer works only in their OPD; a role without the permission gets nothing", () => {
    expect(can(opdOfficer, "workspace.opd", { tenant: T, opd: PU })).toBe(true);
    expect(can(opdOfficer, "workspace.opd", { tenant: T, opd: "1.02.0.00.0.00.01.0000" })).toBe(false);
    expect(can(opdOfficer, "admin.users.manage", { tenant: T })).toBe(false);
    expect(can(desaFacilitator, "audit.read", { tenant: T })).toBe(false);
  });

  it("the anonymous public holds no permission", () => {
    for (const p of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[])
      expect(can(Actor.anonymous(T), p, { tenant: T, region: "35.22.06.2001", opd: PU })).toBe(false);
  });

  it("assertCan throws forbidden, naming login for the anonymous", () => {
    expect(() => assertCan(opdOfficer, "admin.users.manage", { tenant: T })).toThrow(DomainError);
    try {
      assertCan(Actor.anonymous(T), "audit.read", { tenant: T });
    } catch (e) {
      expect((e as DomainError).key).toBe("auth.loginRequired");
      expect((e as DomainError).kind).toBe("forbidden");
    }
  });

  it("every role has a scope kind and every permission names known roles", () => {
    for (const r of ROLES) expect(ROLE_SCOPE[r]).toBeDefined();
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(ROLES).toContain(r);
  });

  it("visibleScopes tells loaders what to filter by", () => {
    expect(visibleScopes(kecFacilitator, "workspace.desa")).toEqual({ all: false, opds: [], regions: ["35.22.06"], vendors: [] });
    expect(visibleScopes(bappeda, "workspace.desa").all).toBe(true);
  });
});
