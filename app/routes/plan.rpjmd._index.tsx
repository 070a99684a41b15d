import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { draftRpjmd, listRpjmd, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { useT } from "~/hooks";

/** Bappeda's RPJMD list, and the form that drafts a new one. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  return json({ list: await listRpjmd(await em(), config().tenant) }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const form = await readForm(request);
  const r = await runUseCase(request, async () =>
    draftRpjmd(await em(), viewer.actor, systemClock, {
      startYear: field(form, "startYear"),
      vision: field(form, "vision"),
      legalBasis: field(form, "legalBasis"),
      missions: field(form, "missions").split(/\r?\n/),
    }),
  );
  if (!r.ok) return r.response;
  return redirect(`/plan/rpjmd/${r.value}`);
}

export default function RpjmdList() {
  const { list } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string> } | undefined;
  const errs = result?.fieldErrors ?? {};
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("rpjmd.title")}</h1>
      <ul>
        {list.map((r) => (
          <li key={r.id}>
            <Link to={`/plan/rpjmd/${r.id}`}>
              RPJMD {r.start_year}–{r.end_year}
            </Link>{" "}
            <span className="badge badge--info">{t(`rpjmd.status.${r.status}`)}</span> {r.vision}
          </li>
        ))}
      </ul>
      <section className="card">
        <h2>{t("rpjmd.draft")}</h2>
        <FormMessage message={result?.message} />
        <PostForm className="form" noValidate>
          <Field name="startYear" label={t("rpjmd.startYear")} error={errs.startYear}>
            <input id="startYear" name="startYear" type="number" defaultValue={new Date().getUTCFullYear()} />
          </Field>
          <Field name="vision" label={t("rpjmd.vision")} error={errs.vision}>
            <textarea id="vision" name="vision" rows={2} />
          </Field>
          <Field name="missions" label={t("rpjmd.missions")} error={errs.missions}>
            <textarea id="missions" name="missions" rows={5} />
          </Field>
          <Field name="legalBasis" label={t("rpjmd.legalBasis")}>
            <input id="legalBasis" name="legalBasis" />
          </Field>
          <SubmitButton>{t("admin.users.save")}</SubmitButton>
        </PostForm>
      </section>
    </>
  );
}
