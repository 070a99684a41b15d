import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { flashCookie } from "~/flash.server";
import { defaultYear, dpaYears, findOpdByCode, opdPackages, planPackage, procurableLines, rupCoverage, systemClock, visibleScopes } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { RegionPicker } from "~/components/region-picker";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";
import { KINDS, METHODS, PACKAGE_TYPES } from "../../domain/procurement/vocabulary";

/** Location rows offered by the plan form (blank ones are ignored). */
const LOCATION_ROWS = 3;
const LINE_PREFIX = "line.";
type Line = Exclude<Awaited<ReturnType<typeof procurableLines>>["lines"], never[]>[number];

/** The OPDs the viewer plans packages for; `?opd=` picks one (refused when not theirs). */
function opdOf(request: Request, opds: string[]): string {
  const asked = new URL(request.url).searchParams.get("opd");
  const opd = asked ?? opds[0];
  if (!opd || !opds.includes(opd)) throw refuse(403, "error.403");
  return opd;
}

/**
 * The PPK's workspace for their OPD and a fiscal year (`?opd=` when they hold several, `?tahun=`; by
 * default the year with a DPA in force): RUP coverage, the OPD's procurable DPA lines with what packages
 * already take and what is left, its packages with their selection's status, and the form that plans a
 * package from one or more DPA lines.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.package.manage");
  const opds = visibleScopes(viewer.actor, "procure.package.manage").opds;
  const code = opdOf(request, opds);
  const db = await em();
  const tenant = config().tenant;
  const opd = await findOpdByCode(db, code);
  if (!opd) throw refuse(404, "opd.unknown", { code });
  const years = await dpaYears(db, tenant, code);
  const asked = Number(new URL(request.url).searchParams.get("tahun"));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : defaultYear(years, systemClock.now());
  const coverage = (await rupCoverage(db, tenant, year)).find((r) => r.opd_code === code) ?? null;
  const procurable = await procurableLines(db, tenant, year, code);
  const lines: Line[] = procurable.lines;
  const packages = await opdPackages(db, tenant, year, code);
  const names = await Promise.all(opds.map(async (c) => ({ code: c, name: c === code ? opd.name : ((await findOpdByCode(db, c))?.name ?? c) })));
  return json({ opd: { code: opd.code, name: opd.name }, opds: names, years, year, coverage, apbd: procurable.apbd, lines, packages }, { headers: viewerHeaders(viewer) });
}

/** Field errors of the n-th chosen line are shown on that line's row: `lines.<n>.amount` → `line.<key>`. */
function byLine(fieldErrors: Record<string, string>, order: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors)) {
    const m = /^lines\.(\d+)\./.exec(k);
    const key = m ? `${LINE_PREFIX}${order[Number(m[1])]}` : k;
    out[key] ??= v;
  }
  return out;
}

/**
 * The location rows, in form order (their index is the one field errors name). A region given twice is kept
 * once: the package's locations are a set (proc_package_location is keyed by package and region).
 */
function locationsOf(form: FormData) {
  const seen = new Set<string>();
  return Array.from({ length: LOCATION_ROWS }, (_, i) => {
    const regionCode = field(form, `locations.${i}.regionCode`).trim();
    const twice = regionCode !== "" && seen.has(regionCode);
    seen.add(regionCode);
    return { regionCode: twice ? "" : regionCode, detail: field(form, `locations.${i}.detail`) };
  });
}

/** Plans a package (draft) and opens its page; a refused form comes back with its values and errors by field. */
export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.package.manage");
  const form = await readForm(request);
  const lines: { lineKey: string; amount: string }[] = [];
  for (const [name, value] of form.entries())
    if (name.startsWith(LINE_PREFIX) && typeof value === "string" && value.trim() !== "") lines.push({ lineKey: name.slice(LINE_PREFIX.length), amount: value.trim() });
  const r = await runUseCase(request, async () =>
    planPackage(await em(), viewer.actor, systemClock, {
      opdCode: field(form, "opd"),
      fiscalYear: field(form, "year"),
      name: field(form, "name"),
      description: field(form, "description"),
      volume: field(form, "volume"),
      type: field(form, "type"),
      kind: field(form, "kind"),
      method: field(form, "method"),
      swakelolaType: field(form, "swakelolaType") || null,
      pdn: form.get("pdn") === "on",
      umk: form.get("umk") === "on",
      lines,
      locations: locationsOf(form),
      selectionStart: field(form, "selectionStart"),
      selectionEnd: field(form, "selectionEnd"),
      executionStart: field(form, "executionStart"),
      executionEnd: field(form, "executionEnd"),
      kodeRup: field(form, "kodeRup"),
    }),
  );
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
    return json({ ok: false, message: data.message, fieldErrors: byLine(data.fieldErrors, lines.map((l) => l.lineKey)), values }, { status: r.response.status });
  }
  const message = tFor(request)("procws.plan.saved", { name: field(form, "name").trim() });
  return redirect(`/procure/paket/${r.value}`, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message }) } });
}

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | undefined;

export default function ProcureWorkspace() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  const v = result?.values ?? {};
  const val = (name: string, fallback = "") => v[name] ?? fallback;
  const checked = (name: string, fallback: boolean) => (result?.values ? v[name] === "on" : fallback);
  const query = (year: number) => `?opd=${encodeURIComponent(d.opd.code)}&tahun=${year}`;
  return (
    <>
      <h1 data-testid="workspace-title">
        {t("ws.procurement.title")} — {d.opd.name}
      </h1>
      <p className="muted">
        <Link to={`/procure/impor?opd=${encodeURIComponent(d.opd.code)}`}>{t("procimp.link")}</Link>
      </p>
      <Form method="get" className="filters">
        {d.opds.length > 1 ? (
          <div className="field">
            <label htmlFor="opd">{t("procws.opd")}</label>
            <select id="opd" name="opd" defaultValue={d.opd.code}>
              {d.opds.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <input type="hidden" name="opd" value={d.opd.code} />
        )}
        <div className="field">
          <label htmlFor="tahun">{t("procws.year")}</label>
          <input id="tahun" name="tahun" type="number" defaultValue={d.year} />
        </div>
        <button className="button button--secondary" type="submit">
          {t("procws.show")}
        </button>
      </Form>
      {d.years.length > 0 ? (
        <p className="muted">
          {t("procws.dpaYears")}:{" "}
          {d.years.map((y, i) => (
            <span key={y}>
              {i > 0 ? " · " : ""}
              {y === d.year ? <strong>{y}</strong> : <Link to={query(y)}>{y}</Link>}
            </span>
          ))}
        </p>
      ) : null}
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      <section className="card" data-testid="rup-coverage">
        <h2>{t("procws.coverage.title", { year: d.year })}</h2>
        {d.coverage ? (
          <dl className="kv">
            <dt>{t("procws.coverage.pagu")}</dt>
            <dd>{formatRupiah(d.coverage.pagu)}</dd>
            <dt>{t("procws.coverage.penyedia")}</dt>
            <dd>{formatRupiah(d.coverage.penyedia)}</dd>
            <dt>{t("procws.coverage.swakelola")}</dt>
            <dd>{formatRupiah(d.coverage.swakelola)}</dd>
            <dt>{t("procws.coverage.draft")}</dt>
            <dd>{formatRupiah(d.coverage.draft)}</dd>
            <dt>{t("procws.coverage.percent")}</dt>
            <dd>
              <strong data-testid="rup-percent">{d.coverage.percent.replace(".", ",")}%</strong> ({t("procws.coverage.packages", { n: d.coverage.packages })})
            </dd>
          </dl>
        ) : (
          <p className="muted">{t("procws.noDpa", { year: d.year })}</p>
        )}
      </section>

      <section className="card" data-testid="packages">
        <h2>{t("procws.packages.title", { year: d.year })}</h2>
        {d.packages.length === 0 ? (
          <p className="muted">{t("procws.packages.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("procws.col.name")}</th>
                  <th>{t("procws.col.status")}</th>
                  <th>{t("procws.col.method")}</th>
                  <th className="num">{t("procws.col.pagu")}</th>
                  <th>{t("procws.col.kodeRup")}</th>
                  <th>{t("procws.col.tender")}</th>
                </tr>
              </thead>
              <tbody>
                {d.packages.map((p) => (
                  <tr key={p.id} data-testid={`package-${p.id}`}>
                    <td>
                      <Link to={`/procure/paket/${p.id}`}>{p.name}</Link>
                      <div className="muted">{t(`procure.kind.${p.kind}`)}</div>
                    </td>
                    <td>
                      <span className={`badge ${p.status === "cancelled" ? "badge--muted" : p.status === "announced" ? "badge--ok" : "badge--info"}`}>{t(`procure.packageStatus.${p.status}`)}</span>
                    </td>
                    <td>{t(`procure.method.${p.method}`)}</td>
                    <td className="num">{formatRupiah(p.pagu)}</td>
                    <td>{p.kode_rup ?? "—"}</td>
                    <td>
                      {p.tender_status ? (
                        <>
                          {t(`procure.tenderStatus.${p.tender_status}`)}
                          <div className="muted">
                            {p.tender_code}
                            {p.attempt && p.attempt > 1 ? ` · ${t("procws.attempt", { n: p.attempt })}` : ""}
                          </div>
                        </>
                      ) : (
                        "—"
                      )}
                      {p.contract_status ? <div>{t(`procure.contractStatus.${p.contract_status}`)}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" data-testid="plan-package">
        <h2>{t("procws.plan.title")}</h2>
        {!d.apbd ? (
          <p className="muted">{t("procws.noDpa", { year: d.year })}</p>
        ) : (
          <PostForm className="form" noValidate>
            <input type="hidden" name="opd" value={d.opd.code} />
            <input type="hidden" name="year" value={d.year} />
            <h3>{t("procws.lines.title")}</h3>
            <p className="field__help">{t("procws.lines.help")}</p>
            {errs.lines ? (
              <p className="field__error" role="alert">
                {errs.lines}
              </p>
            ) : null}
            <div className="table-wrap">
              <table className="data" data-testid="procurable-lines">
                <thead>
                  <tr>
                    <th>{t("procws.lines.account")}</th>
                    <th className="num">{t("procws.lines.dpa")}</th>
                    <th className="num">{t("procws.lines.committed")}</th>
                    <th className="num">{t("procws.lines.left")}</th>
                    <th>{t("procws.lines.take")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.lines.map((l) => {
                    const name = `${LINE_PREFIX}${l.line_key}`;
                    return (
                      <tr key={l.line_key}>
                        <td>
                          <div className="muted">
                            {l.sub_code} {l.sub_name}
                          </div>
                          {l.account_code} · {l.description}
                          {l.spec ? <span className="muted"> ({l.spec})</span> : null} <span className="muted">· {l.funding_source}</span>
                          {errs[name] ? (
                            <p className="field__error" id={`${name}-error`} role="alert">
                              {errs[name]}
                            </p>
                          ) : null}
                        </td>
                        <td className="num">{formatRupiah(l.amount)}</td>
                        <td className="num">{formatRupiah(l.committed)}</td>
                        <td className="num">{formatRupiah(l.left)}</td>
                        <td>
                          <input name={name} defaultValue={val(name)} inputMode="decimal" size={14} aria-label={`${t("procws.lines.take")}: ${l.description}`} {...errorProps(name, errs[name])} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Field name="name" label={t("procws.f.name")} error={errs.name}>
              <input id="name" name="name" defaultValue={val("name")} {...errorProps("name", errs.name)} />
            </Field>
            <Field name="description" label={t("procws.f.description")} error={errs.description}>
              <textarea id="description" name="description" rows={3} defaultValue={val("description")} />
            </Field>
            <Field name="volume" label={t("procws.f.volume")} error={errs.volume} help={t("procws.f.volumeHelp")}>
              <input id="volume" name="volume" defaultValue={val("volume")} />
            </Field>
            <div className="grid2">
              <Field name="type" label={t("procws.f.type")} error={errs.type}>
                <select id="type" name="type" defaultValue={val("type", "penyedia")} {...errorProps("type", errs.type)}>
                  {PACKAGE_TYPES.map((x) => (
                    <option key={x} value={x}>
                      {t(`procure.type.${x}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="kind" label={t("procws.f.kind")} error={errs.kind}>
                <select id="kind" name="kind" defaultValue={val("kind", "konstruksi")} {...errorProps("kind", errs.kind)}>
                  {KINDS.map((x) => (
                    <option key={x} value={x}>
                      {t(`procure.kind.${x}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="method" label={t("procws.f.method")} error={errs.method}>
                <select id="method" name="method" defaultValue={val("method", "tender")} {...errorProps("method", errs.method)}>
                  {METHODS.map((x) => (
                    <option key={x} value={x}>
                      {t(`procure.method.${x}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="swakelolaType" label={t("procws.f.swakelolaType")} error={errs.swakelolaType}>
                <select id="swakelolaType" name="swakelolaType" defaultValue={val("swakelolaType")} {...errorProps("swakelolaType", errs.swakelolaType)}>
                  <option value="">{t("procws.f.swakelolaNone")}</option>
                  {[1, 2, 3, 4].map((n) => (
                    <option key={n} value={n}>
                      {t(`procws.swakelola.${n}`)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="field">
              <label className="check">
                <input type="checkbox" name="pdn" defaultChecked={checked("pdn", true)} /> {t("procws.f.pdn")}
              </label>
              <label className="check">
                <input type="checkbox" name="umk" defaultChecked={checked("umk", false)} /> {t("procws.f.umk")}
              </label>
            </div>
            <fieldset>
              <legend>{t("procws.f.locations")}</legend>
              {Array.from({ length: LOCATION_ROWS }, (_, i) => (
                <div className="grid2" key={i}>
                  <RegionPicker name={`locations.${i}.regionCode`} defaultValue={val(`locations.${i}.regionCode`)} label={t("procws.f.region", { n: i + 1 })} error={errs[`locations.${i}.regionCode`]} />
                  <Field name={`locations.${i}.detail`} label={t("procws.f.detail")}>
                    <input id={`locations.${i}.detail`} name={`locations.${i}.detail`} defaultValue={val(`locations.${i}.detail`)} />
                  </Field>
                </div>
              ))}
            </fieldset>
            <div className="grid2">
              {(["selectionStart", "selectionEnd", "executionStart", "executionEnd"] as const).map((f) => (
                <Field key={f} name={f} label={t(`procws.f.${f}`)} error={errs[f]}>
                  <input id={f} name={f} type="date" defaultValue={val(f)} {...errorProps(f, errs[f])} />
                </Field>
              ))}
            </div>
            <Field name="kodeRup" label={t("procws.f.kodeRup")} error={errs.kodeRup}>
              <input id="kodeRup" name="kodeRup" inputMode="numeric" defaultValue={val("kodeRup")} {...errorProps("kodeRup", errs.kodeRup)} />
            </Field>
            <SubmitButton>{t("procws.plan.submit")}</SubmitButton>
          </PostForm>
        )}
      </section>
    </>
  );
}
