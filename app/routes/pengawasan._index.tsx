import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { viewerHeaders } from "~/guard.server";
import { requireViewer } from "~/session.server";
import { supervisionWorklist } from "~/monev-kontrak.server";
import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction = () => [{ title: "Pengawasan kontrak — Jejak" }];

/**
 * /pengawasan: the supervising consultant's (konsultan pengawas) home — the reports waiting for its
 * verification on the contracts its PPKs assigned it to, oldest first, and those contracts. Only the
 * signed-in account's own assignments are read, so an account whose assignments have ended sees an empty
 * list rather than an error.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const list = await supervisionWorklist(await em(), viewer.actor);
  return json({ name: viewer.actor.displayName, ...list }, { headers: viewerHeaders(viewer) });
}

export default function SupervisionHome() {
  const { name, contracts, waiting } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <h1 data-testid="workspace-title">{t("pengawasan.title")}</h1>
      <p>{t("workspace.greeting", { name })}</p>
      <p className="muted">{t("pengawasan.intro")}</p>

      <section className="card" data-testid="waiting">
        <h2>{t("pengawasan.waiting.title", { n: waiting.length })}</h2>
        {waiting.length ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("pengawasan.col.contract")}</th>
                  <th>{t("pengawasan.col.vendor")}</th>
                  <th className="num">{t("pengawasan.col.period")}</th>
                  <th className="num">{t("pengawasan.col.progress")}</th>
                  <th>{t("pengawasan.col.submitted")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {waiting.map((r) => (
                  <tr key={r.id} data-testid={`waiting-${r.contract_id}-${r.period_no}`}>
                    <td>
                      {r.package_name}
                      {r.number ? <div className="muted">{r.number}</div> : null}
                    </td>
                    <td>{r.vendor_name}</td>
                    <td className="num">{r.period_no}</td>
                    <td className="num">
                      {r.physical}% ({r.planned}%)
                    </td>
                    <td>{formatDateTime(r.submitted_at, lang)}</td>
                    <td>
                      <Link className="button button--secondary" to={`/pengawasan/kontrak/${r.contract_id}#laporan-${r.period_no}`}>
                        {t("pengawasan.open")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("pengawasan.waiting.none")}</p>
        )}
      </section>

      <section className="card" data-testid="contracts">
        <h2>{t("pengawasan.contracts.title")}</h2>
        {contracts.length ? (
          <ul>
            {contracts.map((c) => (
              <li key={c.id} data-testid={`contract-${c.id}`}>
                <Link to={`/pengawasan/kontrak/${c.id}`}>{c.package_name}</Link>
                {c.number ? ` · ${c.number}` : ""} · {c.opd_name} · {c.vendor_name} · {c.start_date} – {c.end_date} · {t("pengawasan.col.latest")}: {c.latest ? `${c.latest}%` : "–"} ·{" "}
                {t("pengawasan.col.waiting")}: {c.waiting}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("pengawasan.contracts.none")}</p>
        )}
      </section>
    </>
  );
}
