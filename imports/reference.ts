import type { EntityManager } from "@mikro-orm/postgresql";
import { syncMethodRules } from "./procurement/method-rules";
import { syncNationalHolidays } from "./oversight/holidays";

/**
 * The dated reference data shipped with this version, brought into the database after its migrations: the
 * procurement method rules (imports/procurement/data/method-rules.csv) and the national holiday calendar
 * the complaint SLAs count working days over (imports/oversight/data/hari-libur-nasional.csv). Idempotent:
 * called at every boot, by db:migrate and db:seed, the test setup and the bench.
 */
export async function syncReferenceData(em: EntityManager): Promise<void> {
  await syncMethodRules(em.fork());
  await syncNationalHolidays(em.fork());
}
