import type { Browser } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { loginAs } from "../support/login";

const YEAR = 2027; // the demo's RKPD: Dinas PU's Renja is final (revised once), three of its proposals left out
const PU = "1.03.0.00.0.00.01.0000";
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

const login = loginAs;

describe("e-Planning: from accepted proposals to a sub-activity a citizen can see", () => {
  it("an OPD planner builds a sub-activity from two accepted proposals; the proposal's timeline shows it", async () => {
    const ctx = await desktopContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    // Bappeda opens a second revision of Dinas PU's final Renja, with the reason.
    await login(page, "bappeda");
    await page.goto(`/plan/opd/${PU}`);
    await page.getByRole("link", { name: `Renja ${YEAR}` }).click();
    await page.getByLabel("Alasan perubahan").fill("Perubahan RKPD: usulan jalan yang tertunda ditampung dengan DAK tambahan");
    await page.getByRole("button", { name: "Buka perubahan Renja" }).click();
    await expect.poll(() => page.getByTestId("renja-status").textContent()).toContain("Perubahan ke-2");
    await page.context().clearCookies();
    // The OPD planner takes two of the waiting proposals up in a new sub-activity.
    await login(page, "opd.pu");
    await page.goto(`/plan?tahun=${YEAR}`); // not Bappeda: refused
    expect(await page.locator("h1").textContent()).toContain("Akses ditolak");
    await page.goto(`/plan/opd/${PU}`);
    await page.getByRole("link", { name: `Renja ${YEAR}` }).click();
    const before = (await page.getByTestId("planned").textContent())!;
    const add = page.getByTestId("add-sub");
    await add.getByLabel("Sub kegiatan", { exact: true }).fill("1.03.10.2.01.0032");
    await add.getByLabel("Indikator dan target").fill("4.2");
    await add.getByLabel("Lokasi").fill("35.22.06.2001, 35.22.06");
    await add.getByLabel("Pagu indikatif").fill("1750000000");
    const boxes = page.locator("input[name=proposals]");
    await expect.poll(() => boxes.count()).toBeGreaterThan(1);
    const chosen = [await boxes.nth(0).getAttribute("value"), await boxes.nth(1).getAttribute("value")];
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await add.getByRole("button", { name: "Simpan" }).click();
    const rupiah = (t: string) => BigInt(t.replace(/[^\d]/g, ""));
    await expect.poll(async () => rupiah((await page.getByTestId("planned").textContent())!) - rupiah(before)).toBe(175000000000n);
    // The history compares the open revision with the first adoption: the new line is there.
    expect(await page.getByTestId("renja-diff").textContent()).toContain("1.03.10.2.01.0032");
    await ctx.close();

    // A citizen opens one of the proposals and finds where it went.
    const citizen = await phoneContext(browser, server.baseUrl);
    const cp = await citizen.newPage();
    await cp.goto(`/usulan/${chosen[0]}`);
    const last = cp.locator(".timeline__item").last();
    expect(await last.getAttribute("data-action")).toBe("plan");
    expect(await last.textContent()).toContain("Pembangunan Jalan");
    await cp.goto(`/rkpd/${YEAR}?opd=${PU}`);
    expect(await cp.locator(`a[href="/usulan/${chosen[1]}"]`).count()).toBe(1);
    const xlsx = await cp.request.get(`/rkpd/${YEAR}.xlsx`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
    await citizen.close();
  });
});
