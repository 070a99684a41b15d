import type { EntityManager } from "@mikro-orm/postgresql";
import { isUuid } from "../kernel/codes";
import { loadContract, type ContractRow } from "./contracts";
import { wibDate } from "./events";
import type { TenderStatus } from "./machines";
import { loadPackage, packageLines, type PackageRow } from "./packages";
import { loadTender, stagesOf, type TenderRow } from "./tenders";
import type { VendorRow } from "./vendors";
import type { Kind, Method, PackageType } from "./vocabulary";

/**
 * The read side of the PPK's and the Pokja's workspaces (app/routes/procure.*): lists and page views.
 * Every query is filtered by the tenant. Nothing here changes data; the use cases are in packages.ts,
 * tenders.ts, contracts.ts and vendors.ts.
 *
 * Sealed bids: before the opening a tender's view carries only the number of bids received — the
 * queries below never select a price, vendor or document of a bid that is not opened.
 */

/** The fiscal years whose adopted APBD has a DPA for the OPD, newest first. */
export async function dpaYears(em: EntityManager, tenant: string, opdCode: string): Promise<number[]> {
  const rows = await em.execute<{ y: number }[]>(
    `select distinct a.fiscal_year::int as y from apbd a join dpa d on d.apbd_id = a.id join opd o on o.id = d.opd_id
      where a.tenant_code = ? and a.status = 'adopted' and o.code = ? order by 1 desc`,
    [tenant, opdCode],
  );
  return rows.map((r) => r.y);
}

/**
 * The year a workspace opens on: the current year (WIB) when it has a DPA in force, otherwise the latest
 * year that has one (before January, next year's), otherwise next year.
 */
export function defaultYear(years: readonly number[], now: Date): number {
  const current = Number(wibDate(now).slice(0, 4));
  if (years.includes(current)) return current;
  return years[0] ?? current + 1;
}

export interface PackageListRow {
  id: string;
  name: string;
  status: PackageRow["status"];
  type: PackageType;
  kind: Kind;
  method: Method;
  pagu: string;
  kode_rup: string | null;
  version: number;
  tender_id: string | null;
  tender_code: string | null;
  tender_status: TenderStatus | null;
  attempt: number | null;
  contract_id: string | null;
  contract_status: ContractRow["status"] | null;
}

/** An OPD's packages of a year, newest first, each with its latest selection and contract. */
export async function opdPackages(em: EntityManager, tenant: string, year: number, opdCode: string): Promise<PackageListRow[]> {
  return em.execute<PackageListRow[]>(
    `select p.id, p.name, p.status, p.type, p.kind, p.method, p.pagu::text as pagu, p.kode_rup::text as kode_rup, p.version,
            t.id as tender_id, t.code as tender_code, t.status as tender_status, t.attempt::int as attempt, c.id as contract_id, c.status as contract_status
       from proc_package p join opd o on o.id = p.opd_id
       left join lateral (select id, code, status, attempt from tender where package_id = p.id order by attempt desc limit 1) t on true
       left join lateral (select id, status from contract where package_id = p.id order by created_at desc limit 1) c on true
      where p.tenant_code = ? and p.fiscal_year = ? and o.code = ?
      order by p.created_at desc, p.name`,
    [tenant, year, opdCode],
  );
}

export interface StageRow {
  stage: string;
  starts_at: Date;
  ends_at: Date;
}

async function stagesOfTender(em: EntityManager, tenderId: string): Promise<StageRow[]> {
  return em.execute<StageRow[]>("select stage, starts_at, ends_at from tender_stage where tender_id = ? order by position", [tenderId]);
}

export interface SanggahRow {
  id: string;
  kind: "sanggah" | "banding";
  vendor_name: string;
  text: string;
  submitted_at: Date;
  answer: string | null;
  upheld: boolean | null;
  answered_at: Date | null;
  answered_by: string | null;
}

async function sanggahOf(em: EntityManager, tenderId: string): Promise<SanggahRow[]> {
  return em.execute<SanggahRow[]>(
    `select s.id, s.kind, v.name as vendor_name, s.text, s.submitted_at, s.answer, s.upheld, s.answered_at, s.answered_by
       from sanggah s join vendor v on v.id = s.vendor_id where s.tender_id = ? order by s.submitted_at`,
    [tenderId],
  );
}

export interface TenderSummary {
  id: string;
  code: string;
  attempt: number;
  method: Method;
  status: TenderStatus;
  hps: string;
  evaluation_method: string;
  technical_weight: string | null;
  qualification: "pasca" | "pra";
  bid_deadline: Date | null;
  opening_at: Date | null;
  sanggah_until: Date | null;
  banding_until: Date | null;
  failure_reason: string;
  version: number;
  winner_name: string | null;
  winner_price: string | null;
  invited_name: string | null;
}

const TENDER_SUMMARY = `select t.id, t.code, t.attempt::int as attempt, t.method, t.status, t.hps::text as hps, t.evaluation_method, t.technical_weight::text as technical_weight,
        t.qualification, t.bid_deadline, t.opening_at, t.sanggah_until, t.banding_until, t.failure_reason, t.version,
        wv.name as winner_name, wb.corrected_price::text as winner_price, iv.name as invited_name
   from tender t left join bid wb on wb.id = t.winner_bid_id left join vendor wv on wv.id = wb.vendor_id left join vendor iv on iv.id = t.invited_vendor_id`;

export interface ContractDetail extends ContractRow {
  vendor_npwp: string;
  vendor_address: string;
  amendments: { no: number; reason: string; value_before: string; value_after: string; end_before: string | null; end_after: string | null; scope: string; signed_on: string; created_by: string }[];
  terms: { no: number; description: string; progress_percent: string; amount: string }[];
}

async function contractDetail(em: EntityManager, tenant: string, id: string): Promise<ContractDetail> {
  const c = await loadContract(em, tenant, id);
  const [v] = await em.execute<{ npwp: string; address: string }[]>("select npwp, address from vendor where id = ?", [c.vendor_id]);
  const amendments = await em.execute<ContractDetail["amendments"]>(
    `select no::int as no, reason, value_before::text as value_before, value_after::text as value_after, to_char(end_before, 'YYYY-MM-DD') as end_before,
            to_char(end_after, 'YYYY-MM-DD') as end_after, scope, to_char(signed_on, 'YYYY-MM-DD') as signed_on, created_by
       from contract_amendment where contract_id = ? order by no`,
    [c.id],
  );
  const terms = await em.execute<ContractDetail["terms"]>(
    "select no::int as no, description, progress_percent::text as progress_percent, amount::text as amount from contract_term where contract_id = ? order by no",
    [c.id],
  );
  return { ...c, vendor_npwp: v?.npwp ?? "", vendor_address: v?.address ?? "", amendments, terms };
}

/**
 * The PPK's package page: the package with its DPA lines and locations, every selection attempt (the
 * latest with its schedule and objections), and its contracts with their amendments and payment terms.
 */
export async function packageView(em: EntityManager, tenant: string, id: string) {
  const pkg = await loadPackage(em, tenant, id);
  const lines = await packageLines(em, pkg.id);
  const locations = await em.execute<{ region_code: string; detail: string; name: string | null; kind: string | null }[]>(
    "select l.region_code, l.detail, r.name, r.kind from proc_package_location l left join region r on r.code = l.region_code where l.package_id = ? order by l.region_code",
    [pkg.id],
  );
  const tenders = await em.execute<TenderSummary[]>(`${TENDER_SUMMARY} where t.tenant_code = ? and t.package_id = ? order by t.attempt desc`, [tenant, pkg.id]);
  const current = tenders[0] ?? null;
  const stages = current ? await stagesOfTender(em, current.id) : [];
  const sanggah = current ? await sanggahOf(em, current.id) : [];
  const ids = await em.execute<{ id: string }[]>("select id from contract where tenant_code = ? and package_id = ? order by created_at desc", [tenant, pkg.id]);
  const contracts: ContractDetail[] = [];
  for (const c of ids) contracts.push(await contractDetail(em, tenant, c.id));
  return { pkg, lines, locations, tenders, current, stages, sanggah, contracts, stageNames: [...stagesOf(pkg.method)] };
}
export type PackageView = Awaited<ReturnType<typeof packageView>>;

export interface PokjaTenderRow {
  id: string;
  code: string;
  status: TenderStatus;
  method: Method;
  hps: string;
  bid_deadline: Date | null;
  opening_at: Date | null;
  package_id: string;
  package_name: string;
  kode_rup: string | null;
  fiscal_year: number;
  opd_name: string;
  mine: boolean;
  members: number;
}

/**
 * The Pokja member's list: the tenders they are named to, and the drafts no Pokja has been named to yet
 * (to take one). Live ones first, then by bid deadline.
 */
export async function pokjaTenders(em: EntityManager, tenant: string, userId: string): Promise<PokjaTenderRow[]> {
  return em.execute<PokjaTenderRow[]>(
    `select t.id, t.code, t.status, t.method, t.hps::text as hps, t.bid_deadline, t.opening_at, p.id as package_id, p.name as package_name, p.kode_rup::text as kode_rup,
            p.fiscal_year::int as fiscal_year, o.name as opd_name, m.mine, m.members
       from tender t join proc_package p on p.id = t.package_id join opd o on o.id = p.opd_id
       cross join lateral (select coalesce(bool_or(tp.user_id = ?::uuid), false) as mine, count(*)::int as members from tender_pokja tp where tp.tender_id = t.id) m
      where t.tenant_code = ? and (m.mine or (t.status = 'draft' and m.members = 0))
      order by (t.status in ('contracted','failed','cancelled')), t.bid_deadline nulls last, t.code`,
    [userId, tenant],
  );
}

/** The users who may be named to a Pokja (active, holding the Pokja role). */
export async function pokjaCandidates(em: EntityManager, tenant: string): Promise<{ username: string; display_name: string }[]> {
  return em.execute(
    `select distinct u.username, u.display_name from app_user u join role_assignment r on r.user_id = u.id
      where u.tenant_code = ? and r.role = 'pokja_member' and u.active order by u.display_name`,
    [tenant],
  );
}

export interface OpenedBidRow {
  id: string;
  vendor_id: string;
  vendor_name: string;
  npwp: string;
  qualification: string;
  submitted_at: Date;
  price: string;
  corrected_price: string;
  admin_pass: boolean | null;
  tech_pass: boolean | null;
  tech_score: string | null;
  price_pass: boolean | null;
  qual_pass: boolean | null;
  reason: string;
  total_score: string | null;
  rank: number | null;
  evaluated_at: Date | null;
}

/**
 * The Pokja's tender page: the package it serves, the schedule, the Pokja and their pakta integritas,
 * questions (never who asked), addenda, objections, and the bids. Before the opening only their number
 * is known: `bids` lists opened bids only, and no query here reads a sealed one.
 */
export async function tenderView(em: EntityManager, tenant: string, id: string) {
  const t: TenderRow = await loadTender(em, tenant, id);
  const pkg = await loadPackage(em, tenant, t.package_id);
  const stages = await stagesOfTender(em, t.id);
  const pokja = await em.execute<{ user_id: string; username: string; name: string; pakta_signed_at: Date | null }[]>(
    "select tp.user_id, u.username, tp.name, tp.pakta_signed_at from tender_pokja tp join app_user u on u.id = tp.user_id where tp.tender_id = ? order by tp.name",
    [t.id],
  );
  const questions = await em.execute<{ id: string; question: string; asked_at: Date; answer: string | null; answered_at: Date | null; answered_by: string | null }[]>(
    "select id, question, asked_at, answer, answered_at, answered_by from tender_question where tender_id = ? order by asked_at",
    [t.id],
  );
  const addenda = await em.execute<{ no: number; description: string; old_deadline: Date | null; new_deadline: Date | null; created_at: Date; created_by: string }[]>(
    "select no::int as no, description, old_deadline, new_deadline, created_at, created_by from tender_addendum where tender_id = ? order by no",
    [t.id],
  );
  const [count] = await em.execute<{ n: number }[]>("select count(*)::int as n from bid where tender_id = ? and status in ('sealed','opened')", [t.id]);
  const bids = await em.execute<OpenedBidRow[]>(
    `select b.id, b.vendor_id, v.name as vendor_name, v.npwp, v.qualification, b.submitted_at, b.price::text as price, b.corrected_price::text as corrected_price,
            b.admin_pass, b.tech_pass, b.tech_score::text as tech_score, b.price_pass, b.qual_pass, b.reason, b.total_score::text as total_score, b.rank::int as rank, b.evaluated_at
       from bid b join vendor v on v.id = b.vendor_id
      where b.tender_id = ? and b.status = 'opened'
      order by b.rank nulls last, b.corrected_price, v.name`,
    [t.id],
  );
  const sanggah = await sanggahOf(em, t.id);
  const [invited] = t.invited_vendor_id ? await em.execute<{ name: string; npwp: string }[]>("select name, npwp from vendor where id = ?", [t.invited_vendor_id]) : [];
  const winner = bids.find((b) => b.id === t.winner_bid_id) ?? null;
  const [contract] = await em.execute<{ id: string; status: string; sppbj_number: string }[]>("select id, status, sppbj_number from contract where tender_id = ? order by created_at desc limit 1", [t.id]);
  return {
    tender: {
      id: t.id,
      code: t.code,
      attempt: t.attempt,
      method: t.method,
      status: t.status,
      hps: t.hps,
      evaluation_method: t.evaluation_method,
      technical_weight: t.technical_weight,
      qualification: t.qualification,
      requirements: t.requirements,
      documents: t.documents,
      bid_deadline: t.bid_deadline,
      opening_at: t.opening_at,
      sanggah_until: t.sanggah_until,
      banding_until: t.banding_until,
      failure_reason: t.failure_reason,
      opened_at: t.opened_at,
      announced_at: t.announced_at,
      version: t.version,
    },
    pkg: {
      id: pkg.id,
      name: pkg.name,
      kode_rup: pkg.kode_rup,
      fiscal_year: pkg.fiscal_year,
      opd_code: pkg.opd_code,
      opd_name: pkg.opd_name,
      kind: pkg.kind,
      method: pkg.method,
      pagu: pkg.pagu,
      volume: pkg.volume,
      description: pkg.description,
      umk: pkg.umk,
      pdn: pkg.pdn,
      status: pkg.status,
    },
    stages,
    pokja,
    questions,
    addenda,
    bidCount: count.n,
    bids,
    sanggah,
    invited: invited ?? null,
    winner,
    contract: contract ?? null,
  };
}
export type TenderView = Awaited<ReturnType<typeof tenderView>>;

/** The contract page and its print: SPPBJ, the contract, its vendor, amendments and payment terms, and the package. */
export async function contractView(em: EntityManager, tenant: string, id: string) {
  if (!isUuid(id)) return null;
  const contract = await contractDetail(em, tenant, id).catch(() => null);
  if (!contract) return null;
  const pkg = await loadPackage(em, tenant, contract.package_id);
  const [tender] = contract.tender_id
    ? await em.execute<{ code: string; method: Method; hps: string; winner_price: string | null }[]>(
        "select t.code, t.method, t.hps::text as hps, b.corrected_price::text as winner_price from tender t left join bid b on b.id = t.winner_bid_id where t.id = ?",
        [contract.tender_id],
      )
    : [];
  return { contract, pkg, tender: tender ?? null };
}
export type ContractView = NonNullable<Awaited<ReturnType<typeof contractView>>>;

/** One vendor of the registry with its sanctions (daftar hitam), newest first, and the end of the one in force today. */
export async function vendorDetail(em: EntityManager, tenant: string, id: string) {
  if (!isUuid(id)) return null;
  const [v] = await em.execute<(VendorRow & { blacklisted_until: string | null })[]>(
    `select v.*, (select to_char(max(s.ends_on), 'YYYY-MM-DD') from vendor_sanction s where s.vendor_id = v.id and current_date between s.starts_on and s.ends_on) as blacklisted_until
       from vendor v where v.tenant_code = ? and v.id = ?`,
    [tenant, id],
  );
  if (!v) return null;
  const sanctions = await em.execute<{ starts_on: string; ends_on: string; reason: string; legal_basis: string; recorded_by: string }[]>(
    `select to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on, reason, legal_basis, recorded_by
       from vendor_sanction where tenant_code = ? and vendor_id = ? order by starts_on desc`,
    [tenant, v.id],
  );
  return { ...v, sanctions };
}
