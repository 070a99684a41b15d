import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: only events older than this id. */
  before?: string;
  limit?: number;
}

export interface AuditRow {
  id: string;
  at: Date;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  hash: string;
}

/** Browses the audit trail, newest first, by keyset pages. Who: auditor, admin. */
export async function browseAudit(em: EntityManager, actor: Actor, f: AuditFilter) {
  assertCan(actor, "audit.read", { tenant: actor.tenant });
  const where = ["tenant_code = ?"];
  const params: unknown[] = [actor.tenant];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (f.action) add("action = ?", f.action);
  if (f.entityType) add("entity_type = ?", f.entityType);
  if (f.entityId) add("entity_id = ?", f.entityId);
  if (f.actor) add("actor_name = ?", f.actor);
  if (f.from) add("at >= ?", f.from);
  if (f.to) add("at < ?", f.to);
  if (f.before && /^\d+$/.test(f.before)) add("id < ?::bigint", f.before);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const rows = await em.execute<
    { id: string; at: Date; actor_name: string; action: string; entity_type: string; entity_id: string; before: unknown; after: unknown; hash: string }[]
  >(
    `select id::text as id, at, actor_name, action, entity_type, entity_id, before, after, hash
       from audit_event where ${where.join(" and ")} order by audit_event.id desc limit ?`,
    [...params, limit + 1] as never[],
  );
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id,
    at: new Date(r.at),
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    hash: r.hash,
  }));
  return { rows: page, next: rows.length > limit ? page[page.length - 1].id : null };
}

/** Distinct actions and entity types, for the filter menus. */
export async function auditFacets(em: EntityManager, actor: Actor) {
  assertCan(actor, "audit.read", { tenant: actor.tenant });
  const actions = await em.execute<{ v: string }[]>("select distinct action as v from audit_event where tenant_code = ? order by 1", [actor.tenant]);
  const types = await em.execute<{ v: string }[]>("select distinct entity_type as v from audit_event where tenant_code = ? order by 1", [actor.tenant]);
  return { actions: actions.map((r) => r.v), entityTypes: types.map((r) => r.v) };
}
