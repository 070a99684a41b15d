import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  DECLARED_EXTENSIONS,
  loadOcdsSchemas,
  OCDS_CACHE_DIR,
  OCDS_SCHEMA_BASE_URL,
  OCDS_SCHEMA_FILES,
  OCDS_VERSION,
  projectRoot,
  type DeclaredExtension,
  type Json,
  type JsonObject,
} from "./schema";
import { ocdsValidators } from "./validate";

/**
 * `npm run ocds -- schema:download`: the standard's files for a deployment without `../shared/ocds`,
 * fetched into the cache folder (`.cache/ocds`) in exactly the layout schema.ts reads:
 *
 *   1.1/<the four schema files>            from OCDS_SCHEMA_BASE_URL (the 1.1.5 schema on the standard's site)
 *   1.1/codelists/<each codelist>.csv      every file a `codelist` property of the release schema names,
 *                                          from `<base>codelists/<name>`
 *   extensions/<name>/extension.json       each declared extension's metadata, release-schema.json patch
 *   extensions/<name>/release-schema.json  and the codelists its extension.json lists (`+x.csv` adds codes),
 *   extensions/<name>/codelists/*.csv      from its repository and ref on raw.githubusercontent.com
 *
 * Atomic: everything is fetched into a temporary folder beside the destination and loaded there (the
 * release schema patched with the extensions, and Ajv compiling it) before the folder replaces the old
 * cache; a failure leaves the old cache as it was and says which URL failed.
 */

export class OcdsDownloadError extends Error {
  override name = "OcdsDownloadError";
}

/** Where a declared extension's files are: `{repository}`, `{ref}` and `{name}` are replaced. */
export const EXTENSION_BASE_TEMPLATE = "https://raw.githubusercontent.com/{repository}/{ref}/";

export interface DownloadOptions {
  /** The core schema's base URL, ending in "/" (default OCDS_SCHEMA_BASE_URL). */
  base?: string;
  /** The extensions' base URL template (default EXTENSION_BASE_TEMPLATE). */
  extensionBase?: string;
  /** The destination folder (default `.cache/ocds` in the project). */
  dest?: string;
  extensions?: readonly DeclaredExtension[];
  /** Per request (default 30 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DownloadResult {
  dest: string;
  files: number;
  bytes: number;
  codelists: number;
  extensions: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const withSlash = (u: string) => (u.endsWith("/") ? u : `${u}/`);

export function extensionBaseUrl(template: string, ext: DeclaredExtension): string {
  return withSlash(template.replace(/\{repository\}/g, ext.repository).replace(/\{ref\}/g, encodeURIComponent(ext.ref)).replace(/\{name\}/g, encodeURIComponent(ext.name)));
}

/** The codelist file names a schema cites (`"codelist": "x.csv"`), sorted. */
export function citedCodelists(schema: Json): string[] {
  const out = new Set<string>();
  const visit = (v: Json) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      if (typeof v.codelist === "string") out.add(v.codelist);
      for (const x of Object.values(v)) visit(x);
    }
  };
  visit(schema);
  return [...out].sort();
}

/** A plain file name: nothing that could climb out of the cache folder. */
function safeName(name: string, url: string): string {
  if (!/^[+-]?[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || name.includes("..")) throw new OcdsDownloadError(`${url} names a file ${JSON.stringify(name)} that is not a plain file name`);
  return name;
}

export async function downloadOcdsSchema(options: DownloadOptions = {}): Promise<DownloadResult> {
  const base = withSlash(options.base ?? OCDS_SCHEMA_BASE_URL);
  const template = options.extensionBase ?? EXTENSION_BASE_TEMPLATE;
  const dest = path.resolve(options.dest ?? path.join(projectRoot(), OCDS_CACHE_DIR));
  const extensions = options.extensions ?? DECLARED_EXTENSIONS;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => {});

  let files = 0;
  let bytes = 0;
  const fetchBytes = async (url: string): Promise<Buffer> => {
    let res: Response | undefined;
    // A network failure (a reset connection, a timeout) is tried again twice; an HTTP error status is not.
    for (let attempt = 1; !res; attempt++) {
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      } catch (e) {
        if (attempt < 3) continue;
        const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
        throw new OcdsDownloadError(`${url}: could not be fetched (${e instanceof Error ? e.message : String(e)}${cause})`);
      }
    }
    if (!res.ok) throw new OcdsDownloadError(`${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length === 0) throw new OcdsDownloadError(`${url}: an empty response`);
    return body;
  };
  const fetchJson = async (url: string): Promise<{ bytes: Buffer; json: JsonObject }> => {
    const body = await fetchBytes(url);
    let json: Json;
    try {
      json = JSON.parse(body.toString("utf8")) as Json;
    } catch (e) {
      throw new OcdsDownloadError(`${url}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isObject(json)) throw new OcdsDownloadError(`${url}: not a JSON object`);
    return { bytes: body, json };
  };

  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.download-${randomBytes(4).toString("hex")}`;
  const save = (rel: string, body: Buffer) => {
    const file = path.join(tmp, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
    files++;
    bytes += body.length;
  };
  try {
    // ---- The core schema and the release schema's codelists.
    let releaseSchema: JsonObject | null = null;
    for (const file of Object.values(OCDS_SCHEMA_FILES)) {
      const url = `${base}${file}`;
      log(`fetching ${url}`);
      const got = await fetchJson(url);
      if (file === OCDS_SCHEMA_FILES.release) releaseSchema = got.json;
      save(path.join(OCDS_VERSION, file), got.bytes);
    }
    const codelists = citedCodelists(releaseSchema ?? {});
    for (const name of codelists) {
      const url = `${base}codelists/${encodeURIComponent(name)}`;
      log(`fetching ${url}`);
      save(path.join(OCDS_VERSION, "codelists", safeName(name, `${base}${OCDS_SCHEMA_FILES.release}`)), await fetchBytes(url));
    }
    let codelistCount = codelists.length;

    // ---- Each declared extension: metadata, patch, and the codelists its metadata lists.
    for (const ext of extensions) {
      const extBase = extensionBaseUrl(template, ext);
      const metaUrl = `${extBase}extension.json`;
      log(`fetching ${metaUrl}`);
      const meta = await fetchJson(metaUrl);
      save(path.join("extensions", ext.name, "extension.json"), meta.bytes);
      const patchUrl = `${extBase}release-schema.json`;
      log(`fetching ${patchUrl}`);
      save(path.join("extensions", ext.name, "release-schema.json"), (await fetchJson(patchUrl)).bytes);
      const listed = Array.isArray(meta.json.codelists) ? meta.json.codelists : [];
      for (const name of listed) {
        if (typeof name !== "string") throw new OcdsDownloadError(`${metaUrl}: "codelists" must list file names`);
        const url = `${extBase}codelists/${encodeURIComponent(name)}`;
        log(`fetching ${url}`);
        save(path.join("extensions", ext.name, "codelists", safeName(name, metaUrl)), await fetchBytes(url));
        codelistCount++;
      }
    }
    writeFileSync(
      path.join(tmp, "SOURCE.json"),
      `${JSON.stringify({ downloadedAt: new Date().toISOString(), base, extensions: extensions.map((e) => ({ ...e, url: extensionBaseUrl(template, e) })) }, null, 2)}\n`,
    );

    // ---- Usable before it replaces anything: patched, and compiled by Ajv.
    try {
      ocdsValidators(loadOcdsSchemas({ dir: tmp, extensions: extensions.map((e) => e.name) }));
    } catch (e) {
      throw new OcdsDownloadError(`the downloaded files do not make a usable schema (${e instanceof Error ? e.message : String(e)})`);
    }

    // ---- The swap: old cache aside, new one in, old one removed.
    const old = `${dest}.old-${randomBytes(4).toString("hex")}`;
    const hadOld = existsSync(dest);
    if (hadOld) renameSync(dest, old);
    try {
      renameSync(tmp, dest);
    } catch (e) {
      if (hadOld) renameSync(old, dest);
      throw e;
    }
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return { dest, files, bytes, codelists: codelistCount, extensions: extensions.map((e) => e.name) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
