import type { EntityManager } from "@mikro-orm/postgresql";
import { FiscalYear } from "../kernel/fiscal-year";

/**
 * Realisation (realisasi belanja): the payments (SP2D) recorded against a year's budget lines, in every
 * version of that year's APBD. Recording is `recordSp2d` (apbd.ts) and the register import
 * (imports/budgeting/sp2d-sheet.ts); absorption per line, sub-activity and OPD is `absorption`.
 */

export interface Sp2dListRow {
  id: string;
  number: string;
  /** YYYY-MM-DD. */
  paid_on: string;
  opd_code: string;
  opd_name: string;
  sub_code: string | null;
  sub_name: string | null;
  account_code: string;
  line_description: string;
  amount: string;
  description: string;
  recorded_by: string;
}

export const SP2D_PER_PAGE = 50;

/**
 * A year's SP2D, oldest payment first (then by number, OPD, sub-activity, account), one page at a time,
 * optionally for one OPD; with the count and the total amount of everything the filter matches.
 */
export async function listSp2d(em: EntityManager, tenant: string, yearInput: number | string, opts: { opd?: string | null; page?: number; perPage?: number } = {}) {
  const year = FiscalYear.of(yearInput).year;
  const perPage = Math.min(Math.max(Math.trunc(opts.perPage ?? SP2D_PER_PAGE), 1), 500);
  const opd = String(opts.opd ?? "").trim();
  const where = `p.tenant_code = ? and a.fiscal_year = ?${opd ? " and o.code = ?" : ""}`;
  const params: (string | number)[] = opd ? [tenant, year, opd] : [tenant, year];
  const from = "sp2d p join budget_line b on b.id = p.budget_line_id join apbd a on a.id = b.apbd_id join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id";
  const [t] = await em.execute<{ n: number; s: string }[]>(`select count(*)::int as n, coalesce(sum(p.amount), 0)::numeric(20,2)::text as s from ${from} where ${where}`, params);
  const pages = Math.max(1, Math.ceil(t.n / perPage));
  const page = Math.min(Math.max(Number.isFinite(opts.page) ? Math.trunc(opts.page!) : 1, 1), pages);
  const rows = await em.execute<Sp2dListRow[]>(
    `select p.id, p.number, p.paid_on::text as paid_on, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as sub_code, s.name as sub_name,
            b.account_code, b.description as line_description, p.amount::text as amount, p.description, p.recorded_by
       from ${from} where ${where}
      order by p.paid_on, p.number, o.code, s.sub_kegiatan_code nulls first, b.account_code, b.position, p.id
      limit ? offset ?`,
    [...params, perPage, (page - 1) * perPage],
  );
  return { year, opd: opd || null, rows, count: t.n, total: t.s, page, pages, perPage };
}
