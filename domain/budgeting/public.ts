import { IsolationLevel, type EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";
import { apbdInForce, type ApbdKind } from "./apbd";
import { isUuid } from "../kernel/codes";

/**
 * The APBD for the public — where the money goes — and what its documents (the whole-APBD Excel, an
 * OPD's DPA) print. Read-only.
 *
 * Every table of `publicApbd` is summed from ONE aggregate of the version in force's lines (per OPD,
 * sub-activity, kind, funding source and account group), so each breakdown adds up to its total exactly:
 * the sums are Decimal, and every table is checked against its total before it leaves here.
 */


export interface AmountRow {
  code: string;
  name: string;
  /** Canonical "1250000.00". */
  total: string;
}
/** A kecamatan's share of spending; `code` null is the area-wide bucket ("Seluruh kabupaten"). */
export interface KecamatanRow {
  code: string | null;
  name: string;
  total: string;
  /** How many sub-activities put (part of) their money here. */
  subActivities: number;
}

export interface ApbdVersionInfo {
  id: string;
  versionNo: number;
  kind: ApbdKind;
  /** The n of "pergeseran ke-n" (1 for the first pergeseran of the year), null for murni and perubahan. */
  pergeseranNo: number | null;
  legalBasis: string;
  adoptedAt: string;
}

export interface PublicApbd {
  year: number;
  apbd: ApbdVersionInfo;
  /** Every adopted version of the year, oldest first (the last is the one in force). */
  versions: ApbdVersionInfo[];
  totals: {
    pendapatan: string;
    belanja: string;
    /** Pendapatan − belanja (negative: a deficit). */
    surplus: string;
    financingReceipts: string;
    financingSpending: string;
    netFinancing: string;
    /** Surplus + net financing: the planned SiLPA of the year. */
    silpa: string;
  };
  spending: {
    total: string;
    byOpd: AmountRow[];
    /** Bidang urusan (e.g. 1.02 Kesehatan), from the sub-activities' programme codes. */
    byBidang: AmountRow[];
    byProgram: AmountRow[];
    /** Each sub-activity's amount split evenly (Money.allocate) over the distinct kecamatan of its locations. */
    byKecamatan: KecamatanRow[];
    byFunding: AmountRow[];
    /** By account group (akun.kelompok.jenis, e.g. 5.1.02 Belanja Barang dan Jasa). */
    byGroup: AmountRow[];
  };
  revenue: { total: string; byGroup: AmountRow[]; byOpd: AmountRow[] };
  financing: { receipts: AmountRow[]; spending: AmountRow[]; net: string };
}

/** One row of the grouping-sets aggregate: by sub-activity and OPD ("s"), by funding source ("f") or by account group ("g"), each within a kind. */
interface Aggregate {
  set: "s" | "f" | "g";
  kind: "pendapatan" | "belanja" | "pembiayaan";
  opd_id: string | null;
  sub_activity_id: string | null;
  funding_source: string | null;
  grp: string | null;
  total: string;
}

/** Sums amounts by key, keeping the first name seen for each key. */
class Tally {
  private m = new Map<string, { name: string; sum: Money }>();
  add(code: string, name: string, amount: Money) {
    const e = this.m.get(code);
    if (e) e.sum = e.sum.plus(amount);
    else this.m.set(code, { name, sum: amount });
  }
  rows(order: "code" | "amount" = "code"): AmountRow[] {
    const rows = [...this.m].map(([code, e]) => ({ code, name: e.name, total: e.sum.toString(), sum: e.sum }));
    rows.sort(order === "code" ? (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) : (a, b) => b.sum.compare(a.sum) || (a.code < b.code ? -1 : 1));
    return rows.map(({ code, name, total }) => ({ code, name, total }));
  }
}

const sumOf = (rows: { total: string }[]) => Money.sum(rows.map((r) => Money.idr(r.total)));

/** A breakdown that does not add up to its total is a bug: refuse to publish it. */
function reconcile(what: string, rows: { total: string }[], total: Money) {
  const s = sumOf(rows);
  if (!s.equals(total)) throw new Error(`APBD ${what}: the rows add up to ${s.toString()}, not ${total.toString()}`);
}

/**
 * The kecamatan a location code falls in: a desa (35.22.06.2001) → its kecamatan (35.22.06); a kecamatan
 * → itself; a kabupaten/kota or provinsi code (35.22) → null, area-wide.
 */
export function kecamatanOf(location: string): string | null {
  const parts = location.trim().split(".");
  return parts.length >= 3 ? parts.slice(0, 3).join(".") : null;
}

/**
 * Splits each sub-activity's amount over the distinct kecamatan of its locations, evenly and exactly
 * (Money.allocate: the remainder goes out sen by sen). A sub-activity located kabupaten-wide — or with
 * no location at all — goes whole to the area-wide bucket (key null).
 */
export function splitByKecamatan(items: { amount: Money; locations: readonly string[] }[]): Map<string | null, { sum: Money; subs: number }> {
  const out = new Map<string | null, { sum: Money; subs: number }>();
  const add = (k: string | null, m: Money) => {
    const e = out.get(k);
    if (e) {
      e.sum = e.sum.plus(m);
      e.subs += 1;
    } else out.set(k, { sum: m, subs: 1 });
  };
  for (const it of items) {
    const kec = it.locations.map(kecamatanOf);
    if (kec.length === 0 || kec.includes(null)) {
      add(null, it.amount);
      continue;
    }
    const distinct = [...new Set(kec as string[])].sort();
    const parts = distinct.length === 1 ? [it.amount] : it.amount.allocate(distinct.map(() => 1));
    distinct.forEach((k, i) => add(k, parts[i]));
  }
  return out;
}

async function versionsOf(em: EntityManager, tenant: string, year: number): Promise<ApbdVersionInfo[]> {
  const rows = await em.execute<{ id: string; version_no: number; kind: ApbdKind; legal_basis: string; updated_at: Date | string }[]>(
    "select id, version_no, kind, legal_basis, updated_at from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no",
    [tenant, year],
  );
  let shifts = 0;
  return rows.map((r) => ({
    id: r.id,
    versionNo: r.version_no,
    kind: r.kind,
    pergeseranNo: r.kind === "pergeseran" ? ++shifts : null,
    legalBasis: r.legal_basis,
    adoptedAt: new Date(r.updated_at).toISOString(),
  }));
}

/**
 * The APBD of a year as the public sees it: the version in force (the latest adopted), its totals with
 * the surplus/deficit and net financing, and where the money goes — spending by OPD, bidang urusan,
 * programme, kecamatan, funding source and account group — with revenue and financing by account group.
 * Null when no version of the year is adopted yet.
 */
export async function publicApbd(em: EntityManager, tenant: string, year: number): Promise<PublicApbd | null> {
  const a = await apbdInForce(em, tenant, year);
  if (!a) return null;
  const versions = await versionsOf(em, tenant, year);
  const apbd = versions.find((v) => v.id === a.id)!;

  // One scan of the lines, three groupings (grouping sets): per kind and sub-activity/OPD, per kind and
  // funding source, per kind and account group — so every breakdown sums the same rows. The account group
  // (akun.kelompok.jenis, "5.1.02") is the first 6 characters: account codes are checked against the
  // fixed-width pattern d.d.dd.dd.dd.dddd (domain/nomenclature/codes.ts) before they are stored.
  const rows = await em.execute<Aggregate[]>(
    `select case when grouping(b.funding_source) = 0 then 'f' when grouping(left(b.account_code, 6)) = 0 then 'g' else 's' end as set,
            b.kind, b.opd_id, b.sub_activity_id, b.funding_source, left(b.account_code, 6) as grp, sum(b.amount)::numeric(20,2)::text as total
       from budget_line b where b.apbd_id = ?
      group by grouping sets ((b.kind, b.opd_id, b.sub_activity_id), (b.kind, b.funding_source), (b.kind, left(b.account_code, 6)))`,
    [a.id],
  );
  const opds = new Map(
    (await em.execute<{ id: string; code: string; name: string }[]>("select id, code, name from opd where tenant_code = ?", [tenant])).map((o) => [o.id, o]),
  );
  // The year's sub-activities (a superset of those with lines: cheaper than asking which have lines).
  const subs = new Map(
    (
      await em.execute<{ id: string; program_code: string; nomenclature_set_id: string; locations: string[] }[]>(
        "select s.id, s.program_code, s.nomenclature_set_id, s.locations from sub_activity s where s.tenant_code = ? and s.fiscal_year = ?",
        [tenant, year],
      )
    ).map((s) => [s.id, s]),
  );
  const others = [...new Set(rows.map((r) => r.sub_activity_id).filter((x): x is string => !!x && !subs.has(x)))];
  if (others.length)
    for (const s of await em.execute<{ id: string; program_code: string; nomenclature_set_id: string; locations: string[] }[]>(
      "select s.id, s.program_code, s.nomenclature_set_id, s.locations from sub_activity s where s.id in (?)",
      [others],
    ))
      subs.set(s.id, s);

  // Names: programmes and bidang from the sub-activities' own nomenclature sets, account groups from the
  // account list in force for the year, kecamatan from the region table.
  const used = [...new Set(rows.map((r) => r.sub_activity_id).filter((x): x is string => !!x))].map((id) => subs.get(id)!);
  const planCodes = [...new Set(used.flatMap((s) => [s.program_code, s.program_code.slice(0, 4)]))];
  const setIds = [...new Set(used.map((s) => s.nomenclature_set_id))];
  const planNames = new Map<string, string>();
  if (planCodes.length)
    for (const r of await em.execute<{ code: string; name: string }[]>(
      "select distinct on (i.code) i.code, i.name from nomenclature_item i join nomenclature_set s on s.id = i.set_id where i.set_id in (?) and i.code in (?) order by i.code, s.applies_from desc, s.imported_at desc",
      [setIds, planCodes],
    ))
      planNames.set(r.code, r.name);
  const groupCodes = [...new Set(rows.filter((r) => r.set === "g").map((r) => r.grp!))];
  const groupNames = new Map<string, string>();
  if (groupCodes.length)
    for (const r of await em.execute<{ code: string; name: string }[]>(
      `select distinct on (c.code) c.code, c.name from account_code c join nomenclature_set s on s.id = c.set_id
        where s.kind = 'account' and s.applies_from <= ? and c.code in (?) order by c.code, s.applies_from desc, s.imported_at desc`,
      [year, groupCodes],
    ))
      groupNames.set(r.code, r.name);

  const totals = { pendapatan: Money.zero, belanja: Money.zero, receipts: Money.zero, spending: Money.zero };
  const t = {
    opd: new Tally(),
    bidang: new Tally(),
    program: new Tally(),
    funding: new Tally(),
    group: new Tally(),
    revenueGroup: new Tally(),
    revenueOpd: new Tally(),
    receipts: new Tally(),
    financingSpending: new Tally(),
  };
  const perSub = new Map<string, Money>();
  let unattached = Money.zero; // belanja without a sub-activity (none today: the schema ties belanja to one)
  for (const r of rows) {
    const m = Money.idr(new D(r.total).toFixed(2));
    if (r.set === "g") {
      // The totals come from the account groups; the other groupings are reconciled against them below.
      const grp = r.grp!;
      const name = groupNames.get(grp) ?? "";
      if (r.kind === "pendapatan") {
        totals.pendapatan = totals.pendapatan.plus(m);
        t.revenueGroup.add(grp, name, m);
      } else if (r.kind === "belanja") {
        totals.belanja = totals.belanja.plus(m);
        t.group.add(grp, name, m);
      } else if (grp.startsWith("6.2")) {
        totals.spending = totals.spending.plus(m);
        t.financingSpending.add(grp, name, m);
      } else {
        totals.receipts = totals.receipts.plus(m);
        t.receipts.add(grp, name, m);
      }
    } else if (r.set === "f") {
      if (r.kind === "belanja") t.funding.add(r.funding_source!, r.funding_source!, m);
    } else {
      const opd = opds.get(r.opd_id!);
      if (r.kind === "pendapatan") t.revenueOpd.add(opd?.code ?? r.opd_id!, opd?.name ?? "", m);
      if (r.kind !== "belanja") continue;
      t.opd.add(opd?.code ?? r.opd_id!, opd?.name ?? "", m);
      const sub = r.sub_activity_id ? subs.get(r.sub_activity_id) : undefined;
      if (sub) {
        const pc = sub.program_code;
        t.program.add(pc, planNames.get(pc) ?? "", m);
        t.bidang.add(pc.slice(0, 4), planNames.get(pc.slice(0, 4)) ?? "", m);
        perSub.set(sub.id, (perSub.get(sub.id) ?? Money.zero).plus(m));
      } else {
        t.program.add("", "", m);
        t.bidang.add("", "", m);
        unattached = unattached.plus(m);
      }
    }
  }

  const split = splitByKecamatan([
    ...[...perSub].map(([id, amount]) => ({ amount, locations: subs.get(id)!.locations ?? [] })),
    ...(unattached.isZero() ? [] : [{ amount: unattached, locations: [] }]),
  ]);
  const kecCodes = [...split.keys()].filter((k): k is string => k !== null);
  const regionNames = new Map<string, string>();
  if (kecCodes.length) for (const r of await em.execute<{ code: string; name: string }[]>("select code, name from region where code in (?)", [kecCodes])) regionNames.set(r.code, r.name);
  const [area] = await em.execute<{ kind: string }[]>("select kind from region where code = ?", [tenant]);
  const byKecamatan: KecamatanRow[] = [
    ...kecCodes.sort().map((k) => ({ code: k, name: regionNames.get(k) ?? k, total: split.get(k)!.sum.toString(), subActivities: split.get(k)!.subs })),
    ...(split.has(null) ? [{ code: null, name: `Seluruh ${area?.kind ?? "kabupaten"}`, total: split.get(null)!.sum.toString(), subActivities: split.get(null)!.subs }] : []),
  ];

  const surplus = totals.pendapatan.minus(totals.belanja);
  const net = totals.receipts.minus(totals.spending);
  const out: PublicApbd = {
    year,
    apbd,
    versions,
    totals: {
      pendapatan: totals.pendapatan.toString(),
      belanja: totals.belanja.toString(),
      surplus: surplus.toString(),
      financingReceipts: totals.receipts.toString(),
      financingSpending: totals.spending.toString(),
      netFinancing: net.toString(),
      silpa: surplus.plus(net).toString(),
    },
    spending: {
      total: totals.belanja.toString(),
      byOpd: t.opd.rows(),
      byBidang: t.bidang.rows(),
      byProgram: t.program.rows(),
      byKecamatan,
      byFunding: t.funding.rows("amount"),
      byGroup: t.group.rows(),
    },
    revenue: { total: totals.pendapatan.toString(), byGroup: t.revenueGroup.rows(), byOpd: t.revenueOpd.rows() },
    financing: { receipts: t.receipts.rows(), spending: t.financingSpending.rows(), net: net.toString() },
  };
  for (const [what, list] of Object.entries(out.spending)) if (Array.isArray(list)) reconcile(`spending.${what}`, list, totals.belanja);
  reconcile("revenue.byGroup", out.revenue.byGroup, totals.pendapatan);
  reconcile("revenue.byOpd", out.revenue.byOpd, totals.pendapatan);
  reconcile("financing.receipts", out.financing.receipts, totals.receipts);
  reconcile("financing.spending", out.financing.spending, totals.spending);
  return out;
}

/** The parts of the whole-APBD sheet, in this order: revenue, spending, financing receipts, financing spending. */
export const APBD_SECTIONS = ["pendapatan", "belanja", "penerimaan", "pengeluaran"] as const;
export type ApbdSection = (typeof APBD_SECTIONS)[number];

export interface ApbdSheetLine {
  no: number;
  section: ApbdSection;
  opdCode: string;
  opdName: string;
  subCode: string | null;
  subName: string | null;
  accountCode: string;
  description: string;
  spec: string;
  /** Without trailing zeros ("12.5"). */
  volume: string;
  unit: string;
  unitPrice: string;
  taxPercent: string;
  amount: string;
  fundingSource: string;
}

/**
 * What the whole-APBD sheet reads, in order: a section's heading (with its total), an OPD's heading within
 * it (with the OPD's total in that section), then the OPD's lines by sub kegiatan and position.
 */
export type ApbdSheetItem =
  | { kind: "section"; section: ApbdSection; total: string }
  | { kind: "opd"; section: ApbdSection; code: string; name: string; total: string }
  | { kind: "line"; line: ApbdSheetLine };

const SECTION_SQL = "case when b.kind = 'pendapatan' then 1 when b.kind = 'belanja' then 2 when b.account_code like '6.2%' then 4 else 3 end";

/**
 * Every line of an APBD version for the Excel export, `pageSize` rows at a time, through a server-side
 * cursor: the database sorts once and hands the rows out page by page, so the caller holds one page,
 * never the 150,000 lines. The section and OPD totals announced in the headings are summed in the same
 * read-only REPEATABLE READ snapshot, so they agree with the rows; the snapshot is let go when the
 * caller stops early, too.
 */
export async function* apbdSheetPages(em: EntityManager, tenant: string, apbdId: string, pageSize = 2000): AsyncGenerator<ApbdSheetItem[]> {
  if (!isUuid(apbdId)) return;
  const tx = em.fork();
  await tx.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  try {
    const [a] = await tx.execute<{ id: string }[]>("select id from apbd where tenant_code = ? and id = ?", [tenant, apbdId]);
    if (!a) return;
    const sums = await tx.execute<{ section: number; opd_code: string; total: string }[]>(
      `select ${SECTION_SQL} as section, o.code as opd_code, sum(b.amount)::numeric(20,2)::text as total
         from budget_line b join opd o on o.id = b.opd_id where b.apbd_id = ? group by 1, 2`,
      [a.id],
    );
    const opdTotal = new Map(sums.map((s) => [`${s.section}|${s.opd_code}`, s.total]));
    const sectionTotal = new Map<number, Money>();
    for (const s of sums) sectionTotal.set(s.section, (sectionTotal.get(s.section) ?? Money.zero).plus(Money.idr(s.total)));
    await tx.execute(
      `declare apbd_sheet no scroll cursor for
       select ${SECTION_SQL} as section, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as sub_code, s.name as sub_name,
              b.account_code, b.description, b.spec, trim_scale(b.volume)::text as volume, b.unit, b.unit_price::text as unit_price,
              trim_scale(b.tax_percent)::text as tax_percent, b.amount::text as amount, b.funding_source
         from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
        where b.apbd_id = ?
        order by 1, o.code collate "C", s.sub_kegiatan_code collate "C" nulls first, b.position, b.line_key`,
      [a.id],
    );
    const size = Math.max(1, Math.floor(pageSize));
    let section = 0;
    let opd = "";
    let no = 0;
    for (;;) {
      const rows = await tx.execute<
        { section: number; opd_code: string; opd_name: string; sub_code: string | null; sub_name: string | null; account_code: string; description: string; spec: string; volume: string; unit: string; unit_price: string; tax_percent: string; amount: string; funding_source: string }[]
      >(`fetch forward ${size} from apbd_sheet`);
      const items: ApbdSheetItem[] = [];
      for (const r of rows) {
        const name = APBD_SECTIONS[r.section - 1];
        if (r.section !== section) {
          section = r.section;
          opd = "";
          items.push({ kind: "section", section: name, total: sectionTotal.get(r.section)!.toString() });
        }
        if (r.opd_code !== opd) {
          opd = r.opd_code;
          items.push({ kind: "opd", section: name, code: r.opd_code, name: r.opd_name, total: new D(opdTotal.get(`${r.section}|${r.opd_code}`)!).toFixed(2) });
        }
        items.push({
          kind: "line",
          line: {
            no: ++no,
            section: name,
            opdCode: r.opd_code,
            opdName: r.opd_name,
            subCode: r.sub_code,
            subName: r.sub_name,
            accountCode: r.account_code,
            description: r.description,
            spec: r.spec,
            volume: r.volume,
            unit: r.unit,
            unitPrice: r.unit_price,
            taxPercent: r.tax_percent,
            amount: r.amount,
            fundingSource: r.funding_source,
          },
        });
      }
      if (items.length) yield items;
      if (rows.length < size) break;
    }
  } finally {
    await tx.rollback(); // read-only: nothing to keep (closes the cursor too)
  }
}

export interface DpaLine {
  accountCode: string;
  accountName: string | null;
  description: string;
  spec: string;
  volume: string;
  unit: string;
  unitPrice: string;
  taxPercent: string;
  amount: string;
  fundingSource: string;
}

export interface DpaDocument {
  tenantName: string;
  dpa: { id: string; number: string; total: string; issuedAt: string; issuedBy: string };
  apbd: ApbdVersionInfo & { year: number; status: string };
  opd: { code: string; name: string };
  subs: { id: string | null; code: string | null; name: string | null; programCode: string | null; programName: string | null; kegiatanCode: string | null; kegiatanName: string | null; locations: string[]; total: string; lines: DpaLine[] }[];
  /** The period the cash plan is set in: per month, or per quarter (migration 0009). */
  cashPlanPeriod: "bulan" | "triwulan";
  /**
   * Per sub-activity (as in `subs`), the 12 monthly amounts (for a quarterly plan each quarter's amount
   * sits on the quarter's last month, the others are zero); null when no cash plan is set yet.
   */
  cashPlan: { subActivityId: string | null; code: string | null; name: string | null; months: string[]; total: string }[] | null;
}

/**
 * One OPD's DPA as its document prints it: number, OPD, the APBD version it was issued from, its total;
 * the spending lines of that version per sub-activity (each with its subtotal); and the cash plan
 * (anggaran kas) by month or quarter. The lines are those of an adopted, locked version, so they add up to the
 * total the DPA was issued with — checked here. Null when there is no such DPA in the tenant.
 */
export async function dpaDocument(em: EntityManager, tenant: string, dpaId: string): Promise<DpaDocument | null> {
  if (!isUuid(dpaId)) return null;
  const [d] = await em.execute<
    { id: string; number: string; total: string; issued_at: Date | string; issued_by: string; apbd_id: string; opd_id: string; opd_code: string; opd_name: string; year: number; status: string; tenant_name: string | null; cash_plan_period: "bulan" | "triwulan" }[]
  >(
    `select d.id, d.number, d.total::text as total, d.issued_at, d.issued_by, d.apbd_id, d.opd_id, o.code as opd_code, o.name as opd_name, a.fiscal_year as year, a.status, d.cash_plan_period,
            (select t.name from tenant t where t.code = d.tenant_code) as tenant_name
       from dpa d join opd o on o.id = d.opd_id join apbd a on a.id = d.apbd_id where d.tenant_code = ? and d.id = ?`,
    [tenant, dpaId],
  );
  if (!d) return null;
  const version = (await versionsOf(em, tenant, d.year)).find((v) => v.id === d.apbd_id);
  const [raw] = version ? [] : await em.execute<{ version_no: number; kind: ApbdKind; legal_basis: string; updated_at: Date }[]>("select version_no, kind, legal_basis, updated_at from apbd where id = ?", [d.apbd_id]);
  const info: ApbdVersionInfo = version ?? { id: d.apbd_id, versionNo: raw.version_no, kind: raw.kind, pergeseranNo: null, legalBasis: raw.legal_basis, adoptedAt: new Date(raw.updated_at).toISOString() };
  const lines = await em.execute<
    {
      sub_id: string | null;
      sub_code: string | null;
      sub_name: string | null;
      program_code: string | null;
      program_name: string | null;
      kegiatan_code: string | null;
      kegiatan_name: string | null;
      locations: string[] | null;
      account_code: string;
      account_name: string | null;
      description: string;
      spec: string;
      volume: string;
      unit: string;
      unit_price: string;
      tax_percent: string;
      amount: string;
      funding_source: string;
    }[]
  >(
    `select s.id as sub_id, s.sub_kegiatan_code as sub_code, s.name as sub_name, s.program_code, pg.name as program_name, s.kegiatan_code, kg.name as kegiatan_name, s.locations,
            b.account_code, (select c.name from account_code c join nomenclature_set ns on ns.id = c.set_id where ns.kind = 'account' and ns.applies_from <= ? and c.code = b.account_code
                              order by ns.applies_from desc, ns.imported_at desc limit 1) as account_name,
            b.description, b.spec, trim_scale(b.volume)::text as volume, b.unit, b.unit_price::text as unit_price, trim_scale(b.tax_percent)::text as tax_percent, b.amount::text as amount, b.funding_source
       from budget_line b left join sub_activity s on s.id = b.sub_activity_id
       left join nomenclature_item pg on pg.set_id = s.nomenclature_set_id and pg.code = s.program_code
       left join nomenclature_item kg on kg.set_id = s.nomenclature_set_id and kg.code = s.kegiatan_code
      where b.apbd_id = ? and b.opd_id = ? and b.kind = 'belanja'
      order by s.sub_kegiatan_code collate "C" nulls first, b.position, b.line_key`,
    [d.year, d.apbd_id, d.opd_id],
  );
  const subs: DpaDocument["subs"] = [];
  const sums: Money[] = [];
  for (const l of lines) {
    let cur = subs.at(-1);
    if (!cur || cur.id !== l.sub_id) {
      cur = { id: l.sub_id, code: l.sub_code, name: l.sub_name, programCode: l.program_code, programName: l.program_name, kegiatanCode: l.kegiatan_code, kegiatanName: l.kegiatan_name, locations: l.locations ?? [], total: "0.00", lines: [] };
      subs.push(cur);
      sums.push(Money.zero);
    }
    sums[sums.length - 1] = sums[sums.length - 1].plus(Money.idr(l.amount));
    cur.lines.push({
      accountCode: l.account_code,
      accountName: l.account_name,
      description: l.description,
      spec: l.spec,
      volume: l.volume,
      unit: l.unit,
      unitPrice: l.unit_price,
      taxPercent: l.tax_percent,
      amount: l.amount,
      fundingSource: l.funding_source,
    });
  }
  subs.forEach((s, i) => (s.total = sums[i].toString()));
  const total = Money.idr(d.total);
  if (!Money.sum(sums).equals(total)) throw new Error(`DPA ${d.number}: its lines add up to ${Money.sum(sums).toString()}, not ${total.toString()}`);

  const plan = await em.execute<{ sub_activity_id: string | null; month: number; amount: string }[]>(
    "select sub_activity_id, month, amount::text as amount from dpa_cash_plan where dpa_id = ? and kind = 'belanja' order by month",
    [d.id],
  );
  let cashPlan: DpaDocument["cashPlan"] = null;
  if (plan.length) {
    cashPlan = subs.map((s) => {
      const months = Array.from({ length: 12 }, (_, i) => plan.find((p) => p.sub_activity_id === s.id && p.month === i + 1)?.amount ?? "0.00");
      return { subActivityId: s.id, code: s.code, name: s.name, months: months.map((m) => Money.idr(m).toString()), total: Money.sum(months.map((m) => Money.idr(m))).toString() };
    });
  }
  return {
    tenantName: d.tenant_name ?? tenant,
    dpa: { id: d.id, number: d.number, total: total.toString(), issuedAt: new Date(d.issued_at).toISOString(), issuedBy: d.issued_by },
    apbd: { ...info, year: d.year, status: d.status },
    opd: { code: d.opd_code, name: d.opd_name },
    subs,
    cashPlanPeriod: d.cash_plan_period,
    cashPlan,
  };
}
