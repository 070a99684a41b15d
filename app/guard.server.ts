import { canSomewhere, type Permission, type Resource } from "../domain/identity/policy";
import { config } from "./config.server";
import { refuse, requirePermission } from "./http.server";
import { requireViewer, type Viewer } from "./session.server";

/**
 * The first line of every protected loader and action: a signed-in viewer (else /login) holding the
 * permission in a scope that covers the resource (else a 403 page).
 */
export async function guard(request: Request, permission: Permission, resource: Omit<Resource, "tenant"> = {}): Promise<Viewer> {
  const viewer = await requireViewer(request);
  requirePermission(viewer.actor, permission, { tenant: config().tenant, ...resource });
  return viewer;
}

/** For pages that list the viewer's own scopes: the permission held in any scope of the tenant. */
export async function guardSomewhere(request: Request, permission: Permission): Promise<Viewer> {
  const viewer = await requireViewer(request);
  if (!canSomewhere(viewer.actor, permission)) throw refuse(403, "error.403");
  return viewer;
}

/** Headers to add to a loader's response: the rotated session cookie, when there is one. */
export function viewerHeaders(viewer: Viewer): HeadersInit | undefined {
  return viewer.setCookie ? { "Set-Cookie": viewer.setCookie } : undefined;
}
