import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { listPage } from "~/list-api.server";
import { config } from "~/config.server";
import { cleanPublicFilter, searchProposals } from "~/domain.server";

/**
 * Open data: GET /api/usulan?desa=&kecamatan=&status=&opd=&q=&tahun=&page=&per_page= (Kemendagri codes
 * for desa and kecamatan; per_page up to 100). Public, CORS open.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filter = cleanPublicFilter(Object.fromEntries(url.searchParams.entries()));
  const r = await searchProposals(await em(), config().tenant, filter);
  return listPage(
    url,
    r,
    r.items.map((p) => ({
      id: p.id,
      code: p.code,
      title: p.title,
      status: p.status,
      source: p.source,
      kind: p.kind,
      thematicGroup: p.thematicGroup,
      desa: { code: p.desaCode, name: p.desaName },
      opd: { code: p.opdCode, name: p.opdName },
      volume: p.volume,
      unit: p.unit,
      estimatedCost: p.estimatedCost,
      beneficiaries: p.beneficiaries,
      reason: p.reason || null,
      url: `/usulan/${p.id}`,
    }))
  );
}
