import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { parseKodeWilayah, parentKodeWilayah } from "../../domain/kernel/codes";
import { DomainError } from "../../domain/kernel/domain-error";
import type { RegionKind } from "../../domain/regions/region.entity";
import { parseCsv } from "../shared/csv";

/**
 * Imports all regions of Indonesia from the `idn-area-data` package (Kemendagri codes):
 * provinsi, kabupaten/kota, kecamatan, desa/kelurahan. Idempotent: an unchanged row is left as it
 * is, a renamed one is updated, nothing is duplicated. Verify first, then apply in one transaction.
 */
export interface RegionRow {
  code: string;
  level: number;
  kind: RegionKind;
  parentCode: string | null;
  name: string;
}

export interface RegionImportResult {
  counts: { provinsi: number; kabupatenKota: number; kecamatan: number; desaKelurahan: number };
  inserted: number;
  updated: number;
  ms: number;
}

export function idnAreaDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("idn-area-data")), "..", "data");
}

const FILES = [
  { file: "provinces.csv", level: 1 },
  { file: "regencies.csv", level: 2 },
  { file: "districts.csv", level: 3 },
  { file: "villages.csv", level: 4 },
] as const;

function kindOf(level: number, code: string, name: string): RegionKind {
  if (level === 1) return "provinsi";
  if (level === 2) return /^kota\b/i.test(name) ? "kota" : "kabupaten";
  if (level === 3) return "kecamatan";
  // Kemendagri: the village number starts with 1 for a kelurahan and 2 for a desa.
  return code.split(".")[3].startsWith("1") ? "kelurahan" : "desa";
}

/** Reads and checks every row; throws a DomainError naming the file and line of the first bad one. */
export function readIdnAreaData(dir = idnAreaDataDir()): RegionRow[] {
  const out: RegionRow[] = [];
  const known = new Set<string>();
  for (const { file, level } of FILES) {
    const rows = parseCsv(readFileSync(path.join(dir, file), "utf8"));
    const header = rows[0] ?? [];
    const codeCol = header.indexOf("code");
    const nameCol = header.indexOf("name");
    if (codeCol < 0 || nameCol < 0) throw new DomainError("import.headerMissing", { file, header: "code, name" });
    for (let i = 1; i < rows.length; i++) {
      const r = rows[i];
      if (r.length === 1 && r[0] === "") continue;
      const line = i + 1;
      let parsed;
      try {
        parsed = parseKodeWilayah(r[codeCol]);
      } catch {
        throw new DomainError("import.region.badCode", { file, line, code: r[codeCol] });
      }
      if (parsed.level !== level) throw new DomainError("import.region.badLevel", { file, line, code: parsed.code });
      const parentCode = parentKodeWilayah(parsed.code);
      if (parentCode && !known.has(parentCode))
        throw new DomainError("import.region.orphan", { file, line, code: parsed.code, parent: parentCode });
      if (known.has(parsed.code)) throw new DomainError("import.region.duplicate", { file, line, code: parsed.code });
      const name = (r[nameCol] ?? "").trim();
      if (!name) throw new DomainError("import.region.nameMissing", { file, line, code: parsed.code });
      known.add(parsed.code);
      out.push({ code: parsed.code, level, kind: kindOf(level, parsed.code, name), parentCode, name });
    }
  }
  return out;
}

const BATCH = 20_000;

export async function importRegions(em: EntityManager, rows = readIdnAreaData()): Promise<RegionImportResult> {
  const t0 = performance.now();
  let inserted = 0;
  let updated = 0;
  await em.transactional(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const b = rows.slice(i, i + BATCH);
      // One JSON parameter: the driver would otherwise spread an array parameter into a list.
      const res = await tx.execute<{ inserted: boolean }[]>(
        `insert into region (code, level, kind, parent_code, name)
         select code, level, kind, parent_code, name
           from json_to_recordset(?::json) as x(code text, level smallint, kind text, parent_code text, name text)
         on conflict (code) do update
           set level = excluded.level, kind = excluded.kind, parent_code = excluded.parent_code, name = excluded.name
           where (region.level, region.kind, region.parent_code, region.name)
                 is distinct from (excluded.level, excluded.kind, excluded.parent_code, excluded.name)
         returning (xmax = 0) as inserted`,
        [JSON.stringify(b.map((r) => ({ code: r.code, level: r.level, kind: r.kind, parent_code: r.parentCode, name: r.name })))],
      );
      for (const r of res) if (r.inserted) inserted++;
      else updated++;
    }
  });
  const count = (l: number) => rows.filter((r) => r.level === l).length;
  return {
    counts: { provinsi: count(1), kabupatenKota: count(2), kecamatan: count(3), desaKelurahan: count(4) },
    inserted,
    updated,
    ms: Math.round(performance.now() - t0),
  };
}
