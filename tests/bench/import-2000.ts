/**
 * tsx tests/bench/import-2000.ts — the offline forum's Excel file at scale: 2,000 new proposals for one
 * open desa forum (target: imported in under 10 s), then the 2,000-row round trip untouched, every row
 * edited, and every row scored.
 *
 * Starts its own embedded PostgreSQL in a temporary folder (regions imported, demo tenant seeded).
 * Options: --rows N (default 2000).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import { startEmbeddedPostgres } from "../../schema/embedded-postgres";
import { createOrm, migrate } from "../../domain/persistence";
import { importRegions } from "../../imports/regions/idn-area";
import { seedDemo } from "../../imports/demo/seed";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { loadActor } from "../../domain/identity/authenticate";
import { fixedClock } from "../../domain/kernel/clock";
import { Forum, moveForum, scheduleYear } from "../../domain/musrenbang";
import { FORUM_SHEET, writeForumTemplate } from "../../exports/xlsx/musrenbang";
import { forumTemplateData } from "../../exports/xlsx/musrenbang-data";
import { importForumSheet, type ForumSheetResult } from "../../imports/musrenbang/forum-sheet";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROWS = Number(arg("rows", "2000"));
const TARGET_MS = 10_000;
const YEAR = 2031; // clear of the demo cycles (imports/demo/musrenbang.ts)
const NGUNUT = "35.22.06.2001";
const PU = "1.03.0.00.0.00.01.0000";
const clock = fixedClock("2026-01-10T02:00:00Z");

async function timed<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = Math.round(performance.now() - t0);
  console.log(`${what}: ${ms} ms`);
  return { value, ms };
}

async function rewrite(buffer: Buffer, change: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  change(wb.getWorksheet(FORUM_SHEET.usulan)!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function check(r: ForumSheetResult, expected: Partial<Record<"created" | "updated" | "scored" | "unchanged", number>>) {
  if (!r.ok) throw new Error(`import refused: ${JSON.stringify(r.errors.slice(0, 5))} (${r.errors.length} errors)`);
  for (const [k, v] of Object.entries(expected)) if (r[k as keyof typeof expected] !== v) throw new Error(`expected ${k} = ${v}, got ${JSON.stringify(r)}`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-bench-import-"));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false });
const results: Record<string, unknown> = { machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.version}`, rows: ROWS };
try {
  await pg.createDatabase("bench");
  const orm = await createOrm(pg.url("bench"));
  await migrate(orm);
  await importRegions(orm.em.fork());
  await seedDemo(orm.em.fork(), { allowed: true });
  const em = (): EntityManager => {
    const e = orm.em.fork();
    e.setFilterParams("tenant", { tenant: DEMO_TENANT.code });
    return e;
  };
  const actor = async (username: string) => {
    const [{ id }] = await em().execute<{ id: string }[]>("select id from app_user where username = ?", [username]);
    return (await loadActor(em(), DEMO_TENANT.code, id))!;
  };
  const window = { opensAt: new Date(Date.UTC(2026, 0, 1)), closesAt: new Date(Date.UTC(2026, 0, 20)) };
  await scheduleYear(em(), await actor("bappeda"), clock, { fiscalYear: YEAR, windows: { desa: window } });
  const fasil = await actor("fasil.desa");
  const forum = async () => em().findOneOrFail(Forum, { fiscalYear: YEAR, level: "desa", regionCode: NGUNUT });
  let f = await forum();
  await moveForum(em(), fasil, clock, f.id, "open", f.version);
  const template = () => forumTemplateData(em(), fasil, f.id).then(writeForumTemplate);

  const empty = await template();
  const filled = await timed(`generate a ${ROWS}-row file`, () =>
    rewrite(empty, (ws) => {
      for (let i = 1; i <= ROWS; i++)
        ws.addRow([
          null,
          `Pembangunan jalan lingkungan RT ${i}`,
          "Jalan tanah rusak dan berlumpur saat hujan, menghambat anak sekolah dan hasil panen.",
          i % 3 ? "fisik" : "nonfisik",
          "prasarana_wilayah",
          "1.03",
          PU,
          `Dusun Krajan RT ${i}`,
          String(1 + (i % 20)).padStart(3, "0"),
          "001",
          i % 2 ? Number((-7.15 - i / 1e6).toFixed(6)) : null,
          i % 2 ? Number((111.88 + i / 1e6).toFixed(6)) : null,
          100 + (i % 400),
          "m",
          i % 5 ? 150_000_000 + i * 1000 : `${150_000_000 + i}.50`,
          100 + i,
        ]);
    }),
  );
  results.fileBytes = filled.value.length;
  const created = await timed(`import ${ROWS} new proposals`, () => importForumSheet(em(), fasil, clock, f.id, filled.value));
  check(created.value, { created: ROWS });
  results.importNewMs = created.ms;

  const exported = await timed(`export the ${ROWS}-row template`, template);
  results.exportMs = exported.ms;
  const untouched = await timed(`import the untouched ${ROWS}-row template`, () => importForumSheet(em(), fasil, clock, f.id, exported.value));
  check(untouched.value, { unchanged: ROWS });
  results.importUntouchedMs = untouched.ms;

  const edited = await rewrite(exported.value, (ws) => {
    for (let i = 2; i <= ROWS + 1; i++) ws.getRow(i).getCell(14).value = "meter";
  });
  const updated = await timed(`import ${ROWS} edited rows`, () => importForumSheet(em(), fasil, clock, f.id, edited));
  check(updated.value, { updated: ROWS });
  results.importEditedMs = updated.ms;

  f = await forum();
  await moveForum(em(), fasil, clock, f.id, "startScoring", f.version);
  const scoredFile = await rewrite(await template(), (ws) => {
    for (let i = 2; i <= ROWS + 1; i++) for (let c = 17; c <= 20; c++) ws.getRow(i).getCell(c).value = 1 + ((i * c) % 5);
  });
  const scored = await timed(`import ${ROWS} scored rows`, () => importForumSheet(em(), fasil, clock, f.id, scoredFile));
  check(scored.value, { scored: ROWS });
  results.importScoredMs = scored.ms;

  results.target = `${ROWS} new rows in < ${TARGET_MS} ms: ${created.ms < TARGET_MS ? "met" : "MISSED"}`;
  console.log(JSON.stringify(results, null, 2));
  await orm.close(true);
  if (created.ms >= TARGET_MS) process.exitCode = 1;
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
