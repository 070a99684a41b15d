import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { publicPackage } from "~/domain.server";
import { ocidOfPackage, processRedFlags } from "~/ocds.server";
import { ContractDetails, StageBadge, TenderDetails } from "~/components/pengadaan";
import { StatusBadge } from "~/components/musrenbang";
import { formatDate, formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.p.name} — Jejak pengadaan` : "Pengadaan — Jejak" },
  { name: "description", content: data ? `${data.p.opd.name} · ${data.p.year}` : "" },
];

/** A document to read: links only, so the page ships no scripts (see root.tsx). */
export const handle = { scripts: false };

/**
 * GET /pengadaan/<package id>: the whole public chain of a package — where its money comes from (OPD,
 * sub-activities, DPA lines, the Musrenbang proposals behind them), its RUP entry, every selection with
 * its stages, questions, addenda, bids as the law allows, winner and objections, then SPPBJ, contract and
 * amendments. Public, no login, no form token: the microcache shares it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const p = await publicPackage(await em(), config().tenant, params.id ?? "");
  if (!p) throw refuse(404, "procure.package.notFound");
  const ocid = ocidOfPackage(config().tenant, p.id);
  // Red flags (exports/ocds/red-flags.ts): computed from the package's published record, as anyone can.
  const redFlags = (await processRedFlags(await em(), config().tenant, ocid)).map((f) => ({ code: f.code, title: f.title, explanation: f.explanation, source: f.source, evidence: f.evidence }));
  return json({ p, ocid, redFlags }, { headers: { "Cache-Control": "public, max-age=30" } });
}

export default function PackagePage() {
  const { p, ocid, redFlags } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const day = (d: string | null) => (d ? formatDate(`${d}T00:00:00+07:00`, lang) : "–");
  return (
    <article>
      <p className="breadcrumb">
        <Link to="/pengadaan">{t("pengadaan.title")}</Link> › <Link to={`/pengadaan?tahun=${p.year}`}>{p.year}</Link> ›{" "}
        <Link to={`/pengadaan?tahun=${p.year}&opd=${p.opd.code}`}>{p.opd.name}</Link>
      </p>
      <h1>{p.name}</h1>
      <p>
        <StageBadge stage={p.stage} /> {p.kodeRup ? <span className="muted">RUP {p.kodeRup}</span> : null}
      </p>
      {p.status === "cancelled" && p.cancelReason ? (
        <p className="timeline__reason" data-testid="cancel-reason">
          {t("pengadaan.package.cancelled")}: {p.cancelReason}
        </p>
      ) : null}

      <div className="cards">
        <section className="card" data-testid="rup">
          <h2>{t("pengadaan.section.rup")}</h2>
          {p.description ? <p>{p.description}</p> : null}
          <dl className="kv">
            <dt>{t("pengadaan.field.opd")}</dt>
            <dd>{p.opd.name}</dd>
            <dt>{t("pengadaan.field.kodeRup")}</dt>
            <dd>{p.kodeRup ?? "–"}</dd>
            <dt>{t("pengadaan.field.year")}</dt>
            <dd>{p.year}</dd>
            <dt>{t("pengadaan.field.type")}</dt>
            <dd>
              {t(`procure.type.${p.type}`)}
              {p.swakelolaType ? ` (${t("pengadaan.package.swakelolaType", { n: p.swakelolaType })})` : ""}
            </dd>
            <dt>{t("pengadaan.field.kind")}</dt>
            <dd>{t(`procure.kind.${p.kind}`)}</dd>
            <dt>{t("pengadaan.field.method")}</dt>
            <dd>{t(`procure.method.${p.method}`)}</dd>
            <dt>{t("pengadaan.field.pagu")}</dt>
            <dd data-testid="pagu">{formatRupiah(p.pagu)}</dd>
            {p.volume ? (
              <>
                <dt>{t("pengadaan.field.volume")}</dt>
                <dd>{p.volume}</dd>
              </>
            ) : null}
            <dt>{t("pengadaan.field.flags")}</dt>
            <dd>
              {p.pdn ? <span className="tag">{t("pengadaan.package.pdn")}</span> : null}
              {p.umk ? <span className="tag">{t("pengadaan.package.umk")}</span> : null}
              {!p.pdn && !p.umk ? "–" : null}
            </dd>
            <dt>{t("pengadaan.field.selection")}</dt>
            <dd>
              {day(p.selectionStart)} – {day(p.selectionEnd)}
            </dd>
            <dt>{t("pengadaan.field.execution")}</dt>
            <dd>
              {day(p.executionStart)} – {day(p.executionEnd)}
            </dd>
            <dt>PPK</dt>
            <dd>{p.ppkName || "–"}</dd>
            <dt>{t("pengadaan.field.announcedAt")}</dt>
            <dd>{formatDateTime(p.announcedAt, lang)}</dd>
            {p.locations.length ? (
              <>
                <dt>{t("pengadaan.field.locations")}</dt>
                <dd>
                  {p.locations.map((l) => (
                    <div key={l.code}>
                      {l.name}
                      {l.detail ? <span className="muted"> · {l.detail}</span> : null}
                    </div>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <section className="card" data-testid="budget">
          <h2>{t("pengadaan.section.budget")}</h2>
          {p.subActivities.map((s) => (
            <p key={s.code}>
              <strong>{s.code}</strong> {s.name}
              <br />
              <span className="muted">
                {s.indicator}: {s.target} {s.unit}
              </span>
            </p>
          ))}
          <ul data-testid="lines">
            {p.lines.map((l, i) => (
              <li key={`${l.accountCode}-${i}`}>
                <span className="code">{l.accountCode}</span> {l.description}
                <div>
                  {formatRupiah(l.amount)}
                  {l.lineAmount ? <span className="muted"> {t("pengadaan.line.of", { amount: formatRupiah(l.lineAmount) })}</span> : null}
                  {l.fundingSource ? <span className="tag">{l.fundingSource}</span> : null}
                </div>
              </li>
            ))}
          </ul>
          <h3>{t("pengadaan.section.proposals")}</h3>
          {p.proposals.length ? (
            <ul data-testid="proposals">
              {p.proposals.map((u) => (
                <li key={u.id}>
                  <Link to={`/usulan/${u.id}`}>{u.code}</Link> {u.title} <span className="muted">· {u.desa}</span> <StatusBadge status={u.status} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("pengadaan.proposals.none")}</p>
          )}
        </section>
      </div>

      {p.tenders.length ? (
        p.tenders.map((tn) => (
          <section key={tn.id} className="card" data-testid="tender">
            <h2>
              {t("pengadaan.section.tender")}
              {p.tenders.length > 1 ? ` — ${t("pengadaan.tender.attempt", { n: tn.attempt })}` : ""}
            </h2>
            <TenderDetails tender={tn} />
          </section>
        ))
      ) : (
        <section className="card">
          <h2>{t("pengadaan.section.tender")}</h2>
          <p className="muted">{t("pengadaan.tender.none")}</p>
        </section>
      )}

      {p.contracts.map((c) => (
        <section key={c.id} className="card">
          <h2>{t("pengadaan.section.contract")}</h2>
          <ContractDetails contract={c} />
          <p>
            <Link to={`/kontrak/${c.id}`} data-testid="contract-page">
              {t("kontrakPublik.fromPackage")}
            </Link>
          </p>
        </section>
      ))}

      <section className="card" data-testid="red-flags">
        <h2>{t("ocds.redFlags.title")}</h2>
        <p className="muted">{t("ocds.redFlags.intro")}</p>
        {redFlags.length ? (
          <ul>
            {redFlags.map((f, i) => (
              <li key={`${f.code}-${i}`} data-flag={f.code}>
                <strong>{f.title}</strong>
                <p>{f.explanation}</p>
                <details>
                  <summary>{t("ocds.redFlags.data")}</summary>
                  <ul>
                    {f.evidence.map((e, j) => (
                      <li key={j}>
                        {e.label}: <code>{typeof e.value === "string" ? e.value : JSON.stringify(e.value)}</code> <span className="muted">({e.path})</span>
                      </li>
                    ))}
                  </ul>
                  <p className="muted">
                    {t("ocds.redFlags.source")}: {f.source}
                  </p>
                </details>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("ocds.redFlags.none")}</p>
        )}
      </section>

      <p>
        <a href={`/api/pengadaan/${p.id}`}>{t("pengadaan.openData")}</a> · <a href={`/api/ocds/records/${encodeURIComponent(ocid)}`} data-testid="ocds-record">{t("ocds.pageLink")}</a>
      </p>
    </article>
  );
}
