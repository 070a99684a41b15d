import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { listPage } from "~/list-api.server";
import { config } from "~/config.server";
import { cleanProcurementFilter, searchPackages } from "~/domain.server";

/**
 * Open data: GET /api/pengadaan?tahun=&opd=&metode=&jenis=&status=&q=&page=&per_page= — announced packages
 * (RUP) with their latest selection, winner and contract (per_page up to 100; `status` is the public
 * stage: rup, tender, evaluasi, pemenang, kontrak, gagal, batal). Amounts are decimal strings. Public,
 * CORS open.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filter = cleanProcurementFilter(Object.fromEntries(url.searchParams.entries()));
  const r = await searchPackages(await em(), config().tenant, filter);
  return listPage(
    url,
    r,
    r.items.map((p) => ({ ...p, url: `/pengadaan/${p.id}`, api: `/api/pengadaan/${p.id}` }))
  );
}
