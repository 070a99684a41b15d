import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Money } from "../../domain/kernel/money";
import type { Kind, Method, PackageType } from "../../domain/procurement/vocabulary";
import { moneyCellValue } from "./musrenbang";
import { drained, streamFrom } from "./stream";

/**
 * The RUP (rencana umum pengadaan) of a fiscal year in SiRUP's own layout, so that it can be compared
 * with SiRUP, loaded into it, or read back by Jejak (imports/procurement/rup-sheet.ts: an unchanged
 * file changes nothing):
 *
 *   "Paket"    — one row per announced package, with SiRUP's column names (kd_rup, nama_paket, kd_satker,
 *                nama_satker, tahun_anggaran, pagu, metode_pengadaan, jenis_pengadaan, …) in the first row;
 *   "Anggaran" — the budget lines behind each package, as SiRUP keeps them: kd_rup, mak (the sub kegiatan
 *                code followed by the account code), sumber_dana and pagu; one row per MAK and funding
 *                source, in DPA line order.
 *
 * The whole year (17,000 packages at a large pemda) is read a page of PAGE packages at a time and written
 * by exceljs's streaming writer, waiting for the reader when it falls behind: memory stays flat. Every
 * package's lines are checked to add up to its pagu while they are written; a difference aborts the
 * download rather than hand out a RUP that does not reconcile.
 */

export const RUP_SHEETS = { packages: "Paket", lines: "Anggaran" } as const;

/** The columns of "Paket", in SiRUP's names. The import reads them by these names, in any order. */
export const RUP_PACKAGE_COLUMNS = [
  { key: "kodeRup", header: "kd_rup", width: 12 },
  { key: "name", header: "nama_paket", width: 48 },
  { key: "opdCode", header: "kd_satker", width: 24 },
  { key: "opdName", header: "nama_satker", width: 36 },
  { key: "year", header: "tahun_anggaran", width: 10 },
  { key: "pagu", header: "pagu", width: 18 },
  { key: "method", header: "metode_pengadaan", width: 20 },
  { key: "kind", header: "jenis_pengadaan", width: 22 },
  { key: "type", header: "tipe", width: 11 },
  { key: "swakelolaType", header: "tipe_swakelola", width: 8 },
  { key: "pdn", header: "status_pdn", width: 10 },
  { key: "umk", header: "status_ukm", width: 10 },
  { key: "selectionStart", header: "tgl_awal_pemilihan", width: 12 },
  { key: "selectionEnd", header: "tgl_akhir_pemilihan", width: 12 },
  { key: "executionStart", header: "tgl_awal_pelaksanaan", width: 12 },
  { key: "executionEnd", header: "tgl_akhir_pelaksanaan", width: 12 },
  { key: "locations", header: "lokasi", width: 40 },
  { key: "description", header: "uraian_pekerjaan", width: 40 },
  { key: "volume", header: "volume_pekerjaan", width: 16 },
  { key: "ppkName", header: "nama_ppk", width: 24 },
  { key: "plannedOn", header: "tgl_buat_paket", width: 12 },
  { key: "status", header: "status_umumkan_rup", width: 14 },
] as const;
export type RupPackageKey = (typeof RUP_PACKAGE_COLUMNS)[number]["key"];

export const RUP_LINE_COLUMNS = [
  { key: "kodeRup", header: "kd_rup", width: 12 },
  { key: "mak", header: "mak", width: 40 },
  { key: "fundingSource", header: "sumber_dana", width: 18 },
  { key: "amount", header: "pagu", width: 18 },
] as const;
export type RupLineKey = (typeof RUP_LINE_COLUMNS)[number]["key"];

/** How SiRUP writes the methods, kinds and types. */
export const SIRUP_METHOD: Record<Method, string> = {
  tender: "Tender",
  tender_cepat: "Tender Cepat",
  seleksi: "Seleksi",
  pengadaan_langsung: "Pengadaan Langsung",
  penunjukan_langsung: "Penunjukan Langsung",
  e_purchasing: "E-Purchasing",
  swakelola: "Swakelola",
};
export const SIRUP_KIND: Record<Kind, string> = {
  barang: "Barang",
  konstruksi: "Pekerjaan Konstruksi",
  konsultansi: "Jasa Konsultansi",
  jasa_lainnya: "Jasa Lainnya",
};
export const SIRUP_TYPE: Record<PackageType, string> = { penyedia: "Penyedia", swakelola: "Swakelola" };
export const SIRUP_PDN = { yes: "PDN", no: "Non PDN" } as const;
export const SIRUP_UKM = { yes: "UKM", no: "Non UKM" } as const;
export const SIRUP_ANNOUNCED = { yes: "Terumumkan", no: "Draf" } as const;

/** "1.03.10.2.01.0033" + "5.2.04.01.01.0003" → "1.03.10.2.01.0033.5.2.04.01.01.0003"; a line outside a sub kegiatan has its account only. */
export const makOf = (subCode: string | null, accountCode: string) => (subCode ? `${subCode}.${accountCode}` : accountCode);

/** "35.22.06.2001: Ruas Dander–Ngunut; 35.22.01" — region code, then its detail after a colon. */
export const formatLocations = (locations: readonly { regionCode: string; detail: string }[]) =>
  locations.map((l) => (l.detail ? `${l.regionCode}: ${l.detail}` : l.regionCode)).join("; ");

export interface RupPackageRow {
  id: string;
  kode_rup: string;
  name: string;
  opd_code: string;
  opd_name: string;
  fiscal_year: number;
  pagu: string;
  method: Method;
  kind: Kind;
  type: PackageType;
  swakelola_type: number | null;
  pdn: boolean;
  umk: boolean;
  selection_start: string | null;
  selection_end: string | null;
  execution_start: string | null;
  execution_end: string | null;
  locations: string | null;
  description: string;
  volume: string;
  ppk_name: string;
  planned_on: string;
}

export interface RupLineRow {
  kode_rup: string;
  sub_code: string | null;
  account_code: string;
  funding_source: string;
  amount: string;
}

/** Packages a page holds: small enough for flat memory, large enough that 17,000 packages take 17 queries. */
export const RUP_PAGE = 1000;

export interface RupFilter {
  tenant: string;
  year: number;
  /** One OPD's packages (its code), or every OPD's. */
  opd?: string | null;
}

/** The year's announced packages in kode RUP order, a page at a time (keyset paging: each page is one index range). */
export async function* rupPackagePages(em: EntityManager, f: RupFilter, size = RUP_PAGE): AsyncGenerator<RupPackageRow[]> {
  let after = "0";
  for (;;) {
    const rows = await em.execute<RupPackageRow[]>(
      `select p.id, p.kode_rup::text as kode_rup, p.name, o.code as opd_code, o.name as opd_name, p.fiscal_year, p.pagu::text as pagu, p.method, p.kind, p.type, p.swakelola_type,
              p.pdn, p.umk, to_char(p.selection_start, 'YYYY-MM-DD') as selection_start, to_char(p.selection_end, 'YYYY-MM-DD') as selection_end,
              to_char(p.execution_start, 'YYYY-MM-DD') as execution_start, to_char(p.execution_end, 'YYYY-MM-DD') as execution_end,
              (select string_agg(case when l.detail = '' then l.region_code else l.region_code || ': ' || l.detail end, '; ' order by l.region_code)
                 from proc_package_location l where l.package_id = p.id) as locations,
              p.description, p.volume, p.ppk_name, to_char(p.planned_on, 'YYYY-MM-DD') as planned_on
         from proc_package p join opd o on o.id = p.opd_id
        where p.tenant_code = ? and p.fiscal_year = ? and p.status = 'announced' and p.kode_rup > ?::bigint and (?::text is null or o.code = ?::text)
        order by p.kode_rup limit ?`,
      [f.tenant, f.year, after, f.opd ?? null, f.opd ?? null, size],
    );
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1].kode_rup;
  }
}

/**
 * The budget lines of the same packages, by package (kode RUP order) and MAK and funding source, in DPA
 * line order. A line is read from the APBD version in force; one a later version no longer has, from the
 * latest adopted version that has it.
 */
export async function* rupLinePages(em: EntityManager, f: RupFilter, size = RUP_PAGE): AsyncGenerator<RupLineRow[]> {
  const [inForce] = await em.execute<{ id: string }[]>(
    "select id from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1",
    [f.tenant, f.year],
  );
  let after = "0";
  for (;;) {
    const [{ last }] = await em.execute<{ last: string | null }[]>(
      `select max(kode_rup)::text as last from (select p.kode_rup from proc_package p join opd o on o.id = p.opd_id
          where p.tenant_code = ? and p.fiscal_year = ? and p.status = 'announced' and p.kode_rup > ?::bigint and (?::text is null or o.code = ?::text)
          order by p.kode_rup limit ?) page`,
      [f.tenant, f.year, after, f.opd ?? null, f.opd ?? null, size],
    );
    if (last === null) return;
    const rows = await em.execute<RupLineRow[]>(
      `select p.kode_rup::text as kode_rup, s.sub_kegiatan_code as sub_code, coalesce(b.account_code, old.account_code) as account_code,
              coalesce(b.funding_source, old.funding_source) as funding_source, sum(pb.amount)::numeric(20,2)::text as amount
         from proc_package p join opd o on o.id = p.opd_id
         join proc_package_budget pb on pb.package_id = p.id
         left join budget_line b on b.apbd_id = ?::uuid and b.line_key = pb.line_key
         left join lateral (select bl.* from budget_line bl join apbd a on a.id = bl.apbd_id
                             where b.id is null and a.tenant_code = p.tenant_code and a.fiscal_year = p.fiscal_year and a.status = 'adopted' and bl.line_key = pb.line_key
                             order by a.version_no desc limit 1) old on true
         left join sub_activity s on s.id = coalesce(b.sub_activity_id, old.sub_activity_id)
        where p.tenant_code = ? and p.fiscal_year = ? and p.status = 'announced' and p.kode_rup > ?::bigint and p.kode_rup <= ?::bigint and (?::text is null or o.code = ?::text)
        group by p.kode_rup, s.sub_kegiatan_code, coalesce(b.account_code, old.account_code), coalesce(b.funding_source, old.funding_source)
        order by p.kode_rup, min(coalesce(b.position, old.position)), 2, 3, 4`,
      [inForce?.id ?? null, f.tenant, f.year, after, last, f.opd ?? null, f.opd ?? null],
    );
    yield rows;
    after = last;
  }
}

export interface RupSheetSource {
  packages: AsyncIterable<RupPackageRow[]>;
  lines: AsyncIterable<RupLineRow[]>;
}

export function streamRupXlsx(src: RupSheetSource): PassThrough {
  return streamFrom((out) => write(out, src));
}

/**
 * The RUP download: both sheets read from one snapshot of the database (a read-only repeatable-read
 * transaction held while the file is written), so that a package announced or cancelled meanwhile
 * cannot make the two sheets disagree.
 */
export function streamRup(em: EntityManager, f: RupFilter): PassThrough {
  return streamFrom((out) =>
    em.transactional((tx) => write(out, { packages: rupPackagePages(tx, f), lines: rupLinePages(tx, f) }), { isolationLevel: "repeatable read", readOnly: true }),
  );
}

const MONEY_FMT = "#,##0.00";
const DATE_FMT = "yyyy-mm-dd";
/** A date cell: the calendar date at midnight UTC, which Excel shows as that date and the import reads back as it. */
const dateCell = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

async function write(out: PassThrough, src: RupSheetSource): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "Jejak";
  const ws = wb.addWorksheet(RUP_SHEETS.packages, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = RUP_PACKAGE_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.key === "pagu" ? { numFmt: MONEY_FMT } : /^(selection|execution|planned)/.test(c.key) ? { numFmt: DATE_FMT } : {},
  }));
  const head = ws.addRow(RUP_PACKAGE_COLUMNS.map((c) => c.header));
  head.font = { bold: true };
  head.commit();
  // What each package's lines must add up to, checked when "Anggaran" is written.
  const pagu = new Map<string, Money>();
  for await (const page of src.packages) {
    for (const p of page) {
      pagu.set(p.kode_rup, Money.idr(p.pagu));
      ws.addRow([
        Number(p.kode_rup),
        p.name,
        p.opd_code,
        p.opd_name,
        p.fiscal_year,
        moneyCellValue(p.pagu),
        SIRUP_METHOD[p.method] ?? p.method,
        SIRUP_KIND[p.kind] ?? p.kind,
        SIRUP_TYPE[p.type] ?? p.type,
        p.swakelola_type,
        p.pdn ? SIRUP_PDN.yes : SIRUP_PDN.no,
        p.umk ? SIRUP_UKM.yes : SIRUP_UKM.no,
        dateCell(p.selection_start),
        dateCell(p.selection_end),
        dateCell(p.execution_start),
        dateCell(p.execution_end),
        p.locations ?? "",
        p.description,
        p.volume,
        p.ppk_name,
        dateCell(p.planned_on),
        SIRUP_ANNOUNCED.yes,
      ]).commit();
    }
    if (!(await drained(out))) return;
  }
  ws.commit();

  const wl = wb.addWorksheet(RUP_SHEETS.lines, { views: [{ state: "frozen", ySplit: 1 }] });
  wl.columns = RUP_LINE_COLUMNS.map((c) => ({ key: c.key, width: c.width, style: c.key === "amount" ? { numFmt: MONEY_FMT } : {} }));
  const lineHead = wl.addRow(RUP_LINE_COLUMNS.map((c) => c.header));
  lineHead.font = { bold: true };
  lineHead.commit();
  const current = { kode: "", sum: Money.zero };
  const close = () => {
    if (!current.kode) return;
    const expected = pagu.get(current.kode);
    if (!expected || !expected.equals(current.sum)) throw new Error(`RUP: the lines of kode RUP ${current.kode} add up to ${current.sum.toString()}, not ${expected?.toString() ?? "(no package)"}`);
    pagu.delete(current.kode);
  };
  for await (const page of src.lines) {
    for (const l of page) {
      if (current.kode !== l.kode_rup) {
        close();
        current.kode = l.kode_rup;
        current.sum = Money.zero;
      }
      current.sum = current.sum.plus(Money.idr(l.amount));
      wl.addRow([Number(l.kode_rup), makOf(l.sub_code, l.account_code), l.funding_source, moneyCellValue(l.amount)]).commit();
    }
    if (!(await drained(out))) return;
  }
  close();
  if (pagu.size) throw new Error(`RUP: ${pagu.size} package(s) without budget lines, e.g. kode RUP ${[...pagu.keys()][0]}`);
  wl.commit();
  await wb.commit();
}
