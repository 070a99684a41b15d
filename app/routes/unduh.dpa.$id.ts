import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, guardSomewhere } from "~/guard.server";
import { refuse } from "~/http.server";
import { dpaDocument, streamDpaXlsx } from "~/domain.server";

/**
 * GET /unduh/dpa/<id>: one OPD's DPA-SKPD as Excel (exports/xlsx/dpa.ts): number, OPD, amount with
 * terbilang, the lines per sub-activity and the cash plan in the DPA's period (the months with their
 * quarters, or the quarters only). Who: budget.view in the DPA's OPD scope (the OPD's officers; TAPD,
 * Bappeda and auditors pemda-wide). Streamed as it is written.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await guardSomewhere(request, "budget.view"); // signed in and budget.view somewhere, before anything is looked up
  const doc = await dpaDocument(await em(), config().tenant, params.id ?? "");
  if (!doc) throw refuse(404, "budget.dpa.notFound");
  await guard(request, "budget.view", { opd: doc.opd.code });
  const name = `dpa-${doc.apbd.year}-${doc.opd.code}-v${doc.apbd.versionNo}.xlsx`.replace(/[^\w.-]/g, "");
  return new Response(Readable.toWeb(streamDpaXlsx(doc)) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
