import type { MikroORM } from "@mikro-orm/postgresql";
import { createOrm } from "../domain/persistence";
import { openDatabase } from "./database";
import "../exports/ocds/publish"; // procurement events publish their OCDS release from the command line too

/** Runs a command-line task against the project's database, then closes everything it opened. */
export async function withOrm(task: (orm: MikroORM) => Promise<number | void>): Promise<void> {
  const db = await openDatabase({ log: (s) => console.error(`[jejak] ${s}`) });
  const orm = await createOrm(db.url);
  let code = 0;
  try {
    code = (await task(orm)) ?? 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    code = 1;
  } finally {
    await orm.close(true);
    await db.stop();
  }
  process.exit(code);
}
