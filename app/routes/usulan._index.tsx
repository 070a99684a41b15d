import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { cleanPublicFilter, searchProposals } from "~/domain.server";
import { regionChildren, tenantOpds } from "~/reference.server";
import { StatusBadge } from "~/components/musrenbang";
import { formatCount, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import { PROPOSAL_STATUSES } from "../../domain/musrenbang/vocabulary";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction = () => [{ title: "Jejak usulan Musrenbang — Jejak" }];

/** The public tracker (no login): every proposal, searchable, each linking to its whole timeline. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const raw = Object.fromEntries(url.searchParams.entries());
  const filter = cleanPublicFilter(raw);
  const db = await em();
  const tenant = config().tenant;
  const [result, kecamatan, desa, opds] = await Promise.all([
    searchProposals(db, tenant, filter),
    regionChildren(tenant),
    filter.kecamatan ? regionChildren(filter.kecamatan) : Promise.resolve([]),
    tenantOpds(),
  ]);
  return json({ result, filter, kecamatan, desa, opds }, { headers: { "Cache-Control": "public, max-age=30" } });
}

export default function Tracker() {
  const { result, filter, kecamatan, desa, opds } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  const pageLink = (page: number) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined && k !== "page" && k !== "perPage") sp.set(k, String(v));
    sp.set("page", String(page));
    return `/usulan?${sp}`;
  };
  const apiQuery = new URLSearchParams(Object.entries(filter).filter(([k, v]) => v !== undefined && k !== "perPage").map(([k, v]) => [k, String(v)]));
  return (
    <>
      <h1>{t("mus.public.title")}</h1>
      <p>{t("mus.public.intro")}</p>
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="kecamatan">{t("mus.public.filter.kecamatan")}</label>
          <select id="kecamatan" name="kecamatan" defaultValue={filter.kecamatan ?? ""}>
            <option value="">{t("mus.public.all")}</option>
            {kecamatan.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        {desa.length ? (
          <div className="field">
            <label htmlFor="desa">{t("mus.public.filter.desa")}</label>
            <select id="desa" name="desa" defaultValue={filter.desa ?? ""}>
              <option value="">{t("mus.public.all")}</option>
              {desa.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="status">{t("mus.public.filter.status")}</label>
          <select id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("mus.public.all")}</option>
            {PROPOSAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`mus.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="opd">{t("mus.public.filter.opd")}</label>
          <select id="opd" name="opd" defaultValue={filter.opd ?? ""}>
            <option value="">{t("mus.public.all")}</option>
            {opds.map((o) => (
              <option key={o.code} value={o.code}>
                {o.shortName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">{t("mus.public.filter.q")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} />
        </div>
        <button className="button" type="submit">
          {t("mus.public.search")}
        </button>
      </Form>
      <p>
        <strong data-testid="result-count">{t("mus.public.results", { n: formatCount(result.total, lang) })}</strong> ·{" "}
        <a href={`/api/usulan?${apiQuery}`}>{t("mus.public.openData")}</a>
      </p>
      <ul className="cards" style={{ listStyle: "none", padding: 0 }} data-testid="results">
        {result.items.map((p) => (
          <li key={p.id} className="card">
            <Link to={`/usulan/${p.id}`}>
              <strong>{p.title}</strong>
            </Link>
            <div className="muted">
              {p.code} · {p.desaName} · {p.opdName}
            </div>
            <p>
              <StatusBadge status={p.status} /> {formatRupiah(p.estimatedCost)} · {p.volume} {p.unit}
            </p>
            {p.reason ? <p className="timeline__reason">{p.reason}</p> : null}
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav className="actions" aria-label="pagination">
          {result.page > 1 ? <Link to={pageLink(result.page - 1)}>← {t("mus.public.prev")}</Link> : null}
          <span>{t("mus.public.page", { page: result.page, pages })}</span>
          {result.page < pages ? <Link to={pageLink(result.page + 1)}>{t("mus.public.next")} →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
