import { DomainError } from "../../domain/kernel/domain-error";

/** Runs f and returns the message key of the DomainError it throws, or null when it does not throw. */
export function keyOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).key;
  }
}
