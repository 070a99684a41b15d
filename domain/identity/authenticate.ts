import type { EntityManager } from "@mikro-orm/postgresql";
import type { Clock } from "../kernel/clock";
import { appendAudit } from "../audit/append";
import { Actor } from "./actor";
import { dummyHash, verifyPassword } from "./password";
import { afterFailure, clearThrottle, lockMinutesLeft, readThrottle, writeThrottle } from "./throttle";

export type LoginOutcome =
  | { ok: true; userId: string; username: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; minutes: number };

export function normaliseUsername(u: string): string {
  return String(u ?? "").trim().toLowerCase();
}

/**
 * Checks a username and password. Who: anyone. Emits LoginSucceeded, LoginFailed or LoginLocked to
 * the audit trail. Refuses: an unknown user, a wrong password or an inactive account (all "invalid",
 * indistinguishable), and any attempt while the username is locked after repeated failures.
 */
export async function authenticate(
  em: EntityManager,
  tenant: string,
  usernameInput: string,
  password: string,
  clock: Clock,
): Promise<LoginOutcome> {
  const username = normaliseUsername(usernameInput);
  const key = `user:${username}`;
  const now = clock.now();
  return em.transactional(async (tx) => {
    const state = await readThrottle(tx, tenant, key);
    const locked = lockMinutesLeft(state, now);
    const anon = Actor.anonymous(tenant);
    const event = (type: string, after: Record<string, unknown>) => ({ type, entityType: "User", entityId: username, after });
    if (locked > 0) {
      await appendAudit(tx, anon, [event("LoginLocked", { minutes: locked })], now);
      return { ok: false, reason: "locked", minutes: locked } as const;
    }
    const rows = await tx.execute<{ id: string; password_hash: string; active: boolean }[]>(
      "select id, password_hash, active from app_user where tenant_code = ? and username = ?",
      [tenant, username],
    );
    const user = rows[0];
    const good = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
    if (!user || !good || !user.active) {
      const next = afterFailure(state, now);
      await writeThrottle(tx, tenant, key, next);
      const nowLocked = lockMinutesLeft(next, now);
      await appendAudit(tx, anon, [event(nowLocked ? "LoginLocked" : "LoginFailed", { failures: next.failures })], now);
      return nowLocked > 0 ? ({ ok: false, reason: "locked", minutes: nowLocked } as const) : ({ ok: false, reason: "invalid" } as const);
    }
    await clearThrottle(tx, tenant, key);
    const actor = new Actor(tenant, user.id, username, username, []);
    await appendAudit(tx, actor, [{ type: "LoginSucceeded", entityType: "User", entityId: user.id }], now);
    return { ok: true, userId: user.id, username } as const;
  });
}

/**
 * Loads the actor for a signed-in user id: their name and role assignments. Null if gone or inactive.
 * Besides the roles the admin grants (role_assignment), a supervising consultant holds its role on each
 * contract a PPK assigned it to and has not unassigned (contract_supervisor, migration 0021).
 */
export async function loadActor(em: EntityManager, tenant: string, userId: string): Promise<Actor | null> {
  const rows = await em.execute<
    { username: string; display_name: string; active: boolean; role: string | null; scope_kind: string | null; scope_code: string | null }[]
  >(
    `select u.username, u.display_name, u.active, r.role, r.scope_kind, r.scope_code
       from app_user u left join (
              select user_id, role, scope_kind, scope_code from role_assignment
              union all
              select user_id, 'supervising_consultant', 'contract', contract_id::text from contract_supervisor where ended_at is null) r on r.user_id = u.id
      where u.tenant_code = ? and u.id = ? order by r.role, r.scope_code`,
    [tenant, userId],
  );
  if (rows.length === 0 || !rows[0].active) return null;
  const assignments = rows
    .filter((r) => r.role)
    .map((r) => ({ role: r.role as never, scope: { kind: r.scope_kind as never, code: r.scope_code! } }));
  return new Actor(tenant, userId, rows[0].username, rows[0].display_name, assignments);
}

/** Records that a user signed out (the session itself is ended by the edge). Emits LoggedOut. */
export async function recordLogout(em: EntityManager, actor: Actor, clock: Clock): Promise<void> {
  if (!actor.userId) return;
  await em.transactional((tx) => appendAudit(tx, actor, [{ type: "LoggedOut", entityType: "User", entityId: actor.userId! }], clock.now()));
}
