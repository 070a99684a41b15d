import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, files, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { requireViewer } from "~/session.server";
import { can, canSomewhere, importPriceListFile, listPriceLists, PRICE_KINDS, searchPrices, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ImportErrors } from "~/components/import-errors";
import { formatCount, formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

/**
 * Standard prices (SSH, HSPK, ASB, SBU): TAPD and the admin import each year's lists (every bad row
 * reported by row and column, nothing stored until the whole file is right); whoever sees budgets
 * browses the lists and searches the items in force for a year.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const tenant = config().tenant;
  const manages = can(viewer.actor, "budget.prices.manage", { tenant });
  if (!manages && !canSomewhere(viewer.actor, "budget.view")) throw refuse(403, "error.403");
  const url = new URL(request.url);
  const db = await em();
  const lists = await listPriceLists(db, tenant);
  const asked = Number.parseInt(url.searchParams.get("tahun") ?? "", 10);
  const year = asked >= 2000 && asked <= 2100 ? asked : (lists[0]?.fiscalYear ?? new Date().getUTCFullYear() + 1);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const akun = (url.searchParams.get("akun") ?? "").trim().slice(0, 40);
  const searched = Boolean(q.trim() || akun);
  let items: Awaited<ReturnType<typeof searchPrices>> = [];
  let searchError: string | null = null;
  if (searched) {
    const r = await runUseCase(request, () => searchPrices(db, tenant, { q, year, account: akun || null, limit: 50 }));
    if (r.ok) items = r.value;
    else searchError = ((await r.response.json()) as { message: string }).message;
  }
  return json({ manages, kinds: PRICE_KINDS, lists, year, q, akun, searched, items, searchError }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "budget.prices.manage");
  const form = await readForm(request, { maxBytes: 25 * 1024 * 1024 });
  const t = tFor(request);
  const [file] = await files(form, "file");
  const header = { kind: field(form, "kind"), fiscalYear: field(form, "year"), decree: field(form, "decree"), source: file?.name ?? "" };
  const r = await runUseCase(request, async () =>
    importPriceListFile(await em(), viewer.actor, systemClock, header, file?.bytes ?? new Uint8Array(), file?.name ?? ""),
  );
  if (!r.ok) return r.response;
  if (!r.value.ok)
    return json(
      { ok: false, message: t("price.errors", { n: r.value.errors.length }), errors: r.value.errors.map((e) => ({ ...e, message: t(e.key, e.params) })) },
      { status: 400 },
    );
  return json({ ok: true, message: t("price.imported", { count: r.value.count }), errors: [] });
}

type ActionData = { ok?: boolean; message?: string; fieldErrors?: Record<string, string>; errors?: { row: number; column: string; header: string; message: string }[] };

export default function StandardPrices() {
  const { manages, kinds, lists, year, q, akun, searched, items, searchError } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const t = useT();
  const lang = useLang();
  const fe = result?.fieldErrors ?? {};
  return (
    <>
      <h1 data-testid="workspace-title">{t("price.title")}</h1>
      <p>{t("price.intro")}</p>

      <section className="card">
        <h2>{t("price.search")}</h2>
        <Form method="get" className="filters" role="search">
          <div className="field">
            <label htmlFor="q">{t("price.searchLabel")}</label>
            <input id="q" name="q" type="search" defaultValue={q} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="tahun">{t("price.year")}</label>
            <input id="tahun" name="tahun" inputMode="numeric" defaultValue={String(year)} size={6} />
          </div>
          <div className="field">
            <label htmlFor="akun">{t("price.account")}</label>
            <input id="akun" name="akun" defaultValue={akun} placeholder="5.1.02.01.01.0001" />
          </div>
          <button type="submit" className="button">
            {t("price.find")}
          </button>
        </Form>
        {searchError ? <FormMessage message={searchError} /> : null}
        {searched && !searchError ? (
          items.length ? (
            <div className="table-wrap">
              <table className="data" data-testid="price-results">
                <caption>{t("price.results", { year })}</caption>
                <thead>
                  <tr>
                    <th>{t("price.code")}</th>
                    <th>{t("price.name")}</th>
                    <th>{t("price.spec")}</th>
                    <th>{t("price.unit")}</th>
                    <th className="num">{t("price.price")}</th>
                    <th>{t("price.accounts")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id}>
                      <td>
                        <code>{i.code}</code> <span className="muted">{i.kind}</span>
                      </td>
                      <td>{i.name}</td>
                      <td>{i.spec}</td>
                      <td>{i.unit}</td>
                      <td className="num">{formatRupiah(i.price)}</td>
                      <td>
                        {i.accounts.map((a) => (
                          <code key={a} style={{ display: "block" }}>
                            {a}
                          </code>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">{t("price.noResults", { year })}</p>
          )
        ) : null}
      </section>

      <section className="card">
        <h2>{t("price.lists")}</h2>
        {lists.length ? (
          <div className="table-wrap">
            <table className="data" data-testid="price-lists">
              <thead>
                <tr>
                  <th>{t("price.kind")}</th>
                  <th>{t("price.year")}</th>
                  <th>{t("price.decree")}</th>
                  <th className="num">{t("price.items")}</th>
                  <th>{t("price.importedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {lists.map((l) => (
                  <tr key={l.id}>
                    <td>{l.kind}</td>
                    <td>{l.fiscalYear}</td>
                    <td>
                      {l.decree}
                      {l.source ? <div className="muted">{l.source}</div> : null}
                    </td>
                    <td className="num">{formatCount(l.itemCount, lang)}</td>
                    <td>
                      {formatDateTime(l.importedAt, lang)} · {l.importedBy}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("price.noLists")}</p>
        )}
      </section>

      {manages ? (
        <section className="card">
          <h2>{t("price.upload")}</h2>
          <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
          <ImportErrors errors={result?.errors} />
          <PostForm encType="multipart/form-data" className="form">
            <div className="grid2">
              <Field name="kind" label={t("price.kind")} error={fe.kind}>
                <select id="kind" name="kind" defaultValue="SSH">
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`price.kind.${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="year" label={t("price.year")} error={fe.year}>
                <input id="year" name="year" inputMode="numeric" defaultValue={String(year)} required />
              </Field>
            </div>
            <Field name="decree" label={t("price.decree")} error={fe.decree}>
              <input id="decree" name="decree" placeholder={t("price.decreeHint")} required />
            </Field>
            <Field name="file" label={t("price.file")} help={t("price.fileHelp")} error={fe.file}>
              <input id="file" name="file" type="file" accept=".csv,.xlsx" required />
            </Field>
            <SubmitButton>{t("price.upload")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
    </>
  );
}
