/** npm run db:seed — loads the demo kabupaten (refused when NODE_ENV=production). */
import { migrate } from "../domain/persistence";
import { importRegions } from "../imports/regions/idn-area";
import { demoAllowed, seedDemo } from "../imports/demo/seed";
import { syncReferenceData } from "../imports/reference";
import { withOrm } from "./cli";

await withOrm(async (orm) => {
  if (!demoAllowed()) {
    console.error("Refused: demo data is never loaded when NODE_ENV=production.");
    return 2;
  }
  await migrate(orm);
  await syncReferenceData(orm.em.fork());
  const em = orm.em.fork();
  const [{ n }] = await em.execute<{ n: string }[]>("select count(*)::text as n from region");
  if (n === "0") await importRegions(em);
  const r = await seedDemo(orm.em.fork(), { allowed: true });
  console.log(r.created ? "demo tenant loaded" : "demo tenant already present: nothing changed");
});
