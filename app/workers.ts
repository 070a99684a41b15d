/**
 * How many processes serve requests (server.ts). Node runs JavaScript on one thread, so one process uses
 * one core however many the machine has; with several, a primary process starts the database and brings
 * it to the code's schema once, then forks that many workers, which share the listening port (the
 * primary hands them connections in turn) and each keep their own pool of DATABASE_POOL_MAX connections.
 *
 * WEB_CONCURRENCY (the name Heroku and most Node hosts use): a whole number of worker processes, 1 to 64;
 * 1 serves from the one process, as before. Unset: one per core the process may use, at most
 * DEFAULT_MAX_WORKERS (the database wants cores too); `auto` means the same.
 *
 * Kept free of server-only imports: server.ts reads it before the build is loaded.
 */
export const DEFAULT_MAX_WORKERS = 4;

export function webConcurrency(raw: string | undefined, cores: number): number {
  const s = (raw ?? "").trim().toLowerCase();
  if (s === "" || s === "auto") return Math.max(1, Math.min(DEFAULT_MAX_WORKERS, Math.floor(cores)));
  if (!/^\d{1,2}$/.test(s) || Number(s) < 1 || Number(s) > 64) throw new Error(`WEB_CONCURRENCY must be a whole number of processes from 1 to 64, or "auto", got "${raw}"`);
  return Number(s);
}

/**
 * A worker that dies is started again, unless workers keep dying right after starting (a broken
 * deployment): then the server stops instead of restarting them for ever. `exits` are the times (ms) at
 * which workers exited, newest last.
 */
export const CRASH_WINDOW_MS = 60_000;
export const CRASHES_ALLOWED = 5;

export function tooManyCrashes(exits: readonly number[], now: number): boolean {
  return exits.filter((t) => now - t < CRASH_WINDOW_MS).length > CRASHES_ALLOWED;
}
