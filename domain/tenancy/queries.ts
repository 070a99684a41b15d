import type { EntityManager } from "@mikro-orm/postgresql";
import { Opd } from "./opd.entity";
import { Tenant } from "./tenant.entity";

export interface OpdView {
  id: string;
  code: string;
  name: string;
  shortName: string;
}

export async function listOpds(em: EntityManager): Promise<OpdView[]> {
  const rows = await em.find(Opd, {}, { orderBy: { code: "asc" } });
  return rows.map((o) => ({ id: o.id, code: o.code, name: o.name, shortName: o.shortName }));
}

export async function findOpdByCode(em: EntityManager, code: string): Promise<OpdView | null> {
  const o = await em.findOne(Opd, { code });
  return o ? { id: o.id, code: o.code, name: o.name, shortName: o.shortName } : null;
}

export async function tenantName(em: EntityManager, code: string): Promise<string | null> {
  const t = await em.findOne(Tenant, { code });
  return t?.name ?? null;
}
