import { IsolationLevel, type EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";

export interface RkpdSub {
  id: string;
  opdCode: string;
  programCode: string;
  programName: string;
  kegiatanCode: string;
  kegiatanName: string;
  code: string;
  name: string;
  indicator: string;
  target: string;
  unit: string;
  locations: string[];
  ceiling: string;
  fundingSource: string;
  proposals: { id: string; code: string; title: string }[];
}

export interface RkpdOpd {
  code: string;
  name: string;
  status: string | null;
  ceiling: string | null;
  planned: string;
  subs: RkpdSub[];
}

/**
 * The RKPD of a year for the public: each OPD's Renja (status, indicative ceiling, planned total) and its
 * sub-activities under their programme and kegiatan, each with the proposals behind it. One OPD or all.
 *
 * Served on every page view and API call, so the database shapes the rows as they are returned (names,
 * target without trailing zeros, the OPD's planned sum) and no per-row work is left to do here.
 */
export async function rkpd(em: EntityManager, tenant: string, year: number, opdCode?: string) {
  const one = opdCode ? " and o.code = ?" : "";
  // One round trip, one JSON value: the OPDs and the sub-activities each aggregated in order by the
  // database (cheaper for the server than parsing a row and an array per sub-activity).
  const [row] = await em.execute<{ opds: Omit<RkpdOpd, "subs">[]; subs: RkpdSub[] }[]>(
    `select
       (select coalesce(json_agg(x order by x.code), '[]'::json) from (
          select o.code, o.name, r.status, c.amount::text as ceiling,
                 coalesce((select sum(s.ceiling) from sub_activity s where s.tenant_code = o.tenant_code and s.fiscal_year = ? and s.opd_id = o.id), 0)::numeric(20,2)::text as planned
            from opd o left join renja r on r.opd_id = o.id and r.fiscal_year = ? and r.tenant_code = o.tenant_code
            left join plan_ceiling c on c.opd_id = o.id and c.fiscal_year = ? and c.tenant_code = o.tenant_code
           where o.tenant_code = ?${one}) x) as opds,
       (select coalesce(json_agg(y order by y."opdCode", y.code), '[]'::json) from (
          select s.id, o.code as "opdCode", s.program_code as "programCode", coalesce(pg.name, '') as "programName", s.kegiatan_code as "kegiatanCode", coalesce(kg.name, '') as "kegiatanName",
                 s.sub_kegiatan_code as code, s.name, s.indicator, trim_scale(s.target)::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source as "fundingSource",
                 coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                             from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '[]'::json) as proposals
            from sub_activity s join opd o on o.id = s.opd_id
            left join nomenclature_item pg on pg.set_id = s.nomenclature_set_id and pg.code = s.program_code
            left join nomenclature_item kg on kg.set_id = s.nomenclature_set_id and kg.code = s.kegiatan_code
           where s.tenant_code = ? and s.fiscal_year = ?${one}) y) as subs`,
    opdCode ? [year, year, year, tenant, opdCode, tenant, year, opdCode] : [year, year, year, tenant, tenant, year],
  );
  const byOpd = new Map<string, RkpdSub[]>();
  for (const s of row.subs) {
    const list = byOpd.get(s.opdCode);
    if (list) list.push(s);
    else byOpd.set(s.opdCode, [s]);
  }
  const out: RkpdOpd[] = row.opds.map((o) => ({ ...o, subs: byOpd.get(o.code) ?? [] }));
  return { year, opds: out, total: Money.sum(out.map((o) => Money.idr(o.planned))).toString() };
}

/**
 * The RKPD as the Excel export reads it, in order: each OPD that plans anything (with the exact subtotal of
 * every programme and kegiatan under it, so that their rows can come before their sub-activities), then
 * its sub-activities by code. Yielded a page at a time (keyset pagination on OPD code and sub kegiatan
 * code, `pageSize` rows a query), so that a caller writing as it reads holds one page, never the year.
 * All pages come from one read-only REPEATABLE READ snapshot: the subtotals and the rows agree even while
 * planners keep saving. The snapshot is let go when the caller stops early, too.
 */
export type RkpdSheetItem =
  | { kind: "opd"; code: string; name: string; status: string | null; ceiling: string | null; total: string; subtotals: Record<string, string> }
  | { kind: "sub"; sub: RkpdSub };

export async function* rkpdSheetPages(em: EntityManager, tenant: string, year: number, opdCode?: string, pageSize = 500): AsyncGenerator<RkpdSheetItem[]> {
  const tx = em.fork();
  await tx.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  try {
    let after: [string, string] | null = null;
    let current = "";
    for (;;) {
      const params: unknown[] = [tenant, year];
      if (opdCode) params.push(opdCode);
      if (after) params.push(...after);
      const page: RkpdSub[] = await tx.execute<RkpdSub[]>(
        `with page as (
           select s.id, o.code as opd_code, s.sub_kegiatan_code from sub_activity s join opd o on o.id = s.opd_id
            where s.tenant_code = ? and s.fiscal_year = ?${opdCode ? " and o.code = ?" : ""}${after ? ` and (o.code collate "C", s.sub_kegiatan_code collate "C") > (?, ?)` : ""}
            order by o.code collate "C", s.sub_kegiatan_code collate "C" limit ${Math.max(1, Math.floor(pageSize))})
         select s.id, page.opd_code as "opdCode", s.program_code as "programCode", coalesce(pg.name, '') as "programName", s.kegiatan_code as "kegiatanCode", coalesce(kg.name, '') as "kegiatanName",
                s.sub_kegiatan_code as code, s.name, s.indicator, trim_scale(s.target)::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source as "fundingSource",
                coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                            from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '[]'::json) as proposals
           from page join sub_activity s on s.id = page.id
           left join nomenclature_item pg on pg.set_id = s.nomenclature_set_id and pg.code = s.program_code
           left join nomenclature_item kg on kg.set_id = s.nomenclature_set_id and kg.code = s.kegiatan_code
          order by page.opd_code collate "C", page.sub_kegiatan_code collate "C"`,
        params,
      );
      const items: RkpdSheetItem[] = [];
      for (const sub of page) {
        if (sub.opdCode !== current) {
          current = sub.opdCode;
          items.push(await rkpdOpdOutline(tx, tenant, year, current));
        }
        items.push({ kind: "sub", sub });
      }
      if (items.length) yield items;
      if (page.length < pageSize) break;
      const last: RkpdSub = page[page.length - 1];
      after = [last.opdCode, last.code];
    }
  } finally {
    await tx.rollback(); // read-only: nothing to keep
  }
}

/** An OPD's heading in the RKPD: its Renja's status, its ceiling, and the exact sum of each programme and kegiatan it plans. */
async function rkpdOpdOutline(tx: EntityManager, tenant: string, year: number, code: string): Promise<Extract<RkpdSheetItem, { kind: "opd" }>> {
  const [o] = await tx.execute<{ id: string; name: string; status: string | null; ceiling: string | null }[]>(
    `select o.id, o.name, r.status, c.amount::text as ceiling
       from opd o left join renja r on r.opd_id = o.id and r.fiscal_year = ? and r.tenant_code = o.tenant_code
       left join plan_ceiling c on c.opd_id = o.id and c.fiscal_year = ? and c.tenant_code = o.tenant_code
      where o.tenant_code = ? and o.code = ?`,
    [year, year, tenant, code],
  );
  const sums = await tx.execute<{ program_code: string; kegiatan_code: string; sum: string }[]>(
    "select program_code, kegiatan_code, sum(ceiling)::text as sum from sub_activity where tenant_code = ? and fiscal_year = ? and opd_id = ? group by program_code, kegiatan_code",
    [tenant, year, o.id],
  );
  const subtotals: Record<string, string> = {};
  const byProgram = new Map<string, Money>();
  let total = Money.zero;
  for (const s of sums) {
    const m = Money.idr(new D(s.sum).toFixed(2));
    subtotals[s.kegiatan_code] = m.toString();
    byProgram.set(s.program_code, (byProgram.get(s.program_code) ?? Money.zero).plus(m));
    total = total.plus(m);
  }
  for (const [p, m] of byProgram) subtotals[p] = m.toString();
  return { kind: "opd", code, name: o.name, status: o.status, ceiling: o.ceiling, total: total.toString(), subtotals };
}

/** What a Renja's editor offers: sub kegiatan in force under the OPD's bidang, and proposals it may take up. */
export async function renjaOptions(em: EntityManager, tenant: string, renja: { fiscal_year: number; opd_id: string }) {
  const subs = await em.execute<{ code: string; name: string; indicator: string; unit: string }[]>(
    `select i.code, i.name, i.indicator, i.unit from nomenclature_item i
      where i.set_id = (select id from nomenclature_set where kind = 'planning' and applies_from <= ? order by applies_from desc, imported_at desc limit 1)
        and i.level = 'sub_kegiatan' and substring(i.code from 1 for 4) in (select bidang_code from opd_bidang where opd_id = ?)
      order by i.code limit 2000`,
    [renja.fiscal_year, renja.opd_id],
  );
  const proposals = await em.execute<{ id: string; code: string; title: string; desa: string; cost: string }[]>(
    `select p.id, p.code, p.title, d.name as desa, p.estimated_cost::text as cost from proposal p join region d on d.code = p.desa_code
      where p.tenant_code = ? and p.fiscal_year = ? and p.target_opd_id = ? and p.status in ('accepted','adopted')
        and not exists (select 1 from sub_activity_proposal s where s.proposal_id = p.id)
      order by p.code`,
    [tenant, renja.fiscal_year, renja.opd_id],
  );
  return { subs, proposals };
}
