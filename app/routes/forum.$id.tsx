import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { viewerHeaders } from "~/guard.server";
import { field, files, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { fromWibInput, guardForum, signatoriesFrom, toWibInput } from "~/musrenbang.server";
import { closeForum, forumWorkspace, importForumSheet, likelyDuplicates, listOpds, moveForum, rescheduleForum, scoreProposal, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ForumStatusBadge, StatusBadge } from "~/components/musrenbang";
import { DecisionForms } from "~/components/decisions";
import { ImportErrors } from "~/components/import-errors";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.ws.forum.name} ${data.ws.forum.fiscalYear} — Jejak` : "Forum — Jejak" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const db = await em();
  const ws = await forumWorkspace(db, viewer.actor, params.id!);
  const duplicates = ws.forum.level === "kecamatan" && ws.forum.status !== "closed" ? await likelyDuplicates(db, ws.forum.id) : [];
  const opds = await listOpds(db);
  return json(
    { ws, duplicates, opds, opensAtInput: toWibInput(ws.forum.opensAt), closesAtInput: toWibInput(ws.forum.closesAt) },
    { headers: { "Cache-Control": "private, no-store", ...viewerHeaders(viewer) } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: 10 * 1024 * 1024 });
  const t = tFor(request);
  const intent = field(form, "intent");
  if (intent === "import") {
    // An offline forum's file: every problem reported by row and column, or the whole file applied.
    const [file] = await files(form, "file");
    const r = await runUseCase(request, async () =>
      importForumSheet(await em(), viewer.actor, systemClock, params.id!, file?.bytes ?? new Uint8Array()),
    );
    if (!r.ok) return r.response;
    const out = r.value;
    if (!out.ok)
      return json(
        {
          ok: false,
          intent,
          message: t("mus.forum.importErrors", { n: out.errors.length }),
          importErrors: out.errors.map((e) => ({ row: e.row, column: e.column, header: e.header, message: t(e.key, e.params) })),
          fieldErrors: {},
        },
        { status: 400 },
      );
    return json({ ok: true, intent, message: t("mus.forum.importDone", out), fieldErrors: {} });
  }
  const version = Number(field(form, "version"));
  const actor = viewer.actor;
  const id = params.id!;
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "move") return moveForum(db, actor, systemClock, id, field(form, "action") as "open", version);
    if (intent === "reschedule")
      return rescheduleForum(db, actor, systemClock, id, {
        opensAt: fromWibInput(field(form, "opensAt")),
        closesAt: fromWibInput(field(form, "closesAt")),
        venue: field(form, "venue"),
        expectedVersion: version,
      });
    if (intent === "score") {
      const scores: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (k.startsWith("score.") && typeof v === "string") scores[k.slice(6)] = v;
      return scoreProposal(db, actor, systemClock, id, field(form, "proposal"), scores);
    }
    if (intent === "close")
      return closeForum(db, actor, systemClock, id, {
        attendeesTotal: field(form, "attendeesTotal"),
        attendeesWomen: field(form, "attendeesWomen"),
        signatories: signatoriesFrom(form),
        notes: field(form, "notes"),
        expectedVersion: version,
      });
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) {
    const body = await r.response.json();
    return json({ ...body, intent, proposal: field(form, "proposal") }, { status: r.response.status });
  }
  return json({ ok: true, message: t("mus.forum.saved"), fieldErrors: {}, intent, proposal: field(form, "proposal") });
}

type ActionResult =
  | {
      ok: boolean;
      message?: string;
      fieldErrors?: Record<string, string>;
      intent?: string;
      proposal?: string;
      importErrors?: { row: number; column: string; header: string; message: string }[];
    }
  | undefined;

export default function ForumPage() {
  const { ws, duplicates, opensAtInput, closesAtInput } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const t = useT();
  const lang = useLang();
  const f = ws.forum;
  const errs = result?.fieldErrors ?? {};
  const scoring = f.status === "scoring" && ws.runs;
  return (
    <>
      <p className="breadcrumb no-print">
        <Link to="/forum">{t("mus.forum.list")}</Link> › {t(`mus.level.${f.level}`)}
      </p>
      <h1 data-testid="forum-title">
        {f.name} {f.fiscalYear}
      </h1>
      <p>
        <ForumStatusBadge status={f.status} />{" "}
        {f.opensAt ? `${t("mus.forum.opensAt")}: ${formatDateTime(f.opensAt, lang)}` : ""} {f.closesAt ? `· ${t("mus.forum.closesAt")}: ${formatDateTime(f.closesAt, lang)}` : ""}
        {f.venue ? ` · ${f.venue}` : ""}
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      {ws.runs && f.status === "planned" && !(f.opensAt && f.closesAt) ? <p className="notice notice--warn">{t("musrenbang.forum.notScheduled")}</p> : null}

      {ws.runs ? (
        <div className="actions card no-print">
          {ws.forumActions
            .filter((a) => a !== "close")
            .map((a) => (
              <PostForm key={a}>
                <input type="hidden" name="intent" value="move" />
                <input type="hidden" name="action" value={a} />
                <input type="hidden" name="version" value={f.version} />
                <SubmitButton className={a === "reopen" ? "button button--secondary" : "button"}>{t(`mus.forumAction.${a}`)}</SubmitButton>
              </PostForm>
            ))}
          {f.level === "desa" && f.status === "open" ? (
            <Link className="button" to={`/forum/${f.id}/usulan/baru`}>
              {t("mus.forum.newProposal")}
            </Link>
          ) : null}
          <Link className="button button--secondary" to={`/forum/${f.id}/berita-acara`}>
            {t("mus.forum.printMinutes")}
          </Link>
          <a className="button button--secondary" href={`/forum/${f.id}/peringkat.xlsx`}>
            {t("mus.forum.exportXlsx")}
          </a>
        </div>
      ) : null}

      {ws.runs && (f.status === "open" || f.status === "scoring") && f.level !== "perangkat_daerah" ? (
        <details className="card no-print" open={result?.intent === "import"}>
          <summary>{t("mus.forum.import")}</summary>
          <p>
            <a href={`/forum/${f.id}/templat.xlsx`}>{t("mus.forum.template")}</a>
          </p>
          <PostForm encType="multipart/form-data" className="actions">
            <input type="hidden" name="intent" value="import" />
            <input name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-label={t("mus.forum.import")} />
            <SubmitButton className="button">{t("mus.forum.import")}</SubmitButton>
          </PostForm>
          <ImportErrors errors={result?.importErrors} />
        </details>
      ) : null}

      {ws.runs && f.status !== "closed" ? (
        <details className="card no-print" open={f.status === "planned" && !(f.opensAt && f.closesAt)}>
          <summary>{t("mus.forum.schedule")}</summary>
          <PostForm className="form">
            <input type="hidden" name="intent" value="reschedule" />
            <input type="hidden" name="version" value={f.version} />
            <div className="grid2">
              <Field name="opensAt" label={t("mus.forum.opensAt")} error={errs.opensAt}>
                <input id="opensAt" name="opensAt" type="datetime-local" defaultValue={opensAtInput} />
              </Field>
              <Field name="closesAt" label={t("mus.forum.closesAt")} error={errs.closesAt}>
                <input id="closesAt" name="closesAt" type="datetime-local" defaultValue={closesAtInput} />
              </Field>
            </div>
            <Field name="venue" label={t("mus.forum.venue")}>
              <input id="venue" name="venue" defaultValue={f.venue} maxLength={200} />
            </Field>
            <SubmitButton>{t("admin.users.save")}</SubmitButton>
          </PostForm>
        </details>
      ) : null}

      {duplicates.length ? (
        <section className="card" data-testid="duplicates">
          <h2>{t("mus.forum.duplicates")}</h2>
          <ul>
            {duplicates.map((d) => (
              <li key={`${d.a_id}-${d.b_id}`}>
                <Link to={`/usulan/${d.a_id}`}>{d.a_code}</Link> {d.a_title} ↔ <Link to={`/usulan/${d.b_id}`}>{d.b_code}</Link> {d.b_title}{" "}
                <span className="muted">
                  ({t("mus.forum.similarity", { s: d.similarity })}
                  {d.distance_m ? `, ${t("mus.forum.distance", { m: d.distance_m })}` : ""})
                </span>
                {ws.runs ? (
                  <div className="actions">
                    <PostForm action={`/usulan/${d.a_id}/tindak`}>
                      <input type="hidden" name="intent" value="merge" />
                      <input type="hidden" name="into" value={d.b_id} />
                      <input type="hidden" name="back" value={`/forum/${f.id}`} />
                      <input type="hidden" name="reason" value={`Usulan ganda dengan ${d.b_code}`} />
                      <SubmitButton className="button button--secondary">
                        {t("mus.action.merge")} → {d.b_code}
                      </SubmitButton>
                    </PostForm>
                    <PostForm action={`/usulan/${d.a_id}/tindak`}>
                      <input type="hidden" name="intent" value="keep" />
                      <input type="hidden" name="other" value={d.b_id} />
                      <input type="hidden" name="back" value={`/forum/${f.id}`} />
                      <SubmitButton className="button button--secondary">{t("mus.forum.keepBoth")}</SubmitButton>
                    </PostForm>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {scoring && ws.criteria.length ? (
        <section className="card no-print" data-testid="scoring">
          <h2>{t("mus.forumStatus.scoring")}</h2>
          <p className="muted">{t("mus.forum.scoreHelp")}</p>
          {ws.unscored > 0 ? <p className="notice notice--warn">{t("mus.forum.unscored", { n: ws.unscored })}</p> : null}
          {ws.current
            .filter((p) => p.status === "submitted" || p.status === "verified" || p.status === "accepted")
            .map((p) => (
              <PostForm key={p.id} className="score-card" data-testid="score-form" data-code={p.code}>
                <input type="hidden" name="intent" value="score" />
                <input type="hidden" name="proposal" value={p.id} />
                <h3>
                  {p.code} — {p.title} {ws.ranking[p.id] ? <span className="badge badge--ok">#{ws.ranking[p.id].rank} · {ws.ranking[p.id].total}</span> : null}
                </h3>
                <div className="score-grid">
                  {ws.criteria.map((c) => (
                    <label key={c.code} title={c.description}>
                      <span>
                        {c.name} <span className="muted">({c.weight}%)</span>
                      </span>
                      <input
                        className="score-input"
                        name={`score.${c.code}`}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={5}
                        step={1}
                        defaultValue={ws.scores[p.id]?.[c.code] ?? ""}
                        aria-label={`${c.name} ${p.code}`}
                      />
                    </label>
                  ))}
                </div>
                <SubmitButton className="button button--secondary">{t("mus.forum.saveScores")}</SubmitButton>
                {result?.intent === "score" && result.proposal === p.id && !result.ok ? <p className="field__error">{Object.values(errs)[0] ?? result.message}</p> : null}
              </PostForm>
            ))}
        </section>
      ) : null}

      <h2>{t("mus.forum.proposals")}</h2>
      {ws.current.length === 0 ? (
        <p>{t("mus.forum.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="forum-proposals">
            <thead>
              <tr>
                <th>{t("mus.field.rank")}</th>
                <th>{t("mus.field.code")}</th>
                <th>{t("mus.field.title")}</th>
                <th className="num">{t("mus.field.cost")}</th>
                <th>{t("mus.field.status")}</th>
                <th className="no-print"></th>
              </tr>
            </thead>
            <tbody>
              {ws.current.map((p) => {
                const actions = ws.proposalActions[p.id] ?? [];
                const rank = ws.ranking[p.id];
                return (
                  <tr key={p.id} data-code={p.code}>
                    <td className="num">{rank ? `${rank.rank} (${rank.total})` : "—"}</td>
                    <td>
                      <Link to={`/usulan/${p.id}`}>{p.code}</Link>
                    </td>
                    <td>
                      {p.title}
                      <div className="muted">
                        {p.desaName} · {p.opdName} · {p.volume} {p.unit} · {p.beneficiaries} jiwa
                      </div>
                    </td>
                    <td className="num">{formatRupiah(p.estimatedCost)}</td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td className="no-print">
                      {f.level === "desa" && p.status === "submitted" && f.status === "open" && ws.runs ? (
                        <Link to={`/forum/${f.id}/usulan/${p.id}`}>{t("admin.users.edit")}</Link>
                      ) : null}
                      <DecisionForms id={p.id} version={p.version} actions={actions} back={`/forum/${f.id}`} others={ws.current.filter((o) => o.id !== p.id && (o.status === "escalated" || o.status === "verified"))} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {ws.departed.length ? (
        <>
          <h2>{t("mus.forum.departed")}</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("mus.field.rank")}</th>
                  <th>{t("mus.field.code")}</th>
                  <th>{t("mus.field.title")}</th>
                  <th>{t("mus.field.total")}</th>
                  <th>{t("mus.field.status")}</th>
                </tr>
              </thead>
              <tbody>
                {ws.departed.map((p) => (
                  <tr key={p.id}>
                    <td className="num">{p.rank ?? "—"}</td>
                    <td>
                      <Link to={`/usulan/${p.id}`}>{p.code}</Link>
                    </td>
                    <td>{p.title}</td>
                    <td className="num">{p.total ?? ""}</td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {ws.runs && ws.forumActions.includes("close") ? (
        <section className="card no-print">
          <h2>{t("mus.forumAction.close")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="close" />
            <input type="hidden" name="version" value={f.version} />
            <div className="grid2">
              <Field name="attendeesTotal" label={t("mus.forum.attendees")} error={errs.attendeesTotal}>
                <input id="attendeesTotal" name="attendeesTotal" inputMode="numeric" />
              </Field>
              <Field name="attendeesWomen" label={t("mus.forum.women")} error={errs.attendeesWomen}>
                <input id="attendeesWomen" name="attendeesWomen" inputMode="numeric" />
              </Field>
            </div>
            <fieldset>
              <legend>{t("mus.forum.signatories")}</legend>
              {errs.signatories ? <p className="field__error">{errs.signatories}</p> : null}
              {[0, 1, 2].map((i) => (
                <div className="grid2" key={i}>
                  <input name={`sig.name.${i}`} aria-label={`${t("admin.users.displayName")} ${i + 1}`} placeholder={t("admin.users.displayName")} />
                  <input name={`sig.position.${i}`} aria-label={`Jabatan ${i + 1}`} placeholder="Jabatan" />
                </div>
              ))}
            </fieldset>
            <Field name="notes" label={t("mus.forum.notes")}>
              <textarea id="notes" name="notes" rows={3} maxLength={4000} />
            </Field>
            <SubmitButton>{t("mus.forumAction.close")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
    </>
  );
}
