import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import { listOpds, raisePokir, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { ProposalFields, proposalValuesFrom, type ProposalValues } from "~/components/musrenbang";
import { useT } from "~/hooks";
import leafletCss from "leaflet/dist/leaflet.css";

export const links = () => [{ rel: "stylesheet", href: leafletCss }];

/** Bappeda records a DPRD member's pokir; it enters at the kabupaten forum and goes to OPD review. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "musrenbang.forum.kabupaten");
  const year = Number(new URL(request.url).searchParams.get("tahun")) || new Date().getUTCFullYear() + 1;
  return json({ year, opds: await listOpds(await em()) }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "musrenbang.forum.kabupaten");
  const form = await readForm(request);
  const values = proposalValuesFrom(form);
  const r = await runUseCase(request, async () => raisePokir(await em(), viewer.actor, systemClock, Number(field(form, "year")), values as never));
  if (!r.ok) return json({ ...(await r.response.json()), values }, { status: r.response.status });
  return redirect(`/usulan/${r.value.id}`, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: `${tFor(request)("mus.forum.saved")} ${r.value.code}` }) } });
}

export default function Pokir() {
  const { year, opds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string>; values?: ProposalValues } | undefined;
  const t = useT();
  return (
    <>
      <h1>
        {t("mus.forum.pokirNew")} {year}
      </h1>
      <FormMessage message={result?.message} />
      <PostForm className="form" noValidate>
        <input type="hidden" name="year" value={year} />
        <ProposalFields values={result?.values ?? {}} errors={result?.fieldErrors ?? {}} opds={opds} withDesa withProposer />
        <SubmitButton>{t("admin.users.save")}</SubmitButton>
      </PostForm>
    </>
  );
}
