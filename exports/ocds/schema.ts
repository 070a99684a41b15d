import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../../imports/shared/csv";
import projectExtensionMetadata from "./extension/extension.json";
import projectExtensionPatch from "./extension/release-schema.json";

/**
 * The standard's own files, found and loaded: the OCDS 1.1.5 release schema patched with the extensions
 * Jejak declares, the package schemas and the codelists.
 *
 * Nothing from the standard is copied into the repository. The files are read from a folder laid out like
 * `../shared/ocds` (see its README):
 *
 *   1.1/release-schema.json, 1.1/release-package-schema.json, 1.1/record-package-schema.json,
 *   1.1/versioned-release-validation-schema.json, 1.1/codelists/*.csv,
 *   extensions/<name>/release-schema.json, extensions/<name>/codelists/*.csv
 *
 * The folder is, in order: `OCDS_SCHEMA_DIR` when set (relative to the working directory; an error if it
 * does not hold the files, never a silent fallback), else `../shared/ocds` beside the project (development
 * and CI), else the cache `.cache/ocds` in the project that `npm run ocds -- schema:download` fills with
 * the same layout for deployments without `../shared`.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const OCDS_VERSION = "1.1";
/** The release of the standard the files are: 1.1.5 (see ../shared/ocds/README.md). */
export const OCDS_SCHEMA_TAG = "1__1__5";
export const OCDS_SCHEMA_BASE_URL = `https://standard.open-contracting.org/schema/${OCDS_SCHEMA_TAG}/`;
export const OCDS_SCHEMA_FILES = {
  release: "release-schema.json",
  releasePackage: "release-package-schema.json",
  recordPackage: "record-package-schema.json",
  versionedRelease: "versioned-release-validation-schema.json",
} as const;
/** The cache folder `schema:download` fills, relative to the project root. */
export const OCDS_CACHE_DIR = ".cache/ocds";

export interface DeclaredExtension {
  /** The folder under `extensions/`. */
  name: string;
  /** The GitHub repository and branch whose `extension.json` publishers cite (the live version). */
  repository: string;
  ref: string;
}

/**
 * The official extensions Jejak declares, applied in this order (no dependencies among them). Each is the
 * live version a publisher's `extensions` URL points to (the top folder of ../shared/ocds/extensions), so
 * they are mixed master with master as the extensions README asks:
 *
 *   budget_breakdown — `planning.budget.budgetBreakdown[]`: the DPA lines (sub kegiatan and kode rekening,
 *                      amount, funding source as `sourceParty`) behind a package's budget.
 *   location         — `items.deliveryLocations` / `deliveryAddresses` (and on tender): where the works are,
 *                      from the package's locations (kode wilayah as gazetteer identifiers, coordinates).
 *   bid              — `bids.details[]` (every opened bid: tenderers, value, status) and `bids.statistics[]`;
 *                      `awards.relatedBids`. Red-flag tools (Cardinal) read `bids.details`.
 *   process_title    — release-level `title` and `description`: the package name for the whole process.
 *
 * Not declared (not needed by the mapping yet): documentation (page numbers, access details), lots (SPSE
 * packages are single-lot), metrics / transactions_relatedMilestone / contract_completion (physical
 * progress from e-Monev and final values: add them here when the implementation mapping publishes those),
 * budget_and_spend, project, implementationStatus.
 */
export const DECLARED_EXTENSIONS: readonly DeclaredExtension[] = [
  { name: "budget_breakdown", repository: "open-contracting-extensions/ocds_budget_breakdown_extension", ref: "master" },
  { name: "location", repository: "open-contracting-extensions/ocds_location_extension", ref: "master" },
  { name: "bid", repository: "open-contracting-extensions/ocds_bid_extension", ref: "master" },
  { name: "process_title", repository: "open-contracting-extensions/ocds_process_title_extension", ref: "master" },
];

/** The URL of a declared extension's `extension.json`, as packages cite it in `extensions`. */
export function extensionUrl(ext: DeclaredExtension, file = "extension.json"): string {
  return `https://raw.githubusercontent.com/${ext.repository}/${ext.ref}/${file}`;
}

/**
 * Jejak's own extension (exports/ocds/extension/): `planning.musrenbangProposals[]` — the Musrenbang and
 * pokir proposals the budget takes up, the trace no other publisher has — and `planning.rupCode`, the kode
 * RUP. No official extension has either. The app serves both files and declares the extension in every
 * package; its `documentationUrl` is a placeholder the serving route replaces with its own origin.
 */
export const PROJECT_EXTENSION = {
  name: "jejak",
  metadata: projectExtensionMetadata as JsonObject,
  releaseSchemaPatch: projectExtensionPatch as JsonObject,
} as const;

export class OcdsSchemaNotFound extends Error {
  override name = "OcdsSchemaNotFound";
}

// ---------------------------------------------------------------------------------------------------
// Where the files are

let rootCache: string | undefined;

/**
 * The project root: the nearest folder above this module with Jejak's package.json. From the source that
 * is two levels up (exports/ocds); from the Remix server build (build/index.js) one level; the working
 * directory when neither is found (a bundle somewhere else).
 */
export function projectRoot(): string {
  if (rootCache) return rootCache;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "jejak") return (rootCache = dir);
      } catch {
        /* not ours: keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (rootCache = process.cwd());
}

const hasStandard = (dir: string) => existsSync(path.join(dir, OCDS_VERSION, OCDS_SCHEMA_FILES.release));

/** The folders looked in, in order (for messages and for `schema:download`). */
export function ocdsSchemaCandidates(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const configured = env.OCDS_SCHEMA_DIR?.trim();
  if (configured) return [path.resolve(configured)];
  const root = projectRoot();
  const candidates = [path.resolve(root, "..", "shared", "ocds"), path.resolve(root, OCDS_CACHE_DIR)];
  const origin = localOrigin(root);
  if (origin) candidates.push(path.resolve(origin, "..", "shared", "ocds"));
  return candidates;
}

/**
 * When this checkout is a clone of a repository on the same machine (a fresh-clone check, a CI job that
 * clones the working copy into a temporary folder), the folder it was cloned from: its `../shared/ocds`
 * is the same standard. Read from .git/config; nothing is run.
 */
function localOrigin(root: string): string | null {
  try {
    const config = readFileSync(path.join(root, ".git", "config"), "utf8");
    const m = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(config);
    if (!m) return null;
    const url = m[1].startsWith("file://") ? m[1].slice("file://".length) : m[1];
    return path.isAbsolute(url) ? url.replace(/\/\.git$/, "") : null;
  } catch {
    return null;
  }
}

/** The folder holding the standard's files; throws `OcdsSchemaNotFound` with what was tried. */
export function findOcdsSchemaDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const candidates = ocdsSchemaCandidates(env);
  const found = candidates.find(hasStandard);
  if (found) return found;
  const how = env.OCDS_SCHEMA_DIR?.trim()
    ? "OCDS_SCHEMA_DIR points to a folder without them"
    : "set OCDS_SCHEMA_DIR, or run `npm run ocds -- schema:download` to fill the cache";
  throw new OcdsSchemaNotFound(
    `The OCDS schema files (${OCDS_VERSION}/${OCDS_SCHEMA_FILES.release}) were not found in ${candidates.join(" or ")}: ${how}.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// JSON Merge Patch

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * RFC 7386 JSON Merge Patch: an object patch merges key by key (null deletes the key), anything else
 * replaces. Returns a new value; neither argument is changed (unpatched parts are shared with `target`).
 */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete result[key];
    else if (key === "__proto__") Object.defineProperty(result, key, { value: applyMergePatch(result[key], value), enumerable: true, writable: true, configurable: true });
    else result[key] = applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Codelists

export interface Codelist {
  /** The file name the schema cites in `codelist`, e.g. "partyRole.csv". */
  name: string;
  codes: ReadonlySet<string>;
  /** Where the codes came from: "core", an extension name, or "core+bid" when an extension added some. */
  source: string;
}

function codesOf(file: string): Set<string> {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8")).filter((r) => r.some((c) => c.trim() !== ""));
  const at = header?.indexOf("Code") ?? -1;
  if (at < 0) throw new Error(`${file}: no Code column`);
  return new Set(rows.map((r) => (r[at] ?? "").trim()).filter((c) => c !== ""));
}

const csvFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".csv")).sort() : []);

/**
 * The core codelists, then each extension's: a file named `+x.csv` adds its codes to codelist `x.csv`,
 * `-x.csv` removes them, any other file is a codelist of its own (replacing one of the same name).
 */
function loadCodelists(dir: string, extensions: readonly string[]): Map<string, Codelist> {
  const lists = new Map<string, Codelist>();
  const coreDir = path.join(dir, OCDS_VERSION, "codelists");
  for (const f of csvFiles(coreDir)) lists.set(f, { name: f, codes: codesOf(path.join(coreDir, f)), source: "core" });
  for (const ext of extensions) {
    const extDir = path.join(dir, "extensions", ext, "codelists");
    for (const f of csvFiles(extDir)) {
      const codes = codesOf(path.join(extDir, f));
      const sign = f[0];
      if (sign === "+" || sign === "-") {
        const name = f.slice(1);
        const base = lists.get(name);
        const merged = new Set(base?.codes ?? []);
        for (const c of codes) {
          if (sign === "+") merged.add(c);
          else merged.delete(c);
        }
        lists.set(name, { name, codes: merged, source: `${base?.source ?? "none"}+${ext}` });
      } else lists.set(f, { name: f, codes, source: ext });
    }
  }
  return lists;
}

// ---------------------------------------------------------------------------------------------------
// Loading

export interface OcdsSchemas {
  /** The folder the files came from. */
  dir: string;
  /** The official extensions applied, in order (the project extension comes after them when `project`). */
  extensions: readonly string[];
  project: boolean;
  /** The core release schema, unpatched. */
  coreRelease: JsonObject;
  /** The release schema with the extensions applied; its `id` is the core schema's. */
  release: JsonObject;
  releasePackage: JsonObject;
  recordPackage: JsonObject;
  versionedRelease: JsonObject;
  codelists: ReadonlyMap<string, Codelist>;
}

export interface LoadOptions {
  /** The folder with the standard's files (default: `findOcdsSchemaDir()`). */
  dir?: string;
  /** Official extensions to apply (default: `DECLARED_EXTENSIONS`). */
  extensions?: readonly string[];
  /** Apply Jejak's own extension too (default true). */
  project?: boolean;
}

const loaded = new Map<string, OcdsSchemas>();

function readJson(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new OcdsSchemaNotFound(`${file} is missing: the OCDS schema folder is incomplete.`);
  }
  const value = JSON.parse(text) as Json;
  if (!isObject(value)) throw new Error(`${file}: not a JSON object`);
  return value;
}

/**
 * The standard's files with the extensions applied: read once per folder and set of extensions, then
 * cached (treat the result as read-only).
 */
export function loadOcdsSchemas(options: LoadOptions = {}): OcdsSchemas {
  const dir = path.resolve(options.dir ?? findOcdsSchemaDir());
  const extensions = options.extensions ?? DECLARED_EXTENSIONS.map((e) => e.name);
  const project = options.project ?? true;
  const key = JSON.stringify([dir, extensions, project]);
  const hit = loaded.get(key);
  if (hit) return hit;

  const core = (f: string) => readJson(path.join(dir, OCDS_VERSION, f));
  const coreRelease = core(OCDS_SCHEMA_FILES.release);
  let release: Json = structuredClone(coreRelease);
  for (const ext of extensions) release = applyMergePatch(release, readJson(path.join(dir, "extensions", ext, "release-schema.json")));
  if (project) release = applyMergePatch(release, structuredClone(PROJECT_EXTENSION.releaseSchemaPatch));
  const schemas: OcdsSchemas = {
    dir,
    extensions,
    project,
    coreRelease,
    release: release as JsonObject,
    releasePackage: core(OCDS_SCHEMA_FILES.releasePackage),
    recordPackage: core(OCDS_SCHEMA_FILES.recordPackage),
    versionedRelease: core(OCDS_SCHEMA_FILES.versionedRelease),
    codelists: loadCodelists(dir, extensions),
  };
  loaded.set(key, schemas);
  return schemas;
}
