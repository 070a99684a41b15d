/**
 * npm run pengaduan:escalate — escalates every tenant's overdue citizen reports once, as the server does at
 * boot and every ESCALATION_MINUTES. For cron in deployments with several server processes (set
 * ESCALATION_MINUTES=0 on the servers then). Prints one line per tenant; exit 1 when a tenant's run failed.
 */
import { escalateAllTenants } from "../domain/oversight/escalation-job";
import { systemClock } from "../domain/kernel/clock";
import { withOrm } from "./cli";

await withOrm(async (orm) => {
  const results = await escalateAllTenants(() => orm.em.fork(), systemClock, (s) => console.error(`[jejak] ${s}`));
  for (const r of results) console.log(`${r.tenant}: ${r.error ? `FAILED (${r.error})` : `${r.escalated} escalated`}`);
  if (results.length === 0) console.log("no tenants yet");
  return results.some((r) => r.error) ? 1 : 0;
});
