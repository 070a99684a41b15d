import { DomainError } from "./domain-error";

/** Kemendagri region codes: 35 · 35.22 · 35.22.01 · 35.22.01.2001 */
const KODE_WILAYAH = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

export type RegionLevel = 1 | 2 | 3 | 4;

/** Validates a Kemendagri region code and returns it with its level (1 provinsi … 4 desa/kelurahan). */
export function parseKodeWilayah(text: string, field = "kodeWilayah"): { code: string; level: RegionLevel } {
  const code = String(text ?? "").trim();
  if (!KODE_WILAYAH.test(code)) throw new DomainError("region.codeFormat", { code }, "invalid", field);
  return { code, level: code.split(".").length as RegionLevel };
}

export function isKodeWilayah(text: string): boolean {
  return KODE_WILAYAH.test(text);
}

/** The parent code of a region code ("35.22.01.2001" → "35.22.01"), or null for a provinsi. */
export function parentKodeWilayah(code: string): string | null {
  const i = code.lastIndexOf(".");
  return i < 0 ? null : code.slice(0, i);
}

/** True when `inner` is `outer` or lies inside it (a desa inside its kecamatan, …). */
export function wilayahWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer + ".");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Is this text a row id (a UUID)? Ids from forms and URLs are checked before they reach a query. */
export function isUuid(text: unknown): text is string {
  return typeof text === "string" && UUID.test(text);
}
