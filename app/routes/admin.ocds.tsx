import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { ocdsConfig, storedQualityReport } from "~/ocds.server";
import { useT } from "~/hooks";

/**
 * GET /admin/ocds (admins and auditors): the OCDS quality report over every stored release of the tenant —
 * the Data Review Tool's checks (exports/ocds/quality.ts) and the coherence checks of each process's
 * compiled release (exports/ocds/coherence.ts), counted by check with examples, and a verdict. Releases
 * are read from the database in pages of processes (a keyset), never all at once. The configured ocid
 * prefix is accepted as the publisher's: when it is the demo's unregistered one, that is a note.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "audit.read");
  const report = await storedQualityReport(await em(), config().tenant, { configuredPrefix: ocdsConfig().prefix, examples: 5, releaseErrors: 20 });
  const verdict = report.errors > 0 ? "errors" : report.warnings > 0 ? "warnings" : "clean";
  return json({ report, verdict }, { headers: { ...viewerHeaders(viewer), "Cache-Control": "private, no-store" } });
}

export default function OcdsQuality() {
  const { report, verdict } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ocds.admin.title")}</h1>
      <p>
        {t("ocds.admin.intro")} <Link to="/ocds">{t("ocds.admin.publicPage")}</Link>
      </p>
      <div className={`notice notice--${verdict === "clean" ? "ok" : verdict === "errors" ? "error" : "warning"}`} role="status" data-testid="ocds-verdict" data-verdict={verdict}>
        <strong>{t(`ocds.admin.verdict.${verdict}`)}</strong>
        <br />
        {t("ocds.admin.summary", { releases: report.releases, ocids: report.ocids, errors: report.errors, warnings: report.warnings, notes: report.notes })}
      </div>
      {report.findings.length ? (
        <div className="table-wrap">
          <table className="data" data-testid="ocds-findings">
            <thead>
              <tr>
                <th>{t("ocds.admin.severity")}</th>
                <th>{t("ocds.admin.check")}</th>
                <th>{t("ocds.admin.path")}</th>
                <th>{t("ocds.admin.count")}</th>
                <th>{t("ocds.admin.examples")}</th>
              </tr>
            </thead>
            <tbody>
              {report.findings.map((f, i) => (
                <tr key={`${f.check}-${f.path}-${i}`} data-check={f.check} data-severity={f.severity}>
                  <td>{t(`ocds.admin.severity.${f.severity}`)}</td>
                  <td>{t(`ocds.check.${f.check}`)}</td>
                  <td>
                    <code>{f.path || "–"}</code>
                    <div className="muted">{f.message}</div>
                  </td>
                  <td className="num">{f.count.toLocaleString("id-ID")}</td>
                  <td>
                    {f.examples.filter(Boolean).map((e) => (
                      <div key={e}>
                        <code>{e}</code>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("ocds.admin.none")}</p>
      )}
      {report.releaseErrors.length ? (
        <section className="card">
          <h2>{t("ocds.check.releaseSchema")}</h2>
          {report.releaseErrors.map((r) => (
            <div key={`${r.ocid}-${r.id}`}>
              <code>
                {r.ocid} {r.id}
              </code>
              <ul>
                {r.errors.map((e, i) => (
                  <li key={i}>
                    <code>{e.path || "/"}</code> {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
