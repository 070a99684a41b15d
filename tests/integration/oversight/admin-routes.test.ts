import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { action as settingsAction, loader as settingsLoader } from "../../../app/routes/admin.pengaduan";
import { action as laporAction, loader as laporLoader } from "../../../app/routes/lapor._index";
import { loader as ticketLoader } from "../../../app/routes/lapor.$ticket";
import { syncNationalHolidays } from "../../../imports/oversight/holidays";
import type { CategorySetting, HolidaySetting } from "../../../domain/oversight/settings";

/** /admin/pengaduan through its loader and action, and the contract link on /lapor, on the full demo. */
const db = useTestDatabase("full");

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  expect(b.cookies.has("jejak_session")).toBe(true);
  return b;
}

type Settings = { categories: CategorySetting[]; holidays: HolidaySetting[]; national: HolidaySetting[]; year: number; years: number[] };
type Result = { ok?: boolean; message?: string; fieldErrors?: Record<string, string> };

beforeAll(async () => {
  await syncNationalHolidays(db.em());
});

describe("/admin/pengaduan", () => {
  it("is the admin's only", async () => {
    const monev = await signedIn("monev");
    expect((await call(settingsLoader, monev.get("/admin/pengaduan"))).status).toBe(403);
    expect((await call(settingsAction, monev.post("/admin/pengaduan", { intent: "addHoliday", day: "2027-02-03", name: "Hari jadi", kind: "libur_daerah" }))).status).toBe(403);
    expect((await call(settingsLoader, new Browser().get("/admin/pengaduan"))).status).toBeGreaterThanOrEqual(300);
  });

  it("lists the categories and the year's holidays, and saves with Indonesian errors naming the field", async () => {
    const admin = await signedIn("admin");
    const page = await body<Settings>(await call(settingsLoader, admin.get("/admin/pengaduan?tahun=2027")));
    expect(page.year).toBe(2027);
    expect(page.categories.map((c) => `${c.code}:${c.slaDays}:${c.origin}`)).toEqual(["ringan:2:national", "normatif:5:national", "non_pengawasan:14:national", "investigasi:60:national"]);
    expect(page.national.find((h) => h.day === "2027-01-01")?.name).toMatch(/Tahun Baru/);
    expect(page.years).toContain(2027);

    const bad = await call(settingsAction, admin.post("/admin/pengaduan", { intent: "saveCategory", target: "ringan", code: "ringan", name: "Ringan", slaDays: "0", position: "1", active: "1", version: "0" }));
    expect(bad.status).toBe(400);
    expect((await body<Result>(bad)).fieldErrors).toEqual({ slaDays: "Batas waktu (SLA): bilangan bulat 1–365 hari kerja." });

    const good = await call(settingsAction, admin.post("/admin/pengaduan", { intent: "saveCategory", target: "ringan", code: "ringan", name: "Ringan", slaDays: "3", position: "1", active: "1", version: "0" }));
    expect(good.status).toBe(200);
    expect((await body<Result>(good)).message).toBe("Kategori tersimpan. Berlaku untuk pengaduan baru.");
    // The same form again is stale.
    const stale = await call(settingsAction, admin.post("/admin/pengaduan", { intent: "saveCategory", target: "ringan", code: "ringan", name: "Ringan", slaDays: "4", position: "1", active: "1", version: "0" }));
    expect(stale.status).toBe(409);

    const weekend = await call(settingsAction, admin.post("/admin/pengaduan", { intent: "addHoliday", day: "2027-02-06", name: "Libur", kind: "libur_daerah" }));
    expect(weekend.status).toBe(400);
    expect((await body<Result>(weekend)).fieldErrors!.day).toBe("Tanggal: 2027-02-06 jatuh pada Sabtu atau Minggu, yang memang bukan hari kerja.");
    const added = await call(settingsAction, admin.post("/admin/pengaduan", { intent: "addHoliday", day: "2027-02-03", name: "Hari Jadi Bojonegoro", kind: "libur_daerah" }));
    expect((await body<Result>(added)).message).toBe("Hari libur ditambahkan.");

    const after = await body<Settings>(await call(settingsLoader, admin.get("/admin/pengaduan?tahun=2027")));
    expect(after.categories.find((c) => c.code === "ringan")).toMatchObject({ slaDays: 3, origin: "override", version: 1 });
    expect(after.holidays).toEqual([{ day: "2027-02-03", name: "Hari Jadi Bojonegoro", kind: "libur_daerah", version: 1 }]);
  });
});

describe("/lapor about a contract", () => {
  it("links to the contract's public page, on the form and on the ticket page", async () => {
    const [contract] = await db.em().execute<{ id: string }[]>("select id from contract where tenant_code = '35.22' order by id limit 1");
    const citizen = new Browser();
    const form = await body<{ target: { href: string } }>(await call(laporLoader, citizen.get(`/lapor?kontrak=${contract.id}`)));
    expect(form.target.href).toBe(`/kontrak/${contract.id}`);
    const fields = new FormData();
    for (const [k, v] of Object.entries({ targetKind: "contract", targetId: contract.id, category: "normatif", text: "Pekerjaan berhenti sejak seminggu, material menumpuk di bahu jalan.", identity: "anonymous", _csrf: citizen.csrf }))
      fields.set(k, v);
    const sent = await call(laporAction, new Request("http://localhost/lapor?index", { method: "POST", body: fields, headers: { cookie: citizen.header() } }));
    const { done } = await body<{ done: { ticket: string } }>(sent);
    const page = await body<{ target: { href: string } }>(await call(ticketLoader, citizen.get(`/lapor/${done.ticket}`), { ticket: done.ticket }));
    expect(page.target.href).toBe(`/kontrak/${contract.id}`);
  });
});
