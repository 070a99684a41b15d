import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inMergeOrder, mergerFor } from "../../../exports/ocds/merge";
import { appendToCompiled, reusableCompiled } from "../../../exports/ocds/records";
import { loadOcdsSchemas, type JsonObject } from "../../../exports/ocds/schema";
import { prng } from "../../../imports/shared/prng";
import { generateProcess } from "../../bench/ocds-merge";
import { OCDS_DIR, readExample } from "./helpers";

/**
 * The stored record's update (exports/ocds/records.ts): merging one more release into the stored compiled
 * release (as stored: JSON text, parsed again) gives, text for text (key order included), what compiling all
 * the releases gives — or declines (null), and the publisher compiles the process from all its releases.
 */
const m = mergerFor(loadOcdsSchemas().release);
const text = (v: unknown) => JSON.stringify(v);

/** Folds releases (in merge order) one at a time as the publisher does; counts how often it had to compile all. */
function fold(releases: JsonObject[]): { steps: string[]; recompiled: number } {
  const sorted = inMergeOrder(releases);
  const steps: string[] = [];
  let stored = text(m.compiledRelease(sorted.slice(0, 1)));
  steps.push(stored);
  let recompiled = 0;
  for (let i = 1; i < sorted.length; i++) {
    const next = appendToCompiled(m, JSON.parse(stored) as JsonObject, sorted[i]);
    if (next === null) recompiled++;
    stored = text(next ?? m.compiledRelease(sorted.slice(0, i + 1)));
    steps.push(stored);
  }
  return { steps, recompiled };
}

function expectFoldEqualsCompile(releases: JsonObject[], label: string): number {
  const sorted = inMergeOrder(releases);
  const { steps, recompiled } = fold(releases);
  steps.forEach((s, i) => expect(s, `${label}: after ${i + 1} releases`).toBe(text(m.compiledRelease(sorted.slice(0, i + 1)))));
  return recompiled;
}

describe("a release merged into the stored compiled release", () => {
  for (const style of ["snapshot", "delta"] as const) {
    it(`gives the full compile at every step, without compiling again (generated processes, ${style} releases)`, () => {
      const rnd = prng(style === "snapshot" ? 11 : 12);
      let recompiled = 0;
      for (let n = 0; n < 60; n++) recompiled += expectFoldEqualsCompile(generateProcess(n, rnd, style), `process ${n}`);
      expect(recompiled).toBe(0);
    });
  }

  it("gives the full compile for the standard's merging examples", () => {
    const dir = path.join(OCDS_DIR, "examples", "merging");
    const byOcid = new Map<string, JsonObject[]>();
    for (const f of readdirSync(dir).filter((f) => f.startsWith("merge-"))) {
      for (const r of readExample("merging", f).releases as JsonObject[]) byOcid.set(String(r.ocid), [...(byOcid.get(String(r.ocid)) ?? []), r]);
    }
    expect(byOcid.size).toBeGreaterThan(0);
    for (const [ocid, releases] of byOcid) expectFoldEqualsCompile(releases, ocid);
  });

  it("declines a release dated before the compiled release (it must be merged earlier: compile all)", () => {
    const [a, b] = [
      { ocid: "ocds-x-1", id: "a", date: "2027-02-01T00:00:00+07:00", tag: ["tender"], tender: { id: "t", title: "new" } },
      { ocid: "ocds-x-1", id: "b", date: "2027-01-01T00:00:00+07:00", tag: ["planning"], tender: { id: "t", title: "old" } },
    ];
    const stored = m.compiledRelease([a]);
    expect(appendToCompiled(m, stored, b)).toBeNull();
    // Equal dates: merged last (publication order); the caller checks it was published after the merged ones.
    const c = { ...b, id: "c", date: a.date, tender: { id: "t", title: "same day" } };
    expect(text(appendToCompiled(m, stored, c))).toBe(text(m.compiledRelease([a, c])));
  });

  it("declines a compiled release holding an empty object, which merging again would drop", () => {
    const releases: JsonObject[] = [
      { ocid: "ocds-x-2", id: "1", date: "2027-01-01T00:00:00Z", tag: ["planning"], tender: { title: null }, awards: [{ title: null }] },
      { ocid: "ocds-x-2", id: "2", date: "2027-01-02T00:00:00Z", tag: ["tenderUpdate"], planning: { rationale: "x" } },
      { ocid: "ocds-x-2", id: "3", date: "2027-01-03T00:00:00Z", tag: ["tenderUpdate"], tender: { title: "now" } },
    ];
    const first = m.compiledRelease(releases.slice(0, 1));
    expect(first.tender).toEqual({});
    expect(reusableCompiled(first)).toBe(false);
    // Merged naively, the empty tender would vanish (and come back in another place): the text would differ.
    expect(text(m.compiledRelease([first, releases[1]]))).not.toBe(text(m.compiledRelease(releases.slice(0, 2))));
    expect(appendToCompiled(m, first, releases[1])).toBeNull();
    expect(expectFoldEqualsCompile(releases, "empty objects")).toBeGreaterThan(0);
    expect(reusableCompiled({ a: [1, { b: "x" }], c: { d: 0 } })).toBe(true);
    expect(reusableCompiled({ a: [{ b: {} }] })).toBe(false);
  });
});
