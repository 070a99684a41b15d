import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, requirePermission, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import {
  amendContract,
  announcePackage,
  answerSanggah,
  can,
  cancelPackage,
  closeTender,
  createTender,
  isDomainError,
  issueSppbj,
  packageView,
  signContract,
  systemClock,
  tenderActions,
  terbilang,
  terminateContract,
  vendorList,
} from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps, Panel } from "~/components/forms";
import { ScheduleTable } from "~/components/pengadaan";
import { formatDate, formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import { COMPETITIVE, CONTRACT_TYPES, EVALUATION_METHODS } from "../../domain/procurement/vocabulary";

const DOCUMENT_ROWS = 4;
const TERM_ROWS = 4;
const CLOSED = ["failed", "cancelled"];

async function load(request: Request, id: string) {
  const viewer = await guardSomewhere(request, "procure.view");
  const tenant = config().tenant;
  const db = await em();
  const view = await packageView(db, tenant, id).catch((e: unknown) => {
    if (isDomainError(e) && e.kind === "notFound") return null;
    throw e;
  });
  if (!view) throw refuse(404, "procure.package.notFound");
  requirePermission(viewer.actor, "procure.view", { tenant, opd: view.pkg.opd_code });
  return { db, view, viewer, tenant };
}

/**
 * A package for its PPK: details, DPA lines and locations; announce it in the RUP or cancel it; hand it to
 * the procurement unit as a tender (or an invitation, for pengadaan/penunjukan langsung) with its HPS,
 * evaluation, documents and schedule; follow the selection; issue the SPPBJ once the winner is named and
 * the sanggah period is over; then sign, amend or terminate the contract and answer sanggah banding.
 * Others who may see procurement in the OPD (Pokja, TAPD, auditors) read the same page without forms.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, view, viewer, tenant } = await load(request, params.id ?? "");
  const actor = viewer.actor;
  const { pkg, current } = view;
  const manages = can(actor, "procure.package.manage", { tenant, opd: pkg.opd_code });
  const live = !!current && !CLOSED.includes(current.status);
  const selects = COMPETITIVE.includes(pkg.method) || pkg.method === "pengadaan_langsung" || pkg.method === "penunjukan_langsung";
  const acts = manages && current ? tenderActions(current, actor) : [];
  const now = systemClock.now();
  const canTender = manages && pkg.status === "announced" && selects && !live;
  const direct = !COMPETITIVE.includes(pkg.method);
  return json(
    {
      ...view,
      words: terbilang(pkg.pagu),
      manages,
      can: {
        announce: manages && pkg.status === "draft",
        cancel: manages && pkg.status !== "cancelled" && !live && !view.contracts.some((c) => c.status !== "terminated"),
        tender: canTender,
        cancelTender: acts.includes("cancel"),
        sppbj: acts.includes("issueSppbj"),
        sppbjWaits: acts.includes("issueSppbj") && !!current?.sanggah_until && now <= new Date(current.sanggah_until),
      },
      direct,
      vendors: canTender && direct ? (await vendorList(db, tenant, "", now)).map((v) => ({ id: v.id, name: v.name, npwp: v.npwp, blacklisted_until: v.blacklisted_until })) : [],
    },
    { headers: viewerHeaders(viewer) },
  );
}

/** `terms.<n>.x` of the n-th filled row → the row it came from. */
function remapRows(fieldErrors: Record<string, string>, prefix: string, order: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors)) {
    const m = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`).exec(k);
    out[m ? `${prefix}.${order[Number(m[1])]}.${m[2]}` : k] ??= v;
  }
  return out;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { view, viewer, tenant } = await load(request, params.id ?? "");
  requirePermission(viewer.actor, "procure.package.manage", { tenant, opd: view.pkg.opd_code });
  const form = await readForm(request);
  const intent = field(form, "intent");
  const target = field(form, "contract") || field(form, "sanggah") || null;
  const version = Number(field(form, "version"));
  const a = viewer.actor;
  const pkgId = view.pkg.id;
  const tenderId = view.current?.id ?? "";
  let termOrder: number[] = [];
  const r = await runUseCase(request, async () => {
    const db = await em();
    switch (intent) {
      case "announce":
        return announcePackage(db, a, systemClock, pkgId, version);
      case "cancel":
        return cancelPackage(db, a, systemClock, pkgId, field(form, "reason"), version);
      case "tender": {
        const schedule: Record<string, { startsAt: string; endsAt: string }> = {};
        for (const s of view.stageNames) schedule[s] = { startsAt: field(form, `schedule.${s}.startsAt`), endsAt: field(form, `schedule.${s}.endsAt`) };
        return createTender(db, a, systemClock, pkgId, {
          hps: field(form, "hps"),
          evaluationMethod: field(form, "evaluationMethod"),
          technicalWeight: field(form, "technicalWeight") || null,
          qualification: field(form, "qualification"),
          requirements: field(form, "requirements"),
          documents: Array.from({ length: DOCUMENT_ROWS }, (_, i) => ({ title: field(form, `documents.${i}.title`), ref: field(form, `documents.${i}.ref`) })),
          schedule,
          invitedVendorId: field(form, "invitedVendorId") || null,
        });
      }
      case "cancelTender":
        return closeTender(db, a, systemClock, tenderId, "cancel", field(form, "reason"), version);
      case "sppbj":
        return issueSppbj(db, a, systemClock, tenderId, { number: field(form, "number"), date: field(form, "date") }, version);
      case "sign": {
        const rows = Array.from({ length: TERM_ROWS }, (_, i) => ({ i, description: field(form, `terms.${i}.description`), progressPercent: field(form, `terms.${i}.progressPercent`), amount: field(form, `terms.${i}.amount`) }));
        const filled = rows.filter((t) => t.description.trim() || t.amount.trim() || t.progressPercent.trim());
        termOrder = filled.map((t) => t.i);
        return signContract(
          db,
          a,
          systemClock,
          field(form, "contract"),
          {
            number: field(form, "number"),
            signedOn: field(form, "signedOn"),
            type: field(form, "type"),
            value: field(form, "value") || null,
            startDate: field(form, "startDate"),
            endDate: field(form, "endDate"),
            performanceBond: field(form, "performanceBond") || null,
            spmkNumber: field(form, "spmkNumber") || null,
            spmkDate: field(form, "spmkDate") || null,
            terms: filled.map(({ description, progressPercent, amount }) => ({ description, progressPercent, amount })),
          },
          version,
        );
      }
      case "amend":
        return amendContract(
          db,
          a,
          systemClock,
          field(form, "contract"),
          { reason: field(form, "reason"), signedOn: field(form, "signedOn"), newValue: field(form, "newValue") || null, newEndDate: field(form, "newEndDate") || null, scope: field(form, "scope") },
          version,
        );
      case "terminate":
        return terminateContract(db, a, systemClock, field(form, "contract"), field(form, "reason"), version);
      case "banding":
        return answerSanggah(db, a, systemClock, tenderId, field(form, "sanggah"), { answer: field(form, "answer"), upheld: form.get("upheld") === "on" });
      default:
        throw new Response("unknown intent", { status: 400 });
    }
  });
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
    const fieldErrors = intent === "sign" ? remapRows(data.fieldErrors, "terms", termOrder) : data.fieldErrors;
    return json({ ok: false, intent, target, message: data.message, fieldErrors, values }, { status: r.response.status });
  }
  const t = tFor(request);
  const message = intent === "announce" ? t("procws.pkg.announced", { kode: String(r.value) }) : intent === "tender" ? t("procws.tender.created") : t("mus.forum.saved");
  return json({ ok: true, intent, target, message, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

type Result = { ok: boolean; intent: string; target: string | null; message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;


export default function PackagePage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const lang = useLang();
  const { pkg, current } = d;
  const failed = (intent: string, target: string | null = null) => !!result && !result.ok && result.intent === intent && (target === null || result.target === target);
  const errsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.fieldErrors : {});
  const valsFor = (intent: string, target: string | null = null) => (failed(intent, target) ? result!.values : {});
  return (
    <div className="doc">
      <p className="breadcrumb">
        {d.manages ? (
          <>
            <Link to={`/procure?opd=${encodeURIComponent(pkg.opd_code)}&tahun=${pkg.fiscal_year}`}>{t("ws.procurement.title")}</Link> ·{" "}
          </>
        ) : null}
        {pkg.opd_name} · {pkg.fiscal_year}
      </p>
      <h1 data-testid="workspace-title">{pkg.name}</h1>
      <p>
        <span className={`badge ${pkg.status === "announced" ? "badge--ok" : pkg.status === "cancelled" ? "badge--muted" : "badge--info"}`} data-testid="package-status">
          {t(`procure.packageStatus.${pkg.status}`)}
        </span>{" "}
        {pkg.kode_rup ? (
          <span>
            · {t("procws.col.kodeRup")} <strong data-testid="kode-rup">{pkg.kode_rup}</strong>
          </span>
        ) : null}
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      <section className="card">
        <h2>{t("procws.pkg.details")}</h2>
        <dl className="kv">
          <dt>{t("procws.col.pagu")}</dt>
          <dd>
            <strong>{formatRupiah(pkg.pagu)}</strong> <em>({d.words})</em>
          </dd>
          <dt>{t("procws.f.type")}</dt>
          <dd>
            {t(`procure.type.${pkg.type}`)}
            {pkg.swakelola_type ? ` · ${t(`procws.swakelola.${pkg.swakelola_type}`)}` : ""}
          </dd>
          <dt>{t("procws.f.kind")}</dt>
          <dd>{t(`procure.kind.${pkg.kind}`)}</dd>
          <dt>{t("procws.f.method")}</dt>
          <dd>{t(`procure.method.${pkg.method}`)}</dd>
          <dt>{t("procws.f.volume")}</dt>
          <dd>{pkg.volume || "—"}</dd>
          <dt>{t("procws.f.description")}</dt>
          <dd>{pkg.description || "—"}</dd>
          <dt>{t("procws.pkg.flags")}</dt>
          <dd>
            {pkg.pdn ? t("procws.f.pdn") : t("procws.pkg.notPdn")}
            {pkg.umk ? ` · ${t("procws.f.umk")}` : ""}
          </dd>
          <dt>{t("procws.pkg.selection")}</dt>
          <dd>
            {pkg.selection_start ?? "…"} – {pkg.selection_end ?? "…"}
          </dd>
          <dt>{t("procws.pkg.execution")}</dt>
          <dd>
            {pkg.execution_start ?? "…"} – {pkg.execution_end ?? "…"}
          </dd>
          <dt>{t("procws.pkg.ppk")}</dt>
          <dd>{pkg.ppk_name}</dd>
          <dt>{t("procws.pkg.plannedOn")}</dt>
          <dd>{pkg.planned_on}</dd>
          {pkg.announced_at ? (
            <>
              <dt>{t("procws.pkg.announcedAt")}</dt>
              <dd>{formatDateTime(pkg.announced_at, lang)}</dd>
            </>
          ) : null}
          {pkg.cancel_reason ? (
            <>
              <dt>{t("procws.pkg.cancelReason")}</dt>
              <dd>{pkg.cancel_reason}</dd>
            </>
          ) : null}
          <dt>{t("procws.f.locations")}</dt>
          <dd>{d.locations.length ? d.locations.map((l) => `${l.name ?? l.region_code}${l.detail ? ` (${l.detail})` : ""}`).join("; ") : "—"}</dd>
        </dl>
        <h3>{t("procws.pkg.lines", { n: d.lines.length })}</h3>
        <div className="table-wrap">
          <table className="data" data-testid="package-lines">
            <thead>
              <tr>
                <th>{t("procws.lines.account")}</th>
                <th className="num">{t("procws.lines.dpa")}</th>
                <th className="num">{t("procws.lines.taken")}</th>
              </tr>
            </thead>
            <tbody>
              {d.lines.map((l) => (
                <tr key={l.line_key}>
                  <td>
                    <div className="muted">
                      {l.sub_code} {l.sub_name}
                    </div>
                    {l.account_code} · {l.description} <span className="muted">· {l.funding_source}</span>
                  </td>
                  <td className="num">{formatRupiah(l.line_amount)}</td>
                  <td className="num">{formatRupiah(l.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="actions">
          {d.can.announce ? (
            <PostForm>
              <input type="hidden" name="intent" value="announce" />
              <input type="hidden" name="version" value={pkg.version} />
              <SubmitButton>{t("procws.pkg.announce")}</SubmitButton>
            </PostForm>
          ) : null}
        </div>
        {d.can.cancel ? (
          <Panel summary={t("procws.pkg.cancel")} open={failed("cancel")}>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="version" value={pkg.version} />
              <Field name="reason" label={t("procws.reason")} error={errsFor("cancel").reason}>
                <textarea id="reason" name="reason" rows={2} defaultValue={valsFor("cancel").reason} />
              </Field>
              <SubmitButton className="button button--danger">{t("procws.pkg.cancel")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}
      </section>

      <section className="card" data-testid="selection">
        <h2>{t("procws.tender.title")}</h2>
        {current ? (
          <>
            <p>
              <Link to={`/procure/tender/${current.id}`} data-testid="tender-link">
                {t(`procure.method.${current.method}`)} {current.code}
              </Link>{" "}
              <span className="badge badge--info" data-testid="tender-status">
                {t(`procure.tenderStatus.${current.status}`)}
              </span>
              {current.attempt > 1 ? <span className="muted"> · {t("procws.attempt", { n: current.attempt })}</span> : null}
            </p>
            <dl className="kv">
              <dt>HPS</dt>
              <dd>{formatRupiah(current.hps)}</dd>
              <dt>{t("procws.tender.evaluation")}</dt>
              <dd>{t(`procure.evaluation.${current.evaluation_method}`)}</dd>
              {current.invited_name ? (
                <>
                  <dt>{t("procws.tender.invited")}</dt>
                  <dd>{current.invited_name}</dd>
                </>
              ) : null}
              <dt>{t("procws.tender.deadline")}</dt>
              <dd>{current.bid_deadline ? formatDateTime(current.bid_deadline, lang) : "—"}</dd>
              {current.winner_name ? (
                <>
                  <dt>{t("procws.tender.winner")}</dt>
                  <dd>
                    {current.winner_name} · {formatRupiah(current.winner_price ?? "0")}
                  </dd>
                </>
              ) : null}
              {current.sanggah_until ? (
                <>
                  <dt>{t("procws.tender.sanggahUntil")}</dt>
                  <dd>{formatDateTime(current.sanggah_until, lang)}</dd>
                </>
              ) : null}
              {current.failure_reason ? (
                <>
                  <dt>{t("procws.reason")}</dt>
                  <dd>{current.failure_reason}</dd>
                </>
              ) : null}
            </dl>
            {d.stages.length ? <ScheduleTable stages={d.stages} /> : null}
            {d.tenders.length > 1 ? (
              <p className="muted">
                {t("procws.tender.earlier")}:{" "}
                {d.tenders.slice(1).map((x, i) => (
                  <span key={x.id}>
                    {i > 0 ? "; " : ""}
                    <Link to={`/procure/tender/${x.id}`}>{x.code}</Link> ({t(`procure.tenderStatus.${x.status}`)}
                    {x.failure_reason ? `: ${x.failure_reason}` : ""})
                  </span>
                ))}
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">{t("procws.tender.none")}</p>
        )}

        {d.can.sppbj ? (
          <Panel summary={t("procws.sppbj.title")} open={failed("sppbj") || !d.can.sppbjWaits} testId="sppbj">
            {d.can.sppbjWaits ? <p className="notice notice--warn">{t("procws.sppbj.waits", { until: formatDateTime(current!.sanggah_until!, lang) })}</p> : null}
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="sppbj" />
              <input type="hidden" name="version" value={current!.version} />
              <div className="grid2">
                <Field name="number" label={t("procws.sppbj.number")} error={errsFor("sppbj").number}>
                  <input id="number" name="number" defaultValue={valsFor("sppbj").number} {...errorProps("number", errsFor("sppbj").number)} />
                </Field>
                <Field name="date" label={t("procws.sppbj.date")} error={errsFor("sppbj").date}>
                  <input id="date" name="date" type="date" defaultValue={valsFor("sppbj").date} {...errorProps("date", errsFor("sppbj").date)} />
                </Field>
              </div>
              <SubmitButton>{t("procws.sppbj.issue")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}

        {d.manages
          ? d.sanggah
              .filter((s) => s.kind === "banding" && !s.answered_at)
              .map((s) => (
                <Panel key={s.id} summary={t("procws.banding.answer", { vendor: s.vendor_name })} open testId="banding">
                  <blockquote>{s.text}</blockquote>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="banding" />
                    <input type="hidden" name="sanggah" value={s.id} />
                    <Field name="answer" label={t("procws.sanggah.answerLabel")} error={errsFor("banding", s.id).answer}>
                      <textarea id="answer" name="answer" rows={3} defaultValue={valsFor("banding", s.id).answer} />
                    </Field>
                    <label className="check">
                      <input type="checkbox" name="upheld" /> {t("procws.sanggah.upheld")}
                    </label>
                    <SubmitButton>{t("procws.sanggah.send")}</SubmitButton>
                  </PostForm>
                </Panel>
              ))
          : null}

        {d.can.cancelTender ? (
          <Panel summary={t("procws.tender.cancel")} open={failed("cancelTender")}>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="cancelTender" />
              <input type="hidden" name="version" value={current!.version} />
              <Field name="reason" label={t("procws.reason")} error={errsFor("cancelTender").reason}>
                <textarea id="reason" name="reason" rows={2} defaultValue={valsFor("cancelTender").reason} />
              </Field>
              <SubmitButton className="button button--danger">{t("procws.tender.cancel")}</SubmitButton>
            </PostForm>
          </Panel>
        ) : null}

        {d.can.tender ? <TenderForm stages={d.stageNames} direct={d.direct} vendors={d.vendors} errs={errsFor("tender")} vals={valsFor("tender")} open={failed("tender") || !current} /> : null}
      </section>

      {d.contracts.map((c) => {
        const errs = (intent: string) => errsFor(intent, c.id);
        const vals = (intent: string) => valsFor(intent, c.id);
        return (
          <section className="card" key={c.id} data-testid={`contract-${c.id}`}>
            <h2>
              {t("procws.contract.title")} {c.number ?? ""}{" "}
              <span className="badge badge--info" data-testid="contract-status">
                {t(`procure.contractStatus.${c.status}`)}
              </span>
            </h2>
            <p>
              <Link to={`/procure/kontrak/${c.id}/cetak`}>{t("procws.contract.print")}</Link>
              {c.status !== "sppbj" ? (
                <>
                  {" · "}
                  <Link to={`/procure/kontrak/${c.id}`}>{t("kontrak.link.monitoring")}</Link>
                </>
              ) : null}
            </p>
            <dl className="kv">
              <dt>{t("procws.contract.vendor")}</dt>
              <dd>{c.vendor_name}</dd>
              <dt>SPPBJ</dt>
              <dd>
                {c.sppbj_number} · {formatDate(c.sppbj_date, lang)}
              </dd>
              <dt>{t("procws.contract.value")}</dt>
              <dd>
                <strong>{formatRupiah(c.value)}</strong>
                {c.value !== c.original_value ? <span className="muted"> ({t("procws.contract.original", { value: formatRupiah(c.original_value) })})</span> : null}
              </dd>
              {c.signed_on ? (
                <>
                  <dt>{t("procws.contract.signedOn")}</dt>
                  <dd>{formatDate(c.signed_on, lang)}</dd>
                  <dt>{t("procws.contract.type")}</dt>
                  <dd>{t(`procure.contractType.${c.type}`)}</dd>
                  <dt>{t("procws.contract.period")}</dt>
                  <dd>
                    {c.start_date} – {c.end_date}
                  </dd>
                </>
              ) : null}
              {c.performance_bond ? (
                <>
                  <dt>{t("procws.contract.bond")}</dt>
                  <dd>{formatRupiah(c.performance_bond)}</dd>
                </>
              ) : null}
              {c.spmk_number ? (
                <>
                  <dt>SPMK</dt>
                  <dd>
                    {c.spmk_number} {c.spmk_date ? `· ${formatDate(c.spmk_date, lang)}` : ""}
                  </dd>
                </>
              ) : null}
              {c.termination_reason ? (
                <>
                  <dt>{t("procws.contract.terminationReason")}</dt>
                  <dd>{c.termination_reason}</dd>
                </>
              ) : null}
            </dl>
            {c.terms.length ? (
              <>
                <h3>{t("procws.contract.terms")}</h3>
                <div className="table-wrap">
                  <table className="data">
                    <tbody>
                      {c.terms.map((x) => (
                        <tr key={x.no}>
                          <td>{x.no}</td>
                          <td>{x.description}</td>
                          <td className="num">{x.progress_percent}%</td>
                          <td className="num">{formatRupiah(x.amount)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : null}
            {c.amendments.length ? (
              <>
                <h3>{t("procws.contract.amendments")}</h3>
                <ol data-testid="amendments">
                  {c.amendments.map((x) => (
                    <li key={x.no}>
                      <strong>{t("procws.contract.amendmentNo", { n: x.no })}</strong> · {formatDate(x.signed_on, lang)} · {x.reason}
                      <div className="muted">
                        {x.value_before !== x.value_after ? `${formatRupiah(x.value_before)} → ${formatRupiah(x.value_after)}` : ""}
                        {x.end_before !== x.end_after ? ` · ${x.end_before ?? "…"} → ${x.end_after ?? "…"}` : ""}
                        {x.scope ? ` · ${x.scope}` : ""}
                      </div>
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            {d.manages && c.status === "sppbj" ? (
              <Panel summary={t("procws.contract.sign")} open testId="sign-contract">
                <PostForm className="form" noValidate>
                  <input type="hidden" name="intent" value="sign" />
                  <input type="hidden" name="contract" value={c.id} />
                  <input type="hidden" name="version" value={c.version} />
                  <div className="grid2">
                    <Field name="number" label={t("procws.contract.number")} error={errs("sign").number}>
                      <input id="number" name="number" defaultValue={vals("sign").number} {...errorProps("number", errs("sign").number)} />
                    </Field>
                    <Field name="signedOn" label={t("procws.contract.signedOn")} error={errs("sign").signedOn}>
                      <input id="signedOn" name="signedOn" type="date" defaultValue={vals("sign").signedOn} {...errorProps("signedOn", errs("sign").signedOn)} />
                    </Field>
                    <Field name="type" label={t("procws.contract.type")} error={errs("sign").type}>
                      <select id="type" name="type" defaultValue={vals("sign").type ?? c.type}>
                        {CONTRACT_TYPES.map((x) => (
                          <option key={x} value={x}>
                            {t(`procure.contractType.${x}`)}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <Field name="value" label={t("procws.contract.value")} error={errs("sign").value} help={t("procws.contract.valueHelp", { value: formatRupiah(c.value) })}>
                      <input id="value" name="value" inputMode="decimal" defaultValue={vals("sign").value ?? c.value} {...errorProps("value", errs("sign").value)} />
                    </Field>
                    <Field name="startDate" label={t("procws.contract.start")} error={errs("sign").startDate}>
                      <input id="startDate" name="startDate" type="date" defaultValue={vals("sign").startDate ?? d.pkg.execution_start ?? ""} {...errorProps("startDate", errs("sign").startDate)} />
                    </Field>
                    <Field name="endDate" label={t("procws.contract.end")} error={errs("sign").endDate}>
                      <input id="endDate" name="endDate" type="date" defaultValue={vals("sign").endDate ?? d.pkg.execution_end ?? ""} {...errorProps("endDate", errs("sign").endDate)} />
                    </Field>
                    <Field name="performanceBond" label={t("procws.contract.bond")} error={errs("sign").performanceBond}>
                      <input id="performanceBond" name="performanceBond" inputMode="decimal" defaultValue={vals("sign").performanceBond} />
                    </Field>
                    <Field name="spmkNumber" label={t("procws.contract.spmkNumber")}>
                      <input id="spmkNumber" name="spmkNumber" defaultValue={vals("sign").spmkNumber} />
                    </Field>
                    <Field name="spmkDate" label={t("procws.contract.spmkDate")} error={errs("sign").spmkDate}>
                      <input id="spmkDate" name="spmkDate" type="date" defaultValue={vals("sign").spmkDate} />
                    </Field>
                  </div>
                  <fieldset>
                    <legend>{t("procws.contract.terms")}</legend>
                    <p className="field__help">{t("procws.contract.termsHelp")}</p>
                    {errs("sign").terms ? (
                      <p className="field__error" role="alert">
                        {errs("sign").terms}
                      </p>
                    ) : null}
                    {Array.from({ length: TERM_ROWS }, (_, i) => (
                      <div className="grid2" key={i}>
                        {(["description", "progressPercent", "amount"] as const).map((f) => {
                          const name = `terms.${i}.${f}`;
                          return (
                            <Field key={f} name={name} label={t(`procws.contract.term.${f}`, { n: i + 1 })} error={errs("sign")[name]}>
                              <input id={name} name={name} inputMode={f === "description" ? undefined : "decimal"} defaultValue={vals("sign")[name]} {...errorProps(name, errs("sign")[name])} />
                            </Field>
                          );
                        })}
                      </div>
                    ))}
                  </fieldset>
                  <SubmitButton>{t("procws.contract.sign")}</SubmitButton>
                </PostForm>
              </Panel>
            ) : null}
            {d.manages && c.status === "signed" ? (
              <>
                <Panel summary={t("procws.contract.amend")} open={failed("amend", c.id)} testId="amend-contract">
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="amend" />
                    <input type="hidden" name="contract" value={c.id} />
                    <input type="hidden" name="version" value={c.version} />
                    <Field name="reason" label={t("procws.reason")} error={errs("amend").reason}>
                      <textarea id="reason" name="reason" rows={2} defaultValue={vals("amend").reason} />
                    </Field>
                    <div className="grid2">
                      <Field name="signedOn" label={t("procws.contract.amendSignedOn")} error={errs("amend").signedOn}>
                        <input id="signedOn" name="signedOn" type="date" defaultValue={vals("amend").signedOn} {...errorProps("signedOn", errs("amend").signedOn)} />
                      </Field>
                      <Field name="newValue" label={t("procws.contract.newValue")} error={errs("amend").newValue}>
                        <input id="newValue" name="newValue" inputMode="decimal" defaultValue={vals("amend").newValue} {...errorProps("newValue", errs("amend").newValue)} />
                      </Field>
                      <Field name="newEndDate" label={t("procws.contract.newEndDate")} error={errs("amend").newEndDate}>
                        <input id="newEndDate" name="newEndDate" type="date" defaultValue={vals("amend").newEndDate} />
                      </Field>
                    </div>
                    <Field name="scope" label={t("procws.contract.scope")}>
                      <textarea id="scope" name="scope" rows={2} defaultValue={vals("amend").scope} />
                    </Field>
                    <SubmitButton>{t("procws.contract.amend")}</SubmitButton>
                  </PostForm>
                </Panel>
                <Panel summary={t("procws.contract.terminate")} open={failed("terminate", c.id)}>
                  <PostForm className="form" noValidate>
                    <input type="hidden" name="intent" value="terminate" />
                    <input type="hidden" name="contract" value={c.id} />
                    <input type="hidden" name="version" value={c.version} />
                    <Field name="reason" label={t("procws.reason")} error={errs("terminate").reason}>
                      <textarea id="reason" name="reason" rows={2} defaultValue={vals("terminate").reason} />
                    </Field>
                    <SubmitButton className="button button--danger">{t("procws.contract.terminate")}</SubmitButton>
                  </PostForm>
                </Panel>
              </>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

/** The PPK's hand-over to the procurement unit: HPS, evaluation, qualification, documents, the schedule per stage (WIB) and, for direct methods, the vendor invited. */
function TenderForm({ stages, direct, vendors, errs, vals, open }: { stages: string[]; direct: boolean; vendors: { id: string; name: string; npwp: string; blacklisted_until: string | null }[]; errs: Record<string, string>; vals: Record<string, string>; open: boolean }) {
  const t = useT();
  return (
    <Panel summary={t(direct ? "procws.tender.createDirect" : "procws.tender.create")} open={open} testId="create-tender">
      <PostForm className="form" noValidate>
        <input type="hidden" name="intent" value="tender" />
        <div className="grid2">
          <Field name="hps" label={t("procws.tender.hps")} error={errs.hps}>
            <input id="hps" name="hps" inputMode="decimal" defaultValue={vals.hps} {...errorProps("hps", errs.hps)} />
          </Field>
          <Field name="evaluationMethod" label={t("procws.tender.evaluation")} error={errs.evaluationMethod}>
            <select id="evaluationMethod" name="evaluationMethod" defaultValue={vals.evaluationMethod ?? "harga_terendah"}>
              {EVALUATION_METHODS.map((x) => (
                <option key={x} value={x}>
                  {t(`procure.evaluation.${x}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field name="technicalWeight" label={t("procws.tender.technicalWeight")} error={errs.technicalWeight} help={t("procws.tender.technicalWeightHelp")}>
            <input id="technicalWeight" name="technicalWeight" inputMode="decimal" defaultValue={vals.technicalWeight} {...errorProps("technicalWeight", errs.technicalWeight)} />
          </Field>
          <Field name="qualification" label={t("procws.tender.qualification")} error={errs.qualification}>
            <select id="qualification" name="qualification" defaultValue={vals.qualification ?? "pasca"}>
              <option value="pasca">{t("procws.tender.pasca")}</option>
              <option value="pra">{t("procws.tender.pra")}</option>
            </select>
          </Field>
        </div>
        {direct ? (
          <Field name="invitedVendorId" label={t("procws.tender.invited")} error={errs.invitedVendorId} help={t("procws.tender.invitedHelp")}>
            <select id="invitedVendorId" name="invitedVendorId" defaultValue={vals.invitedVendorId ?? ""} {...errorProps("invitedVendorId", errs.invitedVendorId)}>
              <option value="">—</option>
              {vendors.map((v) => (
                <option key={v.id} value={v.id} disabled={!!v.blacklisted_until}>
                  {v.name} · {v.npwp}
                  {v.blacklisted_until ? ` (${t("procws.vendors.blacklistedUntil", { until: v.blacklisted_until })})` : ""}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field name="requirements" label={t("procws.tender.requirements")} error={errs.requirements}>
          <textarea id="requirements" name="requirements" rows={3} defaultValue={vals.requirements} />
        </Field>
        <fieldset>
          <legend>{t("procws.tender.documents")}</legend>
          {Array.from({ length: DOCUMENT_ROWS }, (_, i) => (
            <div className="grid2" key={i}>
              <Field name={`documents.${i}.title`} label={t("procws.tender.docTitle", { n: i + 1 })}>
                <input id={`documents.${i}.title`} name={`documents.${i}.title`} defaultValue={vals[`documents.${i}.title`]} />
              </Field>
              <Field name={`documents.${i}.ref`} label={t("procws.tender.docRef")}>
                <input id={`documents.${i}.ref`} name={`documents.${i}.ref`} defaultValue={vals[`documents.${i}.ref`]} />
              </Field>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("procws.tender.schedule")}</legend>
          <p className="field__help">{t("procws.tender.scheduleHelp")}</p>
          {stages.map((s) => {
            const rowErr = errs[`schedule.${s}`];
            return (
              <div key={s}>
                <strong>{t(`procure.stage.${s}`)}</strong>
                {rowErr ? (
                  <p className="field__error" role="alert">
                    {rowErr}
                  </p>
                ) : null}
                <div className="grid2">
                  {(["startsAt", "endsAt"] as const).map((f) => {
                    const name = `schedule.${s}.${f}`;
                    return (
                      <Field key={f} name={name} label={t(`procws.tender.${f}`)} error={errs[name]}>
                        <input id={name} name={name} type="datetime-local" defaultValue={vals[name]} {...errorProps(name, errs[name])} />
                      </Field>
                    );
                  })}
                </div>
              </div>
            );
          })}
        </fieldset>
        <SubmitButton>{t("procws.tender.submit")}</SubmitButton>
      </PostForm>
    </Panel>
  );
}
