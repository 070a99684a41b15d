/**
 * npm run audit:verify [-- --tenant 35.22] — walks every tenant's audit chain (or one) and reports
 * the first broken link. Exit code 0 when intact, 1 when broken.
 */
import { verifyAuditChain } from "../domain/audit/verify";
import { withOrm } from "./cli";

const i = process.argv.indexOf("--tenant");
const only = i > 0 ? process.argv[i + 1] : undefined;

await withOrm(async (orm) => {
  const em = orm.em.fork();
  const tenants = only
    ? [only]
    : (await em.execute<{ t: string }[]>("select distinct tenant_code as t from audit_event order by 1")).map((r) => r.t);
  let broken = 0;
  for (const tenant of tenants) {
    const r = await verifyAuditChain(em, tenant);
    if (r.ok) console.log(`${tenant}: intact (${r.checked} events)`);
    else {
      broken++;
      console.log(`${tenant}: BROKEN at event #${r.broken!.id} (${r.broken!.reason === "hash" ? "content changed" : "link broken: a row removed or inserted"}) after ${r.checked} good events`);
    }
  }
  if (tenants.length === 0) console.log("no audit events yet");
  return broken ? 1 : 0;
});
