import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { viewerHeaders } from "~/guard.server";
import { requireViewer } from "~/session.server";
import { field, files, readForm, refuse, requirePermission, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { FUNDING_SOURCES, Money, TAX_RATES, terbilang, addLine, can, importRkaSheet, moveRka, noteRka, priceItem, removeLine, rkaView, searchPrices, systemClock, updateLine, type LineInput } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { html } from "~/components/html";
import { useT } from "~/hooks";
import { ImportErrors, type ImportErrorRow } from "~/components/import-errors";
import { renderSlot } from "~/render-data";

/** Every control is a link, a GET search or a POST form that works without JavaScript: the editor ships no scripts (see root.tsx), so a 300-line RKA is plain HTML. */
export const handle = { scripts: false };

/**
 * The RKA and who asks, as guard() would check them ("budget.view" over the RKA's OPD). The session is
 * looked up from the start, while the root loader looks it up too, so that the two share one lookup
 * (getViewer) instead of a second one after the RKA is read; a missing RKA is still a 404 first.
 */
async function load(request: Request, id: string) {
  const signedIn = requireViewer(request);
  signedIn.catch(() => {}); // a refusal (to /login) is thrown below, after the 404
  const db = await em();
  const view = await rkaView(db, config().tenant, id, { reuse: true }).catch(() => null);
  if (!view) throw refuse(404, "budget.rka.notFound");
  const viewer = await signedIn;
  requirePermission(viewer.actor, "budget.view", { tenant: config().tenant, opd: view.rka.opdCode });
  return { db, view, viewer };
}

/**
 * The RKA of a sub-activity (or an OPD's revenue/financing RKA): its lines grouped by heading, with
 * factors, volume, unit price against the standard, tax and amount; totals against the KUA-PPAS ceiling;
 * TAPD's notes. The OPD edits while draft or returned (a line is chosen from the standard price list by
 * searching); TAPD verifies, approves or returns with notes.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, view, viewer } = await load(request, params.id ?? "");
  const url = new URL(request.url);
  const tenant = config().tenant;
  const edits = (view.rka.status === "draft" || view.rka.status === "returned") && can(viewer.actor, "budget.rka.edit", { tenant, opd: view.rka.opdCode });
  const reviews = (view.rka.status === "submitted" || view.rka.status === "verified") && can(viewer.actor, "budget.rka.review", { tenant });
  const q = (url.searchParams.get("q") ?? "").trim();
  const hits = edits && q && view.rka.kind === "belanja" ? await searchPrices(db, tenant, { q, year: view.rka.year, limit: 20 }) : [];
  const chosen = edits && url.searchParams.get("item") ? await priceItem(db, tenant, url.searchParams.get("item")!) : null;
  const editing = edits ? (url.searchParams.get("edit") ?? "") : "";
  const { lines, headings, ...rest } = view;
  // The rows go to the component directly, not through the loader data (render-data.tsx).
  const table = tableOf(lines, headings);
  const handed = TABLE.set(context, table);
  return json(
    {
      ...rest,
      table: handed ? null : table,
      lineCount: lines.length,
      /** The line being edited, whole, for its form. */
      editLine: (editing && lines.find((l) => l.id === editing)) || null,
      edits,
      reviews,
      q,
      hits,
      chosen: chosen ? { id: chosen.id, code: chosen.code, name: chosen.name, spec: chosen.spec, unit: chosen.unit, price: chosen.price.toString(), accounts: chosen.accounts, kind: chosen.kind } : null,
      editing,
      words: terbilang(view.total),
      remaining: view.ceiling ? Money.idr(view.ceiling.amount).minus(Money.idr(view.total)).toString() : null,
      fundingSources: FUNDING_SOURCES,
      taxRates: TAX_RATES,
    },
    { headers: viewerHeaders(viewer) },
  );
}

type View = Awaited<ReturnType<typeof rkaView>>;
type Table = ReturnType<typeof tableOf>;
const TABLE = renderSlot<Table>("rka-table");

/**
 * What the lines table shows: each row carries its texts ready to show; a heading row rides on the
 * first line of each run of lines under that heading, with the heading's total; account names are kept
 * once per account. Handed to the component outside the loader data (render-data.tsx): an RKA of 300
 * lines would be 100 KB of JSON serialized, parsed back and serialized again on every request.
 */
function tableOf(lines: View["lines"], headings: View["headings"]) {
  const headingTotal = new Map(headings.map((h) => [h.heading, h.total]));
  const accountNames: Record<string, string | null> = {};
  let last: string | null = null;
  const rows = lines.map((l) => {
    accountNames[l.account_code] ??= l.account_name;
    const head = l.heading !== last && l.heading !== "" ? { heading: l.heading, total: headingTotal.get(l.heading) ?? "0" } : null;
    last = l.heading;
    return {
      id: l.id,
      position: l.position,
      head,
      account: l.account_code,
      description: l.description,
      spec: l.spec,
      item: l.price_item_code,
      factors: l.factors.map((f) => `${f.qty} ${f.unit}`).join(" × "),
      volume: `= ${l.volume} ${l.unit}`,
      price: l.unit_price,
      tax: l.tax_percent,
      amount: l.amount,
    };
  });
  return { lines: rows, accountNames };
}

function lineInput(form: FormData): LineInput {
  return {
    heading: field(form, "heading"),
    accountCode: field(form, "accountCode"),
    description: field(form, "description"),
    spec: field(form, "spec"),
    factors: [1, 2, 3, 4].map((i) => ({ qty: field(form, `q${i}`), unit: field(form, `u${i}`) })),
    unit: field(form, "unit"),
    priceItemId: field(form, "priceItemId"),
    unitPrice: field(form, "unitPrice"),
    justification: field(form, "justification"),
    taxPercent: field(form, "taxPercent"),
    fundingSource: field(form, "fundingSource"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await load(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: 10 * 1024 * 1024 });
  const intent = field(form, "intent");
  const id = params.id!;
  if (intent === "import") {
    const t = tFor(request);
    const [file] = await files(form, "file");
    const r = await runUseCase(request, async () => importRkaSheet(await em(), viewer.actor, systemClock, id, file?.bytes ?? new Uint8Array(), file?.name ?? ""));
    if (!r.ok) return r.response;
    if (!r.value.ok)
      return json(
        { ok: false, message: t("mus.forum.importErrors", { n: r.value.errors.length }), importErrors: r.value.errors.map((e) => ({ row: e.row, column: e.column, header: e.header, message: t(e.key, e.params) })), fieldErrors: {} },
        { status: 400 },
      );
    const { kept, ...counts } = r.value;
    const message = [t("import.rka.done", counts), kept.length ? t("import.rka.kept", { n: kept.length, list: kept.join(", ") }) : ""].filter(Boolean).join(" ");
    return json({ ok: true, message, fieldErrors: {} });
  }
  const version = Number(field(form, "version"));
  const r = await runUseCase(request, async () => {
    const db = await em();
    const a = viewer.actor;
    if (intent === "add") return addLine(db, a, systemClock, id, lineInput(form), version);
    if (intent === "update") return updateLine(db, a, systemClock, id, field(form, "line"), lineInput(form), version);
    if (intent === "remove") return removeLine(db, a, systemClock, id, field(form, "line"), version);
    if (intent === "note") return noteRka(db, a, systemClock, id, field(form, "line") || null, field(form, "note"));
    if (intent === "submit" || intent === "verify" || intent === "approve" || intent === "return") return moveRka(db, a, systemClock, id, intent, field(form, "note"), version);
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved"), fieldErrors: {} });
}

type Line = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["editLine"]>;
type Chosen = { id: string; code: string; name: string; spec: string; unit: string; price: string; accounts: string[] } | null;

/** The add/edit form of a line: the standard item (belanja), account, description, up to four factors, price, tax, funding. */
function LineForm({ line, chosen, errs, version, kind, fundingSources, taxRates, defaultFunding }: {
  line?: Line;
  chosen: Chosen;
  errs: Record<string, string>;
  version: number;
  kind: string;
  fundingSources: readonly string[];
  taxRates: readonly string[];
  defaultFunding: string;
}) {
  const t = useT();
  const k = line?.id ?? "new";
  const factors = line?.factors ?? [];
  const item = chosen ?? (line?.price_item_id ? { id: line.price_item_id, code: line.price_item_code ?? "", name: line.description, spec: line.spec, unit: line.unit, price: line.standard_price ?? "", accounts: [line.account_code] } : null);
  return (
    <PostForm className="form" noValidate>
      <input type="hidden" name="intent" value={line ? "update" : "add"} />
      <input type="hidden" name="version" value={version} />
      {line ? <input type="hidden" name="line" value={line.id} /> : null}
      {kind === "belanja" ? (
        <Field name={`priceItem-${k}`} label={t("rka.component")} error={errs.priceItem}>
          <input type="hidden" name="priceItemId" value={item?.id ?? ""} />
          <p id={`priceItem-${k}`} data-testid="chosen-item">
            {item ? `${item.code} — ${item.name} ${item.spec} (${formatRupiah(item.price)} / ${item.unit})` : "—"}
          </p>
        </Field>
      ) : null}
      <div className="grid2">
        <Field name={`heading-${k}`} label={t("rka.heading")}>
          <input id={`heading-${k}`} name="heading" defaultValue={line?.heading ?? ""} />
        </Field>
        <Field name={`accountCode-${k}`} label={t("rka.account")} error={errs.accountCode}>
          {item && item.accounts.length > 0 && !line ? (
            <select id={`accountCode-${k}`} name="accountCode">
              {item.accounts.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          ) : (
            <input id={`accountCode-${k}`} name="accountCode" defaultValue={line?.account_code ?? ""} placeholder="5.1.02.01.01.0052" />
          )}
        </Field>
      </div>
      <Field name={`description-${k}`} label={t("rka.description")} error={errs.description}>
        <input id={`description-${k}`} name="description" defaultValue={line?.description ?? item?.name ?? ""} />
      </Field>
      <Field name={`spec-${k}`} label={t("rka.spec")}>
        <input id={`spec-${k}`} name="spec" defaultValue={line?.spec ?? item?.spec ?? ""} />
      </Field>
      <fieldset>
        <legend>{t("rka.factors")}</legend>
        {[1, 2, 3, 4].map((i) => (
          <div className="grid2" key={i}>
            <Field name={`q${i}-${k}`} label={`${t("rka.volume")} ${i}`} error={errs[`factor${i}`]}>
              <input id={`q${i}-${k}`} name={`q${i}`} inputMode="decimal" defaultValue={factors[i - 1]?.qty ?? ""} />
            </Field>
            <Field name={`u${i}-${k}`} label={`${t("rka.unit")} ${i}`}>
              <input id={`u${i}-${k}`} name={`u${i}`} defaultValue={factors[i - 1]?.unit ?? ""} />
            </Field>
          </div>
        ))}
      </fieldset>
      <div className="grid2">
        <Field name={`unit-${k}`} label={t("rka.unit")}>
          <input id={`unit-${k}`} name="unit" defaultValue={line?.unit ?? item?.unit ?? ""} />
        </Field>
        <Field name={`unitPrice-${k}`} label={t("rka.unitPrice")} error={errs.unitPrice}>
          <input id={`unitPrice-${k}`} name="unitPrice" inputMode="decimal" defaultValue={line?.unit_price ?? ""} />
        </Field>
      </div>
      <Field name={`justification-${k}`} label={t("rka.justification")} error={errs.justification}>
        <textarea id={`justification-${k}`} name="justification" rows={2} defaultValue={line?.justification ?? ""} />
      </Field>
      <div className="grid2">
        <Field name={`taxPercent-${k}`} label={t("rka.tax")} error={errs.taxPercent}>
          <select id={`taxPercent-${k}`} name="taxPercent" defaultValue={line?.tax_percent ?? "0"}>
            {taxRates.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field name={`fundingSource-${k}`} label="Sumber dana" error={errs.fundingSource}>
          <select id={`fundingSource-${k}`} name="fundingSource" defaultValue={line?.funding_source ?? defaultFunding}>
            {fundingSources.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </Field>
      </div>
      <SubmitButton>{t("admin.users.save")}</SubmitButton>
    </PostForm>
  );
}

/**
 * The lines, grouped by heading, with the total. Rendered for RKAs of hundreds of lines, and the page
 * ships no scripts, so the rows are written as one HTML string (see components/html.ts): the same markup
 * React would write, at a fraction of the cost. Notes are grouped by line once, and the remove buttons
 * of all rows submit one form (the `form` attribute) instead of each carrying a form of its own. The
 * line being edited gets its form (React) in a tbody of its own between the rows before and after it.
 */
function LinesTable({ d, table, errs, defaultFunding }: { d: ReturnType<typeof useLoaderData<typeof loader>>; table: Table; errs: Record<string, string>; defaultFunding: string }) {
  const t = useT();
  const { rka, notes, total, editLine } = d;
  const { lines, accountNames } = table;
  const lineNotes = new Map<string, typeof notes>();
  for (const n of notes) if (n.line_id) lineNotes.set(n.line_id, [...(lineNotes.get(n.line_id) ?? []), n]);
  const actions = d.edits ? { edit: t("renja.edit"), remove: t("rka.remove") } : null;
  const row = (l: (typeof lines)[number]) => [
    l.head ? html`<tr class="row--group"><th colSpan="5">${l.head.heading}</th><th class="num">${formatRupiah(l.head.total)}</th><th></th></tr>` : null,
    html`<tr data-testid="line-${l.position}">`,
    html`<td>${l.account}<div class="muted">${accountNames[l.account]}</div></td>`,
    html`<td>${l.description}${l.spec ? html`<div class="muted">${l.spec}</div>` : null}${l.item ? html`<div class="muted">${l.item}</div>` : null}`,
    lineNotes.get(l.id)?.map((n) => html`<div class="notice notice--error">${n.author}: ${n.text}</div>`),
    html`</td><td>${l.factors}<div class="muted">${l.volume}</div></td>`,
    html`<td class="num">${formatRupiah(l.price)}</td><td class="num">${l.tax}%</td><td class="num">${formatRupiah(l.amount)}</td>`,
    html`<td>${actions ? html`<a href="?edit=${l.id}">${actions.edit}</a><button type="submit" form="rka-remove" name="line" value="${l.id}" class="button button--secondary">${actions.remove}</button>` : null}</td></tr>`,
  ];
  const rows = (part: typeof lines) => html`${part.map(row)}`;
  const totalRow = html`<tr><th colSpan="5">${t("rka.total")}</th><th class="num">${formatRupiah(total)}</th><th></th></tr>`;
  // Rows up to the one being edited, its form, then the rest (all of them when no line is edited).
  const cut = editLine ? lines.findIndex((l) => l.id === editLine.id) + 1 : 0;
  return (
    <div className="table-wrap">
      {d.edits ? (
        <PostForm id="rka-remove" className="inline-form">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="version" value={rka.version} />
        </PostForm>
      ) : null}
      <table className="data" data-testid="rka-lines">
        <thead>
          <tr>
            <th>{t("rka.account")}</th>
            <th>{t("rka.description")}</th>
            <th>{t("rka.factors").split(" (")[0]}</th>
            <th className="num">{t("rka.unitPrice").split(" (")[0]}</th>
            <th className="num">{t("rka.tax")}</th>
            <th className="num">{t("rka.amount")}</th>
            <th></th>
          </tr>
        </thead>
        {editLine && cut ? (
          <>
            <tbody dangerouslySetInnerHTML={{ __html: rows(lines.slice(0, cut)).html }} />
            <tbody>
              <tr>
                <td colSpan={7}>
                  <LineForm line={editLine} chosen={d.chosen} errs={errs} version={rka.version} kind={rka.kind} fundingSources={d.fundingSources} taxRates={d.taxRates} defaultFunding={defaultFunding} />
                </td>
              </tr>
            </tbody>
          </>
        ) : null}
        <tbody dangerouslySetInnerHTML={{ __html: html`${rows(lines.slice(cut))}${totalRow}`.html }} />
      </table>
    </div>
  );
}

export default function RkaEditor() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string>; importErrors?: ImportErrorRow[] } | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  const { rka, sub, notes, ceiling, total } = d;
  const table = TABLE.use() ?? d.table;
  const remaining = d.remaining;
  const notesOf = (line: string | null) => notes.filter((n) => n.line_id === line);
  const defaultFunding = sub?.funding_source ?? "PAD";
  return (
    <div className="doc">
      <p className="breadcrumb">
        <Link to={`/budget/opd/${rka.opdCode}?tahun=${rka.year}`}>{rka.opdName}</Link>
      </p>
      <h1 data-testid="workspace-title">
        {t("rka.title")} {rka.year} — {sub ? `${sub.code} ${sub.name}` : t(rka.kind === "pendapatan" ? "rka.revenue" : "rka.financing")}
      </h1>
      <p>
        <span className="badge badge--info" data-testid="rka-status">
          {t(`rka.status.${rka.status}`)}
        </span>{" "}
        {t("rka.total")}: <strong data-testid="rka-total">{formatRupiah(total)}</strong> <em>({d.words})</em>
        {ceiling ? (
          <>
            {" "}
            · {t("rka.ceiling")}: <strong>{formatRupiah(ceiling.amount)}</strong> · {t("rka.remaining")}:{" "}
            <strong className={remaining?.startsWith("-") ? "text--bad" : ""}>{formatRupiah(remaining!)}</strong>
          </>
        ) : null}
      </p>
      <p>
        <a href={`/unduh/rka/${rka.id}`} download data-testid="rka-download">
          {t("import.rka.download")}
        </a>
      </p>
      {d.proposals.length ? (
        <p data-testid="rka-proposals">
          {t("mus.public.title")}:{" "}
          {d.proposals.map((p, i) => (
            <span key={p.id}>
              {i ? ", " : ""}
              <Link to={`/usulan/${p.id}`}>{p.code}</Link> {p.title}
            </span>
          ))}
        </p>
      ) : null}
      {rka.returnNote && rka.status === "returned" ? <p className="notice notice--error">{rka.returnNote}</p> : null}
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      {notesOf(null).length ? (
        <section className="card">
          <h2>{t("rka.notes")}</h2>
          {notesOf(null).map((n) => (
            <p key={n.id}>
              <strong>{n.author}</strong> ({n.at.slice(0, 10)}): {n.text}
            </p>
          ))}
        </section>
      ) : null}
      {table ? (
        <LinesTable d={d} table={table} errs={errs} defaultFunding={defaultFunding} />
      ) : (
        <p className="muted" role="status">
          …
        </p>
      )}
      {d.edits ? (
        <section className="card" data-testid="add-line">
          <h2>{t("rka.addLine")}</h2>
          {rka.kind === "belanja" ? (
            <>
              <Form method="get" className="filters">
                <div className="field">
                  <label htmlFor="q">{t("rka.componentSearch")}</label>
                  <input id="q" name="q" defaultValue={d.q} />
                </div>
                <button className="button button--secondary" type="submit">
                  {t("audit.filter")}
                </button>
              </Form>
              {d.q && !d.hits.length ? <p className="muted">{t("rka.search.none")}</p> : null}
              <ul data-testid="price-hits">
                {d.hits.map((h) => (
                  <li key={h.id}>
                    <Link to={`?item=${h.id}&q=${encodeURIComponent(d.q)}`}>{t("rka.use")}</Link> {h.code} — {h.name} {h.spec} · {formatRupiah(h.price)} / {h.unit}{" "}
                    <span className="muted">({h.kind})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {rka.kind !== "belanja" || d.chosen || errs.priceItem ? (
            <LineForm chosen={d.chosen} errs={d.editing ? {} : errs} version={rka.version} kind={rka.kind} fundingSources={d.fundingSources} taxRates={d.taxRates} defaultFunding={defaultFunding} />
          ) : null}
        </section>
      ) : null}
      {d.edits ? (
        <details className="card" open={!!result?.importErrors} data-testid="rka-import">
          <summary>{t("import.rka.upload")}</summary>
          <p className="muted">{t("import.rka.help")}</p>
          <PostForm encType="multipart/form-data" className="actions">
            <input type="hidden" name="intent" value="import" />
            <input name="file" type="file" accept=".xlsx" aria-label={t("import.rka.upload")} />
            <SubmitButton>{t("import.rka.send")}</SubmitButton>
          </PostForm>
          <ImportErrors errors={result?.importErrors} />
        </details>
      ) : null}
      {d.edits && d.lineCount ? (
        <PostForm>
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="version" value={rka.version} />
          <SubmitButton>{t("rka.submit")}</SubmitButton>
        </PostForm>
      ) : null}
      {d.reviews ? (
        <section className="card" data-testid="review">
          <h2>{t("rka.notes")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="note" />
            <div className="grid2">
              <Field name="noteLine" label={t("rka.description")}>
                {/* One option per line, hundreds of them: written as HTML, as the table's rows are. */}
                <select
                  id="noteLine"
                  name="line"
                  dangerouslySetInnerHTML={{ __html: html`<option value="">${t("rka.whole")}</option>${(table?.lines ?? []).map((l) => html`<option value="${l.id}">${l.position}. ${l.description}</option>`)}`.html }}
                />
              </Field>
              <Field name="lineNote" label={t("rka.note")} error={errs.note}>
                <input id="lineNote" name="note" />
              </Field>
            </div>
            <SubmitButton className="button button--secondary">{t("rka.addNote")}</SubmitButton>
          </PostForm>
          <div className="actions">
            {rka.status === "submitted" ? (
              <PostForm className="inline-form">
                <input type="hidden" name="intent" value="verify" />
                <input type="hidden" name="version" value={rka.version} />
                <SubmitButton>{t("rka.verify")}</SubmitButton>
              </PostForm>
            ) : null}
            {rka.status === "verified" ? (
              <PostForm className="inline-form">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="version" value={rka.version} />
                <SubmitButton>{t("rka.approve")}</SubmitButton>
              </PostForm>
            ) : null}
          </div>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="return" />
            <input type="hidden" name="version" value={rka.version} />
            <Field name="returnNote" label={t("rka.return")}>
              <textarea id="returnNote" name="note" rows={2} />
            </Field>
            <SubmitButton className="button button--danger">{t("rka.return")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}
    </div>
  );
}
