import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { field, readForm } from "~/http.server";
import { csrfToken } from "~/csrf.server";
import { tFor } from "~/lang.server";
import { getViewer, startSession } from "~/session.server";
import { landingHref, safeNext } from "~/workspaces";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { useT } from "~/hooks";
import { authenticate, loadActor, systemClock } from "~/domain.server";

export const meta: MetaFunction = () => [{ title: "Masuk — Jejak" }];

export { passHeaders as headers } from "~/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const viewer = await getViewer(request);
  if (viewer.actor.isAuthenticated) throw redirect(safeNext(url.searchParams.get("next")) ?? landingHref(viewer.actor.assignments));
  const notice = url.searchParams.get("expired") ? "login.expired" : url.searchParams.get("out") ? "login.loggedOut" : url.searchParams.get("next") ? "login.required" : null;
  return json(
    { notice, next: safeNext(url.searchParams.get("next")), csrf: csrfToken(request) ?? "" },
    { headers: { "Cache-Control": "private, no-store", ...(viewer.setCookie ? { "Set-Cookie": viewer.setCookie } : {}) } },
  );
}

type LoginResult = { message: string; fieldErrors: Record<string, string>; username: string };

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request, { maxFieldChars: { username: 40, password: 128 } });
  const t = tFor(request);
  const username = field(form, "username").trim();
  const password = field(form, "password");
  const fieldErrors: Record<string, string> = {};
  if (!username) fieldErrors.username = t("form.required");
  if (!password) fieldErrors.password = t("form.required");
  if (Object.keys(fieldErrors).length) return json<LoginResult>({ message: t("form.errors"), fieldErrors, username }, { status: 400 });

  const tenant = config().tenant;
  const outcome = await authenticate(await em(), tenant, username, password, systemClock);
  if (!outcome.ok) {
    const message = outcome.reason === "locked" ? t("login.locked", { minutes: outcome.minutes }) : t("login.invalid");
    return json<LoginResult>({ message, fieldErrors: {}, username }, { status: outcome.reason === "locked" ? 429 : 401 });
  }
  const actor = await loadActor(await em(), tenant, outcome.userId);
  const cookie = await startSession(request, outcome.userId);
  const target = safeNext(field(form, "next")) ?? landingHref(actor?.assignments ?? []);
  return redirect(target, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { notice, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errs: Record<string, string> = result?.fieldErrors ?? {};
  return (
    <section className="card form">
      <h1>{t("login.title")}</h1>
      {notice && !result ? <FormMessage kind={notice === "login.loggedOut" ? "ok" : "error"} message={t(notice)} /> : null}
      <FormMessage message={result?.message} />
      <PostForm noValidate>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field name="username" label={t("login.username")} error={errs.username}>
          <input id="username" name="username" autoComplete="username" autoCapitalize="none" maxLength={40} required defaultValue={result?.username} {...errorProps("username", errs.username)} />
        </Field>
        <Field name="password" label={t("login.password")} error={errs.password}>
          <input id="password" name="password" type="password" autoComplete="current-password" maxLength={128} required {...errorProps("password", errs.password)} />
        </Field>
        <SubmitButton>{t("login.submit")}</SubmitButton>
      </PostForm>
      <p className="muted">{t("login.hint")}</p>
    </section>
  );
}
