import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { refuse, requirePermission } from "~/http.server";
import { contractView, formatNpwp, terbilang } from "~/domain.server";
import { formatDate, formatRupiah } from "~/format";
import { useLang, useRoot, useT } from "~/hooks";

/**
 * The PPK's SPPBJ (surat penunjukan penyedia barang/jasa) and the contract's summary, laid out for
 * printing: the vendor named at the winning price in figures and words, then the contract — number, date,
 * type, value in words, period, performance bond, SPMK, payment terms and amendments — and the signatures.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const view = await contractView(await em(), tenant, params.id ?? "");
  if (!view) throw refuse(404, "procure.contract.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: view.pkg.opd_code });
  const award = view.tender?.winner_price ?? view.contract.original_value;
  return json(
    { ...view, contract: { ...view.contract, vendor_npwp: formatNpwp(view.contract.vendor_npwp) }, words: { award: terbilang(award), value: terbilang(view.contract.value), bond: view.contract.performance_bond ? terbilang(view.contract.performance_bond) : null }, award },
    { headers: viewerHeaders(viewer) },
  );
}

export default function ContractPrint() {
  const { contract: c, pkg, tender, words, award } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const root = useRoot();
  return (
    <article className="minutes" data-testid="contract-print">
      <p className="no-print actions">
        <Link to={`/procure/paket/${pkg.id}`}>← {pkg.name}</Link>
        <button type="button" className="button" onClick={() => window.print()}>
          {t("procws.print")}
        </button>
      </p>
      <p>
        {pkg.opd_name} · {root?.tenant.name}
      </p>
      <h1 style={{ textAlign: "center" }}>{t("procws.sppbjDoc.title")}</h1>
      <p style={{ textAlign: "center" }}>
        {t("procws.sppbjDoc.number", { number: c.sppbj_number })} · {formatDate(c.sppbj_date, lang)}
      </p>
      <p>
        {t("procws.sppbjDoc.to")}: <strong>{c.vendor_name}</strong>
        <br />
        NPWP {c.vendor_npwp}
        {c.vendor_address ? (
          <>
            <br />
            {c.vendor_address}
          </>
        ) : null}
      </p>
      <p data-testid="sppbj-text">
        {t("procws.sppbjDoc.body", { name: pkg.name, kode: pkg.kode_rup ?? "—", code: tender?.code ?? "—", method: tender ? t(`procure.method.${tender.method}`) : "—" })}{" "}
        <strong>{formatRupiah(award)}</strong> <em>({words.award})</em>. {t("procws.sppbjDoc.closing")}
      </p>
      <h2>{t("procws.contractDoc.title")}</h2>
      {c.status === "sppbj" ? (
        <p className="notice notice--warn">{t("procure.contractStatus.sppbj")}</p>
      ) : (
        <dl className="kv">
          <dt>{t("procws.contract.number")}</dt>
          <dd>{c.number}</dd>
          <dt>{t("procws.contract.signedOn")}</dt>
          <dd>{c.signed_on ? formatDate(c.signed_on, lang) : "—"}</dd>
          <dt>{t("procws.contract.type")}</dt>
          <dd>{t(`procure.contractType.${c.type}`)}</dd>
          <dt>{t("procws.contract.value")}</dt>
          <dd>
            <strong data-testid="contract-value">{formatRupiah(c.value)}</strong> <em>({words.value})</em>
          </dd>
          <dt>{t("procws.contract.period")}</dt>
          <dd>
            {c.start_date ? formatDate(c.start_date, lang) : "…"} – {c.end_date ? formatDate(c.end_date, lang) : "…"}
          </dd>
          {c.performance_bond ? (
            <>
              <dt>{t("procws.contract.bond")}</dt>
              <dd>
                {formatRupiah(c.performance_bond)} <em>({words.bond})</em>
              </dd>
            </>
          ) : null}
          {c.spmk_number ? (
            <>
              <dt>SPMK</dt>
              <dd>
                {c.spmk_number} {c.spmk_date ? `· ${formatDate(c.spmk_date, lang)}` : ""}
              </dd>
            </>
          ) : null}
          <dt>{t("procws.contract.status")}</dt>
          <dd>
            {t(`procure.contractStatus.${c.status}`)}
            {c.termination_reason ? `: ${c.termination_reason}` : ""}
          </dd>
        </dl>
      )}
      {c.terms.length ? (
        <>
          <h3>{t("procws.contract.terms")}</h3>
          <table className="data">
            <thead>
              <tr>
                <th>No</th>
                <th>{t("procws.contract.term.description", { n: "" })}</th>
                <th className="num">{t("procws.contract.term.progressPercent", { n: "" })}</th>
                <th className="num">{t("procws.contract.term.amount", { n: "" })}</th>
              </tr>
            </thead>
            <tbody>
              {c.terms.map((x) => (
                <tr key={x.no}>
                  <td>{x.no}</td>
                  <td>{x.description}</td>
                  <td className="num">{x.progress_percent}%</td>
                  <td className="num">{formatRupiah(x.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {c.amendments.length ? (
        <>
          <h3>{t("procws.contract.amendments")}</h3>
          <ol>
            {c.amendments.map((x) => (
              <li key={x.no}>
                {t("procws.contract.amendmentNo", { n: x.no })} · {formatDate(x.signed_on, lang)} · {x.reason}
                {x.value_before !== x.value_after ? ` · ${formatRupiah(x.value_before)} → ${formatRupiah(x.value_after)}` : ""}
                {x.end_before !== x.end_after ? ` · ${x.end_before ?? "…"} → ${x.end_after ?? "…"}` : ""}
                {x.scope ? ` · ${x.scope}` : ""}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <div className="print-sign">
        <div>
          <div className="muted">{t("procws.contractDoc.ppk")}</div>
          <strong>{pkg.ppk_name}</strong>
        </div>
        <div>
          <div className="muted">{t("procws.contractDoc.vendor")}</div>
          <strong>{c.vendor_name}</strong>
        </div>
      </div>
    </article>
  );
}
