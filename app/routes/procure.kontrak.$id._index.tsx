import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, requirePermission, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { can, systemClock } from "~/domain.server";
import {
  assignSupervisor,
  contractMonitoring,
  contractPhotos,
  contractSupervisors,
  criticalMachine,
  paymentLines,
  recordCriticalStep,
  recordHandover,
  recordPayment,
  reportDetail,
  returnReport,
  setSchedule,
  unassignSupervisor,
  verifyReport,
  wibDate,
  type CriticalAction,
} from "~/monev-kontrak.server";
import { Field, FormMessage, Panel, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { CriticalBadge, ProgressPhotos } from "~/components/monev-kontrak";
import { PendingReport, ReportedKurvaS } from "~/components/pending-report";
import { formatDate, formatRupiah } from "~/format";
import { PAYMENT_KINDS, PERIOD_KINDS } from "../../domain/monev/vocabulary";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.m.contract.package_name} — Monev kontrak — Jejak` : "Monev kontrak — Jejak" }];

/** Blank rows offered beyond the schedule's items. */
const EXTRA_ITEM_ROWS = 3;

async function load(request: Request, id: string) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const db = await em();
  const m = await contractMonitoring(db, tenant, id);
  if (!m) throw refuse(404, "procure.contract.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: m.contract.opd_code });
  return { viewer, db, m, tenant };
}

/**
 * /procure/kontrak/<id>: a contract's monitoring for its PPK — the schedule (work items, weights, planned
 * periods: the kurva S), the kurva S against the reports, the reports waiting for verification with their
 * items and photos (verify, or return with a note), the kontrak kritis panel (SCM I–III, warning letters,
 * termination), payments (recorded by the BUD/TAPD as SP2D), the handovers (PHO, FHO) and the supervising
 * consultants (konsultan pengawas) the PPK assigns to verify reports beside them; who verified each report
 * (PPK or konsultan pengawas) is shown in the kurva S table. Others who see procurement in the OPD read the
 * same page without forms.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, db, m, tenant } = await load(request, params.id ?? "");
  const actor = viewer.actor;
  const manages = can(actor, "procure.contract.manage", { tenant, opd: m.contract.opd_code });
  const pays = can(actor, "budget.manage", { tenant });
  const pending = [];
  for (const r of m.reports.filter((x) => x.status === "submitted")) pending.push(await reportDetail(db, tenant, r.id));
  const photos = await contractPhotos(db, tenant, m.contract.id);
  const caseActions = m.openCase && manages ? criticalMachine.transitions.filter((t) => t.from.includes(m.openCase!.status)).map((t) => t.action) : [];
  const scheduleLocked = m.reports.some((r) => r.status !== "draft");
  return json(
    {
      m,
      manages,
      pays,
      pending: pending.filter(Boolean),
      photos,
      caseActions: [...new Set(caseActions)],
      today: wibDate(systemClock.now()),
      scheduleLocked,
      supervisors: await contractSupervisors(db, tenant, m.contract.id),
      lines: pays ? await paymentLines(db, tenant, m.contract.id) : [],
      terms: await db.execute<{ no: number; description: string; progress_percent: string; amount: string }[]>(
        "select no::int as no, description, progress_percent::text as progress_percent, amount::text as amount from contract_term where contract_id = ? order by no",
        [m.contract.id],
      ),
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, db, m } = await load(request, params.id ?? "");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const target = field(form, "target") || null;
  const version = Number(field(form, "version"));
  const a = viewer.actor;
  const id = m.contract.id;
  const r = await runUseCase(request, async () => {
    switch (intent) {
      case "schedule": {
        const rows = Number(field(form, "rows")) || 0;
        const items = Array.from({ length: Math.min(rows, 200) }, (_, i) => ({
          division: field(form, `items.${i}.division`),
          name: field(form, `items.${i}.name`),
          value: field(form, `items.${i}.value`),
          plannedStart: field(form, `items.${i}.plannedStart`),
          plannedEnd: field(form, `items.${i}.plannedEnd`),
        }));
        return setSchedule(
          db,
          a,
          systemClock,
          id,
          {
            periodKind: field(form, "periodKind") as never,
            siteLat: field(form, "siteLat"),
            siteLng: field(form, "siteLng"),
            farThresholdM: field(form, "farThresholdM"),
            maintenanceDays: field(form, "maintenanceDays"),
            items,
          },
          version,
        );
      }
      case "assignSupervisor":
        return assignSupervisor(db, a, systemClock, id, { username: field(form, "username"), letterNumber: field(form, "supervisorLetter") });
      case "unassignSupervisor":
        return unassignSupervisor(db, a, systemClock, field(form, "target"), field(form, "reason"));
      case "verify":
        return verifyReport(db, a, systemClock, field(form, "target"), version);
      case "return":
        return returnReport(db, a, systemClock, field(form, "target"), field(form, "note"), version);
      case "critical":
        return recordCriticalStep(
          db,
          a,
          systemClock,
          field(form, "target"),
          field(form, "action") as CriticalAction,
          { onDate: field(form, "onDate"), minutes: field(form, "minutes"), deadline: field(form, "deadline"), letterNumber: field(form, "letterNumber") },
          version,
        );
      case "payment": {
        const line = field(form, "lineKey");
        return recordPayment(db, a, systemClock, id, {
          kind: field(form, "kind") as never,
          termNo: field(form, "termNo") || null,
          amount: field(form, "amount"),
          sp2dNumber: field(form, "sp2dNumber"),
          paidOn: field(form, "paidOn"),
          charges: line ? [{ lineKey: line, amount: field(form, "amount") }] : null,
        });
      }
      case "pho":
      case "fho":
        return recordHandover(db, a, systemClock, id, intent, { number: field(form, "number"), signedOn: field(form, "signedOn"), note: field(form, "note") }, version);
      default:
        throw new Response("unknown intent", { status: 400 });
    }
  });
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    return json({ ok: false, intent, target, message: data.message, fieldErrors: data.fieldErrors, values }, { status: r.response.status });
  }
  const t = tFor(request);
  const critical = intent === "verify" && (r.value as { critical?: boolean })?.critical;
  return json({ ok: true, intent, target, message: critical ? t("kontrak.verify.critical") : t("mus.forum.saved"), fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

type Result = { ok: boolean; intent: string; target: string | null; message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;

export default function ContractMonitoringPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const lang = useLang();
  const { m } = d;
  const c = m.contract;
  const failed = (intent: string, target: string | null = null) => !!result && !result.ok && result.intent === intent && (target === null || result.target === target);
  const errsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.fieldErrors : {});
  const valsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.values : {});
  const se = errsFor("schedule");
  const sv = valsFor("schedule");
  const rows = Math.max(m.items.length + EXTRA_ITEM_ROWS, 5);
  const pe = errsFor("payment");
  const pv = valsFor("payment");
  return (
    <div className="doc">
      <p className="breadcrumb">
        <Link to={`/procure/paket/${c.package_id}`}>{c.package_name}</Link> · {c.opd_name} · {c.fiscal_year}
      </p>
      <h1 data-testid="workspace-title">{t("kontrak.ppk.title", { number: c.number ?? "—" })}</h1>
      <p>
        {c.vendor_name} · {formatRupiah(c.value)} · {c.start_date} – {c.end_date} ·{" "}
        <span className="badge badge--info" data-testid="contract-status">
          {t(`procure.contractStatus.${c.status}`)}
        </span>
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      <section className="card" data-testid="progress">
        <h2>{t("kontrak.progress.title")}</h2>
        <p>
          {m.latest ? t("kontrak.progress.latest", { period: m.latest.period_no, actual: m.latest.physical, planned: m.latest.planned, deviation: m.latest.deviation }) : t("kontrak.progress.none")}{" "}
          <CriticalBadge verdict={m.verdict} caseStatus={m.openCase?.status} />
        </p>
        <p data-testid="financial">{t("kontrak.financial.summary", { paid: m.financial.paid, percent: m.financial.percent })}</p>
        <ReportedKurvaS series={m.series} reports={m.reports} hasPlan={!!m.plan} />
      </section>

      {m.openCase || m.cases.length ? (
        <section className="card" data-testid="critical">
          <h2>{t("kontrak.critical.title")}</h2>
          {m.cases.map((k) => (
            <div key={k.id}>
              <p>
                <strong>{t(`kontrak.criticalStatus.${k.status}`)}</strong> · {t(`kontrak.critical.reason.${k.reason}`)} · {t("kontrak.critical.at", { planned: k.planned, actual: k.physical })}
              </p>
              <ol>
                {k.steps.map((s) => (
                  <li key={s.no}>
                    {s.on_date} · {t(`kontrak.critical.action.${s.action}`)} → {t(`kontrak.criticalStatus.${s.to_status}`)}
                    {s.letter_number ? ` · ${s.letter_number}` : ""}
                    {s.deadline ? ` · ${t("kontrak.critical.deadline", { date: s.deadline })}` : ""}
                    {s.minutes ? <div className="muted">{s.minutes}</div> : null}
                  </li>
                ))}
              </ol>
            </div>
          ))}
          {m.openCase
            ? d.caseActions.map((action) => (
                <Panel key={action} summary={t(`kontrak.critical.action.${action}`)} open={failed("critical", m.openCase!.id)}>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="critical" />
                    <input type="hidden" name="target" value={m.openCase!.id} />
                    <input type="hidden" name="action" value={action} />
                    <input type="hidden" name="version" value={m.openCase!.version} />
                    <Field name="onDate" label={t("kontrak.critical.onDate")}>
                      <input id="onDate" name="onDate" type="date" defaultValue={d.today} />
                    </Field>
                    {action === "issueWarning" ? (
                      <Field name="letterNumber" label={t("kontrak.critical.letterNumber")}>
                        <input id="letterNumber" name="letterNumber" />
                      </Field>
                    ) : null}
                    {action !== "issueWarning" ? (
                      <Field name="minutes" label={t(action === "terminate" ? "procws.reason" : "kontrak.critical.minutes")}>
                        <textarea id="minutes" name="minutes" rows={3} />
                      </Field>
                    ) : null}
                    {action === "holdScm" || action === "issueWarning" ? (
                      <Field name="deadline" label={t("kontrak.critical.deadlineField")}>
                        <input id="deadline" name="deadline" type="date" />
                      </Field>
                    ) : null}
                    <SubmitButton className={action === "terminate" ? "button button--danger" : "button"}>{t(`kontrak.critical.action.${action}`)}</SubmitButton>
                  </PostForm>
                </Panel>
              ))
            : null}
        </section>
      ) : null}

      {d.pending.length ? (
        <section className="card" data-testid="pending-reports">
          <h2>{t("kontrak.pending.title", { n: d.pending.length })}</h2>
          {d.pending.map((r) =>
            r ? (
              <PendingReport
                key={r.id}
                r={r}
                texts={m.reports.find((x) => x.id === r.id)}
                canAct={d.manages}
                returnFailed={failed("return", r.id)}
                returnErrors={errsFor("return", r.id)}
                returnValues={valsFor("return", r.id)}
              />
            ) : null,
          )}
        </section>
      ) : null}

      <section className="card" data-testid="supervisors">
        <h2>{t("kontrak.supervisors.title")}</h2>
        {(() => {
          const active = d.supervisors.filter((s) => !s.ended_at);
          const past = d.supervisors.filter((s) => s.ended_at);
          const se2 = errsFor("assignSupervisor");
          const sv2 = valsFor("assignSupervisor");
          return (
            <>
              {active.length ? (
                <ul>
                  {active.map((s) => (
                    <li key={s.id} data-testid={`supervisor-${s.username}`}>
                      <strong>{s.display_name}</strong> ({s.username}) · {t("kontrak.supervisors.since", { date: formatDate(s.assigned_at, lang), by: s.assigned_by })}
                      {s.letter_number ? ` · ${t("kontrak.supervisors.letter", { number: s.letter_number })}` : ""}
                      {d.manages ? (
                        <Panel summary={t("kontrak.supervisors.unassign")} open={failed("unassignSupervisor", s.id)}>
                          <PostForm className="form" noValidate>
                            <input type="hidden" name="intent" value="unassignSupervisor" />
                            <input type="hidden" name="target" value={s.id} />
                            <Field name={`reason-${s.id}`} label={t("kontrak.supervisors.reason")} error={errsFor("unassignSupervisor", s.id).reason}>
                              <textarea id={`reason-${s.id}`} name="reason" rows={2} defaultValue={valsFor("unassignSupervisor", s.id).reason} />
                            </Field>
                            <SubmitButton className="button button--secondary">{t("kontrak.supervisors.unassign")}</SubmitButton>
                          </PostForm>
                        </Panel>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t("kontrak.supervisors.none")}</p>
              )}
              <p className="muted">{t("kontrak.supervisors.help")}</p>
              {past.length ? (
                <>
                  <h3>{t("kontrak.supervisors.past")}</h3>
                  <ul>
                    {past.map((s) => (
                      <li key={s.id}>
                        {s.display_name} ({s.username}) · {t("kontrak.supervisors.since", { date: formatDate(s.assigned_at, lang), by: s.assigned_by })} ·{" "}
                        {t("kontrak.supervisors.ended", { date: formatDate(s.ended_at!, lang), by: s.ended_by, reason: s.end_reason })}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {d.manages && c.status === "signed" ? (
                <Panel summary={t("kontrak.supervisors.assign")} open={failed("assignSupervisor")}>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="assignSupervisor" />
                    <Field name="username" label={t("kontrak.supervisors.username")} help={t("kontrak.supervisors.usernameHelp")} error={se2.username}>
                      <input id="username" name="username" autoComplete="off" defaultValue={sv2.username ?? ""} {...errorProps("username", se2.username)} />
                    </Field>
                    <Field name="supervisorLetter" label={t("kontrak.supervisors.letterNumber")}>
                      <input id="supervisorLetter" name="supervisorLetter" defaultValue={sv2.supervisorLetter ?? ""} />
                    </Field>
                    <SubmitButton>{t("kontrak.supervisors.assign")}</SubmitButton>
                  </PostForm>
                </Panel>
              ) : null}
            </>
          );
        })()}
      </section>

      <section className="card" data-testid="schedule">
        <h2>{t("kontrak.schedule.title")}</h2>
        {m.items.length ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t("kontrak.schedule.item")}</th>
                  <th className="num">{t("kontrak.schedule.value")}</th>
                  <th className="num">{t("kontrak.schedule.weight")}</th>
                  <th>{t("kontrak.schedule.periods")}</th>
                </tr>
              </thead>
              <tbody>
                {m.items.map((it) => (
                  <tr key={it.no}>
                    <td>{it.no}</td>
                    <td>
                      {it.division ? <div className="muted">{it.division}</div> : null}
                      {it.name}
                    </td>
                    <td className="num">{formatRupiah(it.value)}</td>
                    <td className="num">{it.weight}%</td>
                    <td>
                      {it.planned_start}–{it.planned_end}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {d.manages && !d.scheduleLocked && c.status === "signed" ? (
          <Panel summary={t(m.plan ? "kontrak.schedule.edit" : "kontrak.schedule.set")} open={failed("schedule") || !m.plan}>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="schedule" />
              <input type="hidden" name="version" value={m.plan?.version ?? 0} />
              <input type="hidden" name="rows" value={rows} />
              <Field name="periodKind" label={t("kontrak.schedule.periodKind")} error={se.periodKind}>
                <select id="periodKind" name="periodKind" defaultValue={sv.periodKind ?? m.plan?.period_kind ?? (c.kind === "konstruksi" ? "weekly" : "monthly")}>
                  {PERIOD_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`kontrak.periodKind.${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <p className="muted">{t("kontrak.schedule.help", { value: c.value })}</p>
              {se.items ? (
                <p className="field__error" role="alert">
                  {se.items}
                </p>
              ) : null}
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th>{t("kontrak.schedule.division")}</th>
                      <th>{t("kontrak.schedule.item")}</th>
                      <th>{t("kontrak.schedule.value")}</th>
                      <th>{t("kontrak.schedule.start")}</th>
                      <th>{t("kontrak.schedule.end")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Array.from({ length: rows }, (_, i) => {
                      const it = m.items[i];
                      const v = (k: string, dflt: string) => sv[`items.${i}.${k}`] ?? dflt;
                      const err = (k: string) => se[`items.${i}.${k}`];
                      return (
                        <tr key={i}>
                          <td>
                            <input name={`items.${i}.division`} aria-label={t("kontrak.schedule.division")} defaultValue={v("division", it?.division ?? "")} />
                          </td>
                          <td>
                            <input name={`items.${i}.name`} aria-label={t("kontrak.schedule.item")} defaultValue={v("name", it?.name ?? "")} {...errorProps(`items.${i}.name`, err("name"))} />
                            {err("name") ? <div className="field__error">{err("name")}</div> : null}
                          </td>
                          <td>
                            <input name={`items.${i}.value`} inputMode="decimal" aria-label={t("kontrak.schedule.value")} defaultValue={v("value", it?.value ?? "")} {...errorProps(`items.${i}.value`, err("value"))} />
                            {err("value") ? <div className="field__error">{err("value")}</div> : null}
                          </td>
                          <td>
                            <input name={`items.${i}.plannedStart`} inputMode="numeric" size={3} aria-label={t("kontrak.schedule.start")} defaultValue={v("plannedStart", it ? String(it.planned_start) : "")} />
                            {err("plannedStart") ? <div className="field__error">{err("plannedStart")}</div> : null}
                          </td>
                          <td>
                            <input name={`items.${i}.plannedEnd`} inputMode="numeric" size={3} aria-label={t("kontrak.schedule.end")} defaultValue={v("plannedEnd", it ? String(it.planned_end) : "")} />
                            {err("plannedEnd") ? <div className="field__error">{err("plannedEnd")}</div> : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Field name="siteLat" label={t("kontrak.schedule.siteLat")} help={t("kontrak.schedule.siteHelp")} error={se.siteLat}>
                <input id="siteLat" name="siteLat" inputMode="decimal" defaultValue={sv.siteLat ?? m.plan?.site_lat ?? ""} />
              </Field>
              <Field name="siteLng" label={t("kontrak.schedule.siteLng")} error={se.siteLng}>
                <input id="siteLng" name="siteLng" inputMode="decimal" defaultValue={sv.siteLng ?? m.plan?.site_lng ?? ""} />
              </Field>
              <Field name="farThresholdM" label={t("kontrak.schedule.farThreshold")} error={se.farThresholdM}>
                <input id="farThresholdM" name="farThresholdM" inputMode="numeric" defaultValue={sv.farThresholdM ?? String(m.plan?.far_threshold_m ?? 500)} />
              </Field>
              <Field name="maintenanceDays" label={t("kontrak.schedule.maintenanceDays")} error={se.maintenanceDays}>
                <input id="maintenanceDays" name="maintenanceDays" inputMode="numeric" defaultValue={sv.maintenanceDays ?? String(m.plan?.maintenance_days ?? 180)} />
              </Field>
              <SubmitButton>{t("kontrak.schedule.save")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}
      </section>

      <section className="card" data-testid="payments">
        <h2>{t("kontrak.payments.title")}</h2>
        {m.payments.length ? (
          <ul>
            {m.payments.map((p) => (
              <li key={p.no}>
                {p.paid_on} · {t(`kontrak.paymentKind.${p.kind}`)}
                {p.term_no ? ` ${p.term_no}` : ""} · {formatRupiah(p.amount)} · SP2D {p.sp2d_number}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("kontrak.payments.none")}</p>
        )}
        {d.pays ? (
          <Panel summary={t("kontrak.payments.record")} open={failed("payment")}>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="payment" />
              <Field name="kind" label={t("kontrak.payments.kind")} error={pe.kind}>
                <select id="kind" name="kind" defaultValue={pv.kind ?? "termin"}>
                  {PAYMENT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`kontrak.paymentKind.${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="termNo" label={t("kontrak.payments.term")} error={pe.termNo}>
                <select id="termNo" name="termNo" defaultValue={pv.termNo ?? ""}>
                  <option value="">—</option>
                  {d.terms.map((tm) => (
                    <option key={tm.no} value={tm.no}>
                      {tm.description} ({tm.progress_percent}% · {formatRupiah(tm.amount)})
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="amount" label={t("kontrak.payments.amount")} error={pe.amount}>
                <input id="amount" name="amount" inputMode="decimal" defaultValue={pv.amount ?? ""} {...errorProps("amount", pe.amount)} />
              </Field>
              <Field name="lineKey" label={t("kontrak.payments.line")} error={pe["charges.0.lineKey"] ?? pe.charges}>
                <select id="lineKey" name="lineKey" defaultValue={pv.lineKey ?? ""}>
                  <option value="">{t("kontrak.payments.lineAuto")}</option>
                  {d.lines.map((l) => (
                    <option key={l.line_key} value={l.line_key}>
                      {l.account_code} {l.description} ({t("kontrak.payments.left", { left: l.left })})
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="sp2dNumber" label={t("kontrak.payments.sp2d")} error={pe.number}>
                <input id="sp2dNumber" name="sp2dNumber" defaultValue={pv.sp2dNumber ?? ""} />
              </Field>
              <Field name="paidOn" label={t("kontrak.payments.paidOn")} error={pe.paidOn}>
                <input id="paidOn" name="paidOn" type="date" defaultValue={pv.paidOn ?? d.today} />
              </Field>
              <SubmitButton>{t("kontrak.payments.record")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}
      </section>

      <section className="card" data-testid="handovers">
        <h2>{t("kontrak.handover.title")}</h2>
        {m.handovers.length ? (
          <ul>
            {m.handovers.map((h) => (
              <li key={h.kind}>
                {t(`kontrak.handover.${h.kind}`)} · {h.number} · {h.signed_on}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("kontrak.handover.none")}</p>
        )}
        {d.manages && c.status === "signed"
          ? (["pho", "fho"] as const)
              .filter((k) => !m.handovers.some((h) => h.kind === k) && (k === "pho" || m.handovers.some((h) => h.kind === "pho")))
              .map((k) => (
                <Panel key={k} summary={t(`kontrak.handover.${k}`)} open={failed(k)}>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value={k} />
                    <input type="hidden" name="version" value={c.version} />
                    <Field name="number" label={t("kontrak.handover.number")} error={errsFor(k).number}>
                      <input id="number" name="number" defaultValue={valsFor(k).number ?? ""} />
                    </Field>
                    <Field name="signedOn" label={t("kontrak.handover.signedOn")} error={errsFor(k).signedOn}>
                      <input id="signedOn" name="signedOn" type="date" defaultValue={valsFor(k).signedOn ?? d.today} />
                    </Field>
                    <Field name="note" label={t("kontrak.handover.note")}>
                      <textarea id="note" name="note" rows={2} />
                    </Field>
                    <SubmitButton>{t(`kontrak.handover.${k}`)}</SubmitButton>
                  </PostForm>
                </Panel>
              ))
          : null}
      </section>

      <section className="card">
        <h2>{t("kontrak.photos.title")}</h2>
        <ProgressPhotos photos={d.photos} />
      </section>
    </div>
  );
}
