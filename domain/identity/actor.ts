import type { Role, ScopeKind } from "./roles";

export interface Scope {
  kind: ScopeKind;
  /** Tenant code, OPD code, kecamatan or desa Kemendagri code, or vendor id. */
  code: string;
}

export interface Assignment {
  role: Role;
  scope: Scope;
}

/** Who is acting: a signed-in user with their role assignments, or the anonymous public. */
export class Actor {
  constructor(
    readonly tenant: string,
    readonly userId: string | null,
    readonly username: string,
    readonly displayName: string,
    readonly assignments: readonly Assignment[],
  ) {}

  static anonymous(tenant: string): Actor {
    return new Actor(tenant, null, "anonim", "Publik", []);
  }
  /** The system itself (seeds, imports run by an operator, scheduled ticks). */
  static system(tenant: string, what = "sistem"): Actor {
    return new Actor(tenant, null, what, what, [{ role: "admin", scope: { kind: "tenant", code: tenant } }]);
  }

  get isAuthenticated(): boolean {
    return this.userId !== null;
  }
  hasRole(role: Role): boolean {
    return this.assignments.some((a) => a.role === role);
  }
  hasAnyRole(roles: readonly string[]): boolean {
    return this.assignments.some((a) => roles.includes(a.role));
  }
  roles(): Role[] {
    return [...new Set(this.assignments.map((a) => a.role))];
  }
  scopesFor(role: Role): Scope[] {
    return this.assignments.filter((a) => a.role === role).map((a) => a.scope);
  }
}
