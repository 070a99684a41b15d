import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import { action as loginAction } from "../../../app/routes/login";
import { action, loader } from "../../../app/routes/budget.harga";
import { loader as api } from "../../../app/routes/api.harga";
import { seedDemoPrices } from "../../../imports/budgeting/demo";
import { Actor } from "../../../domain/identity/actor";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("demo");

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

function upload(b: Browser, fields: Record<string, string>, text: string, name = "ssh.csv") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("_csrf", b.csrf);
  form.set("file", new Blob([text], { type: "text/csv" }), name);
  return new Request("http://localhost/budget/harga", { method: "POST", body: form, headers: { cookie: b.header() } });
}

type Page = { manages: boolean; lists: { kind: string; fiscalYear: number; decree: string; itemCount: number; importedBy: string }[]; year: number; items: { code: string; price: string }[]; searchError: string | null };
type Hit = { id: string; code: string; name: string; spec: string; unit: string; price: string; accounts: string[]; kind: string };

describe("the standard price page and API", () => {
  beforeAll(async () => {
    await seedDemoPrices(db.em(), Actor.system(T, "seed-demo"));
  });

  it("TAPD uploads a list: every bad row by row and column, then the whole list; a duplicate is refused", async () => {
    const tapd = await signedIn("tapd");
    const fields = { kind: "HSPK", year: "2028", decree: "Perbup Uji HSPK 2028" };
    const bad = await call(action, upload(tapd, fields, ["kode,uraian,satuan,harga,kode rekening", "H1,Beton,m3,1.465.000,5.2.04.01.01.0003", "H2,Beton lagi,,12.34.5,4.1.01.01.01.0001"].join("\n")));
    expect(bad.status).toBe(400);
    const e = await body<{ message: string; errors: { row: number; column: string; header: string; message: string }[] }>(bad);
    expect(e.message).toContain("3 kesalahan");
    expect(e.errors.map((x) => [x.row, x.column, x.header])).toEqual([
      [3, "C", "satuan"],
      [3, "D", "harga"],
      [3, "E", "kode rekening"],
    ]);
    expect(e.errors[1].message).toBe('Harga "12.34.5" bukan jumlah rupiah yang sah (contoh: 1.250.000 atau 1.250.000,50 atau 1250000.50).');
    expect(e.errors[2].message).toContain("bukan rekening belanja");

    const good = ["kode,uraian,satuan,harga,kode rekening", "H1,Beton uji,m3,1.465.000,5.2.04.01.01.0003"].join("\n");
    const ok = await call(action, upload(tapd, fields, good));
    expect(ok.status).toBe(200);
    expect((await body<{ message: string }>(ok)).message).toBe("Daftar harga tersimpan: 1 item.");
    const dup = await call(action, upload(tapd, fields, good));
    expect(dup.status).toBe(409);
    expect((await body<{ fieldErrors: { decree: string } }>(dup)).fieldErrors.decree).toContain("sudah diimpor");
    const noYear = await call(action, upload(tapd, { ...fields, year: "" }, good));
    expect(noYear.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(noYear)).fieldErrors.year).toBeTruthy();

    const page = await body<Page>(await call(loader, tapd.get("/budget/harga?tahun=2028&q=beton+uji")));
    expect(page.manages).toBe(true);
    expect(page.lists[0]).toMatchObject({ kind: "HSPK", fiscalYear: 2028, decree: "Perbup Uji HSPK 2028", itemCount: 1, importedBy: "tapd" });
    expect(page.items[0]).toMatchObject({ code: "H1", price: "1465000.00" });
  });

  it("lets budget viewers search but not upload; is closed to a desa facilitator", async () => {
    const opd = await signedIn("opd.pu");
    const page = await body<Page>(await call(loader, opd.get("/budget/harga?q=semen&tahun=2027")));
    expect(page.manages).toBe(false);
    expect(page.items[0]).toMatchObject({ code: expect.stringMatching(/^SSH\.01\.01\./) });
    const badAccount = await body<Page>(await call(loader, opd.get("/budget/harga?akun=5.x&tahun=2027")));
    expect(badAccount.searchError).toContain("5.x");
    expect((await call(action, upload(opd, { kind: "SSH", year: "2028", decree: "X" }, "kode"))).status).toBe(403);
    const desa = await signedIn("fasil.desa");
    expect((await call(loader, desa.get("/budget/harga"))).status).toBe(403);
    expect((await call(api, desa.get("/api/harga?q=semen"))).status).toBe(403);
    const anonymous = await call(api, new Browser().get("/api/harga?q=semen"));
    expect(anonymous.status).toBe(302);
  });

  it("answers the RKA editor's search-as-you-type with decimal-string prices", async () => {
    const opd = await signedIn("opd.pu");
    const r = await call(api, opd.get("/api/harga?q=semen&tahun=2027&limit=5"));
    expect(r.status).toBe(200);
    const data = await body<{ year: number; items: Hit[] }>(r);
    expect(data.year).toBe(2027);
    expect(data.items.length).toBeLessThanOrEqual(5);
    expect(data.items.find((i) => i.code === "SSH.01.01.0001")).toEqual({
      id: expect.any(String),
      code: "SSH.01.01.0001",
      name: "Semen Portland Composite (PCC)",
      spec: "Kemasan zak 50 kg, SNI 7064",
      unit: "zak",
      price: "72500.00",
      accounts: expect.arrayContaining(["5.1.02.01.01.0001", "5.2.04.01.01.0003"]),
      kind: "SSH",
    });
    const byAccount = await body<{ items: Hit[] }>(await call(api, opd.get("/api/harga?akun=5.1.02.02.01.0003&tahun=2027&limit=50")));
    expect(byAccount.items.length).toBe(9);
    expect(byAccount.items.every((i) => i.kind === "SBU" && i.accounts.includes("5.1.02.02.01.0003"))).toBe(true);
    const capped = await body<{ items: Hit[] }>(await call(api, opd.get("/api/harga?tahun=2027&limit=1000")));
    expect(capped.items.length).toBe(50);
    const tapd = await signedIn("tapd");
    const latest = await body<{ year: number }>(await call(api, tapd.get("/api/harga?q=beton")));
    expect(latest.year).toBe(2028);
    expect((await call(api, opd.get("/api/harga?q=semen&tahun=20x7"))).status).toBe(400);
    expect((await call(api, opd.get("/api/harga?akun=semen&tahun=2027"))).status).toBe(400);
  });
});
