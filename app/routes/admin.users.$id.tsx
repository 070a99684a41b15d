import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { parseAssignments } from "~/admin.server";
import { tFor } from "~/lang.server";
import { getUser, listOpds, resetPassword, systemClock, updateUser } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { UserForm } from "~/components/user-form";
import { useT } from "~/hooks";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guard(request, "admin.users.manage");
  const db = await em();
  const user = await getUser(db, viewer.actor, params.id ?? "");
  if (!user) throw refuse(404, "user.notFound");
  const created = new URL(request.url).searchParams.get("created") === "1";
  return json({ user, opds: await listOpds(db), created }, { headers: viewerHeaders(viewer) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await guard(request, "admin.users.manage");
  const form = await readForm(request);
  const t = tFor(request);
  const id = params.id ?? "";
  if (field(form, "intent") === "password") {
    const r = await runUseCase(request, async () => resetPassword(await em(), actor, systemClock, id, field(form, "newPassword")));
    if (!r.ok) {
      const body = await r.response.json();
      return json({ ...body, fieldErrors: { newPassword: body.message } }, { status: r.response.status });
    }
    return json({ ok: true, message: t("admin.users.passwordReset"), fieldErrors: {} });
  }
  const r = await runUseCase(request, async () =>
    updateUser(await em(), actor, systemClock, id, {
      displayName: field(form, "displayName"),
      email: field(form, "email"),
      active: field(form, "active") === "1",
      assignments: parseAssignments(form),
      expectedVersion: Number(field(form, "version")),
    }),
  );
  if (!r.ok) return r.response;
  return json({ ok: true, message: t("admin.users.saved"), fieldErrors: {} });
}

export default function EditUser() {
  const { user, opds, created } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  return (
    <>
      <h1>
        {t("admin.users.edit")}: {user.username}
      </h1>
      {created && !result ? <FormMessage kind="ok" message={t("admin.users.created")} /> : null}
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <UserForm
        key={user.version}
        mode="edit"
        values={{ displayName: user.displayName, email: user.email, active: user.active, version: user.version, assignments: user.assignments }}
        opds={opds}
        errors={result?.fieldErrors ?? {}}
      />
      <h2>{t("admin.users.resetPassword")}</h2>
      <PostForm className="form">
        <input type="hidden" name="intent" value="password" />
        <Field name="newPassword" label={t("admin.users.newPassword")} error={result?.fieldErrors?.newPassword}>
          <input id="newPassword" name="newPassword" type="password" autoComplete="new-password" maxLength={128} />
        </Field>
        <SubmitButton className="button button--secondary">{t("admin.users.resetPassword")}</SubmitButton>
      </PostForm>
    </>
  );
}
