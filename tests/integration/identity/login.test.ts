import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { action as loginAction, loader as loginLoader } from "../../../app/routes/login";
import { action as logoutAction } from "../../../app/routes/logout";
import { loader as desaLoader } from "../../../app/routes/forum.desa.$kode";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { MAX_FAILURES } from "../../../domain/identity/throttle";

const db = useTestDatabase("demo");

async function login(b: Browser, username: string, password = DEMO_PASSWORD, extra: Record<string, string> = {}) {
  const res = await call(loginAction, b.post("/login", { username, password, ...extra }));
  b.take(res);
  return res;
}

async function count(sql: string, params: unknown[] = []) {
  const [r] = await db.em().execute<{ n: string }[]>(sql, params as never[]);
  return Number(r.n);
}

describe("login, sessions and logout", () => {
  it("signs a facilitator in, straight to their desa workspace, with a secure session cookie", async () => {
    const b = new Browser();
    const res = await login(b, "fasil.desa");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/forum/desa/35.22.06.2001");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("jejak_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const page = await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" });
    expect(page.status).toBe(200);
    expect((await body<{ region: { name: string } }>(page)).region.name).toBe("Ngunut");
    expect(await count("select count(*)::text n from audit_event where action = 'LoginSucceeded'")).toBeGreaterThan(0);
  });

  it("marks the session cookie Secure on https", async () => {
    const b = new Browser();
    const req = b.post("/login", { username: "warga", password: DEMO_PASSWORD }, { headers: { "x-forwarded-proto": "https" } });
    const res = await call(loginAction, req);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("jejak_session="))).toMatch(/Secure/);
  });

  it("refuses a wrong password with a clear message, and creates no session", async () => {
    const b = new Browser();
    const before = await count("select count(*)::text n from user_session");
    const res = await login(b, "bappeda", "salah-sandi-123");
    expect(res.status).toBe(401);
    expect((await body(res)).message).toBe("Nama pengguna atau kata sandi salah.");
    expect(await count("select count(*)::text n from user_session")).toBe(before);
  });

  it("answers in English when the visitor chose English", async () => {
    const b = new Browser();
    b.cookies.set("jejak_lang", "en");
    expect((await body(await login(b, "bappeda", "wrong-password-1"))).message).toBe("Wrong username or password.");
  });

  it("names empty fields", async () => {
    const res = await login(new Browser(), "", "");
    expect(res.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(res)).fieldErrors).toEqual({
      username: "Kolom ini wajib diisi.",
      password: "Kolom ini wajib diisi.",
    });
  });

  it(`locks a username after ${MAX_FAILURES} failures, even for the right password, and says for how long`, async () => {
    const b = new Browser();
    for (let i = 1; i < MAX_FAILURES; i++) expect((await login(b, "tapd", `wrong-${i}-password`)).status).toBe(401);
    const locked = await login(b, "tapd", "wrong-again-1");
    expect(locked.status).toBe(429);
    expect((await body(locked)).message).toMatch(/dikunci sementara; coba lagi dalam 15 menit/);
    const right = await login(b, "tapd", DEMO_PASSWORD);
    expect(right.status).toBe(429);
    expect(await count("select count(*)::text n from audit_event where action = 'LoginLocked'")).toBeGreaterThanOrEqual(2);
    // Unknown usernames are throttled the same way: the lock reveals nothing about which accounts exist.
    for (let i = 0; i < MAX_FAILURES; i++) await login(b, "tidak.ada", "wrong-password-9");
    expect((await login(b, "tidak.ada", "wrong-password-9")).status).toBe(429);
    // After the lock, the right password works again.
    await db.em().execute("update login_throttle set locked_until = now() - interval '1 second' where key = 'user:tapd'");
    expect((await login(b, "tapd", DEMO_PASSWORD)).status).toBe(302);
  });

  it("ends an expired session with a message, and the old cookie opens nothing", async () => {
    const b = new Browser();
    await login(b, "fasil.desa");
    const sid = b.cookies.get("jejak_session")!;
    await db.em().execute("update user_session set expires_at = now() - interval '1 minute' where id = ?", [sid]);
    const res = await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2Fforum%2Fdesa%2F35.22.06.2001&expired=1");
    b.take(res);
    const page = await call(loginLoader, b.get("/login?next=%2Fforum%2Fdesa%2F35.22.06.2001&expired=1"));
    expect((await body<{ notice: string }>(page)).notice).toBe("login.expired");
  });

  it("ends a session past its absolute lifetime even while it is being used", async () => {
    const b = new Browser();
    await login(b, "fasil.desa");
    await db.em().execute("update user_session set created_at = now() - interval '25 hours' where id = ?", [b.cookies.get("jejak_session")]);
    const res = await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/expired=1/);
  });

  it("rotates the session id when lucia extends it, and keeps the old one only for a short grace", async () => {
    const b = new Browser();
    await login(b, "fasil.desa");
    const old = b.cookies.get("jejak_session")!;
    // Past half of its idle lifetime: the next request extends it, with a new id.
    await db.em().execute("update user_session set expires_at = now() + interval '1 hour' where id = ?", [old]);
    const res = await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" });
    expect(res.status).toBe(200);
    b.take(res);
    const fresh = b.cookies.get("jejak_session")!;
    expect(fresh).not.toBe(old);
    const [row] = await db.em().execute<{ left: string }[]>("select extract(epoch from expires_at - now())::text as left from user_session where id = ?", [old]);
    expect(Number(row.left)).toBeLessThanOrEqual(61);
    expect((await call(desaLoader, b.get("/forum/desa/35.22.06.2001"), { kode: "35.22.06.2001" })).status).toBe(200);
  });

  it("logs out: the session row is gone and the cookie cleared", async () => {
    const b = new Browser();
    await login(b, "auditor");
    const sid = b.cookies.get("jejak_session")!;
    const res = await call(logoutAction, b.post("/logout", {}));
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().some((c) => /^jejak_session=;.*Max-Age=0/.test(c))).toBe(true);
    expect(await count("select count(*)::text n from user_session where id = ?", [sid])).toBe(0);
    expect(await count("select count(*)::text n from audit_event where action = 'LoggedOut'")).toBe(1);
  });

  it("starts a new session at login: an id planted before login is discarded", async () => {
    const b = new Browser();
    await login(b, "warga");
    const first = b.cookies.get("jejak_session")!;
    await login(b, "warga");
    expect(b.cookies.get("jejak_session")).not.toBe(first);
    expect(await count("select count(*)::text n from user_session where id = ?", [first])).toBe(0);
  });

  it("never redirects off-site after login", async () => {
    const b = new Browser();
    const res = await login(b, "bappeda", DEMO_PASSWORD, { next: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/plan");
  });
});

describe("CSRF and bad input", () => {
  it("refuses a forged or missing token with 403 and a message, and changes nothing", async () => {
    const b = new Browser();
    const sessions = await count("select count(*)::text n from user_session");
    for (const csrf of ["forged-token", null, new Browser().csrf]) {
      const res = await call(loginAction, b.post("/login", { username: "admin", password: DEMO_PASSWORD }, { csrf }));
      expect(res.status).toBe(403);
      expect((await body(res)).messageKey).toBe("csrf.invalid");
    }
    expect(await count("select count(*)::text n from user_session")).toBe(sessions);
  });

  it("refuses a POST from another origin even with a valid token", async () => {
    const b = new Browser();
    const res = await call(loginAction, b.post("/login", { username: "admin", password: DEMO_PASSWORD }, { headers: { origin: "https://evil.example", host: "localhost" } }));
    expect(res.status).toBe(403);
  });

  it("refuses oversized and malformed fields with a clear message", async () => {
    const b = new Browser();
    const long = await call(loginAction, b.post("/login", { username: "a".repeat(41), password: "x" }));
    expect(long.status).toBe(400);
    expect((await body(long)).messageKey).toBe("form.tooLarge");
    const huge = await call(
      loginAction,
      new Request("http://localhost/login", {
        method: "POST",
        body: "x=" + "a".repeat(300_000),
        headers: { cookie: b.header(), "content-type": "application/x-www-form-urlencoded", "content-length": "300002" },
      }),
    );
    expect(huge.status).toBe(413);
    const garbled = await call(
      loginAction,
      new Request("http://localhost/login", { method: "POST", body: "--x\r\nnonsense", headers: { cookie: b.header(), "content-type": "multipart/form-data; boundary=zzz" } }),
    );
    expect(garbled.status).toBe(400);
    expect((await body(garbled)).messageKey).toBe("form.malformed");
  });
});
