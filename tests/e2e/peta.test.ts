import type { Browser, BrowserContext } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, phoneContext } from "../support/browser";

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The tile server is unreachable (a TEST-NET address): the page must still list everything.
  server = await startServer({ env: { MICROCACHE_SECONDS: "0", MAP_TILE_URL: "http://192.0.2.1:9/{z}/{x}/{y}.png" } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

describe("the public map on a phone", () => {
  it("lists its data without tiles, draws the points, and a marker's popup links to the proposal", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Peta" }).first().click();
    await page.waitForURL(/\/peta/);
    // The server-rendered list, there whatever the tiles do.
    const proposals = page.getByTestId("list-u");
    await expect.poll(() => proposals.locator("tbody tr").count()).toBeGreaterThan(3);
    const firstLink = proposals.locator("tbody tr th a").first();
    expect(await firstLink.getAttribute("href")).toMatch(/^\/usulan\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId("list-c").locator("tbody tr").count()).toBeGreaterThan(0);
    // The map loads its points from /api/peta although no tile ever arrives.
    await expect.poll(() => page.getByTestId("peta-map").getAttribute("data-state"), { timeout: 20_000 }).toBe("ready");
    // Zoom in through clusters until a single proposal marker (a circle) is inside the map's visible area,
    // then tap it (markers just outside the view are drawn too, for panning).
    await page.getByTestId("peta-map").scrollIntoViewIfNeeded();
    const mapBox = (await page.getByTestId("peta-map").boundingBox())!;
    const visibleProposal = async () => {
      for (const m of await page.locator(".peta-marker").filter({ has: page.locator("svg circle") }).all()) {
        const b = await m.boundingBox();
        if (b && b.x > mapBox.x + 10 && b.y > mapBox.y + 10 && b.x + b.width < mapBox.x + mapBox.width - 10 && b.y + b.height < mapBox.y + mapBox.height - 10) return b;
      }
      return null;
    };
    let box = await visibleProposal();
    for (let i = 0; i < 10 && !box; i++) {
      const cluster = (await page.locator(".peta-cluster").first().boundingBox())!;
      await page.mouse.click(cluster.x + cluster.width / 2, cluster.y + cluster.height / 2);
      await page.waitForTimeout(700);
      box = await visibleProposal();
    }
    expect(box).not.toBeNull();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const detail = page.getByTestId("popup-detail");
    await detail.waitFor();
    expect(await detail.getAttribute("href")).toMatch(/^\/usulan\/[^/]+$/);
    expect(await page.locator(".leaflet-popup a[href^='/lapor?lat=']").count()).toBe(1);
    const code = decodeURIComponent((await detail.getAttribute("href"))!.split("/").pop()!);
    // The map pans to show the popup (autoPan); a click during that animation can miss the moving link.
    await page.waitForTimeout(800);
    await Promise.all([page.waitForURL(/\/usulan\//), detail.click()]);
    expect(await page.locator("main").textContent()).toContain(code);
  });

  it("filters by kecamatan with a plain GET form", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto("/peta");
    const all = await page.getByTestId("list-u").locator("tbody tr").count();
    await page.locator("#kecamatan").selectOption("35.22.06");
    await page.getByRole("button", { name: "Tampilkan" }).click();
    await page.waitForURL(/kecamatan=35\.22\.06/);
    await expect.poll(() => page.getByTestId("list-u").locator("tbody tr").count()).toBeLessThan(all);
    expect(await page.getByTestId("list-u").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("#kecamatan").inputValue()).toBe("35.22.06");
  });
});

describe("the dashboard on a phone", () => {
  it("shows every chart with its table and fits the screen's width", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Dasbor" }).first().click();
    await page.waitForURL(/\/dasbor/);
    await page.getByTestId("absorption-chart-svg").waitFor();
    for (const id of ["absorption", "proposals"]) {
      expect(await page.getByTestId(`${id}-chart-svg`).count()).toBe(1);
      expect(await page.getByTestId(`${id}-table`).locator("tbody tr").count()).toBeGreaterThan(0);
    }
    expect(await page.getByTestId("critical-count").textContent()).toMatch(/^\d+$/);
    // Wide tables scroll inside their own box; the page itself does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  });
});
