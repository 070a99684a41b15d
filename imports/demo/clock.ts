import type { Clock } from "../../domain/kernel/clock";

/** The demo's story clock: set to a moment in WIB, then moved on minute by minute as people act. */
export class DemoClock implements Clock {
  private t = 0;
  /** "2026-01-13 08:30" in WIB. */
  at(wib: string): this {
    this.t = Date.parse(`${wib.replace(" ", "T")}:00+07:00`);
    return this;
  }
  tick(minutes: number): this {
    this.t += minutes * 60_000;
    return this;
  }
  now(): Date {
    return new Date(this.t);
  }
}

/** A moment in WIB ("2026-11-16 08:00"). */
export const wib = (s: string) => new Date(Date.parse(`${s.replace(" ", "T")}:00+07:00`));

/**
 * The use cases stamp created_at/updated_at with the wall clock, not their Clock: give a table's seeded
 * rows of one entity type the moments their own audit events record (first and last).
 */
export async function stampFromAudit(tx: { execute: (sql: string, params: unknown[]) => Promise<unknown> }, tenant: string, table: "sub_activity" | "renja" | "rka", entityType: string): Promise<void> {
  await tx.execute(
    `update ${table} x set created_at = a.first, updated_at = a.last
       from (select entity_id, min(at) as first, max(at) as last from audit_event where tenant_code = ? and entity_type = ? group by entity_id) a
      where x.id::text = a.entity_id and x.tenant_code = ?`,
    [tenant, entityType, tenant],
  );
}
