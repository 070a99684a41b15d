import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { serializeCookie } from "~/cookies.server";
import { LANG_COOKIE } from "~/lang.server";
import { isLang } from "~/i18n";
import { safeNext } from "~/workspaces";

/**
 * Switches the interface language: GET /bahasa?ke=en&kembali=/path sets a preference cookie for a
 * year and returns to the page. A link, not a form, so public pages carry no per-visitor token; it
 * changes nothing but the visitor's own display language.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = url.searchParams.get("ke");
  const back = safeNext(url.searchParams.get("kembali")) ?? "/";
  if (!isLang(lang)) return redirect(back);
  return redirect(back, {
    headers: { "Set-Cookie": serializeCookie(request, LANG_COOKIE, lang, { maxAgeSeconds: 365 * 86400 }), "Cache-Control": "no-store" },
  });
}
