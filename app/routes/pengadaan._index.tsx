import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { cleanProcurementFilter, PUBLIC_STAGES, searchPackages } from "~/domain.server";
import { tenantOpds } from "~/reference.server";
import { stageBadgeHtml, tenderStatusBadgeHtml } from "~/components/pengadaan";
import { html } from "~/components/html";
import type { T } from "~/i18n";
import { formatCount, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import { KINDS, METHODS } from "../../domain/procurement/vocabulary";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction = () => [{ title: "Pengadaan barang/jasa — Jejak" }];

/** Links and a GET form only: the page ships no scripts (see root.tsx) and is shared by the microcache. */
export const handle = { scripts: false };

/**
 * GET /pengadaan: every announced package (RUP) with its selection, winner and contract, searchable by
 * year, OPD, method, kind, stage and text, paged. Public, no login, no form token: the microcache shares it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filter = cleanProcurementFilter(Object.fromEntries(url.searchParams.entries()));
  const [result, opds] = await Promise.all([searchPackages(await em(), config().tenant, filter), tenantOpds()]);
  return json({ result, filter, opds, stages: PUBLIC_STAGES }, { headers: { "Cache-Control": "public, max-age=30" } });
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["result"]["items"][number];

/**
 * The result cards, written as one HTML string (components/html.ts): the page lists 20 packages per
 * request and ships no scripts, and React's per-element cost was most of its CPU.
 */
function cards(items: readonly Item[], t: T) {
  const dd = (label: string, value: unknown, testid?: string) => html`<dt>${label}</dt><dd${testid ? html` data-testid="${testid}"` : null}>${value}</dd>`;
  return html`${items.map((p) => [
    html`<li class="card" data-package="${p.id}"><a href="/pengadaan/${p.id}"><strong>${p.name}</strong></a>`,
    html`<div class="muted">${p.kodeRup ? `RUP ${p.kodeRup} · ` : ""}${p.year} · ${p.opd.name}</div>`,
    html`<p>${stageBadgeHtml(t, p.stage)} ${t(`procure.method.${p.method}`)} · ${t(`procure.kind.${p.kind}`)}</p>`,
    html`<dl class="kv">${dd(t("pengadaan.field.pagu"), formatRupiah(p.pagu))}`,
    p.tender ? [dd(t("pengadaan.field.hps"), formatRupiah(p.tender.hps)), dd(t("pengadaan.field.tenderCode"), html`${p.tender.code} ${tenderStatusBadgeHtml(t, p.tender.status)}`)] : null,
    p.winner ? dd(t("pengadaan.field.winner"), `${p.winner.name} — ${formatRupiah(p.winner.value)}`, "winner") : null,
    p.contract ? dd(t("pengadaan.field.contractValue"), html`${formatRupiah(p.contract.value)} <span class="muted">(${p.contract.vendor})</span>`, "contract-value") : null,
    html`</dl></li>`,
  ])}`;
}

export default function Procurement() {
  const { result, filter, opds, stages } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  const query = (over: Record<string, string | number | undefined>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, perPage: undefined, ...over })) if (v !== undefined && v !== "") sp.set(k, String(v));
    return sp.toString();
  };
  return (
    <>
      <h1>{t("pengadaan.title")}</h1>
      <p>{t("pengadaan.intro")}</p>
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="tahun">{t("pengadaan.filter.tahun")}</label>
          <select id="tahun" name="tahun" defaultValue={filter.tahun ?? ""}>
            <option value="">{t("pengadaan.all")}</option>
            {result.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="opd">{t("pengadaan.filter.opd")}</label>
          <select
            id="opd"
            name="opd"
            dangerouslySetInnerHTML={{
              __html: html`<option value="">${t("pengadaan.all")}</option>${opds.map((o) => html`<option value="${o.code}"${o.code === filter.opd ? html` selected=""` : null}>${o.shortName}</option>`)}`.html,
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="metode">{t("pengadaan.filter.metode")}</label>
          <select id="metode" name="metode" defaultValue={filter.metode ?? ""}>
            <option value="">{t("pengadaan.all")}</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`procure.method.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="jenis">{t("pengadaan.filter.jenis")}</label>
          <select id="jenis" name="jenis" defaultValue={filter.jenis ?? ""}>
            <option value="">{t("pengadaan.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`procure.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">{t("pengadaan.filter.status")}</label>
          <select id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">{t("pengadaan.all")}</option>
            {stages.map((s) => (
              <option key={s} value={s}>
                {t(`pengadaan.stage.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">{t("pengadaan.filter.q")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} />
        </div>
        <button className="button" type="submit">
          {t("pengadaan.search")}
        </button>
      </Form>
      <p>
        <strong data-testid="result-count">{t("pengadaan.results", { n: formatCount(result.total, lang) })}</strong> ·{" "}
        <a href={`/api/pengadaan?${query({ page: undefined })}`}>{t("pengadaan.openData")}</a>
      </p>
      {result.items.length === 0 ? <p className="muted">{t("pengadaan.none")}</p> : null}
      <ul className="cards" style={{ listStyle: "none", padding: 0 }} data-testid="results" dangerouslySetInnerHTML={{ __html: cards(result.items, t).html }} />
      {pages > 1 ? (
        <nav className="actions" aria-label={t("pengadaan.pagination")}>
          {result.page > 1 ? <Link to={`/pengadaan?${query({ page: result.page - 1 })}`}>← {t("pengadaan.prev")}</Link> : null}
          <span>{t("pengadaan.page", { page: result.page, pages })}</span>
          {result.page < pages ? <Link to={`/pengadaan?${query({ page: result.page + 1 })}`}>{t("pengadaan.next")} →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
