import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { runUseCase } from "~/http.server";
import { vendorContract } from "~/domain.server";
import { ContractDetails } from "~/components/pengadaan";
import { useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.package.name} — Kontrak — Jejak` : "Kontrak — Jejak" }];

/**
 * /vendor/kontrak/<id>: the contractor's own contract — SPPBJ, contract, amendments and payment terms.
 * Another vendor's contract is refused with 403 (the domain checks the vendor, not this page).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "workspace.vendor");
  const r = await runUseCase(request, async () => vendorContract(await em(), viewer.actor, params.id ?? ""));
  if (!r.ok) throw r.response;
  return json({ view: r.value }, { headers: viewerHeaders(viewer) });
}

export default function VendorContract() {
  const { view } = useLoaderData<typeof loader>();
  const t = useT();
  const p = view.package;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/vendor">{t("ws.vendor.title")}</Link> › <Link to={`/pengadaan/${p.id}`}>{t("pengadaan.vendor.publicPage")}</Link>
      </p>
      <h1>{p.name}</h1>
      <p className="muted">
        {p.kodeRup ? `RUP ${p.kodeRup} · ` : ""}
        {p.year} · {p.opd} · {t(`procure.kind.${p.kind}`)} · {t(`procure.method.${p.method}`)}
      </p>
      <section className="card">
        <h2>{t("pengadaan.section.contract")}</h2>
        <ContractDetails contract={view.contract} />
      </section>
    </>
  );
}
