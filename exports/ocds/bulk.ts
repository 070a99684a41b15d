import { createHash } from "node:crypto";
import { PassThrough, pipeline, Readable, Transform, type Writable } from "node:stream";
import { createGzip } from "node:zlib";
import ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { PoolClient } from "pg";
import { pgArray } from "../../domain/kernel/pg";
import { drained, streamFrom } from "../xlsx/stream";
import { declaredExtensions, originOf, releasePackageText, runOf, type Publisher } from "./api";
import { FLAT_TABLE_NAMES, FLAT_TABLES, csvLine, isFlatTableName, type FlatTable, type FlatTableName } from "./flatten";
import type { Merger } from "./merge";
import { ocdsConfig } from "./publish";
import { CopyJsonLines } from "./pg-copy";
import { compileTexts, merger, processReleases } from "./records";
import type { JsonObject } from "./schema";

/**
 * Bulk files (issue #8, capability 6), as the OCP Data Registry serves them, at /ocds/bulk/<name>:
 *
 *   full.jsonl.gz, <year>.jsonl.gz      one compiled release per line (JSON Lines, gzip): every contracting
 *                                       process of the tenant, or of one fiscal year (the fiscal year of its
 *                                       RUP package): the stored record's text (`ocds_record`, kept by the
 *                                       publisher: records.ts), never parsed.
 *   full-releases.json.gz, <year>-releases.json.gz
 *                                       a release package (the API's package metadata) holding every
 *                                       release of those processes, each the exact stored text.
 *   full-<table>.csv, <year>-<table>.csv
 *                                       one flattened table (flatten.ts: main, parties, budget, items,
 *                                       tenderers, bids, awards, contracts, amendments, transactions) as
 *                                       CSV (UTF-8, RFC 4180). One file per table rather than a zip or a tar
 *                                       of them: each is streamed as it is made (a tar needs every file's
 *                                       length before its bytes, a zip an archiver the project does not
 *                                       depend on), and a spreadsheet opens it directly.
 *   <year>.xlsx                         every flattened table of a year, one sheet per table.
 *
 * Everything is streamed from the database in flat memory; the response waits for the client when it falls
 * behind. The .jsonl.gz is PostgreSQL's own COPY of the stored records' text, in ocid order, read as bytes
 * straight into gzip on a connection of its own (copyCompiledReleases, pg-copy.ts). The CSV and Excel files
 * read the stored records in pages (keyset by ocid, never OFFSET), RECORD_PAGE at a time, and parse each one
 * to flatten it; the release package reads the releases, BULK_PAGE processes at a time, each page's in one
 * query; both read the next page while this one is written (the database and Node work side by side, two
 * pages at most in memory). The Excel workbook writes its sheets one after the other (exceljs's streaming
 * writer keeps a sheet it cannot yet write in memory), so it reads the year once per sheet.
 *
 * What a file holds is fixed when the request arrives: every release published up to then (`seq` at
 * most the cutoff), so that the `Last-Modified` (the latest of their publication times), the `ETag` (a
 * digest of the cutoff, the count and what else shapes the bytes) and the bytes agree, and every page —
 * and every sheet of the workbook — reads the same releases however many are published meanwhile.
 */

/**
 * Processes per page: up to 50 KiB of stored JSON each (six 8 KiB snapshots), so the two pages in memory
 * hold 10 MB at most (the release package's pages; the compiled-release files read RECORD_PAGE records).
 */
export const BULK_PAGE = 100;
/**
 * zlib's level. On the compiled snapshots of the bench's year (tests/bench/ocds-bulk.ts; 39 MiB of JSON
 * Lines for 3,000 processes), in CPU time on this machine: level 1 gives 3.65 MiB in 89 ms, 3 gives 3.32 MiB
 * in 104 ms, 4 gives 2.92 MiB in 154 ms, 6 (zlib's default) 2.38 MiB in 221 ms. Now that the stored text
 * goes from PostgreSQL's COPY to gzip as bytes, gzip is most of a .jsonl.gz's cost, as much CPU as the
 * server's COPY itself at level 4 (both about 230–250 MiB/s): 3, the last of zlib's fast levels, keeps it
 * a third lower for files a seventh larger (still a tenth smaller than level 1's).
 */
export const BULK_GZIP_LEVEL = 3;
/** Part of every ETag: change it when the files' layout changes. */
const BULK_LAYOUT = "1";

export type BulkFormat = "jsonl" | "releases" | "csv" | "xlsx";

export interface BulkFile {
  /** The file's name, as in the address. */
  name: string;
  format: BulkFormat;
  /** A fiscal year, or null for the whole publication ("full"). */
  year: number | null;
  table: FlatTableName | null;
}

const YEAR = /^(full|(?:19|20|21)\d{2})/;

/** What /ocds/bulk/<name> asks for, or null when no such file can exist. */
export function parseBulkFileName(name: string): BulkFile | null {
  const y = YEAR.exec(name);
  if (!y) return null;
  const year = y[1] === "full" ? null : Number(y[1]);
  const rest = name.slice(y[1].length);
  if (rest === ".jsonl.gz") return { name, format: "jsonl", year, table: null };
  if (rest === "-releases.json.gz") return { name, format: "releases", year, table: null };
  if (rest === ".xlsx") return year === null ? null : { name, format: "xlsx", year, table: null };
  const csv = /^-([a-z]+)\.csv$/.exec(rest);
  if (csv && isFlatTableName(csv[1])) return { name, format: "csv", year, table: csv[1] };
  return null;
}

/** The files of a year (or of the full publication), for the publication page. */
export function bulkFileNames(year: number | null): string[] {
  const y = year === null ? "full" : String(year);
  return [`${y}.jsonl.gz`, `${y}-releases.json.gz`, ...(year === null ? [] : [`${y}.xlsx`]), ...FLAT_TABLE_NAMES.map((t) => `${y}-${t}.csv`)];
}

export interface BulkScope {
  tenant: string;
  year: number | null;
}

export interface BulkState {
  /** How many releases the file is made of. */
  releases: number;
  /** The last release included (publication number), or null when there is none. */
  cutoff: string | null;
  /** When the latest of them was published, or null. */
  lastModified: Date | null;
}

/** The processes of a scope: those of the tenant, and of the fiscal year's packages. */
// Uncorrelated (the tenant is a parameter twice, not p.tenant_code): a subquery naming the outer row would be
// run again for every process.
const PROCESS_FILTER = "p.tenant_code = ? and (?::int is null or p.package_id in (select k.id from proc_package k where k.tenant_code = ? and k.fiscal_year = ?::int))";
const scopeParams = (s: BulkScope) => [s.tenant, s.year, s.tenant, s.year];

/** What a bulk file of the scope holds now: its releases' count, cutoff and Last-Modified. */
export async function bulkState(em: EntityManager, scope: BulkScope): Promise<BulkState> {
  const [row] = await em.execute<{ n: number; cutoff: string | null; at: Date | string | null }[]>(
    `select count(*)::int as n, max(r.seq)::text as cutoff, max(r.created_at) as at
       from ocds_process p join ocds_release r on r.ocid = p.ocid
      where ${PROCESS_FILTER}`,
    scopeParams(scope),
  );
  return { releases: row?.n ?? 0, cutoff: row?.cutoff ?? null, lastModified: row?.at ? new Date(row.at) : null };
}

/** The years with published processes, newest first, with their release counts. */
export async function bulkYears(em: EntityManager, tenant: string): Promise<{ year: number; releases: number; lastModified: Date }[]> {
  const rows = await em.execute<{ year: number; n: number; at: Date | string }[]>(
    `select k.fiscal_year as year, count(*)::int as n, max(r.created_at) as at
       from ocds_process p join proc_package k on k.id = p.package_id join ocds_release r on r.ocid = p.ocid
      where p.tenant_code = ? group by k.fiscal_year order by k.fiscal_year desc`,
    [tenant],
  );
  return rows.map((r) => ({ year: r.year, releases: r.n, lastModified: new Date(r.at) }));
}

export interface BulkProcess {
  ocid: string;
  /** The process's releases up to the cutoff, as stored (JSON text), in publication order. */
  releases: string[];
}

/**
 * The scope's processes with their releases up to the cutoff, in ocid order, a page of `size` processes
 * per query. A process whose releases all came after the cutoff is left out.
 */
export async function* processPages(em: EntityManager, scope: BulkScope, cutoff: string, size = BULK_PAGE): AsyncGenerator<BulkProcess[]> {
  // The next page is asked for before this one is handed over, so that the database reads it meanwhile.
  // A page left unread (the consumer stopped) must not fail unobserved.
  const ask = (after: string) => {
    const p = fetchPage(em, scope, cutoff, size, after);
    p.catch(() => {});
    return p;
  };
  let next: Promise<Page> | null = ask("");
  while (next) {
    const page: Page = await next;
    next = page.last === null ? null : ask(page.last);
    if (page.processes.length) yield page.processes;
  }
}

interface Page {
  processes: BulkProcess[];
  /** Where the next page starts; null when none follows. */
  last: string | null;
}

/** One page of processes after `after`, with their releases. */
async function fetchPage(em: EntityManager, scope: BulkScope, cutoff: string, size: number, after: string): Promise<Page> {
  // Two statements, each one index range: the page's processes (by ocid), then their releases by the
  // (ocid, …) index — one statement joining both lets the planner scan every release for every page.
  const ocids = (await em.execute<{ ocid: string }[]>(`select p.ocid from ocds_process p where ${PROCESS_FILTER} and p.ocid > ? order by p.ocid limit ?`, [...scopeParams(scope), after, size])).map((r) => r.ocid);
  if (!ocids.length) return { processes: [], last: null };
  const rows = await em.execute<{ ocid: string; data: string }[]>(
    "select r.ocid, r.data::text as data from ocds_release r where r.ocid = any(?::text[]) and r.seq <= ?::bigint order by r.ocid, r.seq",
    [pgArray(ocids), cutoff],
  );
  const processes: BulkProcess[] = [];
  for (const r of rows) {
    let last = processes[processes.length - 1];
    if (!last || last.ocid !== r.ocid) processes.push((last = { ocid: r.ocid, releases: [] }));
    last.releases.push(r.data);
  }
  return { processes, last: ocids.length < size ? null : ocids[ocids.length - 1] };
}

/** A process's compiled release, merged from its releases (the stored record's content, for comparisons). */
export function compileProcess(m: Merger, p: BulkProcess): JsonObject {
  return m.compiledRelease(p.releases.map((r) => JSON.parse(r) as JsonObject));
}

// ---------------------------------------------------------------------------------------------------
// The files' contents, as text chunks (about one process each)

/** Stored records per page of the compiled-release files: about 1.4 MB of stored JSON each (larger pages gain no speed and grow the young generation). */
export const RECORD_PAGE = 100;

/** The stored records' filter within a scope (as PROCESS_FILTER, on `ocds_record`). */
const RECORD_FILTER = "c.tenant_code = ? and c.releases > 0 and (?::int is null or c.package_id in (select k.id from proc_package k where k.tenant_code = ? and k.fiscal_year = ?::int))";

export interface BulkRecord {
  ocid: string;
  /** The compiled release's JSON text: as stored, or (a record updated after the cutoff) compiled from the releases up to it. */
  compiled: string;
}

/**
 * The scope's stored compiled releases (`ocds_record`, records.ts) in ocid order, a page of `size` per
 * query, the next page read while this one is handed over. The text is the stored one, never parsed — except
 * for a record a release published after the cutoff has updated meanwhile: that process is compiled here from
 * its releases up to the cutoff, so that the file holds exactly what its ETag says. A process whose releases
 * all came after the cutoff is left out.
 */
export async function* recordPages(em: EntityManager, scope: BulkScope, cutoff: string, size = RECORD_PAGE): AsyncGenerator<BulkRecord[]> {
  const ask = (after: string) => {
    const p = fetchRecords(em, scope, cutoff, size, after);
    p.catch(() => {});
    return p;
  };
  let next: Promise<{ records: BulkRecord[]; last: string | null }> | null = ask("");
  while (next) {
    const page: { records: BulkRecord[]; last: string | null } = await next;
    next = page.last === null ? null : ask(page.last);
    if (page.records.length) yield page.records;
  }
}

async function fetchRecords(em: EntityManager, scope: BulkScope, cutoff: string, size: number, after: string): Promise<{ records: BulkRecord[]; last: string | null }> {
  const rows = await em.execute<{ ocid: string; compiled: string; behind: boolean }[]>(
    `select c.ocid, c.compiled::text as compiled, c.latest_seq > ?::bigint as behind from ocds_record c where ${RECORD_FILTER} and c.ocid > ? order by c.ocid limit ?`,
    [cutoff, ...scopeParams(scope), after, size],
  );
  const records: BulkRecord[] = [];
  for (const r of rows) {
    if (!r.behind) records.push({ ocid: r.ocid, compiled: r.compiled });
    else {
      const releases = await processReleases(em, r.ocid, cutoff);
      if (releases.length) records.push({ ocid: r.ocid, compiled: JSON.stringify(compileTexts(merger(), releases.map((x) => x.data))) });
    }
  }
  return { records, last: rows.length < size ? null : rows[rows.length - 1].ocid };
}

/**
 * JSON Lines: one compiled release per line, the stored text (a page of lines per chunk), read page by page
 * as strings. The .jsonl.gz files use compiledReleaseBytes, which gives the same bytes without strings.
 */
export async function* compiledReleaseLines(em: EntityManager, scope: BulkScope, cutoff: string): AsyncGenerator<string> {
  for await (const page of recordPages(em, scope, cutoff)) {
    let chunk = "";
    for (const r of page) chunk += `${r.compiled}\n`;
    yield chunk;
  }
}

/**
 * JSON Lines of the scope's stored compiled releases as bytes — what compiledReleaseLines gives, byte for
 * byte — written into `sink` (ended after the last line, destroyed with the error on a failure): streamed
 * by PostgreSQL's own `COPY (select … order by ocid) TO STDOUT (FORMAT binary)` on a pooled connection taken
 * for it (pg-copy.ts), so that the stored JSON text goes from the socket through a few reused buffers into
 * the sink, never a JavaScript string, at the pace the sink takes it. Each row is the stored text, or — for
 * a record that a release published after the cutoff has updated — null and the ocid: that process is
 * compiled here from its releases up to the cutoff, through `em` (so on another connection of the pool: the
 * pool needs two), and its line written in its place; a process whose releases all came after the cutoff
 * is left out. Resolves once the COPY is sent. The connection goes back to the pool when the COPY has
 * ended, and is closed when it failed or the sink was closed before the end.
 */
export async function copyCompiledReleases(em: EntityManager, scope: BulkScope, cutoff: string, sink: Writable): Promise<void> {
  // COPY takes no parameters: the values are checked and written as literals.
  if (!/^\d{1,19}$/.test(cutoff)) throw new Error(`copyCompiledReleases: cutoff ${JSON.stringify(cutoff)} is not a publication number`);
  if (scope.year !== null && !Number.isInteger(scope.year)) throw new Error(`copyCompiledReleases: year ${scope.year} is not an integer`);
  bulkCopies.active++;
  let counted = true;
  const uncount = () => {
    if (counted) bulkCopies.active--;
    counted = false;
  };
  let client: PoolClient;
  try {
    const pool = await em.getConnection().getNativeClient();
    client = await pool.connect();
  } catch (e) {
    uncount();
    throw e;
  }
  const tenant = client.escapeLiteral(scope.tenant);
  const year = scope.year === null ? "" : ` and c.package_id in (select k.id from proc_package k where k.tenant_code = ${tenant} and k.fiscal_year = ${scope.year})`;
  const copy = new CopyJsonLines(
    `copy (select case when c.latest_seq <= ${cutoff} then c.compiled end, case when c.latest_seq > ${cutoff} then c.ocid end
             from ocds_record c where c.tenant_code = ${tenant} and c.releases > 0${year} order by c.ocid) to stdout (format binary)`,
    sink,
    async (ocid) => {
      const releases = await processReleases(em, ocid, cutoff);
      return releases.length ? JSON.stringify(compileTexts(merger(), releases.map((x) => x.data))) : null;
    },
  );
  copy.done.then(
    () => {
      uncount();
      client.release();
      sink.end();
    },
    (e: Error) => {
      uncount();
      client.release(true);
      sink.destroy(e);
    },
  );
  client.query(copy);
}

/**
 * The .jsonl.gz downloads streaming by COPY in this process, and how many may at once. Each holds a pooled
 * connection until its client has taken the last byte — a slow client, for as long as it takes — so a few
 * at most do, lest they starve the pool (DATABASE_POOL_MAX, 10 by default) that every other request needs;
 * a download beyond them is made by compiledReleaseLines (short queries, page by page: the same bytes, about
 * twice the time and memory).
 */
export const bulkCopies = { max: 2, active: 0 };

/**
 * copyCompiledReleases into a stream to read (the tests compare it with compiledReleaseLines). Each chunk is
 * copied on its way: the COPY reuses its buffers once the sink has called back, and a reader may not have
 * read them by then.
 */
export async function compiledReleaseBytes(em: EntityManager, scope: BulkScope, cutoff: string): Promise<Readable> {
  const out = new Transform({ highWaterMark: 1 << 17, transform: (chunk: Buffer, _encoding, done) => done(null, Buffer.from(chunk)) });
  await copyCompiledReleases(em, scope, cutoff, out);
  return out;
}

/** The .jsonl.gz's bytes: copyCompiledReleases straight into gzip. */
export async function compiledReleaseGzip(em: EntityManager, scope: BulkScope, cutoff: string, level = BULK_GZIP_LEVEL): Promise<Readable> {
  const gz = createGzip({ level, chunkSize: GZIP_CHUNK });
  await copyCompiledReleases(em, scope, cutoff, gz);
  return gz;
}

/** A release package: `head` is the package metadata's text up to and including `"releases":[`. */
export async function* releasePackageChunks(em: EntityManager, scope: BulkScope, cutoff: string | null, head: string): AsyncGenerator<string> {
  yield head;
  let first = true;
  if (cutoff !== null) {
    for await (const page of processPages(em, scope, cutoff)) {
      for (const p of page) {
        yield `${first ? "" : ","}${p.releases.join(",")}`;
        first = false;
      }
    }
  }
  yield "]}";
}

/** One flattened table as CSV: its header line, then its rows process by process. */
export async function* csvChunks(em: EntityManager, scope: BulkScope, cutoff: string | null, table: FlatTable): AsyncGenerator<string> {
  yield csvLine(table.columns.map((c) => c.header));
  if (cutoff === null) return;
  for await (const page of recordPages(em, scope, cutoff)) {
    for (const p of page) {
      const rows = table.rows(JSON.parse(p.compiled) as JsonObject);
      if (rows.length) yield rows.map(csvLine).join("");
    }
  }
}

/** Every flattened table as a sheet of one workbook, written by exceljs's streaming writer. */
export function streamFlatWorkbook(em: EntityManager, scope: BulkScope, cutoff: string | null, tables: readonly FlatTable[] = Object.values(FLAT_TABLES)): PassThrough {
  return streamFrom(async (out) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = "Jejak";
    for (const table of tables) {
      const ws = wb.addWorksheet(table.name, { views: [{ state: "frozen", ySplit: 1 }] });
      ws.columns = table.columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
      const head = ws.addRow(table.columns.map((c) => c.header));
      head.font = { bold: true };
      head.commit();
      if (cutoff !== null) {
        for await (const page of recordPages(em, scope, cutoff)) {
          for (const p of page) for (const row of table.rows(JSON.parse(p.compiled) as JsonObject)) ws.addRow(row).commit();
          if (!(await drained(out))) return;
        }
      }
      ws.commit();
    }
    await wb.commit();
  });
}

// ---------------------------------------------------------------------------------------------------
// HTTP

const CONTENT_TYPE: Record<BulkFormat, string> = {
  jsonl: "application/gzip",
  releases: "application/gzip",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Disposition" };

/** Text or bytes gzipped: the body of the release package files. An error while reading ends the download with it. */
export function gzipped(chunks: AsyncIterable<string | Buffer>, level = BULK_GZIP_LEVEL): Readable {
  const source = Readable.from(chunks, { objectMode: false, highWaterMark: 1 << 16 });
  return pipeline(source, createGzip({ level, chunkSize: GZIP_CHUNK }), () => {});
}

/** zlib's output chunks: 64 KiB (not 16), fewer trips to the thread pool for the same bytes. */
const GZIP_CHUNK = 1 << 16;

/** A text stream as bytes (the CSV files: the server compresses them for clients that accept it). */
function plain(chunks: AsyncIterable<string>): Readable {
  return Readable.from(chunks, { objectMode: false, highWaterMark: 1 << 16 });
}

function notFound(message: string): Response {
  return new Response(JSON.stringify({ error: "not_found", message }), { status: 404, headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * The answer to GET (or HEAD) /ocds/bulk/<name>: the file streamed, with Last-Modified (the latest
 * publication it holds) and a weak ETag (the bytes depend on the gzip and exceljs versions, the content
 * does not); 304 when the client's copy is current; 404 for a name that is no bulk file or a year without
 * published processes.
 */
export async function bulkResponse(request: Request, em: EntityManager, publisher: Publisher, name: string): Promise<Response> {
  const file = parseBulkFileName(name);
  if (!file) return notFound(`No bulk file "${name}": the files are full.jsonl.gz, <year>.jsonl.gz, <year>-releases.json.gz, <year>.xlsx and <year>-<table>.csv (tables: ${FLAT_TABLE_NAMES.join(", ")}).`);
  const scope: BulkScope = { tenant: publisher.tenantCode, year: file.year };
  const state = await bulkState(em, scope);
  if (file.year !== null && state.releases === 0) return notFound(`Nothing is published for fiscal year ${file.year}.`);

  const origin = originOf(request);
  const { license } = ocdsConfig();
  const lastModified = state.lastModified ? new Date(Math.floor(state.lastModified.getTime() / 1000) * 1000) : null;
  const digest = createHash("sha256")
    .update(JSON.stringify([BULK_LAYOUT, file.name, publisher, state.releases, state.cutoff, state.lastModified?.toISOString() ?? null, origin, license, declaredExtensions(origin)]))
    .digest("base64url")
    .slice(0, 32);
  const etag = `W/"${digest}"`;
  const headers: Record<string, string> = {
    ...CORS,
    "Content-Type": CONTENT_TYPE[file.format],
    "Content-Disposition": `attachment; filename="${file.name}"`,
    "Cache-Control": "public, max-age=60",
    "X-Content-Type-Options": "nosniff",
    ETag: etag,
  };
  if (lastModified) headers["Last-Modified"] = lastModified.toUTCString();

  const inm = request.headers.get("if-none-match");
  const ims = request.headers.get("if-modified-since");
  const weak = (t: string) => t.trim().replace(/^W\//, "");
  const fresh =
    inm !== null
      ? inm.split(",").some((t) => t.trim() === "*" || weak(t) === weak(etag))
      : ims !== null && lastModified !== null && !Number.isNaN(Date.parse(ims)) && lastModified.getTime() <= Date.parse(ims);
  if (fresh) return new Response(null, { status: 304, headers });
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });

  let body: Readable;
  switch (file.format) {
    case "jsonl":
      body =
        state.cutoff === null
          ? gzipped(emptyChunks())
          : bulkCopies.active < bulkCopies.max
            ? await compiledReleaseGzip(em, scope, state.cutoff)
            : gzipped(compiledReleaseLines(em, scope, state.cutoff));
      break;
    case "releases": {
      const { text } = releasePackageText(request, publisher, runOf([]), null, state.lastModified ?? new Date());
      const tail = '"releases":[]}';
      if (!text.endsWith(tail)) throw new Error("release package metadata: unexpected shape");
      body = gzipped(releasePackageChunks(em, scope, state.cutoff, text.slice(0, -2)));
      break;
    }
    case "csv":
      body = plain(csvChunks(em, scope, state.cutoff, FLAT_TABLES[file.table!]));
      break;
    case "xlsx":
      body = streamFlatWorkbook(em, scope, state.cutoff);
      break;
  }
  return new Response(Readable.toWeb(body) as ReadableStream, { status: 200, headers });
}

async function* emptyChunks(): AsyncGenerator<string> {}
