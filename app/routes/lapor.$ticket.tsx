import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { csrfToken } from "~/csrf.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { systemClock } from "~/domain.server";
import { complaintByTicket, complaintTarget, rateComplaint, reopenComplaint, wibDay } from "~/pengaduan.server";
import { ComplaintBody, ComplaintHistory } from "~/components/pengaduan";
import { Field, FormMessage, Panel, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { useT } from "~/hooks";

export { passHeaders as headers } from "~/headers";
export const meta: MetaFunction = () => [{ title: "Pengaduan — Jejak" }, { name: "robots", content: "noindex" }];

/** The ticket is the reporter's key: the page is never cached, indexed or sent on as a referrer. */
const PRIVATE = { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" };

/** A report followed by its ticket: status, public history, the answer, and the reporter's rate / reopen forms. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await em();
  const tenant = config().tenant;
  const c = await complaintByTicket(db, tenant, params.ticket ?? "", wibDay(systemClock.now()));
  if (!c) throw refuse(404, "pengaduan.ticketUnknown");
  const target = c.targetId ? await complaintTarget(db, tenant, c.targetKind, c.targetId) : null;
  return json({ c, target, csrf: csrfToken(request) ?? "" }, { headers: PRIVATE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request, { maxFieldChars: { reason: 2000 } });
  const intent = field(form, "intent");
  const tenant = config().tenant;
  const ticket = params.ticket ?? "";
  const r = await runUseCase(request, async () => {
    if (intent === "rate") return rateComplaint(await em(), systemClock, tenant, ticket, Number.parseInt(field(form, "rating"), 10));
    if (intent === "reopen") return reopenComplaint(await em(), systemClock, tenant, ticket, field(form, "reason"));
    throw refuse(400, "form.malformed");
  });
  if (!r.ok) return json({ ...(await r.response.json()), intent }, { status: r.response.status, headers: PRIVATE });
  return json({ ok: true, intent, message: tFor(request)(intent === "rate" ? "lapor.rate.done" : "lapor.reopen.done"), fieldErrors: {} }, { headers: PRIVATE });
}

export default function Ticket() {
  const { c, target } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; intent?: string; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  return (
    <article>
      <p className="breadcrumb">
        <Link to="/lapor">{t("lapor.title")}</Link>
      </p>
      <h1>{t("lapor.ticket.title", { number: c.number })}</h1>
      {result?.message ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
      <div className="cards">
        <section className="card">
          <p>
            {t(`lapor.target.${c.targetKind}`)}
            {target ? <>: {target.href ? <Link to={target.href}>{target.label}</Link> : target.label}</> : null}
          </p>
          <ComplaintBody c={c} />
        </section>
        <section className="card">
          <h2>{t("lapor.history")}</h2>
          <ComplaintHistory steps={c.history} />
        </section>
      </div>
      {c.canRate ? (
        <Panel summary={t("lapor.rate.title")} open={result?.intent === "rate" && !result.ok} testId="rate">
          <PostForm className="form">
            <input type="hidden" name="intent" value="rate" />
            <Field name="rating" label={t("lapor.rate.title")} error={errs.rating}>
              <select id="rating" name="rating" defaultValue={c.rating ?? 5} {...errorProps("rating", errs.rating)}>
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {"★".repeat(n)} {n}/5
                  </option>
                ))}
              </select>
            </Field>
            <SubmitButton>{t("lapor.rate.submit")}</SubmitButton>
          </PostForm>
        </Panel>
      ) : null}
      {c.canReopen ? (
        <Panel summary={t("lapor.reopen.title")} open={result?.intent === "reopen" && !result.ok} testId="reopen">
          <PostForm className="form">
            <input type="hidden" name="intent" value="reopen" />
            <Field name="reason" label={t("lapor.reopen.reason")} error={errs.reason}>
              <textarea id="reason" name="reason" rows={3} maxLength={2000} required {...errorProps("reason", errs.reason)} />
            </Field>
            <SubmitButton className="button button--secondary">{t("lapor.reopen.submit")}</SubmitButton>
          </PostForm>
        </Panel>
      ) : null}
    </article>
  );
}
