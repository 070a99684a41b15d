import { pathToFileURL } from "node:url";

/**
 * A generator run on its own (`tsx tests/bench/generate-<stage>.ts --year YYYY [--<option> N]…`), against
 * the database `npm start` would use (DATABASE_URL or the embedded one): when `moduleUrl` is the script
 * being run, reads `--year` (required) and the numeric options, generates, prints the summary as JSON and
 * stops the database. Exit code 2 on a bad year, 1 when the generator fails.
 */
export async function runStandalone(
  moduleUrl: string,
  script: string,
  options: readonly string[],
  generate: (url: string, year: number, num: (name: string) => number | undefined) => Promise<unknown>,
): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const year = Number(arg("year"));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    console.error(`usage: tsx tests/bench/${script} --year YYYY ${options.map((o) => `[--${o} N]`).join(" ")}`);
    process.exit(2);
  }
  const { openDatabase } = await import("../../scripts/database");
  const db = await openDatabase({ log: (s) => console.error(`[jejak] ${s}`) });
  try {
    const num = (name: string) => (arg(name) ? Number(arg(name)) : undefined);
    console.log(JSON.stringify(await generate(db.url, year, num), null, 2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  } finally {
    await db.stop();
  }
}
