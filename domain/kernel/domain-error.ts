/**
 * A refusal by the domain. It carries a message key (translated in app/i18n) and
 * parameters, never a sentence: the domain does not know the user's language.
 *
 * `kind` tells the edge how to answer: "invalid" (422, a rule refused the input),
 * "forbidden" (403, role or scope), "notFound" (404), "conflict" (409, stale version
 * or a concurrent change).
 */
export type DomainErrorKind = "invalid" | "forbidden" | "notFound" | "conflict";

export class DomainError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
    readonly kind: DomainErrorKind = "invalid",
    /** The field the refusal is about, when there is one (forms focus it). */
    readonly field?: string,
  ) {
    super(`${key}${Object.keys(params).length ? " " + JSON.stringify(params) : ""}`);
    this.name = "DomainError";
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
