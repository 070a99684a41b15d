import { randomBytes } from "node:crypto";
import pg from "pg";
import type { MikroORM, EntityManager } from "@mikro-orm/postgresql";
import { createOrm } from "../../domain/persistence";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import "../../exports/ocds/publish"; // procurement events publish their OCDS release in every test

/** The template databases (global-setup.ts): each demo stage's starts from the one before it. */
export type Template = "demo" | "empty" | "planned" | "budgeted" | "adopted" | "full" | "monev";

function adminUrl(): string {
  const url = process.env.JEJAK_TEST_PG_ADMIN_URL;
  if (!url) throw new Error("the test PostgreSQL is not running (tests/support/global-setup.ts)");
  return url;
}

export async function adminQuery(sql: string, params: unknown[] = [], database?: string) {
  const url = database ? adminUrl().replace(/\/postgres$/, `/${database}`) : adminUrl();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database from a template; retried because two files may copy the same template at once. */
export async function createTestDatabase(template: Template): Promise<{ name: string; url: string }> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`create database "${name}" template "jejak_tpl_${template}"`);
      break;
    } catch (e) {
      if (attempt > 40 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return { name, url: adminUrl().replace(/\/postgres$/, `/${name}`) };
}

export async function dropTestDatabase(name: string) {
  await adminQuery(`drop database if exists "${name}" with (force)`);
}

export interface TestDb {
  orm: MikroORM;
  url: string;
  name: string;
  tenant: string;
  /** A new unit of work limited to the demo tenant: use one per step, and a new one to re-read. */
  em(): EntityManager;
}

/**
 * A fresh database for this test file (from the demo or empty template), exposed to the app's own
 * modules through DATABASE_URL. Dropped after the file.
 */
export function useTestDatabase(template: Template = "demo"): TestDb {
  const handle = { tenant: DEMO_TENANT.code } as TestDb;
  beforeAll(async () => {
    const db = await createTestDatabase(template);
    process.env.DATABASE_URL = db.url;
    handle.url = db.url;
    handle.name = db.name;
    handle.orm = await createOrm(db.url, { pool: { min: 0, max: 5 } });
    handle.em = () => {
      const em = handle.orm.em.fork();
      em.setFilterParams("tenant", { tenant: handle.tenant });
      return em;
    };
  });
  afterAll(async () => {
    const { closeOrm } = await import("../../app/db.server");
    await closeOrm();
    await handle.orm?.close(true);
    if (handle.name) await dropTestDatabase(handle.name);
  });
  return handle;
}
