import type { EntityManager } from "@mikro-orm/postgresql";
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

/**
 * The RKPD of a year for the public: each OPD's Renja (status, indicative ceiling, planned total) and its
 * sub-activities under their programme and kegiatan, each with the proposals behind it. One OPD or all.
 */
export async function rkpd(em: EntityManager, tenant: string, year: number, opdCode?: string) {
  const opds = await em.execute<{ id: string; code: string; name: string; status: string | null; renja_id: string | null; ceiling: string | null }[]>(
    `select o.id, o.code, o.name, r.status, r.id as renja_id, c.amount::text as ceiling
       from opd o left join renja r on r.opd_id = o.id and r.fiscal_year = ?
       left join plan_ceiling c on c.opd_id = o.id and c.fiscal_year = ? and c.tenant_code = o.tenant_code
      where o.tenant_code = ? ${opdCode ? "and o.code = ?" : ""} order by o.code`,
    opdCode ? [year, year, tenant, opdCode] : [year, year, tenant],
  );
  const subs = await em.execute<(Omit<RkpdSub, "programName" | "kegiatanName"> & { program_name: string | null; kegiatan_name: string | null })[]>(
    `select s.id, o.code as "opdCode", s.program_code as "programCode", s.kegiatan_code as "kegiatanCode", s.sub_kegiatan_code as code, s.name, s.indicator,
            s.target::text as target, s.unit, s.locations, s.ceiling::text as ceiling, s.funding_source as "fundingSource",
            pg.name as program_name, kg.name as kegiatan_name,
            coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                        from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = s.id), '[]'::json) as proposals
       from sub_activity s join opd o on o.id = s.opd_id
       left join nomenclature_item pg on pg.set_id = s.nomenclature_set_id and pg.code = s.program_code
       left join nomenclature_item kg on kg.set_id = s.nomenclature_set_id and kg.code = s.kegiatan_code
      where s.tenant_code = ? and s.fiscal_year = ? ${opdCode ? "and o.code = ?" : ""}
      order by o.code, s.sub_kegiatan_code`,
    opdCode ? [tenant, year, opdCode] : [tenant, year],
  );
  const byOpd = opds.map((o) => {
    const mine: RkpdSub[] = subs
      .filter((s) => s.opdCode === o.code)
      .map(({ program_name, kegiatan_name, ...s }) => ({ ...s, target: new D(s.target).toFixed(), programName: program_name ?? "", kegiatanName: kegiatan_name ?? "" }));
    return {
      code: o.code,
      name: o.name,
      status: o.status,
      ceiling: o.ceiling,
      planned: Money.sum(mine.map((s) => Money.idr(s.ceiling))).toString(),
      subs: mine,
    };
  });
  return { year, opds: byOpd, total: Money.sum(byOpd.map((o) => Money.idr(o.planned))).toString() };
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
