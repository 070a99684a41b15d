import { p } from "@mikro-orm/core";

/**
 * The tenant filter: every query on a tenant-owned entity is limited to one pemda. It is on by
 * default and needs its argument, so a query without a tenant fails loudly instead of leaking rows.
 */
export const tenantFilter = {
  tenant: {
    name: "tenant",
    cond: (args: { tenant: string }) => ({ tenantCode: args.tenant }),
    default: true,
  },
};

/** Properties every tenant-owned aggregate carries: tenant, optimistic-lock version, timestamps. */
export const tenantOwnedProperties = () => ({
  tenantCode: p.string(),
  version: p.integer().version(),
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
});
