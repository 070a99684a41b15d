import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { startServer, type RunningServer } from "../support/server";
import { DEMO_PASSWORD } from "../../imports/demo/bojonegoro";

/**
 * `npm start` with worker processes (WEB_CONCURRENCY, app/workers.ts), as it runs on a machine with
 * several cores: one database boot, one schedule, sessions and signed forms good on every worker, a dead
 * worker replaced, and a clean stop of the whole process tree.
 */

let server: RunningServer;
let stopped = false;

beforeAll(async () => {
  server = await startServer({ template: "demo", env: { WEB_CONCURRENCY: "2", ESCALATION_MINUTES: "60" } });
});
afterAll(async () => {
  if (!stopped) await server?.stop();
});

/** The live processes under `pid`, all generations. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parent.set(Number(d), Number(readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  for (let frontier = [pid]; frontier.length; ) {
    frontier = [...parent].filter(([, p]) => frontier.includes(p)).map(([c]) => c);
    out.push(...frontier);
  }
  return out;
}
/** The worker processes: those started with the server's entry whose parent is also one. */
function workers(): number[] {
  const all = descendants(server.pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("server.ts");
    } catch {
      return false;
    }
  });
  const ppid = (p: number) => Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  return all.filter((p) => all.includes(ppid(p)));
}

/** One request on a connection of its own: the primary hands each new connection to the next worker. */
function request(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, server.baseUrl), { method: opts.method ?? "GET", headers: opts.headers, agent: false, timeout: 15_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${path}: no answer in 15 s`)));
    req.end(opts.body);
  });
}
const cookiesOf = (h: http.IncomingHttpHeaders) => (h["set-cookie"] ?? []).map((c) => c.split(";")[0]);

describe("the server with two worker processes", () => {
  it("boots once, names its workers, and runs the escalation schedule in one of them", async () => {
    // Announced once every worker listens (the first one answers /healthz already).
    await expect.poll(() => server.output(), { timeout: 30_000 }).toContain("(2 worker processes)");
    expect(workers()).toHaveLength(2);
    const out = server.output();
    expect(out.match(/complaint escalation every 60 min/g)).toHaveLength(1);
    expect(out.match(/Jejak serving tenant/g)).toHaveLength(1);
  });

  it("signs in with a form one worker signed and another checks, and the session holds on both", async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const form = await request("/login");
      const csrf = cookiesOf(form.headers).find((c) => c.startsWith("jejak_csrf="))!;
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
      expect(token).toBeTruthy();
      const login = await request("/login", {
        method: "POST",
        headers: { cookie: csrf, origin: server.baseUrl, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: "tapd", password: DEMO_PASSWORD, _csrf: token! }).toString(),
      });
      expect(login.status, `sign-in ${attempt + 1}`).toBe(302);
      const session = cookiesOf(login.headers).find((c) => /^jejak_session=./.test(c));
      expect(session).toBeTruthy();
      for (let i = 0; i < 3; i++) {
        const page = await request("/budget", { headers: { cookie: `${csrf}; ${session}` } });
        expect(page.status).toBe(200);
        expect(page.body).toContain('data-testid="workspace-title"');
      }
    }
  });

  it("replaces a worker that dies, and keeps serving meanwhile", async () => {
    const [first, second] = workers();
    process.kill(second, "SIGKILL");
    // Once the primary has seen the death (a connection handed to a worker at the moment it dies is lost
    // with it: Node's cluster), the other worker serves while the new one starts.
    await expect.poll(() => /worker \d exited \(SIGKILL\)/.test(server.output()), { timeout: 10_000 }).toBe(true);
    expect((await request("/healthz")).status).toBe(200);
    await expect.poll(() => workers().filter((p) => p !== first && p !== second).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await Promise.all([1, 2, 3, 4].map(() => request("/healthz")))).map((r) => r.status), { timeout: 30_000 }).toEqual([200, 200, 200, 200]);
  });

  it("stops with every worker on SIGTERM", async () => {
    const tree = descendants(server.pid);
    stopped = true;
    expect(await server.stop()).toBe(0);
    const alive = tree.filter((p) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
