import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { redirect } from "@remix-run/node";
import { getOrm } from "./db.server";
import { config } from "./config.server";
import { readCookie, serializeCookie } from "./cookies.server";
import { Actor } from "../domain/identity/actor";
import { loadActor } from "../domain/identity/authenticate";

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: Date;
  tenant_code: string;
  created_at: Date;
}

async function sql<T>(query: string, params: unknown[]): Promise<T[]> {
  const orm = await getOrm();
  return orm.em.fork().execute<T[]>(query, params as never[]);
}

const toSession = (r: SessionRow): DatabaseSession => ({
  id: r.id,
  userId: r.user_id,
  expiresAt: new Date(r.expires_at),
  attributes: { tenant_code: r.tenant_code, created_at: new Date(r.created_at) },
});

/** Lucia's sessions stored in PostgreSQL (table user_session). */
const adapter: Adapter = {
  async getSessionAndUser(id) {
    const rows = await sql<SessionRow & { active: boolean }>(
      `select s.*, u.active from user_session s join app_user u on u.id = s.user_id where s.id = ?`,
      [id],
    );
    const r = rows[0];
    if (!r || !r.active) return [null, null];
    const user: DatabaseUser = { id: r.user_id, attributes: {} };
    return [toSession(r), user];
  },
  async getUserSessions(userId) {
    return (await sql<SessionRow>("select * from user_session where user_id = ?", [userId])).map(toSession);
  },
  async setSession(s) {
    const a = s.attributes as { tenant_code: string };
    await sql("insert into user_session (id, tenant_code, user_id, expires_at) values (?, ?, ?, ?)", [s.id, a.tenant_code, s.userId, s.expiresAt]);
  },
  async updateSessionExpiration(id, expiresAt) {
    await sql("update user_session set expires_at = ? where id = ?", [expiresAt, id]);
  },
  async deleteSession(id) {
    await sql("delete from user_session where id = ?", [id]);
  },
  async deleteUserSessions(userId) {
    await sql("delete from user_session where user_id = ?", [userId]);
  },
  async deleteExpiredSessions() {
    await sql("delete from user_session where expires_at <= now()", []);
  },
};

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseSessionAttributes: { tenant_code: string; created_at?: Date };
    UserId: string;
  }
}

export const SESSION_COOKIE = "jejak_session";

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(config().sessionIdleHours, "h"),
  sessionCookie: { name: SESSION_COOKIE, expires: false, attributes: { sameSite: "lax" } },
  getSessionAttributes: (a) => ({ tenant: a.tenant_code, createdAt: a.created_at ?? new Date() }),
});

export function sessionCookie(request: Request, id: string): string {
  return serializeCookie(request, SESSION_COOKIE, id);
}
export function blankSessionCookie(request: Request): string {
  return serializeCookie(request, SESSION_COOKIE, "", { maxAgeSeconds: 0 });
}

/** Starts a new session (a new id: a session fixed before login never survives it). */
export async function startSession(request: Request, userId: string): Promise<string> {
  const old = readCookie(request, SESSION_COOKIE);
  if (old) await lucia.invalidateSession(old);
  const s = await lucia.createSession(userId, { tenant_code: config().tenant });
  return sessionCookie(request, s.id);
}

export async function endSession(request: Request): Promise<string> {
  const id = readCookie(request, SESSION_COOKIE);
  if (id) {
    rotations.delete(id);
    await lucia.invalidateSession(id);
  }
  return blankSessionCookie(request);
}

export interface Viewer {
  actor: Actor;
  /** Set-Cookie to send back when the session was rotated or ended. */
  setCookie: string | null;
  /** A session cookie was sent but is no longer valid. */
  expired: boolean;
}

/**
 * Who is asking. Validates the lucia session (idle expiry, sliding), enforces an absolute lifetime,
 * and rotates the session id whenever lucia extends it, so a stolen id soon stops working.
 */
const rotations = new Map<string, { at: number; viewer: Promise<Viewer> }>();
const ROTATION_GRACE_MS = 60_000;

export async function getViewer(request: Request): Promise<Viewer> {
  const tenant = config().tenant;
  const id = readCookie(request, SESSION_COOKIE);
  if (!id) return { actor: Actor.anonymous(tenant), setCookie: null, expired: false };
  // Parallel loaders of one page (and a burst of requests) sent with an id that was just rotated
  // all get the same new session, instead of racing to rotate it twice.
  const now = Date.now();
  for (const [k, v] of rotations) if (now - v.at > ROTATION_GRACE_MS) rotations.delete(k);
  const pending = rotations.get(id);
  if (pending) return pending.viewer;
  const viewer = resolveViewer(request, id, tenant);
  rotations.set(id, { at: now, viewer });
  const v = await viewer;
  if (!v.setCookie || v.expired) rotations.delete(id);
  return v;
}

async function resolveViewer(request: Request, id: string, tenant: string): Promise<Viewer> {
  const { session, user } = await lucia.validateSession(id);
  const maxMs = config().sessionMaxHours * 3600_000;
  if (!session || !user || session.tenant !== tenant || Date.now() - session.createdAt.getTime() > maxMs) {
    if (session) await lucia.invalidateSession(session.id);
    return { actor: Actor.anonymous(tenant), setCookie: blankSessionCookie(request), expired: true };
  }
  const orm = await getOrm();
  const actor = await loadActor(orm.em.fork(), tenant, user.id);
  if (!actor) {
    await lucia.invalidateSession(session.id);
    return { actor: Actor.anonymous(tenant), setCookie: blankSessionCookie(request), expired: true };
  }
  let setCookie: string | null = null;
  if (session.fresh) {
    // Extended by lucia: rotate the id, keeping the session's original start for the absolute limit.
    const next = await lucia.createSession(user.id, { tenant_code: tenant, created_at: session.createdAt });
    await sql("update user_session set created_at = ? where id = ?", [session.createdAt, next.id]);
    // The old id lives on for a short grace period, for requests already in flight.
    await sql("update user_session set expires_at = ? where id = ?", [new Date(Date.now() + ROTATION_GRACE_MS), session.id]);
    setCookie = sessionCookie(request, next.id);
  }
  return { actor, setCookie, expired: false };
}

/** The signed-in actor, or a redirect to /login that comes back here afterwards. */
export async function requireViewer(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer.actor.isAuthenticated) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ next: url.pathname + url.search });
    if (viewer.expired) params.set("expired", "1");
    throw redirect(`/login?${params}`, viewer.setCookie ? { headers: { "Set-Cookie": viewer.setCookie } } : undefined);
  }
  return viewer;
}
