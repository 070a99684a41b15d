import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { can, dpaView, recordSp2d, setCashPlan, systemClock, terbilang } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/** The cash plan's periods and how many amounts each takes (domain/budgeting/apbd.ts, CASH_PLAN_PERIODS). */
const PERIODS = { bulan: 12, triwulan: 4 } as const;
type Period = keyof typeof PERIODS;
const isPeriod = (x: unknown): x is Period => x === "bulan" || x === "triwulan";
const QUARTERS = ["I", "II", "III", "IV"];
/** The name of the input of one amount of a sub-activity's cash plan ("opd" for spending outside a sub-activity). */
const cashInput = (subId: string | null, n: number) => `cash-${subId ?? "opd"}-${n}`;

async function load(request: Request, id: string, period?: Period) {
  const db = await em();
  const view = await dpaView(db, config().tenant, id, { period }).catch(() => null);
  if (!view) throw refuse(404, "budget.dpa.notFound");
  const viewer = await guard(request, "budget.view", { opd: view.dpa.opdCode });
  return { view, viewer };
}

/**
 * An OPD's DPA: number, version, total in figures and words, its spending lines with what has been paid
 * (SP2D) on each, the cash plan per sub-activity per month or per quarter (the OPD or TAPD chooses the
 * period — `?periode=bulan|triwulan` shows the form in the other one — and sets it; it must add up to the
 * DPA), and — for TAPD — the form that records an SP2D against a line.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const asked = new URL(request.url).searchParams.get("periode");
  const { view, viewer } = await load(request, params.id ?? "", isPeriod(asked) ? asked : undefined);
  const tenant = config().tenant;
  return json(
    {
      ...view,
      words: terbilang(view.dpa.total),
      plans: can(viewer.actor, "budget.manage", { tenant }) || can(viewer.actor, "budget.rka.edit", { tenant, opd: view.dpa.opdCode }),
      pays: can(viewer.actor, "budget.manage", { tenant }) && view.dpa.inForce,
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { view, viewer } = await load(request, params.id ?? "");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "cash") {
      const period = field(form, "period");
      const count = isPeriod(period) ? PERIODS[period] : 12;
      return setCashPlan(db, viewer.actor, systemClock, view.dpa.id, {
        period,
        plan: view.cash.map((c) => ({ subActivityId: c.subId, amounts: Array.from({ length: count }, (_, i) => field(form, cashInput(c.subId, i + 1))) })),
      });
    }
    if (intent === "sp2d")
      return recordSp2d(db, viewer.actor, systemClock, {
        year: view.dpa.year,
        lineKey: field(form, "line"),
        number: field(form, "number"),
        paidOn: field(form, "paidOn"),
        amount: field(form, "amount"),
        description: field(form, "description"),
      });
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved"), fieldErrors: {} });
}

export default function DpaPage() {
  const { dpa, lines, period, cash, words, plans, pays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  return (
    <div className="doc">
      <p className="breadcrumb">
        <Link to={`/budget/apbd/${dpa.year}`}>APBD {dpa.year}</Link> · <Link to={`/budget/opd/${dpa.opdCode}?tahun=${dpa.year}`}>{dpa.opdName}</Link> ·{" "}
        <a href={`/unduh/dpa/${dpa.id}`}>Excel</a>
      </p>
      <h1 data-testid="workspace-title">{dpa.number}</h1>
      <p>
        {dpa.opdName} · {t("apbdws.version", { n: dpa.versionNo })} {dpa.inForce ? "" : `(${t("apbdws.notInForce")})`}
      </p>
      <p>
        <strong data-testid="dpa-total">{formatRupiah(dpa.total)}</strong> <em>({words})</em> · SP2D: <strong data-testid="dpa-paid">{formatRupiah(dpa.paid)}</strong>
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <div className="table-wrap">
        <table className="data" data-testid="dpa-lines">
          <thead>
            <tr>
              <th>{t("rkpd.subActivity")}</th>
              <th>{t("rka.description")}</th>
              <th className="num">{t("rka.amount")}</th>
              <th className="num">SP2D</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.line_key}>
                <td>{l.sub_code}</td>
                <td>
                  {l.account_code} · {l.description}
                </td>
                <td className="num">{formatRupiah(l.amount)}</td>
                <td className="num">{formatRupiah(l.paid)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" data-testid="cash-plan">
        <h2>{t("dpa.cash.title")}</h2>
        <p data-testid="cash-period">
          {t("dpa.cash.period")}:{" "}
          {(Object.keys(PERIODS) as Period[]).map((p, i) => (
            <span key={p}>
              {i > 0 ? " · " : ""}
              {p === period ? (
                <strong aria-current="true">{t(`dpa.cash.${p}`)}</strong>
              ) : plans ? (
                <Link to={`?periode=${p}`} replace>
                  {t(`dpa.cash.${p}`)}
                </Link>
              ) : (
                t(`dpa.cash.${p}`)
              )}
            </span>
          ))}
        </p>
        {period !== dpa.cashPlanPeriod ? (
          <p className="notice notice--warn" data-testid="cash-switch">
            {t("dpa.cash.switch", { from: t(`dpa.cash.${dpa.cashPlanPeriod}`).toLowerCase(), to: t(`dpa.cash.${period}`).toLowerCase() })}
          </p>
        ) : !cash.every((c) => c.set) ? (
          <p className="muted">{t("dpa.cash.notSet")}</p>
        ) : null}
        {errs.period ? <div className="field__error">{errs.period}</div> : null}
        <PostForm noValidate>
          <input type="hidden" name="intent" value="cash" />
          <input type="hidden" name="period" value={period} />
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("rkpd.subActivity")}</th>
                  {Array.from({ length: PERIODS[period] }, (_, i) => (
                    <th key={i} className="num">
                      {period === "triwulan" ? t("dpa.cash.quarter", { n: QUARTERS[i] }) : i + 1}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cash.map((c) => {
                  const key = `plan.${c.code ?? "opd"}`;
                  const label = (i: number) => (period === "triwulan" ? t("dpa.cash.quarter", { n: QUARTERS[i] }) : t("dpa.cash.month", { n: i + 1 }));
                  const amountErrors = c.amounts.map((_, i) => errs[`${key}.${i + 1}`]);
                  return (
                    <tr key={c.subId ?? "opd"}>
                      <td>
                        {c.code} {c.name}
                        <div className="muted">{formatRupiah(c.amount)}</div>
                        {errs[key] ? <div className="field__error">{errs[key]}</div> : null}
                        {amountErrors.map((e, i) =>
                          e ? (
                            <div key={i} className="field__error" id={`${cashInput(c.subId, i + 1)}-error`}>
                              {label(i)}: {e}
                            </div>
                          ) : null,
                        )}
                      </td>
                      {c.amounts.map((m, i) => (
                        <td key={`${period}-${i}`}>
                          {plans ? (
                            <input name={cashInput(c.subId, i + 1)} defaultValue={m} size={period === "triwulan" ? 15 : 11} inputMode="decimal" aria-label={`${c.code ?? ""} ${label(i)}`} {...errorProps(cashInput(c.subId, i + 1), amountErrors[i])} />
                          ) : (
                            formatRupiah(m)
                          )}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {plans ? <SubmitButton>{t("admin.users.save")}</SubmitButton> : null}
        </PostForm>
      </section>
      {pays ? (
        <section className="card" data-testid="sp2d">
          <h2>{t("apbdws.sp2d")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="sp2d" />
            <Field name="line" label={t("rka.description")} error={errs.lineKey}>
              <select id="line" name="line">
                {lines.map((l) => (
                  <option key={l.line_key} value={l.line_key}>
                    {l.sub_code} · {l.description} ({formatRupiah(l.amount)})
                  </option>
                ))}
              </select>
            </Field>
            <div className="grid2">
              <Field name="number" label={t("apbdws.sp2dNumber")} error={errs.number}>
                <input id="number" name="number" />
              </Field>
              <Field name="paidOn" label={t("apbdws.sp2dDate")} error={errs.paidOn}>
                <input id="paidOn" name="paidOn" type="date" />
              </Field>
            </div>
            <Field name="amount" label={t("rka.amount")} error={errs.amount}>
              <input id="amount" name="amount" inputMode="decimal" />
            </Field>
            <Field name="description" label={t("rka.description")}>
              <input id="description" name="description" />
            </Field>
            <SubmitButton>{t("admin.users.save")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
    </div>
  );
}
