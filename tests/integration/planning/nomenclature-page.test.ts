import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { action as loginAction } from "../../../app/routes/login";
import { action, loader } from "../../../app/routes/admin.nomenklatur";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

useTestDatabase("demo");

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

function upload(b: Browser, fields: Record<string, string>, csv: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("_csrf", b.csrf);
  form.set("file", new Blob([csv], { type: "text/csv" }), "daftar.csv");
  return new Request("http://localhost/admin/nomenklatur", { method: "POST", body: form, headers: { cookie: b.header() } });
}

describe("the nomenclature page", () => {
  it("lists the shipped sets and browses a tree level by level", async () => {
    const b = await signedIn("bappeda");
    const data = await body<{ sets: { id: string; kind: string }[]; children: { code: string; children: string }[] }>(await call(loader, b.get("/admin/nomenklatur")));
    const planning = data.sets.find((s) => s.kind === "planning")!;
    const top = await body<{ children: { code: string }[] }>(await call(loader, b.get(`/admin/nomenklatur?set=${planning.id}`)));
    expect(top.children.map((c) => c.code)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    const one = await body<{ children: { code: string }[] }>(await call(loader, b.get(`/admin/nomenklatur?set=${planning.id}&induk=1`)));
    expect(one.children.map((c) => c.code)).toEqual(["1.01", "1.02", "1.03", "1.04", "1.05", "1.06"]);
  });

  it("uploads a list: errors by row and column, or the whole list stored", async () => {
    const b = await signedIn("admin");
    const bad = await call(action, upload(b, { kind: "account", decree: "Uji 9/2031", appliesFrom: "2031" }, "kode,nama\n5,Belanja\n5.1.2,Salah"));
    expect(bad.status).toBe(400);
    const e = await body<{ errors: { row: number; column: string; message: string }[] }>(bad);
    expect(e.errors).toEqual([expect.objectContaining({ row: 3, column: "A", message: expect.stringContaining("5.1.2") })]);
    const good = await call(action, upload(b, { kind: "account", decree: "Uji 9/2031", appliesFrom: "2031" }, "kode,nama\n5,Belanja\n5.1,Belanja Operasi"));
    expect(good.status).toBe(200);
    expect((await body<{ message: string }>(good)).message).toContain("(2)");
  });

  it("is closed to those who may not manage the lists", async () => {
    expect((await call(loader, (await signedIn("opd.pu")).get("/admin/nomenklatur"))).status).toBe(403);
  });
});
