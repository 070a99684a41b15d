import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { desktopContext, launchBrowser } from "../support/browser";

// Issue #8's citizen journey on the demo ("full" template), without logging in: from the public procurement
// list to the road tender's page, where its contract is shown, then to the page's open contracting record
// (the "Data terbuka (OCDS)" link). What the record's compiled release says — the tender's title, HPS and
// method, the award's supplier and value, the contract's value — is what the page shows, and the record
// links back to the page.
const ROAD = "Rekonstruksi Jalan Ruas Dander–Ngunut (900 m)";

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await desktopContext(browser, server.baseUrl);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** "Rp1.452.766.897,04" → "1452766897.04". */
const sen = (text: string) => {
  const m = /Rp([\d.]+),(\d\d)/.exec(text);
  if (!m) throw new Error(`no rupiah amount in "${text}"`);
  return `${m[1].replace(/\./g, "")}.${m[2]}`;
};
/** The text of the <dd> after the <dt> with this label, inside a container. */
const field = (container: string, label: string) =>
  page.locator(`${container} dt`, { hasText: new RegExp(`^${label}$`) }).first().locator("xpath=following-sibling::dd[1]").innerText();

interface Compiled {
  title: string;
  tender: { title: string; value: { amount: number; currency: string }; procurementMethod: string; procurementMethodDetails: string; status: string };
  awards: { id: string; status: string; value: { amount: number }; suppliers: { id: string; name: string }[] }[];
  contracts: { awardID: string; value: { amount: number }; status: string }[];
  planning: { documents: { id: string; documentType: string; url: string; title: string }[] };
}

describe("a citizen checks a contract against its open contracting record", () => {
  it("finds the road tender's contract, follows the open data link, and the record says what the page says", async () => {
    await page.goto("/pengadaan");
    await page.getByRole("link", { name: ROAD }).click();
    await page.waitForURL(/\/pengadaan\/[0-9a-f-]{36}$/);
    const pagePath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator("h1").innerText()).toBe(ROAD);

    // What the page shows.
    const hps = sen(await page.getByTestId("hps").first().innerText());
    const method = await field('[data-testid="rup"]', "Metode pemilihan");
    const winnerText = await page.getByTestId("winner").innerText();
    const contractVendor = await page.getByTestId("contract-vendor").innerText();
    const contractValue = sen(await page.getByTestId("contract-value").innerText());
    expect(winnerText).toContain(contractVendor);

    // The open data link, as a citizen follows it.
    await page.getByTestId("ocds-record").click();
    await page.waitForURL(/\/api\/ocds\/records\//);
    const pkg = JSON.parse(await page.locator("body").innerText()) as { records: { ocid: string; compiledRelease: Compiled }[] };
    expect(pkg.records).toHaveLength(1);
    const c = pkg.records[0].compiledRelease;

    // The tender: title, HPS, method.
    expect(c.title).toBe(ROAD);
    expect(c.tender.title).toBe(ROAD);
    expect(c.tender.value.currency).toBe("IDR");
    expect(c.tender.value.amount.toFixed(2)).toBe(hps);
    expect(method).toBe("Tender");
    expect(c.tender.procurementMethod).toBe("open");
    expect(c.tender.procurementMethodDetails.startsWith(`${method} (`)).toBe(true);
    // The award: the supplier the page names as winner and contractor, at the winner's (corrected) price.
    const active = c.awards.filter((a) => a.status === "active");
    expect(active).toHaveLength(1);
    expect(active[0].suppliers.map((s) => s.name)).toEqual([contractVendor]);
    expect(active[0].value.amount.toFixed(2)).toBe(sen(winnerText));
    // The contract, for that award, at the value the page shows.
    const contract = c.contracts.find((k) => k.awardID === active[0].id)!;
    expect(contract.value.amount.toFixed(2)).toBe(contractValue);

    // The record links back to the page. The demo's releases were published outside production without
    // PUBLIC_URL, at http://localhost:<PORT or 3000> (exports/ocds/publish.ts), and a release is never
    // rewritten: this server runs elsewhere, so the link's path is followed here.
    const back = c.planning.documents.find((d) => d.id === "halaman-publik")!;
    expect(back.documentType).toBe("plannedProcurementNotice");
    expect(back.url).toMatch(/^http:\/\/localhost:\d+\/pengadaan\//);
    expect(new URL(back.url).pathname).toBe(pagePath);
    await page.goto(new URL(back.url).pathname);
    await expect.poll(() => page.locator("h1").innerText()).toBe(ROAD);
    await expect.poll(() => page.getByTestId("contract-vendor").innerText()).toBe(contractVendor);
  });
});
