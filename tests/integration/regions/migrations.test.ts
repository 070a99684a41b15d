import { createTestDatabase, dropTestDatabase, adminQuery } from "../../support/db";
import { createOrm, migrate } from "../../../domain/persistence";
import { migrationsList } from "../../../schema/migrations/index";

describe("migrations", () => {
  it("build the schema from an empty database, then have nothing left to do", async () => {
    const { name, url } = await createTestDatabase("empty");
    await dropTestDatabase(name);
    await adminQuery(`create database "${name}" template template0`);
    const orm = await createOrm(url);
    try {
      expect(await migrate(orm)).toEqual(migrationsList.map((m) => m.name));
      expect(await migrate(orm)).toEqual([]);
      const tables = await orm.em.fork().execute<{ t: string }[]>(
        "select table_name t from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(tables.map((r) => r.t)).toEqual(
        expect.arrayContaining(["app_user", "audit_event", "login_throttle", "opd", "region", "role_assignment", "tenant", "user_session"]),
      );
      const [ext] = await orm.em.fork().execute<{ n: string }[]>("select count(*)::text n from pg_extension where extname = 'pg_trgm'");
      expect(ext.n).toBe("1");
    } finally {
      await orm.close(true);
      await dropTestDatabase(name);
    }
  });
});
