import type { EntityManager } from "@mikro-orm/postgresql";
import type { Clock } from "../kernel/clock";
import type { DomainEvent } from "../kernel/events";
import type { Actor } from "../identity/actor";
import { appendAudit } from "./append";

/**
 * Runs a use case as one unit of work: the work loads aggregates and records the events it causes;
 * then the changes are flushed and the events appended to the audit trail in the same transaction.
 * If anything throws, nothing is written.
 */
export async function transact<T>(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  work: (tx: EntityManager, record: (e: DomainEvent) => void) => Promise<T>,
): Promise<T> {
  return em.transactional(async (tx) => {
    tx.setFilterParams("tenant", { tenant: actor.tenant });
    const events: DomainEvent[] = [];
    const result = await work(tx, (e) => events.push(e));
    await tx.flush();
    await appendAudit(tx, actor, events, clock.now());
    return result;
  });
}
