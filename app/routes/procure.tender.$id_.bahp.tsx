import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { refuse, requirePermission } from "~/http.server";
import { formatNpwp, isDomainError, systemClock, tenderView, terbilang } from "~/domain.server";
import { formatDate, formatDateTime, formatRupiah } from "~/format";
import { useLang, useRoot, useT } from "~/hooks";

/**
 * The BAHP (berita acara hasil pemilihan) of a tender, laid out for printing: the package, HPS and pagu in
 * figures and words, every bidder with its price, corrected price and the result of each evaluation stage,
 * the ranking and the winner (price in words), and the Pokja's signatures. Before the winner is announced it
 * is marked as a draft; before the opening it lists no bid at all.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const view = await tenderView(await em(), tenant, params.id ?? "").catch((e: unknown) => {
    if (isDomainError(e) && e.kind === "notFound") return null;
    throw e;
  });
  if (!view) throw refuse(404, "procure.tender.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: view.pkg.opd_code });
  return json(
    {
      ...view,
      bids: view.bids.map((b) => ({ ...b, npwp: formatNpwp(b.npwp) })),
      winner: view.winner ? { ...view.winner, npwp: formatNpwp(view.winner.npwp) } : null,
      printedAt: systemClock.now().toISOString(),
      words: { pagu: terbilang(view.pkg.pagu), hps: terbilang(view.tender.hps), winner: view.winner ? terbilang(view.winner.corrected_price) : null },
      final: ["winner_announced", "sppbj", "contracted"].includes(view.tender.status),
    },
    { headers: viewerHeaders(viewer) },
  );
}

const verdict = (pass: boolean | null) => (pass === null ? "—" : pass ? "Lulus" : "Gugur");

export default function Bahp() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const root = useRoot();
  const { tender, pkg } = d;
  return (
    <article className="minutes" data-testid="bahp">
      <p className="no-print actions">
        <Link to={`/procure/tender/${tender.id}`}>← {tender.code}</Link>
        <button type="button" className="button" onClick={() => window.print()}>
          {t("procws.print")}
        </button>
        {tender.opened_at ? (
          <a className="button button--secondary" href={`/unduh/tender/${tender.id}`}>
            Excel
          </a>
        ) : null}
      </p>
      {!d.final ? <p className="notice notice--warn">{t("procws.bahp.draft", { status: t(`procure.tenderStatus.${tender.status}`) })}</p> : null}
      <h1 style={{ textAlign: "center" }}>{t("procws.bahp.title")}</h1>
      <p style={{ textAlign: "center" }}>
        {t(`procure.method.${tender.method}`)} {tender.code} · {root?.tenant.name}
      </p>
      <p>{t("procws.bahp.intro", { code: tender.code, name: pkg.name, opd: pkg.opd_name, year: pkg.fiscal_year })}</p>
      <dl className="kv">
        <dt>{t("procws.col.name")}</dt>
        <dd>{pkg.name}</dd>
        <dt>{t("procws.col.kodeRup")}</dt>
        <dd>{pkg.kode_rup ?? "—"}</dd>
        <dt>{t("procws.opd")}</dt>
        <dd>{pkg.opd_name}</dd>
        <dt>{t("procws.f.kind")}</dt>
        <dd>{t(`procure.kind.${pkg.kind}`)}</dd>
        <dt>{t("procws.col.pagu")}</dt>
        <dd>
          {formatRupiah(pkg.pagu)} <em>({d.words.pagu})</em>
        </dd>
        <dt>HPS</dt>
        <dd>
          {formatRupiah(tender.hps)} <em>({d.words.hps})</em>
        </dd>
        <dt>{t("procws.tender.evaluation")}</dt>
        <dd>{t(`procure.evaluation.${tender.evaluation_method}`)}</dd>
        <dt>{t("procws.bids.openedAtLabel")}</dt>
        <dd>{tender.opened_at ? formatDateTime(tender.opened_at, lang) : "—"}</dd>
        <dt>{t("procws.bids.count")}</dt>
        <dd>{d.bidCount}</dd>
      </dl>
      {tender.opened_at ? (
        <table className="data">
          <thead>
            <tr>
              <th>No</th>
              <th>{t("procws.bids.bidder")}</th>
              <th className="num">{t("procws.bids.price")}</th>
              <th className="num">{t("procws.bids.corrected")}</th>
              <th>{t("procws.bids.admin")}</th>
              <th>{t("procws.bids.tech")}</th>
              <th>{t("procws.bids.priceStage")}</th>
              <th>{t("procws.bids.qual")}</th>
              <th className="num">{t("procws.bids.rank")}</th>
              <th>{t("procws.bahp.note")}</th>
            </tr>
          </thead>
          <tbody>
            {d.bids.map((b, i) => (
              <tr key={b.id}>
                <td className="num">{i + 1}</td>
                <td>
                  {b.vendor_name}
                  <div className="muted">NPWP {b.npwp}</div>
                </td>
                <td className="num">{formatRupiah(b.price)}</td>
                <td className="num">{formatRupiah(b.corrected_price)}</td>
                <td>{verdict(b.admin_pass)}</td>
                <td>
                  {verdict(b.tech_pass)}
                  {b.tech_score ? ` (${b.tech_score})` : ""}
                </td>
                <td>{verdict(b.price_pass)}</td>
                <td>{verdict(b.qual_pass)}</td>
                <td className="num">{b.rank ?? "—"}</td>
                <td>{b.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t("procws.bids.sealed", { at: tender.opening_at ? formatDateTime(tender.opening_at, lang) : "—" })}</p>
      )}
      {d.winner ? (
        <p data-testid="bahp-winner">
          {t("procws.bahp.winner", { name: d.winner.vendor_name, npwp: d.winner.npwp })} <strong>{formatRupiah(d.winner.corrected_price)}</strong> <em>({d.words.winner})</em>.
        </p>
      ) : tender.failure_reason ? (
        <p>
          {t(`procure.tenderStatus.${tender.status}`)}: {tender.failure_reason}
        </p>
      ) : null}
      <p>{t("procws.bahp.closing", { date: formatDate(d.printedAt, lang) })}</p>
      <div className="print-sign">
        {(d.pokja.length ? d.pokja : [{ user_id: "-", name: "", username: "", pakta_signed_at: null }]).map((m) => (
          <div key={m.user_id}>
            <div className="muted">{t("procws.bahp.member")}</div>
            <strong>{m.name}</strong>
          </div>
        ))}
      </div>
    </article>
  );
}
