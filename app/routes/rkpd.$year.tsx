import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { rkpd } from "~/domain.server";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";
import { SubActivityRow, type SubActivityRowData } from "~/components/sub-activity-row";

export { passHeaders as headers } from "~/headers";

/** A document to read: plain links and a GET form, so the page ships no scripts (see root.tsx). */
export const handle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `RKPD ${data.year} — Jejak` : "RKPD — Jejak" }];

/**
 * The RKPD of a year, public: by OPD, programme and kegiatan, each sub-activity with the proposals behind it.
 * The loader's data travels twice (rendered, and as JSON in the page for hydration), so it carries only what
 * the page shows: each OPD's sub-activities grouped once by "programme › kegiatan" (consecutive in code
 * order), without ids or repeated names. The full data is the open-data API's (/api/rkpd/<year>).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const opd = new URL(request.url).searchParams.get("opd") || undefined;
  const data = await rkpd(await em(), config().tenant, year, opd && /^[\d.]{3,40}$/.test(opd) ? opd : undefined);
  const opds = data.opds.map((o) => {
    const groups: { path: string; subs: SubActivityRowData[] }[] = [];
    for (const s of o.subs) {
      const path = `${s.programCode} ${s.programName} › ${s.kegiatanCode} ${s.kegiatanName}`;
      const row: SubActivityRowData = {
        code: s.code,
        name: s.name,
        fundingSource: s.fundingSource,
        locations: s.locations,
        indicator: s.indicator,
        target: s.target,
        unit: s.unit,
        ceiling: s.ceiling,
        proposals: s.proposals,
      };
      const last = groups[groups.length - 1];
      if (last?.path === path) last.subs.push(row);
      else groups.push({ path, subs: [row] });
    }
    return { code: o.code, name: o.name, status: o.status, ceiling: o.ceiling, planned: o.planned, groups };
  });
  return json({ year, total: data.total, opds, opd: opd ?? "" }, { headers: { "Cache-Control": "public, max-age=60" } });
}

export default function Rkpd() {
  const { year, opds, total, opd } = useLoaderData<typeof loader>();
  const t = useT();
  const q = opd ? `?opd=${opd}` : "";
  return (
    <>
      <h1>{`RKPD ${year}`}</h1>
      <p>
        {`${t("rkpd.total")}: `}
        <strong data-testid="rkpd-total">{formatRupiah(total)}</strong>
        {" · "}
        <a href={`/api/rkpd/${year}${q}`}>{t("mus.public.openData")}</a>
        {" · "}
        <a href={`/rkpd/${year}.xlsx${q}`}>Excel</a>
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="opd">{t("mus.public.filter.opd")}</label>
          <select id="opd" name="opd" defaultValue={opd}>
            <option value="">{t("mus.public.all")}</option>
            {opds.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          {t("mus.public.search")}
        </button>
      </Form>
      {opds
        .filter((o) => o.groups.length || o.ceiling)
        .map((o) => (
          <section key={o.code} className="card" data-opd={o.code}>
            <h2>{o.name}</h2>
            <p className="muted">
              {`${o.status ? t(`rkpd.status.${o.status}`) : t("rkpd.status.none")} · ${t("rkpd.ceiling")}: ${o.ceiling ? formatRupiah(o.ceiling) : "—"} · ${t("rkpd.planned")}: ${formatRupiah(o.planned)}`}
            </p>
            {o.groups.length ? (
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th>{t("rkpd.subActivity")}</th>
                      <th>{t("rkpd.target")}</th>
                      <th className="num">{t("rkpd.ceiling")}</th>
                      <th>{t("mus.public.title")}</th>
                    </tr>
                  </thead>
                  {o.groups.map((g, i) => (
                    <tbody key={i}>
                      <tr className="row--group">
                        <th colSpan={4} scope="rowgroup">
                          {g.path}
                        </th>
                      </tr>
                      {g.subs.map((s) => (
                        <SubActivityRow key={s.code} s={s} />
                      ))}
                    </tbody>
                  ))}
                </table>
              </div>
            ) : null}
          </section>
        ))}
    </>
  );
}
