import { readdirSync } from "node:fs";
import path from "node:path";
import { deriveMergeRules, inMergeOrder, jsonEqual, Merger, MergeError, mergerFor } from "../../../exports/ocds/merge";
import { loadOcdsSchemas, type Json, type JsonObject } from "../../../exports/ocds/schema";
import { validateRelease } from "../../../exports/ocds/validate";
import { prng } from "../../../imports/shared/prng";
import { generateProcess } from "../../bench/ocds-merge";
import { deepFreeze, OCDS_DIR, readExample, roundTrip } from "./helpers";
import { referenceCompiled, referenceVersioned } from "./merge-reference";

/**
 * The merge rules case by case, as the standard's merging page states them
 * (https://standard.open-contracting.org/1.1/en/schema/merging/) and as the reference implementation
 * (ocdsmerge) resolves what the page leaves open; then the standard's own merging examples.
 */

/** A small release schema written for these tests: one field per rule. */
const TEST_SCHEMA: JsonObject = {
  id: "urn:jejak:test:release-schema.json",
  type: "object",
  properties: {
    ocid: { type: "string" },
    id: { type: "string", omitWhenMerged: true },
    date: { type: "string", omitWhenMerged: true },
    tag: { type: "array", items: { type: "string" }, omitWhenMerged: true },
    title: { type: ["string", "null"] },
    secret: { type: "string", omitWhenMerged: true },
    keep: { type: "string", omitWhenMerged: false },
    tender: { title: "siblings of a $ref are ignored", $ref: "#/definitions/Tender", wholeListMerge: true },
    awards: { type: "array", items: { $ref: "#/definitions/Award" } },
    wholeList: { type: "array", items: { $ref: "#/definitions/Award" }, wholeListMerge: true },
    notWhole: { type: "array", items: { $ref: "#/definitions/Award" }, wholeListMerge: false },
    noIds: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
    codes: { type: ["array", "null"], items: { type: "string" } },
    mixed: { type: "array", items: { type: ["object", "string"], properties: { id: { type: "string" } } } },
    omitted: { type: "array", items: { type: "string" }, omitWhenMerged: true },
    node: { $ref: "#/definitions/Node" },
    details: { type: ["object", "null"], properties: { scale: { type: "string" } } },
  },
  definitions: {
    Tender: {
      type: "object",
      properties: {
        id: { type: ["string", "integer"], versionId: true },
        title: { type: ["string", "null"] },
        internal: { type: "string", omitWhenMerged: true },
        value: { $ref: "#/definitions/Value" },
        items: { type: "array", items: { $ref: "#/definitions/Item" } },
      },
    },
    Award: {
      type: "object",
      properties: {
        id: { type: ["string", "integer"] },
        title: { type: ["string", "null"] },
        value: { $ref: "#/definitions/Value" },
        suppliers: { type: "array", items: { $ref: "#/definitions/Item" } },
      },
    },
    Item: { type: "object", properties: { id: { type: ["string", "integer"] }, name: { type: "string" }, unit: { type: "object", properties: { id: { type: "string", versionId: true } } } } },
    Value: { type: "object", properties: { amount: { type: ["number", "null"] }, currency: { type: "string" } } },
    Node: { type: "object", properties: { id: { type: "string" }, children: { type: "array", items: { $ref: "#/definitions/Node" } } } },
  },
};

const merger = new Merger(deriveMergeRules(TEST_SCHEMA));
let n = 0;
/** A release of process "ocds-test-1", dated day `day` of January 2020. */
function rel(day: number, body: JsonObject, extra: JsonObject = {}): JsonObject {
  n++;
  return { ocid: "ocds-test-1", id: `r${n}-${day}`, date: `2020-01-${String(day).padStart(2, "0")}T00:00:00Z`, tag: ["tender"], ...body, ...extra };
}
const compiled = (...rs: JsonObject[]) => roundTrip(merger.compiledRelease(deepFreeze(rs))) as JsonObject;
const versioned = (...rs: JsonObject[]) => roundTrip(merger.versionedRelease(deepFreeze(rs))) as JsonObject;
const history = (v: Json) => (v as JsonObject[]).map((x) => x.value);

describe("merge rules derived from the schema", () => {
  const table = (schema: JsonObject) => Object.fromEntries([...deriveMergeRules(schema).table].map(([p, r]) => [p, r.rule]));

  it("reads omitWhenMerged, wholeListMerge and identifier merge from the test schema, ignoring false and $ref siblings", () => {
    const t = table(TEST_SCHEMA);
    expect(t).toMatchObject({
      id: "omitWhenMerged",
      date: "omitWhenMerged",
      tag: "omitWhenMerged",
      secret: "omitWhenMerged",
      "tender.internal": "omitWhenMerged",
      "tender.items": "identifierMerge",
      awards: "identifierMerge",
      "awards.suppliers": "identifierMerge",
      wholeList: "wholeListMerge",
      notWhole: "identifierMerge",
      noIds: "wholeListMerge",
      codes: "wholeListMerge",
      mixed: "wholeListMerge",
      omitted: "omitWhenMerged",
      "node.children": "identifierMerge",
    });
    expect(t.keep).toBeUndefined();
    expect(t.tender).toBeUndefined();
    expect(deriveMergeRules(TEST_SCHEMA).versionIds).toEqual(expect.arrayContaining(["tender.id", "tender.items.unit.id"]));
  });

  it("reads the core 1.1.5 schema as the standard describes it", () => {
    const core = loadOcdsSchemas({ extensions: [], project: false });
    const t = table(core.release);
    expect(t).toMatchObject({
      id: "omitWhenMerged",
      date: "omitWhenMerged",
      tag: "omitWhenMerged",
      parties: "identifierMerge",
      "parties.roles": "wholeListMerge",
      "parties.additionalIdentifiers": "wholeListMerge",
      "tender.items": "identifierMerge",
      "tender.items.additionalClassifications": "wholeListMerge",
      "tender.amendments.changes": "wholeListMerge",
      awards: "identifierMerge",
      "awards.suppliers": "identifierMerge",
      "contracts.implementation.transactions": "identifierMerge",
      "contracts.implementation.milestones": "identifierMerge",
      relatedProcesses: "identifierMerge",
    });
    expect(t["tender.id"]).toBeUndefined();
    expect(deriveMergeRules(core.release).versionIds).toEqual(expect.arrayContaining(["tender.id", "parties.identifier.id", "tender.items.unit.id"]));
    expect(deriveMergeRules(core.release).unresolved).toEqual([]);
  });

  it("includes the declared extensions and Jejak's own", () => {
    const t = table(loadOcdsSchemas().release);
    expect(t).toMatchObject({
      "planning.budget.budgetBreakdown": "identifierMerge",
      "tender.items.deliveryLocations": "wholeListMerge",
      "tender.deliveryLocations": "wholeListMerge",
      "bids.details": "identifierMerge",
      "bids.details.tenderers": "identifierMerge",
      "bids.statistics": "identifierMerge",
      "awards.relatedBids": "wholeListMerge",
      "planning.musrenbangProposals": "identifierMerge",
      "planning.musrenbangProposals.relatedBudgetBreakdowns": "wholeListMerge",
    });
  });

  it("reports $refs it cannot resolve and merges under them by the shape of the data", () => {
    const rules = deriveMergeRules({ type: "object", properties: { x: { $ref: "https://elsewhere.example/schema.json#/definitions/X" } } });
    expect(rules.unresolved).toEqual(["https://elsewhere.example/schema.json#/definitions/X"]);
  });
});

describe("compiled release", () => {
  it("takes the latest value of each field, with tag ['compiled'], the last date and id <ocid>-<date>", () => {
    const c = compiled(rel(1, { title: "first", tender: { id: "t", title: "a" } }), rel(3, { title: "third" }), rel(2, { title: "second", tender: { title: "b" } }));
    expect(c).toEqual({ tag: ["compiled"], id: "ocds-test-1-2020-01-03T00:00:00Z", date: "2020-01-03T00:00:00Z", ocid: "ocds-test-1", title: "third", tender: { id: "t", title: "b" } });
  });

  it("removes a field a later release sets to null, and restores it when a still later one sets it again", () => {
    expect(compiled(rel(1, { title: "a", tender: { title: "x", id: "t" } }), rel(2, { title: null, tender: { title: null } }))).toMatchObject({ tender: { id: "t" } });
    expect(compiled(rel(1, { title: "a" }), rel(2, { title: null }))).not.toHaveProperty("title");
    expect(compiled(rel(1, { title: "a" }), rel(2, { title: null }), rel(3, { title: "c" })).title).toBe("c");
  });

  it("leaves out a null in a first or only release, but keeps the object around it", () => {
    const c = compiled(rel(1, { title: null, tender: { title: null } }));
    expect(c).not.toHaveProperty("title");
    expect(c.tender).toEqual({});
  });

  it("removes an object that a later release sets to null (the standard's rule; ocdsmerge keeps it)", () => {
    const c = compiled(rel(1, { details: { scale: "sme" } }), rel(2, { details: null }));
    expect(c).not.toHaveProperty("details");
    expect(compiled(rel(1, { details: { scale: "sme" } }), rel(2, { details: null }), rel(3, { details: { scale: "large" } })).details).toEqual({ scale: "large" });
  });

  it("does nothing with an empty object or an empty identifier-merge array", () => {
    expect(compiled(rel(1, { tender: { title: "a" } }), rel(2, { tender: {} })).tender).toEqual({ title: "a" });
    expect(compiled(rel(1, { node: {} }))).not.toHaveProperty("node");
    expect(compiled(rel(1, { tender: { value: {} } }))).not.toHaveProperty("tender");
    expect(compiled(rel(1, { awards: [] }))).not.toHaveProperty("awards");
    expect(compiled(rel(1, { awards: [{ id: "1", title: "a" }] }), rel(2, { awards: [] })).awards).toEqual([{ id: "1", title: "a" }]);
    expect(compiled(rel(1, { awards: [{}] }))).not.toHaveProperty("awards");
  });

  it("replaces a whole-list-merge array, also by an empty one", () => {
    const a = rel(1, { wholeList: [{ id: "1", title: "a" }, { id: "2" }] });
    expect(compiled(a, rel(2, { wholeList: [{ id: "1", title: "b" }] })).wholeList).toEqual([{ id: "1", title: "b" }]);
    expect(compiled(a, rel(2, { wholeList: [] })).wholeList).toEqual([]);
    expect(compiled(rel(1, { wholeList: [] })).wholeList).toEqual([]);
    // Duplicate ids stay as they are in a whole list.
    expect(compiled(rel(1, { wholeList: [{ id: "1" }, { id: "1" }] })).wholeList).toEqual([{ id: "1" }, { id: "1" }]);
  });

  it("treats arrays of non-objects, mixed arrays and arrays of objects without an id in the schema as whole values", () => {
    expect(compiled(rel(1, { codes: ["a", "b"] }), rel(2, { codes: ["c"] })).codes).toEqual(["c"]);
    expect(compiled(rel(1, { codes: ["a"] }), rel(2, { codes: null }))).not.toHaveProperty("codes");
    expect(compiled(rel(1, { mixed: [{ id: "1" }, "x"] }), rel(2, { mixed: [{ id: "2" }] })).mixed).toEqual([{ id: "2" }]);
    expect(compiled(rel(1, { noIds: [{ name: "a" }] }), rel(2, { noIds: [{ name: "b" }] })).noIds).toEqual([{ name: "b" }]);
    // Not in the schema: an array holding a non-object is a value too.
    expect(compiled(rel(1, { other: [1, { a: 1 }] }), rel(2, { other: [2] })).other).toEqual([2]);
  });

  it("merges objects in arrays by id: same id merged field by field, new ids appended in order", () => {
    const c = compiled(
      rel(1, { awards: [{ id: "1", title: "one", value: { amount: 10, currency: "IDR" } }, { id: "2", title: "two" }] }),
      rel(2, { awards: [{ id: "3", title: "three" }, { id: "1", value: { amount: 12 } }] }),
    );
    expect(c.awards).toEqual([
      { id: "1", title: "one", value: { amount: 12, currency: "IDR" } },
      { id: "2", title: "two" },
      { id: "3", title: "three" },
    ]);
  });

  it("merges nested identifier arrays inside matched objects", () => {
    const c = compiled(rel(1, { awards: [{ id: "1", suppliers: [{ id: "s1", name: "A" }] }] }), rel(2, { awards: [{ id: "1", suppliers: [{ id: "s2", name: "B" }, { id: "s1", name: "A2" }] }] }));
    expect(c.awards).toEqual([{ id: "1", suppliers: [{ id: "s1", name: "A2" }, { id: "s2", name: "B" }] }]);
  });

  it("keeps integer and string ids apart, and ignores wholeListMerge: false", () => {
    expect(compiled(rel(1, { awards: [{ id: 1, title: "int" }] }), rel(2, { awards: [{ id: "1", title: "string" }] })).awards).toEqual([
      { id: 1, title: "int" },
      { id: "1", title: "string" },
    ]);
    expect(compiled(rel(1, { notWhole: [{ id: "1", title: "a" }] }), rel(2, { notWhole: [{ id: "1", value: { amount: 1 } }] })).notWhole).toEqual([{ id: "1", title: "a", value: { amount: 1 } }]);
  });

  it("appends every object without an id, even when it looks like another", () => {
    const c = compiled(rel(1, { awards: [{ title: "a" }, { id: "1", title: "b" }] }), rel(2, { awards: [{ title: "a" }] }));
    expect(c.awards).toEqual([{ title: "a" }, { id: "1", title: "b" }, { title: "a" }]);
  });

  it("merges objects sharing an id within one release, the later one's fields winning", () => {
    const c = compiled(rel(1, { awards: [{ id: "1", title: "first", value: { amount: 1 } }, { id: "1", title: "second" }] }));
    expect(c.awards).toEqual([{ id: "1", title: "second", value: { amount: 1 } }]);
  });

  it("discards omitWhenMerged fields at any depth, and the release tag whatever the schema says", () => {
    const c = compiled(rel(1, { secret: "s", keep: "k", omitted: ["x"], tender: { internal: "i", title: "t" } }));
    expect(c).toEqual({ tag: ["compiled"], id: "ocds-test-1-2020-01-01T00:00:00Z", date: "2020-01-01T00:00:00Z", ocid: "ocds-test-1", keep: "k", tender: { title: "t" } });
    const noTagRule = new Merger(deriveMergeRules({ type: "object", properties: { tag: { type: "array", items: { type: "string" } } } }));
    expect(noTagRule.compiledRelease([rel(1, {})]).tag).toEqual(["compiled"]);
  });

  it("merges fields the schema does not know by their shape", () => {
    const c = compiled(rel(1, { ext: { a: 1, list: [{ id: "x", v: 1 }] } }), rel(2, { ext: { b: 2, list: [{ id: "x", w: 2 }, { id: "y" }] } }));
    expect(c.ext).toEqual({ a: 1, b: 2, list: [{ id: "x", v: 1, w: 2 }, { id: "y" }] });
  });

  it("follows recursive definitions", () => {
    const c = compiled(rel(1, { node: { id: "root", children: [{ id: "a", children: [{ id: "a1" }] }] } }), rel(2, { node: { children: [{ id: "a", children: [{ id: "a2" }] }] } }));
    expect(c.node).toEqual({ id: "root", children: [{ id: "a", children: [{ id: "a1" }, { id: "a2" }] }] });
  });

  it("merges large arrays by id as small ones", () => {
    const many = (k: number, field: string) => Array.from({ length: 40 }, (_, i) => ({ id: `i${(i * 7 + k) % 40}`, [field]: i }));
    const c = compiled(rel(1, { awards: many(0, "title") }), rel(2, { awards: many(3, "value") }));
    const awards = c.awards as JsonObject[];
    expect(awards).toHaveLength(40);
    expect(awards.every((a) => a.title !== undefined && a.value !== undefined)).toBe(true);
  });

  it("lets a later shape replace an earlier one when the data contradicts itself", () => {
    expect(compiled(rel(1, { ext: "text" }), rel(2, { ext: { a: 1 } })).ext).toEqual({ a: 1 });
    expect(compiled(rel(1, { ext: { a: 1 } }), rel(2, { ext: "text" })).ext).toBe("text");
    expect(compiled(rel(1, { ext: ["a"] }), rel(2, { ext: [{ id: "1" }] })).ext).toEqual([{ id: "1" }]);
  });

  it("takes a field set to undefined (a release built in JavaScript) as absent", () => {
    const c = merger.compiledRelease([rel(1, { title: "a", tender: { title: "t" } }), rel(2, { title: undefined as unknown as Json, tender: { title: undefined as unknown as Json } })]);
    expect(c).toMatchObject({ title: "a", tender: { title: "t" } });
    const v = merger.versionedRelease([rel(1, { title: undefined as unknown as Json, awards: [{ id: "1", title: undefined as unknown as Json }] })]);
    expect(roundTrip(v)).toEqual({ ocid: "ocds-test-1", awards: [{ id: "1" }] });
  });

  it("never changes its input, and a __proto__ field is only a field", () => {
    const hostile = JSON.parse('{"ocid":"ocds-test-1","id":"x","date":"2020-01-01T00:00:00Z","__proto__":{"polluted":true},"tender":{"constructor":"c","toString":{"a":1}}}') as JsonObject;
    const c = merger.compiledRelease([deepFreeze(hostile)]);
    expect(({} as JsonObject).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(roundTrip(c)).toMatchObject({ __proto__: { polluted: true }, tender: { constructor: "c", toString: { a: 1 } } });
    const v = merger.versionedRelease([hostile, { ...hostile, id: "y", date: "2020-01-02T00:00:00Z", tender: { constructor: "d" } }]);
    const tender = (roundTrip(v) as JsonObject).tender as JsonObject;
    expect(history(tender["constructor"] as unknown as Json)).toEqual(["c", "d"]);
  });
});

describe("versioned release", () => {
  it("keeps the ocid as is and versions every other value, a new version only when the value changes", () => {
    const v = versioned(rel(1, { title: "a", tender: { id: "t1", title: "x" } }), rel(2, { title: "a", tender: { id: "t2", title: "x" } }), rel(3, { title: "b" }));
    expect(v.ocid).toBe("ocds-test-1");
    expect(v.title).toEqual([
      { releaseID: expect.stringMatching(/-1$/), releaseDate: "2020-01-01T00:00:00Z", releaseTag: ["tender"], value: "a" },
      { releaseID: expect.stringMatching(/-3$/), releaseDate: "2020-01-03T00:00:00Z", releaseTag: ["tender"], value: "b" },
    ]);
    // versionId: the id of an object that is not in an array is versioned like any field.
    expect(history((v.tender as JsonObject).id)).toEqual(["t1", "t2"]);
    expect(v).not.toHaveProperty("id");
    expect(v).not.toHaveProperty("date");
    expect(v).not.toHaveProperty("tag");
  });

  it("records a null, first or later", () => {
    expect(history(versioned(rel(1, { title: null })).title)).toEqual([null]);
    expect(history(versioned(rel(1, { title: "a" }), rel(2, { title: null }), rel(3, { title: null }), rel(4, { title: "a" })).title)).toEqual(["a", null, "a"]);
  });

  it("keeps the id of an object in an identifier-merge array as is, and versions its other fields", () => {
    const v = versioned(rel(1, { awards: [{ id: "1", title: "a", suppliers: [{ id: "s", unit: { id: "u1" } }] }] }), rel(2, { awards: [{ id: "1", title: "b", suppliers: [{ id: "s", unit: { id: "u2" } }] }, { id: 2 }] }));
    const awards = v.awards as JsonObject[];
    expect(awards.map((a) => a.id)).toEqual(["1", 2]);
    expect(history(awards[0].title)).toEqual(["a", "b"]);
    expect(awards[1]).toEqual({ id: 2 });
    const supplier = (awards[0].suppliers as JsonObject[])[0];
    expect(supplier.id).toBe("s");
    expect(history((supplier.unit as JsonObject).id)).toEqual(["u1", "u2"]);
  });

  it("versions whole-list arrays and arrays of strings as values, compared deeply", () => {
    const v = versioned(
      rel(1, { codes: ["a", "b"], wholeList: [{ id: "1", title: "x" }] }),
      rel(2, { codes: ["a", "b"], wholeList: [{ title: "x", id: "1" }] }),
      rel(3, { codes: ["b"], wholeList: [] }),
    );
    expect(history(v.codes)).toEqual([["a", "b"], ["b"]]);
    expect(history(v.wholeList)).toEqual([[{ id: "1", title: "x" }], []]);
  });

  it("skips empty objects and empty identifier-merge arrays", () => {
    expect(versioned(rel(1, { tender: {}, awards: [], node: { children: [] } }))).toEqual({ ocid: "ocds-test-1" });
  });

  it("gives objects sharing an id in one release one version per release", () => {
    const v = versioned(rel(1, { awards: [{ id: "1", title: "a" }] }), rel(2, { awards: [{ id: "1", title: "b" }, { id: "1", title: "c" }] }), rel(3, { awards: [{ id: "1", title: "x" }, { id: "1", title: "c" }] }));
    expect(history((v.awards as JsonObject[])[0].title)).toEqual(["a", "c"]);
  });

  it("keeps an object once it has one: a later null cannot be versioned beside it", () => {
    const v = versioned(rel(1, { details: { scale: "sme" } }), rel(2, { details: null }));
    expect(history((v.details as JsonObject).scale)).toEqual(["sme"]);
  });
});

describe("the same output as the plain merge, byte for byte", () => {
  // merge.ts reads a record's compiled release off its versioned release; tests/unit/ocds/merge-reference.ts
  // merges each output on its own, release after release. Their JSON texts (key order included) must agree.
  const text = (v: unknown) => JSON.stringify(v);
  const expectSame = (m: Merger, releases: JsonObject[]) => {
    const record = m.record(releases);
    const compiled = text(referenceCompiled(m.rules, releases));
    const versioned = text(referenceVersioned(m.rules, releases));
    expect(text(record.compiledRelease)).toBe(compiled);
    expect(text(record.versionedRelease)).toBe(versioned);
    expect(text(m.compiledRelease(releases))).toBe(compiled);
    expect(text(m.versionedRelease(releases))).toBe(versioned);
  };

  it("on random releases: nulls, contradicting shapes, repeated and missing ids, whole lists, unknown fields", () => {
    const rnd = prng(8);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const keys = ["title", "tender", "awards", "wholeList", "notWhole", "noIds", "codes", "mixed", "node", "details", "ext", "keep", "secret", "value", "items", "suppliers", "children", "scale", "id", "name", "amount"];
    const literal = (): Json => pick<Json>(["a", "b", 1, 2, true, null, null, ["x", "y"], ["x"], [], { b: 1, a: 2 }, [{ b: 1, a: 2 }, "x"], [{ a: 2, b: 1 }, "x"], [{ id: "1", t: "a" }], [{ t: "a", id: "1" }]]);
    const value = (depth: number): Json | undefined => {
      const r = rnd();
      if (r < 0.05) return undefined;
      if (depth > 3 || r < 0.5) return literal();
      if (r < 0.75) return object(depth + 1);
      return Array.from({ length: Math.floor(rnd() * 4) }, () => {
        const item = object(depth + 1);
        const id = pick<Json | undefined>(["1", "2", "3", 1, undefined, null]);
        return id === undefined ? item : { id, ...item };
      });
    };
    const object = (depth: number): JsonObject => {
      const o: JsonObject = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) o[pick(keys)] = value(depth) as Json;
      return o;
    };
    for (let n = 0; n < 1500; n++) {
      const releases = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, i) => {
        const r: JsonObject = { ocid: rnd() < 0.05 ? null : "ocds-test-1", id: `r${i}`, date: `2020-01-0${1 + Math.floor(rnd() * 3)}T00:00:00Z`, tag: ["tender"], ...object(0) };
        if (rnd() < 0.05) delete r.ocid;
        return r;
      });
      // Snapshot-like: a release often repeats the one before, with a change.
      if (rnd() < 0.3) releases.push({ ...releases[releases.length - 1], id: "again", title: literal(), tender: object(1) });
      expectSame(merger, releases);
    }
  });

  it("on the benchmark's generated processes (snapshots and deltas), and with fields emptied, nulled and reordered", () => {
    const m = mergerFor(loadOcdsSchemas().release);
    const rnd = prng(11);
    for (const style of ["snapshot", "delta"] as const) {
      for (let n = 1; n <= 40; n++) {
        const releases = JSON.parse(JSON.stringify(generateProcess(n, rnd, style))) as JsonObject[];
        expectSame(m, releases);
        const changed = releases.map((r, i) => {
          if (i === 0 || rnd() < 0.5) return r;
          const tender = { ...(r.tender as JsonObject | undefined) };
          if (rnd() < 0.5) tender.title = null;
          if (rnd() < 0.3) tender.value = null;
          const { parties, ...rest } = r;
          return rnd() < 0.5 ? { ...rest, tender, parties: parties ?? null } : { ...rest, parties: [], tender: { ...tender, items: null } };
        });
        expectSame(m, changed);
        expectSame(m, [...changed].reverse());
      }
    }
  });
});

describe("merge order", () => {
  it("orders releases by date, releases with equal dates in the order given", () => {
    const a = rel(2, { title: "a" });
    const b = rel(2, { title: "b" });
    const c = rel(1, { title: "c" });
    expect(compiled(a, b, c).title).toBe("b");
    expect(compiled(b, a, c).title).toBe("a");
    expect(inMergeOrder([a, b, c]).map((r) => r.title)).toEqual(["c", "a", "b"]);
    expect(history(versioned(b, c, a).title)).toEqual(["c", "b", "a"]);
  });

  it("needs a string date on every release when there are several, not when there is one", () => {
    expect(compiled({ ocid: "ocds-test-1", id: "only", title: "x" })).toEqual({ tag: ["compiled"], id: "ocds-test-1-None", ocid: "ocds-test-1", title: "x" });
    expect(() => merger.compiledRelease([rel(1, {}), { ocid: "ocds-test-1", id: "nodate" }])).toThrow(MergeError);
    expect(() => merger.compiledRelease([rel(1, {}), { ocid: "ocds-test-1", id: "x", date: 5 }])).toThrow(/not a string/);
    expect(() => merger.versionedRelease([rel(1, {}), "release"])).toThrow(/not a JSON object/);
  });
});

describe("the standard's examples", () => {
  const mergingDir = path.join(OCDS_DIR, "examples", "merging");
  const byId = new Map<string, JsonObject>();
  for (const f of readdirSync(mergingDir).filter((f) => f.startsWith("merge-"))) {
    for (const r of readExample("merging", f).releases as JsonObject[]) byId.set(String(r.id), r);
  }
  const recordFiles = readdirSync(mergingDir).filter((f) => ((readExample("merging", f).records as JsonObject[] | undefined)?.length ?? 0) > 0);

  it("has the record examples to test against", () => {
    expect(recordFiles).toEqual(expect.arrayContaining(["merged.json", "versioned.json", "example02-field-record.json", "example02-object-record.json", "example03-record.json"]));
  });

  for (const schemaName of ["core", "with the declared extensions"] as const) {
    for (const file of recordFiles) {
      it(`${file}: its releases merge to its compiledRelease and versionedRelease (${schemaName} schema)`, () => {
        const schemas = schemaName === "core" ? loadOcdsSchemas({ extensions: [], project: false }) : loadOcdsSchemas();
        const m = mergerFor(schemas.release);
        for (const record of readExample("merging", file).records as JsonObject[]) {
          const releases = (record.releases as JsonObject[]).map((r) => (typeof r.url === "string" ? byId.get(r.url.split("#")[1]) : r));
          expect(releases.every((r) => r !== undefined)).toBe(true);
          const out = m.record(releases as JsonObject[]);
          expect(roundTrip(out.compiledRelease)).toStrictEqual(record.compiledRelease);
          if (record.versionedRelease) expect(roundTrip(out.versionedRelease)).toStrictEqual(record.versionedRelease);
        }
      });
    }
  }

  it("examples/*.json, one process in five releases: a valid compiled release, the same whatever the input order", () => {
    const releases = ["tender" /* extended.json */, "award", "contract", "implementation", "contractAmendment"].map(
      (name) => (readExample(name === "tender" ? "extended.json" : `${name}.json`).releases as JsonObject[])[0],
    );
    const m = mergerFor(loadOcdsSchemas().release);
    const record = m.record(releases);
    expect(validateRelease(record.compiledRelease)).toEqual([]);
    expect(record.releases.map((r) => r.date)).toEqual([...releases.map((r) => String(r.date))].sort());
    const c = roundTrip(record.compiledRelease) as JsonObject;
    expect(c).toMatchObject({ tag: ["compiled"], date: "2011-04-05T13:30:00Z", id: "ocds-213czf-000-00001-2011-04-05T13:30:00Z", ocid: "ocds-213czf-000-00001" });
    const contract = (c.contracts as JsonObject[])[0];
    expect(contract).toHaveProperty("implementation"); // from the implementation release
    expect(contract).toHaveProperty("amendments"); // from the contract amendment
    expect(jsonEqual(roundTrip(m.record([...releases].reverse()).compiledRelease), c)).toBe(true);
    expect(jsonEqual(roundTrip(m.record([...releases].reverse()).versionedRelease), roundTrip(record.versionedRelease))).toBe(true);
  });
});
