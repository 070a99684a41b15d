import { json } from "@remix-run/node";
import { OptimisticLockError, UniqueConstraintViolationException } from "@mikro-orm/core";
import { DomainError, ValidationErrors } from "../domain/kernel/domain-error";
import { assertCan, can, type Permission, type Resource } from "../domain/identity/policy";
import type { Actor } from "../domain/identity/actor";
import { CSRF_FIELD, csrfValid } from "./csrf.server";
import { langOf } from "./lang.server";
import { translate } from "./i18n";

/** Largest accepted form body and field (a facilitator's problem statement fits easily). */
export const MAX_FORM_BYTES = 256 * 1024;
export const MAX_FIELD_CHARS = 10_000;

/** A refusal page: the ErrorBoundary shows `messageKey` in the visitor's language. */
export function refuse(status: number, messageKey: string, params: Record<string, unknown> = {}): Response {
  return json({ messageKey, params }, { status });
}

/**
 * Reads a POSTed form. Every action starts here: it refuses (403) a missing or forged CSRF token or a
 * foreign Origin, and (400/413) a body or field beyond the limits, before anything else happens.
 */
export async function readForm(
  request: Request,
  opts: { maxFieldChars?: Record<string, number>; maxBytes?: number } = {},
): Promise<FormData> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > (opts.maxBytes ?? MAX_FORM_BYTES)) throw refuse(413, "form.bodyTooLarge");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw refuse(400, "form.malformed");
  }
  if (!csrfValid(request, form.get(CSRF_FIELD))) throw refuse(403, "csrf.invalid");
  for (const [name, value] of form.entries()) {
    const max = opts.maxFieldChars?.[name] ?? MAX_FIELD_CHARS;
    if (typeof value === "string" && value.length > max) throw refuse(400, "form.tooLarge", { field: name, max });
  }
  return form;
}

/** The uploaded files of a multipart field, read into memory (the caller's maxBytes bounds them). */
export async function files(form: FormData, name: string): Promise<{ name: string; bytes: Buffer }[]> {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const v of form.getAll(name))
    if (typeof v !== "string" && v.size > 0) out.push({ name: v.name, bytes: Buffer.from(await v.arrayBuffer()) });
  return out;
}

export function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/** Guards a loader: a 403 page, never data, when the actor lacks the permission in this scope. */
export function requirePermission(actor: Actor, permission: Permission, resource: Resource): void {
  if (!can(actor, permission, resource)) throw refuse(403, "error.403");
}

export type FieldErrors = Record<string, string>;

/**
 * Runs a use case for an action and maps its refusals: a DomainError with a field → 400 with that
 * field's message (the form shows it); forbidden → 403; not found → 404; conflict or a stale version →
 * 409; any other rule → 422. Messages are in the visitor's language.
 */
export async function runUseCase<T>(
  request: Request,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const lang = langOf(request);
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    if (e instanceof ValidationErrors) {
      const fieldErrors: FieldErrors = {};
      for (const p of e.problems) fieldErrors[p.field] ??= translate(lang, p.key, p.params);
      const message = translate(lang, "form.errors");
      return { ok: false, response: json({ ok: false, message, messageKey: e.key, fieldErrors }, { status: 400 }) };
    }
    if (e instanceof DomainError) {
      const message = translate(lang, e.key, e.params);
      const status = { invalid: e.field ? 400 : 422, forbidden: 403, notFound: 404, conflict: 409 }[e.kind];
      const fieldErrors: FieldErrors = e.field ? { [e.field]: message } : {};
      return { ok: false, response: json({ ok: false, message, messageKey: e.key, fieldErrors }, { status }) };
    }
    if (e instanceof OptimisticLockError)
      return { ok: false, response: json({ ok: false, message: translate(lang, "error.409"), fieldErrors: {} }, { status: 409 }) };
    if (e instanceof UniqueConstraintViolationException)
      return { ok: false, response: json({ ok: false, message: translate(lang, "error.409"), fieldErrors: {} }, { status: 409 }) };
    throw e;
  }
}

export { assertCan };
