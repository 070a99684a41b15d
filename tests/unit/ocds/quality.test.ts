import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { formatQualityReport, qualityReport, type Finding } from "../../../exports/ocds/quality";
import { OcdsInputError, readOcdsBytes, readOcdsPaths, readOcdsText } from "../../../exports/ocds/read";
import type { JsonObject } from "../../../exports/ocds/schema";
import { readExample } from "./helpers";

const text = (s: string) => Buffer.from(s, "utf8");
const release = (id: string, extra: JsonObject = {}): JsonObject => ({ ocid: "ocds-213czf-1", id, date: "2020-01-01T00:00:00Z", tag: ["tender"], initiationType: "tender", ...extra });
const pkg = (releases: JsonObject[], extra: JsonObject = {}): JsonObject => ({
  uri: "https://example.org/p.json",
  publisher: { name: "Test" },
  publishedDate: "2020-01-02T00:00:00Z",
  version: "1.1",
  releases,
  ...extra,
});

describe("reading OCDS files", () => {
  it("reads release packages, record packages, releases, records, arrays and JSON Lines", () => {
    const r1 = release("1");
    const r2 = release("2");
    expect(readOcdsText(JSON.stringify(pkg([r1, r2])), "a").releases.map((r) => r.where)).toEqual(["a releases[0]", "a releases[1]"]);
    const records = readOcdsText(JSON.stringify({ ...pkg([]), releases: undefined, records: [{ ocid: "ocds-213czf-1", releases: [r1, { url: "https://x/r.json", date: "2020-01-01T00:00:00Z", tag: ["tender"] }] }] }), "b");
    expect(records.releases.map((r) => r.release.id)).toEqual(["1"]);
    expect(records.linkedReleases).toBe(1);
    expect(records.packages[0].kind).toBe("record package");
    expect(readOcdsText(JSON.stringify(r1), "c").shapes).toEqual(["release"]);
    expect(readOcdsText(JSON.stringify({ ocid: "ocds-213czf-1", releases: [r1] }), "d").shapes).toEqual(["record"]);
    expect(readOcdsText(JSON.stringify([r1, r2]), "e").releases).toHaveLength(2);
    const jsonl = readOcdsText(`${JSON.stringify(r1)}\n\n${JSON.stringify(pkg([r2]))}\r\n`, "f");
    expect(jsonl.releases.map((r) => r.where)).toEqual(["f line 1", "f line 3 releases[0]"]);
    expect(readOcdsBytes(gzipSync(text(JSON.stringify(r1))), "g.gz").releases).toHaveLength(1);
    expect(readOcdsBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(JSON.stringify(r1))]), "bom").releases).toHaveLength(1);
  });

  it("reads a folder's files in name order", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ocds-read-"));
    try {
      writeFileSync(path.join(dir, "b.json"), JSON.stringify(release("b")));
      writeFileSync(path.join(dir, "a.jsonl"), `${JSON.stringify(release("a1"))}\n${JSON.stringify(release("a2"))}\n`);
      writeFileSync(path.join(dir, ".hidden"), "not json");
      expect(readOcdsPaths([dir]).releases.map((r) => r.release.id)).toEqual(["a1", "a2", "b"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["an empty file", Buffer.alloc(0), /the file is empty/],
    ["white space", text("  \n\t"), /the file is empty \(only white space\)/],
    ["UTF-16", Buffer.from("\ufeff{}", "utf16le"), /UTF-16/],
    ["Latin-1", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), /not UTF-8 text \(invalid byte 0xe9 at offset 6\)/],
    ["an overlong UTF-8 form", Buffer.from([0x22, 0xc0, 0xaf, 0x22]), /not UTF-8 text \(invalid byte 0xc0 at offset 1\)/],
    ["broken JSON", text('{"releases": [1, 2'), /not JSON: .*\(line 1, column \d+\)/],
    ["a bad JSON line", text(`${JSON.stringify(release("1"))}\n{oops}\n`), /x line 2: not JSON/],
    ["JSON that is not OCDS", text('{"hello": "world"}'), /not OCDS data: found an object with "hello"/],
    ["a number", text("42"), /not OCDS data: found number 42/],
    ["an empty array", text("[]"), /an empty array/],
    ["releases that are not objects", text(JSON.stringify(pkg([1 as unknown as JsonObject]))), /releases\[0\]: a release must be a JSON object/],
    ["releases that are not an array", text('{"releases": {}}'), /"records" or "releases" must be an array/],
    ["a damaged gzip file", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), /damaged gzip/],
  ])("refuses %s with a clear message", (_what, bytes, message) => {
    expect(() => readOcdsBytes(bytes, "x")).toThrow(OcdsInputError);
    expect(() => readOcdsBytes(bytes, "x")).toThrow(message);
  });

  it("refuses a path that does not exist", () => {
    expect(() => readOcdsPaths(["/nonexistent/file.json"])).toThrow(/no such file or folder/);
  });
});

describe("the quality report", () => {
  const find = (findings: Finding[], check: Finding["check"], path?: string) => findings.filter((f) => f.check === check && (path === undefined || f.path === path));

  it("is clean on the standard's examples", () => {
    for (const file of ["award.json", "contract.json", "contractAmendment.json", "extended.json", "implementation.json"]) {
      const report = qualityReport(readOcdsText(JSON.stringify(readExample(file)), file));
      expect(report.errors, file).toBe(0);
      expect(report.releases).toBe(1);
      expect(report.version).toBe("1.1");
    }
  });

  it("finds every kind of problem, counted in full, with examples", () => {
    const releases = [
      release("1", {
        tender: {
          id: "t",
          status: "open", // closed codelist
          procurementMethodDetails: "", // empty
          items: [{ id: "i1", description: "x" }, { description: "no id" }], // missing id
          documents: [{ id: "d", documentType: "beritaAcara" }], // open codelist
          amendment: { rationale: "old style" }, // deprecated
          tenderPeriod: {},
          kodeLelang: "123", // additional field
          title_id: "Judul", // a translation: allowed
        },
        parties: [{ id: "p", roles: ["buyer", "pengguna"] }],
      }),
      release("1"), // duplicate (ocid, id)
      release("2", { ocid: "ocid-without-prefix" }),
    ];
    const { version: _version, ...unversioned } = pkg(releases);
    const report = qualityReport(readOcdsText(JSON.stringify(unversioned), "p.json"), { examples: 2 });
    const f = report.findings;
    expect(report.releases).toBe(3);
    expect(report.ocids).toBe(2);
    expect(report.invalidReleases).toBe(1);
    expect(find(f, "releaseSchema", "tender.status")[0]).toMatchObject({ severity: "error", count: 1, examples: ["ocds-213czf-1 1: /tender/status"] });
    expect(find(f, "closedCodelist", "tender.status")[0].message).toBe('"open" is not in the closed codelist tenderStatus.csv');
    expect(find(f, "duplicateRelease")[0]).toMatchObject({ severity: "error", count: 1, examples: ["ocds-213czf-1 1"] });
    expect(find(f, "missingId", "tender.items.id")[0]).toMatchObject({ severity: "warning", count: 1, examples: ["ocds-213czf-1 1: /tender/items/1"] });
    expect(find(f, "emptyField").map((x) => x.path).sort()).toEqual(["tender.procurementMethodDetails", "tender.tenderPeriod"]);
    expect(find(f, "openCodelist").map((x) => [x.path, x.severity])).toEqual(
      expect.arrayContaining([
        ["tender.documents.documentType", "note"],
        ["parties.roles", "note"],
      ]),
    );
    expect(find(f, "deprecatedField", "tender.amendment")[0].message).toMatch(/^deprecated in OCDS 1\.1/);
    expect(find(f, "additionalField").map((x) => x.path)).toEqual(["tender.kodeLelang"]);
    expect(find(f, "ocidPrefix")[0].examples[0]).toMatch(/^ocid-without-prefix 2/);
    expect(find(f, "version")[0].message).toMatch(/no version: OCDS 1\.0 data/);
    expect(find(f, "packageSchema")[0]).toMatchObject({ path: "version", message: "/version is required" });
    expect(report.errors).toBe(find(f, "releaseSchema").reduce((n, x) => n + x.count, 0) + 3);
    expect(report.releaseErrors).toEqual([{ where: "p.json releases[0]", ocid: "ocds-213czf-1", id: "1", errors: [expect.objectContaining({ path: "/tender/status" }), { path: "/tender/items/1/id", message: "is required" }] }]);

    const printed = formatQualityReport(report, "p.json");
    expect(printed).toContain("OCDS quality report: p.json (release package)");
    expect(printed).toContain("[duplicate releases] id ×1");
    expect(printed).toContain("[missing id] tender.items.id ×1");
    expect(printed).toContain("/tender/status");
  });

  it("checks package metadata and the publisher's ocid prefix", () => {
    const report = qualityReport(readOcdsText(JSON.stringify(pkg([release("1")], { publishedDate: "yesterday", uri: "not a uri" })), "p.json"), { expectedPrefix: "ocds-jejak1-" });
    expect(find(report.findings, "packageSchema").map((x) => x.path).sort()).toEqual(["publishedDate", "uri"]);
    expect(find(report.findings, "ocidPrefix")[0].message).toMatch(/ocds-jejak1-/);
  });

  it("notes records whose releases are only linked", () => {
    const report = qualityReport(readOcdsText(JSON.stringify(readExample("real", "mx-jalisco-SFIN-03-0001.record-package.json")), "r.json"));
    expect(find(report.findings, "linkedReleases")[0].count).toBeGreaterThan(0);
    expect(report.errors).toBe(0);
  });
});
