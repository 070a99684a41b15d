import http from "node:http";
import { gunzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, phoneContext } from "../support/browser";

/**
 * The public RKPD page and its Excel address, every request rendered (microcache off, as the bench runs
 * the server): the page shows what the open-data API holds, and /rkpd/<year>.xlsx reaches the download.
 */
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ env: { MICROCACHE_SECONDS: "0" } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.baseUrl + path, { headers });

describe("RKPD, public, with the microcache off", () => {
  it("/rkpd/<year>.xlsx is the download, for the year and for one OPD (Remix reads the rewritten address too)", async () => {
    for (const path of [`/rkpd/${YEAR}.xlsx`, `/rkpd/${YEAR}.xlsx?opd=${PU}`]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type")).toContain("spreadsheetml");
      expect(Buffer.from(await r.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    }
  });

  it("/apbd/<year>.xlsx reaches the APBD download too (the demo's APBD 2027 is adopted); a year without one says so", async () => {
    const r = await get(`/apbd/${YEAR}.xlsx`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("spreadsheetml");
    expect(Buffer.from(await r.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    const none = await get(`/apbd/${YEAR + 1}.xlsx`);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain("budget.dpa.noAdoptedApbd");
  });

  it("an OPD's page shows every sub-activity of the API under its programme › kegiatan, with the proposals behind it", async () => {
    const api = (await (await get(`/api/rkpd/${YEAR}?opd=${PU}`)).json()) as {
      total: string;
      opds: { code: string; subs: { code: string; name: string; programCode: string; kegiatanCode: string; kegiatanName: string; proposals: { id: string; code: string }[] }[] }[];
    };
    const subs = api.opds.flatMap((o) => o.subs);
    expect(subs.length).toBeGreaterThan(0);
    const r = await get(`/rkpd/${YEAR}?opd=${PU}`, { "accept-encoding": "identity" });
    expect(r.status).toBe(200);
    const html = await r.text();
    // Rendered at once: one body with its length, not a chunked stream (uncompressed: gzip drops the length).
    expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(html));
    for (const s of subs) {
      expect(html).toContain(`${s.code} ${s.name}`);
      for (const p of s.proposals) expect(html).toContain(`href="/usulan/${p.id}">${p.code}</a>`);
    }
    const groups = new Set(subs.map((s) => `${s.programCode}|${s.kegiatanCode} ${s.kegiatanName}`));
    expect(html.match(/<tr class="row--group">/g)?.length).toBe(groups.size);
    for (const s of subs) expect(html).toContain(`› ${s.kegiatanCode} ${s.kegiatanName}</th>`);
    // A document: no scripts, no hydration data.
    expect(html).not.toContain("<script");
    expect(html).not.toContain("__remixContext");
  });

  it("works as plain HTML on a phone: choosing an OPD and pressing Cari shows only its plan", async () => {
    const ctx = await phoneContext(browser, server.baseUrl);
    const page = await ctx.newPage();
    await page.goto(`/rkpd/${YEAR}`);
    expect(await page.locator("section[data-opd]").count()).toBeGreaterThan(1);
    await page.getByLabel("Perangkat daerah").selectOption(PU);
    await page.getByRole("button", { name: "Cari" }).click();
    await page.waitForURL(`**/rkpd/${YEAR}?opd=${PU}`);
    expect(await page.locator("section[data-opd]").count()).toBe(1);
    expect(await page.locator(`section[data-opd="${PU}"] tr.row--group`).count()).toBeGreaterThan(0);
    expect(await page.getByTestId("rkpd-total").textContent()).toMatch(/^Rp[\d.]+,\d\d$/);
    await ctx.close();
  });

  it("a browser asking for gzip gets the same page compressed", async () => {
    const plain = await (await get(`/rkpd/${YEAR}?opd=${PU}`)).text();
    const r = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) =>
      http
        .get(`${server.baseUrl}/rkpd/${YEAR}?opd=${PU}`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
        })
        .on("error", reject),
    );
    expect(r.encoding).toBe("gzip");
    expect(r.body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(r.body).toString()).toBe(plain);
  });
});
