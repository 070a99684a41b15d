/**
 * tsx tests/bench/prices.ts (npm run bench:prices) — a 30,000-row standard price list (Excel) imported
 * through the real import (parse, check every row and account, store in one transaction) into a fresh
 * database; target: under 15 s in all. Then search-as-you-type at that size: median time of each
 * kind of query, and whether the plans use the trigram and accounts indexes.
 *
 * Starts its own embedded PostgreSQL in a temporary folder (migrated; only the demo tenant's region,
 * the tenant and the shipped account codes are loaded). Options: --rows N (default 30000).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { startEmbeddedPostgres } from "../../schema/embedded-postgres";
import { createOrm, migrate } from "../../domain/persistence";
import { ensureTenant } from "../../domain/tenancy/tenants";
import { Actor } from "../../domain/identity/actor";
import { systemClock } from "../../domain/kernel/clock";
import { priceSearchQuery, searchPrices, type PriceSearch } from "../../domain/budgeting/prices";
import { seedNomenclature } from "../../imports/nomenclature/demo";
import { importPriceListFile, priceRows, readPriceTable } from "../../imports/budgeting/price-list";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { generatePriceListXlsx } from "./generate-prices";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROWS = Number(arg("rows", "30000"));
const TARGET_MS = 15_000;
const YEAR = 2027;
const T = DEMO_TENANT.code;

async function timed<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = Math.round(performance.now() - t0);
  console.log(`${what}: ${ms} ms`);
  return { value, ms };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-bench-prices-"));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false });
const results: Record<string, unknown> = { machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.version}`, rows: ROWS };
try {
  await pg.createDatabase("bench");
  const orm = await createOrm(pg.url("bench"));
  await migrate(orm);
  const em = (): EntityManager => {
    const e = orm.em.fork();
    e.setFilterParams("tenant", { tenant: T });
    return e;
  };
  await em().execute("insert into region (code, level, kind, parent_code, name) values ('35', 1, 'provinsi', null, 'JAWA TIMUR'), ('35.22', 2, 'kabupaten', '35', 'KABUPATEN BOJONEGORO')");
  await ensureTenant(orm.em.fork(), T, DEMO_TENANT.name);
  const actor = Actor.system(T, "bench");
  await seedNomenclature(em(), actor);

  const file = await timed(`generate a ${ROWS}-row xlsx`, () => generatePriceListXlsx({ rows: ROWS }));
  results.fileBytes = file.value.length;
  const parsed = await timed("  (parse only: read the workbook, find the header, read the rows)", async () => {
    const t = await readPriceTable(file.value, "ssh.xlsx");
    return "errors" in t ? t : priceRows(t.table);
  });
  if ("errors" in parsed.value) throw new Error(JSON.stringify(parsed.value.errors.slice(0, 3)));
  results.parseMs = parsed.ms;

  const imported = await timed(`import ${ROWS} rows (parse + check + insert, one transaction)`, () =>
    importPriceListFile(em(), actor, systemClock, { kind: "SSH", fiscalYear: YEAR, decree: "Perbup Bench 1/2026" }, file.value, "ssh.xlsx"),
  );
  if (!imported.value.ok) throw new Error(`import refused: ${JSON.stringify(imported.value.errors.slice(0, 5))} (${imported.value.errors.length} errors)`);
  if (imported.value.count !== ROWS) throw new Error(`expected ${ROWS} items, got ${imported.value.count}`);
  results.importMs = imported.ms;
  await em().execute("analyze price_item");

  const queries: Record<string, PriceSearch> = {
    "word (semen)": { q: "semen", year: YEAR },
    "words (pipa pvc 4 inci)": { q: "pipa pvc 4 inci", year: YEAR },
    "near spelling (semen portlan)": { q: "semen portlan", year: YEAR },
    "near spelling, few exact (pasir lumajng)": { q: "pasir lumajng", year: YEAR },
    "code prefix (1.1.7.01.03.05)": { q: "1.1.7.01.03.05", year: YEAR },
    "account only (5.1.02.01.01.0052)": { q: "", account: "5.1.02.01.01.0052", year: YEAR },
    "word + account (nasi, 5.1.02.01.01.0052)": { q: "nasi", account: "5.1.02.01.01.0052", year: YEAR },
  };
  const search: Record<string, unknown> = {};
  for (const [label, s] of Object.entries(queries)) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      hits = (await searchPrices(em(), T, { ...s, limit: 20 })).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The plan of each query searchPrices ran: every word, then (when that found too few) near spellings.
    const exact = priceSearchQuery(T, { ...s, limit: 20 });
    const found = (await em().execute<unknown[]>(exact.sql, exact.params)).length;
    const phases = found < 20 ? [exact, priceSearchQuery(T, { ...s, limit: 20 }, "fuzzy", 20 - found)] : [exact];
    const plans: string[] = [];
    for (const p of phases.filter((x) => x.sql)) {
      const rows = await em().execute<{ "QUERY PLAN": string }[]>(`explain (analyze, costs off) ${p.sql}`, p.params);
      plans.push(rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
    const plan = plans.join("\n---\n");
    const indexes = [...new Set(plan.match(/price_item_\w+/g) ?? [])];
    const exec = [...plan.matchAll(/Execution Time: ([\d.]+) ms/g)].map((m) => m[1]).join(" + ");
    search[label] = { hits, medianMs: Number(times[10].toFixed(1)), dbExecutionMs: exec, indexes };
    console.log(`search ${label}: ${hits} hits, median ${times[10].toFixed(1)} ms (database ${exec} ms), indexes: ${indexes.join(", ") || "none"}`);
    if (process.argv.includes("--plans")) console.log(plan);
  }
  results.search = search;
  results.target = `${ROWS} rows in < ${TARGET_MS} ms: ${imported.ms < TARGET_MS ? "met" : "MISSED"}`;
  console.log(JSON.stringify(results, null, 2));
  await orm.close(true);
  if (imported.ms >= TARGET_MS) process.exitCode = 1;
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
