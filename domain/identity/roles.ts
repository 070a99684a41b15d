/** Every role a person can hold in Jejak. Names are stable identifiers; labels live in app/i18n. */
export const ROLES = [
  "admin",
  "bappeda_planner",
  "opd_officer",
  "tapd_member",
  "desa_facilitator",
  "kecamatan_facilitator",
  "procurement_officer",
  "pokja_member",
  "contractor",
  "supervising_consultant",
  "monev_officer",
  "auditor",
  "citizen",
] as const;
export type Role = (typeof ROLES)[number];

/** What a role assignment is limited to. */
export const SCOPE_KINDS = ["tenant", "opd", "kecamatan", "desa", "vendor", "contract"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/**
 * The scope each role is held in. A desa facilitator works for one desa, a kecamatan facilitator for one
 * kecamatan, OPD officers and procurement officers (PPK) for one OPD, a contractor for one vendor (by its
 * NPWP), a supervising consultant (konsultan pengawas) for each contract its PPK assigned it to (held in
 * contract_supervisor, not granted by the admin); the others — the Pokja of the procurement unit (UKPBJ)
 * among them — for the whole tenant.
 */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  admin: "tenant",
  bappeda_planner: "tenant",
  opd_officer: "opd",
  tapd_member: "tenant",
  desa_facilitator: "desa",
  kecamatan_facilitator: "kecamatan",
  procurement_officer: "opd",
  pokja_member: "tenant",
  contractor: "vendor",
  supervising_consultant: "contract",
  monev_officer: "tenant",
  auditor: "tenant",
  citizen: "tenant",
};

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}
