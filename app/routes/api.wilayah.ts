import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { searchRegions } from "~/domain.server";

/**
 * Region search for pickers and open data: GET /api/wilayah?q=ngunut&tingkat=desa|kecamatan.
 * Public (regions are public data), limited to the tenant's kecamatan and desa/kelurahan.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const tingkat = url.searchParams.get("tingkat");
  const levels = tingkat === "desa" ? [4] : tingkat === "kecamatan" ? [3] : [3, 4];
  const limit = Math.min(Number(url.searchParams.get("limit") ?? 20) || 20, 50);
  const results = await searchRegions(await em(), config().tenant, q, { levels, limit });
  return json({ q, results }, { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } });
}
