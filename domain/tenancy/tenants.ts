import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import { parseKodeWilayah } from "../kernel/codes";
import { Region } from "../regions/region.entity";
import { Tenant } from "./tenant.entity";

/**
 * Registers a pemda (provinsi or kabupaten/kota) as a tenant, once. Its region must have been
 * imported: the tenant's kecamatan and desa come from there.
 */
export async function ensureTenant(em: EntityManager, code: string, name?: string): Promise<Tenant> {
  const { level } = parseKodeWilayah(code, "tenant");
  if (level > 2) throw new DomainError("tenant.level", { code });
  const fork = em.fork();
  const existing = await fork.findOne(Tenant, { code });
  if (existing) return existing;
  const region = await fork.findOne(Region, { code });
  if (!region) throw new DomainError("region.unknown", { code });
  const tenant = fork.create(Tenant, { code, name: name ?? region.name, timeZone: "Asia/Jakarta" });
  await fork.flush();
  return tenant;
}

export async function findTenant(em: EntityManager, code: string): Promise<Tenant | null> {
  return em.fork().findOne(Tenant, { code });
}
