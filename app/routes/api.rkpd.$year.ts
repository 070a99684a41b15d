import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { rkpd } from "~/domain.server";

/** Open data: the RKPD of a year (optionally ?opd=<code>), with the proposals behind each sub-activity. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" };
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return json({ error: "not_found" }, { status: 404, headers });
  const opd = new URL(request.url).searchParams.get("opd") || undefined;
  return json(await rkpd(await em(), config().tenant, year, opd && /^[\d.]{3,40}$/.test(opd) ? opd : undefined), { headers });
}
