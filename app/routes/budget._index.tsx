import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { aboveStandardRule, draftKuaPpas, kuaPpasView, listOpds, moveKuaPpas, refreshKuaPpas, reviewQueue, setAboveStandardRule, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/** TAPD's workspace: the year's KUA-PPAS (drafted from the final RKPD, submitted, agreed), the RKA review queue, and every OPD's budget. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const year = Number(new URL(request.url).searchParams.get("tahun")) || new Date().getUTCFullYear() + 1;
  const db = await em();
  const [kua, queue, opds, rule] = await Promise.all([kuaPpasView(db, config().tenant, year), reviewQueue(db, config().tenant, year), listOpds(db), aboveStandardRule(db, config().tenant)]);
  return json({ year, kua, queue, opds, rule }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "draft") return draftKuaPpas(db, viewer.actor, systemClock, field(form, "year"), field(form, "priorities").split(/\r?\n/));
    if (intent === "refresh") return refreshKuaPpas(db, viewer.actor, systemClock, field(form, "kua"), Number(field(form, "version")));
    if (intent === "policy") return setAboveStandardRule(db, viewer.actor, systemClock, field(form, "aboveStandard"));
    if (intent === "submit" || intent === "agree") return moveKuaPpas(db, viewer.actor, systemClock, field(form, "kua"), intent, field(form, "agreement"), Number(field(form, "version")));
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved"), fieldErrors: {} });
}

export default function BudgetWorkspace() {
  const { year, kua, queue, opds, rule } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("ws.budget.title")}</h1>
      <p className="actions">
        <Link className="button button--secondary" to="/budget/harga">
          SSH / HSPK / ASB / SBU
        </Link>
        <Link className="button button--secondary" to={`/rkpd/${year}`}>
          RKPD {year}
        </Link>
        <Link className="button" to={`/budget/apbd/${year}`}>
          {t("apbdws.open", { year })}
        </Link>
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="tahun">{t("mus.forum.year")}</label>
          <input id="tahun" name="tahun" type="number" defaultValue={year} />
        </div>
        <button className="button button--secondary" type="submit">
          {t("audit.filter")}
        </button>
      </Form>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <section className="card" data-testid="kua">
        <h2>
          {t("kua.title")} {year} {kua ? <span className="badge badge--info">{t(`kua.status.${kua.status}`)}</span> : null}
        </h2>
        {!kua ? (
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="draft" />
            <input type="hidden" name="year" value={year} />
            <Field name="priorities" label={t("kua.priorities")} error={result?.fieldErrors?.priorities}>
              <textarea id="priorities" name="priorities" rows={4} />
            </Field>
            <SubmitButton>{t("kua.draft")}</SubmitButton>
          </PostForm>
        ) : (
          <>
            <ol>
              {kua.priorities.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ol>
            {kua.agreement ? <p className="muted">{kua.agreement}</p> : null}
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>{t("ws.opdList")}</th>
                    <th className="num">{t("kua.ceiling")}</th>
                  </tr>
                </thead>
                <tbody>
                  {kua.opds.map((o) => (
                    <tr key={o.code}>
                      <td>
                        <Link to={`/budget/opd/${o.code}?tahun=${year}`}>{o.name}</Link>
                      </td>
                      <td className="num">{formatRupiah(o.total)}</td>
                    </tr>
                  ))}
                  <tr>
                    <th>{t("rkpd.total")}</th>
                    <th className="num" data-testid="kua-total">
                      {formatRupiah(kua.total)}
                    </th>
                  </tr>
                </tbody>
              </table>
            </div>
            <p className="actions">
              <Link className="button button--secondary" to={`/budget/kua/${year}`}>
                {t("kua.ceiling")} ({t("rkpd.subActivity")})
              </Link>
            </p>
            {kua.status === "draft" ? (
              <div className="actions">
                <PostForm className="inline-form">
                  <input type="hidden" name="intent" value="refresh" />
                  <input type="hidden" name="kua" value={kua.id} />
                  <input type="hidden" name="version" value={kua.version} />
                  <SubmitButton className="button button--secondary">{t("kua.refresh")}</SubmitButton>
                </PostForm>
                <PostForm className="inline-form">
                  <input type="hidden" name="intent" value="submit" />
                  <input type="hidden" name="kua" value={kua.id} />
                  <input type="hidden" name="version" value={kua.version} />
                  <SubmitButton>{t("kua.submit")}</SubmitButton>
                </PostForm>
              </div>
            ) : null}
            {kua.status === "submitted" ? (
              <PostForm className="form" noValidate>
                <input type="hidden" name="intent" value="agree" />
                <input type="hidden" name="kua" value={kua.id} />
                <input type="hidden" name="version" value={kua.version} />
                <Field name="agreement" label={t("kua.agreement")}>
                  <input id="agreement" name="agreement" />
                </Field>
                <SubmitButton>{t("kua.agree")}</SubmitButton>
              </PostForm>
            ) : null}
          </>
        )}
      </section>
      <section className="card" data-testid="review-queue">
        <h2>{t("rka.queue")}</h2>
        {queue.length === 0 ? <p className="muted">—</p> : null}
        <ul>
          {queue.map((q) => (
            <li key={q.id}>
              <Link to={`/budget/rka/${q.id}`}>
                {q.code ? `${q.code} ${q.name}` : t(q.kind === "pendapatan" ? "rka.revenue" : "rka.financing")}
              </Link>{" "}
              — {q.opd_name} · {formatRupiah(q.total)} <span className="badge badge--info">{t(`rka.status.${q.status}`)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t("rka.policy")}</h2>
        <PostForm className="form">
          <input type="hidden" name="intent" value="policy" />
          <Field name="aboveStandard" label={t("rka.policy.aboveStandard")}>
            <select id="aboveStandard" name="aboveStandard" defaultValue={rule}>
              <option value="refuse">{t("rka.policy.refuse")}</option>
              <option value="justify">{t("rka.policy.justify")}</option>
            </select>
          </Field>
          <SubmitButton className="button button--secondary">{t("admin.users.save")}</SubmitButton>
        </PostForm>
      </section>
      <section className="card">
        <h2>{t("ws.opdList")}</h2>
        <ul>
          {opds.map((o) => (
            <li key={o.code}>
              <Link to={`/budget/opd/${o.code}?tahun=${year}`}>{o.name}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
