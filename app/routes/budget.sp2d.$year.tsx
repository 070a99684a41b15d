import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { files, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { absorption, importSp2dSheet, listSp2d, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ImportErrors, type ImportErrorRow } from "~/components/import-errors";
import { formatDate, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

/**
 * TAPD's (BUD's) realisation of a year: the SP2D register imported from SIPD or the bank (every problem
 * by row and column, nothing recorded until the whole file is right), the absorption of the DPA in force
 * per OPD, and the year's SP2D, filtered by OPD, a page at a time.
 */
function yearOf(params: { year?: string }): number {
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw refuse(404, "error.404");
  return year;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const year = yearOf(params);
  const url = new URL(request.url);
  const db = await em();
  const tenant = config().tenant;
  const opd = (url.searchParams.get("opd") ?? "").trim().slice(0, 40);
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1;
  const list = await listSp2d(db, tenant, year, { opd, page });
  const a = await absorption(db, tenant, year);
  const byOpd = (a?.byOpd ?? []).map((o) => {
    const [code, ...name] = o.key.split("|");
    return { code, name: name.join("|"), budget: o.budget, paid: o.paid, percent: o.percent };
  });
  return json({ year, opd, list, byOpd, total: a?.total ?? null, apbd: a?.apbd ?? null }, { headers: viewerHeaders(viewer) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await guard(request, "budget.manage");
  const year = yearOf(params);
  const form = await readForm(request, { maxBytes: 25 * 1024 * 1024 });
  const t = tFor(request);
  const [file] = await files(form, "file");
  const r = await runUseCase(request, async () => importSp2dSheet(await em(), viewer.actor, systemClock, year, file?.bytes ?? new Uint8Array(), file?.name ?? ""));
  if (!r.ok) return r.response;
  if (!r.value.ok)
    return json(
      { ok: false, message: t("mus.forum.importErrors", { n: r.value.errors.length }), importErrors: r.value.errors.map((e) => ({ row: e.row, column: e.column, header: e.header, message: t(e.key, e.params) })) },
      { status: 400 },
    );
  const { rows, recorded, alreadyRecorded, total } = r.value;
  return json({ ok: true, message: t("import.sp2d.done", { rows, recorded, already: alreadyRecorded, total: formatRupiah(total) }), importErrors: [] });
}

export default function Sp2dRegister() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; importErrors?: ImportErrorRow[] } | undefined;
  const t = useT();
  const lang = useLang();
  const pageLink = (page: number) => `?${new URLSearchParams({ ...(d.opd ? { opd: d.opd } : {}), page: String(page) })}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/budget/apbd/${d.year}`}>APBD {d.year}</Link>
      </p>
      <h1 data-testid="workspace-title">{t("import.sp2d.title", { year: d.year })}</h1>
      <p>{t("import.sp2d.intro")}</p>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />

      <section className="card" data-testid="sp2d-import">
        <h2>{t("import.sp2d.upload")}</h2>
        <p className="muted">{t("import.sp2d.help")}</p>
        <PostForm encType="multipart/form-data" className="actions">
          <input name="file" type="file" accept=".xlsx,.csv" aria-label={t("import.sp2d.upload")} required />
          <SubmitButton>{t("import.sp2d.send")}</SubmitButton>
        </PostForm>
        <ImportErrors errors={result?.importErrors} />
      </section>

      <section className="card" data-testid="sp2d-absorption">
        <h2>{t("import.sp2d.absorption")}</h2>
        {d.total ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("import.sp2d.opd")}</th>
                  <th className="num">{t("import.sp2d.budget")}</th>
                  <th className="num">{t("import.sp2d.paid")}</th>
                  <th className="num">{t("import.sp2d.percent")}</th>
                </tr>
              </thead>
              <tbody>
                {d.byOpd.map((o) => (
                  <tr key={o.code}>
                    <td>
                      <Link to={`?opd=${encodeURIComponent(o.code)}`}>{o.name}</Link>
                    </td>
                    <td className="num">{formatRupiah(o.budget)}</td>
                    <td className="num">{formatRupiah(o.paid)}</td>
                    <td className="num">{o.percent.replace(".", lang === "id" ? "," : ".")}</td>
                  </tr>
                ))}
                <tr>
                  <th>{t("import.sp2d.total")}</th>
                  <th className="num">{formatRupiah(d.total.budget)}</th>
                  <th className="num">{formatRupiah(d.total.paid)}</th>
                  <th className="num">{d.total.percent.replace(".", lang === "id" ? "," : ".")}</th>
                </tr>
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("import.sp2d.noApbd", { year: d.year })}</p>
        )}
      </section>

      <section className="card" data-testid="sp2d-list">
        <h2>{t("import.sp2d.list")}</h2>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="opd">{t("import.sp2d.opd")}</label>
            <select id="opd" name="opd" defaultValue={d.opd}>
              <option value="">{t("import.sp2d.allOpd")}</option>
              {d.byOpd.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <button className="button button--secondary" type="submit">
            {t("import.sp2d.filter")}
          </button>
        </Form>
        {d.list.rows.length ? (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("import.sp2d.number")}</th>
                  <th>{t("import.sp2d.date")}</th>
                  <th>{t("import.sp2d.opd")}</th>
                  <th>{t("import.sp2d.sub")}</th>
                  <th>{t("import.sp2d.account")}</th>
                  <th className="num">{t("import.sp2d.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {d.list.rows.map((p) => (
                  <tr key={p.id}>
                    <td>
                      {p.number}
                      {p.description ? <div className="muted">{p.description}</div> : null}
                    </td>
                    <td>{formatDate(`${p.paid_on}T12:00:00+07:00`, lang)}</td>
                    <td>{p.opd_name}</td>
                    <td>
                      {p.sub_code} {p.sub_name}
                    </td>
                    <td>
                      {p.account_code}
                      <div className="muted">{p.line_description}</div>
                    </td>
                    <td className="num">{formatRupiah(p.amount)}</td>
                  </tr>
                ))}
                <tr>
                  <th colSpan={5}>{t("import.sp2d.count", { n: d.list.count })}</th>
                  <th className="num" data-testid="sp2d-total">
                    {formatRupiah(d.list.total)}
                  </th>
                </tr>
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("import.sp2d.none")}</p>
        )}
        {d.list.pages > 1 ? (
          <nav className="actions" aria-label="pagination">
            {d.list.page > 1 ? <Link to={pageLink(d.list.page - 1)}>← {t("mus.public.prev")}</Link> : null}
            <span>{t("mus.public.page", { page: d.list.page, pages: d.list.pages })}</span>
            {d.list.page < d.list.pages ? <Link to={pageLink(d.list.page + 1)}>{t("mus.public.next")} →</Link> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
