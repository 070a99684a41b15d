import { defineEntity, p } from "@mikro-orm/core";
import { tenantFilter } from "../kernel/tenant-owned";

/** One row of the append-only audit trail. Written only by `appendAudit`; read by the audit browser. */
const AuditEventSchema = defineEntity({
  name: "AuditEvent",
  tableName: "audit_event",
  filters: tenantFilter,
  readonly: true,
  properties: {
    id: p.bigint("string").primary(),
    tenantCode: p.string(),
    at: p.datetime(),
    actorId: p.uuid().nullable(),
    actorName: p.string(),
    action: p.string(),
    entityType: p.string(),
    entityId: p.string(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    prevHash: p.string(),
    hash: p.string(),
  },
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
export { AuditEventSchema };
