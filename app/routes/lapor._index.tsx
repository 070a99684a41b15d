import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { clientIpOf } from "~/load-context";
import { config } from "~/config.server";
import { csrfToken } from "~/csrf.server";
import { field, files, readForm, runUseCase } from "~/http.server";
import { getViewer } from "~/session.server";
import { processPhotos, systemClock } from "~/domain.server";
import { COMPLAINT_TEXT_MAX, assertPhotoCount, complaintCategories, complaintTarget, requestSources, submitComplaint } from "~/pengaduan.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { MapPicker } from "~/components/map-picker";
import { useT } from "~/hooks";
import leafletCss from "leaflet/dist/leaflet.css";

export { passHeaders as headers } from "~/headers";
export const links = () => [{ rel: "stylesheet", href: leafletCss }];
export const meta: MetaFunction = () => [{ title: "Lapor — Jejak" }];

/** Three photos of 5 MB each, plus the fields. */
const MAX_UPLOAD = 3 * 5 * 1024 * 1024 + 256 * 1024;
const KINDS = [
  ["kontrak", "contract"],
  ["usulan", "proposal"],
  ["subkegiatan", "sub_activity"],
] as const;

/**
 * The citizen's report form: what it is about comes from the address (?kontrak=<id>, ?usulan=<id>,
 * ?subkegiatan=<id>, or ?lat=&lng= for a place); ?tiket= jumps to a report being followed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const ticket = url.searchParams.get("tiket");
  if (ticket) throw redirect(`/lapor/${encodeURIComponent(ticket.trim())}`);
  const viewer = await getViewer(request);
  const db = await em();
  const tenant = config().tenant;
  const param = KINDS.find(([q]) => url.searchParams.get(q));
  const target = param ? await complaintTarget(db, tenant, param[1], url.searchParams.get(param[0])) : null;
  return json(
    {
      csrf: csrfToken(request) ?? "",
      target,
      lat: url.searchParams.get("lat") ?? "",
      lng: url.searchParams.get("lng") ?? "",
      categories: await complaintCategories(db, tenant),
      signedIn: viewer.actor.isAuthenticated ? viewer.actor.displayName : null,
      textMax: COMPLAINT_TEXT_MAX,
    },
    { headers: { "Cache-Control": "private, no-store", ...(viewer.setCookie ? { "Set-Cookie": viewer.setCookie } : {}) } },
  );
}

type Values = Record<string, string>;

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await getViewer(request);
  const form = await readForm(request, { maxBytes: MAX_UPLOAD, maxFieldChars: { text: COMPLAINT_TEXT_MAX + 100 } });
  const values = {
    targetKind: field(form, "targetKind"),
    targetId: field(form, "targetId"),
    category: field(form, "category"),
    text: field(form, "text"),
    identity: field(form, "identity"),
    name: field(form, "name"),
    contact: field(form, "contact"),
    lat: field(form, "lat"),
    lng: field(form, "lng"),
    regionCode: field(form, "regionCode"),
  };
  const uploads = await files(form, "photos");
  const r = await runUseCase(request, async () => {
    // The count is checked before any image is decoded: a fourth photo costs no processing.
    assertPhotoCount(uploads.length);
    const photos = await processPhotos(uploads);
    return submitComplaint(await em(), viewer.actor, systemClock, { ...values, photos, sources: requestSources(request, viewer.actor, clientIpOf(context)) });
  });
  if (!r.ok) return json({ ...(await r.response.json()), values, done: null }, { status: r.response.status });
  return json({ done: { number: r.value.number, ticket: r.value.ticket, held: r.value.status === "held" }, values: {} as Values, message: null, fieldErrors: {} }, { headers: { "Cache-Control": "no-store" } });
}

export default function Lapor() {
  const { target, lat, lng, categories, signedIn, textMax } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    | { done: { number: string; ticket: string; held: boolean } | null; values?: Values; message?: string; fieldErrors?: Record<string, string> }
    | undefined;
  const t = useT();
  if (result?.done) {
    const d = result.done;
    return (
      <section className="card" data-testid="lapor-done">
        <h1>{t("lapor.done.title")}</h1>
        <p>
          {d.number} · {t("lapor.done.ticket")}:
        </p>
        <p className="ticket" data-testid="ticket">
          <strong style={{ fontSize: "1.6rem", letterSpacing: "0.1em" }}>{d.ticket}</strong>
        </p>
        <p>{t("lapor.done.keep")}</p>
        {d.held ? <p className="notice">{t("lapor.done.held")}</p> : null}
        <p>
          <Link className="button" to={`/lapor/${d.ticket}`}>
            {t("lapor.done.follow")}
          </Link>
        </p>
      </section>
    );
  }
  const v = result?.values ?? {};
  const errs = result?.fieldErrors ?? {};
  const kind = target?.kind ?? "point";
  const identity = v.identity || (signedIn ? "named" : "anonymous");
  return (
    <>
      <h1>{t("lapor.title")}</h1>
      <p>{t("lapor.intro")}</p>
      <FormMessage message={result?.message} />
      <PostForm className="form card" encType="multipart/form-data" noValidate>
        <input type="hidden" name="targetKind" value={kind} />
        <input type="hidden" name="targetId" value={target?.id ?? ""} />
        <Field name="target" label={t("lapor.about")} error={errs.target}>
          <p data-testid="lapor-target">
            {t(`lapor.target.${kind}`)}
            {target ? (
              <>
                : {target.href ? <Link to={target.href}>{target.label}</Link> : target.label}
              </>
            ) : null}
          </p>
        </Field>
        <Field name="category" label={t("lapor.field.category")} error={errs.category}>
          <select id="category" name="category" defaultValue={v.category ?? ""} required {...errorProps("category", errs.category)}>
            <option value="">—</option>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {t("lapor.category.sla", { name: !c.nationalName || t(`lapor.category.${c.code}`) === `lapor.category.${c.code}` ? c.name : t(`lapor.category.${c.code}`), days: c.slaDays })}
              </option>
            ))}
          </select>
        </Field>
        <Field name="text" label={t("lapor.field.text")} error={errs.text} help={t("lapor.field.textHelp")}>
          <textarea id="text" name="text" rows={6} maxLength={textMax} defaultValue={v.text ?? ""} required {...errorProps("text", errs.text)} />
        </Field>
        <fieldset>
          <legend>{kind === "point" ? t("lapor.target.point") : t("mus.field.location")}</legend>
          <MapPicker />
          <Field name="lat" label={t("lapor.field.lat")} error={errs.lat}>
            <input id="lat" name="lat" inputMode="decimal" defaultValue={v.lat ?? lat} {...errorProps("lat", errs.lat)} />
          </Field>
          <Field name="lng" label={t("lapor.field.lng")} error={errs.lng}>
            <input id="lng" name="lng" inputMode="decimal" defaultValue={v.lng ?? lng} {...errorProps("lng", errs.lng)} />
          </Field>
          {kind === "point" ? (
            <Field name="regionCode" label={t("lapor.field.region")} error={errs.regionCode}>
              <input id="regionCode" name="regionCode" defaultValue={v.regionCode ?? ""} {...errorProps("regionCode", errs.regionCode)} />
            </Field>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{t("lapor.field.identity")}</legend>
          {(["anonymous", "confidential", "named"] as const).map((m) => (
            <label key={m} className="radio">
              <input type="radio" name="identity" value={m} defaultChecked={identity === m} /> {t(`lapor.identity.${m}`)}
            </label>
          ))}
          {errs.identity ? <p className="field__error">{errs.identity}</p> : null}
          <Field name="name" label={t("lapor.field.name")} error={errs.name}>
            <input id="name" name="name" maxLength={120} autoComplete="name" defaultValue={v.name ?? signedIn ?? ""} {...errorProps("name", errs.name)} />
          </Field>
          <Field name="contact" label={t("lapor.field.contact")} error={errs.contact}>
            <input id="contact" name="contact" maxLength={120} defaultValue={v.contact ?? ""} {...errorProps("contact", errs.contact)} />
          </Field>
        </fieldset>
        <Field name="photos" label={t("lapor.field.photos")} error={errs.photos}>
          <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple capture="environment" />
        </Field>
        <SubmitButton>{t("lapor.submit")}</SubmitButton>
      </PostForm>
      <section className="card">
        <h2>{t("lapor.follow.title")}</h2>
        <Form method="get" action="/lapor">
          <Field name="tiket" label={t("lapor.follow.ticket")}>
            <input id="tiket" name="tiket" autoComplete="off" autoCapitalize="characters" placeholder="XXXX-XXXX-XXXX" />
          </Field>
          <button type="submit" className="button button--secondary">
            {t("lapor.follow.go")}
          </button>
        </Form>
      </section>
      <p>
        <a href="/api/pengaduan">{t("lapor.openData")}</a>
      </p>
    </>
  );
}
