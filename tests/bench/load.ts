import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";

export interface LoadResult {
  path: string;
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/**
 * A small closed-loop HTTP load generator (like autocannon, but reporting the exact p95): `connections`
 * keep-alive clients each send one request after another for `seconds`. Only loopback targets.
 * `path` may be a list: the requests then rotate through it round-robin (e.g. one page per proposal),
 * and the result is reported under `opts.label` (default: the first path and the list's length).
 */
export async function load(
  baseUrl: string,
  path: string | readonly string[],
  opts: { connections: number; seconds: number; headers?: Record<string, string>; label?: string },
): Promise<LoadResult> {
  const paths = typeof path === "string" ? [path] : [...path];
  if (paths.length === 0) throw new Error("no paths to load");
  const urls = paths.map((p) => new URL(p, baseUrl));
  if (urls.some((u) => !["127.0.0.1", "localhost", "::1"].includes(u.hostname))) throw new Error("load tests target this machine only");
  let next = 0;
  const label = opts.label ?? (paths.length === 1 ? paths[0] : `${paths[0]} (+${paths.length - 1} more, round-robin)`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const until = Date.now() + opts.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const url = urls[next++ % urls.length];
      const t0 = process.hrtime.bigint();
      const req = http.get(url, { agent, headers: opts.headers }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    path: label,
    connections: opts.connections,
    requests: sorted.length,
    errors,
    non2xx,
    rps: Math.round(sorted.length / elapsed),
    p50: r2(pct(sorted, 50)),
    p95: r2(pct(sorted, 95)),
    p99: r2(pct(sorted, 99)),
    max: r2(sorted[sorted.length - 1] ?? 0),
  };
}

/**
 * `load` in a process of its own (this file run with `--child`, the arguments as JSON): the generator's
 * latencies are then not those of a bench process holding hundreds of megabytes of generated data, whose
 * garbage collection would stall every request it is timing.
 */
export async function loadApart(
  baseUrl: string,
  path: string | readonly string[],
  opts: { connections: number; seconds: number; headers?: Record<string, string>; label?: string },
): Promise<LoadResult> {
  const child = spawn("node_modules/.bin/tsx", [fileURLToPath(import.meta.url), "--child", JSON.stringify({ baseUrl, path, opts })], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(out) as LoadResult;
}

if (process.argv[2] === "--child") {
  const { baseUrl, path, opts } = JSON.parse(process.argv[3]) as { baseUrl: string; path: string | string[]; opts: Parameters<typeof load>[2] };
  void load(baseUrl, path, opts).then((r) => process.stdout.write(JSON.stringify(r)));
}
