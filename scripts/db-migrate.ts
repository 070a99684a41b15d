/** npm run db:migrate — applies pending migrations from schema/migrations. */
import { migrate } from "../domain/persistence";
import { syncReferenceData } from "../imports/reference";
import { syncOcdsRecords } from "../exports/ocds/records";
import { withOrm } from "./cli";

await withOrm(async (orm) => {
  const applied = await migrate(orm);
  await syncReferenceData(orm.em.fork());
  await syncOcdsRecords(orm.em.fork());
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
});
