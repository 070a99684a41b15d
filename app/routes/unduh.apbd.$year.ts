import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { tenantInfo } from "~/tenant.server";
import { apbdSheetPages, publicApbd, streamApbdXlsx } from "~/domain.server";

/**
 * GET /apbd/<year>.xlsx (server.ts maps that address here): the APBD in force as Excel — "Ringkasan"
 * (the summary tables) and "Rincian" (every line, with subtotals per OPD) — streamed as it is read: the
 * lines come from the database a page at a time and each row is written as it comes, so memory stays flat
 * at 150,000 lines. Public, like the page.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const db = await em();
  const summary = await publicApbd(db, config().tenant, year);
  if (!summary) throw refuse(404, "budget.dpa.noAdoptedApbd", { year });
  const stream = streamApbdXlsx({ tenantName: (await tenantInfo()).name, summary, pages: apbdSheetPages(db, config().tenant, summary.apbd.id) });
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="apbd-${year}-v${summary.apbd.versionNo}.xlsx"`,
      "Cache-Control": "public, max-age=60",
    },
  });
}
