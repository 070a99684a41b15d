import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { desktopContext, launchBrowser, phoneContext } from "../support/browser";
import { DEMO_PASSWORD, DEMO_USERS } from "../../imports/demo/bojonegoro";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

const WORKSPACE: Record<string, { path: RegExp; title: RegExp }> = {
  admin: { path: /\/admin$/, title: /Pengguna dan peran/ },
  bappeda_planner: { path: /\/plan$/, title: /Ruang kerja Bappeda/ },
  opd_officer: { path: /\/plan\/opd\/1\.03\.0\.00\.0\.00\.01\.0000$/, title: /Dinas Pekerjaan Umum Bina Marga/ },
  tapd_member: { path: /\/budget$/, title: /Ruang kerja TAPD/ },
  desa_facilitator: { path: /\/forum\/desa\/35\.22\.06\.2001$/, title: /Forum Musrenbang Desa Ngunut/ },
  kecamatan_facilitator: { path: /\/forum\/kecamatan\/35\.22\.06$/, title: /Forum Musrenbang Kecamatan Dander/ },
  procurement_officer: { path: /\/procure\?opd=/, title: /Ruang kerja pengadaan/ },
  pokja_member: { path: /\/procure\/pokja$/, title: /Ruang kerja (pengadaan|Pokja)/ },
  contractor: { path: /\/vendor$/, title: /Ruang kerja penyedia/ },
  monev_officer: { path: /\/monev$/, title: /monitoring dan evaluasi/ },
  auditor: { path: /\/audit$/, title: /Jejak audit/ },
  citizen: { path: /\/warga$/, title: /Ruang warga/ },
};

describe("foundation journeys in a real browser", () => {
  it("the public home renders on a phone: tenant, six stages, no horizontal scroll", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    const res = await page.goto("/");
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.locator("h1").textContent()).toContain("Kabupaten Bojonegoro");
    expect(await page.locator("li.stage").count()).toBe(6);
    expect(await page.getByTestId("region-facts").textContent()).toContain("28 kecamatan · 430 desa/kelurahan");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: ".cache/e2e-home-phone.png", fullPage: true });
    await ctx.close();
  });

  it.each(DEMO_USERS.map((u) => [u.role, u.username] as const))("a %s (%s) logs in and lands on their workspace", async (role, username) => {
    const ctx = await desktopContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    await login(page, username);
    await page.waitForURL(WORKSPACE[role].path);
    await expect.poll(() => page.getByTestId("workspace-title").textContent()).toMatch(WORKSPACE[role].title);
    await ctx.close();
  });

  it("a desa facilitator opening another desa's page gets the 403 page, never its data", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    await login(page, "fasil.desa");
    await page.waitForURL(/\/forum\/desa\/35\.22\.06\.2001$/);
    const res = await page.goto("/forum/desa/35.22.06.2002");
    expect(res?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toContain("Akses ditolak");
    expect(await page.content()).not.toContain("Dander</");
    await ctx.close();
  });

  it("a wrong password shows a clear message; switching to English translates the page", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    await login(page, "bappeda", "bukan-sandinya-1");
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Nama pengguna atau kata sandi salah.");
    await page.getByRole("link", { name: "English" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Sign in to Jejak");
    await ctx.close();
  });

  it("an admin gives a new person a desa role with the region picker, and that person can sign in", async () => {
    const ctx = await desktopContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    await login(page, "admin");
    await page.waitForURL(/\/admin$/);
    await page.getByRole("link", { name: "Pengguna baru" }).click();
    await page.getByLabel("Nama pengguna").fill("fasil.growok");
    await page.getByLabel("Nama lengkap").fill("Fasilitator Growok");
    await page.getByLabel("Kata sandi awal").fill("sandi-growok-2026");
    await page.getByLabel("Peran").selectOption("desa_facilitator");
    await page.getByPlaceholder("Ketik nama desa atau kecamatan…").fill("growok");
    await page.getByRole("button", { name: /Growok/ }).click();
    await page.getByRole("button", { name: "Buat pengguna" }).click();
    await expect.poll(() => page.locator(".notice--ok").first().textContent()).toContain("Pengguna dibuat.");
    await page.getByRole("button", { name: /Keluar/ }).click();
    await page.waitForURL(/\/login\?out=1$/);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Anda telah keluar.");
    await login(page, "fasil.growok", "sandi-growok-2026");
    await page.waitForURL(/\/forum\/desa\/35\.22\.06\.2003$/);
    await ctx.close();
  });
});
