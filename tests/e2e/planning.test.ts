import type { Browser } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { loginAs } from "../support/login";
import { createOrm } from "../../domain/persistence";
import { Actor } from "../../domain/identity/actor";
import { systemClock } from "../../domain/kernel/clock";
import { importNomenclatureFile } from "../../imports/nomenclature/list";
import { setPlanCeiling } from "../../domain/planning";

const YEAR = 2027; // the demo's Musrenbang cycle whose adopted proposals wait for a sub-activity
const PU = "1.03.0.00.0.00.01.0000";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Bappeda has loaded the year's nomenclature and set Dinas PU's indicative ceiling.
  const orm = await createOrm(server.dbUrl);
  const em = orm.em.fork();
  em.setFilterParams("tenant", { tenant: "35.22" });
  const bappeda = new Actor("35.22", null, "bappeda", "Bappeda", [{ role: "bappeda_planner", scope: { kind: "tenant", code: "35.22" } }]);
  const list = [
    "kode,nama,kinerja,indikator,satuan",
    "1,URUSAN WAJIB PELAYANAN DASAR,,,",
    "1.03,PEKERJAAN UMUM DAN PENATAAN RUANG,,,",
    "1.03.10,PROGRAM PENYELENGGARAAN JALAN (uji),,,",
    "1.03.10.2.01,Penyelenggaraan Jalan Kabupaten/Kota (uji),,,",
    "1.03.10.2.01.0002,Rehabilitasi Jalan (uji),,Panjang jalan yang direhabilitasi,km",
  ].join("\n");
  const out = await importNomenclatureFile(em, bappeda, systemClock, { kind: "planning", decree: "Uji e2e", appliesFrom: YEAR }, new TextEncoder().encode(list), "uji.csv");
  expect(out.ok).toBe(true);
  await setPlanCeiling(orm.em.fork(), bappeda, systemClock, YEAR, PU, "5000000000");
  await orm.close(true);
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
    await login(page, "opd.pu");
    await page.goto(`/plan/opd/${PU}`);
    // The demo's 2027 Renja does not exist yet: Bappeda's ceiling is set, the OPD opens it.
    await page.goto(`/plan?tahun=${YEAR}`); // not Bappeda: refused
    expect(await page.locator("h1").textContent()).toContain("Akses ditolak");
    await page.goto(`/plan/opd/${PU}`);
    const res = await page.request.post(`/plan/opd/${PU}`, { form: { intent: "openRenja", year: String(YEAR), _csrf: await page.locator("form input[name=_csrf]").first().inputValue() } });
    expect(res.status()).toBe(200);
    await page.reload();
    await page.getByRole("link", { name: `Renja ${YEAR}` }).click();
    await page.getByLabel("Sub kegiatan", { exact: true }).fill("1.03.10.2.01.0002");
    await page.getByLabel("Indikator dan target").fill("4.2");
    await page.getByLabel("Lokasi").fill("35.22.06.2001, 35.22.06");
    await page.getByLabel("Pagu indikatif").fill("1750000000");
    const boxes = page.locator("input[name=proposals]");
    await expect.poll(() => boxes.count()).toBeGreaterThan(1);
    const chosen = [await boxes.nth(0).getAttribute("value"), await boxes.nth(1).getAttribute("value")];
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Simpan" }).click();
    await expect.poll(() => page.getByTestId("planned").textContent()).toBe("Rp1.750.000.000,00");
    await ctx.close();

    // A citizen opens one of the proposals and finds where it went.
    const citizen = await phoneContext(browser, server.baseUrl);
    const cp = await citizen.newPage();
    await cp.goto(`/usulan/${chosen[0]}`);
    const last = cp.locator(".timeline__item").last();
    expect(await last.getAttribute("data-action")).toBe("plan");
    expect(await last.textContent()).toContain("Rehabilitasi Jalan (uji)");
    await cp.goto(`/rkpd/${YEAR}?opd=${PU}`);
    expect(await cp.locator(`a[href="/usulan/${chosen[1]}"]`).count()).toBe(1);
    const xlsx = await cp.request.get(`/rkpd/${YEAR}.xlsx`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
    await citizen.close();
  });
});
