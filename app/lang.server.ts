import { readCookie } from "./cookies.server";
import { isLang, translator, type Lang } from "./i18n";

export const LANG_COOKIE = "jejak_lang";

/** The visitor's language: their choice (cookie), else Bahasa Indonesia. */
export function langOf(request: Request): Lang {
  const c = readCookie(request, LANG_COOKIE);
  return isLang(c) ? c : "id";
}

export function tFor(request: Request) {
  return translator(langOf(request));
}
