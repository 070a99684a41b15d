import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere } from "~/guard.server";
import { refuse } from "~/http.server";
import { tenantInfo } from "~/tenant.server";
import { quarterlyEvaluation, streamEvaluationXlsx, visibleScopes } from "~/domain.server";

/**
 * GET /unduh/evaluasi/<year>[?opd=<code>]: the quarterly RKPD evaluation in the Permendagri 86/2017 form
 * (exports/xlsx/evaluation.ts), for everyone who may read it: the whole tenant's (Bappeda's consolidated
 * evaluation) or one OPD's; an OPD's officers get their own OPD only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "monev.evaluation.view");
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const scopes = visibleScopes(viewer.actor, "monev.evaluation.view");
  const asked = (new URL(request.url).searchParams.get("opd") ?? "").trim().slice(0, 40);
  if (!scopes.all && asked && !scopes.opds.includes(asked)) throw refuse(403, "error.403");
  const opd = scopes.all ? asked || undefined : asked || scopes.opds[0];
  const e = await quarterlyEvaluation(await em(), config().tenant, year, opd);
  const opdName = opd ? e.opds.find((o) => o.code === opd)?.name : undefined;
  const stream = streamEvaluationXlsx(e, (await tenantInfo()).name, opdName);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="evaluasi-rkpd-${year}${opd ? `-${opd}` : ""}.xlsx"`,
      "Cache-Control": "private, no-store",
    },
  });
}
