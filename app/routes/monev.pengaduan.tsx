import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import { requireViewer } from "~/session.server";
import { listOpds, systemClock } from "~/domain.server";
import { actOnComplaint, canSeeQueue, complaintQueue, escalateOverdue, wibDay, type QueueItem } from "~/pengaduan.server";
// The machine's vocabulary is pure data, safe for the browser bundle (a .server module is not).
import { COMPLAINT_ACTIONS, COMPLAINT_STATUSES } from "../../domain/oversight/complaint-machine";
import { ComplaintDue, ComplaintStatus } from "~/components/pengaduan";
import { Field, PostForm, SubmitButton } from "~/components/forms";
import { formatDateTime } from "~/format";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction = () => [{ title: "Antrean pengaduan — Jejak" }];

async function guardQueue(request: Request) {
  const viewer = await requireViewer(request);
  if (!canSeeQueue(viewer.actor)) throw refuse(403, "error.403");
  return viewer;
}

/**
 * The officers' queue of citizen reports: the monev officer sees every report (moderation, verification,
 * forwarding), an OPD officer the reports forwarded to their OPD. Overdue reports first; reading the
 * queue escalates what has passed its deadline.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardQueue(request);
  const db = await em();
  const now = systemClock.now();
  await escalateOverdue(db, systemClock, config().tenant);
  const url = new URL(request.url);
  const status = url.searchParams.get("status") ?? "";
  const q = await complaintQueue(await em(), viewer.actor, { status, page: Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1 }, wibDay(now));
  const opds = (await listOpds(await em())).map((o) => ({ code: o.code, name: o.name }));
  return json({ ...q, status, opds }, { headers: { "Cache-Control": "private, no-store", ...viewerHeaders(viewer) } });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guardQueue(request);
  const form = await readForm(request);
  const intent = field(form, "intent");
  const action = COMPLAINT_ACTIONS.find((a) => a === intent);
  if (!action) throw refuse(400, "form.malformed");
  const db = await em();
  const r = await runUseCase(request, () =>
    actOnComplaint(db, viewer.actor, systemClock, field(form, "id"), action, {
      expectedVersion: Number.parseInt(field(form, "version"), 10),
      reason: field(form, "reason"),
      answer: field(form, "answer"),
      opdCode: field(form, "opdCode"),
      category: field(form, "category"),
      note: field(form, "note"),
    }),
  );
  const back = new URL(request.url);
  const message = r.ok ? tFor(request)("lapor.queue.done") : ((await r.response.json()) as { message: string }).message;
  return redirect(`${back.pathname}${back.search}#c-${field(form, "id")}`, { headers: { "Set-Cookie": flashCookie(request, { kind: r.ok ? "ok" : "error", message }) } });
}

export default function Queue() {
  const { items, counts, categories, status, opds } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/monev">{t("ws.monev.title")}</Link>
      </p>
      <h1>{t("lapor.queue.title")}</h1>
      <p className="muted" data-testid="queue-counts">
        {counts.map((c) => t("lapor.queue.counts", { status: t(`lapor.status.${c.status}`), total: c.total, overdue: c.overdue })).join(" · ")}
      </p>
      <Form method="get" className="filters">
        <label htmlFor="status">{t("lapor.queue.filter")}</label>{" "}
        <select id="status" name="status" defaultValue={status}>
          <option value="">{t("lapor.queue.all")}</option>
          {COMPLAINT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`lapor.status.${s}`)}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button button--secondary">
          {t("lapor.follow.go")}
        </button>
      </Form>
      {items.length === 0 ? <p>{t("lapor.queue.none")}</p> : null}
      {items.map((c) => (
        <QueueCard key={c.id} c={c as unknown as QueueItem} opds={opds} categories={categories} />
      ))}
    </>
  );
}

function QueueCard({ c, opds, categories }: { c: QueueItem; opds: { code: string; name: string }[]; categories: { code: string; name: string; slaDays: number; nationalName: boolean }[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="card" id={`c-${c.id}`} data-testid="queue-item" data-number={c.number}>
      <h2>
        {c.number} <ComplaintStatus status={c.status} />
      </h2>
      <p className="muted">
        {t(`lapor.target.${c.targetKind}`)} · {c.categoryNational ? t(`lapor.category.${c.category}`) : c.categoryName} · {formatDateTime(c.submittedAt, lang)} · <ComplaintDue c={c} />
        {c.opd ? ` · ${c.opd.name}` : ""}
      </p>
      {c.targetKind === "proposal" && c.targetId ? <Link to={`/usulan/${c.targetId}`}>{t("lapor.target.proposal")}</Link> : null}
      <p>{c.text}</p>
      {c.photos.length ? (
        <div className="photos">
          {c.photos.map((id) => (
            <a key={id} href={`/lapor/foto/${id}?asli=1`}>
              <img src={`/lapor/foto/${id}`} alt="" loading="lazy" />
            </a>
          ))}
        </div>
      ) : null}
      <p>
        {t("lapor.queue.reporter")}: {c.reporter ? `${c.reporter.name}${c.reporter.contact ? ` (${c.reporter.contact})` : ""}` : t("lapor.queue.anonymous")}
      </p>
      {c.heldReasons.length ? (
        <p className="notice">
          {t("lapor.queue.held")}: {c.heldReasons.map((h) => t(`lapor.queue.held.${h}`)).join(", ")}
        </p>
      ) : null}
      {c.answer ? (
        <p>
          <strong>{t("lapor.answer")}:</strong> {c.answer}
        </p>
      ) : null}
      {c.actions.map((a) => (
        <details key={a} className="decide" data-testid={`act-${a}`}>
          <summary>{t(`lapor.act.${a}`)}</summary>
          <PostForm className="form">
            <input type="hidden" name="intent" value={a} />
            <input type="hidden" name="id" value={c.id} />
            <input type="hidden" name="version" value={c.version} />
            {a === "verify" ? (
              <Field name={`category-${c.id}`} label={t("lapor.field.category")}>
                <select id={`category-${c.id}`} name="category" defaultValue={c.category}>
                  {categories.map((k) => (
                    <option key={k.code} value={k.code}>
                      {t("lapor.category.sla", { name: k.nationalName ? t(`lapor.category.${k.code}`) : k.name, days: k.slaDays })}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {a === "forward" ? (
              <Field name={`opd-${c.id}`} label={t("lapor.opd")}>
                <select id={`opd-${c.id}`} name="opdCode" defaultValue={c.opd?.code ?? ""}>
                  <option value="">—</option>
                  {opds.map((o) => (
                    <option key={o.code} value={o.code}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {a === "reject" || a === "discard" ? (
              <Field name={`reason-${c.id}`} label={t("lapor.reason")}>
                <textarea id={`reason-${c.id}`} name="reason" rows={2} maxLength={2000} required />
              </Field>
            ) : null}
            {a === "answer" ? (
              <Field name={`answer-${c.id}`} label={t("lapor.answer")}>
                <textarea id={`answer-${c.id}`} name="answer" rows={4} maxLength={4000} required />
              </Field>
            ) : null}
            <Field name={`note-${c.id}-${a}`} label={t("lapor.queue.note")}>
              <input id={`note-${c.id}-${a}`} name="note" maxLength={2000} />
            </Field>
            <SubmitButton>{t(`lapor.act.${a}`)}</SubmitButton>
          </PostForm>
        </details>
      ))}
      <details>
        <summary>{t("lapor.queue.internal")}</summary>
        <ol>
          {c.internal.map((n, i) => (
            <li key={i}>
              {formatDateTime(n.at, lang)} · {t(`lapor.step.${n.action}`, { level: n.note })} · {n.by}
              {n.note && n.action !== "escalate" ? ` — ${n.note}` : ""}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
