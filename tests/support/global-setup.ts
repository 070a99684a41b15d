/**
 * One embedded PostgreSQL for the whole test run, with template databases built once:
 *   jejak_tpl_empty — migrated, nothing else;
 *   jejak_tpl_demo  — migrated, all regions of Indonesia imported, the demo kabupaten seeded up to its
 *                     Musrenbang (what e-Planning starts from: accepted proposals, no plan yet);
 *   jejak_tpl_planned — also its e-Planning (RPJMD, the final RKPD 2027): what e-Budgeting starts from;
 *   jejak_tpl_budgeted — also its KUA-PPAS and RKA 2027 (one RKA still in TAPD's queue, no APBD yet);
 *   jejak_tpl_adopted — also the APBD 2027 adopted and its DPAs issued: what e-Procurement starts from;
 *   jejak_tpl_full  — also its e-Procurement (vendors, RUP, tenders, contracts): what e-Monev starts from, with
 *                     the road contract signed and nothing monitored yet;
 *   jejak_tpl_monev — the demo as `npm start` serves it (every stage: also the road contract's schedule,
 *                     progress reports, advance payment and a citizen's report answered).
 * Each test file then creates its own database from a template (see db.ts): fast and isolated.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../schema/embedded-postgres";
import { createOrm, migrate } from "../../domain/persistence";
import { importRegions } from "../../imports/regions/idn-area";
import { seedDemo } from "../../imports/demo/seed";
import { syncReferenceData } from "../../imports/reference";
import "../../exports/ocds/publish"; // the demo's procurement stage publishes its releases

export default async function setup() {
  if (process.env.JEJAK_TEST_PG_PORT) return; // an outer run already provides one
  const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-test-pg-"));
  chmodSync(dir, 0o755); // initdb runs as the "postgres" user when we are root
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), persistent: false });
  for (const [name, demo] of [["jejak_tpl_empty", false], ["jejak_tpl_demo", true]] as const) {
    await pg.createDatabase(name);
    const orm = await createOrm(pg.url(name));
    await migrate(orm);
    await syncReferenceData(orm.em.fork());
    if (demo) {
      await importRegions(orm.em.fork());
      await seedDemo(orm.em.fork(), { allowed: true, upTo: "musrenbang" });
    }
    await orm.close(true);
  }
  for (const [name, from, upTo] of [
    ["jejak_tpl_planned", "jejak_tpl_demo", "planning"],
    ["jejak_tpl_budgeted", "jejak_tpl_planned", "budgeting"],
    ["jejak_tpl_adopted", "jejak_tpl_budgeted", "apbd"],
    ["jejak_tpl_full", "jejak_tpl_adopted", "procurement"],
    ["jejak_tpl_monev", "jejak_tpl_full", "monev"],
  ] as const) {
    await pg.createDatabase(name, from);
    const orm = await createOrm(pg.url(name));
    await seedDemo(orm.em.fork(), { allowed: true, upTo });
    await orm.close(true);
  }
  process.env.JEJAK_TEST_PG_PORT = String(pg.port);
  process.env.JEJAK_TEST_PG_ADMIN_URL = pg.url("postgres");
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
