import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import sharp from "sharp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { loginAs } from "../support/login";
import { aJpeg } from "../support/images";

// Issue #9's journey, end to end on the demo ("full" template: the road contract of Dinas PU, PT Karya
// Bengawan Solo, 6 Jan – 30 Jun 2027, signed and not monitored yet), every step through the pages:
// the PPK sets the kurva S; the contractor reports 40% from a phone with a geotagged photo and the PPK
// verifies it; the next month's report lags the plan by 15 points and the contract turns critical; a
// citizen finds the contract on /peta from a phone and reports a problem anonymously; the monev officer
// forwards it to Dinas PU, whose officer answers; the answer shows on the contract's page, on the page
// of every Musrenbang proposal behind the road and under the citizen's ticket, and the reporter nowhere.

const PU = "1.03.0.00.0.00.01.0000";
const ROAD_SUB = "1.03.10.2.01.0033";
const SITE = { lat: -7.236, lng: 111.84 };
/** Typed by the citizen, who then chooses to stay anonymous: none of it may be stored or shown. */
const REPORTER = "Warsini Uji Anonim";
const CONTACT = "0813-7777-0042";
const COMPLAINT = "Lapis pondasi di ruas ini sudah sebulan dibiarkan terbuka tanpa rambu, motor sering tergelincir saat hujan.";
const ANSWER = "Penyedia telah ditegur dan memasang rambu serta pembatas sementara; pekerjaan lapis pondasi dikejar mulai 15 Maret 2027.";

let server: RunningServer;
let browser: Browser;
let clockDir: string;
let clockFile: string;
const contexts: BrowserContext[] = [];
const road = { id: "", packageId: "", value: "", name: "", proposals: [] as string[] };
/** Puts the server's clock at noon WIB of a day. */
const clockAt = (day: string) => writeFileSync(clockFile, String(new Date(`${day}T05:00:00Z`).getTime() - Date.now()));

beforeAll(async () => {
  clockDir = mkdtempSync(path.join(os.tmpdir(), "jejak-journey-clock-"));
  clockFile = path.join(clockDir, "offset");
  clockAt("2027-01-07");
  server = await startServer({ env: { JEJAK_CLOCK_FILE: clockFile, JEJAK_NON_PRODUCTION: "1", MICROCACHE_SECONDS: "0", DASHBOARD_SECONDS: "0", MAP_TILE_URL: "http://192.0.2.1:9/{z}/{x}/{y}.png" } });
  browser = await launchBrowser();
  const db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; package_id: string; value: string; name: string }>(
      "select c.id, c.package_id, c.value::text as value, p.name from contract c join proc_package p on p.id = c.package_id where p.name like 'Rekonstruksi Jalan%' and c.status = 'signed'",
    );
    expect(rows).toHaveLength(1);
    Object.assign(road, { id: rows[0].id, packageId: rows[0].package_id, value: rows[0].value, name: rows[0].name });
    // The Musrenbang proposals taken up by the road's sub-activity on the package's DPA lines.
    const proposals = await db.query<{ id: string }>(
      `select distinct x.proposal_id as id from proc_package_budget pb join budget_line b on b.line_key = pb.line_key
         join sub_activity s on s.id = b.sub_activity_id join sub_activity_proposal x on x.sub_activity_id = s.id
        where pb.package_id = $1 and s.sub_kegiatan_code = $2`,
      [road.packageId, ROAD_SUB],
    );
    road.proposals = proposals.rows.map((r) => r.id);
  } finally {
    await db.end();
  }
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  if (clockDir) rmSync(clockDir, { recursive: true, force: true });
});

async function open(kind: "phone" | "desk", username?: string): Promise<Page> {
  const ctx = kind === "phone" ? await phoneContext(browser, server.baseUrl) : await desktopContext(browser, server.baseUrl);
  contexts.push(ctx);
  const page = await ctx.newPage();
  if (username) await loginAs(page, username);
  return page;
}

/** A real JPEG with the camera's GPS position and capture time in its EXIF. */
async function geotagged(at: { lat: number; lng: number }, taken: string, seed: number): Promise<Buffer> {
  const dms = (x: number) => {
    const a = Math.abs(x);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
    return `${d}/1 ${m}/1 ${s}/10000`;
  };
  return sharp(await aJpeg(320, 240, seed))
    .withExif({
      IFD0: { Make: "Uji" },
      IFD2: { DateTimeOriginal: taken },
      IFD3: { GPSLatitudeRef: at.lat < 0 ? "S" : "N", GPSLatitude: dms(at.lat), GPSLongitudeRef: "E", GPSLongitude: dms(at.lng) },
    })
    .jpeg()
    .toBuffer();
}

/** The contractor, on a phone, reports a period through the form: cumulative progress per item and a photo. */
async function report(period: string, items: [RegExp, string][], photo: Buffer, problems: string) {
  const page = await open("phone", "penyedia2");
  await page.goto(`/vendor/kontrak/${road.id}`);
  const form = page.getByTestId("report-form");
  await form.getByLabel("Periode laporan").selectOption(period);
  for (const [label, value] of items) await form.getByLabel(label).fill(value);
  await form.getByLabel("Permasalahan").fill(problems);
  await form.getByLabel("Tindakan yang diambil").fill("Menambah tenaga dan jam kerja.");
  await form.getByLabel("Foto berkala").setInputFiles({ name: `IMG_periode_${period}.jpg`, mimeType: "image/jpeg", buffer: photo });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await form.getByRole("button", { name: "Ajukan ke PPK" }).click();
  await page.waitForLoadState("networkidle");
  await expect.poll(async () => (await page.getByRole("status").allTextContents()).join(" ")).toContain("Laporan diajukan");
  await page.context().close();
}

/** The PPK verifies a period's report on the contract's monitoring page; returns the page's message. */
async function verify(period: string, position: string): Promise<string> {
  const page = await open("desk", "ppk.pu");
  await page.goto(`/procure/kontrak/${road.id}`);
  const card = page.getByTestId(`report-${period}`);
  // The photo's position is shown to the PPK with its distance from the site set with the schedule.
  expect(await card.textContent()).toMatch(new RegExp(`${position.replace(/\./g, "\\.")} · \\d+ m dari lokasi`));
  await card.getByRole("button", { name: "Verifikasi laporan" }).click();
  await page.waitForLoadState("networkidle");
  await expect.poll(async () => page.getByTestId(`report-${period}`).count()).toBe(0);
  const message = (await page.getByRole("status").allTextContents()).join(" ");
  await page.context().close();
  return message;
}

async function criticalCount(): Promise<number> {
  const page = await open("phone");
  await page.goto("/dasbor");
  const n = Number(await page.getByTestId("critical-count").textContent());
  await page.context().close();
  return n;
}

async function act(page: Page, number: string, action: string, button: string, fill?: (panel: ReturnType<Page["locator"]>) => Promise<unknown>) {
  const panel = page.locator(`[data-testid=queue-item][data-number="${number}"]`).getByTestId(`act-${action}`);
  await panel.locator("summary").click();
  if (fill) await fill(panel);
  await panel.getByRole("button", { name: button }).click();
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.getByTestId("flash").textContent()).toContain("Tersimpan.");
}

describe("issue #9: from the contractor's phone to the citizen's answered report", () => {
  let ticket = "";
  let number = "";
  let criticalBefore = 0;

  it("the PPK sets the road's monthly schedule through the page", async () => {
    expect(road.proposals.length).toBeGreaterThan(0);
    const page = await open("desk", "ppk.pu");
    await page.goto(`/procure/kontrak/${road.id}`);
    const form = page.getByTestId("schedule");
    await form.getByLabel("Periode laporan").selectOption("monthly");
    // Plan: 40% by the end of month 1, 65% by month 2 (still in LKPP's "0–70%" band), 77.5%, 90%, 95%, 100%.
    const [whole, frac = ""] = road.value.split(".");
    const total = BigInt(whole + frac.padEnd(2, "0").slice(0, 2));
    const parts = [40n, 25n, 25n].map((s) => (total * s) / 100n);
    parts.push(total - parts.reduce((a, b) => a + b, 0n));
    const rupiah = (sen: bigint) => `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;
    const spec: [string, string, number, number][] = [
      ["Pekerjaan tanah", "Mobilisasi, galian dan timbunan badan jalan", 1, 1],
      ["Perkerasan berbutir", "Lapis pondasi agregat kelas A", 2, 2],
      ["Perkerasan aspal", "Laston lapis aus (AC-WC)", 3, 4],
      ["Pekerjaan minor", "Marka, rambu dan bahu jalan", 5, 6],
    ];
    for (const [i, [division, name, start, end]] of spec.entries()) {
      await form.locator(`input[name="items.${i}.division"]`).fill(division);
      await form.locator(`input[name="items.${i}.name"]`).fill(name);
      await form.locator(`input[name="items.${i}.value"]`).fill(rupiah(parts[i]));
      await form.locator(`input[name="items.${i}.plannedStart"]`).fill(String(start));
      await form.locator(`input[name="items.${i}.plannedEnd"]`).fill(String(end));
    }
    await form.getByLabel("Lintang lokasi").fill(String(SITE.lat));
    await form.getByLabel("Bujur lokasi").fill(String(SITE.lng));
    await form.getByRole("button", { name: "Simpan jadwal" }).click();
    await page.waitForLoadState("networkidle");
    const curve = page.getByTestId("kurva-s-table");
    await expect.poll(async () => curve.locator("tbody tr").count()).toBe(6);
    expect(await curve.locator("tbody tr").nth(0).locator("td").nth(2).textContent()).toBe("40,00%");
    expect(await curve.locator("tbody tr").nth(1).locator("td").nth(2).textContent()).toBe("65,00%");
  });

  it("the contractor reports 40% from a phone with a geotagged photo, the PPK verifies, the public page shows it", async () => {
    criticalBefore = await criticalCount();
    clockAt("2027-02-05");
    await report("1", [[/Mobilisasi, galian/, "100"]], await geotagged({ lat: SITE.lat + 0.0004, lng: SITE.lng + 0.0003 }, "2027:02:04 10:15:00", 5), "Cuaca baik.");
    const message = await verify("1", "-7.235600, 111.840300");
    expect(message).not.toContain("KRITIS");

    const page = await open("phone");
    await page.goto(`/kontrak/${road.id}`);
    expect(await page.getByTestId("physical").textContent()).toMatch(/^40([,.]0+)?% \(rencana 40([,.]0+)?%, periode 1\)$/);
    expect(await page.getByTestId("critical-badge").getAttribute("data-critical")).toBe("no");
    const photo = page.locator(`[data-testid=reports] li[data-period="1"] [data-testid=photos] img`);
    expect(await photo.count()).toBe(1);
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // Taken near the site, after the start: no flag on it.
    expect(await page.locator("[data-testid=reports] [data-flag]").count()).toBe(0);
  });

  it("the next month's report lags by 15 points: verified, the contract turns critical on its page and on /dasbor", async () => {
    clockAt("2027-03-05");
    await report(
      "2",
      [
        [/Mobilisasi, galian/, "100"],
        [/Lapis pondasi agregat/, "40"],
      ],
      await geotagged({ lat: SITE.lat - 0.0002, lng: SITE.lng + 0.0005 }, "2027:03:04 09:30:00", 11),
      "Pasokan agregat terlambat dua minggu.",
    );
    expect(await verify("2", "-7.236200, 111.840500")).toContain("KRITIS");

    const page = await open("phone");
    await page.goto(`/kontrak/${road.id}`);
    expect(await page.getByTestId("physical").textContent()).toMatch(/^50([,.]0+)?% \(rencana 65([,.]0+)?%, periode 2\)$/);
    const badge = page.getByTestId("critical-badge");
    expect(await badge.getAttribute("data-critical")).toBe("yes");
    expect(await badge.textContent()).toContain("Kritis");
    expect(await page.getByTestId("critical-case").count()).toBe(1);
    expect(await criticalCount()).toBe(criticalBefore + 1);
  });

  it("a citizen finds the contract on /peta from a phone and reports a problem about it anonymously", async () => {
    const page = await open("phone");
    await page.goto("/peta");
    // The list below the map is there whatever the tiles do (they never load here).
    const row = page.getByTestId("list-c").locator(`tbody tr[data-id="${road.id}"]`);
    expect(await row.textContent()).toContain(road.name);
    expect(await row.getByTestId("critical").count()).toBe(1);
    await row.getByRole("link", { name: "Laporkan masalah" }).click();
    await page.waitForURL(`**/lapor?kontrak=${road.id}`);
    expect(await page.getByTestId("lapor-target").textContent()).toContain(`Kontrak: `);
    expect(await page.getByTestId("lapor-target").textContent()).toContain(road.name);
    await page.getByLabel("Kategori").selectOption("normatif");
    await page.getByLabel("Isi laporan").fill(COMPLAINT);
    await page.getByLabel(/Anonim: tanpa nama/).check();
    // Typed, then the citizen stays anonymous anyway: what was typed must be dropped.
    await page.getByLabel("Nama", { exact: true }).fill(REPORTER);
    await page.getByLabel(/Kontak/).fill(CONTACT);
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page.getByTestId("lapor-done").waitFor();
    ticket = (await page.getByTestId("ticket").innerText()).trim();
    expect(ticket).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    number = /ADU-\d{4}-\d{6}/.exec(await page.getByTestId("lapor-done").innerText())![0];
  });

  it("the monev officer forwards it to Dinas PU, whose officer takes it up and answers", async () => {
    const monev = await open("desk", "monev");
    await monev.goto("/monev/pengaduan");
    const card = monev.locator(`[data-testid=queue-item][data-number="${number}"]`);
    expect(await card.textContent()).toContain(COMPLAINT);
    expect(await card.textContent()).not.toContain(REPORTER);
    await act(monev, number, "verify", "Verifikasi");
    await act(monev, number, "forward", "Teruskan ke perangkat daerah", (f) => f.locator("select[name=opdCode]").selectOption(PU));

    const pu = await open("desk", "opd.pu");
    await pu.goto("/monev/pengaduan");
    expect(await pu.locator(`[data-testid=queue-item][data-number="${number}"]`).textContent()).not.toContain(REPORTER);
    await act(pu, number, "take", "Tindak lanjuti");
    await act(pu, number, "answer", "Kirim jawaban", (f) => f.locator("textarea[name=answer]").fill(ANSWER));
  });

  it("the answer shows on the contract's page, on every proposal behind the road and under the ticket; the reporter nowhere", async () => {
    const page = await open("phone");
    const seen: string[] = [];
    await page.goto(`/kontrak/${road.id}`);
    const onContract = page.getByTestId("complaints").getByTestId("complaint").filter({ hasText: number });
    expect(await onContract.getByTestId("complaint-answer").textContent()).toContain(ANSWER);
    expect(await onContract.getByTestId("complaint-status").textContent()).toBe("Dijawab");
    // The contract's page names the proposals behind it: the same ones as the sub-activity's.
    const listed = await page.getByTestId("proposals").locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const id of road.proposals) expect(listed).toContain(`/usulan/${id}`);
    seen.push(await page.content());

    for (const id of road.proposals) {
      await page.goto(`/usulan/${id}`);
      // Its timeline leads to the contract, and its citizens' reports include the one about the contract, answered.
      expect(await page.getByTestId("contract-page").getAttribute("href")).toBe(`/kontrak/${road.id}`);
      const item = page.getByTestId("complaints").getByTestId("contract-complaint").filter({ hasText: number });
      expect(await item.count()).toBe(1);
      expect(await item.textContent()).toContain(COMPLAINT);
      expect(await item.getByTestId("complaint-answer").textContent()).toContain(ANSWER);
      expect(await item.getByRole("link").getAttribute("href")).toBe(`/kontrak/${road.id}`);
      seen.push(await page.content());
    }

    await page.goto(`/lapor/${ticket}`);
    expect(await page.getByTestId("complaint-answer").textContent()).toContain(ANSWER);
    expect(await page.getByTestId("complaint-status").first().textContent()).toBe("Dijawab");
    seen.push(await page.content());

    const api = async (url: string) => {
      const res = await page.request.get(url);
      expect(res.ok()).toBe(true);
      const text = await res.text();
      seen.push(text);
      return text;
    };
    expect(await api(`/api/pengaduan?opd=${PU}`)).toContain(ANSWER);
    await api(`/api/kontrak/${road.id}`);
    for (const id of road.proposals) await api(`/api/usulan/${id}`);
    for (const text of seen) {
      expect(text).not.toContain(REPORTER);
      expect(text).not.toContain(CONTACT);
    }
  });
});
