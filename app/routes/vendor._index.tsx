import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { runUseCase } from "~/http.server";
import { systemClock, vendorHome } from "~/domain.server";
import { ContractStatusBadge, TenderStatusBadge } from "~/components/pengadaan";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction = () => [{ title: "Ruang kerja penyedia — Jejak" }];

const BID_TONE: Record<string, string> = { sealed: "info", opened: "ok", withdrawn: "muted", replaced: "muted" };

/**
 * A contractor's workspace, phone first: their firm and whether it is blacklisted, the selections open to
 * them (announced, deadline ahead; a pengadaan/penunjukan langsung only when it invites them), their bids
 * and their contracts. An account not yet linked to a registered vendor sees why, not an error page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "workspace.vendor");
  const db = await em();
  const r = await runUseCase(request, () => vendorHome(db, viewer.actor, systemClock));
  if (r.ok) return json({ name: viewer.actor.displayName, home: r.value, notice: null }, { headers: viewerHeaders(viewer) });
  const refusal = (await r.response.clone().json()) as { messageKey?: string };
  if (refusal.messageKey === "procure.vendor.notRegistered") return json({ name: viewer.actor.displayName, home: null, notice: refusal.messageKey }, { headers: viewerHeaders(viewer) });
  throw r.response;
}

export default function VendorWorkspace() {
  const { name, home, notice } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.vendor.title")}</h1>
      <p>{t("workspace.greeting", { name })}</p>
      {notice || !home ? (
        <div className="notice notice--warn" role="status" data-testid="not-registered">
          {t(notice ?? "procure.vendor.notRegistered")}
        </div>
      ) : (
        <>
          <section className="card" data-testid="profile">
            <h2>{home.vendor.name}</h2>
            <dl className="kv">
              <dt>NPWP</dt>
              <dd>{home.vendor.npwp}</dd>
              {home.vendor.nib ? (
                <>
                  <dt>NIB</dt>
                  <dd>{home.vendor.nib}</dd>
                </>
              ) : null}
              <dt>{t("pengadaan.vendor.qualification")}</dt>
              <dd>{t(`procure.qualification.${home.vendor.qualification}`)}</dd>
              {home.vendor.kbli.length ? (
                <>
                  <dt>KBLI</dt>
                  <dd>{home.vendor.kbli.join(", ")}</dd>
                </>
              ) : null}
              {home.vendor.address ? (
                <>
                  <dt>{t("pengadaan.vendor.address")}</dt>
                  <dd>{home.vendor.address}</dd>
                </>
              ) : null}
            </dl>
            {home.blacklisted ? (
              <div className="notice notice--error" role="alert" data-testid="blacklist">
                {t("pengadaan.vendor.blacklisted", { until: home.blacklisted.until })} {home.blacklisted.reason}
              </div>
            ) : (
              <p data-testid="blacklist">
                <span className="badge badge--ok">{t("pengadaan.vendor.notBlacklisted")}</span>
              </p>
            )}
            {home.sanctions.length ? (
              <details>
                <summary>{t("pengadaan.vendor.sanctions", { n: home.sanctions.length })}</summary>
                <ul>
                  {home.sanctions.map((s, i) => (
                    <li key={i}>
                      {s.startsOn} – {s.endsOn}: {s.reason} <span className="muted">({s.legalBasis})</span>
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </section>

          <section data-testid="open-tenders">
            <h2>{t("pengadaan.vendor.open")}</h2>
            {home.open.length === 0 ? <p className="muted">{t("pengadaan.vendor.noOpen")}</p> : null}
            <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
              {home.open.map((o) => (
                <li key={o.id} className="card" data-tender={o.id}>
                  <Link to={`/vendor/tender/${o.id}`}>
                    <strong>{o.packageName}</strong>
                  </Link>
                  <div className="muted">
                    {o.code} · {o.opd}
                  </div>
                  <div>
                    {t(`procure.method.${o.method}`)} · {t(`procure.kind.${o.kind}`)} {o.invited ? <span className="tag">{t("pengadaan.vendor.invited")}</span> : null}
                    {o.umk ? <span className="tag">{t("pengadaan.package.umk")}</span> : null}
                    {o.myBid ? <span className="badge badge--info">{t("pengadaan.vendor.bidSealed")}</span> : null}
                  </div>
                  <dl className="kv">
                    <dt>{t("pengadaan.field.hps")}</dt>
                    <dd>{formatRupiah(o.hps)}</dd>
                    <dt>{t("pengadaan.field.bidDeadline")}</dt>
                    <dd>{formatDateTime(o.bidDeadline, lang)}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          </section>

          <section data-testid="my-bids">
            <h2>{t("pengadaan.vendor.bids")}</h2>
            {home.bids.length === 0 ? <p className="muted">{t("pengadaan.vendor.noBids")}</p> : null}
            <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
              {home.bids.map((b) => (
                <li key={b.id} className="card" data-bid={b.id}>
                  <Link to={`/vendor/tender/${b.tender.id}`}>
                    <strong>{b.tender.packageName}</strong>
                  </Link>
                  <div className="muted">
                    {b.tender.code} · <TenderStatusBadge status={b.tender.status} />
                  </div>
                  <div>
                    <span className={`badge badge--${BID_TONE[b.status] ?? "muted"}`} data-status={b.status}>
                      {t(`pengadaan.bidStatus.${b.status}`)}
                    </span>{" "}
                    <span className="muted">{formatDateTime(b.submittedAt, lang)}</span>
                    {b.won ? <span className="badge badge--ok">{t("pengadaan.tender.winner")}</span> : null}
                  </div>
                  {b.price ? (
                    <div>
                      {t("pengadaan.bid.price")}: {formatRupiah(b.price)}
                    </div>
                  ) : null}
                  {b.result ? (
                    <div className={b.result.pass ? "" : "text--bad"}>
                      {b.result.pass ? t("pengadaan.bid.passedAll", { rank: b.result.rank ?? "–" }) : t("pengadaan.bid.failed")}
                      {b.result.reason ? ` — ${b.result.reason}` : ""}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          <section data-testid="my-contracts">
            <h2>{t("pengadaan.vendor.contracts")}</h2>
            {home.contracts.length === 0 ? <p className="muted">{t("pengadaan.vendor.noContracts")}</p> : null}
            <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
              {home.contracts.map((c) => (
                <li key={c.id} className="card">
                  <Link to={`/vendor/kontrak/${c.id}`}>
                    <strong>{c.packageName}</strong>
                  </Link>
                  <div className="muted">
                    {c.number ?? c.sppbjNumber} · {c.opd}
                  </div>
                  <div>
                    <ContractStatusBadge status={c.status} /> {formatRupiah(c.value)}
                  </div>
                  {c.endDate ? <div className="muted">{t("pengadaan.contract.endsOn", { date: c.endDate })}</div> : null}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
