import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { tenantInfo } from "~/tenant.server";
import { guardSomewhere } from "~/guard.server";
import { refuse, requirePermission } from "~/http.server";
import { langOf } from "~/lang.server";
import { translator } from "~/i18n";
import { isDomainError, tenderView, writeTenderResults } from "~/domain.server";

/**
 * GET /unduh/tender/<id>: a tender's results as Excel (exports/xlsx/tender-results.ts) — bidders, prices,
 * corrected prices, per-stage results and rank. Only once the bids are opened (before that there is
 * nothing to show but their number). Who: procure.view in the package's OPD (its PPK; the Pokja, TAPD
 * and auditors pemda-wide).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const view = await tenderView(await em(), tenant, params.id ?? "").catch((e: unknown) => {
    if (isDomainError(e) && e.kind === "notFound") return null;
    throw e;
  });
  if (!view) throw refuse(404, "procure.tender.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: view.pkg.opd_code });
  if (!view.tender.opened_at) throw refuse(409, "procure.tender.notOpened");
  const bytes = await writeTenderResults(view, { t: translator(langOf(request)), tenantName: (await tenantInfo()).name });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="hasil-pemilihan-${view.tender.code.replace(/[^\w-]/g, "")}.xlsx"`,
      "Cache-Control": "private, no-store",
    },
  });
}
