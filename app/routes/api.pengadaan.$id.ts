import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { publicPackage } from "~/domain.server";

/**
 * Open data for one package: GET /api/pengadaan/<package id> — the same chain as its page (DPA lines,
 * Musrenbang proposals, RUP, selections with bids as the law allows, objections, contracts and
 * amendments). Amounts are decimal strings, moments ISO 8601. 404 JSON when unknown or not announced.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "public, max-age=30", "Access-Control-Allow-Origin": "*" };
  const p = await publicPackage(await em(), config().tenant, params.id ?? "");
  if (!p) return json({ error: "not_found", message: "Paket tidak ditemukan." }, { status: 404, headers });
  return json(
    { ...p, url: `/pengadaan/${p.id}`, proposals: p.proposals.map((u) => ({ ...u, url: `/usulan/${u.id}`, api: `/api/usulan/${u.id}` })) },
    { headers },
  );
}
