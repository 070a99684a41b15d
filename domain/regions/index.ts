export { Region, REGION_KINDS, type RegionKind } from "./region.entity";
export * from "./queries";
