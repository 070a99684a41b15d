import { getOrm, closeOrm } from "./db.server";
import { config } from "./config.server";
import { migrate } from "../domain/persistence";
import { importRegions } from "../imports/regions/idn-area";
import { seedDemo } from "../imports/demo/seed";
import { ensureTenant } from "../domain/tenancy/tenants";
import { Actor } from "../domain/identity/actor";
import { seedNomenclature } from "../imports/nomenclature/demo";
import { syncReferenceData } from "../imports/reference";
import { syncOcdsRecords } from "../exports/ocds/records";
import { publicUrlWarning } from "../exports/ocds/publish";
import { DEMO_TENANT, DEMO_USERS, DEMO_PASSWORD } from "../imports/demo/bojonegoro";
import { DEMO_CONSULTANT } from "../imports/demo/monev";

/**
 * Brings the database to the code's schema and loads what an empty database needs: the regions of
 * Indonesia, then the tenant (with the demo data when allowed). Called by the server before it listens.
 */
export async function boot(opts: { allowDemo: boolean; log?: (s: string) => void }) {
  const log = opts.log ?? (() => {});
  const warning = publicUrlWarning();
  if (warning) log(warning);
  const orm = await getOrm();
  const applied = await migrate(orm);
  if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
  // The dated reference data shipped with this version: procurement method rules, national holidays.
  await syncReferenceData(orm.em.fork());
  // Every contracting process's stored OCDS record, for databases published before ocds_record (one query when none is behind).
  await syncOcdsRecords(orm.em.fork());
  const em = orm.em.fork();
  const [{ n }] = await em.execute<{ n: string }[]>("select count(*)::text as n from region");
  if (n === "0") {
    const r = await importRegions(em);
    log(`regions imported: ${r.counts.desaKelurahan} desa/kelurahan in ${r.ms} ms`);
  }
  const tenant = config().tenant;
  let demo = false;
  if (tenant === DEMO_TENANT.code && opts.allowDemo) {
    demo = (await seedDemo(em, { allowed: true })).created;
    if (demo) log("demo tenant loaded: Kabupaten Bojonegoro");
  } else {
    await ensureTenant(em, tenant);
    // The national reference lists shipped with Jejak, and each OPD's bidang urusan from its code.
    await seedNomenclature(orm.em.fork(), Actor.system(tenant, "boot"));
  }
  return {
    tenant,
    demoAccounts: tenant === DEMO_TENANT.code && opts.allowDemo ? [...DEMO_USERS.map((u) => ({ username: u.username, role: u.role as string })), { username: DEMO_CONSULTANT.username, role: "supervising_consultant" }] : [],
    demoPassword: DEMO_PASSWORD,
  };
}

export async function shutdown(): Promise<void> {
  await closeOrm();
}
