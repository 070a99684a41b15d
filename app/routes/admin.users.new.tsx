import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { parseAssignments } from "~/admin.server";
import { createUser, listOpds, systemClock } from "~/domain.server";
import { FormMessage } from "~/components/forms";
import { UserForm } from "~/components/user-form";
import { useT } from "~/hooks";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "admin.users.manage");
  return json({ opds: await listOpds(await em()) }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await guard(request, "admin.users.manage");
  const form = await readForm(request);
  const input = {
    username: field(form, "username"),
    displayName: field(form, "displayName"),
    email: field(form, "email"),
    password: field(form, "password"),
    assignments: parseAssignments(form),
  };
  const r = await runUseCase(request, async () => createUser(await em(), actor, systemClock, input));
  if (!r.ok) {
    const body = await r.response.json();
    return json({ ...body, values: { ...input, password: "" } }, { status: r.response.status });
  }
  return redirect(`/admin/users/${r.value}?created=1`);
}

export default function NewUser() {
  const { opds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <h1>{t("admin.users.new")}</h1>
      <FormMessage message={result?.message} />
      <UserForm mode="create" values={result?.values ?? { assignments: [] }} opds={opds} errors={result?.fieldErrors ?? {}} />
    </>
  );
}
