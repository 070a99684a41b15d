import type { Json, JsonObject } from "./schema";

/**
 * OCDS records: the compiled release and the versioned release of a contracting process, merged from its
 * releases by the rules of the standard (https://standard.open-contracting.org/1.1/en/schema/merging/),
 * value for value as the reference implementation (ocdsmerge) computes them.
 *
 * The rules come from the release schema, never from a list in the code: `deriveMergeRules` walks the
 * (extension-patched) schema once into a table of field paths → rule and a tree the merge follows. Then
 * releases merge straight into the output objects, with no flattening and no path strings.
 *
 * Merge routine (per the standard; the reference implementation's choices where it leaves room):
 * - Releases are taken in order of their `date` (compared as strings, as the reference does); releases
 *   with equal dates keep the order they were given in. With more than one release, each needs a `date`.
 * - `omitWhenMerged` fields (`id`, `date`, `tag` of the release) are discarded. The release `tag` is
 *   discarded whatever the schema says (before 1.1.4 it had no `omitWhenMerged`), as the reference does.
 * - Compiled release: `tag` is ["compiled"], `date` the date of the last release, `id` "<ocid>-<date>" —
 *   the intermediate solution the merging page recommends, as in the reference implementation.
 * - Literal values (strings, numbers, booleans, null, arrays containing a non-object, and any array whose
 *   path the schema marks `wholeListMerge` — declared, or implied by items that are not objects or have no
 *   `id`) replace. `null` removes the field from the compiled release, and is recorded in the versioned
 *   release as a versioned value whose value is null.
 * - Objects merge field by field; arrays of objects merge by identifier: an object whose `id` matches one
 *   already in the array merges into it, any other is appended, an object without `id` is always appended.
 *   Two objects with the same `id` in one release merge into one (the later one's fields win).
 * - An empty object or an empty identifier-merge array in a release does nothing; an empty
 *   whole-list-merge array replaces. A field that is null creates its parents (`{"tender": {"title": null}}`
 *   leaves `"tender": {}`), a field that is empty does not (`{"planning": {"budget": {}}}` leaves nothing).
 * - Versioned release: `ocid` is kept as is; every other literal becomes an array of versioned values
 *   {releaseID, releaseDate, releaseTag, value}, a new one only when the value differs (deep equality) from
 *   the last. The `id` of an object in an identifier-merge array is kept as is (it is what the objects are
 *   merged by); every other `id` (tender.id, parties.identifier.id…, the ones the schema marks
 *   `versionId`) is versioned like any field, which is what `versionId` declares.
 *
 * Where data contradicts the schema (a field that is an object in one release and a literal in another),
 * the reference implementation fails or keeps the first shape; here the compiled release takes the later
 * value (null removes an object too, as the standard's rule says), and the versioned release keeps an
 * object or array once it has one (a literal, or null, cannot be versioned beside it) while an object or
 * array replaces earlier literal versions. `id` values match by strict equality (1 and "1" are different
 * objects); an `id` that is null, true/false, an object or an array counts as no `id`.
 *
 * A field whose value is `undefined` (possible in releases built in JavaScript, never in JSON) is absent.
 * Output objects are new, but literal values (arrays of strings, whole-list arrays) are shared with the
 * input releases and between the two outputs: treat both as read-only, or serialise them.
 */

// ---------------------------------------------------------------------------------------------------
// Rules from the schema

export type MergeRuleName = "omitWhenMerged" | "wholeListMerge" | "identifierMerge";

export interface MergeRule {
  rule: MergeRuleName;
  /** Why: the schema keyword, or what made an array whole-list. */
  reason: "omitWhenMerged" | "wholeListMerge" | "items are not objects" | "items have no id" | "items have an id";
}

const DEFAULT = 0;
const OMIT = 1;
const WHOLE = 2;

/** A field's rule and its sub-fields' (for an array of objects, its items' fields). */
export interface RuleNode {
  readonly kind: typeof DEFAULT | typeof OMIT | typeof WHOLE;
  readonly children: ReadonlyMap<string, RuleNode> | null;
}

export interface MergeRules {
  /** Field paths (names joined by ".", array indexes left out, e.g. "tender.items.additionalClassifications") → rule. */
  table: ReadonlyMap<string, MergeRule>;
  /** Paths of `id` fields the schema marks `"versionId": true` (informational: they are versioned anyway). */
  versionIds: readonly string[];
  /** `$ref`s that could not be resolved (their fields merge by the shape of the data). */
  unresolved: readonly string[];
  root: RuleNode;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function typesOf(schema: JsonObject): string[] {
  const t = schema.type;
  if (typeof t === "string") return [t];
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Walks the release schema (dereferencing `$ref`s into its own `definitions`, siblings of a `$ref` ignored
 * as in draft-04 and in the standard's dereferenced schema) into the merge rules, as the merging page's
 * "Whole list merge" and "Discarded fields" sections and the reference implementation read them:
 * `omitWhenMerged` first, then `wholeListMerge` on an array, then an object's properties, then an array
 * whose items are not all objects (whole list), whose items have no `id` property (whole list), or whose
 * items have an `id` (identifier merge, recursing into the items). Keywords set to false are ignored.
 */
export function deriveMergeRules(schema: JsonObject): MergeRules {
  const table = new Map<string, MergeRule>();
  const versionIds: string[] = [];
  const unresolved = new Set<string>();
  const selfId = typeof schema.id === "string" ? schema.id.replace(/#.*$/, "") : null;

  const resolve = (ref: string): JsonObject | undefined => {
    let pointer: string;
    if (ref.startsWith("#")) pointer = ref.slice(1);
    else if (selfId !== null && ref.startsWith(`${selfId}#`)) pointer = ref.slice(selfId.length + 1);
    else return undefined;
    let cur: Json | undefined = schema;
    for (const raw of pointer.split("/").slice(1)) {
      const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      cur = isObject(cur) && Object.hasOwn(cur, part) ? cur[part] : undefined;
    }
    return isObject(cur) ? cur : undefined;
  };
  const deref = (node: JsonObject): JsonObject => {
    let cur = node;
    for (let hops = 0; typeof cur.$ref === "string"; hops++) {
      const target = hops < 32 ? resolve(cur.$ref) : undefined;
      if (!target) {
        unresolved.add(cur.$ref);
        return {};
      }
      cur = target;
    }
    return cur;
  };

  const OMIT_NODE: RuleNode = { kind: OMIT, children: null };
  const WHOLE_NODE: RuleNode = { kind: WHOLE, children: null };
  const expanding = new Set<JsonObject>();

  const walk = (properties: JsonObject, prefix: string): Map<string, RuleNode> | null => {
    const children = new Map<string, RuleNode>();
    for (const key of Object.keys(properties)) {
      const raw = properties[key];
      if (!isObject(raw)) continue;
      const value = deref(raw);
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (raw.versionId === true || value.versionId === true) versionIds.push(path);
      const types = typesOf(value);
      if (value.omitWhenMerged) {
        table.set(path, { rule: "omitWhenMerged", reason: "omitWhenMerged" });
        children.set(key, OMIT_NODE);
      } else if (types.includes("array") && value.wholeListMerge) {
        table.set(path, { rule: "wholeListMerge", reason: "wholeListMerge" });
        children.set(key, WHOLE_NODE);
      } else if (types.includes("object") && isObject(value.properties)) {
        const sub = nested(value, value.properties, path);
        if (sub) children.set(key, { kind: DEFAULT, children: sub });
      } else if (types.includes("array") && isObject(value.items)) {
        const items = deref(value.items);
        const itemTypes = typesOf(items);
        if (itemTypes.some((t) => t !== "object")) {
          table.set(path, { rule: "wholeListMerge", reason: "items are not objects" });
          children.set(key, WHOLE_NODE);
        } else if (itemTypes.includes("object") && isObject(items.properties)) {
          if (!Object.hasOwn(items.properties, "id")) {
            table.set(path, { rule: "wholeListMerge", reason: "items have no id" });
            children.set(key, WHOLE_NODE);
          } else {
            table.set(path, { rule: "identifierMerge", reason: "items have an id" });
            const sub = nested(items, items.properties, path);
            if (sub) children.set(key, { kind: DEFAULT, children: sub });
          }
        }
      }
    }
    return children.size > 0 ? children : null;
  };
  // A schema that refers to itself (a definition inside its own definition) stops here: deeper fields
  // merge by the shape of the data.
  const nested = (owner: JsonObject, properties: JsonObject, path: string) => {
    if (expanding.has(owner)) return null;
    expanding.add(owner);
    try {
      return walk(properties, path);
    } finally {
      expanding.delete(owner);
    }
  };

  const root: RuleNode = { kind: DEFAULT, children: isObject(schema.properties) ? walk(schema.properties, "") : null };
  return { table, versionIds, unresolved: [...unresolved], root };
}

// ---------------------------------------------------------------------------------------------------
// Merging

export class MergeError extends Error {
  override name = "MergeError";
}

/** What the merge of one record notices on its way (shared by its releases). */
interface RecordState {
  /**
   * Set when the versioned release cannot tell the compiled release's shape: a literal (or null) met an
   * object, or a value came back to a field that was null (the compiled release dropped the field, and
   * takes it back at the end of its object, where the versioned release keeps it in place).
   */
  irregular: boolean;
}

interface ReleaseMeta {
  id: Json;
  date: Json;
  tag: Json;
  record: RecordState;
}

/** One value of a field in one release, in a versioned release. Serialises as the four fields only. */
export class VersionedValue {
  releaseID: Json;
  releaseDate: Json;
  releaseTag: Json;
  value: Json;
  readonly #from: ReleaseMeta;
  /** The latest value found equal to `value` (deep equality ignores key order): the compiled release's. */
  #latest: Json;
  constructor(from: ReleaseMeta, value: Json) {
    this.releaseID = from.id;
    this.releaseDate = from.date;
    this.releaseTag = from.tag;
    this.value = value;
    this.#from = from;
    this.#latest = value;
  }

  /**
   * Adds a release's value to a field's history unless it equals the last one. A second value from the
   * same release (two objects with one `id`) replaces the first, as the release's last word.
   */
  static add(history: VersionedValue[], value: Json, from: ReleaseMeta): void {
    let last = history[history.length - 1];
    // The usual case, a value repeated from an earlier release: the same string, number or boolean.
    if (last.value === value && last.#from !== from) {
      last.#latest = value;
      return;
    }
    if (value !== null && last.#latest === null) from.record.irregular = true;
    if (last.#from === from) {
      history.pop();
      last = history[history.length - 1];
      if (last === undefined) {
        history.push(new VersionedValue(from, value));
        return;
      }
    }
    if (jsonEqual(last.value, value)) last.#latest = value;
    else history.push(new VersionedValue(from, value));
  }

  /** A field's value in the compiled release: the latest of its history. */
  static latest(history: VersionedValue[]): Json {
    return history[history.length - 1].#latest;
  }
}

/** Deep equality of JSON values (object keys in any order). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    n++;
    const v = b[k];
    if ((v === undefined && !Object.hasOwn(b, k)) || !jsonEqual(a[k], v)) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** An own field of an output object (what Object.prototype offers is not a field). */
function own(o: JsonObject, key: string): Json | undefined {
  const v = o[key] as Json | undefined | ((...args: never[]) => unknown);
  if (typeof v === "function") return undefined;
  if (key === "__proto__" && !Object.hasOwn(o, key)) return undefined;
  return v;
}

function put(o: JsonObject, key: string, value: Json): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

function allObjects(a: Json[]): a is JsonObject[] {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  }
  return true;
}

const isHistory = (a: Json[]): boolean => a.length > 0 && (a[0] as unknown) instanceof VersionedValue;

type Id = string | number;
const usableId = (id: Json | undefined): id is Id => typeof id === "string" || typeof id === "number";

// Arrays of more than a few objects get an index of their ids (only ever appended to, by pushItem).
const INDEX_FROM = 12;
const idIndexes = new WeakMap<JsonObject[], Map<Id, JsonObject>>();

function findById(items: JsonObject[], id: Id): JsonObject | undefined {
  const n = items.length;
  if (n < INDEX_FROM) {
    for (let i = 0; i < n; i++) if (items[i].id === id) return items[i];
    return undefined;
  }
  let index = idIndexes.get(items);
  if (index === undefined) {
    index = new Map();
    for (const item of items) {
      const v = item.id;
      if (usableId(v) && !index.has(v)) index.set(v, item);
    }
    idIndexes.set(items, index);
  }
  return index.get(id);
}

function pushItem(items: JsonObject[], item: JsonObject, id: Id): void {
  items.push(item);
  idIndexes.get(items)?.set(id, item);
}

type Children = ReadonlyMap<string, RuleNode> | null;

/** Merges a release's object into the compiled output; true when the input held anything to merge. */
function compileObject(out: JsonObject, input: JsonObject, children: Children): boolean {
  let produced = false;
  for (const key in input) {
    const value = input[key];
    if (value === undefined) continue;
    let kind: number = DEFAULT;
    let sub: Children = null;
    if (children !== null) {
      const rule = children.get(key);
      if (rule !== undefined) {
        kind = rule.kind;
        if (kind === OMIT) continue;
        sub = rule.children;
      }
    }
    if (value === null) {
      if (own(out, key) !== undefined) delete out[key];
      produced = true;
    } else if (typeof value !== "object" || kind === WHOLE) {
      put(out, key, value);
      produced = true;
    } else if (Array.isArray(value)) {
      if (!allObjects(value)) {
        put(out, key, value);
        produced = true;
      } else if (value.length > 0) {
        const existing = own(out, key);
        const target = Array.isArray(existing) && allObjects(existing) ? existing : [];
        if (compileItems(target, value, sub)) {
          if (target !== existing) put(out, key, target);
          produced = true;
        }
      }
    } else {
      const existing = own(out, key);
      const target = isObject(existing) ? existing : {};
      if (compileObject(target, value, sub)) {
        if (target !== existing) put(out, key, target);
        produced = true;
      }
    }
  }
  return produced;
}

function compileItems(out: JsonObject[], input: JsonObject[], children: Children): boolean {
  let produced = false;
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    const id = own(item, "id");
    if (usableId(id)) {
      const found = findById(out, id);
      if (found !== undefined) {
        if (compileObject(found, item, children)) produced = true;
      } else {
        const target: JsonObject = { id };
        if (compileObject(target, item, children)) {
          pushItem(out, target, id);
          produced = true;
        }
      }
    } else {
      const target: JsonObject = {};
      if (compileObject(target, item, children)) {
        out.push(target);
        produced = true;
      }
    }
  }
  return produced;
}

/**
 * Merges a release's object into the versioned output; `item`: an identifier-merged object, whose `id` stays
 * as is; `fresh`: `out` was made for this object (empty, or an item's `{id}`), so that none of its other
 * fields can be there yet (an object's keys are distinct): they are put without looking.
 */
function versionObject(out: JsonObject, input: JsonObject, children: Children, from: ReleaseMeta, item: boolean, fresh: boolean): boolean {
  let produced = false;
  for (const key in input) {
    let kind: number = DEFAULT;
    let sub: Children = null;
    if (children !== null) {
      const rule = children.get(key);
      if (rule !== undefined) {
        kind = rule.kind;
        if (kind === OMIT) continue;
        sub = rule.children;
      }
    }
    const value = input[key];
    if (value === undefined) continue;
    if (item && key === "id") {
      produced = true;
      continue;
    }
    if (value === null || typeof value !== "object" || kind === WHOLE || (Array.isArray(value) && !allObjects(value))) {
      const existing = fresh ? undefined : own(out, key);
      if (existing === undefined) put(out, key, [new VersionedValue(from, value) as unknown as Json]);
      else if (Array.isArray(existing) && isHistory(existing)) VersionedValue.add(existing as unknown as VersionedValue[], value, from);
      // An object or an array of objects is there already: a literal cannot be versioned beside it.
      else from.record.irregular = true;
      produced = true;
    } else if (Array.isArray(value)) {
      if (value.length > 0) {
        const existing = fresh ? undefined : own(out, key);
        const target = Array.isArray(existing) && !isHistory(existing) ? (existing as JsonObject[]) : [];
        if (versionItems(target, value as JsonObject[], sub, from)) {
          if (target !== existing) replace(out, key, existing, target, from);
          produced = true;
        }
      }
    } else {
      const existing = fresh ? undefined : own(out, key);
      const target = isObject(existing) ? existing : {};
      if (versionObject(target, value, sub, from, false, target !== existing)) {
        if (target !== existing) replace(out, key, existing, target, from);
        produced = true;
      }
    }
  }
  return produced;
}

/** An object or an array of objects put in a versioned output in place of what was there. */
function replace(out: JsonObject, key: string, existing: Json | undefined, target: Json, from: ReleaseMeta): void {
  // The compiled release had dropped a field whose last value was null: it takes it back at its end.
  if (Array.isArray(existing) && isHistory(existing) && VersionedValue.latest(existing as unknown as VersionedValue[]) === null) from.record.irregular = true;
  put(out, key, target);
}

function versionItems(out: JsonObject[], input: JsonObject[], children: Children, from: ReleaseMeta): boolean {
  let produced = false;
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    const id = own(item, "id");
    if (usableId(id)) {
      const found = findById(out, id);
      if (found !== undefined) {
        if (versionObject(found, item, children, from, true, false)) produced = true;
      } else {
        const target: JsonObject = { id };
        if (versionObject(target, item, children, from, true, true)) {
          pushItem(out, target, id);
          produced = true;
        }
      }
    } else {
      const target: JsonObject = {};
      if (versionObject(target, item, children, from, false, true)) {
        out.push(target);
        produced = true;
      }
    }
  }
  return produced;
}

/**
 * The compiled release read off a versioned one (see Merger.record): each field's latest value, a field
 * whose latest value is null left out, the ids of identifier-merged objects as they are.
 */
function compiledFrom(versioned: JsonObject, out: JsonObject, skip?: string): JsonObject {
  for (const key in versioned) {
    if (key === skip) continue;
    const v = versioned[key];
    if (Array.isArray(v)) {
      if (isHistory(v)) {
        const latest = VersionedValue.latest(v as unknown as VersionedValue[]);
        if (latest !== null) put(out, key, latest);
      } else {
        put(out, key, v.map((item) => compiledFrom(item as JsonObject, {})));
      }
    } else if (isObject(v)) put(out, key, compiledFrom(v, {}));
    else put(out, key, v);
  }
  return out;
}

/** Python's str() of the values the reference implementation formats into the compiled release's id. */
function pyStr(v: Json | undefined): string {
  if (v === undefined || v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
}

function label(r: JsonObject, i: number): string {
  const id = own(r, "id");
  return usableId(id) ? `release ${JSON.stringify(id)}` : `release #${i + 1}`;
}

/** The releases in merge order: by `date` (as strings), equal dates in the order given. */
export function inMergeOrder(releases: readonly unknown[]): JsonObject[] {
  const list = releases.map((r, i) => {
    if (!isObject(r)) throw new MergeError(`release #${i + 1} is not a JSON object`);
    return r;
  });
  if (list.length <= 1) return list;
  list.forEach((r, i) => {
    const date = own(r, "date");
    if (date === undefined) throw new MergeError(`${label(r, i)} has no date: releases are merged in date order`);
    if (typeof date !== "string") throw new MergeError(`${label(r, i)} has a date that is not a string (${JSON.stringify(date)})`);
  });
  return list.sort((a, b) => {
    const x = a.date as string;
    const y = b.date as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

export interface OcdsRecord {
  ocid: Json;
  /** The releases, in merge order. */
  releases: JsonObject[];
  compiledRelease: JsonObject;
  versionedRelease: JsonObject;
}

function withOmitted(root: RuleNode, keys: readonly string[]): Children {
  const children = new Map(root.children ?? []);
  for (const k of keys) children.set(k, { kind: OMIT, children: null });
  return children;
}

/** Compiles records with one set of merge rules. */
export class Merger {
  readonly rules: MergeRules;
  readonly #compiledRoot: Children;
  readonly #versionedRoot: Children;
  /** Whether the release's `id` and `date` are discarded (omitWhenMerged), as the compiled release's own replace them. */
  readonly #readable: boolean;

  constructor(rules: MergeRules) {
    this.rules = rules;
    this.#compiledRoot = withOmitted(rules.root, ["tag"]);
    this.#versionedRoot = withOmitted(rules.root, ["tag", "ocid"]);
    this.#readable = rules.root.children?.get("id")?.kind === OMIT && rules.root.children.get("date")?.kind === OMIT;
  }

  /** The compiled release of one process's releases (all with the same ocid: the caller groups them). */
  compiledRelease(releases: readonly unknown[]): JsonObject {
    return this.#compile(inMergeOrder(releases));
  }

  /** The versioned release of one process's releases. */
  versionedRelease(releases: readonly unknown[]): JsonObject {
    return this.#version(inMergeOrder(releases)).versioned;
  }

  /**
   * The record: ocid, the releases in merge order, the compiled and the versioned release. The compiled
   * release is read off the versioned one (one pass over the releases instead of two) unless that merge
   * noticed what makes them differ in shape (RecordState.irregular): then it is merged on its own.
   */
  record(releases: readonly unknown[]): OcdsRecord {
    const sorted = inMergeOrder(releases);
    const { versioned, irregular } = this.#version(sorted);
    const compiledRelease = irregular || !this.#readable ? this.#compile(sorted) : this.#read(sorted, versioned);
    return { ocid: compiledRelease.ocid ?? null, releases: sorted, compiledRelease, versionedRelease: versioned };
  }

  #compile(sorted: readonly JsonObject[]): JsonObject {
    const out: JsonObject = { tag: ["compiled"] };
    for (const r of sorted) {
      const ocid = own(r, "ocid");
      const date = own(r, "date");
      out.id = `${pyStr(ocid)}-${pyStr(date)}`;
      if (date === undefined || date === null) delete out.date;
      else out.date = date;
      if (ocid === undefined || ocid === null) delete out.ocid;
      else out.ocid = ocid;
      compileObject(out, r, this.#compiledRoot);
    }
    return out;
  }

  #version(sorted: readonly JsonObject[]): { versioned: JsonObject; irregular: boolean } {
    const out: JsonObject = {};
    const record: RecordState = { irregular: false };
    for (const r of sorted) {
      const ocid = own(r, "ocid");
      if (ocid === undefined || ocid === null) {
        delete out.ocid;
        // The compiled release would drop its ocid and take it back at its end.
        if (sorted.length > 1) record.irregular = true;
      } else out.ocid = ocid;
      const from: ReleaseMeta = { id: own(r, "id") ?? null, date: own(r, "date") ?? null, tag: own(r, "tag") ?? null, record };
      versionObject(out, r, this.#versionedRoot, from, false, false);
    }
    return { versioned: out, irregular: record.irregular };
  }

  /** The compiled release from the versioned one: its own tag, id, date and ocid, as #compile sets them. */
  #read(sorted: readonly JsonObject[], versioned: JsonObject): JsonObject {
    const last = sorted[sorted.length - 1];
    const ocid = last === undefined ? undefined : own(last, "ocid");
    const date = last === undefined ? undefined : own(last, "date");
    const out: JsonObject = { tag: ["compiled"] };
    if (last !== undefined) out.id = `${pyStr(ocid)}-${pyStr(date)}`;
    if (date !== undefined && date !== null) out.date = date;
    if (ocid !== undefined && ocid !== null) out.ocid = ocid;
    return compiledFrom(versioned, out, "ocid");
  }
}

const mergers = new WeakMap<JsonObject, Merger>();

/** The merger for a release schema (the rules derived once per schema object). */
export function mergerFor(releaseSchema: JsonObject): Merger {
  let m = mergers.get(releaseSchema);
  if (!m) {
    m = new Merger(deriveMergeRules(releaseSchema));
    mergers.set(releaseSchema, m);
  }
  return m;
}
