import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock } from "../../../domain/kernel/clock";
import { formatImportResult, prepareOcdsImport, runOcdsImport, type PrepareOptions } from "../../../exports/ocds/import";
import { OcdsInputError } from "../../../exports/ocds/read";
import { findOcdsSchemaDir, type JsonObject } from "../../../exports/ocds/schema";

/** The demo as `npm start` serves it: RUP packages with kode RUP, tenders, Jejak's own releases. */
const db = useTestDatabase("full");
const clock = fixedClock("2027-06-01T03:00:00Z");
let dir: string;
let pkgs: { id: string; kode_rup: string; name: string }[];
/** A package with a tender, whose tender the SPSE test marks as imported from SPSE. */
let tendered: { id: string; kode_rup: string; name: string; tender_id: string; code: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ocds-import-"));
  [tendered] = await db.em().execute(
    "select p.id, p.kode_rup::text as kode_rup, p.name, t.id as tender_id, t.code from proc_package p join tender t on t.package_id = p.id where p.tenant_code = ? and p.kode_rup is not null order by t.code limit 1",
    [db.tenant],
  );
  expect(tendered).toBeDefined();
  pkgs = await db.em().execute("select id, kode_rup::text as kode_rup, name from proc_package where tenant_code = ? and kode_rup is not null and id <> ? order by kode_rup limit 3", [db.tenant, tendered.id]);
  expect(pkgs.length).toBe(3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer | object): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 1));
  return f;
}

async function counts() {
  const [r] = await db.em().execute<{ imports: string; releases: string; links: string; own: string }[]>(
    `select (select count(*) from ocds_import)::text as imports, (select count(*) from ocds_external_release)::text as releases,
            (select count(*) from ocds_external_link)::text as links, (select count(*) from ocds_release)::text as own`,
  );
  return { imports: Number(r.imports), releases: Number(r.releases), links: Number(r.links), own: Number(r.own) };
}

async function importPaths(paths: string[], options: PrepareOptions = {}, dryRun = false) {
  const prepared = prepareOcdsImport(paths, options);
  return runOcdsImport(db.em(), Actor.system(db.tenant, "test import"), clock, prepared, { dryRun });
}

const release = (ocid: string, id: string, date: string, extra: JsonObject = {}): JsonObject => ({ ocid, id, date, tag: ["tender"], initiationType: "tender", ...extra });

/** `npm run -s ocds -- import …` in a child process, against this file's database. */
function ocdsCli(...args: string[]) {
  const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ocds.ts", ...args], {
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, DATABASE_URL: db.url },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("hostile imports: a clear message, nothing stored", () => {
  it.each([
    ["empty.json", "", /empty\.json: the file is empty/],
    ["latin1.json", Buffer.from('{"ocid": "caf\xe9", "id": "1", "date": "2024-01-01T00:00:00Z"}', "latin1"), /not UTF-8 text \(invalid byte 0xe9/],
    ["numbers.json", "[1,2,3]", /numbers\.json \[0\]: not OCDS data: found number 1/],
    ["foo.json", '{"foo":1}', /foo\.json: not OCDS data: found an object with "foo"/],
    ["truncated.json", '{\n  "version": "1.1",\n  "releases": [\n    {"ocid": "ocds-abcdef-1", "id": "1",\n', /truncated\.json: not JSON/],
    ["truncated.jsonl", `${JSON.stringify(release("ocds-abcdef-1", "1", "2024-01-01T00:00:00Z"))}\n{"ocid": "ocds-abcdef-2", "id": "2", "da\n`, /truncated\.jsonl line 2: not JSON/],
  ])("%s is unreadable: OcdsInputError", async (name, content, message) => {
    const before = await counts();
    const good = file("good-first.json", release("ocds-abcdef-9", "9", "2024-01-01T00:00:00Z"));
    // A good file before the bad one changes nothing either: the whole batch is read before anything is stored.
    expect(() => prepareOcdsImport([good, file(name, content)])).toThrow(OcdsInputError);
    expect(() => prepareOcdsImport([good, file(name, content)])).toThrow(message);
    expect(await counts()).toEqual(before);
  });

  it("a record package whose releases are only linked has nothing to import", async () => {
    const linked = file("linked.json", { version: "1.1", records: [{ ocid: "ocds-abcdef-1", releases: [{ url: "https://x/1.json", date: "2024-01-01T00:00:00Z", tag: ["tender"] }] }] });
    expect(() => prepareOcdsImport([linked])).toThrow(/linked\.json: no releases to import \(the records only link to their 1 releases by url\)/);
  });

  it.each([
    ["date5.json", [release("ocds-abcdef-1", "1", "2024-01-01T00:00:00Z"), { ...release("ocds-abcdef-1", "2", ""), date: 5 }], /"date" must be a date-time .*\(found number 5\)/],
    ["nodate.json", [{ ocid: "ocds-abcdef-1", id: "1", tag: ["tender"] }], /"date" must be a date-time .*\(found nothing\)/],
    ["baddate.json", [release("ocds-abcdef-1", "1", "2024-02-30T00:00:00Z")], /"date" must be a date-time .*\(found string "2024-02-30T00:00:00Z"\)/],
    ["noid.json", { version: "1.1", releases: [{ ocid: "ocds-abcdef-1", date: "2024-01-01T00:00:00Z" }] }, /releases\[0\]: no "id" \(found nothing\)/],
    ["objid.json", [{ ...release("ocds-abcdef-1", "", "2024-01-01T00:00:00Z"), id: { x: 1 } }], /no "id" \(found an object\)/],
    ["ocid5.json", { version: "1.1", releases: [{ ocid: 5, id: "1", date: "2024-01-01T00:00:00Z" }] }, /no "ocid" \(found number 5\)/],
    ["tag.json", [{ ...release("ocds-abcdef-1", "1", "2024-01-01T00:00:00Z"), tag: "tender" }], /"tag" must be an array of strings \(found string "tender"\)/],
    ["nul.json", [release("ocds-abcdef-\u0000", "1", "2024-01-01T00:00:00Z")], /"ocid" contains the character U\+0000/],
    ["twice.json", [release("ocds-abcdef-1", "1", "2024-01-01T00:00:00Z", { tender: { id: "a" } }), release("ocds-abcdef-1", "1", "2024-01-01T00:00:00Z", { tender: { id: "b" } })], /ocid ocds-abcdef-1 release 1 appears twice with different contents/],
  ])("%s has unusable releases: refused, nothing stored", async (name, content, message) => {
    const before = await counts();
    const result = await importPaths([file(name, content)], { publisher: "Hostile" });
    expect(result.status).toBe("refused");
    expect(result.problems.join("\n")).toMatch(message);
    expect(formatImportResult(result)).toMatch(/^Refused: nothing was stored/);
    expect(await counts()).toEqual(before);
  });

  it("the CLI refuses them with exit codes 2 (unreadable) and 1 (unusable) and no stack trace", async () => {
    const before = await counts();
    const unreadable = ocdsCli("import", "--publisher", "Hostile", file("cli-foo.json", '{"foo":1}'));
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cli-foo\.json: not OCDS data/);
    expect(unreadable.stderr).not.toMatch(/\n\s+at /);
    const unusable = ocdsCli("import", "--publisher", "Hostile", file("cli-date.json", { ...release("ocds-abcdef-1", "1", ""), date: 5 }));
    expect(unusable.code).toBe(1);
    expect(unusable.stdout).toMatch(/Refused: nothing was stored/);
    expect(unusable.stdout).toMatch(/"date" must be a date-time/);
    expect(unusable.stderr).not.toMatch(/\n\s+at /);
    expect(await counts()).toEqual(before);
  }, 120_000);
});

describe("importing other publishers' data", () => {
  it("links an SPSE-like release package to the demo's RUP packages by kode RUP and kode tender (CLI, child process)", async () => {
    const [a, b, d] = pkgs;
    const c = tendered;
    // The tender of package c came from SPSE: its kode tender is what SPSE's ocid and tender.id carry.
    const spseCode = c.code;
    // Before it is marked as from SPSE, its code (a Jejak tender's) links nothing.
    const jejakOnly = await importPaths([file("jejak-code.json", [release(`ocds-spsebj-${spseCode}`, "r0", "2027-03-05T00:00:00Z", { tender: { id: spseCode } })])], { publisher: "Probe" }, true);
    expect(jejakOnly).toMatchObject({ status: "dry-run", links: [], unlinked: 1 });
    await db.em().execute("update tender set source = 'spse' where id = ?", [c.tender_id]);
    const before = await counts();
    const pkg = {
      uri: "https://lpse.example.go.id/ocds/2027.json",
      version: "1.1",
      publishedDate: "2027-05-01T00:00:00Z",
      publisher: { name: "LPSE Kabupaten Bojonegoro (SPSE)", uri: "https://lpse.example.go.id" },
      releases: [
        // Jejak's own extension field (as a neighbouring Jejak or our own SPSE mapping writes it)
        release(`ocds-spsebj-${a.kode_rup}1`, "r1", "2027-03-01T00:00:00Z", { planning: { rupCode: a.kode_rup }, tender: { id: "not-a-known-code", title: a.name } }),
        // BIRMS mapping: planning.budget.projectID is the SiRUP id (as a number here)
        release("ocds-spsebj-777001", "r2", "2027-03-02T00:00:00Z", { planning: { budget: { projectID: Number(b.kode_rup), project: "Program X" } }, tender: { id: "777001" } }),
        // nothing matches: unlinked
        release("ocds-spsebj-999999", "r3", "2027-03-03T00:00:00Z", { tender: { id: "999999" } }),
        // codes pointing to two different packages: not linked
        release("ocds-spsebj-888888", "r4", "2027-03-04T00:00:00Z", { planning: { rupCode: d.kode_rup }, tender: { id: a.kode_rup } }),
        // SPSE's ocid ends with the kode tender (tender.id left out here)
        release(`ocds-spsebj-${spseCode}`, "r5", "2027-03-05T00:00:00Z", { tender: { title: c.name } }),
      ],
    };
    const f = file("spse.json", pkg);
    const out = ocdsCli("import", "--tenant", db.tenant, f);
    expect(out.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Imported — publisher "LPSE Kabupaten Bojonegoro \(SPSE\)", tenant 35\.22, import [0-9a-f-]{36}/);
    expect(out.stdout).toContain(`new: ${pkg.releases.length} · already present: 0 · conflicts: 0`);
    expect(out.stdout).toContain(`→ kode RUP ${a.kode_rup} "${a.name}" ← kode RUP ${a.kode_rup} in planning.rupCode`);
    expect(out.stdout).toContain(`→ kode RUP ${b.kode_rup} "${b.name}" ← kode RUP ${b.kode_rup} in planning.budget.projectID`);
    expect(out.stdout).toContain(`→ kode RUP ${c.kode_rup} "${c.name}" ← kode tender ${spseCode} in ocid`);
    expect(out.stdout).toMatch(/ocid ocds-spsebj-888888 is not linked: its codes point to several packages/);
    expect(out.stdout).toMatch(/OCDS quality report/);

    const links = await db.em().execute<{ ocid: string; package_id: string; matched_by: string; value: string; publisher: string }[]>(
      "select ocid, package_id, matched_by, value, publisher from ocds_external_link order by ocid",
    );
    const expected = [
      { ocid: "ocds-spsebj-777001", package_id: b.id, matched_by: "kode_rup", value: b.kode_rup },
      { ocid: `ocds-spsebj-${a.kode_rup}1`, package_id: a.id, matched_by: "kode_rup", value: a.kode_rup },
      { ocid: `ocds-spsebj-${spseCode}`, package_id: c.id, matched_by: "tender_code", value: spseCode },
    ].sort((x, y) => (x.ocid < y.ocid ? -1 : 1));
    expect(links.map(({ publisher: _p, ...l }) => l)).toEqual(expected);
    expect(new Set(links.map((l) => l.publisher))).toEqual(new Set(["LPSE Kabupaten Bojonegoro (SPSE)"]));
    const after = await counts();
    expect(after).toEqual({ imports: before.imports + 1, releases: before.releases + pkg.releases.length, links: before.links + expected.length, own: before.own });
    const [imp] = await db.em().execute<{ publisher_uri: string; sources: string[]; releases_new: number; quality: { releases: number }; imported_by: string }[]>(
      "select publisher_uri, sources, releases_new, quality, imported_by from ocds_import order by imported_at desc limit 1",
    );
    expect(imp).toMatchObject({ publisher_uri: "https://lpse.example.go.id", sources: [f], releases_new: pkg.releases.length, quality: { releases: pkg.releases.length } });
    expect(imp.imported_by).toMatch(/^ocds-import \(/);
    // The audit trail has the import.
    const [audit] = await db.em().execute<{ n: string }[]>("select count(*)::text as n from audit_event where action = 'OcdsImported'");
    expect(audit.n).toBe("1");
    // Re-importing the same file: idempotent, every release counted as already present.
    const again = ocdsCli("import", "--tenant", db.tenant, f);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`new: 0 · already present: ${pkg.releases.length} · conflicts: 0`);
    expect(again.stdout).toContain("(already linked)");
    expect((await counts()).releases).toBe(after.releases);
    expect((await counts()).links).toBe(after.links);
  }, 180_000);

  it("imports a neighbouring pemda's record package, then JSON Lines (gzipped) of the same publisher", async () => {
    const before = await counts();
    const pub = { name: "Pemerintah Kabupaten Tuban", uri: "https://tubankab.go.id" };
    const recs = {
      version: "1.1",
      uri: "https://opendata.tubankab.go.id/ocds/records.json",
      publishedDate: "2027-04-01T00:00:00Z",
      publisher: pub,
      records: [1, 2].map((n) => ({
        ocid: `ocds-tuban1-${n}`,
        releases: [
          release(`ocds-tuban1-${n}`, `${n}-planning`, "2027-01-10T00:00:00Z", { tag: ["planning"], planning: { budget: { amount: { amount: 1e8, currency: "IDR" } } } }),
          release(`ocds-tuban1-${n}`, `${n}-tender`, "2027-02-10T00:00:00+07:00", { tender: { id: `T-${n}`, title: `Paket ${n}` } }),
        ],
        compiledRelease: release(`ocds-tuban1-${n}`, `${n}-compiled`, "2027-02-10T00:00:00Z", { tag: ["compiled"] }),
      })),
    };
    const r1 = await importPaths([file("tuban-records.json", recs)]);
    expect(r1).toMatchObject({ status: "imported", publisher: pub.name, read: 4, new: 4, present: 0, links: [], unlinked: 2, processes: 2 });
    const stored = await db.em().execute<{ id: string; date: string; tags: string[] }[]>("select id, date::text, tags from ocds_external_release where publisher = ? order by id", [pub.name]);
    expect(stored.map((s) => s.id)).toEqual(["1-planning", "1-tender", "2-planning", "2-tender"]);
    expect(stored[1]).toMatchObject({ tags: ["tender"], date: "2027-02-09 17:00:00+00" });

    // JSON Lines, gzipped, with a new release and an old one written in another key order: that one is the same release.
    const old = recs.records[0].releases[1];
    const reordered = Object.fromEntries(Object.entries(old).reverse());
    const lines = [reordered, release("ocds-tuban1-1", "1-award", "2027-03-10T00:00:00Z", { tag: ["award"], awards: [{ id: "a1", status: "active" }] })].map((r) => JSON.stringify(r)).join("\n");
    const r2 = await importPaths([file("tuban.jsonl.gz", gzipSync(lines))], { publisher: pub.name });
    expect(r2).toMatchObject({ status: "imported", read: 2, new: 1, present: 1, conflicts: [] });
    expect(r2.warnings.join("\n")).not.toMatch(/file name/);
    expect((await counts()).releases).toBe(before.releases + 5);
    expect((await counts()).own).toBe(before.own);
  });

  it("imports OCDS 1.0 data (no version) with a warning, and reports the quality report's problems", async () => {
    const before = await counts();
    const v10 = {
      uri: "https://old.example.org/2015.json",
      publishedDate: "2015-06-01T00:00:00Z",
      publisher: { name: "Old Publisher" },
      releases: [release("ocds-old001-1", "1", "2015-05-01T00:00:00Z", { tender: { id: "1", status: "not-a-status", typo: true }, buyer: { name: "Dinas" } })],
    };
    const r = await importPaths([file("v10.json", v10)]);
    expect(r.status).toBe("imported");
    expect(r.warnings.join("\n")).toMatch(/1 package has no "version": OCDS 1.0 data/);
    const checks = r.report.findings.map((f) => `${f.severity} ${f.check} ${f.path}`);
    expect(checks).toEqual(expect.arrayContaining(["warning version version", "warning additionalField tender.typo"]));
    expect(r.report.errors).toBeGreaterThan(0); // the closed codelist tenderStatus and the 1.1 package schema
    const [imp] = await db.em().execute<{ version: string | null; warnings: string[]; quality: { errors: number } }[]>("select version, warnings, quality from ocds_import where id = ?", [r.importId]);
    expect(imp.version).toBeNull();
    expect(imp.warnings.join("\n")).toMatch(/OCDS 1\.0 data/);
    expect(imp.quality.errors).toBe(r.report.errors);
    expect((await counts()).releases).toBe(before.releases + 1);

    // U+0000 in the data (not in its identifiers) is kept: json holds it, the report's jsonb gets U+FFFD.
    const nul = await importPaths([file("nul-body.json", [release("ocds-old001-3", "3", "2015-05-03T00:00:00Z", { tender: { id: "3", title: "a\u0000b", status: "x\u0000" } })])], { publisher: "Old Publisher" });
    expect(nul.status).toBe("imported");
    const [kept] = await db.em().execute<{ data: JsonObject }[]>("select data from ocds_external_release where ocid = 'ocds-old001-3'");
    expect((kept.data.tender as JsonObject).title).toBe("a\u0000b");

    // --strict refuses the same kind of data on the report's errors.
    const strict = await importPaths([file("v10b.json", { ...v10, releases: [release("ocds-old001-2", "2", "2015-05-02T00:00:00Z", { tender: { id: "2", status: "nope" } })] })], { strict: true });
    expect(strict.status).toBe("refused");
    expect(strict.problems.join("\n")).toMatch(/--strict: the quality report has \d+ errors?/);
    expect((await counts()).releases).toBe(before.releases + 2);
  });

  it("imports a real publisher's release package (Jalisco) and a bare release named by --publisher", async () => {
    const real = path.join(findOcdsSchemaDir(), "examples", "real");
    const r = await importPaths([path.join(real, "mx-jalisco-SFIN-03-0001-contract.release-package.json")]);
    expect(r).toMatchObject({ status: "imported", publisher: "SEPAF/DGA | DIR.GRAL. DE ABASTECEMIENTOS (SUB-ADMINISTRACIÓN)", new: 1 });
    const u = await importPaths([path.join(real, "ug-ppda-planning.release.json")], { publisher: "PPDA Uganda" });
    expect(u).toMatchObject({ status: "imported", publisher: "PPDA Uganda", new: 1 });
  });

  it("refuses the whole batch when one release conflicts with a stored one, and a dry run stores nothing", async () => {
    const pub = "Conflict Publisher";
    const first = await importPaths([file("c1.json", [release("ocds-cnflct-1", "1", "2027-01-01T00:00:00Z", { tender: { id: "x", title: "original" } })])], { publisher: pub });
    expect(first.status).toBe("imported");
    const before = await counts();
    const batch = [
      release("ocds-cnflct-2", "1", "2027-01-02T00:00:00Z"),
      release("ocds-cnflct-1", "1", "2027-01-01T00:00:00Z", { tender: { id: "x", title: "rewritten" } }),
      release("ocds-cnflct-3", "1", "2027-01-03T00:00:00Z"),
    ];
    const r = await importPaths([file("c2.json", batch)], { publisher: pub });
    expect(r).toMatchObject({ status: "refused", conflicts: [{ ocid: "ocds-cnflct-1", id: "1" }], new: 0 });
    expect(r.problems.join("\n")).toMatch(/ocid ocds-cnflct-1 release 1 is already stored for publisher "Conflict Publisher" with different contents/);
    expect(await counts()).toEqual(before);
    // The same release under another publisher is another publisher's release: no conflict.
    const dry = await importPaths([file("c3.json", batch)], { publisher: "Another Publisher" }, true);
    expect(dry).toMatchObject({ status: "dry-run", new: 3, importId: null });
    expect(await counts()).toEqual(before);
  });

  it("refuses files naming several publishers unless --publisher names one", async () => {
    const p = (name: string, ocid: string) => ({ version: "1.1", publisher: { name }, releases: [release(ocid, "1", "2027-01-01T00:00:00Z")] });
    const a = file("pa.json", p("A", "ocds-pubaaa-1"));
    const b = file("pb.json", p("B", "ocds-pubbbb-1"));
    expect(() => prepareOcdsImport([a, b])).toThrow(/the packages name 2 publishers \("A", "B"\)/);
    expect(prepareOcdsImport([a, b], { publisher: "A" }).publisher).toMatchObject({ name: "A", from: "option" });
  });

  it("the stored tables are append-only", async () => {
    await expect(db.em().execute("update ocds_external_release set publisher = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("delete from ocds_import")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("delete from ocds_external_link")).rejects.toThrow(/append-only/);
  });
});
