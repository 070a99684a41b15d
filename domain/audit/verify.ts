import type { EntityManager } from "@mikro-orm/postgresql";
import { GENESIS_HASH, auditHash } from "./hash";

export interface ChainReport {
  tenant: string;
  checked: number;
  ok: boolean;
  /** The first broken link, when there is one. */
  broken?: { id: string; reason: "hash" | "link"; expected: string; found: string };
}

interface Row {
  id: string;
  tenant_code: string;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/**
 * Walks one tenant's chain in id order, in pages, recomputing every hash. Reports the first row whose
 * stored hash does not match its content ("hash": the row was edited) or whose prev_hash does not
 * match the previous row ("link": a row was removed or inserted).
 */
export async function verifyAuditChain(em: EntityManager, tenant: string, pageSize = 5000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let after = "0";
  let checked = 0;
  for (;;) {
    const rows = await em.execute<Row[]>(
      `select id::text as id, tenant_code, at, actor_id, actor_name, action, entity_type, entity_id, before, after, prev_hash, hash
         from audit_event where tenant_code = ? and id > ?::bigint order by audit_event.id limit ?`,
      [tenant, after, pageSize],
    );
    for (const r of rows) {
      if (r.prev_hash !== prev)
        return { tenant, checked, ok: false, broken: { id: r.id, reason: "link", expected: prev, found: r.prev_hash } };
      const expected = auditHash(prev, {
        tenantCode: r.tenant_code,
        at: new Date(r.at),
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
      });
      if (expected !== r.hash)
        return { tenant, checked, ok: false, broken: { id: r.id, reason: "hash", expected, found: r.hash } };
      prev = r.hash;
      checked++;
    }
    if (rows.length < pageSize) return { tenant, checked, ok: true };
    after = rows[rows.length - 1].id;
  }
}
