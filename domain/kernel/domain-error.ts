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

export interface FieldProblem {
  field: string;
  key: string;
  params?: Record<string, unknown>;
}

/**
 * Several fields refused at once (a form or a spreadsheet row): every problem is reported, so the user
 * fixes them in one go. `field` names use the input's property names.
 */
export class ValidationErrors extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super("validation.failed", { count: problems.length }, "invalid", problems[0]?.field);
    this.name = "ValidationErrors";
  }
}

/** Collects field problems; `throwIfAny` raises them together. */
export class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, key: string, params?: Record<string, unknown>): void {
    this.list.push({ field, key, params });
  }
  /** Runs a check that may throw a DomainError, recording it under `field` instead. */
  check<T>(field: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DomainError) this.add(field, e.key, e.params);
      else throw e;
      return undefined;
    }
  }
  throwIfAny(): void {
    if (this.list.length) throw new ValidationErrors(this.list);
  }
}
