import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { auditFacets, browseAudit, verifyAuditChain } from "~/domain.server";
import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

/** Wall-clock date in WIB → the UTC instant it starts at. */
function wibDate(text: string | null, plusDays = 0): Date | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const d = new Date(`${text}T00:00:00+07:00`);
  return Number.isNaN(d.getTime()) ? undefined : new Date(d.getTime() + plusDays * 86400_000);
}

/** The audit trail for auditors and admins: filter, page back in time, and verify the hash chain. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "audit.read");
  const url = new URL(request.url);
  const p = (k: string) => url.searchParams.get(k)?.trim().slice(0, 100) || undefined;
  const filter = {
    action: p("action"),
    entityType: p("entity"),
    entityId: p("id"),
    actor: p("actor"),
    from: wibDate(url.searchParams.get("from")),
    to: wibDate(url.searchParams.get("to"), 1),
    before: p("before"),
  };
  const db = await em();
  const [page, facets] = await Promise.all([browseAudit(db, viewer.actor, filter), auditFacets(db, viewer.actor)]);
  const chain = url.searchParams.get("verify") === "1" ? await verifyAuditChain(db, config().tenant) : null;
  const query = Object.fromEntries([...url.searchParams.entries()].filter(([k]) => k !== "before" && k !== "verify"));
  return json({ page, facets, chain, query }, { headers: viewerHeaders(viewer) });
}

function short(v: unknown): string {
  if (v == null) return "";
  const s = JSON.stringify(v, null, 1);
  return s.length > 400 ? s.slice(0, 400) + "…" : s;
}

export default function Audit() {
  const { page, facets, chain, query } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const older = page.next ? `?${new URLSearchParams({ ...query, before: page.next })}` : null;
  return (
    <>
      <h1 data-testid="workspace-title">{t("audit.title")}</h1>
      {chain ? (
        <div className={`notice notice--${chain.ok ? "ok" : "error"}`} role="status" data-testid="chain-status">
          {chain.ok ? t("audit.chain.ok", { n: chain.checked }) : t("audit.chain.broken", { id: chain.broken?.id, reason: chain.broken?.reason })}
        </div>
      ) : null}
      <Form method="get" className="filters card">
        <div className="field">
          <label htmlFor="action">{t("audit.filter.action")}</label>
          <select id="action" name="action" defaultValue={query.action ?? ""}>
            <option value="">—</option>
            {facets.actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="entity">{t("audit.filter.entity")}</label>
          <select id="entity" name="entity" defaultValue={query.entity ?? ""}>
            <option value="">—</option>
            {facets.entityTypes.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="actor">{t("audit.filter.actor")}</label>
          <input id="actor" name="actor" defaultValue={query.actor ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="from">{t("audit.filter.from")}</label>
          <input id="from" name="from" type="date" defaultValue={query.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("audit.filter.to")}</label>
          <input id="to" name="to" type="date" defaultValue={query.to ?? ""} />
        </div>
        <button className="button" type="submit">
          {t("audit.filter")}
        </button>
        <button className="button button--secondary" type="submit" name="verify" value="1">
          {t("audit.verify")}
        </button>
      </Form>
      {page.rows.length === 0 ? (
        <p>{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("audit.col.at")}</th>
                <th>{t("audit.col.actor")}</th>
                <th>{t("audit.col.action")}</th>
                <th>{t("audit.col.entity")}</th>
                <th>{t("audit.col.change")}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.id}</td>
                  <td>{formatDateTime(r.at, lang)}</td>
                  <td>{r.actorName}</td>
                  <td>{r.action}</td>
                  <td>
                    {r.entityType} <span className="muted code">{r.entityId.slice(0, 12)}</span>
                  </td>
                  <td>
                    <pre className="change">{short(r.after ?? r.before)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {older ? (
        <p>
          <Link to={older}>{t("audit.older")} →</Link>
        </p>
      ) : null}
    </>
  );
}
