export { Tenant } from "./tenant.entity";
export { Opd } from "./opd.entity";
export * from "./tenants";
export * from "./queries";
