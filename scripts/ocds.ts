/**
 * npm run -s ocds -- <command> — OCDS tools on files (only `import` opens a database).
 *
 *   compile [--schema <release-schema.json>] <file or folder>…
 *       Reads release packages, record packages (their embedded releases), bare releases, records, JSON
 *       arrays of any of these and JSON Lines of any of these (gzipped too); a folder is read file by file
 *       in name order. Groups the releases by ocid and writes to stdout one record package whose records,
 *       sorted by ocid, each have ocid, releases (in merge order), compiledRelease and versionedRelease.
 *       The merge rules come from the release schema with Jejak's extensions, or from --schema (another
 *       release schema: one patched with other extensions, or a test schema).
 *   validate <file or folder> [--json] [--prefix <ocid prefix>]
 *       The quality report (exports/ocds/quality.ts) as text, or as JSON with --json. Exit code 1 when it
 *       has errors.
 *   import [--tenant <code>] [--publisher <name>] [--dry-run] [--strict] <file or folder>…
 *       Stores other publishers' OCDS (any of the shapes above) as the releases of an external publisher,
 *       apart from Jejak's own publication, and links processes to the tenant's RUP packages by kode RUP
 *       or SPSE kode tender (exports/ocds/import.ts has the rules). Prints the counts (read, new, already
 *       present, conflicts), the links and the quality report. All or nothing: exit code 0 when imported
 *       (or, with --dry-run, importable), 1 when refused (unusable releases — no ocid, id or date, wrong
 *       types, one ocid and id with two bodies — or a conflict with a stored release; with --strict any
 *       error of the quality report), nothing stored. The database is DATABASE_URL or the embedded one of
 *       `npm start` (pending migrations are applied first, as `npm run db:seed` does); --tenant may be left
 *       out when the database has one tenant. The only command here that opens a database, and only once
 *       the files have been read and checked.
 *   schema:download [--base <url>] [--extension-base <url template>] [--dest <folder>]
 *       Fetches the standard's schema files, the release schema's codelists and each declared extension
 *       (exports/ocds/download.ts) into .cache/ocds (or --dest), replacing the old cache only when all
 *       came and load. Exit code 1 when a download fails (the URL is named; the old cache is kept).
 *
 * Input that cannot be read (empty, not UTF-8, not JSON, not OCDS) gives a message and exit code 2, a
 * usage error too; a merge that cannot be done (releases without dates) exit code 1. Set OCDS_DEBUG=1 for
 * stack traces.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { once } from "node:events";
import { OcdsDownloadError } from "../exports/ocds/download";
import { formatImportResult, prepareOcdsImport, refusedImport, runOcdsImport, type ImportResult, type PreparedImport } from "../exports/ocds/import";
import { inMergeOrder, MergeError, mergerFor } from "../exports/ocds/merge";
import { formatQualityReport, qualityReport } from "../exports/ocds/quality";
import { OcdsInputError, readOcdsPaths } from "../exports/ocds/read";
import { loadOcdsSchemas, OCDS_VERSION, OcdsSchemaNotFound, type Json, type JsonObject } from "../exports/ocds/schema";

const USAGE = `usage:
  npm run -s ocds -- compile [--schema <release-schema.json>] <file or folder>...
  npm run -s ocds -- validate <file or folder> [--json] [--prefix <ocid prefix>]
  npm run -s ocds -- import [--tenant <code>] [--publisher <name>] [--dry-run] [--strict] <file or folder>...
  npm run -s ocds -- schema:download [--base <url>] [--extension-base <url template>] [--dest <folder>]`;

class UsageError extends Error {}

interface Args {
  positional: string[];
  options: Map<string, string | true>;
}

function parseArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (valued.includes(name)) {
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
        options.set(name, value);
      } else if (flags.includes(name) && inline === undefined) options.set(name, true);
      else throw new UsageError(`unknown option ${a}`);
    } else positional.push(a);
  }
  return { positional, options };
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function readSchema(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--schema ${file}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  let schema: Json;
  try {
    schema = JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`--schema ${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(schema) || !isObject(schema.properties)) throw new UsageError(`--schema ${file}: not a release schema (an object with "properties")`);
  return schema;
}

/** Writes text to stdout, waiting when the pipe is full. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

async function compile(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["schema"], []);
  if (args.positional.length === 0) throw new UsageError("compile: name at least one file or folder");
  const schemaFile = args.options.get("schema");
  const schema = typeof schemaFile === "string" ? readSchema(schemaFile) : loadOcdsSchemas().release;
  const merger = mergerFor(schema);
  if (merger.rules.unresolved.length > 0) console.error(`ocds: the schema's ${merger.rules.unresolved.join(", ")} could not be resolved: fields under them merge by the shape of the data`);

  const input = readOcdsPaths(args.positional);
  if (input.linkedReleases > 0) console.error(`ocds: ${input.linkedReleases} linked releases (url only) in records were skipped: only embedded releases can be compiled`);
  const byOcid = new Map<string, JsonObject[]>();
  for (const { release, where } of input.releases) {
    if (typeof release.ocid !== "string" || release.ocid === "") throw new OcdsInputError(`${where}: a release without an "ocid" cannot be compiled`);
    const list = byOcid.get(release.ocid);
    if (list) list.push(release);
    else byOcid.set(release.ocid, [release]);
  }
  if (byOcid.size === 0) throw new OcdsInputError(`no releases to compile${input.linkedReleases > 0 ? " (the records only link to theirs)" : ""}`);

  const first = input.packages[0]?.metadata ?? {};
  const extensions: Json[] = [];
  for (const p of input.packages) if (Array.isArray(p.metadata.extensions)) for (const e of p.metadata.extensions) if (!extensions.some((x) => x === e)) extensions.push(e);
  const packages = input.packages.map((p) => p.metadata.uri).filter((u): u is string => typeof u === "string");
  const head: JsonObject = {};
  for (const k of ["uri", "publisher", "license", "publicationPolicy"]) if (first[k] !== undefined) head[k] = first[k];
  head.publishedDate = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  head.version = typeof first.version === "string" ? first.version : OCDS_VERSION;
  if (extensions.length > 0) head.extensions = extensions;
  if (packages.length > 0) head.packages = packages;

  const ocids = [...byOcid.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Every group must be mergeable (dates) before anything is written: no half-written package on failure.
  for (const ocid of ocids) {
    try {
      inMergeOrder(byOcid.get(ocid) ?? []);
    } catch (e) {
      if (e instanceof MergeError) throw new MergeError(`ocid ${ocid}: ${e.message}`);
      throw e;
    }
  }
  const opening = JSON.stringify(head);
  await write(`${opening.slice(0, -1)},"records":[`);
  for (let i = 0; i < ocids.length; i++) {
    const record = JSON.stringify(merger.record(byOcid.get(ocids[i]) ?? []));
    await write(i === 0 ? record : `,${record}`);
  }
  await write("]}\n");
  return 0;
}

async function validate(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["prefix"], ["json"]);
  if (args.positional.length !== 1) throw new UsageError("validate: name one file (or folder)");
  const input = readOcdsPaths(args.positional);
  const prefix = args.options.get("prefix");
  const report = qualityReport(input, { expectedPrefix: typeof prefix === "string" ? prefix : undefined });
  await write(args.options.has("json") ? `${JSON.stringify(report, null, 2)}\n` : `${formatQualityReport(report, args.positional[0])}\n`);
  return report.errors > 0 ? 1 : 0;
}

function importReport(result: ImportResult, prepared: PreparedImport): string {
  const source = prepared.sources.length === 1 ? prepared.sources[0] : `${prepared.sources.length} files`;
  return `${formatImportResult(result)}\n\n${formatQualityReport(prepared.report, source)}\n`;
}

async function importCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["tenant", "publisher"], ["dry-run", "strict"]);
  if (args.positional.length === 0) throw new UsageError("import: name at least one file or folder");
  const tenantOption = args.options.get("tenant");
  const publisher = args.options.get("publisher");
  // Read and checked before any database is opened: unreadable or unusable input never gets that far.
  const prepared = prepareOcdsImport(args.positional, { publisher: typeof publisher === "string" ? publisher : undefined, strict: args.options.has("strict") });
  if (prepared.problems.length > 0) {
    await write(importReport(refusedImport(prepared, typeof tenantOption === "string" ? tenantOption : "(not chosen)"), prepared));
    return 1;
  }

  // Loaded here so that compile and validate never load the database stack.
  const [{ openDatabase }, { createOrm, migrate }, { Actor }, { systemClock }] = await Promise.all([
    import("./database"),
    import("../domain/persistence"),
    import("../domain/identity/actor"),
    import("../domain/kernel/clock"),
  ]);
  const db = await openDatabase({ log: (s) => console.error(`[jejak] ${s}`) });
  const orm = await createOrm(db.url);
  try {
    const applied = await migrate(orm);
    if (applied.length > 0) console.error(`[jejak] migrations applied: ${applied.join(", ")}`);
    let tenant: string;
    if (typeof tenantOption === "string") tenant = tenantOption;
    else {
      const rows = await orm.em.fork().execute<{ code: string }[]>("select code from tenant order by code");
      if (rows.length !== 1) throw new UsageError(`import: ${rows.length === 0 ? "the database has no tenant" : `the database has ${rows.length} tenants (${rows.map((r) => r.code).join(", ")})`}: choose one with --tenant`);
      tenant = rows[0].code;
    }
    const by = `ocds-import (${process.env.USER || process.env.USERNAME || os.userInfo().username})`;
    const result = await runOcdsImport(orm.em.fork(), Actor.system(tenant, by), systemClock, prepared, { dryRun: args.options.has("dry-run") });
    await write(importReport(result, prepared));
    return result.status === "refused" ? 1 : 0;
  } finally {
    await orm.close(true);
    await db.stop();
  }
}

async function schemaDownload(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ["base", "extension-base", "dest"], []);
  if (args.positional.length > 0) throw new UsageError("schema:download takes no file names");
  const opt = (k: string) => {
    const v = args.options.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const { downloadOcdsSchema } = await import("../exports/ocds/download");
  const r = await downloadOcdsSchema({ base: opt("base"), extensionBase: opt("extension-base"), dest: opt("dest"), log: (s) => console.error(`ocds: ${s}`) });
  await write(`OCDS schema downloaded into ${r.dest}: ${r.files} files (${r.bytes.toLocaleString("en")} bytes), ${r.codelists} codelists, extensions ${r.extensions.join(", ")}\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "compile":
      return compile(rest);
    case "validate":
      return validate(rest);
    case "import":
      return importCommand(rest);
    case "schema:download":
      return schemaDownload(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  // The reader went away (e.g. `| head`): nothing more to say.
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof UsageError) console.error(`ocds: ${message}\n${USAGE}`);
    else if (e instanceof OcdsInputError || e instanceof OcdsSchemaNotFound || e instanceof MergeError || e instanceof OcdsDownloadError) console.error(`ocds: ${message}`);
    else console.error(`ocds: unexpected error: ${message}${process.env.OCDS_DEBUG && e instanceof Error ? `\n${e.stack}` : ""}`);
    process.exitCode = e instanceof MergeError || e instanceof OcdsDownloadError ? 1 : 2;
  },
);
