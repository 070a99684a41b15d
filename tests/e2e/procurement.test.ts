import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { loginAs } from "../support/login";
import { formatRupiah } from "../../app/format";

// Issue #7's journey on the demo ("full" template): Dinas PU's road sub-activity 1.03.10.2.01.0033 (which took up
// Musrenbang road proposals of Desa Ngunut and Kec. Dander) still has its largest road line unpackaged. The PPK
// packages it (a construction tender), the Pokja runs the tender, CV Maju Bersama (`penyedia`) and PT Karya
// Bengawan Solo (`penyedia2`) bid from phones, the loser's sanggah is answered, the PPK signs the contract and a
// citizen finds it from a proposal's public timeline. The server's clock is moved through the bid deadline, the
// sanggah period and the construction banding period with JEJAK_CLOCK_FILE (app/clock.server.ts).
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
const ROAD_SUB = "1.03.10.2.01.0033";
const PACKAGE = "Rekonstruksi Jalan Ngunut Tahap II (uji e2e)";
const WINNER = "CV Maju Bersama";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIB = 7 * HOUR;

let server: RunningServer;
let browser: Browser;
let clockDir: string;
let clockFile: string;
let offset = 0;
/** Moves the server's clock: from now on it runs `ms` ahead of the real one. */
const shiftClock = (ms: number) => {
  offset = ms;
  writeFileSync(clockFile, String(ms));
};
/** The server's "now" in WIB, as a datetime-local value (minutes) and as a date. */
const wibLocal = (ms: number) => new Date(ms + WIB).toISOString().slice(0, 16);
const wibDate = (ms: number) => new Date(ms + WIB).toISOString().slice(0, 10);
const serverNow = () => Date.now() + offset;
/** A whole number of rupiah as people type it: "742.500.000". */
const typed = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
/** "Rp815.432.100,00" → 815432100 (whole rupiah). */
const rupiahOf = (text: string) => Number(text.replace(/[^\d,]/g, "").split(",")[0]);

const story: {
  packageId?: string;
  tenderId?: string;
  hps?: number;
  prices?: Record<string, number>;
  proposalId?: string;
} = {};

beforeAll(async () => {
  clockDir = mkdtempSync(path.join(os.tmpdir(), "jejak-clock-"));
  clockFile = path.join(clockDir, "offset");
  writeFileSync(clockFile, "0");
  // startServer runs the built server as production (NODE_ENV=production), where server.ts does not say
  // JEJAK_NON_PRODUCTION: the test says it, so that the clock may move and bids are sealed with the development key.
  server = await startServer({
    env: { JEJAK_CLOCK_FILE: clockFile, JEJAK_NON_PRODUCTION: "1" },
  });
  browser = await launchBrowser();
  // A proposal behind the road sub-activity's DPA lines: the citizen starts from its public page.
  const db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `select p.id from budget_line b join sub_activity s on s.id = b.sub_activity_id
         join sub_activity_proposal x on x.sub_activity_id = s.id join proposal p on p.id = x.proposal_id
        where s.sub_kegiatan_code = $1 and s.fiscal_year = $2 order by p.code limit 1`,
      [ROAD_SUB, YEAR],
    );
    story.proposalId = rows[0]?.id;
  } finally {
    await db.end();
  }
  expect(story.proposalId).toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (clockDir) rmSync(clockDir, { recursive: true, force: true });
});

async function switchTo(page: Page, username: string) {
  await page.context().clearCookies();
  await loginAs(page, username);
}

/** Clicks a submit button and waits for the page to settle (Remix forms post, then revalidate). */
async function press(scope: Page | ReturnType<Page["locator"]>, name: string | RegExp, page: Page) {
  await scope.getByRole("button", { name }).click();
  await page.waitForLoadState("networkidle");
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("e-Procurement: from a DPA line to a signed contract a citizen can find", () => {
  let desk: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    desk = await desktopContext(browser, server.baseUrl);
    page = await desk.newPage();
  });
  afterAll(async () => desk?.close());

  it("the PPK plans a package on the road sub-activity's largest unpackaged line, announces it and hands it to the UKPBJ", async () => {
    await loginAs(page, "ppk.pu");
    await page.goto(`/procure?opd=${encodeURIComponent(PU)}&tahun=${YEAR}`);
    // The road sub-activity's line that no package takes yet, the largest of them.
    const rows = page.getByTestId("procurable-lines").locator("tbody tr", { hasText: ROAD_SUB });
    let best = { i: -1, left: 0 };
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator("td");
      const committed = rupiahOf((await cells.nth(2).textContent()) ?? "");
      const left = rupiahOf((await cells.nth(3).textContent()) ?? "");
      if (committed === 0 && left > best.left) best = { i, left };
    }
    expect(best.left).toBeGreaterThan(400_000_000); // a construction tender
    const row = rows.nth(best.i);
    const today = serverNow();
    const plan = page.getByTestId("plan-package");
    await row.locator("input").fill(String(best.left));
    await plan.getByLabel("Nama paket").fill(PACKAGE);
    await plan.getByLabel("Uraian pekerjaan").fill("Rekonstruksi perkerasan jalan desa dengan lapis aspal beton, usulan Musrenbang Desa Ngunut.");
    await plan.getByLabel("Volume pekerjaan").fill("1 paket (± 600 m)");
    expect(await plan.getByLabel("Jenis pengadaan").inputValue()).toBe("konstruksi");
    expect(await plan.getByLabel("Metode pemilihan").inputValue()).toBe("tender");
    await plan.getByLabel("Lokasi 1: kode desa/kecamatan").fill("35.22.06.2001");
    await plan.getByLabel("Keterangan lokasi (jalan, dusun)").first().fill("Ruas Ngunut–Sumberarum");
    await plan.getByLabel("Pemilihan mulai").fill(wibDate(today));
    await plan.getByLabel("Pemilihan selesai").fill(wibDate(today + 30 * DAY));
    await plan.getByLabel("Pelaksanaan mulai").fill(wibDate(today + 31 * DAY));
    await plan.getByLabel("Pelaksanaan selesai").fill(wibDate(today + 180 * DAY));
    await plan.getByRole("button", { name: "Simpan sebagai draf" }).click();
    await page.waitForURL(/\/procure\/paket\/[0-9a-f-]{36}$/);
    story.packageId = page.url().split("/").pop()!;
    expect(await page.getByTestId("package-status").textContent()).toBe("Draf");
    expect(await page.getByTestId("package-lines").textContent()).toContain(formatRupiah(String(best.left)));

    await press(page, "Umumkan di RUP", page);
    await expect.poll(() => page.getByTestId("package-status").textContent()).toBe("Diumumkan di RUP");
    expect(await page.getByTestId("kode-rup").textContent()).toMatch(/^\d+$/);

    // The tender: HPS 98% of the pagu (whole thousands), lowest price, bids close two hours from now (WIB).
    story.hps = Math.floor((best.left * 0.98) / 1000) * 1000;
    const deadline = Math.ceil((serverNow() + 2 * HOUR) / 60_000) * 60_000;
    const form = page.getByTestId("create-tender");
    await form.getByLabel("Harga perkiraan sendiri (HPS), Rp").fill(String(story.hps));
    expect(await form.getByLabel("Metode evaluasi").inputValue()).toBe("harga_terendah");
    await form.getByLabel("Persyaratan kualifikasi dan teknis").fill("SBU SI001 jalan raya; pengalaman pekerjaan jalan dalam 4 tahun terakhir.");
    await form.getByLabel("Dokumen 1", { exact: true }).fill("Dokumen Pemilihan Tender Pekerjaan Konstruksi");
    const stage = (s: string, from: number, to: number) =>
      Promise.all([form.locator(`[name="schedule.${s}.startsAt"]`).fill(wibLocal(from)), form.locator(`[name="schedule.${s}.endsAt"]`).fill(wibLocal(to))]);
    const start = Math.floor(serverNow() / 60_000) * 60_000;
    await stage("pengumuman", start, deadline);
    await stage("upload_penawaran", start, deadline);
    await stage("pembukaan", deadline + 5 * 60_000, deadline + HOUR);
    await stage("evaluasi", deadline + HOUR, deadline + 4 * HOUR);
    await stage("pengumuman_pemenang", deadline + 4 * HOUR, deadline + 5 * HOUR);
    await stage("sanggah", deadline + 5 * HOUR, deadline + 5 * HOUR + 5 * DAY);
    await stage("sppbj", deadline + 6 * DAY, deadline + 7 * DAY);
    await press(form, "Buat pemilihan", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("Draf");
    story.tenderId = (await page.getByTestId("tender-link").getAttribute("href"))!.split("/").pop();
  });

  it("the Pokja takes the tender, names a second member and announces it", async () => {
    await switchTo(page, "pokja");
    await page.goto("/procure/pokja");
    await press(page.getByTestId(`draft-${story.tenderId}`), "Tangani", page);
    await page.waitForURL((u) => u.pathname === `/procure/tender/${story.tenderId}`);
    const pokja = page.getByTestId("pokja");
    await pokja.locator("label", { hasText: "(pokja2)" }).locator("input").check();
    await press(pokja, "Simpan anggota Pokja", page);
    await expect.poll(() => pokja.locator("li").count()).toBe(2);
    await press(pokja, "Umumkan tender", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("Pengumuman dan pemasukan penawaran");
    await press(pokja, "Tanda tangani pakta integritas", page);
    // Until the opening only the number of bids is known.
    expect(await page.getByTestId("bid-count").textContent()).toBe("0");
  });

  it("two contractors bid from phones, without horizontal scrolling", async () => {
    story.prices = {
      penyedia: Math.floor((story.hps! * 0.93) / 1000) * 1000,
      penyedia2: Math.floor((story.hps! * 0.955) / 1000) * 1000,
    };
    for (const username of ["penyedia", "penyedia2"] as const) {
      const ctx = await phoneContext(browser, server.baseUrl);
      const phone = await ctx.newPage();
      await loginAs(phone, username);
      await phone.goto("/vendor");
      await phone.getByTestId("open-tenders").getByRole("link", { name: PACKAGE }).click();
      await phone.waitForURL((u) => u.pathname === `/vendor/tender/${story.tenderId}`);
      expect(await noHorizontalScroll(phone)).toBeLessThanOrEqual(0);
      await phone.getByLabel("Harga penawaran (Rp)").fill(typed(story.prices[username]));
      await phone.getByLabel("Catatan (tidak wajib)").fill("Masa pelaksanaan 150 hari kalender; peralatan milik sendiri.");
      await phone.getByLabel(/^Dokumen penawaran/).setInputFiles({
        name: "penawaran.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n% penawaran uji\n"),
      });
      await press(phone, "Kirim penawaran", phone);
      await expect.poll(() => phone.locator(".notice").first().textContent()).toContain("Penawaran Anda tersegel dan tersimpan.");
      expect(await phone.getByTestId("my-bid").textContent()).toContain("SHA-256");
      expect(await noHorizontalScroll(phone)).toBeLessThanOrEqual(0);
      await ctx.close();
    }
    // The Pokja sees two bids, still sealed.
    await page.goto(`/procure/tender/${story.tenderId}`);
    expect(await page.getByTestId("bid-count").textContent()).toBe("2");
    expect(await page.getByTestId("bids-sealed").count()).toBe(1);
    expect(await page.getByTestId("bid-results").count()).toBe(0);
    expect(await page.getByTestId("bids").textContent()).toContain("Penawaran baru dapat dibuka setelah batas akhir pemasukan");
    expect(await page.getByRole("button", { name: "Buka penawaran" }).count()).toBe(0);
  });

  it("after the deadline the Pokja opens, evaluates, ranks and announces the winner", async () => {
    shiftClock(2 * HOUR + 15 * 60_000);
    // The second member signs the pakta integritas.
    await switchTo(page, "pokja2");
    await page.goto(`/procure/tender/${story.tenderId}`);
    await press(page.getByTestId("pokja"), "Tanda tangani pakta integritas", page);
    await switchTo(page, "pokja");
    await page.goto(`/procure/tender/${story.tenderId}`);
    await press(page.getByTestId("bids"), "Buka penawaran", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("Penawaran dibuka, evaluasi");
    const results = page.getByTestId("bid-results");
    expect(await results.textContent()).toContain(formatRupiah(String(story.prices!.penyedia)));
    expect(await results.textContent()).toContain(formatRupiah(String(story.prices!.penyedia2)));
    // Each bid passes every stage as entered.
    const panels = page.locator('[data-testid^="evaluate-"]');
    expect(await panels.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const open = page.locator('details[open][data-testid^="evaluate-"]');
      const before = await open.count();
      await press(open.first(), "Simpan hasil evaluasi", page);
      await expect.poll(() => open.count()).toBe(before - 1);
    }
    await press(page.getByTestId("bids"), "Selesaikan evaluasi dan susun peringkat", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("Evaluasi selesai");
    await press(page.getByTestId("bids"), "Umumkan pemenang", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("Pemenang diumumkan (masa sanggah)");
    expect(await page.getByTestId("winner").textContent()).toContain(WINNER);
    expect(await page.getByTestId("winner").textContent()).toContain(formatRupiah(String(story.prices!.penyedia)));
  });

  it("the losing bidder files a sanggah from a phone and the Pokja answers it (not upheld)", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const phone = await ctx.newPage();
    await loginAs(phone, "penyedia2");
    await phone.goto(`/vendor/tender/${story.tenderId}`);
    const text = phone.getByLabel("Uraian sanggahan");
    await text.fill("Kami keberatan: harga pemenang terlalu rendah untuk spesifikasi lapis AC-WC dan perlu klarifikasi kewajaran harga.");
    await press(phone.locator("form", { has: text }), "Kirim", phone);
    await expect.poll(() => phone.locator(".notice").first().textContent()).toContain("Sanggahan Anda terkirim.");
    expect(await noHorizontalScroll(phone)).toBeLessThanOrEqual(0);
    await ctx.close();

    await page.goto(`/procure/tender/${story.tenderId}`);
    const sanggah = page.getByTestId("sanggah");
    expect(await sanggah.textContent()).toContain("PT Karya Bengawan Solo");
    await sanggah.getByLabel("Jawaban").fill("Harga pemenang telah diklarifikasi dan dinilai wajar; analisa harga satuan sesuai spesifikasi. Sanggahan tidak diterima.");
    expect(await sanggah.getByLabel("Sanggahan diterima (benar)").isChecked()).toBe(false);
    await press(sanggah, "Kirim jawaban", page);
    await expect.poll(() => sanggah.textContent()).toContain("Ditolak:");
  });

  it("after the sanggah and banding periods the PPK issues the SPPBJ and signs the contract", async () => {
    await switchTo(page, "ppk.pu");
    await page.goto(`/procure/paket/${story.packageId}`);
    expect(await page.getByTestId("sppbj").textContent()).toContain("SPPBJ baru dapat diterbitkan sesudahnya");
    // Five days of sanggah from the winner's announcement, five of banding from the answer: six days on.
    shiftClock(2 * HOUR + 15 * 60_000 + 6 * DAY);
    const today = wibDate(serverNow());
    await page.reload();
    expect(await page.getByTestId("sppbj").textContent()).not.toContain("SPPBJ baru dapat diterbitkan sesudahnya");
    const sppbj = page.getByTestId("sppbj");
    await sppbj.getByLabel("Nomor SPPBJ").fill("027/SPPBJ/412.202/2027");
    await sppbj.getByLabel("Tanggal SPPBJ").fill(today);
    await press(sppbj, "Terbitkan SPPBJ", page);
    await expect.poll(() => page.getByTestId("tender-status").textContent()).toBe("SPPBJ diterbitkan");
    const sign = page.getByTestId("sign-contract");
    const value = story.prices!.penyedia;
    expect(await sign.getByLabel("Nilai kontrak").inputValue()).toMatch(new RegExp(`^${value}(\\.00)?$`));
    await sign.getByLabel("Nomor kontrak").fill("027/KONTRAK/PU-BM/2027");
    await sign.getByLabel("Tanggal kontrak").fill(today);
    const terms = [
      ["Uang muka", "0", Math.round(value * 0.2)],
      ["Termin I (prestasi 50%)", "50", Math.round(value * 0.4)],
    ] as const;
    const last = value - terms.reduce((s, t) => s + t[2], 0);
    for (const [i, [description, progress, amount]] of [...terms, ["Termin II (prestasi 100%)", "100", last] as const].entries()) {
      await sign.locator(`[name="terms.${i}.description"]`).fill(description);
      await sign.locator(`[name="terms.${i}.progressPercent"]`).fill(progress);
      await sign.locator(`[name="terms.${i}.amount"]`).fill(String(amount));
    }
    await press(sign, "Tanda tangani kontrak", page);
    await expect.poll(() => page.getByTestId("contract-status").textContent()).toBe("Kontrak berjalan");
    expect(await page.getByTestId("tender-status").textContent()).toBe("Berkontrak");
  });

  it("a citizen finds the contract from the village proposal's public timeline", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const citizen = await ctx.newPage();
    await citizen.goto(`/usulan/${story.proposalId}`);
    const step = citizen.locator('li[data-action="contract"]', {
      has: citizen.locator(`a[href="/pengadaan/${story.packageId}"]`),
    });
    expect(await step.count()).toBe(1);
    expect(await step.textContent()).toContain(`Dikontrakkan kepada ${WINNER} senilai ${formatRupiah(String(story.prices!.penyedia))}`);
    expect(
      await citizen
        .locator('li[data-action="tender"]', {
          has: citizen.locator(`a[href="/pengadaan/${story.packageId}"]`),
        })
        .count(),
    ).toBe(1);
    await step.getByRole("link").click();
    await citizen.waitForURL((u) => u.pathname === `/pengadaan/${story.packageId}`);
    // The link may be followed by client-side navigation: the URL changes before the new page renders.
    await expect.poll(() => citizen.locator("h1").textContent()).toBe(PACKAGE);
    expect(await citizen.getByTestId("contract-vendor").textContent()).toBe(WINNER);
    expect(await citizen.getByTestId("contract-value").textContent()).toContain(formatRupiah(String(story.prices!.penyedia)));
    expect(await citizen.getByTestId("proposals").locator(`a[href="/usulan/${story.proposalId}"]`).count()).toBe(1);
    expect(await noHorizontalScroll(citizen)).toBeLessThanOrEqual(0);
    await ctx.close();
  });
});
