import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * insert … select from json_to_recordset(?::json), in chunks: MikroORM's execute inlines parameters (and
 * would expand an array into a list), so each chunk travels as one JSON string. `fixed` are constant
 * columns (SQL literals) prepended to every row. Shared by the scale generators.
 */
export async function bulk(em: EntityManager, table: string, defs: string, rows: Record<string, unknown>[], fixed: string, fixedColumns: string, chunk = 2000) {
  const columns = defs.split(",").map((d) => d.trim().split(" ")[0]);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk).map((r, j) => ({ ord: i + j, ...r }));
    await em.execute(
      `insert into ${table} (${fixedColumns}, ${columns.join(", ")})
       select ${fixed}, ${columns.join(", ")} from json_to_recordset(?::json) as x(ord int, ${defs}) order by ord`,
      [JSON.stringify(part)],
    );
  }
}
