import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { sharedAnswers } from "~/shared-answer.server";
import { config } from "~/config.server";
import { cleanMapFilter, mapFeatures, publicYears, type MapFilter } from "~/domain.server";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "If-None-Match",
  "Access-Control-Expose-Headers": "ETag",
};

/**
 * A year of a large kabupaten is some 30,000 points: several MB of GeoJSON text, a few hundred ms to build
 * and compress. Each answer (per tenant and filter) is therefore prepared once — text, gzip and ETag — and
 * served for MAX_AGE seconds (what clients may cache it for); after that the next request starts a fresh
 * preparation and, until it is ready, the previous answer is still served (stale while revalidating).
 * Concurrent requests share one preparation.
 */
const MAX_AGE = 60;
interface Prepared {
  etag: string;
  body: Buffer;
  gzip: Buffer;
}
const answers = sharedAnswers<Prepared>({ label: "/api/peta", maxAgeMs: () => MAX_AGE * 1000 });

function prepare(tenant: string, filter: MapFilter): Promise<Prepared> {
  return answers(`${tenant}|${filter.year}|${filter.opd ?? ""}|${filter.kecamatan ?? ""}`, async () => {
    const body = Buffer.from(JSON.stringify(await mapFeatures(await em(), tenant, filter)));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
    return { etag, body, gzip: await promisify(gzip)(body) };
  });
}

/**
 * Open data: GET /api/peta?tahun=&opd=&kecamatan= — a year's proposals, sub-activities and contracts as a
 * GeoJSON FeatureCollection (RFC 7946, `application/geo+json`; short property keys documented in
 * domain/monev/map.ts). Without `tahun`, the latest year with an adopted APBD. Public, CORS open, a strong
 * ETag (304 when the client's copy is current), gzip for clients that accept it, cached for a minute.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const tenant = config().tenant;
  const q = Object.fromEntries(url.searchParams.entries());
  const filter = cleanMapFilter(q, q.tahun ? 0 : (await publicYears(await em(), tenant)).preferred);
  if (!filter.year) return new Response(JSON.stringify({ error: "tahun: expected a year such as 2027" }), { status: 400, headers: { ...CORS, "Content-Type": "application/json; charset=utf-8" } });
  const p = await prepare(tenant, filter);
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
