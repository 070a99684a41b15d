/**
 * npm run bench — scale and speed figures for the README, on this machine, against the real server.
 *
 *   foundation: all regions of Indonesia imported into an empty database (cold) and again (idempotent);
 *               GET / and GET /healthz at 50 concurrent connections (p95 must stay under 50 ms).
 *
 * Starts its own embedded PostgreSQL in a temporary folder and the production build of the server.
 * Options: --seconds N (default 10), --only regions|http.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../../schema/embedded-postgres";
import { createOrm, migrate } from "../../domain/persistence";
import { importRegions } from "../../imports/regions/idn-area";
import { seedDemo } from "../../imports/demo/seed";
import { load, type LoadResult } from "./load";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seconds = Number(arg("seconds", "10"));
const only = arg("only", "all");

const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-bench-"));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false });
const results: Record<string, unknown> = { machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.version}` };
try {
  await pg.createDatabase("bench");
  const orm = await createOrm(pg.url("bench"));
  await migrate(orm);
  const cold = await importRegions(orm.em.fork());
  const warm = await importRegions(orm.em.fork());
  results.regions = { rows: Object.values(cold.counts).reduce((a, b) => a + b, 0), coldMs: cold.ms, idempotentMs: warm.ms, inserted: cold.inserted, updatedOnSecondRun: warm.updated };
  console.log(`regions: ${cold.inserted} rows imported in ${cold.ms} ms; again (idempotent) in ${warm.ms} ms`);
  await seedDemo(orm.em.fork(), { allowed: true });
  await orm.close(true);

  if (only !== "regions") {
    if (!existsSync("build/index.js")) throw new Error("run `npm run build` first");
    const port = await freePort();
    const server = spawn("node_modules/.bin/tsx", ["server.ts"], {
      env: { ...process.env, DATABASE_URL: pg.url("bench"), PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 300) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    const http: LoadResult[] = [];
    for (const p of ["/", "/healthz"]) {
      await load(base, p, { connections: 10, seconds: 2 }); // warm-up
      const r = await load(base, p, { connections: 50, seconds });
      http.push(r);
      console.log(`GET ${p.padEnd(9)} 50 conns: ${r.rps} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms (errors ${r.errors}, non-2xx ${r.non2xx})`);
    }
    results.http = http;
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
