import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EntityManager } from "@mikro-orm/postgresql";
import { NATIONAL } from "../../domain/oversight/support";
import { parseCsv } from "../shared/csv";

const FILE = "hari-libur-nasional.csv";
const KINDS = ["libur_nasional", "cuti_bersama", "libur_daerah"];

function dataFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.join(here, "data"), path.resolve("imports/oversight/data")]) {
    const p = path.join(dir, FILE);
    try {
      readFileSync(p);
      return p;
    } catch {
      /* try the next */
    }
  }
  throw new Error(`imports/oversight/data/${FILE} not found`);
}

export interface HolidayRow {
  day: string;
  name: string;
  kind: string;
}

/** Reads the shipped national calendar (see data/SOURCES.md: illustrative), refusing a malformed row. */
export function shippedHolidays(text = readFileSync(dataFile(), "utf8")): HolidayRow[] {
  const [header, ...rows] = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ""));
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${FILE}: column ${name} missing`);
    return i;
  };
  const [d, n, k] = [col("date"), col("name"), col("kind")];
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const at = `${FILE} row ${i + 2}`;
    const day = (r[d] ?? "").trim();
    const date = new Date(`${day}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) throw new Error(`${at}: date must be yyyy-mm-dd`);
    if (seen.has(day)) throw new Error(`${at}: ${day} listed twice`);
    seen.add(day);
    const kind = (r[k] ?? "").trim();
    if (!KINDS.includes(kind)) throw new Error(`${at}: unknown kind ${kind}`);
    const name = (r[n] ?? "").trim();
    if (!name) throw new Error(`${at}: name missing`);
    return { day, name, kind };
  });
}

/**
 * Brings the national holiday calendar (tenant code '*', used by every tenant's SLA) in line with the
 * shipped file: adds and updates its days, removes national days no longer listed. Tenants' own days are
 * untouched. Idempotent; run with the migrations, like the method rules.
 */
export async function syncNationalHolidays(em: EntityManager, rows: HolidayRow[] = shippedHolidays()): Promise<number> {
  return em.transactional(async (tx) => {
    await tx.execute("delete from holiday where tenant_code = ? and not (to_char(day, 'YYYY-MM-DD') = any(?::text[]))", [NATIONAL, `{${rows.map((r) => r.day).join(",")}}`]);
    for (const r of rows)
      await tx.execute(
        `insert into holiday (tenant_code, day, name, kind) values (?, ?::date, ?, ?)
         on conflict (tenant_code, day) do update set name = excluded.name, kind = excluded.kind`,
        [NATIONAL, r.day, r.name, r.kind],
      );
    return rows.length;
  });
}

/** Adds (or renames) one of a tenant's own holidays, e.g. its anniversary (hari jadi). */
export async function addTenantHoliday(em: EntityManager, tenant: string, row: HolidayRow): Promise<void> {
  await em.execute(
    `insert into holiday (tenant_code, day, name, kind) values (?, ?::date, ?, ?)
     on conflict (tenant_code, day) do update set name = excluded.name, kind = excluded.kind`,
    [tenant, row.day, row.name, row.kind],
  );
}
