import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { dashboards, redFlagCounts, yearLists } from "~/dasbor.server";
import { config } from "~/config.server";
import { serverClock } from "~/clock.server";
import { dashboard, Money, publicYears } from "~/domain.server";
import { BarChart, CHART_COLORS, type ChartRow } from "~/components/charts";
import { html } from "~/components/html";
import { renderSlot } from "~/render-data";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import { langOf } from "~/lang.server";
import type { Lang } from "~/i18n";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Dasbor ${data.year} — Jejak` : "Dasbor — Jejak" }];

/** Links and a GET form only: no scripts, shared by the microcache. */
export const handle = { scripts: false };

/** A short amount for a bar's end ("Rp3,2 M"): rounded for reading only, the table has the exact one. */
function shortRupiah(amount: string, lang: Lang): string {
  const d = Money.idr(amount).toDecimal();
  const units: [number, string, string][] = [
    [1e12, "T", "tn"],
    [1e9, "M", "bn"],
    [1e6, "jt", "m"],
  ];
  const u = units.find(([n]) => d.gte(n));
  if (!u) return formatRupiah(amount).replace(/,00$/, "");
  const n = d.div(u[0]).toDecimalPlaces(1).toString();
  return `Rp${lang === "id" ? n.replace(".", ",") : n} ${lang === "id" ? u[1] : u[2]}`;
}

const share = (part: string, whole: string) => (Money.idr(whole).isZero() ? 0 : Money.idr(part).percentOf(Money.idr(whole), 1).toNumber());

/**
 * GET /dasbor?tahun=: the command-centre view for the public (no login) — absorption per OPD, physical vs
 * financial progress of contracts, kontrak kritis, red flags, complaints by status and SLA, proposals per
 * kecamatan — each a chart drawn on the server with the table behind it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const db = await em();
  const tenant = config().tenant;
  const { years, preferred } = await yearLists(tenant, () => publicYears(db, tenant));
  const asked = Number(url.searchParams.get("tahun"));
  const year = years.includes(asked) ? asked : preferred;
  const lang = langOf(request);
  const [d, flags] = await Promise.all([dashboards(`${tenant}|${year}`, () => dashboard(db, tenant, year, serverClock.now())), redFlagCounts(db, tenant, year, 100)]);
  const absorptionMax = d.absorption.rows.reduce((m, r) => (Money.idr(r.budget).exceeds(m) ? Money.idr(r.budget) : m), Money.zero).toString();
  const view = {
    d,
    flags,
    charts: {
        // Budget and SP2D on one axis (the largest OPD budget), so the bars compare across OPDs.
        absorption: d.absorption.rows.map((r) => ({
          key: r.opd,
          label: r.name,
          lengths: [share(r.budget, absorptionMax), share(r.paid, absorptionMax)],
          texts: [shortRupiah(r.budget, lang), shortRupiah(r.paid, lang)],
        })),
    },
  };
  // The figures go to the component directly, not through the loader data (render-data.tsx).
  const handed = VIEW.set(context, view);
  return json({ year, years, view: handed ? null : view }, { headers: { "Cache-Control": "public, max-age=30" } });
}

type View = { d: Awaited<ReturnType<typeof dashboard>>; flags: Awaited<ReturnType<typeof redFlagCounts>>; charts: { absorption: ChartRow[] } };
const VIEW = renderSlot<View>("dasbor");

const pct = (p: string, lang: Lang) => `${lang === "id" ? p.replace(".", ",") : p}%`;
const num = (n: number, lang: Lang) => n.toLocaleString(lang === "id" ? "id-ID" : "en-GB");
const td = (text: string) => html`<td class="num">${text}</td>`;

export default function Dasbor() {
  const data = useLoaderData<typeof loader>();
  const view = VIEW.use() ?? (data.view as View | null);
  if (!view) return <p role="status">…</p>;
  const { d, flags, charts } = view;
  const years = data.years;
  const t = useT();
  const lang = useLang();
  const y = d.year;
  const absorptionRows: ChartRow[] = charts.absorption;
  const progressRows: ChartRow[] = d.contracts.rows.map((r) => ({ key: r.opd, label: r.name, lengths: [Number(r.physical), Number(r.financial)], texts: [pct(r.physical, lang), pct(r.financial, lang)] }));
  const maxComplaints = Math.max(1, ...d.complaints.rows.map((r) => r.count));
  const complaintRows: ChartRow[] = d.complaints.rows.map((r) => ({
    key: r.status,
    label: t(`lapor.status.${r.status}`),
    lengths: [(r.count * 100) / maxComplaints, (r.overdue * 100) / maxComplaints],
    texts: [num(r.count, lang), num(r.overdue, lang)],
  }));
  const maxProposals = Math.max(1, ...d.proposals.rows.map((r) => r.total));
  const proposalRows: ChartRow[] = d.proposals.rows.map((r) => ({
    key: r.code,
    label: r.name,
    lengths: [(r.total * 100) / maxProposals, (r.adopted * 100) / maxProposals],
    texts: [num(r.total, lang), num(r.adopted, lang)],
  }));
  const maxFlags = Math.max(1, ...(flags?.rows ?? []).map((r) => r.count));
  // The tables' rows as HTML strings (components/html.ts): same markup, a fraction of React's CPU.
  const bodies = {
    absorption: html`${d.absorption.rows.map(
      (r) => html`<tr data-opd="${r.opd}"><th scope="row">${r.name}</th>${[formatRupiah(r.budget), formatRupiah(r.paid), pct(r.percent, lang)].map(td)}</tr>`,
    )}`,
    contracts: html`${d.contracts.rows.map(
      (r) =>
        html`<tr data-opd="${r.opd}"><th scope="row">${r.name}</th>${[num(r.contracts, lang), formatRupiah(r.value), formatRupiah(r.paid), pct(r.physical, lang), pct(r.financial, lang), num(r.critical, lang)].map(td)}</tr>`,
    )}`,
    flags: html`${(flags?.rows ?? []).map((r) => html`<tr data-flag="${r.code}"><th scope="row" lang="id">${r.title}</th>${td(num(r.count, lang))}</tr>`)}`,
    complaints: html`${d.complaints.rows.map(
      (r) => html`<tr data-status="${r.status}"><th scope="row">${t(`lapor.status.${r.status}`)}</th>${[num(r.count, lang), num(r.overdue, lang)].map(td)}</tr>`,
    )}`,
    proposals: html`${d.proposals.rows.map(
      (r) =>
        html`<tr data-kecamatan="${r.code}"><th scope="row"><a href="/peta?tahun=${y}&amp;kecamatan=${r.code}">${r.name}</a></th>${[num(r.total, lang), num(r.adopted, lang), num(r.takenUp, lang)].map(td)}</tr>`,
    )}`,
  };
  return (
    <div className="dasbor" style={{ maxWidth: 960 }}>
      <style>{".dasbor td.num, .dasbor th.num { white-space: nowrap; } .dasbor caption { text-align: left; font-weight: 600; padding: 4px 0; }"}</style>
      <h1>{t("dasbor.title", { year: y })}</h1>
      <p>{t("dasbor.intro", { year: y })}</p>
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="tahun">{t("dasbor.year")}</label>
          <select id="tahun" name="tahun" defaultValue={y}>
            {years.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("dasbor.show")}</button> <Link to={`/peta?tahun=${y}`}>{t("dasbor.map")}</Link>
      </Form>

      <section className="card" aria-labelledby="absorption-title" data-testid="absorption">
        <h2 id="absorption-title">{t("dasbor.absorption.title")}</h2>
        <p className="muted">{t("dasbor.absorption.note")}</p>
        {d.apbd ? (
          <>
            <BarChart
              id="absorption-chart"
              title={t("dasbor.absorption.title")}
              caption={t("dasbor.chart.caption")}
              series={[
                { label: t("dasbor.absorption.budget"), color: CHART_COLORS.grey },
                { label: t("dasbor.absorption.paid"), color: CHART_COLORS.green },
              ]}
              rows={absorptionRows}
            />
            <div className="table-wrap">
              <table className="data" data-testid="absorption-table">
                <caption>{t("dasbor.absorption.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dasbor.opd")}</th>
                    <th scope="col" className="num">{t("dasbor.absorption.budget")}</th>
                    <th scope="col" className="num">{t("dasbor.absorption.paid")}</th>
                    <th scope="col" className="num">{t("dasbor.absorption.percent")}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: bodies.absorption.html }} />
                <tfoot>
                  <tr>
                    <th scope="row">{t("dasbor.total")}</th>
                    <td className="num" data-testid="absorption-budget">{formatRupiah(d.absorption.total.budget)}</td>
                    <td className="num" data-testid="absorption-paid">{formatRupiah(d.absorption.total.paid)}</td>
                    <td className="num">{pct(d.absorption.total.percent, lang)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        ) : (
          <p>{t("dasbor.noApbd", { year: y })}</p>
        )}
      </section>

      <section className="card" aria-labelledby="progress-title" data-testid="progress">
        <h2 id="progress-title">{t("dasbor.progress.title")}</h2>
        <p className="muted">{t("dasbor.progress.note")}</p>
        {d.contracts.rows.length ? (
          <>
            <BarChart
              id="progress-chart"
              title={t("dasbor.progress.title")}
              caption={t("dasbor.chart.caption")}
              series={[
                { label: t("dasbor.progress.physical"), color: CHART_COLORS.blue },
                { label: t("dasbor.progress.financial"), color: CHART_COLORS.green },
              ]}
              rows={progressRows}
            />
            <div className="table-wrap">
              <table className="data" data-testid="progress-table">
                <caption>{t("dasbor.progress.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dasbor.opd")}</th>
                    <th scope="col" className="num">{t("dasbor.progress.contracts")}</th>
                    <th scope="col" className="num">{t("dasbor.progress.value")}</th>
                    <th scope="col" className="num">{t("dasbor.progress.paid")}</th>
                    <th scope="col" className="num">{t("dasbor.progress.physical")}</th>
                    <th scope="col" className="num">{t("dasbor.progress.financial")}</th>
                    <th scope="col" className="num">{t("dasbor.critical.count")}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: bodies.contracts.html }} />
                <tfoot>
                  <tr>
                    <th scope="row">{t("dasbor.total")}</th>
                    <td className="num">{num(d.contracts.total.contracts, lang)}</td>
                    <td className="num">{formatRupiah(d.contracts.total.value)}</td>
                    <td className="num">{formatRupiah(d.contracts.total.paid)}</td>
                    <td className="num">{pct(d.contracts.total.physical, lang)}</td>
                    <td className="num">{pct(d.contracts.total.financial, lang)}</td>
                    <td className="num">{num(d.contracts.total.critical, lang)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        ) : (
          <p>{t("dasbor.progress.none", { year: y })}</p>
        )}
      </section>

      <section className="card" aria-labelledby="critical-title" data-testid="critical">
        <h2 id="critical-title">{t("dasbor.critical.title")}</h2>
        <p className="muted">{t("dasbor.critical.note")}</p>
        <p>
          <strong data-testid="critical-count" style={{ fontSize: "2rem", color: d.contracts.total.critical ? CHART_COLORS.red : undefined }}>
            {num(d.contracts.total.critical, lang)}
          </strong>{" "}
          {t("dasbor.critical.count")}
        </p>
        {d.contracts.total.critical === 0 ? <p>{t("dasbor.critical.none")}</p> : null}
      </section>

      <section className="card" aria-labelledby="flags-title" data-testid="flags">
        <h2 id="flags-title">{t("dasbor.flags.title")}</h2>
        <p className="muted">{t("dasbor.flags.note", { year: y })}</p>
        {flags === null ? (
          <p role="status" data-testid="flags-pending">
            {t("dasbor.flags.pending")}
          </p>
        ) : flags.rows.length ? (
          <>
            <BarChart
              id="flags-chart"
              title={t("dasbor.flags.title")}
              caption={t("dasbor.chart.caption")}
              series={[{ label: t("dasbor.flags.count"), color: CHART_COLORS.amber }]}
              rows={flags.rows.map((r) => ({ key: r.code, label: r.title, lengths: [(r.count * 100) / maxFlags], texts: [num(r.count, lang)] }))}
            />
            <div className="table-wrap">
              <table className="data" data-testid="flags-table">
                <caption>{t("dasbor.flags.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dasbor.flags.flag")}</th>
                    <th scope="col" className="num">{t("dasbor.flags.count")}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: bodies.flags.html }} />
              </table>
            </div>
            <p className="muted">{t("dasbor.flags.asOf", { at: formatDateTime(flags.at, lang) })}</p>
          </>
        ) : (
          <p>{t("dasbor.flags.none")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="complaints-title" data-testid="complaints">
        <h2 id="complaints-title">{t("dasbor.complaints.title")}</h2>
        <p className="muted">{t("dasbor.complaints.note")}</p>
        {d.complaints.rows.length ? (
          <>
            <BarChart
              id="complaints-chart"
              title={t("dasbor.complaints.title")}
              caption={t("dasbor.chart.caption")}
              series={[
                { label: t("dasbor.complaints.count"), color: CHART_COLORS.blue },
                { label: t("dasbor.complaints.overdue"), color: CHART_COLORS.red },
              ]}
              rows={complaintRows}
            />
            <div className="table-wrap">
              <table className="data" data-testid="complaints-table">
                <caption>{t("dasbor.complaints.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dasbor.complaints.status")}</th>
                    <th scope="col" className="num">{t("dasbor.complaints.count")}</th>
                    <th scope="col" className="num">{t("dasbor.complaints.overdue")}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: bodies.complaints.html }} />
                <tfoot>
                  <tr>
                    <th scope="row">{t("dasbor.total")}</th>
                    <td className="num">{num(d.complaints.total, lang)}</td>
                    <td className="num">{num(d.complaints.overdue, lang)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        ) : (
          <p>{t("dasbor.complaints.none")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="proposals-title" data-testid="proposals">
        <h2 id="proposals-title">{t("dasbor.proposals.title", { year: y })}</h2>
        <p className="muted">{t("dasbor.proposals.note")}</p>
        {d.proposals.rows.length ? (
          <>
            <BarChart
              id="proposals-chart"
              title={t("dasbor.proposals.title", { year: y })}
              caption={t("dasbor.chart.caption")}
              series={[
                { label: t("dasbor.proposals.total"), color: CHART_COLORS.grey },
                { label: t("dasbor.proposals.adopted"), color: CHART_COLORS.green },
              ]}
              rows={proposalRows}
            />
            <div className="table-wrap">
              <table className="data" data-testid="proposals-table">
                <caption>{t("dasbor.proposals.title", { year: y })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dasbor.proposals.kecamatan")}</th>
                    <th scope="col" className="num">{t("dasbor.proposals.total")}</th>
                    <th scope="col" className="num">{t("dasbor.proposals.adopted")}</th>
                    <th scope="col" className="num">{t("dasbor.proposals.takenUp")}</th>
                  </tr>
                </thead>
                <tbody dangerouslySetInnerHTML={{ __html: bodies.proposals.html }} />
                <tfoot>
                  <tr>
                    <th scope="row">{t("dasbor.total")}</th>
                    <td className="num">{num(d.proposals.total, lang)}</td>
                    <td className="num">{num(d.proposals.adopted, lang)}</td>
                    <td className="num">{num(d.proposals.takenUp, lang)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        ) : (
          <p>{t("dasbor.proposals.none", { year: y })}</p>
        )}
      </section>
    </div>
  );
}
