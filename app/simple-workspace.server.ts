import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { Permission } from "../domain/identity/policy";
import { PERMISSIONS } from "../domain/identity/policy";
import { em } from "./db.server";
import { guardSomewhere, viewerHeaders } from "./guard.server";
import { listOpds } from "./domain.server";

/**
 * Loader for a role workspace whose stage is still to come: who you are, the scopes you hold the
 * permission in (only those: a PPK sees their own OPD, a contractor their own firm), and the tenant's OPDs.
 */
export function workspaceLoader(permission: Permission) {
  return async ({ request }: LoaderFunctionArgs) => {
    const viewer = await guardSomewhere(request, permission);
    const roles: readonly string[] = PERMISSIONS[permission];
    const opds = await listOpds(await em());
    const scopes = viewer.actor.assignments
      .filter((a) => roles.includes(a.role))
      .map((a) => ({
        role: a.role,
        kind: a.scope.kind,
        code: a.scope.code,
        name: a.scope.kind === "opd" ? (opds.find((o) => o.code === a.scope.code)?.name ?? a.scope.code) : a.scope.code,
      }));
    return json({ name: viewer.actor.displayName, scopes, opds }, { headers: viewerHeaders(viewer) });
  };
}
