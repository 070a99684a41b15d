import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "./actor";
import { assertCan } from "./policy";
import { isUuid } from "../kernel/codes";

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  active: boolean;
  version: number;
  assignments: { role: string; scopeKind: string; scopeCode: string }[];
}

/** Users of the tenant with their roles, for the admin page. Who: admin. */
export async function listUsers(em: EntityManager, actor: Actor, q = ""): Promise<UserRow[]> {
  assertCan(actor, "admin.users.manage", { tenant: actor.tenant });
  const text = `%${q.trim().toLowerCase()}%`;
  const rows = await em.execute<
    { id: string; username: string; display_name: string; email: string | null; active: boolean; version: number; role: string | null; scope_kind: string | null; scope_code: string | null }[]
  >(
    `select u.id, u.username, u.display_name, u.email, u.active, u.version, r.role, r.scope_kind, r.scope_code
       from app_user u left join role_assignment r on r.user_id = u.id
      where u.tenant_code = ? and (lower(u.username) like ? or lower(u.display_name) like ?)
      order by u.username, r.role, r.scope_code`,
    [actor.tenant, text, text],
  );
  return groupUsers(rows);
}

export async function getUser(em: EntityManager, actor: Actor, id: string): Promise<UserRow | null> {
  assertCan(actor, "admin.users.manage", { tenant: actor.tenant });
  if (!isUuid(id)) return null;
  const rows = await em.execute<never[]>(
    `select u.id, u.username, u.display_name, u.email, u.active, u.version, r.role, r.scope_kind, r.scope_code
       from app_user u left join role_assignment r on r.user_id = u.id
      where u.tenant_code = ? and u.id = ? order by r.role, r.scope_code`,
    [actor.tenant, id],
  );
  return groupUsers(rows)[0] ?? null;
}

/** Who holds a role in exactly this scope (e.g. the facilitators of a desa), for workspace pages. */
export async function usersInScope(em: EntityManager, tenant: string, scopeKind: string, scopeCode: string) {
  return em.execute<{ username: string; display_name: string; role: string }[]>(
    `select u.username, u.display_name, r.role from role_assignment r join app_user u on u.id = r.user_id
      where r.tenant_code = ? and r.scope_kind = ? and r.scope_code = ? and u.active order by r.role, u.username`,
    [tenant, scopeKind, scopeCode],
  );
}

function groupUsers(
  rows: { id: string; username: string; display_name: string; email: string | null; active: boolean; version: number; role: string | null; scope_kind: string | null; scope_code: string | null }[],
): UserRow[] {
  const byId = new Map<string, UserRow>();
  for (const r of rows) {
    let u = byId.get(r.id);
    if (!u) {
      u = { id: r.id, username: r.username, displayName: r.display_name, email: r.email, active: r.active, version: r.version, assignments: [] };
      byId.set(r.id, u);
    }
    if (r.role) u.assignments.push({ role: r.role, scopeKind: r.scope_kind!, scopeCode: r.scope_code! });
  }
  return [...byId.values()];
}
