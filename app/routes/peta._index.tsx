import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { cleanMapFilter, mapList, publicYears, type MapItem } from "~/domain.server";
import { PROPOSAL_STATUSES } from "../../domain/musrenbang/vocabulary";
import { regionChildren, tenantOpds } from "~/reference.server";
import { langOf } from "~/lang.server";
import { translator } from "~/i18n";
import { formatCount } from "~/format";
import { useLang, useT } from "~/hooks";
import { PetaMap, PETA_COLORS, shapeSvg, type PetaLabels } from "~/components/peta-map";

export { passHeaders as headers } from "~/headers";

export const links = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Peta ${data.filter.year} — Jejak` : "Peta — Jejak" }];

/** Rows listed per kind under the map; the map itself shows every point. */
const LIST_MAX = 200;
const CONTRACT_STATUSES = ["signed", "completed", "terminated"];

/**
 * GET /peta?tahun=&opd=&kecamatan=: the year's proposals, sub-activities and contracts on a map (the points
 * come from /api/peta with the same filter) and, under it, the same items as tables rendered here on the
 * server — so the page is useful without tiles or JavaScript. Public, shared by the microcache.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const db = await em();
  const tenant = config().tenant;
  const [{ years, preferred }, opds, kecamatan] = await Promise.all([publicYears(db, tenant), tenantOpds(), regionChildren(tenant)]);
  const filter = cleanMapFilter(Object.fromEntries(url.searchParams.entries()), preferred);
  const { items, counts, unlocated } = await mapList(db, tenant, filter, LIST_MAX);
  const list = (k: MapItem["k"]) => ({ count: counts[k], rows: items.filter((i) => i.k === k) });
  const t = translator(langOf(request));
  const labels: PetaLabels = {
    kinds: { u: t("peta.kind.u"), s: t("peta.kind.s"), c: t("peta.kind.c") },
    status: Object.fromEntries([
      ...PROPOSAL_STATUSES.map((s) => [`u.${s}`, t(`mus.status.${s}`)]),
      ["s.planned", t("peta.sub.planned")],
      ["s.budgeted", t("peta.sub.budgeted")],
      ...CONTRACT_STATUSES.map((s) => [`c.${s}`, t(`procure.contractStatus.${s}`)]),
    ]),
    detail: t("peta.detail"),
    report: t("peta.report"),
    absorption: t("peta.absorption"),
    physical: t("peta.physical"),
    physicalNone: t("peta.physical.none"),
    critical: t("peta.critical"),
    loading: t("peta.map.loading"),
    failed: t("peta.map.failed"),
    label: t("peta.map.label"),
  };
  const query = new URLSearchParams({ tahun: String(filter.year), ...(filter.opd ? { opd: filter.opd } : {}), ...(filter.kecamatan ? { kecamatan: filter.kecamatan } : {}) }).toString();
  return json(
    {
      filter,
      query,
      years: years.length ? years : [filter.year],
      opds: opds.map((o) => ({ code: o.code, name: o.name })),
      kecamatan: kecamatan.map((k) => ({ code: k.code, name: k.name })),
      lists: { u: list("u"), s: list("s"), c: list("c") },
      unlocated,
      labels,
    },
    { headers: { "Cache-Control": "public, max-age=30" } },
  );
}

type Row = MapItem;

function Place({ r }: { r: Row }) {
  const t = useT();
  // A report from a contract's row is about the contract: it then shows on the contract's page and reaches its OPD.
  const contract =
    r.k === "c" ? (
      <Link to={`/lapor?kontrak=${r.id}`} data-testid="report-contract">
        {t("kontrakPublik.complaints.report")}
      </Link>
    ) : null;
  if (r.lat === null || r.lng === null)
    return (
      <>
        <span className="muted">{t("peta.noPoint")}</span> {contract}
      </>
    );
  return (
    <>
      <span className="num">
        {r.lat}, {r.lng}
      </span>{" "}
      {contract ?? <Link to={`/lapor?lat=${r.lat}&lng=${r.lng}`}>{t("peta.report")}</Link>}
    </>
  );
}

export default function Peta() {
  const { filter, query, years, opds, kecamatan, lists, unlocated, labels } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const opdName = new Map(opds.map((o) => [o.code, o.name]));
  const pct = (p: string) => `${lang === "id" ? p.replace(".", ",") : p}%`;
  const legend = (k: "u" | "s" | "c", colors: string[], text: string) => (
    <li style={{ display: "flex", gap: 8, alignItems: "flex-start", margin: "0 0 6px" }}>
      <span aria-hidden="true" style={{ display: "inline-flex", gap: 2, flex: "none" }}>
        {colors.map((c) => (
          <span key={c} dangerouslySetInnerHTML={{ __html: shapeSvg(k, c) }} />
        ))}
      </span>
      <span>{text}</span>
    </li>
  );
  const table = (k: "u" | "s" | "c", title: string) => {
    const l = lists[k];
    return (
      <section className="card" aria-labelledby={`list-${k}`} data-testid={`list-${k}`}>
        <h3 id={`list-${k}`} style={{ marginTop: 0 }}>
          {title}
        </h3>
        {l.rows.length === 0 ? (
          <p className="muted">{t("peta.list.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data" aria-labelledby={`list-${k}`}>
              <thead>
                <tr>
                  <th scope="col">{t("peta.col.name")}</th>
                  <th scope="col">{t("peta.col.status")}</th>
                  <th scope="col">{t("peta.col.opd")}</th>
                  {k !== "u" ? <th scope="col">{t("peta.col.progress")}</th> : null}
                  <th scope="col">{t("peta.col.place")}</th>
                </tr>
              </thead>
              <tbody>
                {l.rows.map((r) => (
                  <tr key={r.id} data-id={r.id}>
                    <th scope="row">
                      {k === "u" ? (
                        <Link to={`/usulan/${r.id}`}>{r.name}</Link>
                      ) : k === "c" ? (
                        <>
                          <Link to={`/kontrak/${r.id}`}>{r.name}</Link>
                          {r.packageId ? (
                            <>
                              {" "}
                              <Link to={`/pengadaan/${r.packageId}`} className="muted">
                                ({t("peta.package")})
                              </Link>
                            </>
                          ) : null}
                        </>
                      ) : (
                        r.name
                      )}
                      {r.ref ? <div className="muted code">{r.ref}</div> : null}
                    </th>
                    <td>{labels.status[`${k}.${r.status}`] ?? r.status}</td>
                    <td>{opdName.get(r.opd) ?? r.opd}</td>
                    {k === "s" ? <td>{r.absorption !== null ? t("peta.absorption", { percent: pct(r.absorption) }) : "—"}</td> : null}
                    {k === "c" ? (
                      <td>
                        {r.physical !== null ? t("peta.physical", { percent: pct(r.physical) }) : t("peta.physical.none")}
                        {r.critical ? (
                          <strong style={{ color: PETA_COLORS.red }} data-testid="critical">
                            {" "}
                            · {t("peta.critical")}
                          </strong>
                        ) : null}
                      </td>
                    ) : null}
                    <td>
                      <Place r={r} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {l.count > l.rows.length ? <p className="muted">{t("peta.list.more", { shown: formatCount(l.rows.length, lang), count: formatCount(l.count, lang) })}</p> : null}
      </section>
    );
  };
  return (
    <>
      <h1>{t("peta.title", { year: filter.year })}</h1>
      <p>{t("peta.intro", { year: filter.year })}</p>
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="tahun">{t("peta.filter.year")}</label>
          <select id="tahun" name="tahun" defaultValue={filter.year}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="opd">{t("peta.filter.opd")}</label>
          <select id="opd" name="opd" defaultValue={filter.opd ?? ""}>
            <option value="">{t("peta.filter.all")}</option>
            {opds.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kecamatan">{t("peta.filter.kecamatan")}</label>
          <select id="kecamatan" name="kecamatan" defaultValue={filter.kecamatan ?? ""}>
            <option value="">{t("peta.filter.all")}</option>
            {kecamatan.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("peta.filter.apply")}</button>
      </Form>

      <PetaMap query={query} labels={labels} year={filter.year} />
      <noscript>
        <p className="muted">{t("peta.map.noScript")}</p>
      </noscript>
      <section aria-labelledby="legend-title" className="card" style={{ marginTop: 12 }}>
        <h2 id="legend-title" style={{ marginTop: 0, fontSize: "1.1rem" }}>
          {t("peta.legend")}
        </h2>
        <ul style={{ listStyle: "none", padding: 0, margin: 0 }} data-testid="legend">
          {legend("u", [PETA_COLORS.blue, PETA_COLORS.green, PETA_COLORS.grey], t("peta.legend.proposal"))}
          {legend("s", [PETA_COLORS.grey, PETA_COLORS.amber, PETA_COLORS.green], t("peta.legend.sub"))}
          {legend("c", [PETA_COLORS.red, PETA_COLORS.amber, PETA_COLORS.green, PETA_COLORS.blue], t("peta.legend.contract"))}
        </ul>
        {unlocated ? <p className="muted">{t("peta.unlocated", { count: formatCount(unlocated, lang) })}</p> : null}
        <p className="muted">
          {t("peta.api", { url: "" })}
          <a href={`/api/peta?${query}`}>/api/peta?{query}</a>
        </p>
      </section>

      <h2>{t("peta.list.title", { count: formatCount(lists.u.count + lists.s.count + lists.c.count, lang) })}</h2>
      {table("u", t("peta.list.proposals", { count: formatCount(lists.u.count, lang) }))}
      {table("s", t("peta.list.subs", { count: formatCount(lists.s.count, lang) }))}
      {table("c", t("peta.list.contracts", { count: formatCount(lists.c.count, lang) }))}
    </>
  );
}
