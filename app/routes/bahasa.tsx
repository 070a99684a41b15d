import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { field, readForm } from "~/http.server";
import { serializeCookie } from "~/cookies.server";
import { LANG_COOKIE } from "~/lang.server";
import { isLang } from "~/i18n";
import { safeNext } from "~/workspaces";

/** Switches the interface language (a cookie for a year) and returns to the page. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = field(form, "lang");
  const back = safeNext(field(form, "back")) ?? "/";
  if (!isLang(lang)) return redirect(back);
  return redirect(back, { headers: { "Set-Cookie": serializeCookie(request, LANG_COOKIE, lang, { maxAgeSeconds: 365 * 86400 }) } });
}

export function loader() {
  return redirect("/");
}
