import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../../domain/audit/transact";
import type { Actor } from "../../domain/identity/actor";
import { assertCan } from "../../domain/identity/policy";
import type { Clock } from "../../domain/kernel/clock";
import { pgArray } from "../../domain/kernel/pg";
import { qualityReport, type QualityReport } from "./quality";
import { ocdsFiles, OcdsInputError, readOcdsBytes, type OcdsInput } from "./read";
import type { Json, JsonObject, OcdsSchemas } from "./schema";

/**
 * `npm run ocds -- import`: other publishers' OCDS (an SPSE or opentender.net export, a neighbouring
 * pemda's publication, any release or record package, JSON Lines) stored as the releases of an external
 * publisher — in `ocds_import`, `ocds_external_release` and `ocds_external_link` (migration 0015), never
 * mixed into Jejak's own publication.
 *
 * Two steps. `prepareOcdsImport` reads the files (read.ts: an empty file, bytes that are not UTF-8, text
 * that is not JSON and JSON that is not OCDS are an `OcdsInputError`), runs the quality report on every
 * release, and lists the problems that make data unusable — they refuse the whole import:
 *
 *   - a release without an `ocid` (a non-empty string), or without an `id` (a string or an integer);
 *   - a release without a `date` that is a date(-time) string (`"date": 5`, `"yesterday"`);
 *   - a `tag` that is not an array of strings;
 *   - two releases with the same ocid and id but different bodies (identical repeats are kept once);
 *   - with `strict`, any error of the quality report.
 *
 * Everything else the quality report finds (schema errors in other fields, codes outside a codelist,
 * additional fields, OCDS 1.0 data without `version`) is reported and stored with the import, and the data
 * imported: real publications often fail validation, and they are still the best record there is.
 *
 * `runOcdsImport` then, in ONE transaction (all or nothing, with the audit trail's event): refuses the
 * batch when a release already stored for the publisher has the same ocid and id but another body (a
 * conflict is reported, never overwritten), skips releases already stored with the same body (counted as
 * already present), inserts the new ones, and links processes to the tenant's RUP packages.
 *
 * The match rule (per process, over all its releases in the batch), in this order of precedence:
 *
 *   kode RUP    `planning.rupCode` (Jejak's extension); `planning.budget.projectID` (the SiRUP id in the
 *               SiRUP/SPSE → OCDS mapping of Kota Bandung's BIRMS); `planning.budget.project` when it is
 *               only digits; fields named kode RUP as exports add them (`kd_rup`, `kodeRup`, `kode_rup`,
 *               `rupCode`) on the release, `planning`, `planning.budget` or `tender`
 *               → `proc_package.kode_rup` of the tenant (digits only, at most 12).
 *   kode tender `tender.id`, and fields named kode tender (`kd_tender`, `kodeTender`, `kode_tender`,
 *               `tenderCode`) on the release or `tender` → `tender.code` of the tenant's tenders imported from
 *               SPSE (`source = 'spse'`) only: Jejak numbers its own tenders from its own sequence, as a
 *               neighbouring Jejak does, so those codes mean nothing across publishers.
 *   kode RUP    `tender.id` again (Jejak's own mapping uses the kode RUP as `tender.id` before a tender
 *               exists; e-purchasing exports carry kd_rup there).
 *   kode tender the digits after the ocid's last "-" (SPSE ocids are `ocds-xxxxxx-<kode tender>`, Bandung's
 *               `ocds-afzrfb-s-<year>-<kode tender>`), against SPSE tenders as above.
 *
 * A process whose codes point to exactly one package is linked to it (`matched_by` is the first rule that
 * found it); codes pointing to several packages link none and say so; a process without a match stays
 * unlinked. Buyer identifiers (`buyer.id`, NPWP, kode satker) name an organisation, not a package, and are
 * not used.
 */

export type MatchKind = "kode_rup" | "tender_code";

export interface MatchCandidate {
  kind: MatchKind;
  value: string;
  /** Where in the release the code was, e.g. "planning.rupCode" or "ocid". */
  field: string;
}

export interface PreparedRelease {
  ocid: string;
  id: string;
  /** ISO 8601 UTC. */
  date: string;
  tags: string[];
  /** The release as read, serialised. */
  text: string;
  /** sha256 of its canonical JSON (keys sorted): what "the same release" means. */
  sha256: string;
  where: string;
  candidates: MatchCandidate[];
}

export interface PreparedImport {
  sources: string[];
  /** sha256 over the files' bytes in the order read. */
  sha256: string;
  input: OcdsInput;
  report: QualityReport;
  publisher: { name: string; uri: string; from: "option" | "package" | "file name" };
  /** The packages' version ("1.1"), null when none states one (OCDS 1.0 data, or bare releases). */
  version: string | null;
  /** Distinct releases, in the order read. */
  releases: PreparedRelease[];
  /** Identical repeats of a release in the input, kept once. */
  repeats: number;
  /** What makes the data unusable: any refuses the whole import. */
  problems: string[];
  warnings: string[];
}

export interface PrepareOptions {
  /** The publisher's name; otherwise the packages' `publisher.name`, otherwise the first file's name. */
  publisher?: string;
  /** Refuse on any error of the quality report, not only on unusable data. */
  strict?: boolean;
  schemas?: OcdsSchemas;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON with object keys sorted, so that the same release written in another key order hashes the same. */
export function canonicalJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function describe(v: Json | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** An OCDS date as ISO UTC: null when it is not a real calendar date(-time); `zoned` false when it had no zone. */
export function parseOcdsDate(v: string): { iso: string; zoned: boolean } | null {
  const m = DATE.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const z = zone === undefined || zone.toUpperCase() === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${z}`);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls 2020-02-31 over to March: refuse days the month does not have.
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(d) < 1 || Number(d) > days) return null;
  return { iso: new Date(t).toISOString(), zoned: zone !== undefined };
}

const KODE_RUP_KEYS = ["rupCode", "kodeRup", "kode_rup", "kd_rup", "kdRup"];
const KODE_TENDER_KEYS = ["tenderCode", "kodeTender", "kode_tender", "kd_tender", "kdTender"];
const KODE_RUP = /^\d{1,12}$/;

function code(v: Json | undefined): string | null {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "string" && v.trim() !== "" && v.trim().length <= 64) return v.trim();
  return null;
}

/** The codes in a release that may name a RUP package, in the order of precedence of the match rule. */
export function matchCandidates(release: JsonObject): MatchCandidate[] {
  const out: MatchCandidate[] = [];
  const add = (kind: MatchKind, v: Json | undefined, field: string) => {
    const c = code(v);
    if (c === null || (kind === "kode_rup" && !KODE_RUP.test(c))) return;
    if (!out.some((x) => x.kind === kind && x.value === c)) out.push({ kind, value: c, field });
  };
  const planning = isObject(release.planning) ? release.planning : {};
  const budget = isObject(planning.budget) ? planning.budget : {};
  const tender = isObject(release.tender) ? release.tender : {};
  add("kode_rup", planning.rupCode, "planning.rupCode");
  add("kode_rup", budget.projectID, "planning.budget.projectID");
  add("kode_rup", budget.project, "planning.budget.project");
  for (const [where, obj] of [["", release], ["planning.", planning], ["planning.budget.", budget], ["tender.", tender]] as const) {
    for (const k of KODE_RUP_KEYS) add("kode_rup", obj[k], `${where}${k}`);
  }
  add("tender_code", tender.id, "tender.id");
  for (const [where, obj] of [["", release], ["tender.", tender]] as const) for (const k of KODE_TENDER_KEYS) add("tender_code", obj[k], `${where}${k}`);
  add("kode_rup", tender.id, "tender.id");
  if (typeof release.ocid === "string") {
    const m = /-(\d{1,20})$/.exec(release.ocid.trim());
    if (m) add("tender_code", m[1], "ocid");
  }
  return out;
}

function fileStem(file: string): string {
  return path.basename(file).replace(/(\.(json|jsonl|ndjson|gz|txt))+$/i, "") || path.basename(file);
}

const MAX_LISTED = 20;

/**
 * Reads and checks the input without touching the database. Throws `OcdsInputError` for input that cannot
 * be read as OCDS at all (nothing to import); returns the problems that refuse the import otherwise.
 */
export function prepareOcdsImport(paths: readonly string[], options: PrepareOptions = {}): PreparedImport {
  if (paths.length === 0) throw new OcdsInputError("name at least one file or folder");
  const input: OcdsInput = { releases: [], packages: [], linkedReleases: 0, shapes: [] };
  const hash = createHash("sha256");
  const sources: string[] = [];
  for (const p of paths) {
    for (const file of ocdsFiles(p)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new OcdsInputError(`${file}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
      }
      hash.update(bytes);
      sources.push(file);
      readOcdsBytes(bytes, file, input);
    }
  }
  if (input.releases.length === 0) {
    throw new OcdsInputError(`${paths.join(", ")}: no releases to import${input.linkedReleases > 0 ? ` (the records only link to their ${input.linkedReleases} releases by url)` : ""}`);
  }
  const report = qualityReport(input, { schemas: options.schemas });
  const warnings: string[] = [];
  const problems: string[] = [];

  // The publisher: named, or the packages', or the first file's name.
  const named = new Map<string, string>();
  for (const p of input.packages) {
    const pub = p.metadata.publisher;
    const name = isObject(pub) && typeof pub.name === "string" ? pub.name.trim() : typeof pub === "string" ? pub.trim() : "";
    const uri = isObject(pub) && typeof pub.uri === "string" ? pub.uri.trim() : "";
    if (name && !named.has(name)) named.set(name, uri);
  }
  let publisher: PreparedImport["publisher"];
  const option = options.publisher?.trim();
  for (const name of [option ?? "", ...named.keys()]) if (name.includes("\u0000")) throw new OcdsInputError(`the publisher's name contains the character U+0000`);
  if (option) publisher = { name: option, uri: named.get(option) ?? (named.size === 1 ? [...named.values()][0] : ""), from: "option" };
  else if (named.size > 1) {
    throw new OcdsInputError(`the packages name ${named.size} publishers (${[...named.keys()].map((n) => JSON.stringify(n)).join(", ")}): import one publisher at a time, or name one with --publisher`);
  } else if (named.size === 1) {
    const [[name, uri]] = [...named];
    publisher = { name, uri, from: "package" };
  } else {
    publisher = { name: fileStem(sources[0]), uri: "", from: "file name" };
    warnings.push(`no package names its publisher: the publisher is taken from the file name, "${publisher.name}"; name it with --publisher so that a re-import of a file with another name is recognised`);
  }

  // Versions: OCDS 1.0 data (a package without `version`) is imported with a warning.
  const versions = new Set<string>();
  let unversioned = 0;
  for (const p of input.packages) {
    if (typeof p.metadata.version === "string") versions.add(p.metadata.version);
    else unversioned++;
  }
  if (unversioned > 0) {
    warnings.push(`${unversioned} package${unversioned === 1 ? " has" : "s have"} no "version": OCDS 1.0 data, imported as it is (the quality report checks it against OCDS 1.1, where it may fail)`);
  }
  for (const v of versions) if (v !== "1.1") warnings.push(`packages of OCDS version ${JSON.stringify(v)}: imported as they are, checked against OCDS 1.1`);
  if (input.linkedReleases > 0) warnings.push(`${input.linkedReleases} releases in records are only linked (url), not embedded: not imported`);

  // Each release: usable (ocid, id, date, tag), and the same (ocid, id) never with two bodies.
  const releases: PreparedRelease[] = [];
  const byKey = new Map<string, PreparedRelease>();
  let repeats = 0;
  let unzoned = 0;
  for (const { release, where } of input.releases) {
    const before = problems.length;
    const ocid = typeof release.ocid === "string" ? release.ocid.trim() : "";
    if (!ocid) problems.push(`${where}: no "ocid" (found ${describe(release.ocid)}); a release needs its process's ocid`);
    const rawId = release.id;
    const id = typeof rawId === "string" ? rawId.trim() : typeof rawId === "number" && Number.isSafeInteger(rawId) ? String(rawId) : "";
    if (!id) problems.push(`${where}: no "id" (found ${describe(rawId)}); a release needs an id, unique within its ocid`);
    const date = typeof release.date === "string" ? parseOcdsDate(release.date) : null;
    if (!date) problems.push(`${where}: "date" must be a date-time such as "2024-03-01T00:00:00Z" (found ${describe(release.date)})`);
    else if (!date.zoned) unzoned++;
    const tag = release.tag;
    if (tag !== undefined && !(Array.isArray(tag) && tag.every((t) => typeof t === "string"))) problems.push(`${where}: "tag" must be an array of strings (found ${describe(tag)})`);
    // PostgreSQL text cannot hold U+0000: an identifier with one cannot be stored (nor is it a real one).
    for (const [field, v] of [["ocid", ocid], ["id", id], ["tag", Array.isArray(tag) ? tag.join("") : ""]] as const) {
      if (v.includes("\u0000")) problems.push(`${where}: "${field}" contains the character U+0000`);
    }
    if (problems.length > before || !date) continue;
    const text = JSON.stringify(release);
    const prepared: PreparedRelease = {
      ocid,
      id,
      date: date.iso,
      tags: Array.isArray(tag) ? (tag as string[]) : [],
      text,
      sha256: sha256(canonicalJson(release)),
      where,
      candidates: matchCandidates(release),
    };
    const key = JSON.stringify([ocid, id]);
    const seen = byKey.get(key);
    if (seen) {
      if (seen.sha256 === prepared.sha256) repeats++;
      else problems.push(`${where}: ocid ${ocid} release ${id} appears twice with different contents (also at ${seen.where}); a release id must be unique within its ocid`);
      continue;
    }
    byKey.set(key, prepared);
    releases.push(prepared);
  }
  if (repeats > 0) warnings.push(`${repeats} release${repeats === 1 ? " is" : "s are"} repeated with the same contents: kept once`);
  if (unzoned > 0) warnings.push(`${unzoned} release date${unzoned === 1 ? " has" : "s have"} no time zone: read as UTC`);
  if (options.strict && report.errors > 0) problems.push(`--strict: the quality report has ${report.errors} error${report.errors === 1 ? "" : "s"} (listed below)`);

  return {
    sources,
    sha256: hash.digest("hex"),
    input,
    report,
    publisher,
    version: versions.size === 1 ? [...versions][0] : versions.size > 1 ? [...versions].join(", ") : null,
    releases,
    repeats,
    problems,
    warnings,
  };
}

export interface ImportLink {
  ocid: string;
  packageId: string;
  packageName: string;
  kodeRup: string | null;
  matchedBy: MatchKind;
  /** The code that matched, and where it was. */
  value: string;
  field: string;
  /** False when an earlier import already linked it. */
  isNew: boolean;
}

export interface ImportConflict {
  ocid: string;
  id: string;
  where: string;
}

export interface ImportResult {
  status: "imported" | "dry-run" | "refused";
  importId: string | null;
  tenant: string;
  publisher: string;
  read: number;
  /** Distinct releases in the input. */
  distinct: number;
  new: number;
  present: number;
  repeats: number;
  conflicts: ImportConflict[];
  links: ImportLink[];
  /** Processes whose codes point to several packages (not linked). */
  ambiguous: { ocid: string; packages: string[] }[];
  /** Processes in the input, and how many of them no rule linked. */
  processes: number;
  unlinked: number;
  problems: string[];
  warnings: string[];
  report: QualityReport;
}

function baseResult(prepared: PreparedImport, tenant: string): ImportResult {
  return {
    status: "refused",
    importId: null,
    tenant,
    publisher: prepared.publisher.name,
    read: prepared.input.releases.length,
    distinct: prepared.releases.length,
    new: 0,
    present: 0,
    repeats: prepared.repeats,
    conflicts: [],
    links: [],
    ambiguous: [],
    processes: new Set(prepared.releases.map((r) => r.ocid)).size,
    unlinked: 0,
    problems: [...prepared.problems],
    warnings: [...prepared.warnings],
    report: prepared.report,
  };
}

/** A refusal before the database is involved (the prepared data has problems). */
export function refusedImport(prepared: PreparedImport, tenant: string): ImportResult {
  return baseResult(prepared, tenant);
}

const CHUNK = 500;

/** jsonb (unlike json) refuses U+0000 in strings: the report quotes the data, so those become U+FFFD. */
const noNul = (v: string) => v.replace(/\u0000/g, "\ufffd");
const jsonbText = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" ? noNul(x) : x));

/**
 * Stores a prepared import for the actor's tenant in one transaction (see the module comment). Refused
 * (nothing stored) when the prepared data has problems or a stored release conflicts; with `dryRun` the
 * whole result is computed and nothing stored.
 */
export async function runOcdsImport(em: EntityManager, actor: Actor, clock: Clock, prepared: PreparedImport, opts: { dryRun?: boolean } = {}): Promise<ImportResult> {
  assertCan(actor, "workspace.admin", { tenant: actor.tenant });
  const tenant = actor.tenant;
  const result = baseResult(prepared, tenant);
  if (prepared.problems.length > 0) return result;
  const publisher = prepared.publisher.name;

  return transact(em, actor, clock, async (tx, record) => {
    // One import per tenant at a time: the conflict check and the inserts see the same stored releases.
    await tx.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`ocds-import:${tenant}`]);
    const [known] = await tx.execute<{ n: string }[]>("select count(*)::text as n from tenant where code = ?", [tenant]);
    if (known.n === "0") throw new OcdsInputError(`no tenant ${JSON.stringify(tenant)} in this database`);

    // ---- Stored releases of this publisher with the same ocids: same body → present, other body → conflict.
    const ocids = [...new Set(prepared.releases.map((r) => r.ocid))];
    const stored = new Map<string, string>();
    for (let i = 0; i < ocids.length; i += CHUNK) {
      const rows = await tx.execute<{ ocid: string; id: string; data_sha256: string }[]>(
        "select ocid, id, data_sha256 from ocds_external_release where tenant_code = ? and publisher = ? and ocid = any(?::text[])",
        [tenant, publisher, pgArray(ocids.slice(i, i + CHUNK))],
      );
      for (const r of rows) stored.set(JSON.stringify([r.ocid, r.id]), r.data_sha256);
    }
    const fresh: PreparedRelease[] = [];
    for (const r of prepared.releases) {
      const had = stored.get(JSON.stringify([r.ocid, r.id]));
      if (had === undefined) fresh.push(r);
      else if (had === r.sha256) result.present++;
      else result.conflicts.push({ ocid: r.ocid, id: r.id, where: r.where });
    }
    for (const c of result.conflicts.slice(0, MAX_LISTED)) {
      result.problems.push(`${c.where}: ocid ${c.ocid} release ${c.id} is already stored for publisher "${publisher}" with different contents: a published release is never changed (a correction is a new release with a new id)`);
    }
    if (result.conflicts.length > MAX_LISTED) result.problems.push(`… and ${result.conflicts.length - MAX_LISTED} more conflicting releases`);

    // ---- Matching processes to the tenant's RUP packages (the rule is in the module comment).
    const byOcid = new Map<string, MatchCandidate[]>();
    for (const r of prepared.releases) {
      const list = byOcid.get(r.ocid) ?? [];
      for (const c of r.candidates) if (!list.some((x) => x.kind === c.kind && x.value === c.value)) list.push(c);
      byOcid.set(r.ocid, list);
    }
    const all = [...byOcid.values()].flat();
    const kodes = [...new Set(all.filter((c) => c.kind === "kode_rup").map((c) => c.value))];
    const codes = [...new Set(all.filter((c) => c.kind === "tender_code").map((c) => c.value))];
    type Pkg = { id: string; kode_rup: string | null; name: string };
    const byKode = new Map<string, Pkg>();
    const byTenderCode = new Map<string, Pkg>();
    for (let i = 0; i < kodes.length; i += CHUNK) {
      const rows = await tx.execute<Pkg[]>("select id, kode_rup::text as kode_rup, name from proc_package where tenant_code = ? and kode_rup = any(?::bigint[])", [tenant, pgArray(kodes.slice(i, i + CHUNK))]);
      for (const p of rows) if (p.kode_rup) byKode.set(p.kode_rup, p);
    }
    for (let i = 0; i < codes.length; i += CHUNK) {
      const rows = await tx.execute<(Pkg & { code: string })[]>(
        `select t.code, p.id, p.kode_rup::text as kode_rup, p.name from tender t join proc_package p on p.id = t.package_id
          where t.tenant_code = ? and t.source = 'spse' and t.code = any(?::text[])`,
        [tenant, pgArray(codes.slice(i, i + CHUNK))],
      );
      for (const p of rows) byTenderCode.set(p.code, { id: p.id, kode_rup: p.kode_rup, name: p.name });
    }
    const planned: ImportLink[] = [];
    for (const [ocid, candidates] of byOcid) {
      const hits = new Map<string, { pkg: Pkg; c: MatchCandidate }>();
      for (const c of candidates) {
        const pkg = c.kind === "kode_rup" ? byKode.get(c.value) : byTenderCode.get(c.value);
        if (pkg && !hits.has(pkg.id)) hits.set(pkg.id, { pkg, c });
      }
      if (hits.size === 1) {
        const [{ pkg, c }] = hits.values();
        planned.push({ ocid, packageId: pkg.id, packageName: pkg.name, kodeRup: pkg.kode_rup, matchedBy: c.kind, value: c.value, field: c.field, isNew: true });
      } else if (hits.size > 1) {
        const packages = [...hits.values()].map(({ pkg, c }) => `${pkg.kode_rup ?? pkg.id} (${c.field} ${c.value})`);
        result.ambiguous.push({ ocid, packages });
      } else result.unlinked++;
    }
    for (const a of result.ambiguous.slice(0, MAX_LISTED)) result.warnings.push(`ocid ${a.ocid} is not linked: its codes point to several packages: ${a.packages.join(", ")}`);
    if (result.ambiguous.length > MAX_LISTED) result.warnings.push(`… and ${result.ambiguous.length - MAX_LISTED} more processes not linked for the same reason`);
    const linked = new Set<string>();
    for (let i = 0; i < planned.length; i += CHUNK) {
      const part = planned.slice(i, i + CHUNK);
      const rows = await tx.execute<{ ocid: string; package_id: string }[]>(
        "select ocid, package_id from ocds_external_link where tenant_code = ? and publisher = ? and ocid = any(?::text[])",
        [tenant, publisher, pgArray(part.map((l) => l.ocid))],
      );
      for (const r of rows) linked.add(`${r.ocid}\u0000${r.package_id}`);
    }
    for (const l of planned) l.isNew = !linked.has(`${l.ocid}\u0000${l.packageId}`);
    result.links = planned;

    if (result.conflicts.length > 0) return result;
    result.new = fresh.length;
    if (opts.dryRun) {
      result.status = "dry-run";
      return result;
    }

    // ---- Writing: the import, its new releases, its new links, and the audit event.
    const importId = randomUUID();
    const now = clock.now();
    const newLinks = planned.filter((l) => l.isNew);
    await tx.execute(
      `insert into ocds_import (id, tenant_code, publisher, publisher_uri, sources, sha256, version, releases_read, releases_new, releases_present, links_new, quality, warnings, imported_at, imported_by)
       values (?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?::jsonb, ?::text[], ?, ?)`,
      [
        importId, tenant, publisher, noNul(prepared.publisher.uri), pgArray(prepared.sources), prepared.sha256, prepared.version,
        result.read, result.new, result.present, newLinks.length, jsonbText(prepared.report), pgArray(result.warnings.map(noNul)), now, actor.username,
      ],
    );
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const part = fresh.slice(i, i + CHUNK);
      await tx.execute(
        `insert into ocds_external_release (import_id, tenant_code, publisher, ocid, id, date, tags, data_sha256, data) values ${part.map(() => "(?, ?, ?, ?, ?, ?::timestamptz, ?::text[], ?, ?::json)").join(", ")}`,
        part.flatMap((r) => [importId, tenant, publisher, r.ocid, r.id, r.date, pgArray(r.tags), r.sha256, r.text]),
      );
    }
    for (let i = 0; i < newLinks.length; i += CHUNK) {
      const part = newLinks.slice(i, i + CHUNK);
      await tx.execute(
        `insert into ocds_external_link (tenant_code, publisher, ocid, package_id, matched_by, value, import_id, created_at) values ${part.map(() => "(?, ?, ?, ?::uuid, ?, ?, ?, ?)").join(", ")}`,
        part.flatMap((l) => [tenant, publisher, l.ocid, l.packageId, l.matchedBy, l.value, importId, now]),
      );
    }
    record({
      type: "OcdsImported",
      entityType: "OcdsImport",
      entityId: importId,
      after: { publisher, sources: prepared.sources, sha256: prepared.sha256, releasesRead: result.read, releasesNew: result.new, releasesPresent: result.present, linksNew: newLinks.length, errors: prepared.report.errors, warnings: prepared.report.warnings },
    });
    result.status = "imported";
    result.importId = importId;
    return result;
  });
}

/** The result as text for a terminal (the quality report follows it, see scripts/ocds.ts). */
export function formatImportResult(r: ImportResult): string {
  const lines: string[] = [];
  const head = r.status === "imported" ? "Imported" : r.status === "dry-run" ? "Dry run (nothing stored)" : "Refused: nothing was stored";
  lines.push(`${head} — publisher "${r.publisher}", tenant ${r.tenant}${r.importId ? `, import ${r.importId}` : ""}`);
  lines.push(`  releases read: ${r.read}${r.repeats > 0 ? ` (${r.repeats} identical repeats)` : ""}`);
  if (r.problems.length === 0 || r.conflicts.length > 0) {
    lines.push(`  new: ${r.new} · already present: ${r.present} · conflicts: ${r.conflicts.length}`);
    lines.push(`  processes: ${r.processes} · linked to RUP packages: ${r.links.length} (${r.links.filter((l) => l.isNew).length} new) · ambiguous: ${r.ambiguous.length} · unlinked: ${r.unlinked}`);
  }
  if (r.problems.length > 0) {
    lines.push("", r.status === "refused" ? "Why it was refused:" : "Problems:");
    for (const p of r.problems.slice(0, MAX_LISTED)) lines.push(`  ${p}`);
    if (r.problems.length > MAX_LISTED) lines.push(`  … and ${r.problems.length - MAX_LISTED} more`);
  }
  if (r.links.length > 0) {
    lines.push(
      "",
      "Linked to RUP packages (kode RUP ← the code that matched). Rule, in order: kode RUP in planning.rupCode, planning.budget.projectID/project or kd_rup-like fields;",
      "  kode tender in tender.id or kd_tender-like fields, of tenders imported from SPSE; tender.id as a kode RUP; the digits ending the ocid as an SPSE kode tender.",
      "  A process whose codes point to several packages is not linked.",
    );
    for (const l of r.links.slice(0, 50)) {
      lines.push(`  ${l.ocid} → kode RUP ${l.kodeRup ?? "(none)"} "${l.packageName}" ← ${l.matchedBy === "kode_rup" ? "kode RUP" : "kode tender"} ${l.value} in ${l.field}${l.isNew ? "" : " (already linked)"}`);
    }
    if (r.links.length > 50) lines.push(`  … and ${r.links.length - 50} more`);
  }
  if (r.warnings.length > 0) {
    lines.push("", "Warnings:");
    for (const w of r.warnings) lines.push(`  ${w}`);
  }
  return lines.join("\n");
}
