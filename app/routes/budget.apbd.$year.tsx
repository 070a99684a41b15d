import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { FUNDING_SOURCES, addBudgetLine, apbdSummary, apbdVersions, assembleApbd, changeBudgetLine, diffApbd, dpasOf, issueDpa, moveApbd, reviseApbd, revisionLines, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/**
 * TAPD's APBD of a year: every version (murni, pergeseran, perubahan) with its status; the latest one's
 * summary and lifecycle; revisions and their line changes; a line diff between any two versions; and the
 * DPA of each OPD for the version in force.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw refuse(404, "error.404");
  const url = new URL(request.url);
  const db = await em();
  const tenant = config().tenant;
  const versions = await apbdVersions(db, tenant, year);
  const latest = versions.at(-1);
  const summary = latest ? await apbdSummary(db, tenant, latest.id) : null;
  const inForce = [...versions].reverse().find((v) => v.status === "adopted");
  const dpas = inForce ? await dpasOf(db, inForce.id) : [];
  const from = url.searchParams.get("dari");
  const to = url.searchParams.get("ke");
  const diff = from && to ? await diffApbd(db, tenant, from, to).catch(() => null) : latest?.parent_id ? await diffApbd(db, tenant, latest.parent_id, latest.id) : null;
  const opd = url.searchParams.get("opd") ?? "";
  const revision = latest && latest.status === "rancangan" && latest.version_no > 1 && opd ? await revisionLines(db, latest.id, opd) : { lines: [], subs: [] };
  const editable = revision.lines;
  return json(
    {
      year,
      versions: versions.map((v) => ({ id: v.id, versionNo: v.version_no, kind: v.kind, status: v.status, legalBasis: v.legal_basis, reason: v.reason, total: v.total, version: v.version })),
      summary,
      inForce: inForce ? { id: inForce.id, versionNo: inForce.version_no } : null,
      dpas,
      diff: diff ? { ...diff, rows: diff.rows.filter((r) => r.change !== "same") } : null,
      opd,
      editable,
      subs: latest?.kind === "perubahan" ? revision.subs : [],
      fundingSources: FUNDING_SOURCES,
    },
    { headers: viewerHeaders(viewer) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const year = params.year ?? "";
  const r = await runUseCase(request, async () => {
    const db = await em();
    const a = viewer.actor;
    if (intent === "assemble") return assembleApbd(db, a, systemClock, year);
    if (intent === "agree" || intent === "evaluate" || intent === "adopt" || intent === "enact") return moveApbd(db, a, systemClock, field(form, "apbd"), intent, field(form, "legalBasis"), Number(field(form, "version")));
    if (intent === "revise") return reviseApbd(db, a, systemClock, year, field(form, "kind") as "pergeseran" | "perubahan", field(form, "reason"));
    if (intent === "line")
      return changeBudgetLine(db, a, systemClock, field(form, "apbd"), field(form, "line"), { volume: field(form, "volume"), unitPrice: field(form, "unitPrice") }, Number(field(form, "version")));
    if (intent === "dpa") return issueDpa(db, a, systemClock, year, field(form, "opd"));
    if (intent === "addLine")
      return addBudgetLine(
        db,
        a,
        systemClock,
        field(form, "apbd"),
        {
          opdCode: field(form, "opd"),
          subActivityId: field(form, "sub"),
          accountCode: field(form, "accountCode"),
          description: field(form, "description"),
          volume: field(form, "volume"),
          unit: field(form, "unit"),
          unitPrice: field(form, "unitPrice"),
          taxPercent: field(form, "taxPercent"),
          fundingSource: field(form, "fundingSource"),
        },
        Number(field(form, "version")),
      );
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved"), fieldErrors: {} });
}

const NEXT: Record<string, string[]> = { rancangan: ["agree", "enact"], agreed: ["evaluate"], evaluated: ["adopt"] };

export default function ApbdWorkspace() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  const latest = d.versions.at(-1);
  const label = (v: { versionNo: number; kind: string }) => (v.kind === "murni" ? t("apbdws.kind.murni") : `${t(`apbdws.kind.${v.kind}`)} (${t("apbdws.version", { n: v.versionNo })})`);
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/budget?tahun=${d.year}`}>{t("ws.budget.title")}</Link> · <a href={`/apbd/${d.year}`}>{t("mus.public.openData")}</a>
      </p>
      <h1 data-testid="workspace-title">APBD {d.year}</h1>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <section className="card">
        <h2>{t("apbdws.versions")}</h2>
        <ul data-testid="apbd-versions">
          {d.versions.map((v) => (
            <li key={v.id}>
              <strong>{label(v)}</strong> <span className="badge badge--info">{t(`apbdws.status.${v.status}`)}</span> · {formatRupiah(v.total)}
              {v.legalBasis ? <span className="muted"> · {v.legalBasis}</span> : null}
              {v.reason ? <div className="muted">{v.reason}</div> : null}
            </li>
          ))}
        </ul>
        {d.inForce ? <p><Link to={`/budget/sp2d/${d.year}`} data-testid="sp2d-link">{t("import.sp2d.link")}</Link></p> : null}
        {!latest || (latest.status === "rancangan" && latest.versionNo === 1) ? (
          <PostForm>
            <input type="hidden" name="intent" value="assemble" />
            <SubmitButton>{t("apbdws.assemble")}</SubmitButton>
          </PostForm>
        ) : null}
        {latest && NEXT[latest.status] ? (
          <PostForm className="form" noValidate>
            <input type="hidden" name="apbd" value={latest.id} />
            <input type="hidden" name="version" value={latest.version} />
            <Field name="legalBasis" label={t("apbdws.legalBasis")} error={result?.fieldErrors?.legalBasis}>
              <input id="legalBasis" name="legalBasis" placeholder="Perda Kabupaten … Nomor … Tahun …" />
            </Field>
            <div className="actions">
              {NEXT[latest.status]
                .filter((a) => (a === "enact") === (latest.kind === "pergeseran") || a === "evaluate" || a === "adopt")
                .map((a) => (
                  <button key={a} className="button" type="submit" name="intent" value={a}>
                    {t(`apbdws.action.${a}`)}
                  </button>
                ))}
            </div>
          </PostForm>
        ) : null}
        {latest?.status === "adopted" ? (
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="revise" />
            <div className="grid2">
              <Field name="kind" label={t("apbdws.reviseKind")}>
                <select id="kind" name="kind">
                  <option value="pergeseran">{t("apbdws.kind.pergeseran")}</option>
                  <option value="perubahan">{t("apbdws.kind.perubahan")}</option>
                </select>
              </Field>
              <Field name="reason" label={t("renja.reviseReason")} error={result?.fieldErrors?.reason}>
                <input id="reason" name="reason" />
              </Field>
            </div>
            <SubmitButton className="button button--secondary">{t("apbdws.revise")}</SubmitButton>
          </PostForm>
        ) : null}
      </section>
      {d.summary ? (
        <section className="card" data-testid="apbd-summary">
          <h2>
            {t("apbdws.summary")} — {label(d.summary.apbd)}
          </h2>
          <table className="data">
            <tbody>
              {(
                [
                  ["apbdws.revenue", d.summary.totals.pendapatan],
                  ["apbdws.spending", d.summary.totals.belanja],
                  ["apbdws.surplus", d.summary.totals.surplus],
                  ["apbdws.financingIn", d.summary.totals.financingReceipts],
                  ["apbdws.financingOut", d.summary.totals.financingSpending],
                  ["apbdws.netFinancing", d.summary.totals.netFinancing],
                  ["apbdws.silpa", d.summary.totals.silpa],
                ] as const
              ).map(([k, v]) => (
                <tr key={k}>
                  <th>{t(k)}</th>
                  <td className="num">{formatRupiah(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t("ws.opdList")}</h3>
          <table className="data">
            <tbody>
              {d.summary.byOpd
                .filter((o) => o.kind === "belanja")
                .map((o) => {
                  const dpa = d.dpas.find((x) => x.opd_code === o.code);
                  return (
                    <tr key={o.code}>
                      <td>
                        <Link to={`?opd=${o.code}`}>{o.name}</Link>
                      </td>
                      <td className="num">{formatRupiah(o.total)}</td>
                      <td>
                        {dpa ? (
                          <Link to={`/budget/dpa/${dpa.id}`}>{dpa.number}</Link>
                        ) : d.inForce && d.inForce.versionNo === d.summary!.apbd.versionNo ? (
                          <PostForm className="inline-form">
                            <input type="hidden" name="intent" value="dpa" />
                            <input type="hidden" name="opd" value={o.code} />
                            <SubmitButton className="button button--secondary">{t("apbdws.issueDpa")}</SubmitButton>
                          </PostForm>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </section>
      ) : null}
      {d.editable.length && latest ? (
        <section className="card" data-testid="revision-lines">
          <h2>{t("apbdws.revisionLines")}</h2>
          <table className="data">
            <tbody>
              {d.editable.map((l) => (
                <tr key={l.line_key}>
                  <td>
                    {l.sub_code} · {l.account_code}
                    <div>{l.description}</div>
                  </td>
                  <td className="num">{formatRupiah(l.amount)}</td>
                  <td>
                    <PostForm className="inline-form">
                      <input type="hidden" name="intent" value="line" />
                      <input type="hidden" name="apbd" value={latest.id} />
                      <input type="hidden" name="line" value={l.line_key} />
                      <input type="hidden" name="version" value={latest.version} />
                      <input name="volume" defaultValue={l.volume} aria-label={t("rka.volume")} size={8} />
                      <input name="unitPrice" defaultValue={l.unit_price} aria-label={t("rka.unitPrice")} size={14} />
                      <SubmitButton className="button button--secondary">{t("admin.users.save")}</SubmitButton>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {d.subs.length && latest ? (
        <section className="card" data-testid="perubahan-add">
          <h2>{t("apbdws.addLine")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="addLine" />
            <input type="hidden" name="apbd" value={latest.id} />
            <input type="hidden" name="opd" value={d.opd} />
            <input type="hidden" name="version" value={latest.version} />
            <Field name="sub" label={t("rkpd.subActivity")} error={result?.fieldErrors?.subActivity}>
              <select id="sub" name="sub">
                <option value="">{t("apbdws.noSub")}</option>
                {d.subs.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.code} {s.name}
                  </option>
                ))}
              </select>
            </Field>
            <div className="grid2">
              <Field name="accountCode" label={t("rka.account")} error={result?.fieldErrors?.accountCode}>
                <input id="accountCode" name="accountCode" />
              </Field>
              <Field name="description" label={t("rka.description")} error={result?.fieldErrors?.description}>
                <input id="description" name="description" />
              </Field>
              <Field name="volume" label={t("rka.volume")} error={result?.fieldErrors?.volume}>
                <input id="volume" name="volume" inputMode="decimal" />
              </Field>
              <Field name="unit" label={t("rka.unit")} error={result?.fieldErrors?.unit}>
                <input id="unit" name="unit" />
              </Field>
              <Field name="unitPrice" label={t("rka.unitPrice").split(" (")[0]} error={result?.fieldErrors?.unitPrice}>
                <input id="unitPrice" name="unitPrice" inputMode="decimal" />
              </Field>
              <Field name="taxPercent" label={t("rka.tax")}>
                <select id="taxPercent" name="taxPercent">
                  {["0", "11", "12"].map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </Field>
            </div>
            <Field name="fundingSource" label="Sumber dana" error={result?.fieldErrors?.fundingSource}>
              <select id="fundingSource" name="fundingSource">
                {d.fundingSources.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </Field>
            <SubmitButton>{t("admin.users.save")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
      {d.versions.length > 1 ? (
        <section className="card" data-testid="apbd-diff">
          <h2>{t("renja.compare")}</h2>
          <Form method="get" className="filters">
            {(["dari", "ke"] as const).map((k, i) => (
              <div className="field" key={k}>
                <label htmlFor={k}>{t(i === 0 ? "renja.before" : "renja.after")}</label>
                <select id={k} name={k} defaultValue={d.diff ? (i === 0 ? d.diff.from.id : d.diff.to.id) : ""}>
                  {d.versions.map((v) => (
                    <option key={v.id} value={v.id}>
                      {label(v)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <button className="button button--secondary" type="submit">
              {t("audit.filter")}
            </button>
          </Form>
          {d.diff ? (
            <table className="data">
              <thead>
                <tr>
                  <th>{t("rka.description")}</th>
                  <th></th>
                  <th className="num">{t("renja.before")}</th>
                  <th className="num">{t("renja.after")}</th>
                  <th className="num">{t("renja.delta")}</th>
                </tr>
              </thead>
              <tbody>
                {d.diff.rows.map((r) => (
                  <tr key={r.lineKey}>
                    <td>
                      {r.line.opd_name} · {r.line.sub_code} · {r.line.account_code}
                      <div>{r.line.description}</div>
                    </td>
                    <td>{t(`renja.change.${r.change}`)}</td>
                    <td className="num">{r.before ? formatRupiah(r.before) : "—"}</td>
                    <td className="num">{r.after ? formatRupiah(r.after) : "—"}</td>
                    <td className="num">{formatRupiah(r.delta)}</td>
                  </tr>
                ))}
                <tr>
                  <th colSpan={2}>{t("rkpd.total")}</th>
                  <th className="num">{formatRupiah(d.diff.totalBefore)}</th>
                  <th className="num">{formatRupiah(d.diff.totalAfter)}</th>
                  <th className="num">{formatRupiah(d.diff.delta)}</th>
                </tr>
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
