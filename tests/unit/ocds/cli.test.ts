import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { JsonObject } from "../../../exports/ocds/schema";
import { OCDS_DIR, readExample } from "./helpers";

/** `npm run -s ocds -- …` as a user runs it (tsx scripts/ocds.ts), in a child process. */
function ocds(...args: string[]) {
  const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ocds.ts", ...args], { encoding: "utf8", maxBuffer: 1 << 28, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const merging = path.join(OCDS_DIR, "examples", "merging");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ocds-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run ocds -- compile", () => {
  it("compiles the standard's merging releases into its record", () => {
    const files = ["merge-award-2.json", "merge-tender-1.json", "merge-award-1.json", "merge-tender-3.json", "merge-tender-2.json"].map((f) => path.join(merging, f));
    const out = ocds("compile", ...files);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const pkg = JSON.parse(out.stdout) as JsonObject;
    expect(pkg).toMatchObject({ version: "1.1", publishedDate: expect.any(String) });
    const [record] = pkg.records as JsonObject[];
    const expected = (readExample("merging", "versioned.json").records as JsonObject[])[0];
    expect(Object.keys(record)).toEqual(["ocid", "releases", "compiledRelease", "versionedRelease"]);
    expect(record.compiledRelease).toStrictEqual(expected.compiledRelease);
    expect(record.versionedRelease).toStrictEqual(expected.versionedRelease);
    expect((record.releases as JsonObject[]).map((r) => r.date)).toEqual([...(record.releases as JsonObject[]).map((r) => String(r.date))].sort());
  });

  it("reads folders in name order, JSON Lines and bare releases, and sorts records by ocid", () => {
    const sub = path.join(dir, "mixed");
    const r = (ocid: string, id: string, day: number, title: string) => ({ ocid, id, date: `2020-01-0${day}T00:00:00Z`, tag: ["tender"], initiationType: "tender", tender: { id: "t", title } });
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, "2.jsonl"), `${JSON.stringify(r("ocds-b", "2", 1, "same date, read later"))}\n${JSON.stringify(r("ocds-a", "1", 1, "a"))}\n`);
    writeFileSync(path.join(sub, "1.json"), JSON.stringify(r("ocds-b", "1", 1, "same date, read first")));
    const out = ocds("compile", sub);
    expect(out.code).toBe(0);
    const records = (JSON.parse(out.stdout) as { records: JsonObject[] }).records;
    expect(records.map((x) => x.ocid)).toEqual(["ocds-a", "ocds-b"]);
    expect(((records[1].compiledRelease as JsonObject).tender as JsonObject).title).toBe("same date, read later");
  });

  it("derives the merge rules from --schema", () => {
    const schema = { type: "object", properties: { tender: { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "string" } } }, wholeListMerge: true } } } } };
    const schemaFile = path.join(dir, "schema.json");
    writeFileSync(schemaFile, JSON.stringify(schema));
    const releases = [
      { ocid: "ocds-x", id: "1", date: "2020-01-01T00:00:00Z", tender: { items: [{ id: "1" }] } },
      { ocid: "ocds-x", id: "2", date: "2020-01-02T00:00:00Z", tender: { items: [{ id: "2" }] } },
    ];
    const file = path.join(dir, "two.json");
    writeFileSync(file, JSON.stringify(releases));
    const items = (out: ReturnType<typeof ocds>) => (((JSON.parse(out.stdout) as { records: JsonObject[] }).records[0].compiledRelease as JsonObject).tender as JsonObject).items;
    expect(items(ocds("compile", "--schema", schemaFile, file))).toEqual([{ id: "2" }]);
    expect(items(ocds("compile", file))).toEqual([{ id: "1" }, { id: "2" }]);
   }, 60_000);

  it.each([
    ["empty.json", "", /empty\.json: the file is empty/],
    ["latin1.json", Buffer.from('{"ocid": "caf\xe9"}', "latin1"), /not UTF-8 text/],
    ["broken.json", '{"releases": [', /not JSON/],
    ["other.json", '{"type": "FeatureCollection", "features": []}', /not OCDS data/],
    ["nodate.json", JSON.stringify([{ ocid: "ocds-x", id: "1", date: "2020-01-01T00:00:00Z" }, { ocid: "ocds-x", id: "2" }]), /ocid ocds-x: release "2" has no date/],
  ])("refuses %s with a message and a non-zero exit, no stack trace", (name, content, message) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const out = ocds("compile", file);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("explains its usage", () => {
    const out = ocds("compile");
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/usage:/);
    expect(ocds("frobnicate").stderr).toMatch(/unknown command "frobnicate"/);
   }, 60_000);
});

describe("npm run ocds -- validate", () => {
  it("reports on a file as text or JSON, exit 0 when there are no errors and 1 when there are", () => {
    const good = ocds("validate", path.join(OCDS_DIR, "examples", "award.json"));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^OCDS quality report: .*award\.json \(release package\)/);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify([{ ocid: "ocds-213czf-1", id: "1", date: "2020-01-01", tag: ["tender"], initiationType: "tender" }]));
    const text = ocds("validate", bad);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/\[release schema\] date ×1: "2020-01-01" is not a date-time/);
    const json = ocds("validate", bad, "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ releases: 1, invalidReleases: 1, findings: expect.any(Array) });
   }, 60_000);

  it("refuses what it cannot read", () => {
    const file = path.join(dir, "nothing.json");
    writeFileSync(file, "   ");
    const out = ocds("validate", file);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/the file is empty/);
  });
});

describe("npm run ocds -- import (without a database)", () => {
  /** A database URL nobody answers at: input that is refused must never get as far as opening it. */
  const noDatabase = (...args: string[]) => {
    const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ocds.ts", ...args], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:9/none" },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it("explains its usage", () => {
    const none = noDatabase("import");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/import: name at least one file or folder\nusage:/);
    expect(noDatabase("import", "--tenant").stderr).toMatch(/--tenant needs a value/);
    expect(noDatabase("import", "--force", "x.json").stderr).toMatch(/unknown option --force/);
   }, 60_000);

  it("refuses unreadable input with exit code 2 and unusable releases with 1, before opening the database", () => {
    const empty = path.join(dir, "import-empty.json");
    writeFileSync(empty, "");
    const a = noDatabase("import", empty);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`ocds: ${empty}: the file is empty\n`);
    const dateless = path.join(dir, "import-dateless.jsonl");
    writeFileSync(dateless, `${JSON.stringify({ ocid: "ocds-abcdef-1", id: "1", date: "2020-01-01T00:00:00Z" })}\n${JSON.stringify({ ocid: "ocds-abcdef-1", id: "2", date: "01/02/2020" })}\n`);
    const b = noDatabase("import", "--publisher", "X", dateless);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/^Refused: nothing was stored — publisher "X"/);
    expect(b.stdout).toContain(`${dateless} line 2: "date" must be a date-time such as "2024-03-01T00:00:00Z" (found string "01/02/2020")`);
    expect(b.stdout).toMatch(/OCDS quality report/);
    expect(b.stderr).toBe("");
   }, 60_000);
});
