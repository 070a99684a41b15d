import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Json, JsonObject } from "./schema";

/**
 * Reading OCDS data as publishers hand it out — a release package, a record package (its embedded
 * releases), a bare release, a record, a JSON array of any of these, or JSON Lines of any of these, in a
 * file or a folder of files (read in name order), optionally gzipped — into releases with where each came
 * from. Anything else is refused with an `OcdsInputError` that says what is wrong and where, never a stack
 * trace: an empty file, bytes that are not UTF-8, text that is not JSON, JSON that is not OCDS.
 */

export class OcdsInputError extends Error {
  override name = "OcdsInputError";
}

export interface SourcedRelease {
  release: JsonObject;
  /** The file and the place in it, e.g. "a.json releases[3]" or "b.jsonl line 7". */
  where: string;
}

export interface PackageMetadata {
  kind: "release package" | "record package";
  where: string;
  /** The package without its releases or records. */
  metadata: JsonObject;
}

export interface OcdsInput {
  releases: SourcedRelease[];
  packages: PackageMetadata[];
  /** Records' releases given as links ({url, date, tag}) instead of embedded: they cannot be read. */
  linkedReleases: number;
  /** How the files were laid out, e.g. "release package" or "JSON Lines of releases". */
  shapes: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Bytes → text: refuses an empty file, UTF-16, and anything that is not UTF-8 (saying where). */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  if (bytes.length === 0) throw new OcdsInputError(`${source}: the file is empty`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new OcdsInputError(`${source}: the file is UTF-16 text; OCDS data must be UTF-8`);
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    throw new OcdsInputError(`${source}: not UTF-8 text (invalid byte 0x${bytes[bad].toString(16).padStart(2, "0")} at offset ${bad}); OCDS data must be UTF-8`);
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new OcdsInputError(`${source}: the file is empty (only white space)`);
  return text;
}

/** The offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min, cp] = [1, 0x80, c & 0x1f];
    else if (c >= 0xe0 && c <= 0xef) [need, min, cp] = [2, 0x800, c & 0x0f];
    else if (c >= 0xf0 && c <= 0xf4) [need, min, cp] = [3, 0x10000, c & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** "Unexpected token … in JSON at position 1234" → the same with line and column. */
function jsonError(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return `${message.replace(/\s*\(line \d+ column \d+\)/, "")} (line ${line}, column ${column})`;
}

function describeJson(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const keys = Object.keys(v);
    return keys.length === 0 ? "an empty object" : `an object with ${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(", ")}${keys.length > 6 ? ", …" : ""}`;
  }
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

const NOT_OCDS = "expected a release package, a record package, a release or a record (or an array or JSON Lines of them)";

/** Reads one parsed JSON value into `into`; `where` names it in messages. */
function take(value: Json, where: string, into: OcdsInput, shapes: Set<string>, nested = false): void {
  if (Array.isArray(value) && !nested) {
    if (value.length === 0) throw new OcdsInputError(`${where}: an empty array, no OCDS data`);
    value.forEach((v, i) => take(v, `${where} [${i}]`, into, shapes, true));
    return;
  }
  if (!isObject(value)) throw new OcdsInputError(`${where}: not OCDS data: found ${describeJson(value)}; ${NOT_OCDS}`);
  if (Array.isArray(value.records)) {
    shapes.add("record package");
    const { records, ...metadata } = value;
    into.packages.push({ kind: "record package", where, metadata });
    records.forEach((rec, i) => takeRecord(rec, `${where} records[${i}]`, into));
    return;
  }
  if (Array.isArray(value.releases) && typeof value.ocid !== "string") {
    shapes.add("release package");
    const { releases, ...metadata } = value;
    into.packages.push({ kind: "release package", where, metadata });
    releases.forEach((r, i) => {
      if (!isObject(r)) throw new OcdsInputError(`${where} releases[${i}]: a release must be a JSON object, found ${describeJson(r)}`);
      into.releases.push({ release: r, where: `${where} releases[${i}]` });
    });
    return;
  }
  if (typeof value.ocid === "string" && Array.isArray(value.releases)) {
    shapes.add("record");
    takeRecord(value, where, into);
    return;
  }
  if (typeof value.ocid === "string") {
    shapes.add("release");
    into.releases.push({ release: value, where });
    return;
  }
  if ("records" in value || "releases" in value) {
    throw new OcdsInputError(`${where}: not OCDS data: "records" or "releases" must be an array; ${NOT_OCDS}`);
  }
  throw new OcdsInputError(`${where}: not OCDS data: found ${describeJson(value)} (no "ocid", "releases" or "records"); ${NOT_OCDS}`);
}

function takeRecord(rec: Json, where: string, into: OcdsInput): void {
  if (!isObject(rec)) throw new OcdsInputError(`${where}: a record must be a JSON object, found ${describeJson(rec)}`);
  if (!Array.isArray(rec.releases)) throw new OcdsInputError(`${where}: a record must have a "releases" array`);
  rec.releases.forEach((r, i) => {
    if (!isObject(r)) throw new OcdsInputError(`${where} releases[${i}]: a release must be a JSON object, found ${describeJson(r)}`);
    // A linked release is {url, date, tag}: nothing to read without fetching it.
    if (typeof r.ocid !== "string" && typeof r.url === "string") into.linkedReleases++;
    else into.releases.push({ release: r, where: `${where} releases[${i}]` });
  });
}

/** Reads the text of one file (JSON or JSON Lines). */
export function readOcdsText(text: string, source: string, into?: OcdsInput): OcdsInput {
  const out = into ?? { releases: [], packages: [], linkedReleases: 0, shapes: [] };
  const shapes = new Set<string>();
  let whole: Json | undefined;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text) as Json;
  } catch (e) {
    wholeError = e;
  }
  if (whole !== undefined) {
    take(whole, source, out, shapes);
    out.shapes.push(...[...shapes].map((s) => (Array.isArray(whole) ? `array of ${s}s` : s)));
    return out;
  }
  // JSON Lines: one value per non-blank line. A single line that is not JSON is just not JSON.
  const lines = text.split(/\r?\n/);
  const filled = lines.filter((l) => l.trim() !== "");
  if (filled.length <= 1) throw new OcdsInputError(`${source}: not JSON: ${jsonError(wholeError, text)}`);
  let seen = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: Json;
    try {
      value = JSON.parse(line) as Json;
    } catch (e) {
      throw new OcdsInputError(seen === 0 ? `${source}: not JSON: ${jsonError(wholeError, text)}` : `${source} line ${i + 1}: not JSON: ${jsonError(e, line).replace(/line 1, /, "")}`);
    }
    seen++;
    take(value, `${source} line ${i + 1}`, out, shapes);
  });
  out.shapes.push(...[...shapes].map((s) => `JSON Lines of ${s}s`));
  return out;
}

/** Reads one file's bytes (gunzipped when they are gzip). */
export function readOcdsBytes(bytes: Uint8Array, source: string, into?: OcdsInput): OcdsInput {
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch (e) {
      throw new OcdsInputError(`${source}: a damaged gzip file (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return readOcdsText(decodeUtf8(data, source), source, into);
}

/** The files a path names: itself, or a folder's regular files in name order (hidden files skipped). */
export function ocdsFiles(target: string): string[] {
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new OcdsInputError(`${target}: no such file or folder`);
  }
  if (st.isFile()) return [target];
  if (!st.isDirectory()) throw new OcdsInputError(`${target}: not a file or a folder`);
  const files = readdirSync(target)
    .filter((f) => !f.startsWith("."))
    .sort()
    .map((f) => path.join(target, f))
    .filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new OcdsInputError(`${target}: the folder has no files`);
  return files;
}

/** Reads files and folders, in the order given (a folder's files in name order). */
export function readOcdsPaths(paths: readonly string[]): OcdsInput {
  const out: OcdsInput = { releases: [], packages: [], linkedReleases: 0, shapes: [] };
  for (const p of paths) {
    for (const file of ocdsFiles(p)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new OcdsInputError(`${file}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
      }
      readOcdsBytes(bytes, file, out);
    }
  }
  return out;
}
