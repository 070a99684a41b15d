import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import sharp from "sharp";
import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { loginAs } from "../support/login";
import { aJpeg } from "../support/images";

// Issue #9's journey on the demo ("full" template): the road contract of Dinas PU (PT Karya Bengawan Solo,
// 6 Jan – 30 Jun 2027). The PPK sets its schedule (the kurva S); a month later the contractor reports
// progress from a phone with a geotagged photo; the PPK sees the photo's position and verifies the report.
// The server's clock is moved with JEJAK_CLOCK_FILE (app/clock.server.ts).

let server: RunningServer;
let browser: Browser;
let clockDir: string;
let clockFile: string;
const road: { id?: string; packageId?: string; value?: string } = {};
/** Puts the server's clock at noon WIB of a day. */
const clockAt = (day: string) => writeFileSync(clockFile, String(new Date(`${day}T05:00:00Z`).getTime() - Date.now()));

beforeAll(async () => {
  clockDir = mkdtempSync(path.join(os.tmpdir(), "jejak-monev-clock-"));
  clockFile = path.join(clockDir, "offset");
  clockAt("2027-01-07");
  server = await startServer({ env: { JEJAK_CLOCK_FILE: clockFile, JEJAK_NON_PRODUCTION: "1" } });
  browser = await launchBrowser();
  const db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; package_id: string; value: string }>(
      "select c.id, c.package_id, c.value::text as value from contract c join proc_package p on p.id = c.package_id where p.name like 'Rekonstruksi Jalan%' and c.status = 'signed'",
    );
    Object.assign(road, { id: rows[0].id, packageId: rows[0].package_id, value: rows[0].value });
  } finally {
    await db.end();
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (clockDir) rmSync(clockDir, { recursive: true, force: true });
});

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("e-Monev: a contract's kurva S, a progress report from a phone, its verification", () => {
  it("the PPK opens the contract's monitoring from the package page and sets the schedule", async () => {
    const desk = await desktopContext(browser, server.baseUrl);
    const page = await desk.newPage();
    await loginAs(page, "ppk.pu");
    await page.goto(`/procure/paket/${road.packageId}`);
    await page.getByRole("link", { name: /Monev kontrak/ }).click();
    await page.waitForURL(`**/procure/kontrak/${road.id}`);
    const form = page.getByTestId("schedule");
    await form.getByLabel("Periode laporan").selectOption("monthly");
    // Five items whose values add up to the contract value: 5%, 25%, 40%, 25% and the rest.
    const total = BigInt(road.value!.replace(".", ""));
    const shares = [5n, 25n, 40n, 25n];
    const parts = shares.map((s) => (total * s) / 100n);
    parts.push(total - parts.reduce((a, b) => a + b, 0n));
    const rupiah = (sen: bigint) => `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;
    const spec: [string, string, number, number][] = [
      ["Umum", "Mobilisasi dan persiapan", 1, 1],
      ["Pekerjaan tanah", "Galian dan timbunan", 1, 2],
      ["Perkerasan berbutir", "Lapis pondasi agregat kelas A", 2, 4],
      ["Perkerasan aspal", "Laston lapis aus", 4, 5],
      ["Pekerjaan minor", "Marka dan rambu", 6, 6],
    ];
    for (const [i, [division, name, start, end]] of spec.entries()) {
      await form.locator(`input[name="items.${i}.division"]`).fill(division);
      await form.locator(`input[name="items.${i}.name"]`).fill(name);
      await form.locator(`input[name="items.${i}.value"]`).fill(rupiah(parts[i]));
      await form.locator(`input[name="items.${i}.plannedStart"]`).fill(String(start));
      await form.locator(`input[name="items.${i}.plannedEnd"]`).fill(String(end));
    }
    await form.getByLabel("Lintang lokasi").fill("-7.236");
    await form.getByLabel("Bujur lokasi").fill("111.84");
    await form.getByRole("button", { name: "Simpan jadwal" }).click();
    await page.waitForLoadState("networkidle");
    const curve = page.getByTestId("kurva-s-table");
    await expect.poll(async () => (await curve.locator("tbody tr").count())).toBe(6);
    expect(await curve.locator("tbody tr").nth(1).locator("td").nth(2).textContent()).toBe("43,33%");
    expect(await curve.locator("tbody tr").nth(5).locator("td").nth(2).textContent()).toBe("100,00%");
    await desk.close();
  });

  it("the contractor reports period 1 from a phone with a geotagged photo", async () => {
    clockAt("2027-02-06");
    const phone = await phoneContext(browser, server.baseUrl);
    const page = await phone.newPage();
    await loginAs(page, "penyedia2");
    await page.goto(`/vendor/kontrak/${road.id}`);
    const form = page.getByTestId("report-form");
    await form.getByLabel("Periode laporan").selectOption("1");
    await form.getByLabel(/Mobilisasi dan persiapan/).fill("100");
    await form.getByLabel(/Galian dan timbunan/).fill("50");
    await form.getByLabel("Permasalahan").fill("Hujan deras pada minggu ketiga.");
    await form.getByLabel("Tindakan yang diambil").fill("Menambah jam kerja.");
    const photo = await sharp(await aJpeg(320, 240, 9))
      .withExif({ IFD2: { DateTimeOriginal: "2027:02:05 10:00:00" }, IFD3: { GPSLatitudeRef: "S", GPSLatitude: "7/1 14/1 96/10", GPSLongitudeRef: "E", GPSLongitude: "111/1 50/1 240/10" } })
      .jpeg()
      .toBuffer();
    await form.getByLabel("Foto 0%").setInputFiles({ name: "IMG_20270205.jpg", mimeType: "image/jpeg", buffer: photo });
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
    await form.getByRole("button", { name: "Ajukan ke PPK" }).click();
    await page.waitForLoadState("networkidle");
    await expect.poll(async () => (await page.getByRole("status").allTextContents()).join(" ")).toContain("Laporan diajukan");
    expect(await page.getByTestId("reports").textContent()).toContain("17.50%");
    await phone.close();
  });

  it("the PPK sees the photo's position and verifies the report; the kurva S shows the actual progress", async () => {
    const desk = await desktopContext(browser, server.baseUrl);
    const page = await desk.newPage();
    await loginAs(page, "ppk.pu");
    await page.goto(`/procure/kontrak/${road.id}`);
    const report = page.getByTestId("report-1");
    expect(await report.textContent()).toContain("-7.236000, 111.840000");
    const img = report.locator("img").first();
    await expect.poll(async () => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await report.getByRole("button", { name: "Verifikasi laporan" }).click();
    await page.waitForLoadState("networkidle");
    await expect.poll(async () => page.getByTestId("kurva-s-table").locator("tbody tr").first().locator("td").nth(3).textContent()).toBe("17,50%");
    expect(await page.getByTestId("critical-badge").first().textContent()).toContain("Tidak kritis");
    await desk.close();
  });
});
