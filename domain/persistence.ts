import { MikroORM, PostgreSqlDriver, type Options } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { migrationsList } from "../schema/migrations/index";
import { RegionSchema } from "./regions/region.entity";
import { TenantSchema } from "./tenancy/tenant.entity";
import { OpdSchema } from "./tenancy/opd.entity";
import { UserSchema, RoleAssignmentSchema } from "./identity/user.entity";
import { AuditEventSchema } from "./audit/audit-event.entity";
import { ForumSchema, ProposalSchema, CriterionSchema, EventSchema } from "./musrenbang/entities";

/** Every mapped entity. A new module adds its schemas here. */
export const entities = [
  RegionSchema,
  TenantSchema,
  OpdSchema,
  UserSchema,
  RoleAssignmentSchema,
  AuditEventSchema,
  ForumSchema,
  ProposalSchema,
  CriterionSchema,
  EventSchema,
];

export function ormOptions(databaseUrl: string, extra: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, tableName: "mikro_orm_migrations", transactional: true, allOrNothing: true, silent: true, snapshot: false },
    pool: { min: 0, max: Number(process.env.DATABASE_POOL_MAX ?? 10) },
    debug: process.env.ORM_DEBUG === "1",
    allowGlobalContext: false,
    ...extra,
  };
}

export async function createOrm(databaseUrl: string, extra: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, extra));
}

/** Applies every pending migration in one transaction. Returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
