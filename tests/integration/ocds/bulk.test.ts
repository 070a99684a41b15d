import { gunzipSync } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";
import { D } from "../../../domain/kernel/money";
import { amountDecimal } from "../../../exports/ocds/mapping/values";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import { pgArray } from "../../../domain/kernel/pg";
import { bulkCopies, bulkState, compiledReleaseBytes, compiledReleaseLines, parseBulkFileName, processPages } from "../../../exports/ocds/bulk";
import { FLAT_TABLE_NAMES, FLAT_TABLES, type FlatTableName } from "../../../exports/ocds/flatten";
import { validateRelease } from "../../../exports/ocds/validate";
import type { JsonObject } from "../../../exports/ocds/schema";
import { loader as bulkLoader } from "../../../app/routes/ocds.bulk.$file";
import { loader as recordLoader } from "../../../app/routes/api.ocds.records.$ocid";

/** The demo as `npm start` serves it, with its procurement stage's releases. */
const db = useTestDatabase("full");

const get = (file: string, headers: Record<string, string> = {}, method = "GET") => call(bulkLoader, new Request(`${BASE}/ocds/bulk/${file}`, { headers, method }), { file });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error("the CSV does not end with CRLF");
  return rows;
}

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? (v as JsonObject[]) : []);

/** How many rows each table must have, counted from the compiled releases directly. */
function expectedRows(compiled: JsonObject[]): Record<FlatTableName, number> {
  const n = (f: (r: JsonObject) => unknown[]) => compiled.reduce((s, r) => s + f(r).length, 0);
  const tender = (r: JsonObject) => (r.tender ?? {}) as JsonObject;
  return {
    main: compiled.length,
    parties: n((r) => list(r.parties)),
    budget: n((r) => list(((r.planning as JsonObject | undefined)?.budget as JsonObject | undefined)?.budgetBreakdown)),
    items: n((r) => list(tender(r).items)),
    tenderers: n((r) => list(tender(r).tenderers)),
    bids: n((r) => list((r.bids as JsonObject | undefined)?.details)),
    awards: n((r) => list(r.awards)),
    contracts: n((r) => list(r.contracts)),
    amendments: n((r) => [...list(tender(r).amendments), ...list(r.contracts).flatMap((c) => list(c.amendments))]),
    transactions: n((r) => list(r.contracts).flatMap((c) => list((c.implementation as JsonObject | undefined)?.transactions))),
  };
}

let year: number;
let yearOcids: string[];
let allOcids: string[];

beforeAll(async () => {
  const rows = await db
    .em()
    .execute<{ ocid: string; year: number }[]>("select p.ocid, k.fiscal_year as year from ocds_process p join proc_package k on k.id = p.package_id where p.tenant_code = ? order by p.ocid", [T]);
  allOcids = rows.map((r) => r.ocid);
  const years = new Map<number, number>();
  for (const r of rows) years.set(r.year, (years.get(r.year) ?? 0) + 1);
  year = [...years].sort((a, b) => b[1] - a[1])[0][0];
  yearOcids = rows.filter((r) => r.year === year).map((r) => r.ocid);
});

describe("OCDS bulk files", () => {
  it("has releases to serve", () => {
    expect(allOcids.length).toBeGreaterThan(3);
    expect(yearOcids.length).toBeGreaterThan(3);
  });

  it("serves <year>.jsonl.gz and full.jsonl.gz: one compiled release per line, equal to the record API's", async () => {
    for (const [file, ocids] of [
      [`${year}.jsonl.gz`, yearOcids],
      ["full.jsonl.gz", allOcids],
    ] as const) {
      const res = await get(file);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/gzip");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${file}"`);
      const text = gunzipSync(await bytes(res)).toString("utf8");
      expect(text.endsWith("\n")).toBe(true);
      const lines = text.slice(0, -1).split("\n");
      expect(lines).toHaveLength(ocids.length);
      const compiled = lines.map((l) => JSON.parse(l) as JsonObject);
      expect(compiled.map((c) => c.ocid)).toEqual(ocids);
      if (file !== "full.jsonl.gz") continue;
      for (const c of compiled) {
        const ocid = String(c.ocid);
        const rec = await body<{ records: { compiledRelease: JsonObject }[] }>(await call(recordLoader, new Request(`${BASE}/api/ocds/records/${ocid}`), { ocid }));
        expect(c, ocid).toEqual(rec.records[0].compiledRelease);
        expect(c.tag).toEqual(["compiled"]);
        expect(validateRelease(c), ocid).toEqual([]);
      }
    }
  });

  it("gives an honest Last-Modified and an ETag, and answers 304 when the client's copy is current", async () => {
    const res = await get(`${year}.jsonl.gz`);
    const etag = res.headers.get("etag")!;
    const lastModified = res.headers.get("last-modified")!;
    expect(etag).toMatch(/^W\/"[\w-]{32}"$/);
    const [{ at }] = await db
      .em()
      .execute<{ at: Date }[]>("select max(r.created_at) as at from ocds_release r join ocds_process p on p.ocid = r.ocid join proc_package k on k.id = p.package_id where k.fiscal_year = ?", [year]);
    expect(lastModified).toBe(new Date(Math.floor(new Date(at).getTime() / 1000) * 1000).toUTCString());

    const again = await get(`${year}.jsonl.gz`, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await get(`${year}.jsonl.gz`, { "If-None-Match": etag.slice(2) })).status).toBe(304);
    expect((await get(`${year}.jsonl.gz`, { "If-None-Match": 'W/"something-else"' })).status).toBe(200);
    expect((await get(`${year}.jsonl.gz`, { "If-Modified-Since": lastModified })).status).toBe(304);
    expect((await get(`${year}.jsonl.gz`, { "If-Modified-Since": new Date(Date.parse(lastModified) - 1000).toUTCString() })).status).toBe(200);
    // Each file has its own ETag.
    expect((await get("full.jsonl.gz")).headers.get("etag")).not.toBe(etag);
    const head = await get(`${year}.jsonl.gz`, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");
  });

  it("fixes what a file holds when the request arrives", async () => {
    const scope = { tenant: T, year };
    const state = await bulkState(db.em(), scope);
    // Paging: small pages give the same processes, each once, as one big page.
    const seen: string[] = [];
    for await (const page of processPages(db.em(), scope, state.cutoff!, 3)) seen.push(...page.map((p) => p.ocid));
    expect(seen).toEqual(yearOcids);
    // Releases after the cutoff are left out: with the cutoff before the last release, one fewer.
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from ocds_release where seq <= ?::bigint and ocid = any(?::text[])", [state.cutoff, pgArray(yearOcids)]);
    expect(n).toBe(state.releases);
    let count = 0;
    for await (const page of processPages(db.em(), scope, String(BigInt(state.cutoff!) - 1n))) for (const p of page) count += p.releases.length;
    expect(count).toBe(state.releases - 1);
  });

  it("serves <year>-releases.json.gz: a release package of the year's releases, stored text as is", async () => {
    const res = await get(`${year}-releases.json.gz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    const text = gunzipSync(await bytes(res)).toString("utf8");
    const pkg = JSON.parse(text) as JsonObject & { releases: JsonObject[] };
    expect(pkg).toMatchObject({
      uri: `${BASE}/ocds/bulk/${year}-releases.json.gz`,
      version: "1.1",
      license: "https://creativecommons.org/licenses/by/4.0/",
      publicationPolicy: `${BASE}/ocds`,
      publisher: expect.objectContaining({ scheme: "IDN-KEMENDAGRI", uid: T }),
    });
    expect(Array.isArray(pkg.extensions) && pkg.extensions.length).toBeGreaterThan(0);
    expect(new Date(String(pkg.publishedDate)).toUTCString()).toBe(res.headers.get("last-modified"));
    const stored = await db
      .em()
      .execute<{ data: string }[]>("select r.data::text as data from ocds_release r where r.ocid = any(?::text[]) order by r.ocid, r.seq", [pgArray(yearOcids)]);
    expect(pkg.releases).toHaveLength(stored.length);
    // Byte for byte: the stored releases are spliced in, never parsed and written again.
    expect(text).toContain(`"releases":[${stored.map((r) => r.data).join(",")}]}`);
    for (const r of pkg.releases) expect(validateRelease(r), String(r.id)).toEqual([]);
  });

  it("serves one flattened CSV per table, keyed by ocid, with the rows the compiled releases have", async () => {
    const compiled = gunzipSync(await bytes(await get(`${year}.jsonl.gz`)))
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as JsonObject);
    const expected = expectedRows(compiled);
    expect(expected.main).toBe(yearOcids.length);
    expect(expected.parties).toBeGreaterThan(expected.main);
    expect(expected.budget).toBeGreaterThan(0);
    expect(expected.awards).toBeGreaterThan(0);
    expect(expected.contracts).toBeGreaterThan(0);
    for (const t of FLAT_TABLE_NAMES) {
      const res = await get(`${year}-${t}.csv`);
      expect(res.status, t).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const rows = parseCsv(await res.text());
      expect(rows[0], t).toEqual(FLAT_TABLES[t].columns.map((c) => c.header));
      expect(rows.length - 1, t).toBe(expected[t]);
      const ocid = rows[0].indexOf("ocid");
      expect(ocid, t).toBeGreaterThanOrEqual(0);
      for (const r of rows.slice(1)) {
        expect(r, t).toHaveLength(rows[0].length);
        expect(yearOcids, t).toContain(r[ocid]);
      }
    }
    // The main table's totals: the contract values of the road contract's process.
    const main = parseCsv(await (await get(`${year}-main.csv`)).text());
    const h = main[0];
    const withContract = compiled.find((c) => list(c.contracts).length)!;
    const row = main.find((r) => r[h.indexOf("ocid")] === withContract.ocid)!;
    const sum = list(withContract.contracts)
      .filter((c) => c.status !== "cancelled")
      .reduce((s, c) => s.plus(amountDecimal((c.value as JsonObject).amount as number)), new D(0));
    expect(new D(row[h.indexOf("contracts/value/amount")]).equals(sum)).toBe(true);
    expect(row[h.indexOf("tag")]).toBe("compiled");
  });

  it("serves <year>.xlsx: one sheet per table with the same headers and rows", async () => {
    const compiled = gunzipSync(await bytes(await get(`${year}.jsonl.gz`)))
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as JsonObject);
    const expected = expectedRows(compiled);
    const res = await get(`${year}.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("etag")).toBeTruthy();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bytes(res)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...FLAT_TABLE_NAMES]);
    for (const t of FLAT_TABLE_NAMES) {
      const ws = wb.getWorksheet(t)!;
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header, t).toEqual(FLAT_TABLES[t].columns.map((c) => c.header));
      expect(ws.actualRowCount - 1, t).toBe(expected[t]);
    }
    // Amounts are numbers.
    const main = wb.getWorksheet("main")!;
    const col = FLAT_TABLES.main.columns.findIndex((c) => c.header === "tender/value/amount") + 1;
    const values = [];
    for (let i = 2; i <= main.actualRowCount; i++) values.push(main.getRow(i).getCell(col).value);
    expect(values.some((v) => typeof v === "number")).toBe(true);
  });

  it("streams the .jsonl.gz by COPY: the stored bytes exactly (backslashes, quotes, non-ASCII), at a slow reader's pace", async () => {
    const em = db.em();
    const scope = { tenant: T, year: null };
    // One stored record with what COPY's text format would escape, and what UTF-8 spells in several bytes.
    const [victim] = await em.execute<{ ocid: string; compiled: string }[]>("select ocid, compiled::text as compiled from ocds_record order by ocid limit 1");
    const tricky = victim.compiled.replace(/^\{/, `{"x_catatan":"jalan \\"Bojonegoro\\" \\\\ C:\\\\dok\\n\\t Rp1.500 — ꦗꦼꦗꦏ් 😀 \\u0000",`);
    expect(JSON.parse(tricky)).toMatchObject({ x_catatan: 'jalan "Bojonegoro" \\ C:\\dok\n\t Rp1.500 — ꦗꦼꦗꦏ් 😀 \u0000' });
    await em.execute("update ocds_record set compiled = ?::json where ocid = ?", [tricky, victim.ocid]);
    try {
      const state = await bulkState(em, scope);
      let text = "";
      for await (const chunk of compiledReleaseLines(db.em(), scope, state.cutoff!)) text += chunk;
      expect(text).toContain(`${tricky}\n`);
      // A reader that takes its time: the server waits (the socket paused), and the bytes are the same.
      const parts: Buffer[] = [];
      for await (const chunk of await compiledReleaseBytes(db.em(), scope, state.cutoff!)) {
        parts.push(chunk as Buffer);
        await sleep(5);
      }
      expect(Buffer.concat(parts).equals(Buffer.from(text, "utf8"))).toBe(true);
      // The route's file is that, gzipped — also when it is made page by page, as when enough downloads
      // stream by COPY already.
      expect(gunzipSync(await bytes(await get("full.jsonl.gz"))).equals(Buffer.from(text, "utf8"))).toBe(true);
      expect(bulkCopies.active).toBe(0);
      const max = bulkCopies.max;
      bulkCopies.max = 0;
      try {
        expect(gunzipSync(await bytes(await get("full.jsonl.gz"))).equals(Buffer.from(text, "utf8"))).toBe(true);
      } finally {
        bulkCopies.max = max;
      }
    } finally {
      await em.execute("update ocds_record set compiled = ?::json where ocid = ?", [victim.compiled, victim.ocid]);
    }
  });

  it("answers 404 for names that are no bulk file and years without processes", async () => {
    for (const name of ["2027.json", "full.xlsx", "2027-nothing.csv", "x.jsonl.gz", "2027-releases.jsonl.gz"]) expect(parseBulkFileName(name), name).toBeNull();
    expect(parseBulkFileName("2027-awards.csv")).toMatchObject({ format: "csv", year: 2027, table: "awards" });
    expect((await get("nothing.jsonl.gz")).status).toBe(404);
    const empty = await get("1999.jsonl.gz");
    expect(empty.status).toBe(404);
    expect(empty.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
