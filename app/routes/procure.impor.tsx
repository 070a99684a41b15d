import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { viewerHeaders } from "~/guard.server";
import { requireViewer } from "~/session.server";
import { field, files, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { can, canSomewhere, defaultYear, dpaYears, importRupSheet, importSpseSheet, listOpds, systemClock, visibleScopes } from "~/domain.server";
import type { ProcSheetError } from "~/domain.server";
import type { Actor } from "../../domain/identity/actor";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ImportErrors, type ImportErrorRow } from "~/components/import-errors";
import { useT } from "~/hooks";

/**
 * Imports from the national systems: the RUP from SiRUP (the PPK for their OPD, the Pokja for every OPD;
 * the layout of /unduh/rup/<year>) and tender results and contracts from SPSE (the Pokja or an admin).
 * Each upload is checked in full — every problem shown by sheet, row and column, nothing saved — or
 * applied in one transaction, and the page says what changed.
 */

const MAX_UPLOAD = 25 * 1024 * 1024;

/** What the viewer may import, and for which OPDs (null: every OPD). */
function rights(actor: Actor) {
  const tenant = config().tenant;
  const pokja = can(actor, "procure.tender.run", { tenant });
  const rup = pokja || canSomewhere(actor, "procure.package.manage");
  const spse = can(actor, "procure.vendor.manage", { tenant });
  return { rup, spse, opds: pokja ? null : visibleScopes(actor, "procure.package.manage").opds };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const r = rights(viewer.actor);
  if (!r.rup && !r.spse) throw refuse(403, "error.403");
  const db = await em();
  const tenant = config().tenant;
  const all = await listOpds(db);
  const opds = all.filter((o) => r.opds === null || r.opds.includes(o.code)).map((o) => ({ code: o.code, name: o.name }));
  const years = r.rup ? [...new Set((await Promise.all(opds.map((o) => dpaYears(db, tenant, o.code)))).flat())].sort((a, b) => b - a) : [];
  const year = defaultYear(years, systemClock.now());
  return json({ rup: r.rup, spse: r.spse, allOpds: r.opds === null, opds, years: years.length ? years : [year], year }, { headers: viewerHeaders(viewer) });
}

/** An error as the table shows it: "Paket!F" for a cell of a workbook's sheet, the file or sheet alone when the problem is its own. */
function errorRows(errors: ProcSheetError[], t: ReturnType<typeof tFor>): ImportErrorRow[] {
  return errors.map((e) => ({
    row: e.row,
    column: e.column ? `${e.sheet ? `${e.sheet}!` : ""}${e.column}` : "",
    header: e.column ? e.header : [e.sheet, e.header].filter(Boolean).join(": "),
    message: t(e.key, e.params),
  }));
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireViewer(request);
  const r = rights(viewer.actor);
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const t = tFor(request);
  const kind = field(form, "kind");
  const uploads = await files(form, "file");
  if (kind === "rup") {
    if (!r.rup) throw refuse(403, "error.403");
    const opd = field(form, "opd").trim() || (r.opds && r.opds.length === 1 ? r.opds[0] : "");
    if (r.opds !== null && !r.opds.includes(opd)) throw refuse(403, "error.403");
    const year = field(form, "year");
    const res = await runUseCase(request, async () => importRupSheet(await em(), viewer.actor, systemClock, { year, files: uploads, opd: opd || null }));
    if (!res.ok) return res.response;
    const v = res.value;
    if (!v.ok) return json({ ok: false, kind, message: t("procimp.errors", { n: v.errors.length }), importErrors: errorRows(v.errors, t) }, { status: 400 });
    return json({ ok: true, kind, message: t("import.rup.done", { year, rows: v.rows, created: v.created, updated: v.updated, unchanged: v.unchanged, announced: v.announced, skipped: v.skipped }), importErrors: [] });
  }
  if (kind === "spse") {
    if (!r.spse) throw refuse(403, "error.403");
    const res = await runUseCase(request, async () => importSpseSheet(await em(), viewer.actor, systemClock, uploads));
    if (!res.ok) return res.response;
    const v = res.value;
    if (!v.ok) return json({ ok: false, kind, message: t("procimp.errors", { n: v.errors.length }), importErrors: errorRows(v.errors, t) }, { status: 400 });
    return json({
      ok: true,
      kind,
      message: t("import.spse.done", {
        tenders: v.tenders.created,
        tendersUpdated: v.tenders.updated,
        tendersUnchanged: v.tenders.unchanged,
        bids: v.bids,
        contracts: v.contracts.created,
        contractsUpdated: v.contracts.updated,
        contractsUnchanged: v.contracts.unchanged,
        amendments: v.amendments,
        vendors: v.vendors,
      }),
      importErrors: [],
    });
  }
  throw refuse(400, "form.malformed");
}

export default function ProcurementImports() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; kind?: string; message?: string; importErrors?: ImportErrorRow[] } | undefined;
  const t = useT();
  const downloadOpd = !d.allOpds && d.opds.length ? `?opd=${encodeURIComponent(d.opds[0].code)}` : "";
  return (
    <>
      <h1 data-testid="workspace-title">{t("procimp.title")}</h1>
      <p>{t("procimp.intro")}</p>

      {d.rup ? (
        <section className="card" data-testid="rup-import">
          <h2>{t("procimp.rup.title")}</h2>
          <p className="muted">{t("procimp.rup.help")}</p>
          <p>
            <a href={`/unduh/rup/${d.year}${downloadOpd}`} download>
              {t("procimp.rup.download", { year: d.year })}
            </a>
          </p>
          {result?.kind === "rup" ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
          <PostForm encType="multipart/form-data">
            <input type="hidden" name="kind" value="rup" />
            <div className="field">
              <label htmlFor="rup-year">{t("procimp.rup.year")}</label>
              <select id="rup-year" name="year" defaultValue={d.year}>
                {d.years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rup-opd">{t("procimp.rup.opd")}</label>
              <select id="rup-opd" name="opd" defaultValue={d.allOpds ? "" : d.opds[0]?.code}>
                {d.allOpds ? <option value="">{t("procimp.rup.allOpd")}</option> : null}
                {d.opds.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rup-file">{t("procimp.files")}</label>
              <input id="rup-file" name="file" type="file" accept=".xlsx,.csv" multiple required />
            </div>
            <SubmitButton>{t("procimp.send")}</SubmitButton>
          </PostForm>
          {result?.kind === "rup" ? <ImportErrors errors={result.importErrors} /> : null}
        </section>
      ) : null}

      {d.spse ? (
        <section className="card" data-testid="spse-import">
          <h2>{t("procimp.spse.title")}</h2>
          <p className="muted">{t("procimp.spse.help")}</p>
          {result?.kind === "spse" ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
          <PostForm encType="multipart/form-data">
            <input type="hidden" name="kind" value="spse" />
            <div className="field">
              <label htmlFor="spse-file">{t("procimp.files")}</label>
              <input id="spse-file" name="file" type="file" accept=".xlsx,.csv" multiple required />
            </div>
            <SubmitButton>{t("procimp.send")}</SubmitButton>
          </PostForm>
          {result?.kind === "spse" ? <ImportErrors errors={result.importErrors} /> : null}
        </section>
      ) : null}
    </>
  );
}
