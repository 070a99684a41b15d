import { readCookie, serializeCookie } from "./cookies.server";

/**
 * A one-time notice carried across a redirect ("Tersimpan.", or why an action was refused), in a
 * short-lived HttpOnly cookie: shown once by the root layout, then cleared. Never taken from the URL,
 * so nobody can put words in the site's mouth with a crafted link.
 */
export interface Flash {
  kind: "ok" | "error";
  message: string;
}

const NAME = "jejak_flash";

export function flashCookie(request: Request, flash: Flash): string {
  const value = Buffer.from(JSON.stringify({ kind: flash.kind, message: flash.message.slice(0, 600) })).toString("base64url");
  return serializeCookie(request, NAME, value, { maxAgeSeconds: 60 });
}

export function readFlash(request: Request): { flash: Flash | null; clear: string | null } {
  const raw = readCookie(request, NAME);
  if (!raw) return { flash: null, clear: null };
  let flash: Flash | null = null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Flash;
    if ((v.kind === "ok" || v.kind === "error") && typeof v.message === "string") flash = v;
  } catch {
    flash = null;
  }
  return { flash, clear: serializeCookie(request, NAME, "", { maxAgeSeconds: 0 }) };
}
