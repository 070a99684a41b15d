import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, desktopContext, phoneContext } from "../support/browser";
import { aJpeg } from "../support/images";
import { loginAs } from "../support/login";
import { createOrm } from "../../domain/persistence";

const PU = "1.03.0.00.0.00.01.0000";
const REPORTER = "Suparmi Uji Rahasia";
const CONTACT = "0812-9999-0001";
const ANSWER = "Saluran samping jalan dibersihkan UPT Jalan pada 12 Desember 2026.";

let server: RunningServer;
let browser: Browser;
let proposalId = "";
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer({ env: { MICROCACHE_SECONDS: "0" } });
  browser = await launchBrowser();
  const orm = await createOrm(server.dbUrl);
  const [p] = await orm.em
    .fork()
    .execute<{ id: string }[]>(
      "select p.id from proposal p join opd o on o.id = p.target_opd_id where o.code = ? and p.status in ('accepted','adopted') order by p.code limit 1",
      [PU],
    );
  proposalId = p.id;
  await orm.close(true);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function officer(username: string): Promise<Page> {
  const ctx = await desktopContext(browser, server.baseUrl);
  contexts.push(ctx);
  const page = await ctx.newPage();
  await loginAs(page, username);
  await page.goto("/monev/pengaduan");
  return page;
}

async function act(page: Page, number: string, action: string, button: string, fill?: (form: ReturnType<Page["locator"]>) => Promise<void>) {
  const card = page.locator(`[data-testid=queue-item][data-number="${number}"]`);
  const panel = card.getByTestId(`act-${action}`);
  await panel.locator("summary").click();
  if (fill) await fill(panel);
  await panel.getByRole("button", { name: button }).click();
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.getByTestId("flash").textContent()).toContain("Tersimpan.");
}

describe("a citizen's report, from the phone to the OPD's public answer", () => {
  it("is sent by a visitor who is not signed in, verified, forwarded, answered, and shows no personal data", async () => {
    // A citizen, not signed in, reports on a proposal from their phone, with a photo and their identity kept confidential.
    const phone = await phoneContext(browser, server.baseUrl);
    contexts.push(phone);
    const page = await phone.newPage();
    await page.goto(`/lapor?usulan=${proposalId}`);
    expect(await page.getByTestId("lapor-target").textContent()).toContain("Usulan Musrenbang");
    await page.getByLabel("Kategori").selectOption("normatif");
    await page.getByLabel("Isi laporan").fill("Saluran air di samping jalan hasil usulan ini tersumbat, air meluap ke badan jalan setiap hujan.");
    await page.getByLabel(/Rahasia: nama saya/).check();
    await page.getByLabel("Nama", { exact: true }).fill(REPORTER);
    await page.getByLabel(/Kontak/).fill(CONTACT);
    const dir = mkdtempSync(path.join(os.tmpdir(), "jejak-lapor-"));
    const photo = path.join(dir, "saluran.jpg");
    writeFileSync(photo, await aJpeg(800, 600, 3));
    await page.getByLabel(/Foto \(paling banyak 3/).setInputFiles(photo);
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page.getByTestId("lapor-done").waitFor();
    const ticket = (await page.getByTestId("ticket").innerText()).trim();
    expect(ticket).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const number = /ADU-\d{4}-\d{6}/.exec(await page.getByTestId("lapor-done").innerText())![0];

    // The monev officer sees who reported, verifies and forwards it to Dinas PU Bina Marga.
    const monev = await officer("monev");
    const card = monev.locator(`[data-testid=queue-item][data-number="${number}"]`);
    expect(await card.textContent()).toContain(REPORTER);
    await act(monev, number, "verify", "Verifikasi");
    await act(monev, number, "forward", "Teruskan ke perangkat daerah", (f) => f.locator("select[name=opdCode]").selectOption(PU).then(() => undefined));

    // The PU officer does not learn who reported (confidential), takes it up and answers.
    const pu = await officer("opd.pu");
    const puCard = pu.locator(`[data-testid=queue-item][data-number="${number}"]`);
    expect(await puCard.textContent()).not.toContain(REPORTER);
    await act(pu, number, "take", "Tindak lanjuti");
    await act(pu, number, "answer", "Kirim jawaban", (f) => f.locator("textarea[name=answer]").fill(ANSWER));

    // Anyone sees the answer on the proposal's page; the reporter sees it under the ticket. Nobody sees the reporter.
    const visitor = await (await desktopContext(browser, server.baseUrl)).newPage();
    contexts.push(visitor.context());
    await visitor.goto(`/usulan/${proposalId}`);
    expect(await visitor.getByTestId("complaints").textContent()).toContain(ANSWER);
    await page.goto(`/lapor/${ticket}`);
    expect(await page.getByTestId("complaint-answer").textContent()).toContain(ANSWER);
    expect(await page.getByTestId("complaint-status").first().textContent()).toBe("Dijawab");
    expect(await page.locator(".photos img").count()).toBe(1);
    const api = await (await visitor.request.get(`/api/pengaduan?opd=${PU}`)).text();
    expect(api).toContain(ANSWER);
    for (const text of [await visitor.content(), await page.content(), api]) {
      expect(text).not.toContain(REPORTER);
      expect(text).not.toContain(CONTACT);
    }
    expect(api).not.toContain(ticket);
  });
});
