import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard } from "~/guard.server";
import { refuse } from "~/http.server";
import { tenantInfo } from "~/tenant.server";
import { rkaSheetData, streamRkaXlsx } from "~/domain.server";

/**
 * GET /unduh/rka/<id>: one RKA as Excel in the RKA rincian layout (exports/xlsx/rka.ts), the file the
 * editor's import reads back. Who: whoever may open the RKA's editor (budget.view in the RKA's OPD
 * scope). The workbook is streamed as it is written.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await em();
  const data = await rkaSheetData(db, config().tenant, params.id ?? "", (await tenantInfo()).name).catch(() => null);
  if (!data) throw refuse(404, "budget.rka.notFound");
  await guard(request, "budget.view", { opd: data.rka.opdCode });
  const name = `rka-${data.rka.year}-${(data.sub?.code ?? data.rka.kind).replace(/[^\w.-]/g, "")}.xlsx`;
  return new Response(Readable.toWeb(streamRkaXlsx(data)) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
