import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { accountLevel, accountParent, nomenclatureLevel, nomenclatureParent, type NomenclatureLevel } from "./codes";
import { isUuid } from "../kernel/codes";

export interface NomenclatureRow {
  /** The spreadsheet row (as the user sees it), for error messages. */
  row: number;
  code: string;
  name: string;
  output?: string;
  indicator?: string;
  unit?: string;
}

export interface RowProblem {
  row: number;
  field: "code" | "name" | "parent";
  key: string;
  params?: Record<string, unknown>;
}

export interface SetHeader {
  kind: "planning" | "account";
  decree: string;
  appliesFrom: number | string;
  subWidth?: 2 | 4;
  source?: string;
}

interface Checked {
  code: string;
  level: NomenclatureLevel | number;
  parent: string | null;
  name: string;
  output: string;
  indicator: string;
  unit: string;
}

/**
 * Checks every row of a nomenclature or account-code list: the code's shape, no duplicate, a parent
 * that exists in the same list (rows may come in any order), and a name. Returns all problems by row.
 */
export function checkNomenclature(header: SetHeader, rows: NomenclatureRow[]): { items: Checked[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  const items: (Checked & { row: number })[] = [];
  const subWidth = header.subWidth ?? 4;
  for (const r of rows) {
    const code = String(r.code ?? "").trim();
    const name = String(r.name ?? "").trim();
    const level = header.kind === "planning" ? nomenclatureLevel(code, subWidth) : accountLevel(code);
    if (level === null) {
      problems.push({ row: r.row, field: "code", key: header.kind === "planning" ? "nomenclature.codeFormat" : "nomenclature.accountFormat", params: { code, width: subWidth } });
      continue;
    }
    if (seen.has(code)) {
      problems.push({ row: r.row, field: "code", key: "nomenclature.duplicate", params: { code, first: seen.get(code) } });
      continue;
    }
    seen.set(code, r.row);
    if (!name || name.length > 500) problems.push({ row: r.row, field: "name", key: "nomenclature.nameRequired", params: { code } });
    const parent = typeof level === "number" ? accountParent(code) : nomenclatureParent(code, level);
    items.push({ row: r.row, code, level, parent, name, output: (r.output ?? "").trim(), indicator: (r.indicator ?? "").trim(), unit: (r.unit ?? "").trim() });
  }
  for (const it of items)
    if (it.parent && !seen.has(it.parent)) problems.push({ row: it.row, field: "parent", key: "nomenclature.orphan", params: { code: it.code, parent: it.parent } });
  problems.sort((a, b) => a.row - b.row);
  return { items, problems };
}

/**
 * Stores a checked list as a new set, whole or not at all. Who: admin, Bappeda. Emits
 * NomenclatureImported. Refuses: any row problem (returned, nothing stored), the same decree twice for
 * the same year.
 */
export async function importNomenclature(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  header: SetHeader,
  rows: NomenclatureRow[],
): Promise<{ ok: true; setId: string; count: number } | { ok: false; problems: RowProblem[] }> {
  assertCan(actor, "nomenclature.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(header.appliesFrom).year;
  const decree = header.decree.trim();
  if (!decree) throw new DomainError("nomenclature.decreeRequired", {}, "invalid", "decree");
  const { items, problems } = checkNomenclature(header, rows);
  if (problems.length) return { ok: false, problems };
  if (items.length === 0) throw new DomainError("nomenclature.empty", {}, "invalid", "file");
  return transact(em, actor, clock, async (tx, record) => {
    const [dup] = await tx.execute<{ id: string }[]>("select id from nomenclature_set where kind = ? and applies_from = ? and decree = ?", [header.kind, year, decree]);
    if (dup) throw new DomainError("nomenclature.setExists", { decree, year }, "conflict", "decree");
    const setId = crypto.randomUUID();
    await tx.execute(
      "insert into nomenclature_set (id, kind, decree, applies_from, sub_width, source, imported_at, imported_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
      [setId, header.kind, decree, year, header.subWidth ?? 4, header.source ?? "", clock.now(), actor.username],
    );
    const json = JSON.stringify(items.map((i) => ({ code: i.code, level: i.level, parent_code: i.parent, name: i.name, output: i.output, indicator: i.indicator, unit: i.unit })));
    if (header.kind === "planning")
      await tx.execute(
        `insert into nomenclature_item (set_id, code, level, parent_code, name, output, indicator, unit)
         select ?, code, level, parent_code, name, output, indicator, unit
           from json_to_recordset(?::json) as x(code text, level text, parent_code text, name text, output text, indicator text, unit text)`,
        [setId, json],
      );
    else
      await tx.execute(
        `insert into account_code (set_id, code, level, parent_code, name)
         select ?, code, level, parent_code, name from json_to_recordset(?::json) as x(code text, level smallint, parent_code text, name text)`,
        [setId, json],
      );
    record({ type: "NomenclatureImported", entityType: "NomenclatureSet", entityId: setId, after: { kind: header.kind, decree, appliesFrom: year, rows: items.length } });
    return { ok: true as const, setId, count: items.length };
  });
}

/** The set in force for a fiscal year: the latest that applies from that year or before. */
export async function setInForce(em: EntityManager, kind: "planning" | "account", year: number) {
  const [r] = await em.execute<{ id: string; decree: string; applies_from: number; sub_width: number }[]>(
    "select id, decree, applies_from, sub_width from nomenclature_set where kind = ? and applies_from <= ? order by applies_from desc, imported_at desc limit 1",
    [kind, year],
  );
  return r ? { id: r.id, decree: r.decree, appliesFrom: r.applies_from, subWidth: r.sub_width as 2 | 4 } : null;
}

/** A code of the nomenclature in force for a year, or null. */
export async function findInForce(em: EntityManager, year: number, code: string) {
  const set = await setInForce(em, "planning", year);
  if (!set) return null;
  const [r] = await em.execute<{ code: string; level: string; parent_code: string | null; name: string; indicator: string; unit: string }[]>(
    "select code, level, parent_code, name, indicator, unit from nomenclature_item where set_id = ? and code = ?",
    [set.id, code],
  );
  return r ? { ...r, decree: set.decree } : null;
}

/** The imported sets, newest first, with their sizes. */
export async function listSets(em: EntityManager) {
  return em.execute<{ id: string; kind: string; decree: string; applies_from: number; sub_width: number; imported_at: Date; imported_by: string; items: string }[]>(
    `select s.id, s.kind, s.decree, s.applies_from, s.sub_width, s.imported_at, s.imported_by,
            (case s.kind when 'planning' then (select count(*) from nomenclature_item i where i.set_id = s.id)
                         else (select count(*) from account_code a where a.set_id = s.id) end)::text as items
       from nomenclature_set s order by s.applies_from desc, s.imported_at desc`,
  );
}

/** One level of a set: the children of `parent` (the top level when null), for browsing. */
export async function setChildren(em: EntityManager, setId: string, kind: string, parent: string | null) {
  if (!isUuid(setId)) return [];
  const table = kind === "account" ? "account_code" : "nomenclature_item";
  const extra = kind === "account" ? "'' as indicator, '' as unit" : "indicator, unit";
  return em.execute<{ code: string; name: string; indicator: string; unit: string; children: string }[]>(
    `select t.code, t.name, ${extra}, (select count(*) from ${table} c where c.set_id = t.set_id and c.parent_code = t.code)::text as children
       from ${table} t where t.set_id = ? and ${parent ? "t.parent_code = ?" : "t.parent_code is null"} order by t.code`,
    parent ? [setId, parent] : [setId],
  );
}

/** An account code (kode rekening) of the list in force for a year, or null. */
export async function findAccountInForce(em: EntityManager, year: number, code: string) {
  const set = await setInForce(em, "account", year);
  if (!set) return null;
  const [r] = await em.execute<{ code: string; level: number; name: string }[]>("select code, level, name from account_code where set_id = ? and code = ?", [set.id, code]);
  return r ? { ...r, decree: set.decree } : null;
}
