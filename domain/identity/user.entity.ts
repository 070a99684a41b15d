import { defineEntity, p } from "@mikro-orm/core";
import { tenantFilter, tenantOwnedProperties } from "../kernel/tenant-owned";
import { ROLES, SCOPE_KINDS } from "./roles";

const UserSchema = defineEntity({
  name: "User",
  tableName: "app_user",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    ...tenantOwnedProperties(),
    username: p.string(),
    displayName: p.string(),
    email: p.string().nullable(),
    passwordHash: p.string().hidden().lazy(),
    active: p.boolean().default(true),
    assignments: () => p.oneToMany(RoleAssignment).mappedBy("user").orphanRemoval(),
  },
});

/** A person with an account. Roles come from their assignments, each held within a scope. */
export class User extends UserSchema.class {}
UserSchema.setClass(User);

const RoleAssignmentSchema = defineEntity({
  name: "RoleAssignment",
  tableName: "role_assignment",
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    tenantCode: p.string(),
    user: () => p.manyToOne(User).deleteRule("cascade"),
    role: p.enum([...ROLES]),
    scopeKind: p.enum([...SCOPE_KINDS]),
    scopeCode: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class RoleAssignment extends RoleAssignmentSchema.class {}
RoleAssignmentSchema.setClass(RoleAssignment);
export { UserSchema, RoleAssignmentSchema };
