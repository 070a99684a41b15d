import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { sharedAnswers } from "~/shared-answer.server";
import { config } from "~/config.server";
import { cleanMapFilter, isSmallYear, mapFeatures, mapPoints, mapRequestKey, pageText, parseMapRequest, publicYears, viewText, yearText, type MapFilter, type MapPoints } from "~/domain.server";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "If-None-Match",
  "Access-Control-Expose-Headers": "ETag",
};

/**
 * A year of a large kabupaten is some 30,000 points: several MB of GeoJSON text and a few hundred ms to
 * read. Each year's points (per tenant and filter) are therefore read once — each feature's text, its
 * projection, the paging order (domain/monev/map-view.ts) — and kept for MAX_AGE seconds (what clients may
 * cache answers for); after that the next request starts a fresh read and, until it is ready, the previous
 * points still answer (stale while revalidating). Concurrent requests share one read.
 *
 * Each answer is then built from those points in a few ms (a grid pass, a page cut) and kept too — text,
 * gzip and ETag — under the points' version, so that a repeated request is served as it was prepared:
 * the whole year, the overview and the pages (few per filter, each up to 1 MB) in `answers`, viewports
 * (many, mostly small) in `views` when under VIEW_CACHE_BYTES — a rare wide viewport at a close zoom is
 * built for its request only — so that what is kept stays within some 100 MB.
 */
const MAX_AGE = 60;
interface Year {
  points: MapPoints;
  version: string;
}
interface Prepared {
  etag: string;
  body: Buffer;
  gzip: Buffer;
}
const years = sharedAnswers<Year>({ label: "/api/peta", maxAgeMs: () => MAX_AGE * 1000 });
const answers = sharedAnswers<Prepared>({ label: "/api/peta answer", maxAgeMs: () => MAX_AGE * 1000, maxEntries: 48 });
const views = sharedAnswers<Prepared>({ label: "/api/peta view", maxAgeMs: () => MAX_AGE * 1000, maxEntries: 300 });
const VIEW_CACHE_BYTES = 128_000;

async function prepared(text: string): Promise<Prepared> {
  const body = Buffer.from(text);
  return { etag: etagOf(body), body, gzip: await promisify(gzip)(body) };
}

const etagOf = (b: Buffer | string) => `"${createHash("sha256").update(b).digest("base64url").slice(0, 32)}"`;

function filterKey(tenant: string, f: MapFilter) {
  return `${tenant}|${f.year}|${f.opd ?? ""}|${f.kecamatan ?? ""}`;
}

function yearPoints(tenant: string, filter: MapFilter): Promise<Year> {
  return years(filterKey(tenant, filter), async () => {
    const points = mapPoints(await mapFeatures(await em(), tenant, filter));
    const h = createHash("sha256").update(JSON.stringify(points.unlocated));
    for (const j of points.json) h.update(j);
    return { points, version: h.digest("base64url").slice(0, 24) };
  });
}

/**
 * Open data: GET /api/peta?tahun=&opd=&kecamatan= — a year's proposals, sub-activities and contracts as a
 * GeoJSON FeatureCollection (RFC 7946, `application/geo+json`; short property keys documented in
 * domain/monev/map.ts). Without `tahun`, the latest year with an adopted APBD. Every answer is under 1 MB
 * as text (domain/monev/map-view.ts):
 *   (nothing more)                  a small year's every point; a large year's overview clusters and a
 *                                   link (rel "items") to its every point in pages;
 *   &bbox=west,south,east,north&zoom=z   the points inside the bbox, clustered on a grid where dense;
 *   &cursor=                        every point, a page at a time (links rel "next").
 * Public, CORS open, a strong ETag (304 when the client's copy is current), gzip for clients that accept
 * it, cacheable for a minute.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const tenant = config().tenant;
  const q = Object.fromEntries(url.searchParams.entries());
  const filter = cleanMapFilter(q, q.tahun ? 0 : (await publicYears(await em(), tenant)).preferred);
  const req = parseMapRequest(q);
  const bad = !filter.year ? "tahun: expected a year such as 2027" : req.mode === "error" ? req.error : null;
  if (bad) return new Response(JSON.stringify({ error: bad }), { status: 400, headers: { ...CORS, "Content-Type": "application/json; charset=utf-8" } });
  const { points, version } = await yearPoints(tenant, filter);
  const base = new URLSearchParams({ tahun: String(filter.year), ...(filter.opd ? { opd: filter.opd } : {}), ...(filter.kecamatan ? { kecamatan: filter.kecamatan } : {}) });
  const href = (extra: Record<string, string>) => `/api/peta?${new URLSearchParams([...base, ...Object.entries(extra)]).toString()}`;
  const items = [{ rel: "items" as const, href: href({ cursor: "" }), type: "application/geo+json" as const }];
  const key = `${filterKey(tenant, filter)}|${version}|${mapRequestKey(req)}`;
  let p: Prepared;
  if (req.mode === "view") {
    const text = viewText(points, req.bbox, req.zoom, items);
    p = Buffer.byteLength(text) <= VIEW_CACHE_BYTES ? await views(key, () => prepared(text)) : await prepared(text);
  } else
    p = await answers(key, () =>
      prepared(req.mode === "page" ? pageText(points, req.cursor, (cursor) => href({ cursor })) : isSmallYear(points) ? yearText(points) : viewText(points, null, null, items)),
    );
  const headers: Record<string, string> = { ...CORS, ETag: p.etag, "Cache-Control": `public, max-age=${MAX_AGE}`, Vary: "Accept-Encoding" };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === p.etag)) return new Response(null, { status: 304, headers });
  const gz = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  return new Response(new Uint8Array(gz ? p.gzip : p.body), {
    status: 200,
    headers: { ...headers, "Content-Type": "application/geo+json; charset=utf-8", ...(gz ? { "Content-Encoding": "gzip" } : {}) },
  });
}

/** CORS preflight; the map is read-only. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { ...CORS, "Access-Control-Allow-Methods": "GET, OPTIONS" } });
  return new Response(JSON.stringify({ error: "read-only: use GET" }), { status: 405, headers: { ...CORS, Allow: "GET, OPTIONS", "Content-Type": "application/json; charset=utf-8" } });
}
