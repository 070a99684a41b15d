/** npm run db:migrate — applies pending migrations from schema/migrations. */
import { migrate } from "../domain/persistence";
import { syncMethodRules } from "../imports/procurement/method-rules";
import { withOrm } from "./cli";

await withOrm(async (orm) => {
  const applied = await migrate(orm);
  await syncMethodRules(orm.em.fork());
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
});
