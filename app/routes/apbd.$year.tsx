import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { Money, publicApbd, terbilang, type AmountRow } from "~/domain.server";
import { formatDate, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import type { T } from "~/i18n";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `APBD ${data.year} — Jejak` : "APBD — Jejak" }];

/** A bar of the chart: its share of the whole (text, "12.34") and its length relative to the largest (a CSS percentage). */
interface Bar {
  key: string;
  label: string;
  total: string;
  share: string;
  width: number;
}
/** A table row with its share of the table's whole (text, "12.34"), or "" when shares mean nothing there. */
interface Row {
  code: string;
  name: string;
  total: string;
  share: string;
}

/** Shares and bar lengths are ratios of exact amounts (Decimal, on the server); only the CSS width becomes a JS number. */
function bars(rows: { code: string | null; name: string; total: string }[], whole: string): Bar[] {
  const all = Money.idr(whole);
  const sorted = [...rows].sort((a, b) => Money.idr(b.total).compare(Money.idr(a.total)));
  const max = sorted.length ? Money.idr(sorted[0].total) : Money.zero;
  return sorted.map((r) => {
    const m = Money.idr(r.total);
    return { key: r.code ?? "*", label: r.name, total: r.total, share: m.percentOf(all, 2).toFixed(2), width: m.percentOf(max, 1).toNumber() };
  });
}

function table(rows: AmountRow[], whole: string | null): Row[] {
  return rows.map((r) => ({ code: r.code, name: r.name, total: r.total, share: whole === null ? "" : Money.idr(r.total).percentOf(Money.idr(whole), 2).toFixed(2) }));
}

/**
 * GET /apbd/<year>: where the money goes, public. The version in force (murni, pergeseran ke-n,
 * perubahan) and its legal basis; the summary (revenue, spending, surplus/deficit, financing); spending by
 * OPD and by funding source as bar charts, by programme, kecamatan, bidang urusan and type as tables.
 * Says so plainly when the year has no adopted APBD yet. Everything computed here, on the server: the
 * page itself does no arithmetic on money.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const data = await publicApbd(await em(), config().tenant, year);
  const headers = { "Cache-Control": "public, max-age=60" };
  if (!data) return json({ year, apbd: null }, { headers });
  const spend = data.spending;
  return json(
    {
      year,
      apbd: {
        version: data.apbd,
        versions: data.versions,
        totals: data.totals,
        words: terbilang(data.totals.belanja),
        charts: { opd: bars(spend.byOpd, spend.total), funding: bars(spend.byFunding.map((f) => ({ ...f, name: f.code })), spend.total) },
        tables: {
          program: table(spend.byProgram, spend.total),
          kecamatan: table(
            spend.byKecamatan.map((k) => ({ code: k.code ?? "", name: k.name, total: k.total })),
            spend.total,
          ),
          bidang: table(spend.byBidang, spend.total),
          group: table(spend.byGroup, spend.total),
          revenue: table(data.revenue.byGroup, data.revenue.total),
          financing: table([...data.financing.receipts, ...data.financing.spending], null),
        },
        spending: spend.total,
        revenue: data.revenue.total,
      },
    },
    { headers },
  );
}

const percent = (share: string, lang: string) => `${lang === "id" ? share.replace(".", ",") : share}%`;

function BarChart({ id, title, bars: list, t }: { id: string; title: string; bars: Bar[]; t: T }) {
  const lang = useLang();
  return (
    <figure className="card" aria-labelledby={`${id}-title`} style={{ margin: "0 0 16px" }}>
      <figcaption>
        <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
          {title}
        </h2>
        <p className="muted">{t("publicApbd.chartNote")}</p>
      </figcaption>
      <ol style={{ listStyle: "none", padding: 0, margin: 0 }} data-testid={`${id}-bars`}>
        {list.map((b) => (
          <li key={b.key} style={{ margin: "0 0 10px" }}>
            <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "space-between", gap: "0 12px" }}>
              <span>{b.label || t("publicApbd.noName")}</span>
              <span className="num">
                <strong>{formatRupiah(b.total)}</strong> <span className="muted">({percent(b.share, lang)})</span>
              </span>
            </div>
            <div aria-hidden="true" style={{ background: "var(--green-light)", borderRadius: 4, height: 12 }}>
              <div style={{ width: `${b.width}%`, minWidth: b.width > 0 ? 2 : 0, height: "100%", background: "var(--green)", borderRadius: 4 }} />
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}

function AmountTable({ id, title, rows, total, t, note }: { id: string; title: string; rows: Row[]; total: string | null; t: T; note?: string }) {
  const lang = useLang();
  const shares = rows.some((r) => r.share);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {title}
      </h2>
      {note ? <p className="muted">{note}</p> : null}
      <div className="table-wrap">
        <table className="data" data-testid={id}>
          <thead>
            <tr>
              <th scope="col">{t("publicApbd.col.code")}</th>
              <th scope="col">{t("publicApbd.col.name")}</th>
              <th scope="col" className="num">
                {t("publicApbd.col.amount")}
              </th>
              {shares ? (
                <th scope="col" className="num">
                  {t("publicApbd.col.share")}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td className="code">{r.code}</td>
                <td>{r.name || t("publicApbd.noName")}</td>
                <td className="num">{formatRupiah(r.total)}</td>
                {shares ? <td className="num">{percent(r.share, lang)}</td> : null}
              </tr>
            ))}
          </tbody>
          {total !== null ? (
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t("publicApbd.total")}
                </th>
                <td className="num">
                  <strong>{formatRupiah(total)}</strong>
                </td>
                {shares ? <td /> : null}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </section>
  );
}

export default function PublicApbd() {
  const { year, apbd: data } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  if (!data) {
    return (
      <>
        <h1>{t("publicApbd.title", { year })}</h1>
        <p className="notice notice--warn" data-testid="apbd-none">
          {t("publicApbd.none", { year })}
        </p>
        <p>
          <a href={`/rkpd/${year}`}>{t("publicApbd.seeRkpd", { year })}</a>
        </p>
      </>
    );
  }
  const v = data.version;
  const kindOf = (x: typeof v) => t(`publicApbd.kind.${x.kind}`, { n: x.pergeseranNo ?? 1 });
  const tt = data.totals;
  const money: [string, string, boolean][] = [
    ["publicApbd.revenue", tt.pendapatan, false],
    ["publicApbd.spending", tt.belanja, true],
    ["publicApbd.surplus", tt.surplus, false],
    ["publicApbd.financingReceipts", tt.financingReceipts, false],
    ["publicApbd.financingSpending", tt.financingSpending, false],
    ["publicApbd.netFinancing", tt.netFinancing, false],
    ["publicApbd.silpa", tt.silpa, false],
  ];
  return (
    <>
      <h1>{t("publicApbd.title", { year })}</h1>
      <section className="card" aria-labelledby="apbd-version">
        <h2 id="apbd-version" style={{ marginTop: 0 }}>
          {t("publicApbd.inForce")}: <span data-testid="apbd-kind">{kindOf(v)}</span> <span className="muted">({t("publicApbd.versionNo", { n: v.versionNo })})</span>
        </h2>
        <dl className="kv">
          <dt>{t("publicApbd.legalBasis")}</dt>
          <dd data-testid="apbd-legal-basis">{v.legalBasis || "—"}</dd>
          <dt>{t("publicApbd.adoptedAt")}</dt>
          <dd>{formatDate(v.adoptedAt, lang)}</dd>
        </dl>
        {data.versions.length > 1 ? (
          <details>
            <summary>{t("publicApbd.history")}</summary>
            <ol>
              {data.versions.map((x) => (
                <li key={x.id}>
                  {kindOf(x)} — {x.legalBasis || "—"} ({formatDate(x.adoptedAt, lang)})
                </li>
              ))}
            </ol>
          </details>
        ) : null}
        <p className="actions" style={{ marginBottom: 0 }}>
          <a className="button button--secondary" href={`/apbd/${year}.xlsx`}>
            {t("publicApbd.excel")}
          </a>
          <a href={`/api/apbd/${year}`}>{t("publicApbd.json")}</a>
        </p>
      </section>

      <section className="card" aria-labelledby="apbd-summary">
        <h2 id="apbd-summary" style={{ marginTop: 0 }}>
          {t("publicApbd.summary")}
        </h2>
        <div className="table-wrap">
          <table className="data" data-testid="apbd-totals">
            <tbody>
              {money.map(([key, amount, strong]) => (
                <tr key={key}>
                  <th scope="row">{t(key)}</th>
                  <td className="num">
                    {strong ? <strong data-testid="apbd-spending">{formatRupiah(amount)}</strong> : formatRupiah(amount)}
                    {strong ? (
                      <>
                        <br />
                        <span className="muted">
                          {t("publicApbd.inWords")}: <em>{data.words}</em>
                        </span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <BarChart id="apbd-opd" title={t("publicApbd.byOpd")} bars={data.charts.opd} t={t} />
      <BarChart id="apbd-funding" title={t("publicApbd.byFunding")} bars={data.charts.funding} t={t} />
      <AmountTable id="apbd-program" title={t("publicApbd.byProgram")} rows={data.tables.program} total={data.spending} t={t} />
      <AmountTable
        id="apbd-kecamatan"
        title={t("publicApbd.byKecamatan")}
        note={t("publicApbd.byKecamatanNote")}
        rows={data.tables.kecamatan.map((k) => (k.code ? k : { ...k, name: t("publicApbd.areaWide", { name: k.name }) }))}
        total={data.spending}
        t={t}
      />
      <AmountTable id="apbd-bidang" title={t("publicApbd.byBidang")} rows={data.tables.bidang} total={data.spending} t={t} />
      <AmountTable id="apbd-group" title={t("publicApbd.byGroup")} rows={data.tables.group} total={data.spending} t={t} />
      {data.tables.revenue.length ? <AmountTable id="apbd-revenue" title={t("publicApbd.revenueByGroup")} rows={data.tables.revenue} total={data.revenue} t={t} /> : null}
      {data.tables.financing.length ? <AmountTable id="apbd-financing" title={t("publicApbd.financing")} rows={data.tables.financing} total={null} t={t} /> : null}
    </>
  );
}
