import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext } from "../support/browser";
import { loginAs } from "../support/login";

// The RUP import page (/procure/impor) as Dinas PU's PPK uses it: download the OPD's RUP in SiRUP's layout,
// send back a file with mistakes (every one shown by sheet, row and column, nothing saved), then the
// corrected file, whose change shows on the package's page.
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";

let server: RunningServer;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
let dir: string;

beforeAll(async () => {
  server = await startServer({ env: { JEJAK_NON_PRODUCTION: "1", MICROCACHE_SECONDS: "0" } });
  browser = await launchBrowser();
  desk = await desktopContext(browser, server.baseUrl);
  page = await desk.newPage();
  dir = mkdtempSync(path.join(os.tmpdir(), "jejak-rup-"));
});
afterAll(async () => {
  await desk?.close();
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.end();
  }
}

/** The workbook's "Paket" sheet: its header positions and the row of a kode RUP. */
function paketSheet(wb: ExcelJS.Workbook) {
  const ws = wb.getWorksheet("Paket")!;
  const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).map((v) => String(v ?? ""));
  const col = (header: string) => {
    const i = headers.indexOf(header);
    if (i < 1) throw new Error(`no column ${header} in Paket`);
    return i;
  };
  const letter = (header: string) => ws.getColumn(col(header)).letter;
  return { ws, col, letter };
}

async function upload(file: string) {
  const section = page.getByTestId("rup-import");
  await section.locator('input[type="file"]').setInputFiles(file);
  await section.getByRole("button", { name: "Periksa dan impor" }).click();
  await page.waitForLoadState("networkidle");
  return section;
}

describe("the RUP import page", () => {
  it("downloads the OPD's RUP, refuses a file with mistakes by sheet, row and column, and applies the corrected file", async () => {
    await loginAs(page, "ppk.pu");
    await page.goto("/procure/impor");
    const section = page.getByTestId("rup-import");
    await expect(section.getByRole("link", { name: `Unduh RUP ${YEAR} (format SiRUP)` }).isVisible()).resolves.toBe(true);

    // The PPK's download: their OPD's announced packages.
    const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("link", { name: `Unduh RUP ${YEAR} (format SiRUP)` }).click()]);
    const original = path.join(dir, "rup-asli.xlsx");
    await download.saveAs(original);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(original) as unknown as ExcelJS.Buffer);
    const sheet = paketSheet(wb);
    expect(sheet.ws.rowCount).toBeGreaterThan(1);
    expect(String(sheet.ws.getRow(2).getCell(sheet.col("kd_satker")).value)).toBe(PU);
    const kode = String(sheet.ws.getRow(2).getCell(sheet.col("kd_rup")).value);
    const [pkg] = await query<{ id: string; name: string; pagu: string }>("select id, name, pagu::text as pagu from proc_package where kode_rup = $1", [kode]);
    expect(pkg).toBeTruthy();
    const before = await query("select id, version, name, pagu::text, updated_at from proc_package order by id");
    const eventsBefore = (await query<{ n: number }>("select count(*)::int as n from procurement_event"))[0].n;

    // Mistakes: a date that does not exist, and a new pagu for an announced package.
    const bad = new ExcelJS.Workbook();
    await bad.xlsx.load(readFileSync(original) as unknown as ExcelJS.Buffer);
    const b = paketSheet(bad);
    b.ws.getRow(2).getCell(b.col("tgl_awal_pelaksanaan")).value = "31/02/2027";
    b.ws.getRow(2).getCell(b.col("pagu")).value = Number(pkg.pagu) + 1000;
    const badFile = path.join(dir, "rup-salah.xlsx");
    writeFileSync(badFile, Buffer.from(await bad.xlsx.writeBuffer()));
    await upload(badFile);
    await section.getByTestId("import-errors").waitFor({ timeout: 20_000 });
    const errors = section.getByTestId("import-errors").locator("tbody tr");
    await expect(errors.count()).resolves.toBe(2);
    const rows = await errors.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")));
    expect(rows).toEqual(
      expect.arrayContaining([
        ["2", `Paket!${b.letter("pagu")} (pagu)`, expect.stringContaining(`Paket ${kode} sudah diumumkan`)],
        ["2", `Paket!${b.letter("tgl_awal_pelaksanaan")} (tgl_awal_pelaksanaan)`, expect.stringContaining("31/02/2027")],
      ]),
    );
    await expect(section.getByText("2 kesalahan", { exact: false }).count()).resolves.toBeGreaterThan(0);
    // Nothing was saved.
    expect(await query("select id, version, name, pagu::text, updated_at from proc_package order by id")).toEqual(before);
    expect((await query<{ n: number }>("select count(*)::int as n from procurement_event"))[0].n).toBe(eventsBefore);

    // The corrected file: the original with the package's new name and a later end of works.
    const good = new ExcelJS.Workbook();
    await good.xlsx.load(readFileSync(original) as unknown as ExcelJS.Buffer);
    const g = paketSheet(good);
    const newName = `${pkg.name} (revisi RUP)`;
    g.ws.getRow(2).getCell(g.col("nama_paket")).value = newName;
    g.ws.getRow(2).getCell(g.col("tgl_akhir_pelaksanaan")).value = "2027-12-15";
    const goodFile = path.join(dir, "rup-benar.xlsx");
    writeFileSync(goodFile, Buffer.from(await good.xlsx.writeBuffer()));
    await upload(goodFile);
    await section.getByText(/RUP 2027 diimpor: \d+ paket dibaca — 0 baru, 1 diperbarui/).waitFor({ timeout: 20_000 });
    await expect(section.getByTestId("import-errors").count()).resolves.toBe(0);

    // The package page shows the change; the change is published as a RUP amendment.
    await page.goto(`/procure/paket/${pkg.id}`);
    await expect(page.getByTestId("workspace-title").textContent()).resolves.toBe(newName);
    await expect(page.getByText("2027-12-15").count()).resolves.toBeGreaterThan(0);
    const [amended] = await query<{ type: string; changes: Record<string, { before: unknown; after: unknown }> }>(
      "select type, payload->'changes' as changes from procurement_event where package_id = $1 order by id desc limit 1",
      [pkg.id],
    );
    expect(amended.type).toBe("PackageAmended");
    expect(amended.changes.name).toEqual({ before: pkg.name, after: newName });
    expect(Object.keys(amended.changes).sort()).toEqual(["executionEnd", "name"]);
  });
});
