import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { can, enterEvaluation, quarterlyEvaluation, systemClock, visibleScopes } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

export const meta: MetaFunction = () => [{ title: "Evaluasi RKPD — Jejak" }];

/**
 * GET /monev/evaluasi/<year>: the quarterly evaluation of the RKPD (domain/monev/evaluation.ts). The monev
 * officer, Bappeda, TAPD and auditors see every OPD (the consolidated evaluation) and each OPD's detail
 * (?opd=); an OPD's officers see their own OPD. `?sub=<id>&tw=<q>` opens the form for one sub-activity and
 * triwulan for those who may enter it; POST saves it (optimistic lock on the entry's version).
 */
function yearOf(params: { year?: string }): number {
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || year < 2000 || year > 2100) throw refuse(404, "error.404");
  return year;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "monev.evaluation.view");
  const year = yearOf(params);
  const url = new URL(request.url);
  const tenant = config().tenant;
  const scopes = visibleScopes(viewer.actor, "monev.evaluation.view");
  const asked = (url.searchParams.get("opd") ?? "").trim().slice(0, 40);
  const opd = scopes.all ? asked || null : scopes.opds.includes(asked) ? asked : scopes.opds[0];
  const e = await quarterlyEvaluation(await em(), tenant, year, opd ?? undefined);
  const sub = url.searchParams.get("sub") ?? "";
  const tw = Number(url.searchParams.get("tw") ?? "1");
  const editing = opd ? e.rows.find((r) => r.subActivityId === sub) : undefined;
  const mayEdit = opd !== null && can(viewer.actor, "monev.evaluation.edit", { tenant, opd });
  return json(
    {
      year,
      opd,
      apbd: e.apbd,
      opds: e.opds,
      total: e.total,
      rows: opd ? e.rows : [],
      editing: editing && mayEdit ? { row: editing, quarter: [1, 2, 3, 4].includes(tw) ? tw : 1 } : null,
      mayEdit,
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guardSomewhere(request, "monev.evaluation.edit");
  const form = await readForm(request);
  const t = tFor(request);
  const text = (k: string) => String(form.get(k) ?? "");
  const version = text("version");
  const r = await runUseCase(request, async () =>
    enterEvaluation(await em(), viewer.actor, systemClock, {
      subActivityId: text("sub"),
      quarter: text("quarter"),
      output: text("output"),
      physical: form.has("physical") ? text("physical") : null,
      drivers: text("drivers"),
      obstacles: text("obstacles"),
      followUp: text("followUp"),
      expectedVersion: version === "" ? null : Number(version),
    }),
  );
  if (!r.ok) return r.response;
  return json({ ok: true, message: t("evaluasi.saved", { q: text("quarter"), code: text("code") }), fieldErrors: {} as Record<string, string> });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const percent = (v: string | null) => (v === null ? "—" : `${v.replace(".", ",")}%`);

export default function Evaluation() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  const excel = `/unduh/evaluasi/${d.year}${d.opd ? `?opd=${encodeURIComponent(d.opd)}` : ""}`;
  const opdName = d.opds.find((o) => o.code === d.opd)?.name;
  return (
    <>
      <h1 data-testid="workspace-title">{t("evaluasi.title", { year: d.year })}</h1>
      <p>{t("evaluasi.intro")}</p>
      {d.apbd ? null : <p className="notice">{t("evaluasi.noApbd", { year: d.year })}</p>}
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <p className="actions">
        <a className="button button--secondary" href={excel} data-testid="evaluation-excel">
          {d.opd && opdName ? t("evaluasi.excelOpd", { opd: opdName }) : t("evaluasi.excel")}
        </a>
        {d.opd && d.opds.length > 1 ? <Link to={`/monev/evaluasi/${d.year}`}>{t("evaluasi.back")}</Link> : null}
      </p>
      {d.opd ? <OpdDetail d={d} errors={result?.fieldErrors ?? {}} /> : <Consolidated d={d} />}
    </>
  );
}

function Consolidated({ d }: { d: Data }) {
  const t = useT();
  if (d.opds.length === 0) return <p className="muted">{t("evaluasi.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="evaluation-opds">
        <caption>{t("evaluasi.consolidated")}</caption>
        <thead>
          <tr>
            <th>{t("evaluasi.opd")}</th>
            <th className="num">{t("evaluasi.subs")}</th>
            <th className="num">{t("evaluasi.budget")}</th>
            {[1, 2, 3, 4].map((q) => (
              <th key={q} className="num">
                {t("evaluasi.tw", { q })}
              </th>
            ))}
            <th className="num">{t("evaluasi.paidYear")}</th>
            <th className="num">{t("evaluasi.paidPercent")}</th>
            <th className="num">{t("evaluasi.physical")}</th>
          </tr>
        </thead>
        <tbody>
          {d.opds.map((o) => (
            <tr key={o.code} data-opd={o.code}>
              <td>
                <Link to={`?opd=${encodeURIComponent(o.code)}`}>{o.name}</Link>
              </td>
              <td className="num">{o.subs}</td>
              <td className="num">{formatRupiah(o.budget)}</td>
              {o.paid.map((p, i) => (
                <td key={i} className="num">
                  {formatRupiah(p)}
                </td>
              ))}
              <td className="num">{formatRupiah(o.paidYear)}</td>
              <td className="num">{percent(o.paidPercent)}</td>
              <td className="num">{percent(o.physical)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t("evaluasi.total")}</th>
            <th />
            <th className="num" data-testid="evaluation-budget">
              {formatRupiah(d.total.budget)}
            </th>
            {d.total.paid.map((p, i) => (
              <th key={i} className="num">
                {formatRupiah(p)}
              </th>
            ))}
            <th className="num" data-testid="evaluation-paid">
              {formatRupiah(d.total.paidYear)}
            </th>
            <th className="num">{percent(d.total.paidPercent)}</th>
            <th />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function OpdDetail({ d, errors }: { d: Data; errors: Record<string, string> }) {
  const t = useT();
  if (d.rows.length === 0) return <p className="muted">{t("evaluasi.none")}</p>;
  return (
    <>
      {d.editing ? <EntryForm d={d} errors={errors} /> : null}
      <div className="table-wrap">
        <table className="data" data-testid="evaluation-subs">
          <thead>
            <tr>
              <th>{t("evaluasi.subs")}</th>
              <th>{t("evaluasi.target")}</th>
              <th className="num">{t("evaluasi.budget")}</th>
              {[1, 2, 3, 4].map((q) => (
                <th key={q}>{t("evaluasi.tw", { q })}</th>
              ))}
              <th>{t("evaluasi.achievement")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.subActivityId} data-sub={r.code}>
                <td>
                  <strong>{r.code}</strong> {r.name}
                  <div className="muted">{r.contracts ? t("evaluasi.contracts", { n: r.contracts }) : t("evaluasi.noContracts")}</div>
                </td>
                <td>
                  {r.indicator}
                  <div className="muted">
                    {r.target.replace(".", ",")} {r.unit}
                  </div>
                </td>
                <td className="num">{formatRupiah(r.budget)}</td>
                {r.quarters.map((q) => (
                  <td key={q.quarter} data-quarter={q.quarter}>
                    <div>
                      {t("evaluasi.paid")}: {formatRupiah(q.paidRp)}
                    </div>
                    <div className="muted">
                      {t("evaluasi.plan")}: {formatRupiah(q.planRp)}
                    </div>
                    <div>
                      {t("evaluasi.physicalReal")}: {percent(q.physical)}
                      {q.physicalPlan !== null ? ` / ${percent(q.physicalPlan)}` : ""}
                    </div>
                    <div>
                      {t("evaluasi.output")}: {q.output === null ? "—" : `${q.output.replace(".", ",")} ${r.unit}`}
                      {q.entered ? <span className="muted"> ({t("evaluasi.entered")})</span> : null}
                    </div>
                    {d.mayEdit ? <Link to={`?opd=${encodeURIComponent(d.opd ?? "")}&sub=${r.subActivityId}&tw=${q.quarter}`}>{t("evaluasi.form.title")}</Link> : null}
                  </td>
                ))}
                <td>
                  <div>
                    {t("evaluasi.output")}: {percent(r.year.outputPercent)}
                  </div>
                  <div>
                    {t("evaluasi.paid")}: {formatRupiah(r.year.paidRp)} ({percent(r.year.paidPercent)})
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function EntryForm({ d, errors }: { d: Data; errors: Record<string, string> }) {
  const t = useT();
  const { row, quarter } = d.editing!;
  const q = row.quarters[quarter - 1];
  return (
    <section className="card" data-testid="evaluation-form">
      <h2>
        {t("evaluasi.form.title")}: {row.code} {row.name} — {t("evaluasi.tw", { q: quarter })}
      </h2>
      <PostForm>
        <input type="hidden" name="sub" value={row.subActivityId} />
        <input type="hidden" name="code" value={row.code} />
        <input type="hidden" name="quarter" value={quarter} />
        <input type="hidden" name="version" value={q.version ?? ""} />
        <Field name="output" label={t("evaluasi.form.output", { unit: row.unit })} error={errors.output}>
          <input id="output" name="output" inputMode="decimal" defaultValue={q.entered ? (q.output ?? "") : ""} {...errorProps("output", errors.output)} />
        </Field>
        {row.contracts === 0 ? (
          <Field name="physical" label={t("evaluasi.form.physical")} error={errors.physical}>
            <input id="physical" name="physical" inputMode="decimal" defaultValue={q.physical ?? ""} {...errorProps("physical", errors.physical)} />
          </Field>
        ) : (
          <p className="muted">{t("evaluasi.form.physicalContracts")}</p>
        )}
        {(["drivers", "obstacles", "followUp"] as const).map((k) => (
          <Field key={k} name={k} label={t(`evaluasi.form.${k}`)} error={errors[k]}>
            <textarea id={k} name={k} rows={2} maxLength={2000} defaultValue={q[k]} {...errorProps(k, errors[k])} />
          </Field>
        ))}
        <SubmitButton>{t("evaluasi.form.save")}</SubmitButton>
      </PostForm>
    </section>
  );
}
