import { rmSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, Browser, body, call } from "../../support/http";
import { aJpeg } from "../../support/images";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { action as ppkAction, loader as ppkLoader } from "../../../app/routes/procure.kontrak.$id._index";
import { action as vendorAction, loader as vendorLoader } from "../../../app/routes/vendor.kontrak.$id";
import { loader as photoLoader } from "../../../app/routes/monev.foto.$photoId";
import { demoContracts, roadItems } from "./world";

// why: the routes act on the server clock (app/clock.server.ts), shifted outside production by the
// milliseconds in JEJAK_CLOCK_FILE — read when the module loads, so it is set before any import.
const clockFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? "/tmp"}/jejak-monev-clock-${process.pid}`;
  process.env.JEJAK_CLOCK_FILE = file;
  return file;
});
afterAll(() => rmSync(clockFile, { force: true }));
/** Puts the server clock at a moment (WIB noon of a day). */
const clockAt = (day: string) => writeFileSync(clockFile, String(new Date(`${day}T05:00:00Z`).getTime() - Date.now()));

const db = useTestDatabase("full");

async function signedIn(username: string) {
  const b = new Browser();
  const r = await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD }));
  expect(r.status).toBe(302);
  b.take(r);
  return b;
}

/** A multipart POST, as the report form sends it with its photos. */
function multipart(b: Browser, path: string, fields: Record<string, string>, photos: Record<string, { name: string; bytes: Buffer }[]>) {
  const fd = new FormData();
  fd.set("_csrf", b.csrf);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const [k, list] of Object.entries(photos)) for (const p of list) fd.append(k, new Blob([new Uint8Array(p.bytes)], { type: "image/jpeg" }), p.name);
  return new Request(BASE + path, { method: "POST", body: fd, headers: { cookie: b.header() } });
}

type PpkPage = {
  m: { plan: { version: number } | null; series: { no: number; planned: string; actual: string | null }[]; items: { no: number; weight: string }[]; verdict: { critical: boolean } | null };
  manages: boolean;
  pending: { id: string; version: number; period_no: number; physical: string; photos: { id: string; far_from_site: boolean; lat: string | null }[] }[];
  scheduleLocked: boolean;
};

describe("the contractor's and the PPK's contract monitoring pages", () => {
  it("the PPK sets the schedule by the form; the contractor reports with a photo from the phone; the PPK verifies; the photo turns public", async () => {
    clockAt("2027-01-07");
    const { road } = await demoContracts(db.em());
    const ppk = await signedIn("ppk.pu");
    let page = await body<PpkPage>(await call(ppkLoader, ppk.get(`/procure/kontrak/${road.id}`), { id: road.id }));
    expect(page.manages).toBe(true);
    expect(page.m.plan).toBeNull();
    const items = roadItems(road.value);
    const fields: Record<string, string> = { intent: "schedule", version: "0", rows: "6", periodKind: "monthly", siteLat: "-7,236", siteLng: "111.84", farThresholdM: "500", maintenanceDays: "180" };
    items.forEach((it, i) => {
      fields[`items.${i}.division`] = it.division;
      fields[`items.${i}.name`] = it.name;
      fields[`items.${i}.value`] = it.value;
      fields[`items.${i}.plannedStart`] = String(it.plannedStart);
      fields[`items.${i}.plannedEnd`] = String(it.plannedEnd);
    });
    // A mistake is reported by its row and field, in Indonesian; nothing is saved.
    const bad = await call(ppkAction, ppk.post(`/procure/kontrak/${road.id}`, { ...fields, "items.4.plannedEnd": "9" }), { id: road.id });
    expect(bad.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(bad)).fieldErrors["items.4.plannedEnd"]).toBe("Isi bilangan bulat 1–6.");
    const ok = await call(ppkAction, ppk.post(`/procure/kontrak/${road.id}`, fields), { id: road.id });
    expect(ok.status).toBe(200);
    page = await body<PpkPage>(await call(ppkLoader, ppk.get(`/procure/kontrak/${road.id}`), { id: road.id }));
    expect(page.m.items.map((i) => i.weight)).toEqual(["5.00", "25.00", "40.00", "25.00", "5.00"]);
    expect(page.m.series.map((s) => s.planned)).toEqual(["17.50", "43.33", "56.67", "82.50", "95.00", "100.00"]);

    // Another vendor's contractor gets 403 on the page and on the form.
    const other = await signedIn("penyedia");
    expect((await call(vendorLoader, other.get(`/vendor/kontrak/${road.id}`), { id: road.id })).status).toBe(403);
    expect((await call(vendorAction, multipart(other, `/vendor/kontrak/${road.id}`, { intent: "submit", periodNo: "1" }, {}), { id: road.id })).status).toBe(403);

    // The road's contractor reports period 1 with a geotagged photo.
    clockAt("2027-02-06");
    const contractor = await signedIn("penyedia2");
    const view = await body<{ open: { no: number }[]; monitoring: { items: unknown[] } }>(await call(vendorLoader, contractor.get(`/vendor/kontrak/${road.id}`), { id: road.id }));
    expect(view.open.map((o) => o.no)).toEqual([1, 2]);
    const photo = await sharp(await aJpeg(120, 90, 7))
      .withExif({ IFD2: { DateTimeOriginal: "2027:02:05 10:00:00" }, IFD3: { GPSLatitudeRef: "S", GPSLatitude: "7/1 14/1 96/10", GPSLongitudeRef: "E", GPSLongitude: "111/1 50/1 240/10" } })
      .jpeg()
      .toBuffer();
    const report = { intent: "submit", periodNo: "1", "item.1": "100", "item.2": "50", "item.3": "0", "item.4": "0", "item.5": "0", problems: "Cuaca baik.", actions: "" };
    const missing = await call(vendorAction, multipart(contractor, `/vendor/kontrak/${road.id}`, { ...report, "item.2": "" }, {}), { id: road.id });
    expect(missing.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(missing)).fieldErrors["items.2"]).toMatch(/Galian dan timbunan/);
    const sent = await call(vendorAction, multipart(contractor, `/vendor/kontrak/${road.id}`, report, { "photos.0": [{ name: "IMG_0001.jpg", bytes: photo }] }), { id: road.id });
    expect(sent.status).toBe(302);

    page = await body<PpkPage>(await call(ppkLoader, ppk.get(`/procure/kontrak/${road.id}`), { id: road.id }));
    expect(page.scheduleLocked).toBe(true);
    const [pending] = page.pending;
    expect(pending).toMatchObject({ period_no: 1, physical: "17.50" });
    expect(pending.photos).toHaveLength(1);
    expect(pending.photos[0]).toMatchObject({ lat: "-7.236000", far_from_site: false });
    const photoId = pending.photos[0].id;
    // Before verification the photo is not public.
    expect((await call(photoLoader, new Request(`${BASE}/monev/foto/${photoId}`), { photoId })).status).toBe(404);
    expect((await call(photoLoader, contractor.get(`/monev/foto/${photoId}?kecil=1`), { photoId })).headers.get("content-type")).toBe("image/webp");

    // The contractor may not verify; the PPK does.
    const verify = { intent: "verify", target: pending.id, version: String(pending.version) };
    expect((await call(ppkAction, contractor.post(`/procure/kontrak/${road.id}`, verify), { id: road.id })).status).toBe(403);
    const verified = await call(ppkAction, ppk.post(`/procure/kontrak/${road.id}`, verify), { id: road.id });
    expect(verified.status).toBe(200);
    page = await body<PpkPage>(await call(ppkLoader, ppk.get(`/procure/kontrak/${road.id}`), { id: road.id }));
    expect(page.pending).toEqual([]);
    expect(page.m.series[0]).toMatchObject({ actual: "17.50" });
    expect(page.m.verdict).toMatchObject({ critical: false });
    const pub = await call(photoLoader, new Request(`${BASE}/monev/foto/${photoId}`), { photoId });
    expect(pub.status).toBe(200);
    expect(pub.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await pub.arrayBuffer()).equals(photo)).toBe(true);
  });
});
