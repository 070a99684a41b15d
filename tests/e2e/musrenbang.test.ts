import { writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, phoneContext, desktopContext } from "../support/browser";
import { aJpeg } from "../support/images";
import { loginAs } from "../support/login";
import { createOrm } from "../../domain/persistence";
import { scheduleForum } from "../../domain/musrenbang";
import { Actor } from "../../domain/identity/actor";
import { systemClock } from "../../domain/kernel/clock";

let server: RunningServer;
let browser: Browser;
const YEAR = 2030;
const forumIds: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Bappeda has scheduled the three forums this journey passes through.
  const orm = await createOrm(server.dbUrl);
  const bappeda = new Actor("35.22", null, "bappeda", "Bappeda", [{ role: "bappeda_planner", scope: { kind: "tenant", code: "35.22" } }]);
  const window = { opensAt: new Date(Date.UTC(YEAR - 1, 0, 5)), closesAt: new Date(Date.UTC(YEAR - 1, 0, 25)) };
  for (const [level, scope] of [["kabupaten", "35.22"], ["kecamatan", "35.22.06"], ["desa", "35.22.06.2001"]] as const) {
    const em = orm.em.fork();
    em.setFilterParams("tenant", { tenant: "35.22" });
    forumIds[level] = await scheduleForum(em, bappeda, systemClock, { fiscalYear: YEAR, level, scope, ...window });
  }
  await orm.close(true);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const login = loginAs;

async function click(page: Page, name: string | RegExp) {
  await page.getByRole("button", { name }).first().click();
  await page.waitForLoadState("networkidle");
}

async function scoreAll(page: Page, value: string) {
  await expect.poll(() => page.getByTestId("score-form").count()).toBeGreaterThan(0);
  const n = await page.getByTestId("score-form").count();
  for (let i = 0; i < n; i++) {
    const form = page.getByTestId("score-form").nth(i);
    for (const input of await form.locator("input[type=number]").all()) await input.fill(value);
    await form.getByRole("button", { name: "Simpan nilai" }).click();
    await expect.poll(() => form.locator(".badge").count()).toBe(1);
  }
}

async function signMinutes(page: Page) {
  await page.getByLabel("Jumlah peserta").fill("40");
  await page.getByLabel("Peserta perempuan").fill("17");
  await page.getByLabel("Nama lengkap 1").fill("Siti Aminah");
  await page.getByLabel("Jabatan 1").fill("Fasilitator");
  await click(page, "Tandatangani berita acara dan tutup");
  await page.screenshot({ path: ".cache/e2e-after-close.png", fullPage: true });
  await expect.poll(() => page.locator(".badge").first().textContent()).toContain("Ditutup");
}

describe("e-Musrenbang from a village phone to the public tracker", () => {
  it("runs the whole path and a citizen reads the OPD's reason", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-photo-"));
    const photo = path.join(dir, "jalan-rusak.jpg");
    writeFileSync(photo, await aJpeg());

    // 1. The desa facilitator, on a phone, opens the forum and raises two proposals, one with a photo.
    const phone = await phoneContext(browser, server.baseUrl);
    const page = await phone.newPage();
    await login(page, "fasil.desa");
    await page.goto(`/forum/${forumIds.desa}`);
    await click(page, "Buka forum");
    for (const [title, withPhoto] of [["Pengaspalan jalan Dusun Krajan E2E", true], ["Sumur bor dusun Ngelo E2E", false]] as const) {
      await page.getByRole("link", { name: "Tambah usulan" }).click();
      await page.getByLabel("Judul usulan").fill(title);
      await page.getByLabel("Permasalahan").fill("Jalan tanah rusak parah saat musim hujan; anak sekolah dan hasil panen terhambat.");
      await page.getByLabel("Perangkat daerah tujuan").selectOption("1.03.0.00.0.00.01.0000");
      await page.getByLabel("Alamat / lokasi").fill("Dusun Krajan");
      await page.getByLabel("RT").fill("003");
      await page.getByLabel("RW").fill("001");
      await page.getByLabel("Volume").fill("350");
      await page.getByLabel("Satuan").fill("m");
      await page.getByLabel("Perkiraan biaya (Rp)").fill("187.500.000");
      await page.getByLabel("Penerima manfaat (jiwa)").fill("420");
      if (withPhoto) {
        await page.getByLabel(/Foto \(maks/).setInputFiles(photo);
        // The point is picked by tapping the map (tiles may not load here; the map still works).
        await page.getByTestId("map-picker").scrollIntoViewIfNeeded();
        await expect.poll(() => page.locator(".map-picker.leaflet-container").count()).toBe(1);
        await page.getByTestId("map-picker").click({ position: { x: 120, y: 100 } });
        await expect.poll(() => page.getByLabel("Lintang (latitude)").inputValue()).toMatch(/^-7\.\d{6}$/);
        expect(await page.getByLabel("Bujur (longitude)").inputValue()).toMatch(/^11[12]\.\d{6}$/);
      }
      await click(page, "Simpan");
      await page.waitForURL(new RegExp(`/forum/${forumIds.desa}$`));
      await expect.poll(() => page.getByTestId("flash").textContent()).toContain("Tersimpan");
    }
    await expect.poll(() => page.getByTestId("forum-proposals").locator("tbody tr").count()).toBe(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // 2. The forum scores and closes: both are within the quota and go on to the kecamatan.
    await click(page, "Mulai penilaian");
    await scoreAll(page, "4");
    await signMinutes(page);
    expect(await page.locator("text=Diteruskan ke kecamatan").count()).toBe(2);
    await phone.close();

    // 3. The kecamatan verifies, scores and closes: the proposals go to OPD review.
    const desk = await desktopContext(browser, server.baseUrl);
    const kp = await desk.newPage();
    await login(kp, "fasil.kecamatan");
    await kp.goto(`/forum/${forumIds.kecamatan}`);
    await click(kp, "Buka forum");
    for (const left of [1, 0]) {
      await click(kp, "Verifikasi");
      await expect.poll(() => kp.getByRole("button", { name: "Verifikasi" }).count()).toBe(left);
    }
    await click(kp, "Mulai penilaian");
    await scoreAll(kp, "5");
    await signMinutes(kp);
    await kp.getByRole("button", { name: /Keluar/ }).click();
    await kp.waitForURL(/login/);

    // 4. The OPD rejects the well with a reason the village can read.
    await login(kp, "opd.pu");
    const item = kp.locator("li[data-code]", { hasText: "Sumur bor dusun Ngelo E2E" });
    const rejectBox = item.locator("details").filter({ has: kp.locator("summary", { hasText: /^Tolak$/ }) });
    await rejectBox.locator("summary").click();
    await rejectBox.getByLabel("Alasan (dibaca warga desa)").fill("Sumur bor menjadi kewenangan Dinas PU Sumber Daya Air; diteruskan ke tahun depan.");
    await rejectBox.getByRole("button", { name: "Tolak" }).click();
    await expect.poll(() => kp.getByTestId("flash").textContent()).toContain("Tersimpan");
    await desk.close();

    // 5. A citizen, not logged in, finds the proposal and its reason in the public tracker.
    const citizen = await phoneContext(browser, server.baseUrl);
    const cp = await citizen.newPage();
    await cp.goto("/usulan?kecamatan=35.22.06");
    await cp.getByLabel("Kata kunci").fill("Sumur bor dusun Ngelo");
    await cp.getByRole("button", { name: "Cari" }).click();
    await cp.getByRole("link", { name: "Sumur bor dusun Ngelo E2E" }).click();
    await expect.poll(() => cp.getByTestId("reason").textContent()).toContain("kewenangan Dinas PU Sumber Daya Air");
    const steps = await cp.locator(".timeline__item").evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
    expect(steps).toEqual(["submit", "prioritise", "verify", "forward", "reject"]);
    // The other proposal shows its photo and its map point to the public.
    await cp.goto("/usulan?q=Pengaspalan+jalan+Dusun+Krajan+E2E");
    await cp.getByRole("link", { name: "Pengaspalan jalan Dusun Krajan E2E" }).click();
    expect(await cp.locator(".kv").textContent()).toMatch(/-7\.\d{6}, 11[12]\.\d{6}/);
    const img = cp.locator(".photos img").first();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
    await cp.screenshot({ path: ".cache/e2e-usulan-phone.png", fullPage: true });
    expect(await cp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await citizen.close();
  });
});
