import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { tenantInfo } from "~/tenant.server";
import { rkpdSheetPages, streamRkpdXlsx } from "~/domain.server";

/**
 * GET /rkpd/<year>.xlsx (server.ts maps that address here): the RKPD as Excel in the standard layout,
 * streamed as it is read: the sub-activities come from the database a page at a time and each row is
 * written as it comes, so memory stays flat however long the plan. Public, like the page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const opd = new URL(request.url).searchParams.get("opd") || undefined;
  const pages = rkpdSheetPages(await em(), config().tenant, year, opd && /^[\d.]{3,40}$/.test(opd) ? opd : undefined);
  const stream = streamRkpdXlsx({ year, tenantName: (await tenantInfo()).name, pages });
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="rkpd-${year}${opd ? `-${opd}` : ""}.xlsx"`,
      "Cache-Control": "public, max-age=60",
    },
  });
}
