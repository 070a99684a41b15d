import type { EntityManager } from "@mikro-orm/postgresql";
import type { DomainEvent } from "../kernel/events";
import type { Actor } from "../identity/actor";
import { GENESIS_HASH, asStoredJson, auditHash } from "./hash";

/**
 * Appends events to the tenant's hash-chained audit trail inside the caller's transaction, so the
 * change and its record commit or roll back together. A per-tenant advisory lock, held until the
 * transaction ends, keeps the chain linear under concurrent writers.
 */
export async function appendAudit(
  em: EntityManager,
  actor: Actor,
  events: readonly DomainEvent[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  if (!em.isInTransaction()) throw new Error("appendAudit must run inside a transaction");
  const tenant = actor.tenant;
  await em.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`audit:${tenant}`]);
  const last = await em.execute<{ hash: string }[]>(
    "select hash from audit_event where tenant_code = ? order by id desc limit 1",
    [tenant],
  );
  let prev = last[0]?.hash ?? GENESIS_HASH;
  // Stored to the millisecond, as JavaScript reads it back, so that the hash can be recomputed.
  const when = new Date(Math.floor(at.getTime()));
  for (const e of events) {
    const fields = {
      tenantCode: tenant,
      at: when,
      actorId: actor.userId,
      actorName: actor.username,
      action: e.type,
      entityType: e.entityType,
      entityId: e.entityId,
      before: asStoredJson(e.before ?? null),
      after: asStoredJson(e.after ?? null),
    };
    const hash = auditHash(prev, fields);
    await em.execute(
      `insert into audit_event (tenant_code, at, actor_id, actor_name, action, entity_type, entity_id, before, after, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
      [
        tenant,
        when,
        fields.actorId,
        fields.actorName,
        fields.action,
        fields.entityType,
        fields.entityId,
        fields.before == null ? null : JSON.stringify(fields.before),
        fields.after == null ? null : JSON.stringify(fields.after),
        prev,
        hash,
      ],
    );
    prev = hash;
  }
}
