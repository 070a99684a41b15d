import { defineEntity, p } from "@mikro-orm/core";
import { tenantFilter, tenantOwnedProperties } from "../kernel/tenant-owned";

/** An organisasi perangkat daerah (dinas, badan, kecamatan office) of the tenant. */
const OpdSchema = defineEntity({
  name: "Opd",
  tableName: "opd",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    ...tenantOwnedProperties(),
    code: p.string(),
    name: p.string(),
    shortName: p.string(),
  },
});

export class Opd extends OpdSchema.class {}
OpdSchema.setClass(Opd);
export { OpdSchema };
