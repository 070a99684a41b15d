import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../imports/demo/bojonegoro";

/** Signs a demo user in through the real login form and waits until the app has moved on. */
export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}
