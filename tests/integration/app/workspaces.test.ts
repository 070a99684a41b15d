import { useTestDatabase } from "../../support/db";
import { DEMO_USERS } from "../../../imports/demo/bojonegoro";
import { Browser, body, call } from "../../support/http";
import { action as loginAction } from "../../../app/routes/login";
import { loader as desaLoader } from "../../../app/routes/forum.desa.$kode";
import { loader as kecLoader } from "../../../app/routes/forum.kecamatan.$kode";
import { loader as opdLoader } from "../../../app/routes/plan.opd.$kode";
import { loader as auditLoader } from "../../../app/routes/audit._index";
import { loader as budgetLoader } from "../../../app/routes/budget._index";
import { loader as healthLoader } from "../../../app/routes/healthz";
import { loader as homeLoader } from "../../../app/routes/_index";
import { loader as wilayahLoader } from "../../../app/routes/api.wilayah";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { User } from "../../../domain/identity/user.entity";

const db = useTestDatabase("demo");
const PU = "1.03.0.00.0.00.01.0000";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

describe("scoped workspaces", () => {
  it("a desa facilitator opens their desa, and gets 403 (no data) for the desa next door", async () => {
    const b = await signedIn("fasil.desa");
    expect((await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" })).status).toBe(200);
    const other = await call(desaLoader, b.get("/forum/desa/35.22.06.2002"), { kode: "35.22.06.2002" });
    expect(other.status).toBe(403);
    const text = JSON.stringify(await body(other));
    expect(text).not.toContain("Dander");
    expect(text).toContain("error.403");
    expect((await call(kecLoader, b.get("/forum/kecamatan/35.22.06"), { kode: "35.22.06" })).status).toBe(403);
  });

  it("a kecamatan facilitator opens every desa of their kecamatan and lists them", async () => {
    const b = await signedIn("fasil.kecamatan");
    const kec = await body<{ desa: { code: string }[] }>(await call(kecLoader, b.get("/forum/kecamatan/35.22.06"), { kode: "35.22.06" }));
    expect(kec.desa.length).toBeGreaterThan(10);
    expect((await call(desaLoader, b.get("/forum/desa/35.22.06.2002"), { kode: "35.22.06.2002" })).status).toBe(200);
    expect((await call(desaLoader, b.get("/forum/desa/35.22.07.2001"), { kode: "35.22.07.2001" })).status).toBe(403);
  });

  it("unknown or foreign region codes are a clear 404 for those who may look everywhere", async () => {
    const b = await signedIn("bappeda");
    const unknown = await call(desaLoader, b.get("/forum/desa/35.22.06.2999"), { kode: "35.22.06.2999" });
    expect(unknown.status).toBe(404);
    expect(await body(unknown)).toMatchObject({ messageKey: "region.unknown" });
    expect((await call(desaLoader, b.get("/forum/desa/abc"), { kode: "abc" })).status).toBe(404);
    expect((await call(desaLoader, b.get("/forum/desa/35.23.01.2001"), { kode: "35.23.01.2001" })).status).toBe(404);
  });

  it("OPD workspaces are limited to the officer's OPD", async () => {
    const b = await signedIn("opd.pu");
    expect((await call(opdLoader, b.get(`/plan/opd/${PU}`), { kode: PU })).status).toBe(200);
    expect((await call(opdLoader, b.get("/plan/opd/1.02.0.00.0.00.01.0000"), { kode: "1.02.0.00.0.00.01.0000" })).status).toBe(403);
    expect((await call(budgetLoader, b.get("/budget"))).status).toBe(403);
  });

  it("the audit trail is for auditors and admins only, and verifies its chain on request", async () => {
    expect((await call(auditLoader, (await signedIn("opd.pu")).get("/audit"))).status).toBe(403);
    const res = await call(auditLoader, (await signedIn("auditor")).get("/audit?verify=1&action=UserCreated"));
    const data = await body<{ page: { rows: { action: string }[] }; chain: { ok: boolean } }>(res);
    expect(data.chain.ok).toBe(true);
    expect(data.page.rows.length).toBe(DEMO_USERS.length);
    expect(new Set(data.page.rows.map((r) => r.action))).toEqual(new Set(["UserCreated"]));
  });

  it("anonymous visitors are sent to login, with the way back", async () => {
    const res = await call(budgetLoader, new Browser().get("/budget"));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2Fbudget");
  });
});

describe("public pages and the tenant filter", () => {
  it("the home page counts the tenant's regions and OPDs, live", async () => {
    const data = await body<{ kecamatan: number; desa: number; opds: number }>(await call(homeLoader, new Browser().get("/")));
    expect(data).toMatchObject({ kecamatan: 28, desa: 430, opds: 16 });
  });

  it("the region picker searches by name or code, only inside the tenant", async () => {
    const res = await body<{ results: { code: string; name: string; parentName: string }[] }>(
      await call(wilayahLoader, new Browser().get("/api/wilayah?q=ngunut&tingkat=desa")),
    );
    expect(res.results[0]).toMatchObject({ code: "35.22.06.2001", name: "Ngunut", parentName: "Dander" });
    expect(res.results.every((r) => r.code.startsWith("35.22."))).toBe(true);
    const kec = await body<{ results: { code: string }[] }>(await call(wilayahLoader, new Browser().get("/api/wilayah?q=35.22.0&tingkat=kecamatan")));
    expect(kec.results.map((r) => r.code)).toContain("35.22.06");
    const none = await body<{ results: unknown[] }>(await call(wilayahLoader, new Browser().get("/api/wilayah?q=Menteng")));
    expect(none.results).toEqual([]);
  });

  it("a query on tenant-owned data without a tenant fails loudly instead of leaking rows", async () => {
    const unscoped = db.orm.em.fork();
    await expect(unscoped.find(User, {})).rejects.toThrow(/tenant/);
    const other = db.orm.em.fork();
    other.setFilterParams("tenant", { tenant: "35.23" });
    expect(await other.count(User, {})).toBe(0);
    expect(await db.em().count(User, {})).toBe(DEMO_USERS.length);
  });

  it("/healthz answers 200 with the database, 503 without", async () => {
    const ok = await call(healthLoader, new Browser().get("/healthz"));
    expect(ok.status).toBe(200);
    expect(await body(ok)).toEqual({ status: "ok", database: "ok" });
    const { closeOrm } = await import("../../../app/db.server");
    await closeOrm();
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgres://postgres:x@127.0.0.1:1/none";
    try {
      const down = await call(healthLoader, new Browser().get("/healthz"));
      expect(down.status).toBe(503);
      expect(await body(down)).toEqual({ status: "error", database: "unavailable" });
    } finally {
      await closeOrm().catch(() => {});
      process.env.DATABASE_URL = saved;
    }
  });
});

describe("shareable public pages", () => {
  it("the anonymous home page carries no per-visitor token and may be cached briefly; login is private", async () => {
    const { loader: rootLoader } = await import("../../../app/root");
    const root = await body<{ csrf: string; viewer: unknown }>(await call(rootLoader, new Browser().get("/")));
    expect(root).toMatchObject({ csrf: "", viewer: null });
    const home = await call(homeLoader, new Browser().get("/"));
    expect(home.headers.get("cache-control")).toMatch(/public/);
    const { loader: loginLoader } = await import("../../../app/routes/login");
    const login = await call(loginLoader, new Browser().get("/login"));
    expect(login.headers.get("cache-control")).toMatch(/no-store/);
    expect((await body<{ csrf: string }>(login)).csrf).toMatch(/^[\w-]{40,}$/);
    const signed = await signedIn("warga");
    expect((await body<{ csrf: string }>(await call(rootLoader, signed.get("/")))).csrf).toBe(signed.csrf);
  });
});
