import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Lock-out after repeated failed logins: MAX_FAILURES failures within WINDOW lock the username for
 * LOCK. Keyed by username, known or not, so the lock does not reveal which accounts exist.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/** Pure rule: the state after one more failure at `now`. */
export function afterFailure(s: ThrottleState | null, now: Date): ThrottleState {
  if (!s || now.getTime() - s.windowStartedAt.getTime() > WINDOW_MS || (s.lockedUntil && s.lockedUntil <= now))
    return { failures: 1, windowStartedAt: now, lockedUntil: null };
  const failures = s.failures + 1;
  return {
    failures,
    windowStartedAt: s.windowStartedAt,
    lockedUntil: failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : s.lockedUntil,
  };
}

/** Minutes left on a lock (rounded up), or 0 when not locked. */
export function lockMinutesLeft(s: ThrottleState | null, now: Date): number {
  if (!s?.lockedUntil || s.lockedUntil <= now) return 0;
  return Math.ceil((s.lockedUntil.getTime() - now.getTime()) / 60_000);
}

export async function readThrottle(em: EntityManager, tenant: string, key: string): Promise<ThrottleState | null> {
  const rows = await em.execute<{ failures: number; window_started_at: Date; locked_until: Date | null }[]>(
    "select failures, window_started_at, locked_until from login_throttle where tenant_code = ? and key = ? for update",
    [tenant, key],
  );
  const r = rows[0];
  return r ? { failures: r.failures, windowStartedAt: new Date(r.window_started_at), lockedUntil: r.locked_until && new Date(r.locked_until) } : null;
}

export async function writeThrottle(em: EntityManager, tenant: string, key: string, s: ThrottleState): Promise<void> {
  await em.execute(
    `insert into login_throttle (tenant_code, key, failures, window_started_at, locked_until) values (?, ?, ?, ?, ?)
     on conflict (tenant_code, key) do update set failures = excluded.failures,
       window_started_at = excluded.window_started_at, locked_until = excluded.locked_until`,
    [tenant, key, s.failures, s.windowStartedAt, s.lockedUntil],
  );
}

export async function clearThrottle(em: EntityManager, tenant: string, key: string): Promise<void> {
  await em.execute("delete from login_throttle where tenant_code = ? and key = ?", [tenant, key]);
}
