import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { config } from "./config.server";
import { readCookie, serializeCookie } from "./cookies.server";

/**
 * CSRF protection by signed double submit: a random cookie (set by the server on the first visit)
 * and, in every form, a hidden `_csrf` field holding HMAC(secret, cookie). A POST is accepted only when
 * the field matches the cookie and the Origin, when sent, is our own.
 */
export const CSRF_COOKIE = "jejak_csrf";
export const CSRF_FIELD = "_csrf";

export function newCsrfCookieValue(): string {
  return randomBytes(24).toString("base64url");
}

export function csrfTokenFor(cookieValue: string): string {
  return createHmac("sha256", config().secret).update(cookieValue).digest("base64url");
}

/** The token for a page's forms, or null when the browser has no CSRF cookie yet. */
export function csrfToken(request: Request): string | null {
  const c = readCookie(request, CSRF_COOKIE);
  return c ? csrfTokenFor(c) : null;
}

export function csrfSetCookie(request: Request, value: string): string {
  return serializeCookie(request, CSRF_COOKIE, value);
}

export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin !== "null";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function csrfValid(request: Request, submitted: unknown): boolean {
  if (!sameOrigin(request)) return false;
  const cookie = readCookie(request, CSRF_COOKIE);
  if (!cookie || typeof submitted !== "string" || !submitted) return false;
  const a = Buffer.from(csrfTokenFor(cookie));
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
