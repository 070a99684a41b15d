import { defineEntity, p } from "@mikro-orm/core";

/** A pemda using Jejak, identified by its Kemendagri code (e.g. 35.22 Kabupaten Bojonegoro). */
const TenantSchema = defineEntity({
  name: "Tenant",
  tableName: "tenant",
  properties: {
    code: p.string().primary(),
    name: p.string(),
    timeZone: p.string().default("Asia/Jakarta"),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
export { TenantSchema };
