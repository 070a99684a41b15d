import { readFileSync } from "node:fs";
import { pgArray } from "../../domain/kernel/pg";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EntityManager } from "@mikro-orm/postgresql";
import { overlappingRules, type MethodRule } from "../../domain/procurement/rules";
import { isIn, KINDS, METHODS } from "../../domain/procurement/vocabulary";
import { parseCsv } from "../shared/csv";

const FILE = "method-rules.csv";

function dataFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "data"), path.resolve("imports/procurement/data")]) {
    const p = path.join(dir, FILE);
    try {
      readFileSync(p);
      return p;
    } catch {
      /* try the next */
    }
  }
  throw new Error(`imports/procurement/data/${FILE} not found`);
}

/** Reads the shipped method rules, refusing a malformed or overlapping table. */
export function shippedMethodRules(text = readFileSync(dataFile(), "utf8")): MethodRule[] {
  const [header, ...rows] = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ""));
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${FILE}: column ${name} missing`);
    return i;
  };
  const c = Object.fromEntries(["id", "regulation", "article", "effective_from", "effective_to", "method", "kind", "min_value", "max_value", "note"].map((n) => [n, col(n)]));
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const money = /^\d{1,18}(\.\d{1,2})?$/;
  const rules = rows.map((r, i) => {
    const at = `${FILE} row ${i + 2}`;
    const v = (n: string) => (r[c[n]] ?? "").trim();
    const method = v("method");
    const kind = v("kind");
    if (!isIn(METHODS, method) || !isIn(KINDS, kind)) throw new Error(`${at}: unknown method or kind`);
    if (!date.test(v("effective_from")) || (v("effective_to") && !date.test(v("effective_to")))) throw new Error(`${at}: dates must be yyyy-mm-dd`);
    for (const n of ["min_value", "max_value"]) if (v(n) && !money.test(v(n))) throw new Error(`${at}: ${n} must be an amount like 200000000.00`);
    return {
      id: v("id"),
      regulation: v("regulation"),
      article: v("article"),
      effectiveFrom: v("effective_from"),
      effectiveTo: v("effective_to") || null,
      method,
      kind,
      minValue: v("min_value") || null,
      maxValue: v("max_value") || null,
      note: v("note"),
    } satisfies MethodRule;
  });
  const overlaps = overlappingRules(rules);
  if (overlaps.length) throw new Error(`${FILE}: rules overlap: ${overlaps.join(", ")}`);
  return rules;
}

/** Makes `method_rule` hold exactly the shipped rules (idempotent; run at boot and by the seeds). */
export async function syncMethodRules(em: EntityManager): Promise<number> {
  const rules = shippedMethodRules();
  await em.transactional(async (tx) => {
    await tx.execute("delete from method_rule where not (id = any(?::text[]))", [pgArray(rules.map((r) => r.id))]);
    for (const r of rules)
      await tx.execute(
        `insert into method_rule (id, regulation, article, effective_from, effective_to, method, kind, min_value, max_value, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set regulation = excluded.regulation, article = excluded.article, effective_from = excluded.effective_from, effective_to = excluded.effective_to,
           method = excluded.method, kind = excluded.kind, min_value = excluded.min_value, max_value = excluded.max_value, note = excluded.note`,
        [r.id, r.regulation, r.article, r.effectiveFrom, r.effectiveTo, r.method, r.kind, r.minValue, r.maxValue, r.note],
      );
  });
  return rules.length;
}
