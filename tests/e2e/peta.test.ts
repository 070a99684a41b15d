import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
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

/**
 * Zooms in through clusters (tapping one inside the map each time, then waiting for the new view's answer)
 * until a single proposal marker (a circle) is inside the map's visible area — markers just outside the
 * view are drawn too, for panning — and returns where it is.
 */
async function zoomToProposal(page: Page, viewports: string[]) {
  await page.getByTestId("peta-map").scrollIntoViewIfNeeded();
  const mapBox = (await page.getByTestId("peta-map").boundingBox())!;
  const inside = (b: { x: number; y: number; width: number; height: number } | null, m = 0) =>
    !!b && b.x > mapBox.x + m && b.y > mapBox.y + m && b.x + b.width < mapBox.x + mapBox.width - m && b.y + b.height < mapBox.y + mapBox.height - m;
  const visibleProposal = async () => {
    for (const m of await page.locator(".peta-marker").filter({ has: page.locator("svg circle") }).all()) {
      const b = await m.boundingBox();
      if (inside(b, 10)) return b!;
    }
    return null;
  };
  const settled = () => expect.poll(() => page.getByTestId("peta-map").getAttribute("data-busy"), { timeout: 10_000 }).toBe("0");
  await settled();
  let box = await visibleProposal();
  for (let i = 0; i < 10 && !box; i++) {
    // A cluster that holds proposals (its counts per kind are on it).
    let cluster = null;
    for (const c of await page.locator(".peta-cluster").all()) if (Number(await c.locator("span").getAttribute("data-u")) > 0 && inside((cluster = await c.boundingBox()))) break;
    const asked = viewports.length;
    await page.mouse.click(cluster!.x + cluster!.width / 2, cluster!.y + cluster!.height / 2);
    // It zooms to the cluster's points, then asks again for the new view.
    await expect.poll(() => viewports.length, { timeout: 10_000 }).toBeGreaterThan(asked);
    await settled();
    box = await visibleProposal();
  }
  return box;
}

describe("the public map on a phone", () => {
  it("lists its data without tiles, draws the points, and a marker's popup links to the proposal", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    const viewports: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/peta?") && r.url().includes("bbox=")) viewports.push(r.url());
    });
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
    // The map asks the server for its viewport's answer (bbox and zoom) and draws the clusters it groups.
    expect(viewports.some((u) => /[?&]bbox=[-\d.]+,[-\d.]+,[-\d.]+,[-\d.]+&zoom=\d+$/.test(u) && u.includes("tahun="))).toBe(true);
    const box = await zoomToProposal(page, viewports);
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

  it("draws a large year from the server's clusters, every answer under 1 MB, down to a proposal's popup", async () => {
    // 9,000 proposals of a year of their own, a quarter crowded in the town.
    const db = new pg.Client({ connectionString: server.dbUrl });
    await db.connect();
    try {
      await db.query(
        `insert into proposal (id, tenant_code, code, fiscal_year, source, origin_forum_id, current_forum_id, title, problem, kind, thematic_group, bidang_urusan,
                               target_opd_id, original_opd_id, desa_code, kecamatan_code, lat, lng, volume, unit, estimated_cost, beneficiaries, status, created_by)
         select gen_random_uuid(), p.tenant_code, '2031-UJI-' || lpad(g::text, 5, '0'), 2031, p.source, p.origin_forum_id, p.current_forum_id,
                'Rehabilitasi jalan lingkungan Desa Uji nomor ' || g, 'Uji peta', p.kind, p.thematic_group, p.bidang_urusan, p.target_opd_id, p.original_opd_id,
                p.desa_code, p.kecamatan_code,
                case when g % 4 = 0 then -7.15 - (g % 97) / 5000.0 else -7.0 - ((g * 7919) % 5000) / 10000.0 end,
                case when g % 4 = 0 then 111.88 + (g % 89) / 5000.0 else 111.5 + ((g * 104729) % 7000) / 10000.0 end,
                1, 'paket', 0, 0, 'adopted', 'test'
           from generate_series(1, 9000) g, (select * from proposal order by code limit 1) p`,
      );
    } finally {
      await db.end();
    }
    const ctx = await phoneContext(browser, server.baseUrl);
    contexts.push(ctx);
    const page = await ctx.newPage();
    const viewports: string[] = [];
    const sizes: Promise<number>[] = [];
    page.on("response", (r) => {
      if (!r.url().includes("/api/peta?")) return;
      if (r.url().includes("bbox=")) viewports.push(r.url());
      sizes.push(r.body().then((b) => b.length));
    });
    await page.goto("/peta?tahun=2031");
    await expect.poll(() => page.getByTestId("peta-map").getAttribute("data-state"), { timeout: 20_000 }).toBe("ready");
    await expect.poll(() => page.getByTestId("peta-map").getAttribute("data-busy"), { timeout: 10_000 }).toBe("0");
    // The map opens on every point: a few dozen markers, the clusters' numbers and the single points adding up to 9,000.
    const numbers = await page.locator(".peta-cluster").allInnerTexts();
    const singles = await page.locator(".peta-marker").count();
    expect(numbers.length + singles).toBeLessThan(500);
    expect(numbers.reduce((t, n) => t + Number(n), 0) + singles).toBe(9000);
    const box = await zoomToProposal(page, viewports);
    expect(box).not.toBeNull();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const detail = page.getByTestId("popup-detail");
    await detail.waitFor();
    expect(await detail.getAttribute("href")).toMatch(/^\/usulan\/2031-UJI-\d{5}$/);
    expect(viewports.length).toBeGreaterThan(1);
    for (const n of await Promise.all(sizes)) expect(n).toBeLessThan(1_000_000);
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
