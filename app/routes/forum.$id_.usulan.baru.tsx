import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { viewerHeaders } from "~/guard.server";
import { files, readForm, refuse, runUseCase } from "~/http.server";
import { guardForum } from "~/musrenbang.server";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import { addPhotos, listOpds, processPhotos, raiseProposal, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ProposalFields, proposalValuesFrom, type ProposalValues } from "~/components/musrenbang";
import { useT } from "~/hooks";
import leafletCss from "leaflet/dist/leaflet.css";

export const links = () => [{ rel: "stylesheet", href: leafletCss }];

/** Up to five photos of 5 MB each, plus the fields. */
const MAX_UPLOAD = 5 * 5 * 1024 * 1024 + 256 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, header } = await guardForum(request, params.id ?? "");
  if (header.level !== "desa") throw refuse(404, "musrenbang.forum.notDesa");
  return json({ header, opds: await listOpds(await em()) }, { headers: viewerHeaders(viewer) });
}

/**
 * Raises a proposal, then attaches its photos. The photos are checked before anything is saved, so a
 * bad photo loses nothing the facilitator typed: the form comes back filled with the message.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const form = await readForm(request, { maxBytes: MAX_UPLOAD });
  const values = proposalValuesFrom(form);
  const r = await runUseCase(request, async () => {
    const photos = await processPhotos(await files(form, "photos"));
    const created = await raiseProposal(await em(), viewer.actor, systemClock, params.id!, values as never);
    if (photos.length) await addPhotos(await em(), viewer.actor, systemClock, created.id, photos);
    return created;
  });
  if (!r.ok) return json({ ...(await r.response.json()), values }, { status: r.response.status });
  return redirect(`/forum/${params.id}`, {
    headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: `${tFor(request)("mus.forum.saved")} ${r.value.code}` }) },
  });
}

export default function NewProposal() {
  const { header, opds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string>; values?: ProposalValues } | undefined;
  const t = useT();
  const errs = result?.fieldErrors ?? {};
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/forum/${header.id}`}>
          {header.name} {header.fiscalYear}
        </Link>
      </p>
      <h1>{t("mus.forum.newProposal")}</h1>
      <FormMessage message={result?.message} />
      <PostForm className="form" encType="multipart/form-data" noValidate>
        <ProposalFields values={result?.values ?? {}} errors={errs} opds={opds} />
        <Field name="photos" label={t("mus.field.photos")} error={errs.photos}>
          <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple capture="environment" />
        </Field>
        <SubmitButton>{t("admin.users.save")}</SubmitButton>
      </PostForm>
    </>
  );
}
