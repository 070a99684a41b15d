import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { publicApbd } from "~/domain.server";

/**
 * Open data: GET /api/apbd/<year> — the APBD version in force (kind, legal basis, adoption date, the
 * versions before it), its totals with the surplus/deficit and net financing, and where the money goes:
 * spending by OPD, bidang urusan, programme, kecamatan, funding source and account group; revenue and
 * financing by account group. Money as canonical decimal strings ("1250000.00"), never JSON numbers;
 * each breakdown adds up exactly to its total. 404 when the year has no adopted APBD.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" };
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) return json({ error: "not_found" }, { status: 404, headers });
  const data = await publicApbd(await em(), config().tenant, year);
  if (!data) return json({ error: "no_adopted_apbd", year }, { status: 404, headers });
  return json(data, { headers });
}
