import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Browser } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext } from "../support/browser";
import { loginAs } from "../support/login";

// The supervising consultant (konsultan pengawas) of the demo's road contract, on the whole demo as
// `npm start` serves it (template "monev": week 1 verified by the PPK, week 2 waiting). The consultant
// finds week 2 in its work list and verifies it; the public contract page and the PPK's page say who
// verified each week; the PPK ends the assignment and assigns it again from the contract page.

let server: RunningServer;
let browser: Browser;
let clockDir: string;
let road = "";

beforeAll(async () => {
  clockDir = mkdtempSync(path.join(os.tmpdir(), "jejak-konsultan-clock-"));
  const clockFile = path.join(clockDir, "offset");
  writeFileSync(clockFile, String(new Date("2027-01-20T03:00:00Z").getTime() - Date.now()));
  server = await startServer({ template: "monev", env: { JEJAK_CLOCK_FILE: clockFile, JEJAK_NON_PRODUCTION: "1", MICROCACHE_SECONDS: "0" } });
  browser = await launchBrowser();
  const db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
  try {
    road = (await db.query<{ id: string }>("select contract_id as id from monev_plan")).rows[0].id;
  } finally {
    await db.end();
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (clockDir) rmSync(clockDir, { recursive: true, force: true });
});

describe("e-Monev: the konsultan pengawas verifies a progress report", () => {
  it("finds week 2 in its work list and verifies it; the public page says who verified each week", async () => {
    const desk = await desktopContext(browser, server.baseUrl);
    const page = await desk.newPage();
    await loginAs(page, "konsultan.pu");
    await page.goto("/kerja");
    await page.locator('[data-role="supervising_consultant"]').getByRole("link").click();
    await page.waitForURL("**/pengawasan");
    const waiting = page.getByTestId("waiting");
    expect(await waiting.locator("h2").textContent()).toBe("Laporan menunggu verifikasi (1)");
    await waiting.getByTestId(`waiting-${road}-2`).getByRole("link", { name: "Periksa" }).click();
    await page.waitForURL(`**/pengawasan/kontrak/${road}*`);
    const report = page.getByTestId("report-2");
    expect(await report.textContent()).toContain("Galian dan timbunan badan jalan: 12");
    await report.getByRole("button", { name: "Verifikasi laporan" }).click();
    await page.waitForLoadState("networkidle");
    await expect.poll(async () => (await page.getByRole("status").allTextContents()).join(" "), { timeout: 15_000 }).toContain("Laporan terverifikasi.");
    const rows = page.getByTestId("kurva-s-table").locator("tbody tr");
    expect(await rows.nth(0).getByTestId("verified-by").textContent()).toBe("Diverifikasi oleh Dwi Prasetyo (PPK Dinas PU) sebagai PPK");
    expect(await rows.nth(1).getByTestId("verified-by").textContent()).toBe("Diverifikasi oleh Ir. Fajar Nugroho (CV Cipta Rekayasa Konsultan) sebagai konsultan pengawas");
    expect(await page.getByTestId("none-waiting").textContent()).toBe("Tidak ada laporan yang menunggu verifikasi.");

    const citizen = await (await desktopContext(browser, server.baseUrl)).newPage();
    await citizen.goto(`/kontrak/${road}`);
    const reports = citizen.getByTestId("reports");
    expect(await reports.locator('li[data-period="2"]').getByTestId("verified-by").textContent()).toMatch(/^Diverifikasi 20 Januari 2027 oleh konsultan pengawas$/);
    expect(await reports.locator('li[data-period="1"]').getByTestId("verified-by").textContent()).toMatch(/oleh PPK$/);
    await desk.close();
  });

  it("the PPK sees who verified, ends the assignment and assigns the consultant again from the contract page", async () => {
    const desk = await desktopContext(browser, server.baseUrl);
    const page = await desk.newPage();
    await loginAs(page, "ppk.pu");
    await page.goto(`/procure/kontrak/${road}`);
    expect(await page.getByTestId("kurva-s-table").locator("tbody tr").nth(1).getByTestId("verified-by").textContent()).toContain("sebagai konsultan pengawas");
    const section = page.getByTestId("supervisors");
    const current = section.getByTestId("supervisor-konsultan.pu");
    expect(await current.textContent()).toContain("Ir. Fajar Nugroho (CV Cipta Rekayasa Konsultan)");
    await current.getByText("Akhiri penugasan").first().click();
    await current.getByLabel("Alasan mengakhiri penugasan").fill("singkat");
    await current.getByRole("button", { name: "Akhiri penugasan" }).click();
    await expect.poll(async () => (await section.locator(".field__error").allTextContents()).join(" "), { timeout: 15_000 }).toContain("sedikitnya 10 karakter");
    await section.getByLabel("Alasan mengakhiri penugasan").fill("Kontrak pengawasan diperpanjang dengan surat baru.");
    await section.getByRole("button", { name: "Akhiri penugasan" }).click();
    await expect.poll(async () => section.getByText("Belum ada konsultan pengawas yang ditugaskan").count(), { timeout: 15_000 }).toBe(1);
    expect(await section.textContent()).toContain("Kontrak pengawasan diperpanjang dengan surat baru.");

    await section.getByText("Tugaskan konsultan pengawas").first().click();
    await section.getByLabel("Nama pengguna akun konsultan").fill("penyedia2");
    await section.getByRole("button", { name: "Tugaskan konsultan pengawas" }).click();
    await expect.poll(async () => (await section.locator(".field__error").allTextContents()).join(" "), { timeout: 15_000 }).toContain("penyedia tidak dapat mengawasi pekerjaannya sendiri");
    await section.getByLabel("Nama pengguna akun konsultan").fill("konsultan.pu");
    await section.getByLabel(/Nomor surat penugasan/).fill("031/SPK-PENGAWASAN/2027");
    await section.getByRole("button", { name: "Tugaskan konsultan pengawas" }).click();
    await expect.poll(async () => (await section.getByTestId("supervisor-konsultan.pu").count()), { timeout: 15_000 }).toBe(1);
    expect(await section.getByTestId("supervisor-konsultan.pu").textContent()).toContain("surat 031/SPK-PENGAWASAN/2027");
    await desk.close();
  });
});
