/**
 * npm run bench — scale and speed figures for the README, on this machine, against the real server.
 *
 *   foundation: all regions of Indonesia imported into an empty database (cold) and again (idempotent);
 *               GET / and GET /healthz at 50 concurrent connections (p95 must stay under 50 ms).
 *   musrenbang: Bojonegoro's 430 desa × --per-desa proposals (default 40 → ~17,200) generated for one
 *               fiscal year (tests/bench/generate-musrenbang.ts), then, with the microcache off so that
 *               every request renders, at 20 concurrent connections: the public tracker list and its
 *               API for each kecamatan in turn, and a proposal's page and its API for 500 proposals in
 *               turn (p95 must stay under 150 ms).
 *
 * Starts its own embedded PostgreSQL in a temporary folder and the production build of the server.
 * Options: --seconds N (default 10), --only all|regions|http|musrenbang, --per-desa N (default 40).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../../schema/embedded-postgres";
import { createOrm, migrate } from "../../domain/persistence";
import { importRegions } from "../../imports/regions/idn-area";
import { seedDemo } from "../../imports/demo/seed";
import { generateMusrenbang } from "./generate-musrenbang";
import { load, type LoadResult } from "./load";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seconds = Number(arg("seconds", "10"));
const only = arg("only", "all");
const perDesa = Number(arg("per-desa", "40"));
if (!["all", "regions", "http", "musrenbang"].includes(only)) throw new Error(`--only ${only}: expected all, regions, http or musrenbang`);
const runs = (section: string) => only === "all" || only === section;
/** The fiscal year generated for the musrenbang section: clear of the demo's 2027 and 2028 cycles. */
const BENCH_YEAR = 2030;

/** Starts the production build against the bench database; resolves when /healthz answers. */
async function startServer(url: string, env: Record<string, string> = {}): Promise<{ base: string; stop: () => Promise<void> }> {
  if (!existsSync("build/index.js")) throw new Error("run `npm run build` first");
  const port = await freePort();
  const server: ChildProcess = spawn("node_modules/.bin/tsx", ["server.ts"], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", ...env },
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
  return {
    base,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    },
  };
}

const line = (what: string, r: LoadResult) =>
  `GET ${what.padEnd(34)} ${r.connections} conns: ${r.rps} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms (errors ${r.errors}, non-2xx ${r.non2xx})`;

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
  if (runs("regions")) console.log(`regions: ${cold.inserted} rows imported in ${cold.ms} ms; again (idempotent) in ${warm.ms} ms`);
  await seedDemo(orm.em.fork(), { allowed: true });
  await orm.close(true);

  if (runs("http")) {
    const { base, stop } = await startServer(pg.url("bench"));
    try {
      const http: LoadResult[] = [];
      for (const p of ["/", "/healthz"]) {
        await load(base, p, { connections: 10, seconds: 2 }); // warm-up
        const r = await load(base, p, { connections: 50, seconds });
        http.push(r);
        console.log(line(p, r));
      }
      results.http = http;
    } finally {
      await stop();
    }
  }

  if (runs("musrenbang")) {
    const g = await generateMusrenbang(pg.url("bench"), { year: BENCH_YEAR, perDesa });
    const { sampleIds, kecamatan, ...summary } = g;
    results.musrenbangData = summary;
    console.log(
      `musrenbang: ${g.proposals} proposals, ${g.events} timeline steps, ${g.scores} scores, ${g.entries} ranks in ${g.forums} forums for ${g.year}, generated in ${g.ms.total} ms (build ${g.ms.build}, insert ${g.ms.insert}, analyze ${g.ms.analyze})`,
    );
    // Every request renders: this measures the server and the database, not the microcache.
    const { base, stop } = await startServer(pg.url("bench"), { MICROCACHE_SECONDS: "0" });
    const targets: { label: string; paths: string[] }[] = [
      { label: `/usulan?kecamatan=<${kecamatan.length} in turn>`, paths: kecamatan.map((k) => `/usulan?kecamatan=${k}`) },
      { label: `/api/usulan?kecamatan=<${kecamatan.length} in turn>`, paths: kecamatan.map((k) => `/api/usulan?kecamatan=${k}`) },
      { label: `/usulan/<${sampleIds.length} ids in turn>`, paths: sampleIds.map((id) => `/usulan/${id}`) },
      { label: `/api/usulan/<${sampleIds.length} ids in turn>`, paths: sampleIds.map((id) => `/api/usulan/${id}`) },
    ];
    try {
      const http: LoadResult[] = [];
      for (const t of targets) {
        const probe = await fetch(base + t.paths[0]);
        if (!probe.ok) console.log(`GET ${t.paths[0]} answered ${probe.status}: the route is missing or failing`);
        await load(base, t.paths, { connections: 10, seconds: 2, label: t.label }); // warm-up
        const r = await load(base, t.paths, { connections: 20, seconds, label: t.label });
        http.push(r);
        console.log(line(t.label, r) + (r.p95 < 150 ? "" : "  ← over the 150 ms target"));
      }
      results.musrenbang = http;
    } finally {
      await stop();
    }
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
