import type { Assignment } from "../domain/identity/actor";

/** Where each role's workspace lives, given the scope it is held in. */
export function workspaceHref(a: Assignment): string {
  switch (a.role) {
    case "admin":
      return "/admin";
    case "bappeda_planner":
      return "/plan";
    case "opd_officer":
      return `/plan/opd/${a.scope.code}`;
    case "tapd_member":
      return "/budget";
    case "desa_facilitator":
      return `/forum/desa/${a.scope.code}`;
    case "kecamatan_facilitator":
      return `/forum/kecamatan/${a.scope.code}`;
    case "procurement_officer":
      return `/procure?opd=${encodeURIComponent(a.scope.code)}`;
    case "pokja_member":
      return "/procure/pokja";
    case "contractor":
      return "/vendor";
    case "supervising_consultant":
      return "/pengawasan";
    case "monev_officer":
      return "/monev";
    case "auditor":
      return "/audit";
    case "citizen":
      return "/warga";
  }
}

/** Where to land after signing in: the only workspace, or the hub that lists them. */
export function landingHref(assignments: readonly Assignment[]): string {
  const hrefs = [...new Set(assignments.map(workspaceHref))];
  return hrefs.length === 1 ? hrefs[0] : "/kerja";
}

/** Accepts a post-login target only if it is a local path (no open redirect). */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}
