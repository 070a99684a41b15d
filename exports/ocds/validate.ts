import Ajv04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { loadOcdsSchemas, type Json, type JsonObject, type OcdsSchemas } from "./schema";

/**
 * Validation of releases against the release schema patched with the declared extensions (Ajv for JSON
 * Schema draft-04, strict mode, every error at once, formats checked), with errors a person can read.
 *
 * Validate releases one by one (≈25 µs each): never a whole release package through its schema, whose
 * `"uniqueItems": true` on `releases` makes Ajv compare every pair of releases (O(n²): 16,000 releases take
 * 25 s). Uniqueness by (ocid, id) is checked with a Set by the quality report instead.
 */

export interface ValidationIssue {
  /** JSON Pointer to the offending value ("" is the release itself); for a missing field, the field's own path. */
  path: string;
  message: string;
}

export type Validator = (value: unknown) => ValidationIssue[];

export interface OcdsValidators {
  /** A release (or a compiled release) against the patched release schema. */
  release: Validator;
  /** A release package's metadata (uri, publisher, publishedDate, version, extensions…), not its releases. */
  releasePackageMetadata: Validator;
  /** A record package's metadata, not its records. */
  recordPackageMetadata: Validator;
}

/** The OCDS keywords that annotate the schemas (not validation keywords): declared so strict mode accepts them. */
export const OCDS_KEYWORDS = ["codelist", "openCodelist", "deprecated", "omitWhenMerged", "wholeListMerge", "versionId"] as const;

const cache = new WeakMap<OcdsSchemas, OcdsValidators>();

/** The validators for a set of schemas (default: the declared extensions), compiled once and cached. */
export function ocdsValidators(schemas: OcdsSchemas = loadOcdsSchemas()): OcdsValidators {
  const hit = cache.get(schemas);
  if (hit) return hit;
  // verbose: errors carry their schema, so an enum error can name its codelist.
  const ajv = new Ajv04({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true });
  addFormats(ajv);
  ajv.addVocabulary([...OCDS_KEYWORDS]);
  ajv.addSchema([schemas.release, schemas.versionedRelease]);
  const releaseId = String(schemas.release.id);
  const release = ajv.getSchema(releaseId);
  if (!release) throw new Error(`the release schema ${releaseId} did not compile`);
  const codelists = itemCodelists(schemas.release);
  const validators: OcdsValidators = {
    release: wrap(release, codelists),
    releasePackageMetadata: wrap(ajv.compile(metadataOnly(schemas.releasePackage, "releases")), codelists),
    recordPackageMetadata: wrap(ajv.compile(metadataOnly(schemas.recordPackage, "records")), codelists),
  };
  cache.set(schemas, validators);
  return validators;
}

/** Validates one release against the release schema with the declared extensions; [] when valid. */
export function validateRelease(release: unknown): ValidationIssue[] {
  return ocdsValidators().release(release);
}

/** A package schema with its list of releases or records reduced to "an array" (checked one by one elsewhere). */
function metadataOnly(packageSchema: JsonObject, list: "releases" | "records"): JsonObject {
  const copy = structuredClone(packageSchema);
  copy.id = `${String(packageSchema.id)}#metadata`;
  const props = copy.properties as JsonObject;
  props[list] = { type: "array" };
  return copy;
}

function wrap(validate: ValidateFunction, codelists: WeakMap<object, string>): Validator {
  return (value) => (validate(value) ? [] : readableErrors(validate.errors ?? [], codelists));
}

/**
 * A codelist on an array of codes (`tag`, `roles`…) is declared on the array while its `enum` sits in
 * `items`: map each such `items` schema to the array's codelist, so an enum error can name it.
 */
function itemCodelists(schema: Json): WeakMap<object, string> {
  const map = new WeakMap<object, string>();
  const seen = new Set<object>();
  const walk = (node: Json) => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (!Array.isArray(node) && typeof node.codelist === "string" && node.items !== null && typeof node.items === "object") map.set(node.items, node.codelist);
    for (const child of Array.isArray(node) ? node : Object.values(node)) walk(child);
  };
  walk(schema);
  return map;
}

// ---------------------------------------------------------------------------------------------------
// Readable errors

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

function listed(values: readonly unknown[], max = 12): string {
  const shown = values.filter((v) => v !== null).map((v) => JSON.stringify(v));
  return shown.length > max ? `${shown.slice(0, max).join(", ")}, … (${shown.length} in all)` : shown.join(", ");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function messageOf(e: ErrorObject, codelists?: WeakMap<object, string>): string {
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as JsonObject;
  switch (e.keyword) {
    case "required":
      return "is required";
    case "type": {
      const types = String(params.type).split(",");
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(" or ")}, not ${describe(e.data)}`;
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const codelist = typeof parent.codelist === "string" ? parent.codelist : e.parentSchema ? codelists?.get(e.parentSchema) : undefined;
      return codelist
        ? `${describe(e.data)} is not a code of the closed codelist ${codelist} (${listed(allowed)})`
        : `${describe(e.data)} is not one of the allowed values (${listed(allowed)})`;
    }
    case "format":
      if (params.format === "date-time") return `${describe(e.data)} is not a date-time with a time zone (e.g. 2024-01-31T00:00:00Z or 2024-01-31T07:00:00+07:00)`;
      if (params.format === "uri") return `${describe(e.data)} is not an absolute URI (no spaces or non-ASCII characters; percent-encode them)`;
      return `${describe(e.data)} is not a valid ${String(params.format)}`;
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${String(params.limit)} characters long`;
    case "minItems":
      return params.limit === 1 ? "must not be an empty array" : `must have at least ${String(params.limit)} items`;
    case "minProperties":
      return params.limit === 1 ? "must not be an empty object" : `must have at least ${String(params.limit)} fields`;
    case "uniqueItems":
      return `must not repeat an item (items ${String(params.j)} and ${String(params.i)} are identical)`;
    case "pattern":
      return `${describe(e.data)} does not match the pattern ${String(params.pattern)}`;
    case "additionalProperties":
      return "is not an allowed field";
    default:
      return e.message ?? e.keyword;
  }
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Ajv's errors as { path, message }: a missing field is reported at its own path. */
export function readableErrors(errors: readonly ErrorObject[], codelists?: WeakMap<object, string>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "if") continue; // its branch's error says what is wrong
    let p = e.instancePath;
    if (e.keyword === "required") p += `/${escape(String((e.params as { missingProperty: string }).missingProperty))}`;
    if (e.keyword === "additionalProperties") p += `/${escape(String((e.params as { additionalProperty: string }).additionalProperty))}`;
    const issue = { path: p, message: messageOf(e, codelists) };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}
