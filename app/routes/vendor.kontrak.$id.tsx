import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { flashCookie } from "~/flash.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, files, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { systemClock, vendorContract } from "~/domain.server";
import { contractMonitoring, contractPhotos, latestItemProgress, processPhotos, submitReport, wibDate, type ReportPhoto } from "~/monev-kontrak.server";
import { PHOTO_MILESTONES } from "../../domain/monev/vocabulary";
import { ContractDetails } from "~/components/pengadaan";
import { Field, FormMessage, PostForm, errorProps } from "~/components/forms";
import { CriticalBadge, ProgressPhotos, ReportStatusBadge } from "~/components/monev-kontrak";
import { KurvaSChart, KurvaSTable, kurvaSLabels } from "~/components/kurva-s";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.package.name} — Kontrak — Jejak` : "Kontrak — Jejak" }];

/** A report holds at most 10 photos of 5 MB (the domain's limit), and the form. */
const MAX_UPLOAD = 10 * 5 * 1024 * 1024 + 256 * 1024;

async function load(request: Request, id: string) {
  const viewer = await guardSomewhere(request, "workspace.vendor");
  const db = await em();
  // The domain refuses another vendor's contract (403) before anything of it is read.
  const r = await runUseCase(request, async () => vendorContract(db, viewer.actor, id));
  if (!r.ok) throw r.response;
  return { viewer, db, view: r.value };
}

/**
 * /vendor/kontrak/<id>: the contractor's own contract — SPPBJ, contract, amendments and payment terms —
 * and its progress: the kurva S against the reports, and the form to report a period (cumulative progress
 * per work item, problems and actions, photos tagged 0%/50%/100%/periodic), phone first. Another vendor's
 * contract is refused with 403 (the domain checks the vendor, not this page).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, db, view } = await load(request, params.id ?? "");
  const tenant = config().tenant;
  const monitoring = await contractMonitoring(db, tenant, params.id!);
  const photos = await contractPhotos(db, tenant, params.id!);
  const prefill = await latestItemProgress(db, params.id!);
  const today = wibDate(systemClock.now());
  // Periods that may be reported now: started, after the last submitted or verified one (a draft or returned report is edited).
  const reports = monitoring?.reports ?? [];
  const lastFixed = Math.max(0, ...reports.filter((r) => r.status === "submitted" || r.status === "verified").map((r) => r.period_no));
  const open = (monitoring?.series ?? []).filter((p) => p.start <= today && p.no > lastFixed).map((p) => ({ no: p.no, start: p.start, end: p.end }));
  const editable = reports.find((r) => r.status === "draft" || r.status === "returned") ?? null;
  return json({ view, monitoring, photos, prefill, open, editable }, { headers: viewerHeaders(viewer) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, db } = await load(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const t = tFor(request);
  const itemNos = [...form.keys()].filter((k) => /^item\.\d+$/.test(k)).map((k) => Number(k.slice(5)));
  const r = await runUseCase(request, async () => {
    const photos: ReportPhoto[] = [];
    for (const m of PHOTO_MILESTONES) for (const p of await processPhotos(await files(form, `photos.${m}`))) photos.push({ ...p, milestone: m });
    const version = field(form, "version");
    return submitReport(
      db,
      viewer.actor,
      systemClock,
      params.id!,
      {
        periodNo: field(form, "periodNo"),
        items: itemNos.map((no) => ({ no, physical: field(form, `item.${no}`) })),
        problems: field(form, "problems"),
        actions: field(form, "actions"),
        correctionReason: field(form, "correctionReason"),
        photos,
        submit: field(form, "intent") === "submit",
      },
      version ? Number(version) : undefined,
    );
  });
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
    return json({ message: data.message, fieldErrors: data.fieldErrors, values }, { status: r.response.status });
  }
  const message = field(form, "intent") === "submit" ? t("kontrak.report.submitted") : t("kontrak.report.saved");
  return redirect(`/vendor/kontrak/${params.id}`, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message }) } });
}

export default function VendorContract() {
  const { view, monitoring, photos, prefill, open, editable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;
  const t = useT();
  const lang = useLang();
  const p = view.package;
  const errs = result?.fieldErrors ?? {};
  const vals = result?.values ?? {};
  const m = monitoring;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/vendor">{t("ws.vendor.title")}</Link> › <Link to={`/pengadaan/${p.id}`}>{t("pengadaan.vendor.publicPage")}</Link>
      </p>
      <h1>{p.name}</h1>
      <p className="muted">
        {p.kodeRup ? `RUP ${p.kodeRup} · ` : ""}
        {p.year} · {p.opd} · {t(`procure.kind.${p.kind}`)} · {t(`procure.method.${p.method}`)}
      </p>

      {m ? (
        <section className="card" data-testid="progress">
          <h2>{t("kontrak.progress.title")}</h2>
          {!m.plan ? (
            <p className="muted">{t("kontrak.progress.noSchedule")}</p>
          ) : (
            <>
              <p>
                {m.latest ? t("kontrak.progress.latest", { period: m.latest.period_no, actual: m.latest.physical, planned: m.latest.planned, deviation: m.latest.deviation }) : t("kontrak.progress.none")}{" "}
                <CriticalBadge verdict={m.verdict} caseStatus={m.openCase?.status} />
              </p>
              <p>{t("kontrak.financial.summary", { paid: m.financial.paid, percent: m.financial.percent })}</p>
              <KurvaSChart series={m.series} labels={kurvaSLabels(t)} />
              <KurvaSTable series={m.series} labels={kurvaSLabels(t)} lang={lang} status={{ heading: t("kontrak.col.status"), cell: (p) => (p.status ? <ReportStatusBadge status={p.status} /> : "–") }} />
            </>
          )}
        </section>
      ) : null}

      {m?.plan && open.length ? (
        <section className="card" data-testid="report-form">
          <h2>{t("kontrak.report.title")}</h2>
          {editable?.status === "returned" ? (
            <div className="notice notice--warn" role="status" data-testid="returned-note">
              {t("kontrak.report.returnedNote", { period: editable.period_no, note: editable.note })}
            </div>
          ) : null}
          <FormMessage message={result?.message} />
          <PostForm className="form" encType="multipart/form-data" noValidate>
            {editable ? <input type="hidden" name="version" value={editable.version} /> : null}
            <Field name="periodNo" label={t("kontrak.report.period")} error={errs.periodNo}>
              <select id="periodNo" name="periodNo" defaultValue={vals.periodNo ?? String(editable?.period_no ?? open[open.length - 1].no)} {...errorProps("periodNo", errs.periodNo)}>
                {open.map((o) => (
                  <option key={o.no} value={o.no}>
                    {t("kontrak.col.period")} {o.no} ({o.start} – {o.end})
                  </option>
                ))}
              </select>
            </Field>
            <fieldset>
              <legend>{t("kontrak.report.items")}</legend>
              {m.items.map((it) => (
                <Field key={it.no} name={`item.${it.no}`} label={`${it.no}. ${it.division ? `${it.division} — ` : ""}${it.name} (${t("kontrak.report.weight", { weight: it.weight })})`} error={errs[`items.${it.no}`]}>
                  <input
                    id={`item.${it.no}`}
                    name={`item.${it.no}`}
                    inputMode="decimal"
                    defaultValue={vals[`item.${it.no}`] ?? prefill[it.no] ?? "0"}
                    {...errorProps(`item.${it.no}`, errs[`items.${it.no}`])}
                  />
                </Field>
              ))}
            </fieldset>
            <Field name="problems" label={t("kontrak.report.problems")} error={errs.problems}>
              <textarea id="problems" name="problems" rows={3} defaultValue={vals.problems ?? ""} />
            </Field>
            <Field name="actions" label={t("kontrak.report.actions")} error={errs.actions}>
              <textarea id="actions" name="actions" rows={3} defaultValue={vals.actions ?? ""} />
            </Field>
            <Field name="correctionReason" label={t("kontrak.report.correctionReason")} help={t("kontrak.report.correctionHelp")} error={errs.correctionReason}>
              <textarea id="correctionReason" name="correctionReason" rows={2} defaultValue={vals.correctionReason ?? ""} {...errorProps("correctionReason", errs.correctionReason)} />
            </Field>
            <fieldset>
              <legend>{t("kontrak.report.photos")}</legend>
              {PHOTO_MILESTONES.map((ms) => (
                <Field key={ms} name={`photos.${ms}`} label={t(`kontrak.milestone.${ms}`)} error={ms === "periodic" ? errs.photos : undefined}>
                  <input id={`photos.${ms}`} name={`photos.${ms}`} type="file" accept="image/jpeg,image/png,image/webp" multiple />
                </Field>
              ))}
            </fieldset>
            <div className="actions">
              <button type="submit" name="intent" value="save" className="button button--secondary">
                {t("kontrak.report.save")}
              </button>
              <button type="submit" name="intent" value="submit" className="button">
                {t("kontrak.report.submit")}
              </button>
            </div>
          </PostForm>
        </section>
      ) : null}

      {m && m.reports.length ? (
        <section className="card" data-testid="reports">
          <h2>{t("kontrak.reports.title")}</h2>
          <ul>
            {m.reports.map((r) => (
              <li key={r.id}>
                {t("kontrak.col.period")} {r.period_no}: {r.physical}% ({t("kontrak.col.planned").toLowerCase()} {r.planned}%) <ReportStatusBadge status={r.status} />
                {r.note ? <div className="muted">{r.note}</div> : null}
                {r.correction_reason ? <div className="muted">{t("kontrak.report.correction", { reason: r.correction_reason })}</div> : null}
              </li>
            ))}
          </ul>
          <h3>{t("kontrak.photos.title")}</h3>
          <ProgressPhotos photos={photos} />
        </section>
      ) : null}

      <section className="card">
        <h2>{t("pengadaan.section.contract")}</h2>
        <ContractDetails contract={view.contract} />
      </section>
    </>
  );
}
