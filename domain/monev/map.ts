import type { EntityManager } from "@mikro-orm/postgresql";
import { Money } from "../kernel/money";

/**
 * The public map (/peta, GET /api/peta): a year's Musrenbang proposals, sub-activities and contracts as
 * points, filtered by OPD and kecamatan, with public fields only — never a reporter, a bid or a price
 * before the opening: proposals carry their status, sub-activities their budget in the APBD in force and
 * its absorption (SP2D), contracts their status, latest verified physical progress and whether a kontrak
 * kritis case is open.
 *
 * Where a point comes from (regions carry no coordinates in Jejak, so there is no kecamatan centroid):
 *   proposal      its own point (lat/lng, tapped on the map or from the phone's GPS);
 *   sub-activity  the centre of the points of the proposals it takes up;
 *   contract      its site (monev_plan), else the centre of the proposals behind its package's sub-activity.
 * Items without a point are still listed (mapItems) and counted in the collection's `unlocated` member.
 *
 * One SQL statement (three selects in a UNION ALL); coordinates rounded to 5 decimals (about 1 m).
 */

export type MapKind = "u" | "s" | "c";

export interface MapFilter {
  year: number;
  /** OPD code. */
  opd?: string | null;
  /** Kecamatan code (e.g. 35.22.06). */
  kecamatan?: string | null;
}

export interface MapItem {
  k: MapKind;
  id: string;
  /** Proposal code, sub kegiatan code or contract number. */
  ref: string | null;
  name: string;
  status: string;
  lat: string | null;
  lng: string | null;
  opd: string;
  /** Sub-activity: its budget in the APBD in force (null before there is one); contract: its value. */
  budget: string | null;
  /** Sub-activity: SP2D paid on its lines. */
  paid: string | null;
  /** Sub-activity: paid ÷ budget, percent ("12.34"). */
  absorption: string | null;
  /** Contract: the latest verified report's cumulative physical progress, percent. */
  physical: string | null;
  /** Contract: a kontrak kritis case is open. */
  critical: boolean;
  /** Contract: its package (for /pengadaan/<id>). */
  packageId: string | null;
}

/**
 * GeoJSON (RFC 7946) with short property keys, so that a year stays small:
 *   k  kind: "u" usulan (proposal, /usulan/<id>), "s" sub kegiatan, "c" kontrak (/kontrak/<id>)
 *   n  name (at most 60 characters)
 *   s  status: a proposal's status; a sub-activity's "budgeted" (in the APBD in force) or "planned";
 *      a contract's status (signed, completed, terminated)
 *   a  sub-activity: absorption percent (SP2D ÷ budget), "12.34"
 *   b  sub-activity: budget in the APBD in force, rupiah "1250000.00"
 *   f  contract: latest verified physical progress percent, "45.20" (absent before the first)
 *   x  contract: 1 when a kontrak kritis case is open
 * The feature id is the proposal's code (its page is /usulan/<code>) or the sub-activity's or contract's
 * UUID. `unlocated` counts the items of each kind that have no point.
 *
 * Size: a Point feature cannot be much under 100 bytes, so a large kabupaten's year (17,000 proposals,
 * 4,000 sub-activities, 10,000 contracts) is several MB as text: GET /api/peta answers it as an overview of
 * clusters, per viewport or in pages, each under 1 MB (map-view.ts). Gzipped, each point costs about 25–35
 * bytes — mostly its id, which is why proposals go by their code (sequential, compressible) and contracts
 * carry no second id.
 */
export interface MapFeature {
  type: "Feature";
  id: string;
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: { k: MapKind; n: string; s: string; a?: string; b?: string; f?: string; x?: 1 };
}
export interface MapCollection {
  type: "FeatureCollection";
  features: MapFeature[];
  year: number;
  unlocated: Record<MapKind, number>;
}

const KECAMATAN = /^\d{2}\.\d{2}\.\d{2}$/;
const OPD = /^[0-9A-Za-z.\-_]{1,40}$/;

/** The filter from query parameters (tahun, opd, kecamatan); unknown shapes are dropped, never passed to SQL. */
export function cleanMapFilter(q: Record<string, string | undefined>, defaultYear: number): MapFilter {
  const y = Number(q.tahun);
  const year = /^\d{4}$/.test(q.tahun ?? "") && y >= 2000 && y <= 2100 ? y : defaultYear;
  const opd = q.opd && OPD.test(q.opd) ? q.opd : null;
  const kecamatan = q.kecamatan && KECAMATAN.test(q.kecamatan) ? q.kecamatan : null;
  return { year, opd, kecamatan };
}

interface ItemRow {
  k: MapKind;
  id: string;
  ref: string | null;
  name: string;
  status: string;
  lat: string | null;
  lng: string | null;
  opd: string;
  budget: string | null;
  paid: string | null;
  physical: string | null;
  critical: boolean;
  package_id: string | null;
}

/** The one statement behind the map: every item of the filter, one row each (see ItemRow), unordered. */
function itemsSql(tenant: string, f: MapFilter): { sql: string; params: unknown[] } {
  const opd = f.opd ?? null;
  const kec = f.kecamatan ?? null;
  const kecLike = kec ? `${kec}.%` : null;
  // Params are listed in the order of the `?` below.
  const params: unknown[] = [];
  const p = (...v: unknown[]) => {
    params.push(...v);
    return "";
  };
  const sql = `
with inforce as (
  select id from apbd where tenant_code = ?${p(tenant)} and fiscal_year = ?${p(f.year)} and status = 'adopted' order by version_no desc limit 1
), paid as (
  select x.line_key, sum(s.amount) as amount
    from sp2d s join budget_line x on x.id = s.budget_line_id join apbd a on a.id = x.apbd_id
   where s.tenant_code = ?${p(tenant)} and a.fiscal_year = ?${p(f.year)}
   group by x.line_key
), bud as (
  select b.sub_activity_id, sum(b.amount) as budget, coalesce(sum(pd.amount), 0) as paid
    from budget_line b join inforce i on i.id = b.apbd_id left join paid pd on pd.line_key = b.line_key
   where b.kind = 'belanja' and b.sub_activity_id is not null
   group by b.sub_activity_id
), centre as (
  select sp.sub_activity_id, round(avg(pr.lat), 5) as lat, round(avg(pr.lng), 5) as lng
    from sub_activity_proposal sp join proposal pr on pr.id = sp.proposal_id
   where sp.tenant_code = ?${p(tenant)} and pr.lat is not null and pr.fiscal_year = ?${p(f.year)}
   group by sp.sub_activity_id
)
select 'u' as k, u.id::text as id, u.code as ref, u.title as name, u.status, round(u.lat, 5)::text as lat, round(u.lng, 5)::text as lng, o.code as opd,
       null::text as budget, null::text as paid, null::text as physical, false as critical, null::text as package_id
  from proposal u join opd o on o.id = u.target_opd_id
 where u.tenant_code = ?${p(tenant)} and u.fiscal_year = ?${p(f.year)} and u.status not in ('withdrawn','merged')
   ${opd ? `and o.code = ?${p(opd)}` : ""} ${kec ? `and u.kecamatan_code = ?${p(kec)}` : ""}
union all
select 's', s.id::text, s.sub_kegiatan_code, s.name, case when bd.sub_activity_id is null then 'planned' else 'budgeted' end,
       ce.lat::text, ce.lng::text, o.code, bd.budget::numeric(20,2)::text, bd.paid::numeric(20,2)::text, null, false, null
  from sub_activity s join opd o on o.id = s.opd_id left join bud bd on bd.sub_activity_id = s.id left join centre ce on ce.sub_activity_id = s.id
 where s.tenant_code = ?${p(tenant)} and s.fiscal_year = ?${p(f.year)}
   ${opd ? `and o.code = ?${p(opd)}` : ""}
   ${
     kec
       ? `and (exists (select 1 from unnest(s.locations) l where l = ?${p(kec)} or l like ?${p(kecLike)})
            or exists (select 1 from sub_activity_proposal sp join proposal pr on pr.id = sp.proposal_id where sp.sub_activity_id = s.id and pr.kecamatan_code = ?${p(kec)}))`
       : ""
   }
union all
select 'c', c.id::text, c.number, pk.name, c.status,
       coalesce(round(mp.site_lat, 5), ce.lat)::text, coalesce(round(mp.site_lng, 5), ce.lng)::text, o.code,
       c.value::text, null, rp.physical::text, ck.contract_id is not null, pk.id::text
  from contract c join proc_package pk on pk.id = c.package_id join opd o on o.id = pk.opd_id
  left join monev_plan mp on mp.contract_id = c.id
  left join centre ce on ce.sub_activity_id = pk.sub_activity_id
  left join critical_case ck on ck.contract_id = c.id and ck.status not in ('terminated','resolved')
  left join lateral (select r.physical from progress_report r where r.contract_id = c.id and r.status = 'verified' order by r.period_no desc limit 1) rp on true
 where c.tenant_code = ?${p(tenant)} and pk.fiscal_year = ?${p(f.year)} and c.status in ('signed','completed','terminated')
   ${opd ? `and o.code = ?${p(opd)}` : ""}
   ${
     kec
       ? `and (exists (select 1 from proc_package_location l where l.package_id = pk.id and (l.region_code = ?${p(kec)} or l.region_code like ?${p(kecLike)}))
            or exists (select 1 from sub_activity s where s.id = pk.sub_activity_id and exists (select 1 from unnest(s.locations) l where l = ?${p(kec)} or l like ?${p(kecLike)})))`
       : ""
   }`;
  return { sql, params };
}

const toItem = (r: ItemRow): MapItem => ({
  k: r.k,
  id: r.id,
  ref: r.ref,
  name: r.name,
  status: r.status,
  lat: r.lat,
  lng: r.lng,
  opd: r.opd,
  budget: r.budget,
  paid: r.paid,
  absorption: r.k === "s" && r.budget !== null ? Money.idr(r.paid ?? "0").percentOf(Money.idr(r.budget)).toFixed(2) : null,
  physical: r.physical,
  critical: r.critical,
  packageId: r.package_id,
});

/** Every item of the year (with or without a point), proposals first, then sub-activities, then contracts, by name. */
export async function mapItems(em: EntityManager, tenant: string, f: MapFilter): Promise<MapItem[]> {
  const { sql, params } = itemsSql(tenant, f);
  const rows = await em.execute<ItemRow[]>(`select * from (${sql}) t order by position(t.k in 'usc'), t.name, t.id`, params as never[]);
  return rows.map(toItem);
}

/**
 * The list under the map: the first `limit` items of each kind (as mapItems orders them), how many there
 * are of each, and how many have no point — without carrying a large year's every row out of the database.
 */
export async function mapList(em: EntityManager, tenant: string, f: MapFilter, limit: number) {
  const { sql, params } = itemsSql(tenant, f);
  const rows = await em.execute<(ItemRow & { rn: number; total: number; unlocated: number })[]>(
    `select * from (select t.*, row_number() over (partition by t.k order by t.name, t.id)::int as rn, count(*) over (partition by t.k)::int as total,
                           (count(*) filter (where t.lat is null) over ())::int as unlocated
                      from (${sql}) t) x
      where x.rn <= ? order by position(x.k in 'usc'), x.rn`,
    [...params, limit] as never[],
  );
  const counts: Record<MapKind, number> = { u: 0, s: 0, c: 0 };
  for (const r of rows) counts[r.k] = r.total;
  return { items: rows.map(toItem), counts, unlocated: rows[0]?.unlocated ?? 0 };
}

/** The items that have a point, as a GeoJSON FeatureCollection (see MapFeature for the keys). */
export function toFeatureCollection(items: readonly MapItem[], year: number): MapCollection {
  const unlocated: Record<MapKind, number> = { u: 0, s: 0, c: 0 };
  const features: MapFeature[] = [];
  for (const i of items) {
    if (i.lat === null || i.lng === null) {
      unlocated[i.k]++;
      continue;
    }
    const props: MapFeature["properties"] = { k: i.k, n: i.name.length > 60 ? `${i.name.slice(0, 59)}…` : i.name, s: i.status };
    if (i.k === "s" && i.budget !== null) {
      props.a = i.absorption ?? "0.00";
      props.b = i.budget;
    }
    if (i.k === "c") {
      if (i.physical !== null) props.f = i.physical;
      if (i.critical) props.x = 1;
    }
    features.push({ type: "Feature", id: i.k === "u" && i.ref ? i.ref : i.id, geometry: { type: "Point", coordinates: [Number(i.lng), Number(i.lat)] }, properties: props });
  }
  return { type: "FeatureCollection", features, year, unlocated };
}

/** The year's map as GeoJSON: mapItems with a point. */
export async function mapFeatures(em: EntityManager, tenant: string, f: MapFilter): Promise<MapCollection> {
  return toFeatureCollection(await mapItems(em, tenant, f), f.year);
}
