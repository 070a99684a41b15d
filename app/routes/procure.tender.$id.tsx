import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, requirePermission, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import {
  addAddendum,
  announceTender,
  announceWinner,
  answerQuestion,
  answerSanggah,
  assignPokja,
  can,
  closeTender,
  concludeEvaluation,
  evaluateBid,
  isDomainError,
  openTender,
  pokjaCandidates,
  reevaluate,
  signPakta,
  systemClock,
  tenderActions,
  tenderView,
} from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps, Panel } from "~/components/forms";
import { ScheduleTable } from "~/components/pengadaan";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

async function load(request: Request, id: string) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const db = await em();
  const view = await tenderView(db, tenant, id).catch((e: unknown) => {
    if (isDomainError(e) && e.kind === "notFound") return null;
    throw e;
  });
  if (!view) throw refuse(404, "procure.tender.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: view.pkg.opd_code });
  return { db, view, viewer, tenant };
}

const QUALITY = ["kualitas_biaya", "kualitas"];

/**
 * A tender for its Pokja: the package it serves, the schedule, documents and requirements; naming the
 * Pokja, announcing, answering questions, addenda; then opening the bids (only from the opening time),
 * the pakta integritas, evaluating each bid, concluding, announcing the winner, answering sanggah,
 * re-evaluating, or ending it as failed or cancelled. Until the opening only the number of bids is known —
 * no price, no bidder. The results download as Excel and print as the BAHP. The PPK and other readers see
 * the same page without the forms.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, view, viewer, tenant } = await load(request, params.id ?? "");
  const actor = viewer.actor;
  const { tender, pokja } = view;
  const runs = can(actor, "procure.tender.run", { tenant });
  const me = pokja.find((m) => m.user_id === actor.userId) ?? null;
  const acts = me ? tenderActions(tender, actor) : [];
  const now = systemClock.now();
  const afterDeadline = !!tender.bid_deadline && now >= tender.bid_deadline;
  const opening = tender.opening_at ?? tender.bid_deadline;
  const closed = ["contracted", "failed", "cancelled"].includes(tender.status);
  return json(
    {
      ...view,
      runs,
      member: !!me,
      paktaSigned: !!me?.pakta_signed_at,
      quality: QUALITY.includes(tender.evaluation_method),
      can: {
        assign: runs && tender.status === "draft",
        announce: acts.includes("announce"),
        amend: acts.includes("amend") && !afterDeadline,
        open: acts.includes("open") && !!opening && now >= opening && afterDeadline,
        openWaits: acts.includes("open") && !(!!opening && now >= opening && afterDeadline),
        answer: !!me && !closed,
        pakta: !!me && !me.pakta_signed_at && !closed,
        evaluate: !!me && tender.status === "opened" && !!me.pakta_signed_at,
        conclude: acts.includes("evaluate") && view.bids.every((b) => b.evaluated_at) && pokja.every((m) => m.pakta_signed_at),
        winner: acts.includes("announceWinner"),
        reevaluate: acts.includes("reevaluate"),
        fail: acts.includes("fail"),
        cancel: acts.includes("cancel"),
        sanggah: !!me,
      },
      candidates: runs && tender.status === "draft" ? await pokjaCandidates(db, tenant) : [],
      results: !!tender.opened_at,
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { view, viewer, tenant } = await load(request, params.id ?? "");
  requirePermission(viewer.actor, "procure.tender.run", { tenant });
  const form = await readForm(request);
  const intent = field(form, "intent");
  const target = field(form, "bid") || field(form, "question") || field(form, "sanggah") || null;
  const version = Number(field(form, "version"));
  const a = viewer.actor;
  const id = view.tender.id;
  const r = await runUseCase(request, async () => {
    const db = await em();
    switch (intent) {
      case "assign":
        return assignPokja(db, a, systemClock, id, form.getAll("pokja").map(String).filter(Boolean));
      case "announce":
        return announceTender(db, a, systemClock, id, version);
      case "answer":
        return answerQuestion(db, a, systemClock, id, field(form, "question"), field(form, "answer"));
      case "addendum":
        return addAddendum(db, a, systemClock, id, { description: field(form, "description"), newDeadline: field(form, "newDeadline") || null }, version);
      case "open":
        return openTender(db, a, systemClock, id, version);
      case "pakta":
        return signPakta(db, a, systemClock, id);
      case "evaluate":
        return evaluateBid(db, a, systemClock, id, field(form, "bid"), {
          adminPass: form.get("adminPass") === "on",
          techPass: form.get("techPass") === "on",
          techScore: field(form, "techScore") || null,
          correctedPrice: field(form, "correctedPrice") || null,
          qualPass: form.get("qualPass") === "on",
          reason: field(form, "reason"),
        });
      case "conclude":
        return concludeEvaluation(db, a, systemClock, id, version);
      case "winner":
        return announceWinner(db, a, systemClock, id, version);
      case "sanggah":
        return answerSanggah(db, a, systemClock, id, field(form, "sanggah"), { answer: field(form, "answer"), upheld: form.get("upheld") === "on" });
      case "reevaluate":
        return reevaluate(db, a, systemClock, id, field(form, "reason"), version);
      case "fail":
      case "cancel":
        return closeTender(db, a, systemClock, id, intent, field(form, "reason"), version);
      default:
        throw new Response("unknown intent", { status: 400 });
    }
  });
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
    return json({ ok: false, intent, target, message: data.message, fieldErrors: data.fieldErrors, values }, { status: r.response.status });
  }
  const t = tFor(request);
  const message = intent === "open" ? t("procws.tender.opened", { n: (r.value as { bids: number }).bids }) : t("mus.forum.saved");
  return json({ ok: true, intent, target, message, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

type Result = { ok: boolean; intent: string; target: string | null; message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;


const verdict = (pass: boolean | null) => (pass === null ? "—" : pass ? "✓" : "✗");

export default function TenderPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const lang = useLang();
  const { tender, pkg } = d;
  const failed = (intent: string, target: string | null = null) => !!result && !result.ok && result.intent === intent && (target === null || result.target === target);
  const errsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.fieldErrors : {});
  const valsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.values : {});
  const version = <input type="hidden" name="version" value={tender.version} />;
  return (
    <div className="doc">
      <p className="breadcrumb">
        {d.runs ? (
          <>
            <Link to="/procure/pokja">{t("procws.pokja.title")}</Link> ·{" "}
          </>
        ) : null}
        <Link to={`/procure/paket/${pkg.id}`}>{pkg.name}</Link>
        {d.results ? (
          <>
            {" "}
            · <a href={`/unduh/tender/${tender.id}`}>Excel</a> · <Link to={`/procure/tender/${tender.id}/bahp`}>BAHP</Link>
          </>
        ) : null}
      </p>
      <h1 data-testid="workspace-title">
        {t(`procure.method.${tender.method}`)} {tender.code}
      </h1>
      <p>
        <span className="badge badge--info" data-testid="tender-status">
          {t(`procure.tenderStatus.${tender.status}`)}
        </span>
        {tender.attempt > 1 ? <span className="muted"> · {t("procws.attempt", { n: tender.attempt })}</span> : null}
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      <section className="card">
        <h2>{t("procws.tender.package")}</h2>
        <dl className="kv">
          <dt>{t("procws.col.name")}</dt>
          <dd>{pkg.name}</dd>
          <dt>{t("procws.opd")}</dt>
          <dd>{pkg.opd_name}</dd>
          <dt>{t("procws.col.kodeRup")}</dt>
          <dd>{pkg.kode_rup ?? "—"}</dd>
          <dt>{t("procws.f.kind")}</dt>
          <dd>{t(`procure.kind.${pkg.kind}`)}</dd>
          <dt>{t("procws.col.pagu")}</dt>
          <dd>{formatRupiah(pkg.pagu)}</dd>
          <dt>HPS</dt>
          <dd>
            <strong>{formatRupiah(tender.hps)}</strong>
          </dd>
          <dt>{t("procws.tender.evaluation")}</dt>
          <dd>
            {t(`procure.evaluation.${tender.evaluation_method}`)}
            {tender.technical_weight ? ` · ${t("procws.tender.technicalWeight")} ${tender.technical_weight}%` : ""}
          </dd>
          <dt>{t("procws.tender.qualification")}</dt>
          <dd>{t(tender.qualification === "pra" ? "procws.tender.pra" : "procws.tender.pasca")}</dd>
          {pkg.umk ? (
            <>
              <dt>{t("procws.pkg.flags")}</dt>
              <dd>{t("procws.f.umk")}</dd>
            </>
          ) : null}
          {d.invited ? (
            <>
              <dt>{t("procws.tender.invited")}</dt>
              <dd>{d.invited.name}</dd>
            </>
          ) : null}
          {tender.requirements ? (
            <>
              <dt>{t("procws.tender.requirements")}</dt>
              <dd style={{ whiteSpace: "pre-line" }}>{tender.requirements}</dd>
            </>
          ) : null}
          {tender.documents.length ? (
            <>
              <dt>{t("procws.tender.documents")}</dt>
              <dd>
                <ul>
                  {tender.documents.map((doc, i) => (
                    <li key={i}>
                      {doc.title}
                      {doc.ref ? <span className="muted"> · {doc.ref}</span> : null}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {tender.failure_reason ? (
            <>
              <dt>{t("procws.reason")}</dt>
              <dd>{tender.failure_reason}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card">
        <h2>{t("procws.tender.schedule")}</h2>
        <ScheduleTable stages={d.stages} />
        {d.addenda.length ? (
          <>
            <h3>{t("procws.addendum.list")}</h3>
            <ol>
              {d.addenda.map((x) => (
                <li key={x.no}>
                  {x.description}
                  <div className="muted">
                    {formatDateTime(x.created_at, lang)} · {x.created_by}
                    {x.new_deadline ? ` · ${t("procws.addendum.moved", { to: formatDateTime(x.new_deadline, lang) })}` : ""}
                  </div>
                </li>
              ))}
            </ol>
          </>
        ) : null}
        {d.can.amend ? (
          <Panel summary={t("procws.addendum.add")} open={failed("addendum")} testId="addendum">
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="addendum" />
              {version}
              <Field name="description" label={t("procws.addendum.description")} error={errsFor("addendum").description}>
                <textarea id="description" name="description" rows={3} defaultValue={valsFor("addendum").description} />
              </Field>
              <Field name="newDeadline" label={t("procws.addendum.newDeadline")} error={errsFor("addendum").newDeadline} help={t("procws.addendum.help")}>
                <input id="newDeadline" name="newDeadline" type="datetime-local" defaultValue={valsFor("addendum").newDeadline} {...errorProps("newDeadline", errsFor("addendum").newDeadline)} />
              </Field>
              <SubmitButton>{t("procws.addendum.add")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}
      </section>

      <section className="card" data-testid="pokja">
        <h2>{t("procws.pokja.members")}</h2>
        {d.pokja.length === 0 ? (
          <p className="muted">{t("procws.pokja.noMembers")}</p>
        ) : (
          <ul>
            {d.pokja.map((m) => (
              <li key={m.user_id}>
                {m.name} <span className="muted">({m.username})</span> · {m.pakta_signed_at ? t("procws.pakta.signedAt", { at: formatDateTime(m.pakta_signed_at, lang) }) : t("procws.pakta.notSigned")}
              </li>
            ))}
          </ul>
        )}
        {d.can.assign ? (
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="assign" />
            <fieldset>
              <legend>{t("procws.pokja.assign")}</legend>
              {d.candidates.map((c) => (
                <label className="check" key={c.username}>
                  <input type="checkbox" name="pokja" value={c.username} defaultChecked={d.pokja.some((m) => m.username === c.username)} /> {c.display_name} <span className="muted">({c.username})</span>
                </label>
              ))}
              {errsFor("assign").pokja ? <p className="field__error">{errsFor("assign").pokja}</p> : null}
            </fieldset>
            <SubmitButton className="button button--secondary">{t("procws.pokja.save")}</SubmitButton>
          </PostForm>
        ) : null}
        <div className="actions">
          {d.can.announce ? (
            <PostForm>
              <input type="hidden" name="intent" value="announce" />
              {version}
              <SubmitButton>{t(tender.method === "pengadaan_langsung" || tender.method === "penunjukan_langsung" ? "procws.tender.invite" : "procws.tender.announce")}</SubmitButton>
            </PostForm>
          ) : null}
          {d.can.pakta ? (
            <PostForm>
              <input type="hidden" name="intent" value="pakta" />
              <SubmitButton className="button button--secondary">{t("procws.pakta.sign")}</SubmitButton>
            </PostForm>
          ) : null}
        </div>
      </section>

      <section className="card" data-testid="bids">
        <h2>{t("procws.bids.title")}</h2>
        <p>
          {t("procws.bids.count")}: <strong data-testid="bid-count">{d.bidCount}</strong>
        </p>
        {!tender.opened_at ? (
          <p className="muted" data-testid="bids-sealed">
            {t("procws.bids.sealed", { at: tender.opening_at ? formatDateTime(tender.opening_at, lang) : "—" })}
          </p>
        ) : (
          <p className="muted">{t("procws.bids.openedAt", { at: formatDateTime(tender.opened_at, lang) })}</p>
        )}
        {d.can.open ? (
          <PostForm>
            <input type="hidden" name="intent" value="open" />
            {version}
            <SubmitButton>{t("procws.bids.open")}</SubmitButton>
          </PostForm>
        ) : d.can.openWaits ? (
          <p className="notice notice--warn">{t("procws.bids.openWaits")}</p>
        ) : null}
        {d.bids.length ? (
          <div className="table-wrap">
            <table className="data" data-testid="bid-results">
              <thead>
                <tr>
                  <th>{t("procws.bids.bidder")}</th>
                  <th className="num">{t("procws.bids.price")}</th>
                  <th className="num">{t("procws.bids.corrected")}</th>
                  <th>{t("procws.bids.admin")}</th>
                  <th>{t("procws.bids.tech")}</th>
                  <th>{t("procws.bids.priceStage")}</th>
                  <th>{t("procws.bids.qual")}</th>
                  <th className="num">{t("procws.bids.score")}</th>
                  <th className="num">{t("procws.bids.rank")}</th>
                </tr>
              </thead>
              <tbody>
                {d.bids.map((b) => (
                  <tr key={b.id} data-testid={`bid-${b.id}`}>
                    <td>
                      {b.vendor_name}
                      {b.reason ? <div className="muted">{b.reason}</div> : null}
                    </td>
                    <td className="num">{formatRupiah(b.price)}</td>
                    <td className="num">{formatRupiah(b.corrected_price)}</td>
                    <td>{verdict(b.admin_pass)}</td>
                    <td>
                      {verdict(b.tech_pass)}
                      {b.tech_score ? ` ${b.tech_score}` : ""}
                    </td>
                    <td>{verdict(b.price_pass)}</td>
                    <td>{verdict(b.qual_pass)}</td>
                    <td className="num">{b.total_score ?? "—"}</td>
                    <td className="num">{b.rank ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {d.member && tender.status === "opened" && !d.paktaSigned ? <p className="notice notice--warn">{t("procws.pakta.needed")}</p> : null}
        {d.can.evaluate
          ? d.bids.map((b) => {
              const errs = errsFor("evaluate", b.id);
              const vals = valsFor("evaluate", b.id);
              const again = failed("evaluate", b.id);
              return (
                <Panel key={b.id} summary={t("procws.eval.title", { vendor: b.vendor_name })} open={again || !b.evaluated_at} testId={`evaluate-${b.id}`}>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="evaluate" />
                    <input type="hidden" name="bid" value={b.id} />
                    <div className="grid2">
                      {(["adminPass", "techPass", "qualPass"] as const).map((f) => {
                        const current = f === "adminPass" ? b.admin_pass : f === "techPass" ? b.tech_pass : b.qual_pass;
                        return (
                          <label className="check" key={f}>
                            <input type="checkbox" name={f} defaultChecked={again ? vals[f] === "on" : current !== false} /> {t(`procws.eval.${f}`)}
                          </label>
                        );
                      })}
                    </div>
                    <div className="grid2">
                      {d.quality ? (
                        <Field name="techScore" label={t("procws.eval.techScore")} error={errs.techScore}>
                          <input id="techScore" name="techScore" inputMode="decimal" defaultValue={vals.techScore ?? b.tech_score ?? ""} {...errorProps("techScore", errs.techScore)} />
                        </Field>
                      ) : null}
                      <Field name="correctedPrice" label={t("procws.eval.correctedPrice")} error={errs.correctedPrice} help={t("procws.eval.correctedHelp", { price: formatRupiah(b.price) })}>
                        <input id="correctedPrice" name="correctedPrice" inputMode="decimal" defaultValue={vals.correctedPrice ?? b.corrected_price} {...errorProps("correctedPrice", errs.correctedPrice)} />
                      </Field>
                    </div>
                    <Field name="reason" label={t("procws.eval.reason")} error={errs.reason}>
                      <textarea id="reason" name="reason" rows={2} defaultValue={vals.reason ?? ""} />
                    </Field>
                    <SubmitButton className="button button--secondary">{t("procws.eval.save")}</SubmitButton>
                  </PostForm>
                </Panel>
              );
            })
          : null}
        <div className="actions">
          {d.can.conclude ? (
            <PostForm>
              <input type="hidden" name="intent" value="conclude" />
              {version}
              <SubmitButton>{t("procws.eval.conclude")}</SubmitButton>
            </PostForm>
          ) : null}
          {d.can.winner ? (
            <PostForm>
              <input type="hidden" name="intent" value="winner" />
              {version}
              <SubmitButton>{t("procws.winner.announce")}</SubmitButton>
            </PostForm>
          ) : null}
        </div>
        {d.winner ? (
          <p data-testid="winner">
            {t("procws.tender.winner")}: <strong>{d.winner.vendor_name}</strong> · {formatRupiah(d.winner.corrected_price)}
            {tender.sanggah_until ? ` · ${t("procws.tender.sanggahUntil")} ${formatDateTime(tender.sanggah_until, lang)}` : ""}
          </p>
        ) : null}
      </section>

      {d.questions.length || d.can.answer ? (
        <section className="card" data-testid="questions">
          <h2>{t("procws.questions.title")}</h2>
          {d.questions.length === 0 ? <p className="muted">{t("procws.questions.none")}</p> : null}
          <ol>
            {d.questions.map((q) => (
              <li key={q.id}>
                <p>{q.question}</p>
                <p className="muted">{formatDateTime(q.asked_at, lang)}</p>
                {q.answer ? (
                  <p>
                    <strong>{t("procws.questions.answer")}:</strong> {q.answer} <span className="muted">({q.answered_by})</span>
                  </p>
                ) : d.can.answer ? (
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="answer" />
                    <input type="hidden" name="question" value={q.id} />
                    <Field name={`answer-${q.id}`} label={t("procws.questions.answer")} error={errsFor("answer", q.id).answer}>
                      <textarea id={`answer-${q.id}`} name="answer" rows={2} defaultValue={valsFor("answer", q.id).answer} />
                    </Field>
                    <SubmitButton className="button button--secondary">{t("procws.questions.send")}</SubmitButton>
                  </PostForm>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {d.sanggah.length ? (
        <section className="card" data-testid="sanggah">
          <h2>{t("procws.sanggah.title")}</h2>
          <ol>
            {d.sanggah.map((s) => (
              <li key={s.id}>
                <strong>{t(s.kind === "banding" ? "procws.sanggah.banding" : "procws.sanggah.sanggah")}</strong> · {s.vendor_name} · {formatDateTime(s.submitted_at, lang)}
                <p>{s.text}</p>
                {s.answered_at ? (
                  <p>
                    <strong>{t(s.upheld ? "procws.sanggah.upheldShort" : "procws.sanggah.rejectedShort")}:</strong> {s.answer} <span className="muted">({s.answered_by})</span>
                  </p>
                ) : s.kind === "sanggah" && d.can.sanggah ? (
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="sanggah" />
                    <input type="hidden" name="sanggah" value={s.id} />
                    <Field name={`answer-${s.id}`} label={t("procws.sanggah.answerLabel")} error={errsFor("sanggah", s.id).answer}>
                      <textarea id={`answer-${s.id}`} name="answer" rows={3} defaultValue={valsFor("sanggah", s.id).answer} />
                    </Field>
                    <label className="check">
                      <input type="checkbox" name="upheld" /> {t("procws.sanggah.upheld")}
                    </label>
                    <SubmitButton className="button button--secondary">{t("procws.sanggah.send")}</SubmitButton>
                  </PostForm>
                ) : s.kind === "banding" ? (
                  <p className="muted">{t("procws.sanggah.bandingByPpk")}</p>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {d.can.reevaluate || d.can.fail || d.can.cancel ? (
        <section className="card" data-testid="close">
          <h2>{t("procws.close.title")}</h2>
          {(["reevaluate", "fail", "cancel"] as const)
            .filter((x) => d.can[x])
            .map((x) => (
              <Panel key={x} summary={t(`procws.close.${x}`)} open={failed(x)}>
                <PostForm className="form" noValidate>
                  <input type="hidden" name="intent" value={x} />
                  {version}
                  <Field name={`reason-${x}`} label={t("procws.reason")} error={errsFor(x).reason}>
                    <textarea id={`reason-${x}`} name="reason" rows={2} defaultValue={valsFor(x).reason} />
                  </Field>
                  <SubmitButton className={x === "reevaluate" ? "button button--secondary" : "button button--danger"}>{t(`procws.close.${x}`)}</SubmitButton>
                </PostForm>
              </Panel>
            ))}
        </section>
      ) : null}
    </div>
  );
}
