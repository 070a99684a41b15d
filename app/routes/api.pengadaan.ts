import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
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
  const pages = Math.max(1, Math.ceil(r.total / r.perPage));
  const link = (page: number) => {
    const sp = new URLSearchParams(url.searchParams);
    sp.set("page", String(page));
    return `${url.pathname}?${sp}`;
  };
  return json(
    {
      total: r.total,
      page: r.page,
      per_page: r.perPage,
      links: { next: r.page < pages ? link(r.page + 1) : null, prev: r.page > 1 ? link(r.page - 1) : null },
      data: r.items.map((p) => ({ ...p, url: `/pengadaan/${p.id}`, api: `/api/pengadaan/${p.id}` })),
    },
    { headers: { "Cache-Control": "public, max-age=30", "Access-Control-Allow-Origin": "*" } },
  );
}
