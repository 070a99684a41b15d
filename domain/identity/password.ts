import { hash, verify } from "@node-rs/argon2";
import { DomainError } from "../kernel/domain-error";

/** argon2id with OWASP's minimum parameters (19 MiB, 2 passes). */
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export function checkPasswordPolicy(password: string, field = "password"): void {
  if (password.length < PASSWORD_MIN) throw new DomainError("password.tooShort", { min: PASSWORD_MIN }, "invalid", field);
  if (password.length > PASSWORD_MAX) throw new DomainError("password.tooLong", { max: PASSWORD_MAX }, "invalid", field);
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password))
    throw new DomainError("password.lettersAndDigits", {}, "invalid", field);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when the username is unknown so timing does not reveal it. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("tidak-ada-pengguna-0");
  return dummy;
}
