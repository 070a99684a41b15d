import { useTestDatabase } from "../../support/db";
import { DEMO_USERS } from "../../../imports/demo/bojonegoro";
import { Browser, body, call } from "../../support/http";
import { action as loginAction } from "../../../app/routes/login";
import { action as newUserAction } from "../../../app/routes/admin.users.new";
import { action as editUserAction, loader as editUserLoader } from "../../../app/routes/admin.users.$id";
import { loader as adminLoader } from "../../../app/routes/admin._index";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("demo");
const PU = "1.03.0.00.0.00.01.0000";

async function signedIn(username: string, password = DEMO_PASSWORD) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password })));
  return b;
}

const auditCount = async (action: string) =>
  Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from audit_event where action = ?", [action]))[0].n);

describe("admin manages users, roles and scopes", () => {
  it("creates a desa facilitator scoped to one desa, audited", async () => {
    const admin = await signedIn("admin");
    const res = await call(
      newUserAction,
      admin.post("/admin/users/new", {
        username: "Fasil.Growok",
        displayName: "Fasilitator Growok",
        email: "growok@example.id",
        password: "sandi-growok-2026",
        "role.0": "desa_facilitator",
        "scope.0": "35.22.06.2003",
      }),
    );
    expect(res.status).toBe(302);
    const id = res.headers.get("location")!.split("/")[3].split("?")[0];
    const page = await body<{ user: { username: string; assignments: unknown[] } }>(await call(editUserLoader, admin.get(`/admin/users/${id}`), { id }));
    expect(page.user.username).toBe("fasil.growok");
    expect(page.user.assignments).toEqual([{ role: "desa_facilitator", scopeKind: "desa", scopeCode: "35.22.06.2003" }]);
    expect(await auditCount("UserCreated")).toBe(DEMO_USERS.length + 1); // the demo accounts + this one

    const growok = await signedIn("fasil.growok", "sandi-growok-2026");
    expect(growok.cookies.has("jejak_session")).toBe(true);
  });

  it.each([
    [{ "scope.0": "99.99.99.9999" }, "assignments.0", "Kode wilayah \"99.99.99.9999\" tidak dikenal."],
    [{ "scope.0": "35.22.6" }, "assignments.0", "tidak sesuai format Kemendagri"],
    [{ "scope.0": "35.23.01.2001" }, "assignments.0", "di luar pemda ini"],
    [{ "scope.0": "35.22.06" }, "assignments.0", "bukan desa"],
    [{ "role.0": "raja", "scope.0": "" }, "assignments.0", "Peran \"raja\" tidak dikenal."],
    [{ username: "x" }, "username", "Nama pengguna 3–40 karakter"],
    [{ username: "admin" }, "username", "sudah dipakai"],
    [{ password: "pendek1" }, "password", "paling sedikit 10 karakter"],
    [{ email: "bukan-surel" }, "email", "Alamat surel tidak sah."],
  ])("refuses %j naming the field, and creates nothing", async (patch, fieldName, message) => {
    const admin = await signedIn("admin");
    const users = Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from app_user"))[0].n);
    const res = await call(
      newUserAction,
      admin.post("/admin/users/new", {
        username: "calon.baru",
        displayName: "Calon Baru",
        email: "",
        password: "sandi-baru-2026",
        "role.0": "desa_facilitator",
        "scope.0": "35.22.06.2002",
        ...patch,
      }),
    );
    expect([400, 409]).toContain(res.status);
    const b = await body<{ fieldErrors: Record<string, string> }>(res);
    expect(b.fieldErrors[fieldName]).toContain(message);
    expect(Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from app_user"))[0].n)).toBe(users);
  });

  it("refuses every admin page and action to anyone but an admin (403, no data)", async () => {
    const bappeda = await signedIn("bappeda");
    const page = await call(adminLoader, bappeda.get("/admin"));
    expect(page.status).toBe(403);
    expect(JSON.stringify(await body(page))).not.toContain("fasil.desa");
    const res = await call(
      newUserAction,
      bappeda.post("/admin/users/new", { username: "nyusup", displayName: "N", password: "sandi-nyusup-1", "role.0": "admin", "scope.0": "" }),
    );
    expect(res.status).toBe(403);
    expect(Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from app_user where username = 'nyusup'"))[0].n)).toBe(0);
  });

  it("edits roles with optimistic locking: a stale form is refused and overwrites nothing", async () => {
    const admin = await signedIn("admin");
    const list = await body<{ users: { id: string; username: string; version: number }[] }>(await call(adminLoader, admin.get("/admin")));
    const opd = list.users.find((u) => u.username === "opd.pu")!;
    const form = (name: string, version: number) => ({
      intent: "edit",
      version: String(version),
      displayName: name,
      email: "",
      active: "1",
      "role.0": "opd_officer",
      "scope.0": PU,
      "role.1": "procurement_officer",
      "scope.1": PU,
    });
    const first = await call(editUserAction, admin.post(`/admin/users/${opd.id}`, form("Agus (diubah A)", opd.version)), { id: opd.id });
    expect(first.status).toBe(200);
    const second = await call(editUserAction, admin.post(`/admin/users/${opd.id}`, form("Agus (diubah B)", opd.version)), { id: opd.id });
    expect(second.status).toBe(409);
    expect((await body(second)).message).toMatch(/sudah diubah orang lain/);
    const page = await body<{ user: { displayName: string; assignments: { role: string }[] } }>(await call(editUserLoader, admin.get(`/admin/users/${opd.id}`), { id: opd.id }));
    expect(page.user.displayName).toBe("Agus (diubah A)");
    expect(page.user.assignments.map((a) => a.role).sort()).toEqual(["opd_officer", "procurement_officer"]);
    expect(await auditCount("UserUpdated")).toBe(1);
  });

  it("deactivating a user ends their sessions at once", async () => {
    const warga = await signedIn("warga");
    const admin = await signedIn("admin");
    const list = await body<{ users: { id: string; username: string; version: number }[] }>(await call(adminLoader, admin.get("/admin")));
    const w = list.users.find((u) => u.username === "warga")!;
    const res = await call(
      editUserAction,
      admin.post(`/admin/users/${w.id}`, { intent: "edit", version: String(w.version), displayName: "Warga", email: "", "role.0": "citizen", "scope.0": "" }),
      { id: w.id },
    );
    expect(res.status).toBe(200);
    expect(Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from user_session where id = ?", [warga.cookies.get("jejak_session")]))[0].n)).toBe(0);
    expect((await call(loginAction, warga.post("/login", { username: "warga", password: DEMO_PASSWORD }))).status).toBe(401);
  });

  it("an admin cannot lock themselves out", async () => {
    const admin = await signedIn("admin");
    const list = await body<{ users: { id: string; username: string; version: number }[] }>(await call(adminLoader, admin.get("/admin")));
    const me = list.users.find((u) => u.username === "admin")!;
    const res = await call(
      editUserAction,
      admin.post(`/admin/users/${me.id}`, { intent: "edit", version: String(me.version), displayName: "Admin", email: "", active: "1", "role.0": "citizen", "scope.0": "" }),
      { id: me.id },
    );
    expect(res.status).toBe(400);
    expect((await body(res)).message).toMatch(/administrator/);
  });

  it("resets a password, signing the user out everywhere", async () => {
    const monev = await signedIn("monev");
    const admin = await signedIn("admin");
    const list = await body<{ users: { id: string; username: string }[] }>(await call(adminLoader, admin.get("/admin")));
    const m = list.users.find((u) => u.username === "monev")!;
    const weak = await call(editUserAction, admin.post(`/admin/users/${m.id}`, { intent: "password", newPassword: "abc" }), { id: m.id });
    expect(weak.status).toBe(400);
    const ok = await call(editUserAction, admin.post(`/admin/users/${m.id}`, { intent: "password", newPassword: "sandi-monev-baru-1" }), { id: m.id });
    expect(ok.status).toBe(200);
    expect(Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from user_session where id = ?", [monev.cookies.get("jejak_session")]))[0].n)).toBe(0);
    const again = new Browser();
    expect((await call(loginAction, again.post("/login", { username: "monev", password: "sandi-monev-baru-1" }))).status).toBe(302);
  });
});
