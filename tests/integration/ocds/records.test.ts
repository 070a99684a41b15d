import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { EntityManager } from "@mikro-orm/postgresql";
import { useTestDatabase } from "../../support/db";
import { BASE, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import type { PublishedProcurementEvent } from "../../../domain/procurement/events";
import { mergerFor } from "../../../exports/ocds/merge";
import { ocdsConfig, publishEvent } from "../../../exports/ocds/publish";
import { reusableCompiled, syncOcdsRecords } from "../../../exports/ocds/records";
import { bulkState, compiledReleaseBytes, compiledReleaseLines } from "../../../exports/ocds/bulk";
import { tenantRedFlags } from "../../../exports/ocds/red-flags";
import { loadOcdsSchemas, type JsonObject } from "../../../exports/ocds/schema";
import { loader as bulkLoader } from "../../../app/routes/ocds.bulk.$file";
import { loader as recordsLoader } from "../../../app/routes/api.ocds.records";

/**
 * Stored OCDS records (ocds_record, exports/ocds/records.ts): the publisher keeps each process's compiled
 * release equal, text for text, to compiling all its releases — a later release merged in, an earlier-dated
 * one compiled again, two transactions publishing at once — and the backfill restores the same rows.
 */
const db = useTestDatabase("full");
const merger = () => mergerFor(loadOcdsSchemas().release);

interface RecordRow {
  ocid: string;
  tenant_code: string;
  package_id: string;
  seq: string;
  compiled: string;
  latest_seq: string;
  latest_date: string;
  releases: number;
}

const records = (em: EntityManager) =>
  em.execute<RecordRow[]>(
    "select ocid, tenant_code, package_id, seq::text as seq, compiled::text as compiled, latest_seq::text as latest_seq, latest_date::text as latest_date, releases from ocds_record order by ocid",
  );

/** Every process's record as compiling all its releases gives it (JSON text, key order included), with its counts. */
async function expectAllCompiled(em: EntityManager): Promise<RecordRow[]> {
  const rows = await records(em);
  const processes = await em.execute<{ ocid: string; seq: string; package_id: string; tenant_code: string }[]>(
    "select p.ocid, p.seq::text as seq, p.package_id, p.tenant_code from ocds_process p order by p.ocid",
  );
  expect(rows.map((r) => r.ocid)).toEqual(processes.map((p) => p.ocid));
  const releases = await em.execute<{ ocid: string; seq: string; data: string }[]>("select r.ocid, r.seq::text as seq, r.data::text as data from ocds_release r order by r.ocid, r.seq");
  const m = merger();
  processes.forEach((p, i) => {
    const own = releases.filter((r) => r.ocid === p.ocid);
    const row = rows[i];
    const all = own.map((r) => JSON.parse(r.data) as JsonObject);
    expect(row.compiled, p.ocid).toBe(JSON.stringify(m.compiledRelease(all)));
    // The record API's compiled release (read off the versioned one) is the same text.
    expect(row.compiled, p.ocid).toBe(JSON.stringify(m.record(all).compiledRelease));
    expect([row.releases, row.latest_seq, row.seq, row.package_id, row.tenant_code], p.ocid).toEqual([own.length, own[own.length - 1].seq, p.seq, p.package_id, p.tenant_code]);
  });
  return rows;
}

/** When the other processes' records were last written. */
const touched = (em: EntityManager, ocid: string) => em.execute<{ ocid: string; at: string }[]>("select ocid, updated_at::text as at from ocds_record where ocid <> ? order by ocid", [ocid]);

let fakeEvent = 9_000_000_000;
/** A procurement event of a package (a RUP change), as the domain hands it to the publisher. */
function amendment(packageId: string, at: Date): PublishedProcurementEvent {
  const id = String(fakeEvent++);
  return { id, tenant: T, packageId, type: "PackageAmended", at, entityType: "ProcPackage", entityId: packageId, payload: { changes: {} } };
}

async function aProcess(em: EntityManager): Promise<{ ocid: string; packageId: string; first: Date; last: Date; n: number }> {
  const [p] = await em.execute<{ ocid: string; package_id: string; first: string; last: string; n: number }[]>(
    `select r.ocid, r.package_id, min(r.date)::text as first, max(r.date)::text as last, count(*)::int as n from ocds_release r
      group by r.ocid, r.package_id having count(*) >= 3 order by count(*) desc, r.ocid limit 1`,
  );
  expect(p, "the full demo has a process with several releases").toBeTruthy();
  return { ocid: p.ocid, packageId: p.package_id, first: new Date(p.first), last: new Date(p.last), n: p.n };
}

describe("stored OCDS records", () => {
  it("holds, for every process of the full demo, the compiled release of all its releases", async () => {
    const rows = await expectAllCompiled(db.em());
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.some((r) => r.releases > 2)).toBe(true);
    // The demo's compiled releases can all take the next release by merging (records.ts), not by compiling all again.
    expect(rows.filter((r) => !reusableCompiled(JSON.parse(r.compiled) as JsonObject)).map((r) => r.ocid)).toEqual([]);
  });

  it("merges a later release into the stored record, and compiles the process again for an earlier-dated one", async () => {
    const em = db.em();
    const p = await aProcess(em);
    const before = await records(em);
    const touchedBefore = await touched(em, p.ocid);
    const later = new Date(p.last.getTime() + 3_600_000);
    await em.transactional((tx) => publishEvent(tx, amendment(p.packageId, later)));
    const earlier = new Date(p.first.getTime() + 1000); // before the latest, after the first
    await em.transactional((tx) => publishEvent(tx, amendment(p.packageId, earlier)));
    const after = await expectAllCompiled(db.em());
    const row = after.find((r) => r.ocid === p.ocid)!;
    expect(row.releases).toBe(p.n + 2);
    expect(new Date(String((JSON.parse(row.compiled) as JsonObject).date)).getTime()).toBe(later.getTime());
    // No other process was touched.
    const others = (rows: RecordRow[]) => rows.filter((r) => r.ocid !== p.ocid);
    expect(others(after)).toEqual(others(before));
    expect(await touched(em, p.ocid)).toEqual(touchedBefore);
  });

  it("loses no update when two transactions publish for one process at once", async () => {
    const p = await aProcess(db.em());
    const at = new Date(p.last.getTime() + 7_200_000);
    for (const dates of [
      [at, new Date(at.getTime() + 1000)],
      [new Date(at.getTime() + 5000), new Date(at.getTime() + 5000)], // equal dates: publication order
      [new Date(at.getTime() + 9000), new Date(at.getTime() + 8000)], // the second dated first
    ]) {
      let published!: () => void;
      const firstPublished = new Promise<void>((r) => (published = r));
      let commit!: () => void;
      const mayCommit = new Promise<void>((r) => (commit = r));
      const first = db.em().transactional(async (tx) => {
        await publishEvent(tx, amendment(p.packageId, dates[0]));
        published();
        await mayCommit;
      });
      await firstPublished;
      let secondDone = false;
      const second = db
        .em()
        .transactional((tx) => publishEvent(tx, amendment(p.packageId, dates[1])))
        .then(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone, "the second publisher waits for the first's record").toBe(false);
      commit();
      await Promise.all([first, second]);
    }
    const rows = await expectAllCompiled(db.em());
    expect(rows.find((r) => r.ocid === p.ocid)!.releases).toBe(p.n + 6);
  });

  it("is restored exactly by the backfill from an emptied table, and the backfill is idempotent", async () => {
    const em = db.em();
    const before = await records(em);
    expect(await syncOcdsRecords(em)).toBe(0);
    await em.execute("delete from ocds_record");
    expect(await syncOcdsRecords(em, { batch: 4 })).toBe(before.length);
    expect(await records(em)).toEqual(before);
    expect(await syncOcdsRecords(em)).toBe(0);
    // A record left behind (a release stored around the publisher) is compiled again; the others are not.
    const [victim] = before;
    await em.execute("update ocds_record set compiled = '{}', latest_seq = 0 where ocid = ?", [victim.ocid]);
    expect(await syncOcdsRecords(em, { tenant: T })).toBe(1);
    expect(await records(em)).toEqual(before);
    expect(await syncOcdsRecords(em, { tenant: "35.99" })).toBe(0);
  });

  it("serves the stored records: the bulk .jsonl.gz lines, the records API's compiled releases, the red flags", async () => {
    const em = db.em();
    const rows = await records(em);
    const res = await call(bulkLoader, new Request(`${BASE}/ocds/bulk/full.jsonl.gz`), { file: "full.jsonl.gz" });
    expect(res.status).toBe(200);
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    expect(text).toBe(rows.map((r) => `${r.compiled}\n`).join(""));

    const page = await call(recordsLoader, new Request(`${BASE}/api/ocds/records?limit=1000`));
    const raw = await page.text();
    for (const r of rows) expect(raw, r.ocid).toContain(`"compiledRelease":${r.compiled}}`);
    const pkg = JSON.parse(raw) as { records: { ocid: string; releases: { url: string; date: string; tag: string[] }[] }[] };
    expect(pkg.records.map((r) => r.ocid).sort()).toEqual(rows.map((r) => r.ocid));
    // Linked releases in merge order: dates never go back.
    for (const r of pkg.records) expect(r.releases.map((x) => x.date)).toEqual([...r.releases.map((x) => x.date)].sort());

    const stored = await tenantRedFlags(em, T);
    expect(stored.processes).toBe(rows.filter((r) => r.tenant_code === T).length);
  });

  it("gives a bulk file what its cutoff holds: a record updated after the request arrived is compiled from the releases up to it", async () => {
    const em = db.em();
    const scope = { tenant: T, year: null };
    const state = await bulkState(em, scope);
    const p = await aProcess(em);
    await em.transactional((tx) => publishEvent(tx, amendment(p.packageId, new Date(p.last.getTime() + 86_400_000))));
    let text = "";
    for await (const chunk of compiledReleaseLines(db.em(), scope, state.cutoff!)) text += chunk;
    // The bytes the .jsonl.gz streams (COPY on a connection of its own) are the same, the record behind included.
    const parts: Buffer[] = [];
    for await (const chunk of await compiledReleaseBytes(db.em(), scope, state.cutoff!)) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString("utf8")).toBe(text);
    const lines = text.slice(0, -1).split("\n");
    const rows = await records(em);
    expect(lines).toHaveLength(rows.length);
    const m = merger();
    for (const [i, row] of rows.entries()) {
      const upTo = await em.execute<{ data: string }[]>("select r.data::text as data from ocds_release r where r.ocid = ? and r.seq <= ?::bigint order by r.seq", [row.ocid, state.cutoff]);
      expect(lines[i], row.ocid).toBe(JSON.stringify(m.compiledRelease(upTo.map((r) => JSON.parse(r.data) as JsonObject))));
      if (row.ocid === p.ocid) expect(lines[i]).not.toBe(row.compiled);
      else expect(lines[i]).toBe(row.compiled);
    }
  });

  it("is written by the publisher only for its own process, under the configured prefix", async () => {
    const rows = await records(db.em());
    expect(rows.every((r) => r.ocid.startsWith(ocdsConfig().prefix))).toBe(true);
    const pkg = await body<{ records: unknown[] }>(await call(recordsLoader, new Request(`${BASE}/api/ocds/records?limit=2`)));
    expect(pkg.records).toHaveLength(2);
  });
});
