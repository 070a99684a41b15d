import type { EntityManager } from "@mikro-orm/postgresql";
import { CompiledQuery } from "kysely";

/**
 * insert … select from json_to_recordset($1::json), in chunks, each chunk's rows bound as one JSON
 * parameter on the transaction's own Kysely connection: MikroORM's execute formats every parameter into the
 * statement text, which for megabytes of JSON costs more than the insert itself (measured: 0.5 s of the
 * client's CPU per 3 MB chunk, against 45 ms bound). `fixed` are constant SQL expressions for `fixedColumns`;
 * `exprs` replaces a column's select expression (e.g. decode(sealed, 'base64')). Shared by the scale generators.
 */
export async function insertRows(em: EntityManager, table: string, defs: string, rows: Record<string, unknown>[], opts: { fixed?: string; fixedColumns?: string; exprs?: Record<string, string>; chunk?: number } = {}) {
  const columns = defs.split(",").map((d) => d.trim().split(" ")[0]);
  const chunk = opts.chunk ?? 2000;
  const into = [...(opts.fixedColumns ? [opts.fixedColumns] : []), ...columns].join(", ");
  const select = [...(opts.fixed ? [opts.fixed] : []), ...columns.map((c) => opts.exprs?.[c] ?? c)].join(", ");
  const kysely = em.getKysely();
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk).map((r, j) => ({ ord: i + j, ...r }));
    await kysely.executeQuery(CompiledQuery.raw(`insert into ${table} (${into}) select ${select} from json_to_recordset($1::json) as x(ord int, ${defs}) order by ord`, [JSON.stringify(part)]));
  }
}

/**
 * The same through MikroORM's execute, the JSON inlined into the statement: what the earlier generators
 * use (their chunks are small enough for it). `fixed` are constant columns (SQL literals) prepended to every row.
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
