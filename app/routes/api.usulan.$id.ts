import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { proposalDetail } from "~/domain.server";

/** Open data for one proposal, with its whole timeline. 404 JSON when unknown. */
export async function loader({ params }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "public, max-age=30", "Access-Control-Allow-Origin": "*" };
  const p = await proposalDetail(await em(), config().tenant, params.id ?? "");
  if (!p) return json({ error: "not_found", message: "Usulan tidak ditemukan." }, { status: 404, headers });
  const { version: _v, originForumId: _o, ...pub } = p;
  return json(
    {
      ...pub,
      photos: p.photos.map((ph) => ({ ...ph, url: `/usulan/foto/${ph.id}`, thumbnail: `/usulan/foto/${ph.id}?kecil=1` })),
      timeline: p.timeline.map(({ id: _id, ...e }) => e),
    },
    { headers },
  );
}
