import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext } from "../support/browser";
import { loginAs } from "../support/login";

// The demo's KUA-PPAS 2027 is agreed and its APBD 2027 adopted (every RKA drafted by then approved and in it);
// Dinas PU Bina Marga has left its Rehabilitasi Jalan without an RKA.
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
const SUB = "1.03.10.2.01.0044";
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

const status = (page: Page) => page.getByTestId("rka-status").textContent();
const total = (page: Page) => page.getByTestId("rka-total").textContent();

/** Searches the standard price list on the RKA page and chooses the item with this code. */
async function choose(page: Page, q: string, code: string) {
  const add = page.getByTestId("add-line");
  await add.getByLabel("Cari komponen (nama atau kode)").fill(q);
  await add.getByRole("button", { name: "Saring" }).click();
  await add.getByTestId("price-hits").locator("li", { hasText: code }).getByRole("link", { name: "Pakai" }).click();
  await expect.poll(() => add.getByTestId("chosen-item").textContent()).toContain(code);
  return add;
}

async function switchTo(page: Page, username: string) {
  await page.context().clearCookies();
  await loginAs(page, username);
}

describe("e-Budgeting: an OPD drafts an RKA from the price list, TAPD returns it, then approves it", () => {
  it("drafts, submits, is returned with a note on a line, is fixed, verified and approved", async () => {
    const ctx = await desktopContext(browser, server.baseUrl);
    const page = await ctx.newPage();

    // Dinas PU opens the RKA of the sub-activity it has not budgeted yet.
    await loginAs(page, "opd.pu");
    await page.goto(`/budget/opd/${PU}?tahun=${YEAR}`);
    await page.getByTestId(`sub-${SUB}`).getByRole("button", { name: "Susun RKA" }).click();
    await page.waitForURL(/\/budget\/rka\/[0-9a-f-]{36}$/);
    const rkaUrl = new URL(page.url()).pathname;
    expect(await status(page)).toBe("Draf");

    // First line: patching from the HSPK, 2 lokasi × 150 m2, PPN 11%.
    let add = await choose(page, "penambalan", "HSPK.01.01.0013");
    await add.getByLabel("Kelompok (judul)").fill("Pekerjaan Pemeliharaan Perkerasan");
    await add.getByLabel("Volume 1").fill("2");
    await add.getByLabel("Satuan 1").fill("lokasi");
    await add.getByLabel("Volume 2").fill("150");
    await add.getByLabel("Satuan 2").fill("m2");
    await add.getByLabel("Pajak (%)").selectOption("11");
    await add.getByRole("button", { name: "Simpan" }).click();
    // 300 m2 × Rp192.500 × 1,11
    await expect.poll(() => total(page)).toBe("Rp64.102.500,00");

    // Second line: the mandor's wages (SSH), 1 orang × 20 hari, no tax.
    await page.goto(rkaUrl);
    add = await choose(page, "mandor", "SSH.02.01.0009");
    await add.getByLabel("Kelompok (judul)").fill("Pengawasan Lapangan");
    await add.getByLabel("Kode rekening").selectOption("5.1.02.03.04.0003");
    await add.getByLabel("Volume 1").fill("1");
    await add.getByLabel("Satuan 1").fill("orang");
    await add.getByLabel("Volume 2").fill("20");
    await add.getByLabel("Satuan 2").fill("hari");
    await add.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => total(page)).toBe("Rp67.202.500,00");
    expect(await page.getByTestId("line-2").textContent()).toContain("Mandor");
    await page.getByRole("button", { name: "Ajukan ke TAPD" }).click();
    await expect.poll(() => status(page)).toBe("Diajukan");

    // TAPD finds it in the queue (alone: the demo's last RKA, DPMD's, was approved for the APBD), notes the
    // first line and returns it.
    await switchTo(page, "tapd");
    await page.goto(`/budget?tahun=${YEAR}`);
    const queue = page.getByTestId("review-queue");
    expect(await queue.textContent()).toContain(SUB);
    expect(await queue.textContent()).not.toContain("2.13.05.2.01.0005");
    await queue.getByRole("link", { name: new RegExp(SUB.replace(/\./g, "\\.")) }).click();
    await page.waitForURL((u) => u.pathname === rkaUrl);
    // Reached by a client-side navigation from a scripted page, the editor (no scripts) reloads as a
    // document, so its rows are there and no script runs on it.
    await expect.poll(() => page.getByTestId("line-1").count()).toBe(1);
    expect(await page.locator("script[src]").count()).toBe(0);
    const review = page.getByTestId("review");
    await review.getByLabel("Uraian").selectOption({ index: 1 });
    await review.getByLabel("Catatan TAPD").fill("Luas tambalan belum sesuai hasil survei: tiga lokasi");
    await review.getByRole("button", { name: "Tambah catatan" }).click();
    await expect.poll(() => page.getByTestId("line-1").textContent()).toContain("tiga lokasi");
    await review.getByLabel("Kembalikan dengan catatan").fill("Sesuaikan volume penambalan dengan hasil survei lapangan.");
    await review.getByRole("button", { name: "Kembalikan dengan catatan" }).click();
    await expect.poll(() => status(page)).toBe("Dikembalikan");

    // Dinas PU sees why, edits the line (3 lokasi) and submits again.
    await switchTo(page, "opd.pu");
    await page.goto(rkaUrl);
    expect(await status(page)).toBe("Dikembalikan");
    expect(await page.locator(".notice--error").first().textContent()).toContain("Sesuaikan volume penambalan");
    expect(await page.getByTestId("line-1").textContent()).toContain("tiga lokasi");
    await page.getByTestId("line-1").getByRole("link", { name: "Ubah" }).click();
    await page.waitForURL((u) => u.searchParams.has("edit"));
    const edit = page.locator("form", { has: page.locator('input[name="intent"][value="update"]') });
    await edit.getByLabel("Volume 1").fill("3");
    await edit.getByRole("button", { name: "Simpan" }).click();
    // 450 m2 × Rp192.500 × 1,11 + Rp3.100.000
    await expect.poll(() => total(page)).toBe("Rp99.253.750,00");
    await page.getByRole("button", { name: "Ajukan ke TAPD" }).click();
    await expect.poll(() => status(page)).toBe("Diajukan");

    // TAPD verifies and approves it.
    await switchTo(page, "tapd");
    await page.goto(rkaUrl);
    await page.getByTestId("review").getByRole("button", { name: "Verifikasi" }).click();
    await expect.poll(() => status(page)).toBe("Diverifikasi TAPD");
    await page.getByTestId("review").getByRole("button", { name: "Setujui" }).click();
    await expect.poll(() => status(page)).toBe("Disetujui");
    await ctx.close();
  });
});
