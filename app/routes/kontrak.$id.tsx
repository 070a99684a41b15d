import type { ReactNode } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { refuse } from "~/http.server";
import { publicContract, systemClock } from "~/domain.server";
import { ocidOfPackage } from "~/ocds.server";
import { wibDay } from "~/pengaduan.server";
import { ContractDetails, ContractStatusBadge, TenderStatusBadge } from "~/components/pengadaan";
import { StatusBadge } from "~/components/musrenbang";
import { ComplaintStatus } from "~/components/pengaduan";
import { KurvaSChart, KurvaSTable, kurvaSLabels, percentText } from "~/components/kurva-s";
import { formatDate, formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.c.package.name} — Jejak kontrak` : "Kontrak — Jejak" },
  { name: "description", content: data ? `${data.c.number ?? data.c.sppbjNumber} · ${data.c.vendor.name} · ${data.c.package.opd.name}` : "" },
];

/** A document to read: links only, so the page ships no scripts (see root.tsx). */
export const handle = { scripts: false };

/**
 * GET /kontrak/<contract id>: the whole jejak of a contract on one public page — the Musrenbang proposals,
 * the sub-activity, the DPA lines, the package, the selection, the contract, its progress (kurva S from
 * verified reports, photos with their flags), payments and handover — with the kontrak kritis status and
 * the citizens' reports with their answers. Public, no login, no form token: the microcache shares it.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const c = await publicContract(await em(), config().tenant, params.id ?? "", wibDay(systemClock.now()));
  if (!c) throw refuse(404, "kontrakPublik.notFound");
  return json({ c, ocid: ocidOfPackage(config().tenant, c.package.id) }, { headers: { "Cache-Control": "public, max-age=30" } });
}

/** One step of the chain; a step not reached yet is shown greyed with "not yet". */
function Step({ id, title, done, children }: { id: string; title: string; done: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <li className="timeline__item" data-step={id} data-done={done ? "yes" : "no"} style={done ? undefined : { opacity: 0.7 }}>
      <h3 style={{ margin: "0 0 4px" }}>
        {title} {done ? null : <span className="badge badge--muted">{t("kontrakPublik.pending")}</span>}
      </h3>
      {children}
    </li>
  );
}

export default function ContractPage() {
  const { c, ocid } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const day = (d: string | null) => (d ? formatDate(`${d}T00:00:00+07:00`, lang) : "–");
  const pct = (v: string) => percentText(v, lang);
  const labels = kurvaSLabels(t);
  const sel = c.selection;
  const verdict = c.critical.verdict;
  const critical = !!verdict?.critical || c.critical.openStatus !== null;
  return (
    <article>
      <p className="breadcrumb">
        <Link to="/pengadaan">{t("pengadaan.title")}</Link> › <Link to={`/pengadaan?tahun=${c.package.year}`}>{c.package.year}</Link> ›{" "}
        <Link to={`/pengadaan/${c.package.id}`}>{c.package.name}</Link>
      </p>
      <h1>{c.package.name}</h1>
      <p>
        <ContractStatusBadge status={c.status} />{" "}
        {verdict || c.critical.openStatus ? (
          <span className={`badge badge--${critical ? "bad" : "ok"}`} data-testid="critical-badge" data-critical={critical ? "yes" : "no"}>
            {verdict?.critical ? t(`kontrak.critical.reason.${verdict.reason}`) : critical ? t("kontrak.criticalStatus.critical") : t("kontrak.critical.onTrack")}
            {c.critical.openStatus && c.critical.openStatus !== "critical" ? ` · ${t(`kontrak.criticalStatus.${c.critical.openStatus}`)}` : ""}
          </span>
        ) : null}{" "}
        <span className="muted">
          {t("kontrakPublik.title", { number: c.number ?? c.sppbjNumber })} · {c.vendor.name} · {c.package.opd.name}
        </span>
      </p>
      <p className="muted">{t("kontrakPublik.intro")}</p>

      <section className="card" data-testid="summary">
        <h2>{t("kontrakPublik.summary")}</h2>
        <dl className="kv">
          <dt>{t("pengadaan.contract.value")}</dt>
          <dd data-testid="contract-value">{formatRupiah(c.value)}</dd>
          <dt>{t("pengadaan.contract.period")}</dt>
          <dd>
            {day(c.startDate)} – {day(c.endDate)}
          </dd>
          <dt>{t("kontrakPublik.physical")}</dt>
          <dd data-testid="physical">
            {c.physical ? t("kontrakPublik.physicalValue", { actual: pct(c.physical.actual).slice(0, -1), planned: pct(c.physical.planned).slice(0, -1), period: c.physical.period }) : t("kontrakPublik.none")}
          </dd>
          <dt>{t("kontrakPublik.financial")}</dt>
          <dd data-testid="financial">{t("kontrakPublik.financialValue", { percent: pct(c.financial.percent).slice(0, -1), paid: c.financial.paid })}</dd>
        </dl>
      </section>

      <section className="card" data-testid="chain">
        <h2>{t("kontrakPublik.chain")}</h2>
        <ol className="timeline">
          <Step id="proposals" title={t("kontrakPublik.step.proposals")} done={c.proposals.length > 0}>
            {c.proposals.length ? (
              <ul data-testid="proposals">
                {c.proposals.map((u) => (
                  <li key={u.id}>
                    <Link to={`/usulan/${u.id}`}>{u.code}</Link> {u.title}{" "}
                    <span className="muted">
                      · {u.desa}
                      {u.kecamatan ? `, ${u.kecamatan}` : ""}
                    </span>{" "}
                    <StatusBadge status={u.status} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("kontrakPublik.proposals.none")}</p>
            )}
          </Step>

          <Step id="sub-activity" title={t("kontrakPublik.step.subActivity")} done={c.subActivities.length > 0}>
            {c.subActivities.map((s) => (
              <p key={s.code} data-testid="sub-activity">
                <span className="code">{s.code}</span> {s.name}
                <br />
                <span className="muted">
                  {s.indicator}: {s.target.replace(/\.?0+$/, "")} {s.unit}
                </span>
              </p>
            ))}
          </Step>

          <Step id="dpa" title={t("kontrakPublik.step.dpa")} done={c.lines.length > 0}>
            <ul data-testid="lines">
              {c.lines.map((l, i) => (
                <li key={`${l.accountCode}-${i}`}>
                  <span className="code">{l.accountCode}</span> {l.description}
                  <div>
                    {l.lineAmount ? t("kontrakPublik.line.takes", { amount: l.amount, line: l.lineAmount }) : formatRupiah(l.amount)}
                    {l.fundingSource ? <span className="tag">{l.fundingSource}</span> : null}
                    {l.dpaNumber ? <span className="muted"> · {t("kontrakPublik.dpa", { number: l.dpaNumber })}</span> : null}
                  </div>
                </li>
              ))}
            </ul>
          </Step>

          <Step id="package" title={t("kontrakPublik.step.package")} done>
            <p>
              <Link to={`/pengadaan/${c.package.id}`} data-testid="package-link">
                {c.package.name}
              </Link>
              {c.package.kodeRup ? <span className="muted"> · RUP {c.package.kodeRup}</span> : null}
            </p>
            <p className="muted">
              {c.package.opd.name} · {t(`procure.kind.${c.package.kind}`)} · {t(`procure.method.${c.package.method}`)} · {t("pengadaan.field.pagu")} {formatRupiah(c.package.pagu)}
            </p>
            {c.package.locations.length ? <p className="muted">{c.package.locations.map((l) => (l.detail ? `${l.name} (${l.detail})` : l.name)).join("; ")}</p> : null}
          </Step>

          <Step id="selection" title={t("kontrakPublik.step.selection")} done>
            {sel ? (
              <dl className="kv" data-testid="selection">
                <dt>{t(`procure.method.${sel.method}`)}</dt>
                <dd>
                  {sel.code} <TenderStatusBadge status={sel.status} />
                </dd>
                <dt>{t("kontrakPublik.selection.hps")}</dt>
                <dd>{formatRupiah(sel.hps)}</dd>
                <dt>{t("kontrakPublik.selection.bids")}</dt>
                <dd>{sel.bidCount}</dd>
                {sel.winnerValue ? (
                  <>
                    <dt>{t("kontrakPublik.selection.winner")}</dt>
                    <dd>
                      {c.vendor.name} · {formatRupiah(sel.winnerValue)}
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p className="muted">{t("kontrakPublik.selection.direct", { method: t(`procure.method.${c.package.method}`) })}</p>
            )}
          </Step>

          <Step id="contract" title={t("kontrakPublik.step.contract")} done={c.status !== "sppbj" && c.status !== "cancelled"}>
            <ContractDetails contract={{ ...c, tenderCode: sel?.code ?? null, vendor: c.vendor.name }} />
            <p className="muted" data-testid="npwp">
              {t("kontrakPublik.vendor.npwp")}: {c.vendor.npwp}
            </p>
          </Step>

          <Step id="progress" title={t("kontrakPublik.step.progress")} done={c.reports.length > 0}>
            {!c.schedule ? <p className="muted">{t("kontrakPublik.progress.noSchedule")}</p> : null}
            {c.series.length ? (
              <div data-testid="kurva-s">
                <h4>{t("kontrakPublik.kurvaS.title")}</h4>
                <KurvaSChart series={c.series} labels={labels} />
                <KurvaSTable series={c.series} labels={labels} lang={lang} />
              </div>
            ) : null}
            {c.reports.length ? (
              <>
                <h4>{t("kontrakPublik.reports.title")}</h4>
                <ol data-testid="reports" style={{ paddingLeft: "1.2em" }}>
                  {[...c.reports].reverse().map((r) => (
                    <li key={r.id} data-period={r.period}>
                      <strong>{t("kontrakPublik.report.period", { period: r.period, start: day(r.start), end: day(r.end) })}</strong>
                      <div>{t("kontrakPublik.report.figures", { actual: pct(r.physical).slice(0, -1), planned: pct(r.planned).slice(0, -1), deviation: lang === "id" ? r.deviation.replace(".", ",") : r.deviation })}</div>
                      {r.verifiedAt ? (
                        <div className="muted" data-testid="verified-by">
                          {t("kontrakPublik.report.verified", { date: formatDate(r.verifiedAt, lang), as: t(`kontrak.verifiedAs.${r.verifiedAs ?? "ppk"}`) })}
                        </div>
                      ) : null}
                      {r.correctsPeriod ? <div className="timeline__reason">{t("kontrakPublik.report.correction", { period: r.correctsPeriod, reason: r.correctionReason })}</div> : null}
                      {r.problems ? (
                        <div>
                          {t("kontrakPublik.report.problems")}: {r.problems}
                        </div>
                      ) : null}
                      {r.actions ? (
                        <div>
                          {t("kontrakPublik.report.actions")}: {r.actions}
                        </div>
                      ) : null}
                      {r.photos.length ? (
                        <ul data-testid="photos" style={{ display: "flex", flexWrap: "wrap", gap: 8, listStyle: "none", padding: 0 }}>
                          {r.photos.map((p) => (
                            <li key={p.id} data-photo={p.id} style={{ width: 150 }}>
                              <a href={`/monev/foto/${p.id}`}>
                                <img
                                  src={`/monev/foto/${p.id}?kecil=1`}
                                  alt={t("kontrakPublik.photo.alt", { period: r.period, milestone: t(`kontrak.milestone.${p.milestone}`) })}
                                  loading="lazy"
                                  width={150}
                                  style={{ borderRadius: 6, border: "1px solid #ddd", maxWidth: "100%", height: "auto" }}
                                />
                              </a>
                              <div className="muted">{t(`kontrak.milestone.${p.milestone}`)}</div>
                              <div className="muted">{p.takenAt ? t("kontrakPublik.photo.taken", { at: formatDateTime(p.takenAt, lang) }) : null}</div>
                              {p.lat === null ? <div className="muted">{t("kontrakPublik.photo.noGps")}</div> : null}
                              {p.farFromSite ? (
                                <span className="badge badge--bad" style={{ whiteSpace: "normal" }} data-flag="far">
                                  {p.distanceM !== null ? t("kontrakPublik.photo.farDistance", { m: p.distanceM }) : t("kontrakPublik.photo.far")}
                                </span>
                              ) : null}{" "}
                              {p.beforeStart ? (
                                <span className="badge badge--bad" style={{ whiteSpace: "normal" }} data-flag="early">
                                  {t("kontrakPublik.photo.early")}
                                </span>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="muted">{t("kontrakPublik.progress.none")}</p>
            )}
          </Step>

          <Step id="payments" title={t("kontrakPublik.step.payments")} done={c.payments.length > 0}>
            {c.payments.length ? (
              <>
                <ul data-testid="payments">
                  {c.payments.map((p) => (
                    <li key={p.no}>
                      {p.kind === "termin" ? t("kontrakPublik.payment.termin", { no: p.termNo }) : t(`kontrak.paymentKind.${p.kind}`)} — {formatRupiah(p.amount)}{" "}
                      <span className="muted">· {day(p.paidOn)}</span>
                    </li>
                  ))}
                </ul>
                <p>{t("kontrakPublik.payment.total", { paid: c.financial.paid, value: c.financial.value, percent: pct(c.financial.percent).slice(0, -1) })}</p>
              </>
            ) : (
              <p className="muted">{t("kontrakPublik.payments.none")}</p>
            )}
          </Step>

          <Step id="handover" title={t("kontrakPublik.step.handover")} done={c.handovers.length > 0}>
            {c.handovers.length ? (
              <ul data-testid="handovers">
                {c.handovers.map((h) => (
                  <li key={h.kind}>
                    {t(`kontrak.handover.${h.kind}`)}: {h.number} <span className="muted">· {day(h.signedOn)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("kontrakPublik.handover.none")}</p>
            )}
          </Step>
        </ol>
      </section>

      <section className="card" data-testid="critical">
        <h2>{t("kontrakPublik.critical.title")}</h2>
        <p className="muted">{t("kontrakPublik.critical.intro")}</p>
        {verdict ? (
          <p>
            <span className={`badge badge--${verdict.critical ? "bad" : "ok"}`}>
              {verdict.critical ? t(`kontrak.critical.reason.${verdict.reason}`) : t("kontrak.critical.onTrack")}
            </span>{" "}
            <span className="muted">{t("kontrak.critical.behind", { behind: verdict.behind })}</span>
          </p>
        ) : (
          <p className="muted">{t("kontrak.critical.noReport")}</p>
        )}
        {c.critical.cases.map((k, i) => (
          <div key={i} data-testid="critical-case">
            <p>
              <strong>{t("kontrakPublik.critical.case", { status: t(`kontrak.criticalStatus.${k.status}`), date: formatDate(k.openedAt, lang) })}</strong>{" "}
              <span className="muted">{t("kontrak.critical.at", { planned: k.planned, actual: k.physical })}</span>
            </p>
            {k.steps.length ? (
              <ol>
                {k.steps.map((s) => (
                  <li key={s.no}>{t("kontrakPublik.critical.step", { step: t(`kontrak.criticalStatus.${s.toStatus}`), date: day(s.onDate) })}</li>
                ))}
              </ol>
            ) : null}
          </div>
        ))}
      </section>

      <section className="card" data-testid="complaints">
        <h2>{t("kontrakPublik.complaints.title")}</h2>
        {c.complaints.length === 0 ? <p className="muted">{t("kontrakPublik.complaints.none")}</p> : null}
        {c.complaints.map((k) => (
          <div key={k.id} className="complaint" data-testid="complaint">
            <p>
              <ComplaintStatus status={k.status} /> <span className="muted">{k.number}</span> <span className="muted">· {formatDate(k.submittedAt, lang)}</span>
            </p>
            <p>{k.text}</p>
            {k.answer ? (
              <p className="timeline__reason" data-testid="complaint-answer">
                {t("lapor.answer")}
                {k.opd ? ` (${k.opd.name})` : ""}: {k.answer}
              </p>
            ) : null}
          </div>
        ))}
        <p>
          <Link to={`/lapor?kontrak=${c.id}`} data-testid="report-link">
            {t("kontrakPublik.complaints.report")}
          </Link>
        </p>
      </section>

      <p data-testid="links">
        <Link to={`/pengadaan/${c.package.id}`}>{t("kontrakPublik.package.link")}</Link> ·{" "}
        <a href={`/api/ocds/records/${encodeURIComponent(ocid)}`} data-testid="ocds-record">
          {t("kontrakPublik.links.ocds")}
        </a>{" "}
        · <a href={`/api/kontrak/${c.id}`}>{t("kontrakPublik.links.api")}</a>
      </p>
    </article>
  );
}
