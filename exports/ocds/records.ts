import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../../domain/kernel/pg";
import { mergerFor, type Merger } from "./merge";
import { loadOcdsSchemas, type Json, type JsonObject } from "./schema";

/**
 * Stored OCDS records (`ocds_record`, migration 0019): each process's compiled release, kept up to date by
 * the publisher in the transaction that stores a release, so that readers (records API, bulk files, red
 * flags) read one stored text per process instead of merging all its releases.
 *
 * Updating a record when a release arrives (`updateStoredRecord`):
 * - The record row is locked first (`for update`; a missing row is inserted as a placeholder, then locked,
 *   so that two transactions publishing the first releases of one process also take turns): a second
 *   transaction publishing for the same ocid waits, then reads the record the first one committed.
 * - When the new release sorts last in merge order — its `date` (compared as strings, as merge.ts does)
 *   after the compiled release's date, or equal to it and published after every release merged — it is
 *   merged into the stored compiled release: compiledRelease([stored compiled, new release]). That gives
 *   what compiling all releases gives because a compiled release merged again is itself: its `tag` is
 *   discarded (merge.ts drops every release's tag), its `id` and `date` are `omitWhenMerged` and are set
 *   from the last release anyway, it holds no null (null removes), its keys come in first-appearance
 *   order (which merging it again keeps), an identifier-merged array has each id once, and a whole-list or
 *   literal array replaces with itself. The one exception: an empty object (`{"tender": {"title": null}}`
 *   leaves `"tender": {}`) would be dropped when merged again (an empty object in a release does nothing),
 *   so a stored compiled release holding one is never used as a base: the process is compiled again.
 * - Otherwise (a release dated before the latest, or published before one already merged with the same
 *   date), that one process is compiled again from all its releases.
 * Other processes are never read or written.
 */

export const merger = (): Merger => mergerFor(loadOcdsSchemas().release);

/** Whether merging this compiled release again gives it back (no empty object anywhere; see above). */
export function reusableCompiled(v: Json): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (!reusableCompiled(x)) return false;
    return true;
  }
  if (typeof v !== "object" || v === null) return true;
  let empty = true;
  for (const k in v) {
    empty = false;
    if (!reusableCompiled(v[k])) return false;
  }
  return !empty;
}

/**
 * The compiled release with one more release merged, when that release sorts last (its date, as a string,
 * not before the compiled release's: equal dates merge in publication order, so the caller checks it was
 * published after every release merged) and the compiled release can be merged again (reusableCompiled);
 * otherwise null: the process must be compiled from all its releases.
 */
export function appendToCompiled(m: Merger, stored: JsonObject, release: JsonObject): JsonObject | null {
  const date = release.date;
  const last = stored.date;
  if (typeof date !== "string" || typeof last !== "string" || date < last || !reusableCompiled(stored)) return null;
  return m.compiledRelease([stored, release]);
}

interface RecordRow {
  compiled: string;
  latest_seq: string;
  releases: number;
}

/** Every release of one process (as stored, in publication order), optionally only up to a publication number. */
export async function processReleases(em: EntityManager, ocid: string, cutoff: string | null = null): Promise<{ seq: string; data: string }[]> {
  return em.execute<{ seq: string; data: string }[]>(
    `select r.seq::text as seq, r.data::text as data from ocds_release r where r.ocid = ?${cutoff === null ? "" : " and r.seq <= ?::bigint"} order by r.seq`,
    cutoff === null ? [ocid] : [ocid, cutoff],
  );
}

/** The compiled release of stored releases (JSON texts in publication order). */
export function compileTexts(m: Merger, releases: readonly string[]): JsonObject {
  return m.compiledRelease(releases.map((r) => JSON.parse(r) as JsonObject));
}

export interface PublishedRelease {
  tenant: string;
  ocid: string;
  packageId: string;
  /** The release's publication number (ocds_release.seq) and its process's (ocds_process.seq). */
  seq: string;
  processSeq: string;
  release: JsonObject;
}

/**
 * Brings the process's stored record up to date with a release just inserted in `tx` (see above).
 * Returns how: "merged" (into the stored compiled release) or "compiled" (from all the process's releases).
 */
export async function updateStoredRecord(tx: EntityManager, p: PublishedRelease): Promise<"merged" | "compiled"> {
  // Placeholder (releases = 0) for the first release, then the row lock every publisher of this ocid takes in turn.
  await tx.execute(
    `insert into ocds_record (ocid, tenant_code, package_id, seq, compiled, latest_seq, latest_date, releases)
     values (?, ?, ?, ?::bigint, '{}', 0, '-infinity', 0) on conflict (ocid) do nothing`,
    [p.ocid, p.tenant, p.packageId, p.processSeq],
  );
  const [row] = await tx.execute<RecordRow[]>("select compiled::text as compiled, latest_seq::text as latest_seq, releases from ocds_record where ocid = ? for update", [p.ocid]);
  const m = merger();
  let compiled: JsonObject | null = null;
  let releases = 0;
  let latestSeq = p.seq;
  let how: "merged" | "compiled" = "compiled";
  // Published after every release merged (a concurrent publisher may have merged a later-numbered one first).
  if (row && row.releases > 0 && BigInt(row.latest_seq) < BigInt(p.seq)) {
    compiled = appendToCompiled(m, JSON.parse(row.compiled) as JsonObject, p.release);
    if (compiled !== null) {
      releases = row.releases + 1;
      how = "merged";
    }
  }
  if (compiled === null) {
    const all = await processReleases(tx, p.ocid);
    compiled = compileTexts(m, all.map((r) => r.data));
    releases = all.length;
    latestSeq = all.reduce((a, r) => (BigInt(r.seq) > BigInt(a) ? r.seq : a), "0");
  }
  await tx.execute(
    `update ocds_record set compiled = ?::json, latest_seq = ?::bigint, latest_date = ?::timestamptz, releases = ?, seq = ?::bigint, updated_at = now() where ocid = ?`,
    [JSON.stringify(compiled), latestSeq, compiled.date as string, releases, p.processSeq, p.ocid],
  );
  return how;
}

// ---------------------------------------------------------------------------------------------------
// Backfill

/** Processes compiled per statement by syncOcdsRecords: their releases (a few MB) in memory at once. */
export const SYNC_BATCH = 200;

/**
 * Compiles the stored record of every process whose record is missing or behind its latest release
 * (databases published before migration 0019, data loaded around the publisher), a batch of processes at a
 * time in flat memory. Idempotent: when nothing is behind it is one query. Returns how many it compiled.
 */
export async function syncOcdsRecords(em: EntityManager, opts: { tenant?: string; batch?: number } = {}): Promise<number> {
  const size = opts.batch ?? SYNC_BATCH;
  const m = merger();
  let after = "";
  let done = 0;
  for (;;) {
    const behind = await em.execute<{ ocid: string; tenant_code: string; package_id: string; seq: string }[]>(
      `select p.ocid, p.tenant_code, p.package_id, p.seq::text as seq
         from ocds_process p left join ocds_record c on c.ocid = p.ocid
        where (?::text is null or p.tenant_code = ?) and p.ocid > ?
          and (c.ocid is null or c.latest_seq < (select max(r.seq) from ocds_release r where r.ocid = p.ocid)
               or c.releases <> (select count(*) from ocds_release r where r.ocid = p.ocid))
        order by p.ocid limit ?`,
      [opts.tenant ?? null, opts.tenant ?? null, after, size],
    );
    if (!behind.length) return done;
    const rows = await em.execute<{ ocid: string; seq: string; data: string }[]>(
      "select r.ocid, r.seq::text as seq, r.data::text as data from ocds_release r where r.ocid = any(?::text[]) order by r.ocid, r.seq",
      [pgArray(behind.map((b) => b.ocid))],
    );
    const byOcid = new Map<string, { seq: string; data: string }[]>();
    for (const r of rows) {
      const list = byOcid.get(r.ocid);
      if (list) list.push(r);
      else byOcid.set(r.ocid, [r]);
    }
    const out = behind.flatMap((b) => {
      const releases = byOcid.get(b.ocid);
      if (!releases?.length) return [];
      const compiled = compileTexts(m, releases.map((r) => r.data));
      return [{ ocid: b.ocid, tenant_code: b.tenant_code, package_id: b.package_id, seq: b.seq, compiled: JSON.stringify(compiled), latest_seq: releases[releases.length - 1].seq, latest_date: compiled.date, releases: releases.length }];
    });
    // A publisher that committed a newer record meanwhile keeps it (latest_seq only moves forward).
    await em.execute(
      `insert into ocds_record (ocid, tenant_code, package_id, seq, compiled, latest_seq, latest_date, releases)
       select x.ocid, x.tenant_code, x.package_id, x.seq, x.compiled::json, x.latest_seq, x.latest_date, x.releases
         from json_to_recordset(?::json) as x(ocid text, tenant_code text, package_id uuid, seq bigint, compiled text, latest_seq bigint, latest_date timestamptz, releases int)
       on conflict (ocid) do update set compiled = excluded.compiled, latest_seq = excluded.latest_seq, latest_date = excluded.latest_date,
              releases = excluded.releases, seq = excluded.seq, updated_at = now()
        where ocds_record.latest_seq <= excluded.latest_seq`,
      [JSON.stringify(out)],
    );
    done += out.length;
    after = behind[behind.length - 1].ocid;
    if (behind.length < size) return done;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface StoredRecord {
  ocid: string;
  /** The process's number (ocds_process.seq). */
  seq: string;
  packageId: string;
  /** The compiled release's JSON text as stored. */
  compiled: string;
  latestSeq: string;
}

/**
 * A page of a tenant's records, newest process first (ocds_process.seq), after the process numbered
 * `before` (and where the next page starts, null after the last): the stored compiled release, or — a process whose record is not stored (releases stored around
 * the publisher, before syncOcdsRecords ran) — compiled here from its releases. Processes without releases
 * are left out.
 */
export async function storedRecordsPage(em: EntityManager, tenant: string, before: string | null, limit: number): Promise<{ records: StoredRecord[]; next: string | null }> {
  const rows = await em.execute<{ ocid: string; seq: string; package_id: string; compiled: string | null; latest_seq: string | null }[]>(
    `select p.ocid, p.seq::text as seq, p.package_id, case when c.releases > 0 then c.compiled::text end as compiled, c.latest_seq::text as latest_seq
       from ocds_process p left join ocds_record c on c.ocid = p.ocid
      where p.tenant_code = ?${before === null ? "" : " and p.seq < ?::bigint"} order by p.seq desc limit ?`,
    before === null ? [tenant, limit] : [tenant, before, limit],
  );
  const out: StoredRecord[] = [];
  for (const r of rows) {
    let compiled = r.compiled;
    let latestSeq = r.latest_seq;
    if (compiled === null) {
      const releases = await processReleases(em, r.ocid);
      if (!releases.length) continue;
      compiled = JSON.stringify(compileTexts(merger(), releases.map((x) => x.data)));
      latestSeq = releases[releases.length - 1].seq;
    }
    out.push({ ocid: r.ocid, seq: r.seq, packageId: r.package_id, compiled, latestSeq: latestSeq! });
  }
  return { records: out, next: rows.length < limit ? null : rows[rows.length - 1].seq };
}

/** One stored record's compiled release text, or null. */
export async function storedCompiled(em: EntityManager, tenant: string, ocid: string): Promise<string | null> {
  const [row] = await em.execute<{ compiled: string }[]>("select compiled::text as compiled from ocds_record where tenant_code = ? and ocid = ? and releases > 0", [tenant, ocid]);
  return row?.compiled ?? null;
}
