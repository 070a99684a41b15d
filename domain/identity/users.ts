import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { parseKodeWilayah, wilayahWithin } from "../kernel/codes";
import { transact } from "../audit/transact";
import { Region } from "../regions/region.entity";
import { Opd } from "../tenancy/opd.entity";
import type { Actor, Assignment } from "./actor";
import { assertCan } from "./policy";
import { ROLE_SCOPE, isRole, type Role } from "./roles";
import { checkPasswordPolicy, hashPassword } from "./password";
import { normaliseUsername } from "./authenticate";
import { RoleAssignment, User } from "./user.entity";

export interface AssignmentInput {
  role: string;
  scopeCode: string;
}

export interface UserInput {
  username: string;
  displayName: string;
  email?: string | null;
  password: string;
  assignments: AssignmentInput[];
}

const USERNAME = /^[a-z0-9._-]{3,40}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function describe(u: User) {
  return {
    username: u.username,
    displayName: u.displayName,
    email: u.email ?? null,
    active: u.active,
    roles: u.assignments
      .getItems()
      .map((a) => `${a.role}@${a.scopeKind}:${a.scopeCode}`)
      .sort(),
  };
}

/**
 * Checks each requested role and scope: the role exists, the scope has the role's kind and exists
 * in this tenant (a desa of its kabupaten, an OPD of its own, …). Refuses with the field named.
 */
export async function resolveAssignments(em: EntityManager, tenant: string, input: AssignmentInput[]): Promise<Assignment[]> {
  if (input.length === 0) throw new DomainError("user.roleRequired", {}, "invalid", "assignments");
  const out: Assignment[] = [];
  for (const [i, a] of input.entries()) {
    const field = `assignments.${i}`;
    if (!isRole(a.role)) throw new DomainError("user.roleUnknown", { role: a.role }, "invalid", field);
    const kind = ROLE_SCOPE[a.role];
    const code = String(a.scopeCode ?? "").trim();
    if (kind === "tenant") {
      out.push({ role: a.role, scope: { kind, code: tenant } });
      continue;
    }
    // A supervising consultant's contracts are assigned by their PPK on the contract's page (with a record), not here.
    if (kind === "contract") throw new DomainError("user.contractScopeByPpk", { role: a.role }, "invalid", field);
    if (!code) throw new DomainError("user.scopeRequired", { role: a.role, kind }, "invalid", field);
    if (kind === "desa" || kind === "kecamatan") {
      const { code: c, level } = parseKodeWilayah(code, field);
      const region = await em.findOne(Region, { code: c });
      if (!region) throw new DomainError("region.unknown", { code: c }, "invalid", field);
      if (!wilayahWithin(c, tenant)) throw new DomainError("region.outsideTenant", { code: c }, "invalid", field);
      if (level !== (kind === "desa" ? 4 : 3)) throw new DomainError("user.scopeLevel", { code: c, kind }, "invalid", field);
    } else if (kind === "opd") {
      const opd = await em.findOne(Opd, { code }, { filters: { tenant: { tenant } } });
      if (!opd) throw new DomainError("opd.unknown", { code }, "invalid", field);
    }
    out.push({ role: a.role, scope: { kind, code } });
  }
  return out;
}

function uniqueAssignments(list: Assignment[]): Assignment[] {
  const seen = new Map<string, Assignment>();
  for (const a of list) seen.set(`${a.role}|${a.scope.kind}|${a.scope.code}`, a);
  return [...seen.values()];
}

/** Creates an account with its roles. Who: admin. Emits UserCreated. Refuses: bad fields, a taken username. */
export async function createUser(em: EntityManager, actor: Actor, clock: Clock, input: UserInput): Promise<string> {
  assertCan(actor, "admin.users.manage", { tenant: actor.tenant });
  const username = normaliseUsername(input.username);
  if (!USERNAME.test(username)) throw new DomainError("user.usernameFormat", {}, "invalid", "username");
  const displayName = String(input.displayName ?? "").trim();
  if (!displayName || displayName.length > 120) throw new DomainError("user.nameRequired", {}, "invalid", "displayName");
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email)) throw new DomainError("user.emailFormat", {}, "invalid", "email");
  checkPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  return transact(em, actor, clock, async (tx, record) => {
    const assignments = uniqueAssignments(await resolveAssignments(tx, actor.tenant, input.assignments));
    if (await tx.count(User, { username })) throw new DomainError("user.usernameTaken", { username }, "conflict", "username");
    const user = tx.create(User, { tenantCode: actor.tenant, username, displayName, email, passwordHash, active: true });
    for (const a of assignments)
      tx.create(RoleAssignment, { tenantCode: actor.tenant, user, role: a.role, scopeKind: a.scope.kind, scopeCode: a.scope.code });
    record({ type: "UserCreated", entityType: "User", entityId: user.id, before: null, after: describe(user) });
    return user.id;
  });
}

export interface UserUpdate {
  displayName: string;
  email?: string | null;
  active: boolean;
  assignments: AssignmentInput[];
  /** The version the editor saw: a stale one is refused (409), nothing is overwritten. */
  expectedVersion: number;
}

/** Edits an account's name, e-mail, active flag and roles. Who: admin. Emits UserUpdated. */
export async function updateUser(em: EntityManager, actor: Actor, clock: Clock, userId: string, input: UserUpdate): Promise<void> {
  assertCan(actor, "admin.users.manage", { tenant: actor.tenant });
  const displayName = String(input.displayName ?? "").trim();
  if (!displayName || displayName.length > 120) throw new DomainError("user.nameRequired", {}, "invalid", "displayName");
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email)) throw new DomainError("user.emailFormat", {}, "invalid", "email");
  await transact(em, actor, clock, async (tx, record) => {
    const user = await tx.findOne(User, { id: userId }, { populate: ["assignments"] });
    if (!user) throw new DomainError("user.notFound", { id: userId }, "notFound");
    if (user.version !== input.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (user.id === actor.userId && !input.active) throw new DomainError("user.cannotDeactivateSelf", {}, "invalid", "active");
    const wanted = uniqueAssignments(await resolveAssignments(tx, actor.tenant, input.assignments));
    if (user.id === actor.userId && !wanted.some((a) => a.role === "admin"))
      throw new DomainError("user.cannotDropOwnAdmin", {}, "invalid", "assignments");
    const before = describe(user);
    user.displayName = displayName;
    user.email = email;
    user.active = input.active;
    const key = (a: { role: string; scopeKind: string; scopeCode: string }) => `${a.role}|${a.scopeKind}|${a.scopeCode}`;
    const wantedKeys = new Set(wanted.map((a) => key({ role: a.role, scopeKind: a.scope.kind, scopeCode: a.scope.code })));
    for (const a of user.assignments.getItems()) if (!wantedKeys.has(key(a))) user.assignments.remove(a);
    const have = new Set(user.assignments.getItems().map(key));
    for (const a of wanted)
      if (!have.has(key({ role: a.role, scopeKind: a.scope.kind, scopeCode: a.scope.code })))
        user.assignments.add(tx.create(RoleAssignment, { tenantCode: actor.tenant, user, role: a.role, scopeKind: a.scope.kind, scopeCode: a.scope.code }));
    // Any change to an account bumps its version, roles included, so concurrent edits conflict.
    user.updatedAt = clock.now();
    record({ type: "UserUpdated", entityType: "User", entityId: user.id, before, after: describe(user) });
    if (!input.active) await tx.execute("delete from user_session where user_id = ?", [user.id]);
  });
}

/** Sets a new password and signs the user out everywhere. Who: admin. Emits UserPasswordReset. */
export async function resetPassword(em: EntityManager, actor: Actor, clock: Clock, userId: string, password: string): Promise<void> {
  assertCan(actor, "admin.users.manage", { tenant: actor.tenant });
  checkPasswordPolicy(password);
  const passwordHash = await hashPassword(password);
  await transact(em, actor, clock, async (tx, record) => {
    const user = await tx.findOne(User, { id: userId });
    if (!user) throw new DomainError("user.notFound", { id: userId }, "notFound");
    user.passwordHash = passwordHash;
    record({ type: "UserPasswordReset", entityType: "User", entityId: user.id });
    await tx.execute("delete from user_session where user_id = ?", [user.id]);
  });
}

export type { Role };
