import type { OcdsInput, PackageMetadata } from "./read";
import { loadOcdsSchemas, OCDS_VERSION, type Json, type JsonObject, type OcdsSchemas } from "./schema";
import { ocdsValidators, type ValidationIssue } from "./validate";

/**
 * The quality report of any OCDS data: what the Data Review Tool checks, computed here. Used by
 * `npm run ocds -- validate` and by the app's /admin/ocds page.
 *
 *   errors   — a package's metadata against its schema; each release against the release schema with the
 *              declared extensions (one by one: never `uniqueItems` over a whole package, see validate.ts);
 *              releases repeating an (ocid, id) pair (checked with a Set); codes outside a closed codelist.
 *   warnings — objects without `id` in arrays merged by identifier (they cannot be merged with later
 *              releases); empty fields ("", [], {}); fields the schema does not know (additional fields:
 *              a typo or an undeclared extension); deprecated fields; an ocid without a registered prefix
 *              (or without the expected one); packages without `version` (OCDS 1.0 data) or of another
 *              version.
 *   notes    — codes outside an open codelist (allowed, but not standard); records whose releases are
 *              only linked; ocids under the deployment's configured prefix when that prefix is not a
 *              registered one (the demo's `ocds-jejakdemo` deliberately is not): expected, said once.
 *   coherence (warnings, coherence.ts, on compiled releases) — dates in order, amounts ≥ 0, contracts
 *              consistent with their award, payments within the contract value.
 *
 * `QualityCollector` takes releases one at a time (the app streams stored releases in pages, never all in
 * memory); `qualityReport` runs it over what `readOcdsPaths` / `readOcdsBytes` read.
 *
 * Every finding is counted in full and keeps a few examples ("<ocid> <release id>: <JSON pointer>").
 */

export type Severity = "error" | "warning" | "note";

export type Check =
  | "packageSchema"
  | "releaseSchema"
  | "duplicateRelease"
  | "closedCodelist"
  | "missingId"
  | "emptyField"
  | "additionalField"
  | "deprecatedField"
  | "ocidPrefix"
  | "version"
  | "openCodelist"
  | "linkedReleases"
  | "unregisteredPrefix"
  | "dateOrder"
  | "negativeAmount"
  | "awardContract"
  | "contractValue"
  | "paymentValue";

export interface Finding {
  check: Check;
  severity: Severity;
  /** The field, as names joined by "." without array indexes (e.g. "tender.items.unit.id"); "" for none. */
  path: string;
  message: string;
  count: number;
  examples: string[];
}

export interface ReleaseErrors {
  where: string;
  ocid: string | null;
  id: string | null;
  errors: ValidationIssue[];
}

export interface QualityReport {
  shapes: string[];
  /** The packages' `version` ("1.1"), null when no package says (bare releases, or OCDS 1.0 data). */
  version: string | null;
  packages: number;
  releases: number;
  ocids: number;
  invalidReleases: number;
  errors: number;
  warnings: number;
  notes: number;
  findings: Finding[];
  /** The first releases with schema errors, each with all its errors. */
  releaseErrors: ReleaseErrors[];
}

export interface QualityOptions {
  schemas?: OcdsSchemas;
  /** The ocid prefix the releases must have (e.g. the publisher's `OCDS_PREFIX`). */
  expectedPrefix?: string;
  /**
   * The deployment's own configured prefix (`OCDS_PREFIX`, without the trailing "-"): ocids under it are
   * expected to have it, and when it is not a registered prefix (the demo's) that is a note, not a warning.
   */
  configuredPrefix?: string;
  /** Examples kept per finding (default 5). */
  examples?: number;
  /** Releases listed with their schema errors (default 50). */
  releaseErrors?: number;
}

const SEVERITY: Record<Check, Severity> = {
  packageSchema: "error",
  releaseSchema: "error",
  duplicateRelease: "error",
  closedCodelist: "error",
  missingId: "warning",
  emptyField: "warning",
  additionalField: "warning",
  deprecatedField: "warning",
  ocidPrefix: "warning",
  version: "warning",
  openCodelist: "note",
  linkedReleases: "note",
  unregisteredPrefix: "note",
  dateOrder: "warning",
  negativeAmount: "warning",
  awardContract: "warning",
  contractValue: "warning",
  paymentValue: "warning",
};

/** A registered ocid prefix: "ocds-" and six lowercase letters or digits, then "-". */
const REGISTERED_PREFIX = /^ocds-[a-z0-9]{6}-/;

// ---------------------------------------------------------------------------------------------------
// The schema as a tree of fields

interface Deprecation {
  version: string;
  description: string;
}

interface Field {
  shape: Shape | null;
  items: Field | null;
  codelist: string | null;
  openCodelist: boolean;
  deprecated: Deprecation | null;
  /** An array merged by identifier: its objects need an `id`. */
  identifierMerge: boolean;
}

interface Shape {
  props: Map<string, Field>;
  patterns: RegExp[];
  /** No `properties` declared: any field is allowed. */
  open: boolean;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

const trees = new WeakMap<JsonObject, Shape>();

function releaseShape(schema: JsonObject): Shape {
  const hit = trees.get(schema);
  if (hit) return hit;
  const resolve = (ref: string): JsonObject => {
    const selfId = typeof schema.id === "string" ? schema.id.replace(/#.*$/, "") : "";
    const pointer = ref.startsWith("#") ? ref.slice(1) : ref.startsWith(`${selfId}#`) ? ref.slice(selfId.length + 1) : null;
    if (pointer === null) return {};
    let cur: Json | undefined = schema;
    for (const part of pointer.split("/").slice(1)) cur = isObject(cur) ? cur[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    return isObject(cur) ? cur : {};
  };
  const deref = (node: JsonObject): JsonObject => {
    let cur = node;
    for (let hops = 0; typeof cur.$ref === "string" && hops < 32; hops++) cur = resolve(cur.$ref);
    return cur;
  };
  const shapes = new Map<JsonObject, Shape>();
  const shapeOf = (node: JsonObject): Shape => {
    const known = shapes.get(node);
    if (known) return known;
    const shape: Shape = { props: new Map(), patterns: [], open: !isObject(node.properties) };
    shapes.set(node, shape);
    if (isObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) if (isObject(v)) shape.props.set(k, fieldOf(v));
    if (isObject(node.patternProperties)) {
      for (const p of Object.keys(node.patternProperties)) {
        try {
          shape.patterns.push(new RegExp(p, "u"));
        } catch {
          shape.open = true;
        }
      }
    }
    return shape;
  };
  const fieldOf = (raw: JsonObject): Field => {
    const value = deref(raw);
    const pick = (k: string) => (raw[k] !== undefined ? raw[k] : value[k]);
    const dep = pick("deprecated");
    const codelist = pick("codelist");
    const items = isObject(value.items) ? deref(value.items) : null;
    return {
      shape: isObject(value.properties) || isObject(value.patternProperties) ? shapeOf(value) : null,
      items: isObject(value.items) ? fieldOf(value.items) : null,
      codelist: typeof codelist === "string" ? codelist : null,
      openCodelist: pick("openCodelist") === true,
      deprecated: isObject(dep) ? { version: String(dep.deprecatedVersion ?? ""), description: String(dep.description ?? "") } : null,
      identifierMerge: !value.wholeListMerge && items !== null && isObject(items.properties) && Object.hasOwn(items.properties, "id"),
    };
  };
  const root = shapeOf(schema);
  trees.set(schema, root);
  return root;
}

// ---------------------------------------------------------------------------------------------------
// The report

class Findings {
  readonly byKey = new Map<string, Finding>();
  constructor(readonly examples: number) {}
  add(check: Check, path: string, message: string, example: string, key = message, times = 1): void {
    const k = `${check}\u0000${path}\u0000${key}`;
    let f = this.byKey.get(k);
    if (!f) {
      f = { check, severity: SEVERITY[check], path, message, count: 0, examples: [] };
      this.byKey.set(k, f);
    }
    f.count += times;
    if (example && f.examples.length < this.examples) f.examples.push(example);
  }
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const genericPath = (pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .filter((p) => !/^\d+$/.test(p))
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");

function show(v: Json): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** The quality report of what `readOcdsPaths` / `readOcdsBytes` read. */
export function qualityReport(input: OcdsInput, options: QualityOptions = {}): QualityReport {
  const q = new QualityCollector(options);
  for (const p of input.packages) q.addPackage(p);
  q.addLinkedReleases(input.linkedReleases);
  for (const { release, where } of input.releases) q.addRelease(release, where);
  return q.report(input.shapes);
}

/**
 * The report built incrementally: packages and releases one at a time, findings from other checks
 * (coherence.ts) through `add`. Keeps the findings, the (ocid, id) pairs seen and the ocids — not the
 * releases.
 */
export class QualityCollector {
  readonly schemas: OcdsSchemas;
  readonly #validators: ReturnType<typeof ocdsValidators>;
  readonly #root: Shape;
  readonly #findings: Findings;
  readonly #maxListed: number;
  readonly #releaseErrors: ReleaseErrors[] = [];
  readonly #versions = new Set<string>();
  readonly #seen = new Map<string, number>();
  readonly #ocids = new Set<string>();
  #invalid = 0;
  #packages = 0;
  #releases = 0;

  constructor(readonly options: QualityOptions = {}) {
    this.schemas = options.schemas ?? loadOcdsSchemas();
    this.#validators = ocdsValidators(this.schemas);
    this.#root = releaseShape(this.schemas.release);
    this.#findings = new Findings(options.examples ?? 5);
    this.#maxListed = options.releaseErrors ?? 50;
  }

  /** A finding of another check (e.g. coherence.ts); `key` separates findings with the same path. */
  add(check: Check, path: string, message: string, example: string, key = message): void {
    this.#findings.add(check, path, message, example, key);
  }

  /** A package's metadata and version. */
  addPackage(p: PackageMetadata): void {
    this.#packages++;
    const check = p.kind === "release package" ? this.#validators.releasePackageMetadata : this.#validators.recordPackageMetadata;
    const list = p.kind === "release package" ? "releases" : "records";
    for (const e of check({ ...p.metadata, [list]: [] })) this.#findings.add("packageSchema", genericPath(e.path), `${e.path || "the package"} ${e.message}`, p.where);
    const version = p.metadata.version;
    if (version === undefined) this.#findings.add("version", "version", "no version: OCDS 1.0 data (read by the 1.0 rules; against the 1.1 schema it fails)", p.where);
    else if (typeof version === "string") {
      this.#versions.add(version);
      if (version !== OCDS_VERSION) this.#findings.add("version", "version", `version ${show(version)}: this report checks against OCDS ${OCDS_VERSION}`, p.where);
    }
  }

  addLinkedReleases(n: number): void {
    if (n > 0) this.#findings.add("linkedReleases", "records.releases", "releases in records are linked (url), not embedded: not checked", "", "", n);
  }

  /** One release: its ocid and id, the release schema, and the walk over its fields. */
  addRelease(release: JsonObject, where: string): void {
    const { options } = this;
    const findings = this.#findings;
    this.#releases++;
    const ocid = typeof release.ocid === "string" ? release.ocid : null;
    const id = typeof release.id === "string" || typeof release.id === "number" ? String(release.id) : null;
    const label = `${ocid ?? "(no ocid)"} ${id ?? "(no id)"}`;
    if (ocid !== null) {
      this.#ocids.add(ocid);
      const configured = options.configuredPrefix ? `${options.configuredPrefix.replace(/-$/, "")}-` : null;
      if (configured && ocid.startsWith(configured) && !REGISTERED_PREFIX.test(ocid)) {
        findings.add("unregisteredPrefix", "ocid", `the configured prefix ${configured.slice(0, -1)} is not a registered one ("ocds-" and 6 letters or digits): expected for demo data, to be registered before publishing for real`, `${label} (${where})`);
      } else if (configured && !ocid.startsWith(configured)) {
        findings.add("ocidPrefix", "ocid", `the ocid does not start with the publisher's prefix ${configured}`, `${label} (${where})`);
      } else if (!REGISTERED_PREFIX.test(ocid)) findings.add("ocidPrefix", "ocid", 'the ocid does not start with a registered prefix ("ocds-" and 6 letters or digits)', `${label} (${where})`);
      else if (options.expectedPrefix && !ocid.startsWith(options.expectedPrefix)) findings.add("ocidPrefix", "ocid", `the ocid does not start with the publisher's prefix ${options.expectedPrefix}`, `${label} (${where})`);
    }
    if (ocid !== null && id !== null) {
      const key = JSON.stringify([ocid, id]);
      const n = (this.#seen.get(key) ?? 0) + 1;
      this.#seen.set(key, n);
      if (n === 2) findings.add("duplicateRelease", "id", "releases repeat the same (ocid, id): a release id must be unique within its ocid", label);
    }
    const errors = this.#validators.release(release);
    if (errors.length > 0) {
      this.#invalid++;
      if (this.#releaseErrors.length < this.#maxListed) this.#releaseErrors.push({ where, ocid, id, errors });
      for (const e of errors) findings.add("releaseSchema", genericPath(e.path), e.message, `${label}: ${e.path}`, "");
    }
    walk(release, { shape: this.#root, items: null, codelist: null, openCodelist: false, deprecated: null, identifierMerge: false }, "", "", label, findings, this.schemas);
  }

  report(shapes: string[] = []): QualityReport {
    const list = [...this.#findings.byKey.values()];
    const order: Severity[] = ["error", "warning", "note"];
    list.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity) || a.check.localeCompare(b.check) || a.path.localeCompare(b.path));
    const total = (s: Severity) => list.filter((f) => f.severity === s).reduce((n, f) => n + f.count, 0);
    const versions = this.#versions;
    return {
      shapes,
      version: versions.size === 1 ? [...versions][0] : versions.size > 1 ? [...versions].join(", ") : null,
      packages: this.#packages,
      releases: this.#releases,
      ocids: this.#ocids.size,
      invalidReleases: this.#invalid,
      errors: total("error"),
      warnings: total("warning"),
      notes: total("note"),
      findings: list,
      releaseErrors: this.#releaseErrors,
    };
  }
}

function walk(value: Json | undefined, field: Field, pointer: string, path: string, label: string, findings: Findings, schemas: OcdsSchemas): void {
  if (value === undefined) return;
  const at = () => `${label}: ${pointer || "/"}`;
  if (field.deprecated && value !== null) {
    findings.add("deprecatedField", path, `deprecated in OCDS ${field.deprecated.version}: ${field.deprecated.description}`, at());
  }
  if (value === "" || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) {
    findings.add("emptyField", path, `empty ${Array.isArray(value) ? "array" : typeof value === "string" ? "string" : "object"}`, at());
    return;
  }
  if (field.codelist) {
    const codes = schemas.codelists.get(field.codelist)?.codes;
    const check = (v: Json, p: string) => {
      if (codes && typeof v === "string" && !codes.has(v)) {
        findings.add(field.openCodelist ? "openCodelist" : "closedCodelist", path, `${show(v)} is not in the ${field.openCodelist ? "open" : "closed"} codelist ${field.codelist}`, `${label}: ${p}`, v);
      }
    };
    if (Array.isArray(value)) value.forEach((v, i) => check(v, `${pointer}/${i}`));
    else check(value, pointer);
  }
  if (isObject(value) && field.shape) {
    const shape = field.shape;
    for (const key of Object.keys(value)) {
      const child = shape.props.get(key);
      const childPointer = `${pointer}/${escape(key)}`;
      const childPath = path === "" ? key : `${path}.${key}`;
      if (child) walk(value[key], child, childPointer, childPath, label, findings, schemas);
      else if (!shape.open && !shape.patterns.some((re) => re.test(key))) {
        findings.add("additionalField", childPath, "a field the schema does not define (a typo, or an extension the package does not declare)", `${label}: ${childPointer}`);
      }
    }
  } else if (Array.isArray(value) && field.items) {
    const items = field.items;
    value.forEach((v, i) => {
      const p = `${pointer}/${i}`;
      if (field.identifierMerge && isObject(v) && typeof v.id !== "string" && typeof v.id !== "number") {
        findings.add("missingId", `${path}.id`, "an object without an id in an array merged by id: later releases cannot update it", `${label}: ${p}`);
      }
      walk(v, items, p, path, label, findings, schemas);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// As text

const HEADINGS: Record<Severity, string> = { error: "Errors", warning: "Warnings", note: "Notes" };
const CHECK_NAMES: Record<Check, string> = {
  packageSchema: "package metadata",
  releaseSchema: "release schema",
  duplicateRelease: "duplicate releases",
  closedCodelist: "closed codelist",
  missingId: "missing id",
  emptyField: "empty field",
  additionalField: "additional field",
  deprecatedField: "deprecated field",
  ocidPrefix: "ocid prefix",
  version: "version",
  openCodelist: "open codelist",
  linkedReleases: "linked releases",
  unregisteredPrefix: "unregistered prefix",
  dateOrder: "dates in order",
  negativeAmount: "negative amount",
  awardContract: "contract and award",
  contractValue: "contract value",
  paymentValue: "payments",
};

/** The report as text for a terminal. */
export function formatQualityReport(report: QualityReport, source = ""): string {
  const lines: string[] = [];
  const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
  lines.push(`OCDS quality report${source ? `: ${source}` : ""}${report.shapes.length ? ` (${report.shapes.join(", ")})` : ""}`);
  lines.push(
    `  OCDS ${report.version ?? "version not stated"} · ${plural(report.packages, "package")} · ${plural(report.releases, "release")} · ${plural(report.ocids, "ocid")} · ${plural(report.invalidReleases, "invalid release")}`,
  );
  lines.push(`  ${plural(report.errors, "error")} · ${plural(report.warnings, "warning")} · ${plural(report.notes, "note")}`);
  for (const severity of ["error", "warning", "note"] as const) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push("", `${HEADINGS[severity]}:`);
    for (const f of group) {
      lines.push(`  [${CHECK_NAMES[f.check]}] ${f.path || "(package)"} ×${f.count.toLocaleString("en")}: ${f.message}`);
      for (const e of f.examples) if (e) lines.push(`      e.g. ${e}`);
    }
  }
  if (report.releaseErrors.length > 0) {
    lines.push("", `Releases with schema errors${report.invalidReleases > report.releaseErrors.length ? ` (the first ${report.releaseErrors.length} of ${report.invalidReleases})` : ""}:`);
    for (const r of report.releaseErrors) {
      lines.push(`  ${r.ocid ?? "(no ocid)"} ${r.id ?? "(no id)"} — ${r.where}`);
      for (const e of r.errors) lines.push(`      ${e.path || "/"} ${e.message}`);
    }
  }
  if (report.errors === 0 && report.warnings === 0) lines.push("", "No errors and no warnings.");
  return lines.join("\n");
}
