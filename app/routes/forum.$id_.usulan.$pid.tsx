import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { viewerHeaders } from "~/guard.server";
import { field, files, readForm, refuse, runUseCase } from "~/http.server";
import { guardForum } from "~/musrenbang.server";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import { addPhotos, editProposal, listOpds, processPhotos, proposalDetail, removePhoto, systemClock, withdrawProposal } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ProposalFields, StatusBadge, proposalValuesFrom, type ProposalValues } from "~/components/musrenbang";
import { useT } from "~/hooks";
import leafletCss from "leaflet/dist/leaflet.css";

export const links = () => [{ rel: "stylesheet", href: leafletCss }];

const MAX_UPLOAD = 5 * 5 * 1024 * 1024 + 256 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, header } = await guardForum(request, params.id ?? "");
  const db = await em();
  const p = await proposalDetail(db, viewer.actor.tenant, params.pid ?? "");
  if (!p || p.originForumId !== header.id) throw refuse(404, "musrenbang.usulan.notFound");
  return json({ header, p, opds: await listOpds(db) }, { headers: viewerHeaders(viewer) });
}

/** Edits the proposal (intent=edit), adds or removes photos, or withdraws it — while its forum is open. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const intent = field(form, "intent");
  const values = proposalValuesFrom(form);
  const pid = params.pid!;
  const version = Number(field(form, "version"));
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "edit") return editProposal(db, viewer.actor, systemClock, pid, values as never, version);
    if (intent === "photos") return addPhotos(db, viewer.actor, systemClock, pid, await processPhotos(await files(form, "photos")));
    if (intent === "removePhoto") return removePhoto(db, viewer.actor, systemClock, pid, field(form, "photo"));
    if (intent === "withdraw") return withdrawProposal(db, viewer.actor, systemClock, pid, field(form, "reason"), version);
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return json({ ...(await r.response.json()), values, intent }, { status: r.response.status });
  const back = intent === "withdraw" ? `/forum/${params.id}` : `/forum/${params.id}/usulan/${pid}`;
  return redirect(back, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: tFor(request)("mus.forum.saved") }) } });
}

export default function EditProposal() {
  const { header, p, opds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string>; values?: ProposalValues; intent?: string } | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  const values: ProposalValues = result?.intent === "edit" && result.values
    ? result.values
    : {
        title: p.title,
        problem: p.problem,
        kind: p.kind,
        thematicGroup: p.thematicGroup,
        address: p.address,
        rt: p.rt,
        rw: p.rw,
        volume: p.volume,
        unit: p.unit,
        targetOpd: p.opd.code,
        bidangUrusan: p.bidangUrusan.code,
        lat: p.location?.lat ?? "",
        lng: p.location?.lng ?? "",
        estimatedCost: p.estimatedCost,
        beneficiaries: String(p.beneficiaries),
      };
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/forum/${header.id}`}>
          {header.name} {header.fiscalYear}
        </Link>{" "}
        › {p.code}
      </p>
      <h1>
        {p.code} <StatusBadge status={p.status} />
      </h1>
      <FormMessage message={result?.message} />
      <PostForm className="form" noValidate>
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="version" value={p.version} />
        <ProposalFields values={values} errors={result?.intent === "edit" ? errs : {}} opds={opds} />
        <SubmitButton>{t("admin.users.save")}</SubmitButton>
      </PostForm>
      <h2>{t("mus.field.photos")}</h2>
      <div className="photos">
        {p.photos.map((ph) => (
          <figure key={ph.id}>
            <img src={`/usulan/foto/${ph.id}?kecil=1`} alt={ph.filename} />
            <PostForm>
              <input type="hidden" name="intent" value="removePhoto" />
              <input type="hidden" name="photo" value={ph.id} />
              <SubmitButton className="link-button">{t("admin.users.removeRole")}</SubmitButton>
            </PostForm>
          </figure>
        ))}
      </div>
      <PostForm className="form" encType="multipart/form-data">
        <input type="hidden" name="intent" value="photos" />
        <Field name="photos" label={t("mus.field.photos")} error={result?.intent === "photos" ? (errs.photos ?? result.message) : undefined}>
          <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple />
        </Field>
        <SubmitButton className="button button--secondary">{t("mus.field.photos").split(" (")[0]} +</SubmitButton>
      </PostForm>
      <details className="card">
        <summary>{t("mus.action.withdraw")}</summary>
        <PostForm className="form">
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={p.version} />
          <Field name="reason" label={t("mus.field.reason")} error={result?.intent === "withdraw" ? (errs.reason ?? result.message) : undefined}>
            <textarea id="reason" name="reason" rows={2} maxLength={2000} />
          </Field>
          <SubmitButton className="button">{t("mus.action.withdraw")}</SubmitButton>
        </PostForm>
      </details>
    </>
  );
}
