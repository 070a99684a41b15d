import type { EntityManager } from "@mikro-orm/postgresql";
import { Opd } from "./opd.entity";
import { Tenant } from "./tenant.entity";

export interface OpdView {
  id: string;
  code: string;
  name: string;
  shortName: string;
}

/** The tenant's OPDs (the tenant the unit of work is limited to), by code. */
export async function listOpds(em: EntityManager): Promise<OpdView[]> {
  const { tenant } = em.getFilterParams<{ tenant: string }>("tenant") ?? {};
  if (!tenant) throw new Error("listOpds needs a unit of work limited to a tenant");
  return em.execute<OpdView[]>('select id, code, name, short_name as "shortName" from opd where tenant_code = ? order by code', [tenant]);
}

export async function findOpdByCode(em: EntityManager, code: string): Promise<OpdView | null> {
  const o = await em.findOne(Opd, { code });
  return o ? { id: o.id, code: o.code, name: o.name, shortName: o.shortName } : null;
}

export async function tenantName(em: EntityManager, code: string): Promise<string | null> {
  const t = await em.findOne(Tenant, { code });
  return t?.name ?? null;
}
