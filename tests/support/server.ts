import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createTestDatabase, dropTestDatabase, type Template } from "./db";
import { freePort } from "../../schema/embedded-postgres";

export interface RunningServer {
  baseUrl: string;
  dbUrl: string;
  /** The server's process (under tsx): the primary when it runs workers. */
  pid: number;
  /** What the server has printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * The real server (server.ts serving the production build) on a fresh copy of the whole demo database,
 * as `npm start` runs it. Needs `npm run build` first (npm test does it). `env` adds to or overrides the
 * server's environment (e.g. MICROCACHE_SECONDS=0; one server process unless WEB_CONCURRENCY is given); `template` the database copied (default "full": the
 * demo up to e-Procurement; "monev" is every stage, as `npm start` serves it).
 */
export async function startServer(opts: { env?: Record<string, string>; template?: Template } = {}): Promise<RunningServer> {
  if (!existsSync("build/index.js")) throw new Error("build/index.js is missing: run `npm run build` first");
  const db = await createTestDatabase(opts.template ?? "full");
  const port = await freePort();
  const child: ChildProcess = spawn("node_modules/.bin/tsx", ["server.ts"], {
    // No scheduled complaint escalation unless a test asks for it (ESCALATION_MINUTES in opts.env), and one
    // process: a test's server serves one browser.
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", ESCALATION_MINUTES: "0", WEB_CONCURRENCY: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet listening */
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    dbUrl: db.url,
    pid: child.pid!,
    output: () => log,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      await dropTestDatabase(db.name);
      return child.exitCode;
    },
  };
}
