import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { createOrm } from "../../domain/persistence";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext } from "../support/browser";
import { loginAs } from "../support/login";

/**
 * Over HTTP against the real server: the complaint form's daily limit per client address (a sender who drops
 * its cookies before every report is still one source), with and without TRUST_PROXY; the admin's screen
 * for complaint categories and holidays in the browser; the server's scheduled escalation.
 */

const REFUSED = "Terlalu banyak laporan dari alamat jaringan (IP) Anda hari ini (paling banyak 20).";

/** A report as a client without cookies sends it: a fresh visit to the form for its CSRF cookie, then the post. */
async function reportWithoutCookies(base: string, headers: Record<string, string> = {}) {
  const form = await fetch(`${base}/lapor?lat=-7.150000&lng=111.880000`, { headers });
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(csrf).toBeTruthy();
  const body = new FormData();
  const fields = { _csrf: csrf!, targetKind: "point", lat: "-7.150000", lng: "111.880000", category: "ringan", identity: "anonymous", text: "Lubang besar di tengah jalan desa, sudah dua pengendara motor jatuh minggu ini." };
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const res = await fetch(`${base}/lapor?index`, { method: "POST", body, headers: { cookie, ...headers } });
  const html = await res.text();
  return { status: res.status, html, accepted: html.includes('data-testid="lapor-done"'), held: html.includes("diperiksa petugas lebih dahulu") };
}

describe("the complaint form's limit per client address", () => {
  let server: RunningServer;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer({ env: { MICROCACHE_SECONDS: "0" } });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it("holds a cookieless sender's reports past 5 a day and refuses them past 20, whatever X-Forwarded-For says", async () => {
    const results = [];
    // Without TRUST_PROXY a client's X-Forwarded-For is ignored: a new one on every request changes nothing.
    for (let i = 0; i < 20; i++) results.push(await reportWithoutCookies(server.baseUrl, { "x-forwarded-for": `198.51.100.${i + 1}` }));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.map((r) => r.accepted)).toEqual(Array(20).fill(true));
    expect(results.map((r) => r.held)).toEqual([...Array(5).fill(false), ...Array(15).fill(true)]);
    const refused = await reportWithoutCookies(server.baseUrl, { "x-forwarded-for": "198.51.100.99" });
    expect(refused.status).toBe(409);
    expect(refused.accepted).toBe(false);
    expect(refused.html).toContain(REFUSED);
  });

  it("the admin changes a category's SLA and adds a local holiday from the admin home", async () => {
    browser = await launchBrowser();
    const ctx = await desktopContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await loginAs(page, "admin");
    await page.goto("/admin");
    await page.getByRole("link", { name: "Pengaduan" }).click();
    await page.waitForURL("**/admin/pengaduan");
    expect(await page.getByTestId("sla-note").textContent()).toContain("Batas waktu pengaduan yang sudah masuk tidak berubah.");

    const ringan = page.getByTestId("category-ringan");
    await ringan.getByLabel("Batas waktu (hari kerja)").fill("0");
    await ringan.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => page.getByTestId("category-ringan").textContent()).toContain("Batas waktu (SLA): bilangan bulat 1–365 hari kerja.");
    await page.getByTestId("category-ringan").getByLabel("Batas waktu (hari kerja)").fill("3");
    await page.getByTestId("category-ringan").getByLabel("Nama").fill("Ringan (daerah)");
    await page.getByTestId("category-ringan").getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => page.getByTestId("category-ringan").textContent()).toContain("Kategori tersimpan. Berlaku untuk pengaduan baru.");
    // The message comes with the action's answer, the row with the revalidated loader data just after it.
    await expect.poll(() => page.getByTestId("category-ringan").textContent()).toContain("Diubah dari bawaan nasional (Ringan, 2 hari kerja)");

    const add = page.getByTestId("holiday-new");
    await add.getByLabel("Tanggal").fill("2027-02-03");
    await add.getByLabel("Keterangan").fill("Hari Jadi Kabupaten (uji)");
    await add.getByRole("button", { name: "Tambah hari libur" }).click();
    await expect.poll(() => page.getByTestId("holiday-new").textContent()).toContain("Hari libur ditambahkan.");
    await page.goto("/admin/pengaduan?tahun=2027");
    expect(await page.getByTestId("holiday-2027-02-03").locator("input[name=name]").inputValue()).toBe("Hari Jadi Kabupaten (uji)");
    expect(await page.getByTestId("national-holidays").textContent()).toContain("Tahun Baru 2027 Masehi");

    // The citizen's form offers the category under the tenant's name, with the new SLA.
    await page.goto("/lapor");
    expect(await page.locator("#category option[value=ringan]").textContent()).toBe("Ringan (daerah) — dijawab dalam 3 hari kerja");
    expect(await page.locator("#category option[value=normatif]").textContent()).toBe("Normatif — dijawab dalam 5 hari kerja");
  });
});

describe("a server behind a trusted proxy (TRUST_PROXY=1), escalating every few seconds", () => {
  let server: RunningServer;
  let clockDir: string;
  let clockFile: string;
  beforeAll(async () => {
    clockDir = mkdtempSync(path.join(os.tmpdir(), "jejak-clock-"));
    clockFile = path.join(clockDir, "offset");
    writeFileSync(clockFile, "0");
    server = await startServer({
      env: { MICROCACHE_SECONDS: "0", TRUST_PROXY: "1", ESCALATION_MINUTES: "0.02", JEJAK_CLOCK_FILE: clockFile, JEJAK_NON_PRODUCTION: "1" },
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(clockDir, { recursive: true, force: true });
  });

  it("counts the address the proxy names, not the proxy's, nor what the client wrote before it", async () => {
    for (let i = 0; i < 20; i++) expect((await reportWithoutCookies(server.baseUrl, { "x-forwarded-for": "203.0.113.7" })).accepted).toBe(true);
    // A client that writes its own X-Forwarded-For in front of the proxy's entry is still 203.0.113.7.
    const spoofed = await reportWithoutCookies(server.baseUrl, { "x-forwarded-for": "192.0.2.1, 203.0.113.7" });
    expect(spoofed.status).toBe(409);
    expect(spoofed.html).toContain(REFUSED);
    // Another client behind the same proxy is not refused.
    const other = await reportWithoutCookies(server.baseUrl, { "x-forwarded-for": "203.0.113.8" });
    expect(other).toMatchObject({ status: 200, accepted: true, held: false });
  });

  it("escalates the overdue reports in the server process, on its schedule, as the system", async () => {
    const orm = await createOrm(server.dbUrl, { pool: { min: 0, max: 1 } });
    try {
      const levels = () => orm.em.fork().execute<{ n: number }[]>("select count(*)::int as n from complaint where escalation_level = 2");
      expect((await levels())[0].n).toBe(0);
      // A month later every report above ("ringan": 2 working days) is late by more than a further SLA.
      writeFileSync(clockFile, String(30 * 86_400_000));
      await expect.poll(async () => (await levels())[0].n, { timeout: 20_000, interval: 250 }).toBe(21);
      const [step] = await orm.em.fork().execute<{ actor_label: string }[]>("select actor_label from complaint_event where action = 'escalate' limit 1");
      expect(step.actor_label).toBe("Sistem");
    } finally {
      await orm.close(true);
    }
  });
});
