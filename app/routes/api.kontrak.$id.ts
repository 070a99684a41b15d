import { createHash } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { publicContract, systemClock } from "~/domain.server";
import { ocidOfPackage } from "~/ocds.server";
import { wibDay } from "~/pengaduan.server";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "If-None-Match",
  "Access-Control-Expose-Headers": "ETag",
};

/**
 * Open data for one contract: GET /api/kontrak/<contract id> — the same document as its page
 * (domain/monev/contract-page.ts): the chain back to the Musrenbang proposals, the selection, the contract
 * and amendments, the kurva S series (planned against verified actual progress per period), the verified
 * reports with their photos' URLs and EXIF flags, kontrak kritis, payments, BAST and the public complaints
 * with their answers. Amounts and percentages are decimal strings. CORS open; a strong ETag (304 when the
 * client's copy is current); 404 JSON when unknown.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const c = await publicContract(await em(), config().tenant, params.id ?? "", wibDay(systemClock.now()));
  if (!c)
    return new Response(JSON.stringify({ error: "not_found", message: "Kontrak tidak ditemukan." }), {
      status: 404,
      headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    });
  const ocid = ocidOfPackage(config().tenant, c.package.id);
  const doc = {
    ...c,
    url: `/kontrak/${c.id}`,
    links: { package: `/pengadaan/${c.package.id}`, packageApi: `/api/pengadaan/${c.package.id}`, ocid, ocdsRecord: `/api/ocds/records/${encodeURIComponent(ocid)}`, report: `/lapor?kontrak=${c.id}` },
    proposals: c.proposals.map((u) => ({ ...u, url: `/usulan/${u.id}`, api: `/api/usulan/${u.id}` })),
    reports: c.reports.map((r) => ({ ...r, photos: r.photos.map((p) => ({ ...p, url: `/monev/foto/${p.id}`, thumbnail: `/monev/foto/${p.id}?kecil=1` })) })),
  };
  const text = JSON.stringify(doc);
  const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;
  const headers = { ...CORS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=30", ETag: etag };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : text, { status: 200, headers });
}

/** A CORS preflight is answered; anything but reading is refused (the API is read-only). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { ...CORS, "Access-Control-Max-Age": "86400" } });
  return new Response(JSON.stringify({ error: "method_not_allowed", message: "Hanya GET." }), { status: 405, headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", Allow: "GET, HEAD, OPTIONS" } });
}
