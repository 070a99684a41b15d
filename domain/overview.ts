import type { EntityManager } from "@mikro-orm/postgresql";
import { countRegionsWithin } from "./regions/queries";

import type { Stage } from "./stages";

/**
 * The public home's live figures: the tenant's regions and OPDs, and one count per stage of the cycle.
 * A stage whose module does not exist yet reports null (shown as "being built"), never a made-up zero.
 */
export async function tenantOverview(em: EntityManager, tenant: string) {
  const regions = await countRegionsWithin(em, tenant);
  const [{ n: opds }] = await em.execute<{ n: string }[]>("select count(*)::text as n from opd where tenant_code = ?", [tenant]);
  const [{ n: proposals }] = await em.execute<{ n: string }[]>("select count(*)::text as n from proposal where tenant_code = ?", [tenant]);
  const [{ n: subs }] = await em.execute<{ n: string }[]>("select count(*)::text as n from sub_activity where tenant_code = ?", [tenant]);
  const [{ n: lines }] = await em.execute<{ n: string }[]>("select count(*)::text as n from rka_line where tenant_code = ?", [tenant]);
  const [{ n: packages }] = await em.execute<{ n: string }[]>("select count(*)::text as n from proc_package where tenant_code = ? and status <> 'draft' and status <> 'cancelled'", [tenant]);
  const stages: Record<Stage, number | null> = {
    musrenbang: Number(proposals),
    planning: Number(subs),
    budgeting: Number(lines),
    procurement: Number(packages),
    ocds: null,
    monev: null,
  };
  return { kecamatan: regions[3] ?? 0, desa: regions[4] ?? 0, opds: Number(opds), stages };
}
