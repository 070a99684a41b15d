import type { EntityManager } from "@mikro-orm/postgresql";
import { isKodeWilayah, wilayahWithin } from "../kernel/codes";
import { Region } from "./region.entity";

export interface RegionView {
  code: string;
  name: string;
  kind: string;
  level: number;
  parentCode: string | null;
}

const view = (r: Region): RegionView => ({ code: r.code, name: r.name, kind: r.kind, level: r.level, parentCode: r.parentCode ?? null });

export async function getRegion(em: EntityManager, code: string): Promise<RegionView | null> {
  if (!isKodeWilayah(code)) return null;
  const r = await em.findOne(Region, { code });
  return r ? view(r) : null;
}

/** The region and its ancestors, from provinsi down. */
export async function regionPath(em: EntityManager, code: string): Promise<RegionView[]> {
  const parts = code.split(".");
  const codes = parts.map((_, i) => parts.slice(0, i + 1).join("."));
  const rows = await em.find(Region, { code: { $in: codes } }, { orderBy: { level: "asc" } });
  return rows.map(view);
}

export async function childRegions(em: EntityManager, code: string): Promise<RegionView[]> {
  const rows = await em.execute<{ code: string; name: string; kind: string; level: number; parent_code: string | null }[]>(
    "select code, name, kind, level, parent_code from region where parent_code = ? order by code",
    [code],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, level: r.level, parentCode: r.parent_code }));
}

export async function countRegionsWithin(em: EntityManager, code: string): Promise<Record<number, number>> {
  const rows = await em.execute<{ level: number; n: string }[]>(
    "select level, count(*)::text as n from region where code like ? group by level",
    [`${code}.%`],
  );
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}

/**
 * Region picker search, limited to the tenant: by name (contains, accent- and case-insensitive
 * enough for Indonesian names) or by code prefix; kecamatan shown with their kabupaten, desa with
 * their kecamatan. `levels` narrows to kecamatan (3) and/or desa (4).
 */
export async function searchRegions(
  em: EntityManager,
  tenant: string,
  q: string,
  opts: { levels?: number[]; limit?: number } = {},
): Promise<(RegionView & { parentName: string | null })[]> {
  const text = q.trim().toLowerCase().slice(0, 60);
  if (!text) return [];
  const levels = opts.levels?.length ? opts.levels : [3, 4];
  const limit = Math.min(opts.limit ?? 20, 50);
  const byCode = /^[\d.]+$/.test(text);
  const rows = await em.execute<{ code: string; name: string; kind: string; level: number; parent_code: string | null; parent_name: string | null }[]>(
    `select r.code, r.name, r.kind, r.level, r.parent_code, p.name as parent_name
       from region r left join region p on p.code = r.parent_code
      where r.code like ? and r.level in (?)
        and ${byCode ? "r.code like ?" : "lower(r.name) like ?"}
      order by ${byCode ? "r.code" : "(lower(r.name) like ?) desc, length(r.name), r.name"}
      limit ?`,
    byCode
      ? [`${tenant}.%`, levels, `${text}%`, limit]
      : [`${tenant}.%`, levels, `%${text}%`, `${text}%`, limit],
  );
  return rows
    .filter((r) => wilayahWithin(r.code, tenant))
    .map((r) => ({ code: r.code, name: r.name, kind: r.kind, level: r.level, parentCode: r.parent_code, parentName: r.parent_name }));
}
