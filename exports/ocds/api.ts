import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../../domain/kernel/pg";
import { mergerFor } from "./merge";
import { ocdsConfig } from "./publish";
import { DECLARED_EXTENSIONS, extensionUrl, loadOcdsSchemas, OCDS_VERSION, PROJECT_EXTENSION, type JsonObject } from "./schema";

/**
 * The OCDS API (issue #8, capability 5): release packages and record packages read from `ocds_release`,
 * for app/routes/api.ocds.*. No login, CORS open, ETag and Last-Modified, errors as JSON with a real
 * status, an empty page is a 200.
 *
 *   GET /api/ocds/releases?since=&until=&ocid=&limit=&cursor=   newest first (release date, then
 *       publication order), at most `limit` (default 100, up to 1,000) per page; `links.next` carries a
 *       keyset cursor (the last release's publication number): the next page starts strictly after that
 *       release in the order — never OFFSET. Releases are immutable and never deleted, so every release
 *       that exists when a client starts paging is seen exactly once however many arrive meanwhile (a new
 *       one appears on a later page only if its date puts it there; it is never repeated).
 *       `since` (inclusive) and `until` (exclusive) filter on the release date: an ISO 8601 date-time with
 *       its zone, or a day (yyyy-mm-dd, from 00:00 WIB).
 *   GET /api/ocds/releases/<ocid>/<id>   a release package holding that release.
 *   GET /api/ocds/records?since=&until=&limit=&cursor=   a record package: one record per process, newest
 *       process first (by its first release), paged the same way; `since`/`until` keep the processes with a
 *       release dated in the window. Each record links its releases and carries its compiled release.
 *   GET /api/ocds/records/<ocid>   the record with its releases embedded, compiled and versioned releases.
 *
 * A page of records serves each process's compiled release as stored (`ocds_record`, kept by the publisher:
 * records.ts); the record of one process is compiled here from its stored releases by merge.ts, with the
 * merge rules of the release schema patched with the declared extensions, releases in date order and equal
 * dates in publication order.
 */

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
export const PROJECT_EXTENSION_PATH = "/api/ocds/extension/extension.json";

export class OcdsApiError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Queries

export interface PageQuery {
  since: Date | null;
  until: Date | null;
  ocid: string | null;
  limit: number;
  cursor: string | null;
}

const OCID = /^[A-Za-z0-9._-]{1,200}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseMoment(name: string, text: string | null): Date | null {
  if (text === null || text === "") return null;
  const t = text.trim();
  const d = DAY.test(t) ? new Date(`${t}T00:00:00+07:00`) : DATE_TIME.test(t) ? new Date(t) : null;
  if (!d || Number.isNaN(d.getTime())) throw new OcdsApiError(400, "bad_request", `${name} must be a date (yyyy-mm-dd) or a date-time with its time zone (e.g. 2027-01-05T10:00:00+07:00), got "${t}"`);
  return d;
}

/** The paging and filter parameters of a list request; a 400 OcdsApiError for anything malformed. */
export function parsePageQuery(params: URLSearchParams, allowOcid = true): PageQuery {
  const known = new Set(["since", "until", "limit", "cursor", ...(allowOcid ? ["ocid"] : [])]);
  for (const k of params.keys()) if (!known.has(k)) throw new OcdsApiError(400, "bad_request", `unknown parameter "${k}" (known: ${[...known].join(", ")})`);
  const rawLimit = params.get("limit");
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    if (!/^\d{1,7}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_LIMIT) throw new OcdsApiError(400, "bad_request", `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${rawLimit}"`);
    limit = Number(rawLimit);
  }
  const since = parseMoment("since", params.get("since"));
  const until = parseMoment("until", params.get("until"));
  if (since && until && until <= since) throw new OcdsApiError(400, "bad_request", "until must be later than since");
  const ocid = params.get("ocid");
  if (ocid !== null && !OCID.test(ocid)) throw new OcdsApiError(400, "bad_request", `ocid is not an ocid: "${ocid}"`);
  const cursor = params.get("cursor");
  if (cursor !== null && decodeCursor(cursor) === null) throw new OcdsApiError(400, "bad_request", "cursor is not one this API gave out");
  return { since, until, ocid, limit, cursor };
}

/**
 * A cursor is the publication number of the last item of a page — a release's ("r"), or a process's in
 * `ocds_process` ("p") — opaque to clients.
 */
function encodeCursor(kind: "r" | "p", seq: string): string {
  return Buffer.from(`${kind}${seq}`).toString("base64url");
}
function decodeCursor(cursor: string, kind: "r" | "p" | null = null): string | null {
  if (!/^[A-Za-z0-9_-]{2,40}$/.test(cursor)) return null;
  const m = /^([rp])(\d{1,19})$/.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  return m && (kind === null || m[1] === kind) ? m[2] : null;
}

export interface StoredRelease {
  seq: string;
  ocid: string;
  id: string;
  date: Date;
  tags: string[];
  createdAt: Date;
  /** The release's JSON text as stored. */
  data: string;
}

interface Row {
  seq: string;
  ocid: string;
  id: string;
  date: Date | string;
  tags: string[];
  created_at: Date | string;
  data: string;
}

const asRelease = (r: Row): StoredRelease => ({ seq: r.seq, ocid: r.ocid, id: r.id, date: new Date(r.date), tags: r.tags, createdAt: new Date(r.created_at), data: r.data });
const COLUMNS = "r.seq::text as seq, r.ocid, r.id, r.date, r.tags, r.created_at, r.data::text as data";

/**
 * Releases as a package splices them in: their stored JSON texts joined by commas, their publication
 * numbers (for the ETag) and the time the last of them was stored (Last-Modified; null when none).
 */
export interface ReleaseRun {
  joined: string;
  seqs: string[];
  lastStored: Date | null;
}

const newest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/** A run of releases already read. */
export function runOf(releases: StoredRelease[]): ReleaseRun {
  return { joined: releases.map((r) => r.data).join(","), seqs: releases.map((r) => r.seq), lastStored: releases.length ? newest(releases.map((r) => r.createdAt)) : null };
}

/**
 * A page of releases, newest first, and the cursor of the next page (null on the last). The database joins
 * the page's texts itself: one row of one text instead of a hundred rows the server would parse and join.
 */
export async function releasesPage(em: EntityManager, tenant: string, q: PageQuery): Promise<{ releases: ReleaseRun; next: string | null }> {
  const where = ["r.tenant_code = ?"];
  const params: unknown[] = [tenant];
  if (q.ocid) {
    where.push("r.ocid = ?");
    params.push(q.ocid);
  }
  if (q.since) {
    where.push("r.date >= ?");
    params.push(q.since);
  }
  if (q.until) {
    where.push("r.date < ?");
    params.push(q.until);
  }
  // A cursor stands for its release's (date, seq), looked up in the same query; unknown here, it is a 400.
  const seq = q.cursor === null ? null : decodeCursor(q.cursor, "r");
  if (q.cursor !== null && seq === null) throw new OcdsApiError(400, "bad_request", "cursor is not one this API gave out");
  if (seq !== null) where.push("(r.date, r.seq) < (select c.date, c.seq from c)");
  // One more than the page is read, to know whether a next page exists; it is left out of the page.
  const [row] = await em.execute<{ known: boolean; n: number; joined: string | null; seqs: string[] | null; last: Date | string | null }[]>(
    `with c as materialized (select date, seq from ocds_release where seq = ?::bigint and tenant_code = ?)
     select ? is null or exists (select 1 from c) as known, count(*)::int as n, string_agg(p.data::text, ',' order by p.i) filter (where p.i <= ?) as joined,
            array_agg(p.seq::text order by p.i) filter (where p.i <= ?) as seqs, max(p.created_at) filter (where p.i <= ?) as last
       from (select r.seq, r.created_at, r.data, row_number() over (order by r.date desc, r.seq desc) as i
               from ocds_release r where ${where.join(" and ")} order by r.date desc, r.seq desc limit ?) p`,
    [seq, tenant, seq, q.limit, q.limit, q.limit, ...params, q.limit + 1],
  );
  if (!row.known) throw new OcdsApiError(400, "bad_request", "cursor is not one this API gave out");
  const seqs = row.seqs ?? [];
  const releases = { joined: row.joined ?? "", seqs, lastStored: row.last ? new Date(row.last) : null };
  return { releases, next: row.n > q.limit ? encodeCursor("r", seqs[seqs.length - 1]) : null };
}

/** One release by its ocid and id, or null. */
export async function findRelease(em: EntityManager, tenant: string, ocid: string, id: string): Promise<StoredRelease | null> {
  const [row] = await em.execute<Row[]>(`select ${COLUMNS} from ocds_release r where r.ocid = ? and r.id = ? and r.tenant_code = ?`, [ocid, id, tenant]);
  return row ? asRelease(row) : null;
}

/** Every release of some processes, in publication order, grouped by ocid. */
async function releasesOf(em: EntityManager, tenant: string, ocids: string[]): Promise<Map<string, StoredRelease[]>> {
  const out = new Map<string, StoredRelease[]>(ocids.map((o) => [o, []]));
  if (!ocids.length) return out;
  const rows = await em.execute<Row[]>(`select ${COLUMNS} from ocds_release r where r.tenant_code = ? and r.ocid = any(?::text[]) order by r.seq`, [tenant, pgArray(ocids)]);
  for (const r of rows) out.get(r.ocid)?.push(asRelease(r));
  return out;
}

/** A release as a record page links it: no data, its date (as in the release) and tags. */
export interface ReleaseRef {
  seq: string;
  id: string;
  /** The release's `date` as written in it. */
  date: string;
  tags: string[];
  createdAt: Date;
}

/** A record of a page: its releases linked, its compiled release as stored (ocds_record). */
export interface StoredRecordEntry {
  ocid: string;
  releases: ReleaseRef[];
  /** The compiled release's JSON text. */
  compiled: string;
}

/**
 * A page of processes, newest first by their first release (the number `ocds_process` gave them, which
 * never moves, so that paging is stable while releases arrive), each with its releases' references in
 * merge order and its stored compiled release (records.ts; compiled here from its releases if the record
 * is not stored yet).
 */
export async function recordsPage(em: EntityManager, tenant: string, q: PageQuery): Promise<{ records: StoredRecordEntry[]; next: string | null }> {
  const where = ["p.tenant_code = ?"];
  const params: unknown[] = [tenant];
  if (q.cursor !== null) {
    const seq = decodeCursor(q.cursor, "p");
    const [known] = seq ? await em.execute<{ seq: string }[]>("select seq::text as seq from ocds_process where seq = ? and tenant_code = ?", [seq, tenant]) : [];
    if (!known) throw new OcdsApiError(400, "bad_request", "cursor is not one this API gave out");
    where.push("p.seq < ?::bigint");
    params.push(known.seq);
  }
  if (q.since || q.until) {
    where.push(`exists (select 1 from ocds_release w where w.ocid = p.ocid${q.since ? " and w.date >= ?" : ""}${q.until ? " and w.date < ?" : ""})`);
    if (q.since) params.push(q.since);
    if (q.until) params.push(q.until);
  }
  const processes = await em.execute<{ ocid: string; seq: string; compiled: string | null }[]>(
    `select p.ocid, p.seq::text as seq, case when c.releases > 0 then c.compiled::text end as compiled
       from ocds_process p left join ocds_record c on c.ocid = p.ocid where ${where.join(" and ")} order by p.seq desc limit ?`,
    [...params, q.limit + 1],
  );
  const page = processes.slice(0, q.limit);
  const refs = new Map<string, ReleaseRef[]>(page.map((f) => [f.ocid, []]));
  if (page.length) {
    const rows = await em.execute<{ seq: string; ocid: string; id: string; date: string; tags: string[]; created_at: Date | string }[]>(
      "select r.seq::text as seq, r.ocid, r.id, r.data->>'date' as date, r.tags, r.created_at from ocds_release r where r.tenant_code = ? and r.ocid = any(?::text[]) order by r.seq",
      [tenant, pgArray(page.map((f) => f.ocid))],
    );
    for (const r of rows) refs.get(r.ocid)?.push({ seq: r.seq, id: r.id, date: r.date, tags: r.tags, createdAt: new Date(r.created_at) });
  }
  const missing = page.filter((f) => f.compiled === null).map((f) => f.ocid);
  const compiledNow = new Map<string, string>();
  if (missing.length) {
    const merger = mergerFor(loadOcdsSchemas().release);
    for (const [ocid, releases] of await releasesOf(em, tenant, missing)) if (releases.length) compiledNow.set(ocid, JSON.stringify(merger.compiledRelease(releases.map((r) => JSON.parse(r.data) as JsonObject))));
  }
  // Merge order: by date (as strings), equal dates in publication order (a stable sort of publication order).
  const records = page.map((f) => ({ ocid: f.ocid, releases: (refs.get(f.ocid) ?? []).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)), compiled: f.compiled ?? compiledNow.get(f.ocid) ?? "{}" }));
  return { records, next: processes.length > q.limit ? encodeCursor("p", page[page.length - 1].seq) : null };
}

/** Every release of one process, in publication order (empty when unknown). */
export async function recordReleases(em: EntityManager, tenant: string, ocid: string): Promise<StoredRelease[]> {
  return (await releasesOf(em, tenant, [ocid])).get(ocid) ?? [];
}

/** The latest publication of the tenant (for an empty page's publishedDate), or null. */
export async function lastPublication(em: EntityManager, tenant: string): Promise<Date | null> {
  const [row] = await em.execute<{ at: Date | string | null }[]>("select max(created_at) as at from ocds_release where tenant_code = ?", [tenant]);
  return row?.at ? new Date(row.at) : null;
}

// ---------------------------------------------------------------------------------------------------
// Packages

export interface Publisher {
  /** The pemda's name, e.g. "Kabupaten Bojonegoro". */
  tenantName: string;
  tenantCode: string;
}

/** The address the app is reached at: PUBLIC_URL when configured, else the request's own origin. */
export function originOf(request: Request): string {
  return ocdsConfig().publicUrl ?? new URL(request.url).origin;
}

/** The request's URL on that origin. */
function uriOf(request: Request): string {
  const u = new URL(request.url);
  return `${originOf(request)}${u.pathname}${u.search}`;
}

/** The `extensions` of every package: the declared official extensions, then Jejak's own as the app serves it. */
export function declaredExtensions(origin: string): string[] {
  const schemas = loadOcdsSchemas();
  const official = DECLARED_EXTENSIONS.filter((e) => schemas.extensions.includes(e.name)).map((e) => extensionUrl(e));
  return schemas.project ? [...official, `${origin}${PROJECT_EXTENSION_PATH}`] : official;
}

/** Jejak's extension.json as served: its documentation link on this app's publication policy page. */
export function projectExtensionMetadata(origin: string): JsonObject {
  const meta = structuredClone(PROJECT_EXTENSION.metadata);
  meta.documentationUrl = { en: `${origin}/ocds#extension` };
  return meta;
}

export function projectExtensionSchema(): JsonObject {
  return PROJECT_EXTENSION.releaseSchemaPatch;
}

function packageHead(request: Request, publisher: Publisher, publishedDate: Date): JsonObject {
  const origin = originOf(request);
  const { license } = ocdsConfig();
  return {
    uri: uriOf(request),
    version: OCDS_VERSION,
    extensions: declaredExtensions(origin),
    publishedDate: publishedDate.toISOString(),
    publisher: { name: /^pemerintah\b/i.test(publisher.tenantName) ? publisher.tenantName : `Pemerintah ${publisher.tenantName}`, scheme: "IDN-KEMENDAGRI", uid: publisher.tenantCode, uri: origin },
    license,
    publicationPolicy: `${origin}/ocds`,
  };
}

/** The address of a stored release (a release package with that release alone). */
export function releaseUrl(origin: string, ocid: string, id: string): string {
  return `${origin}/api/ocds/releases/${encodeURIComponent(ocid)}/${encodeURIComponent(id)}`;
}

function nextLink(request: Request, cursor: string | null): string | null {
  if (!cursor) return null;
  const u = new URL(request.url);
  u.searchParams.set("cursor", cursor);
  return `${originOf(request)}${u.pathname}?${u.searchParams}`;
}


/**
 * A release package as text: the metadata, `links.next` when there is a next page, and the stored releases
 * spliced in as they are (never parsed again). Returns the text, its Last-Modified (`emptyDate` when there
 * are no releases), and its version for the ETag: the metadata and the releases' publication numbers, which
 * name the text as surely as the text does (a stored release is never rewritten), at a sliver of the cost
 * of hashing a hundred releases.
 */
export function releasePackageText(request: Request, publisher: Publisher, releases: ReleaseRun, next: string | null, emptyDate: Date): { text: string; lastModified: Date; version: string } {
  const lastModified = releases.lastStored ?? emptyDate;
  const head = packageHead(request, publisher, lastModified);
  const link = nextLink(request, next);
  if (link) head.links = { next: link };
  const meta = JSON.stringify(head);
  return { text: `${meta.slice(0, -1)},"releases":[${releases.joined}]}`, lastModified, version: `${meta}\n${releases.seqs.join(",")}` };
}

/**
 * A record package as text. `embed`: the record of one process (all its releases given), with its releases
 * embedded and its compiled and versioned releases merged here; otherwise (a page of records from
 * recordsPage) releases are linked and the compiled release is the stored text, spliced in as it is.
 */
export function recordPackageText(
  request: Request,
  publisher: Publisher,
  records: ({ ocid: string; releases: StoredRelease[] } | StoredRecordEntry)[],
  next: string | null,
  emptyDate: Date,
  embed: boolean,
): { text: string; lastModified: Date } {
  const all = records.flatMap((r): { createdAt: Date }[] => r.releases);
  const lastModified = all.length ? newest(all.map((r) => r.createdAt)) : emptyDate;
  const head = packageHead(request, publisher, lastModified);
  const link = nextLink(request, next);
  if (link) head.links = { next: link };
  const origin = originOf(request);
  const merger = mergerFor(loadOcdsSchemas().release);
  const out = records.map((rec) => {
    if ("compiled" in rec) {
      const releases = rec.releases.map((r) => ({ url: `${releaseUrl(origin, rec.ocid, r.id)}#${r.id}`, date: r.date, tag: r.tags }));
      return `{"ocid":${JSON.stringify(rec.ocid)},"releases":${JSON.stringify(releases)},"compiledRelease":${rec.compiled}}`;
    }
    const parsed = rec.releases.map((r) => JSON.parse(r.data) as JsonObject);
    // Merge order: by date, equal dates in publication order (the releases come in publication order).
    const record = merger.record(parsed);
    const byId = new Map(rec.releases.map((r) => [r.id, r]));
    const releases = embed
      ? record.releases
      : record.releases.map((r) => {
          const stored = byId.get(String(r.id))!;
          return { url: `${releaseUrl(origin, rec.ocid, stored.id)}#${stored.id}`, date: r.date, tag: r.tag };
        });
    return JSON.stringify(
      embed ? { ocid: rec.ocid, releases, compiledRelease: record.compiledRelease, versionedRelease: record.versionedRelease } : { ocid: rec.ocid, releases, compiledRelease: record.compiledRelease },
    );
  });
  const meta = JSON.stringify(head);
  return { text: `${meta.slice(0, -1)},"records":[${out.join(",")}]}`, lastModified };
}

// ---------------------------------------------------------------------------------------------------
// HTTP

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
  "Access-Control-Expose-Headers": "ETag, Last-Modified",
};

/** The answer to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: { ...CORS, "Access-Control-Max-Age": "86400" } });
}

/**
 * A JSON answer with its validators: a strong ETag and Last-Modified; 304 when the client's copy is current
 * (If-None-Match first, as RFC 9110 says, else If-Modified-Since). The ETag is the SHA-256 of `version` when
 * given (a shorter text that changes whenever the body does: releasePackageText's), else of the body. The
 * body goes out as bytes: a string body would be scanned and copied for lone surrogates on the way.
 */
export function jsonResponse(request: Request, text: string, opts: { lastModified: Date; maxAge: number; immutable?: boolean; version?: string }): Response {
  const etag = `"${createHash("sha256").update(opts.version ?? text).digest("base64url").slice(0, 32)}"`;
  const lastModified = new Date(Math.floor(opts.lastModified.getTime() / 1000) * 1000);
  const headers: Record<string, string> = {
    ...CORS,
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": `public, max-age=${opts.maxAge}${opts.immutable ? ", immutable" : ""}`,
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
  };
  const inm = request.headers.get("if-none-match");
  const ims = request.headers.get("if-modified-since");
  const fresh =
    inm !== null
      ? inm.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === etag)
      : ims !== null && !Number.isNaN(Date.parse(ims)) && lastModified.getTime() <= Date.parse(ims);
  if (fresh) return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : Buffer.from(text), { status: 200, headers });
}

/** An error as JSON, with CORS, never cached. */
export function errorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: code, message }), { status, headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}

/** Runs a handler, turning an OcdsApiError into its JSON error response. */
export async function answer(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof OcdsApiError) return errorResponse(e.status, e.code, e.message);
    throw e;
  }
}
