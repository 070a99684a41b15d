import { defineEntity, p } from "@mikro-orm/core";

export const REGION_KINDS = ["provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/** A region of Indonesia by its Kemendagri code. National reference data, shared by all tenants. */
const RegionSchema = defineEntity({
  name: "Region",
  tableName: "region",
  properties: {
    code: p.string().primary(),
    level: p.smallint(),
    kind: p.enum([...REGION_KINDS]),
    parentCode: p.string().nullable(),
    name: p.string(),
  },
});

export class Region extends RegionSchema.class {}
RegionSchema.setClass(Region);
export { RegionSchema };
