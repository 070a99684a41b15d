import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere } from "~/guard.server";
import { refuse, requirePermission } from "~/http.server";
import { findOpdByCode, streamRup } from "~/domain.server";

/**
 * GET /unduh/rup/<year>[?opd=<kode OPD>]: the RUP of a fiscal year — every announced package, or one OPD's —
 * in SiRUP's penyedia layout (exports/xlsx/rup.ts: "Paket" and "Anggaran"), the file the RUP import reads
 * back. Who: procure.view — a PPK for their own OPD (with ?opd=), the Pokja, TAPD, auditors and admins for
 * every OPD. Streamed from one database snapshot, a page of packages at a time.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.view");
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const tenant = config().tenant;
  const opd = (new URL(request.url).searchParams.get("opd") ?? "").trim().slice(0, 40) || null;
  requirePermission(viewer.actor, "procure.view", { tenant, opd });
  const db = await em();
  if (opd && !(await findOpdByCode(db, opd))) throw refuse(404, "opd.unknown", { code: opd });
  const name = `rup-${year}${opd ? `-${opd}` : ""}.xlsx`.replace(/[^\w.-]/g, "");
  return new Response(Readable.toWeb(streamRup(db, { tenant, year, opd })) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
