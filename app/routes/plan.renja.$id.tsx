import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, files, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import {
  FUNDING_SOURCES,
  addSubActivity,
  can,
  diffVersions,
  importRenjaSheet,
  moveRenja,
  removeSubActivity,
  renjaDetail,
  renjaOptions,
  renjaVersions,
  systemClock,
  updateSubActivity,
} from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";
import { SubActivityRow } from "~/components/sub-activity-row";
import { ImportErrors } from "~/components/import-errors";
import { RenjaHistory, SubActivityEdit } from "~/components/renja";
import { Fragment } from "react";

async function load(request: Request, id: string) {
  const db = await em();
  const detail = await renjaDetail(db, id).catch(() => null);
  if (!detail) throw refuse(404, "planning.renjaNotFound");
  const viewer = await guard(request, "workspace.opd", { opd: detail.renja.opd_code });
  return { db, detail, viewer };
}

/** An OPD's Renja: its sub-activities within the indicative ceiling, the proposals they take up, and its lifecycle. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, detail, viewer } = await load(request, params.id ?? "");
  const a = viewer.actor;
  const edits = detail.renja.status !== "final" && (a.hasRole("bappeda_planner") || a.assignments.some((x) => x.role === "opd_officer" && x.scope.code === detail.renja.opd_code));
  const options = edits ? await renjaOptions(db, config().tenant, detail.renja) : { subs: [], proposals: [] };
  const versions = await renjaVersions(db, detail.renja.id);
  // What changed: the draft against the last adoption while a revision is open, else the last two adoptions.
  const current = detail.subs.map((s) => ({
    code: s.sub_kegiatan_code,
    name: s.name,
    indicator: s.indicator,
    target: s.target,
    unit: s.unit,
    locations: s.locations,
    ceiling: s.ceiling,
    fundingSource: s.funding_source,
    proposals: s.proposals.map((p) => p.code),
  }));
  const last = versions.at(-1);
  const diff =
    detail.renja.status !== "final" && last
      ? { from: last.revision, to: null, ...diffVersions(last.snapshot, current) }
      : versions.length > 1
        ? { from: versions.at(-2)!.revision, to: last!.revision, ...diffVersions(versions.at(-2)!.snapshot, last!.snapshot) }
        : null;
  const planner = can(a, "workspace.planning", { tenant: config().tenant });
  return json(
    {
      ...detail,
      options,
      edits,
      canAdopt: detail.renja.status === "rancangan" && planner,
      canRevise: detail.renja.status === "final" && planner,
      fundingSources: FUNDING_SOURCES,
      versions: versions.map(({ snapshot: _s, ...v }) => v),
      diff: diff ? { ...diff, rows: diff.rows.filter((r) => r.change !== "same") } : null,
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await load(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: 10 * 1024 * 1024 });
  const intent = field(form, "intent");
  const t = tFor(request);
  if (intent === "import") {
    const [file] = await files(form, "file");
    const r = await runUseCase(request, async () => importRenjaSheet(await em(), viewer.actor, systemClock, params.id!, file?.bytes ?? new Uint8Array(), file?.name ?? ""));
    if (!r.ok) return r.response;
    if (!r.value.ok)
      return json(
        { ok: false, message: t("mus.forum.importErrors", { n: r.value.errors.length }), importErrors: r.value.errors.map((e) => ({ row: e.row, column: e.column, header: e.header, message: t(e.key, e.params) })), fieldErrors: {} },
        { status: 400 },
      );
    return json({ ok: true, message: t("renja.imported", r.value), fieldErrors: {} });
  }
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "add")
      return addSubActivity(db, viewer.actor, systemClock, params.id!, {
        subKegiatan: field(form, "subKegiatan"),
        target: field(form, "target"),
        unit: field(form, "unit"),
        locations: field(form, "locations").split(/[\s,;]+/),
        ceiling: field(form, "ceiling"),
        fundingSource: field(form, "fundingSource"),
        proposals: form.getAll("proposals").map(String),
      });
    if (intent === "update")
      return updateSubActivity(
        db,
        viewer.actor,
        systemClock,
        field(form, "sub"),
        { target: field(form, "target"), unit: field(form, "unit"), locations: field(form, "locations").split(/[\s,;]+/), ceiling: field(form, "ceiling"), fundingSource: field(form, "fundingSource") },
        Number(field(form, "version")),
      );
    if (intent === "remove") return removeSubActivity(db, viewer.actor, systemClock, field(form, "sub"), Number(field(form, "version")), field(form, "reason"));
    if (intent === "submit" || intent === "adopt" || intent === "revise") return moveRenja(db, viewer.actor, systemClock, params.id!, intent, field(form, "reason"));
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: t("mus.forum.saved"), fieldErrors: {} });
}

export default function RenjaPage() {
  const { renja, subs, ceiling, planned, options, edits, canAdopt, canRevise, fundingSources, versions, diff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    | { ok?: boolean; message?: string; fieldErrors?: Record<string, string>; importErrors?: { row: number; column: string; header: string; message: string }[] }
    | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/plan/opd/${renja.opd_code}`}>{renja.opd_name}</Link> · <Link to={`/rkpd/${renja.fiscal_year}?opd=${renja.opd_code}`}>RKPD {renja.fiscal_year}</Link> ·{" "}
        <a href={`/rkpd/${renja.fiscal_year}.xlsx?opd=${renja.opd_code}`}>Excel</a> · <Link to={`/plan/renja/${renja.id}/forum-pd`}>{t("renja.forumPd")}</Link>
      </p>
      <h1 data-testid="workspace-title">
        Renja {renja.fiscal_year} — {renja.opd_name}
      </h1>
      <p>
        <span className="badge badge--info" data-testid="renja-status">
          {t(`rkpd.status.${renja.status}`)}
          {renja.revision ? ` · ${t("renja.revision", { n: renja.revision })}` : ""}
        </span>{" "}
        {t("rkpd.ceiling")}: <strong>{ceiling ? formatRupiah(ceiling) : "—"}</strong> · {t("rkpd.planned")}:{" "}
        <strong data-testid="planned">{formatRupiah(planned)}</strong>
      </p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("rkpd.subActivity")}</th>
              <th>{t("rkpd.target")}</th>
              <th className="num">{t("rkpd.ceiling")}</th>
              <th>{t("mus.public.title")}</th>
            </tr>
          </thead>
          <tbody>
            {subs.map((s) => (
              <Fragment key={s.id}>
                <SubActivityRow s={{ ...s, code: s.sub_kegiatan_code, fundingSource: s.funding_source }} />
                {edits ? (
                  <tr>
                    <td colSpan={4}>
                      <SubActivityEdit s={s} fundingSources={fundingSources} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {edits ? (
        <section className="card" data-testid="add-sub">
          <h2>+ {t("rkpd.subActivity")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="add" />
            <Field name="subKegiatan" label={t("rkpd.subActivity")} error={errs.subKegiatan}>
              <input id="subKegiatan" name="subKegiatan" list="sub-options" placeholder="1.03.10.2.01.0001" />
              <datalist id="sub-options">
                {options.subs.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.name}
                  </option>
                ))}
              </datalist>
            </Field>
            <div className="grid2">
              <Field name="target" label={t("rkpd.target")} error={errs.target}>
                <input id="target" name="target" inputMode="decimal" />
              </Field>
              <Field name="unit" label={t("mus.field.unit")}>
                <input id="unit" name="unit" />
              </Field>
            </div>
            <Field name="locations" label={t("mus.field.location")} error={errs.locations} help="35.22.06.2001, 35.22.06">
              <input id="locations" name="locations" />
            </Field>
            <div className="grid2">
              <Field name="ceiling" label={t("rkpd.ceiling")} error={errs.ceiling}>
                <input id="ceiling" name="ceiling" inputMode="decimal" placeholder="1250000000.00" />
              </Field>
              <Field name="fundingSource" label="Sumber dana" error={errs.fundingSource}>
                <select id="fundingSource" name="fundingSource">
                  {fundingSources.map((f) => (
                    <option key={f}>{f}</option>
                  ))}
                </select>
              </Field>
            </div>
            {options.proposals.length ? (
              <fieldset>
                <legend>{t("mus.public.title")}</legend>
                {errs.proposals ? <p className="field__error">{errs.proposals}</p> : null}
                {options.proposals.map((p) => (
                  <label key={p.id} className="check">
                    <input type="checkbox" name="proposals" value={p.id} /> {p.code} {p.title} <span className="muted">({p.desa}, {formatRupiah(p.cost)})</span>
                  </label>
                ))}
              </fieldset>
            ) : null}
            <SubmitButton>{t("admin.users.save")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
      {edits ? (
        <details className="card" open={!!result?.importErrors}>
          <summary>{t("renja.import")}</summary>
          <PostForm encType="multipart/form-data" className="actions">
            <input type="hidden" name="intent" value="import" />
            <input name="file" type="file" accept=".xlsx,.csv" aria-label={t("renja.import")} />
            <SubmitButton>{t("mus.forum.import").split(" (")[0]}</SubmitButton>
          </PostForm>
          <ImportErrors errors={result?.importErrors} />
        </details>
      ) : null}
      {edits && renja.status === "rancangan_awal" ? (
        <PostForm>
          <input type="hidden" name="intent" value="submit" />
          <SubmitButton>{t("renja.submit")}</SubmitButton>
        </PostForm>
      ) : null}
      {canRevise ? (
        <section className="card">
          <PostForm className="form">
            <input type="hidden" name="intent" value="revise" />
            <Field name="reviseReason" label={t("renja.reviseReason")}>
              <textarea id="reviseReason" name="reason" rows={2} />
            </Field>
            <SubmitButton>{t("renja.revise")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
      {versions.length ? <RenjaHistory versions={versions} diff={diff} /> : null}
      {canAdopt ? (
        <section className="card">
          <PostForm className="form">
            <input type="hidden" name="intent" value="adopt" />
            <Field name="reason" label={t("renja.leftOutReason")}>
              <textarea id="reason" name="reason" rows={2} />
            </Field>
            <SubmitButton>{t("renja.adopt")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
    </>
  );
}
