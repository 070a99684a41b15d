import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import { askQuestion, BID_MAX_BYTES, BID_MAX_FILES, fileSanggah, parseRupiahInput, submitBid, systemClock, vendorTenderView, withdrawBid } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { TenderDetails, TenderStatusBadge } from "~/components/pengadaan";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.package.name} — Jejak penyedia` : "Pemilihan — Jejak" }];

/** The bid's files and its fields: five documents of 5 MB each at most, plus the form. */
const MAX_UPLOAD = BID_MAX_FILES * BID_MAX_BYTES + 256 * 1024;

async function load(request: Request, id: string) {
  const viewer = await guardSomewhere(request, "procure.bid");
  const r = await runUseCase(request, async () => vendorTenderView(await em(), viewer.actor, systemClock, id));
  if (!r.ok) throw r.response;
  return { viewer, view: r.value };
}

/**
 * A selection as a contractor sees it, phone first and without JavaScript: its public data, schedule,
 * documents, questions and answers (never another vendor's bid before the opening: only their number),
 * the contractor's own bids, and the forms for what they may do now — ask, bid or replace the bid (price
 * in Indonesian format, a note, up to five files, sealed before it is stored), withdraw, and after the
 * winner is announced object (sanggah) or appeal (banding, construction).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, view } = await load(request, params.id ?? "");
  return json({ view }, { headers: viewerHeaders(viewer) });
}

type Values = { price?: string; note?: string; question?: string; text?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.bid");
  const id = params.id ?? "";
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const intent = field(form, "intent");
  const t = tFor(request);
  const values: Values = { price: field(form, "price"), note: field(form, "note"), question: field(form, "question"), text: field(form, "text") };
  const db = await em();
  let done: string;
  let work: () => Promise<unknown>;
  switch (intent) {
    case "ask":
      done = "pengadaan.vendor.questionSaved";
      work = () => askQuestion(db, viewer.actor, systemClock, id, values.question ?? "");
      break;
    case "bid": {
      // The price as people write it ("1.250.000.000" or "1.250.000.000,50"), to the canonical decimal.
      const price = parseRupiahInput(values.price ?? "");
      if (!price.ok) return json({ ok: false, message: t("form.errors"), fieldErrors: { price: t(price.key, price.params) }, values, intent }, { status: 400 });
      const documents: { name: string; type: string; bytes: Buffer }[] = [];
      for (const f of form.getAll("documents"))
        if (typeof f !== "string" && f.size > 0) documents.push({ name: f.name, type: f.type || "application/octet-stream", bytes: Buffer.from(await f.arrayBuffer()) });
      done = "pengadaan.vendor.bidSaved";
      work = () => submitBid(db, viewer.actor, systemClock, id, { price: price.value, note: values.note, documents });
      break;
    }
    case "withdraw":
      done = "pengadaan.vendor.bidWithdrawn";
      work = () => withdrawBid(db, viewer.actor, systemClock, id);
      break;
    case "sanggah":
    case "banding":
      done = "pengadaan.vendor.sanggahSaved";
      work = () => fileSanggah(db, viewer.actor, systemClock, id, intent, values.text ?? "");
      break;
    default:
      return json({ ok: false, message: t("form.malformed"), fieldErrors: {}, values, intent }, { status: 400 });
  }
  const r = await runUseCase(request, work);
  if (!r.ok) return json({ ...((await r.response.json()) as object), values, intent }, { status: r.response.status });
  return redirect(`/vendor/tender/${id}`, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: t(done) }) } });
}

export default function VendorTender() {
  const { view } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string>; values?: Values; intent?: string } | undefined;
  const t = useT();
  const lang = useLang();
  const { package: p, tender: tn, can } = view;
  const errs = result?.fieldErrors ?? {};
  const v = result?.values ?? {};
  const sealed = view.myBids.find((b) => b.status === "sealed");
  return (
    <>
      <p className="breadcrumb">
        <Link to="/vendor">{t("ws.vendor.title")}</Link> › <Link to={`/pengadaan/${p.id}`}>{t("pengadaan.vendor.publicPage")}</Link>
      </p>
      <h1>{p.name}</h1>
      <p>
        {tn.code} · {p.opd.name} · <TenderStatusBadge status={tn.status} />
      </p>
      {view.blacklisted ? (
        <div className="notice notice--error" role="alert">
          {t("pengadaan.vendor.blacklisted", { until: view.blacklisted.until })} {view.blacklisted.reason}
        </div>
      ) : null}
      <FormMessage message={result?.message} />

      <section className="card" data-testid="my-bid">
        <h2>{t("pengadaan.vendor.myBid")}</h2>
        {view.myBids.length ? (
          <ul>
            {view.myBids.map((b) => (
              <li key={b.id} data-bid={b.id}>
                <strong>{t(`pengadaan.bidStatus.${b.status}`)}</strong> <span className="muted">{formatDateTime(b.submittedAt, lang)}</span>
                {b.price ? <div>{t("pengadaan.bid.price")}: {formatRupiah(b.price)}</div> : null}
                {b.status === "sealed" ? <div className="muted code" style={{ overflowWrap: "anywhere" }}>SHA-256 {b.sealedSha256}</div> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("pengadaan.vendor.noBidHere")}</p>
        )}
        {can.bid ? (
          <PostForm className="form" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="bid" />
            <p className="field__help">{t("pengadaan.vendor.bidHelp", { deadline: tn.bidDeadline ? formatDateTime(tn.bidDeadline, lang) : "–" })}</p>
            <Field name="price" label={t("pengadaan.vendor.price")} error={result?.intent === "bid" ? errs.price : undefined} help={t("pengadaan.vendor.priceHelp", { hps: formatRupiah(tn.hps) })}>
              <input id="price" name="price" inputMode="decimal" autoComplete="off" defaultValue={result?.intent === "bid" ? v.price : ""} {...errorProps("price", result?.intent === "bid" ? errs.price : undefined)} />
            </Field>
            <Field name="note" label={t("pengadaan.vendor.note")} error={result?.intent === "bid" ? errs.note : undefined}>
              <textarea id="note" name="note" rows={3} maxLength={2000} defaultValue={result?.intent === "bid" ? v.note : ""} />
            </Field>
            <Field name="documents" label={t("pengadaan.vendor.documents", { max: view.maxFiles })} error={result?.intent === "bid" ? (errs.documents ?? Object.entries(errs).find(([k]) => k.startsWith("documents."))?.[1]) : undefined}>
              <input id="documents" name="documents" type="file" multiple />
            </Field>
            <SubmitButton>{sealed ? t("pengadaan.vendor.replaceBid") : t("pengadaan.vendor.submitBid")}</SubmitButton>
          </PostForm>
        ) : null}
        {can.withdraw ? (
          <PostForm className="actions">
            <input type="hidden" name="intent" value="withdraw" />
            <SubmitButton className="button button--danger">{t("pengadaan.vendor.withdraw")}</SubmitButton>
          </PostForm>
        ) : null}
      </section>

      {can.ask ? (
        <section className="card">
          <h2>{t("pengadaan.vendor.ask")}</h2>
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="ask" />
            <Field name="question" label={t("pengadaan.vendor.question")} error={result?.intent === "ask" ? errs.question : undefined} help={t("pengadaan.vendor.questionHelp")}>
              <textarea id="question" name="question" rows={4} maxLength={2000} defaultValue={result?.intent === "ask" ? v.question : ""} {...errorProps("question", result?.intent === "ask" ? errs.question : undefined)} />
            </Field>
            <SubmitButton>{t("pengadaan.vendor.send")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}

      {can.sanggah || can.banding ? (
        <section className="card">
          <h2>{can.banding ? t("pengadaan.vendor.banding") : t("pengadaan.vendor.sanggah")}</h2>
          <PostForm className="form" noValidate>
            {!(can.sanggah && can.banding) ? <input type="hidden" name="intent" value={can.sanggah ? "sanggah" : "banding"} /> : null}
            {can.sanggah && can.banding ? (
              <fieldset>
                <legend>{t("pengadaan.vendor.kind")}</legend>
                <label className="check">
                  <input type="radio" name="intent" value="sanggah" defaultChecked /> {t("pengadaan.sanggah.sanggah")}
                </label>
                <label className="check">
                  <input type="radio" name="intent" value="banding" /> {t("pengadaan.sanggah.banding")}
                </label>
              </fieldset>
            ) : null}
            <Field name="text" label={t("pengadaan.vendor.sanggahText")} error={result?.intent === "sanggah" || result?.intent === "banding" ? errs.text : undefined} help={t("pengadaan.vendor.sanggahHelp")}>
              <textarea id="text" name="text" rows={6} defaultValue={v.text ?? ""} />
            </Field>
            <SubmitButton>{t("pengadaan.vendor.send")}</SubmitButton>
          </PostForm>
        </section>
      ) : null}

      <section className="card">
        <h2>{t("pengadaan.section.tender")}</h2>
        <TenderDetails tender={tn} mine={{ questions: view.myQuestionIds, sanggah: view.mySanggahIds }} />
      </section>
    </>
  );
}
