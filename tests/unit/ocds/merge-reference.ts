import { inMergeOrder, jsonEqual, type MergeRules, type RuleNode } from "../../../exports/ocds/merge";
import type { Json, JsonObject } from "../../../exports/ocds/schema";

/**
 * The merge routine of exports/ocds/merge.ts written the plain way, for the tests to compare with: each
 * output merged on its own, release after release, with no shortcut (merge.ts reads the compiled release
 * off the versioned one). Same rules, same choices, same key order; slow and simple on purpose.
 */

type Children = ReadonlyMap<string, RuleNode> | null;
const OMIT = 1;
const WHOLE = 2;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const allObjects = (a: Json[]): a is JsonObject[] => a.every(isObject);
const usableId = (id: Json | undefined): id is string | number => typeof id === "string" || typeof id === "number";

function own(o: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}
function put(o: JsonObject, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}
function rule(children: Children, key: string): { kind: number; sub: Children } {
  const r = children?.get(key);
  return { kind: r?.kind ?? 0, sub: r?.children ?? null };
}

interface Version {
  releaseID: Json;
  releaseDate: Json;
  releaseTag: Json;
  value: Json;
}
interface Meta {
  id: Json;
  date: Json;
  tag: Json;
  versions: WeakSet<object>;
}
const histories = new WeakSet<object>();

function compileObject(out: JsonObject, input: JsonObject, children: Children): boolean {
  let produced = false;
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    const { kind, sub } = rule(children, key);
    if (kind === OMIT) continue;
    if (value === null) {
      if (own(out, key) !== undefined) delete out[key];
      produced = true;
    } else if (typeof value !== "object" || kind === WHOLE || (Array.isArray(value) && !allObjects(value))) {
      put(out, key, value);
      produced = true;
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue;
      const existing = own(out, key);
      const target = Array.isArray(existing) && allObjects(existing) ? existing : [];
      let any = false;
      for (const item of value as JsonObject[]) {
        const id = own(item, "id");
        const found = usableId(id) ? target.find((t) => t.id === id) : undefined;
        if (found) any = compileObject(found, item, sub) || any;
        else {
          const t: JsonObject = usableId(id) ? { id } : {};
          if (compileObject(t, item, sub)) {
            target.push(t);
            any = true;
          }
        }
      }
      if (any) {
        if (target !== existing) put(out, key, target);
        produced = true;
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

function versionObject(out: JsonObject, input: JsonObject, children: Children, from: Meta, item: boolean): boolean {
  let produced = false;
  for (const key of Object.keys(input)) {
    const { kind, sub } = rule(children, key);
    if (kind === OMIT) continue;
    const value = input[key];
    if (value === undefined) continue;
    if (item && key === "id") {
      produced = true;
      continue;
    }
    if (value === null || typeof value !== "object" || kind === WHOLE || (Array.isArray(value) && !allObjects(value))) {
      const existing = own(out, key);
      const version = { releaseID: from.id, releaseDate: from.date, releaseTag: from.tag, value };
      if (existing === undefined) {
        const h = [version];
        histories.add(h);
        from.versions.add(version);
        put(out, key, h as unknown as Json);
      } else if (histories.has(existing as object)) {
        const h = existing as unknown as Version[];
        // A second value from the same release replaces the first.
        if (from.versions.has(h[h.length - 1])) h.pop();
        if (h.length === 0 || !jsonEqual(h[h.length - 1].value, value)) {
          h.push(version);
          from.versions.add(version);
        }
      }
      produced = true;
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue;
      const existing = own(out, key);
      const target = Array.isArray(existing) && !histories.has(existing) ? (existing as JsonObject[]) : [];
      let any = false;
      for (const it of value as JsonObject[]) {
        const id = own(it, "id");
        const found = usableId(id) ? target.find((t) => t.id === id) : undefined;
        if (found) any = versionObject(found, it, sub, from, true) || any;
        else {
          const t: JsonObject = usableId(id) ? { id } : {};
          if (versionObject(t, it, sub, from, usableId(id))) {
            target.push(t);
            any = true;
          }
        }
      }
      if (any) {
        if (target !== existing) put(out, key, target);
        produced = true;
      }
    } else {
      const existing = own(out, key);
      const target = isObject(existing) ? existing : {};
      if (versionObject(target, value, sub, from, false)) {
        if (target !== existing) put(out, key, target);
        produced = true;
      }
    }
  }
  return produced;
}

function pyStr(v: Json | undefined): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
}

function rootWith(rules: MergeRules, omitted: string[]): Children {
  const m = new Map(rules.root.children ?? []);
  for (const k of omitted) m.set(k, { kind: OMIT, children: null });
  return m;
}

export function referenceCompiled(rules: MergeRules, releases: readonly JsonObject[]): JsonObject {
  const out: JsonObject = { tag: ["compiled"] };
  const root = rootWith(rules, ["tag"]);
  for (const r of inMergeOrder(releases)) {
    const ocid = own(r, "ocid");
    const date = own(r, "date");
    out.id = `${pyStr(ocid)}-${pyStr(date)}`;
    if (date === undefined || date === null) delete out.date;
    else out.date = date;
    if (ocid === undefined || ocid === null) delete out.ocid;
    else out.ocid = ocid;
    compileObject(out, r, root);
  }
  return out;
}

export function referenceVersioned(rules: MergeRules, releases: readonly JsonObject[]): JsonObject {
  const out: JsonObject = {};
  const root = rootWith(rules, ["tag", "ocid"]);
  for (const r of inMergeOrder(releases)) {
    const ocid = own(r, "ocid");
    if (ocid === undefined || ocid === null) delete out.ocid;
    else out.ocid = ocid;
    versionObject(out, r, root, { id: own(r, "id") ?? null, date: own(r, "date") ?? null, tag: own(r, "tag") ?? null, versions: new WeakSet() }, false);
  }
  return out;
}
