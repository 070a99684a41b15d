import type { MikroORM } from "@mikro-orm/postgresql";
import type { EntityManager } from "@mikro-orm/postgresql";
import { createOrm } from "../domain/persistence";
import { config } from "./config.server";

/** One ORM per process, kept on globalThis so that rebuilds in development reuse it. */
const g = globalThis as unknown as { __jejakOrm?: Promise<MikroORM> };

export function getOrm(): Promise<MikroORM> {
  if (!g.__jejakOrm) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)");
    g.__jejakOrm = createOrm(url);
  }
  return g.__jejakOrm;
}

/** A fresh unit of work for one request, limited to this deployment's tenant. */
export async function em(): Promise<EntityManager> {
  const orm = await getOrm();
  const fork = orm.em.fork();
  fork.setFilterParams("tenant", { tenant: config().tenant });
  return fork;
}

export async function closeOrm(): Promise<void> {
  const orm = await g.__jejakOrm;
  g.__jejakOrm = undefined;
  await orm?.close(true);
}
