import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../identity/actor";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError } from "../kernel/domain-error";
import { hasSanggah } from "./machines";
import type { TenderStatus } from "./machines";
import { BANDING_DAYS, BID_MAX_FILES, loadTender } from "./tenders";
import { formatNpwp, sanctionOn, vendorOfActor } from "./vendors";
import { isIn, KINDS, METHODS, type Kind, type Method } from "./vocabulary";

/**
 * e-Procurement as the public and the contractors see it. Read-only.
 *
 * What is public follows the law and SPSE practice: a package once announced in the RUP, a selection once
 * announced (its HPS, schedule, documents, questions with the Pokja's answers — never who asked — and
 * addenda). Before the opening only the NUMBER of bids is public: never a bidder's name, price or
 * documents. After the opening the bidders and their prices are; the evaluation results (stage by stage,
 * rank, reasons) once the winner is announced (or the selection has ended). Objections (sanggah) with the
 * objecting vendor's name, the SPPBJ, the contract, its amendments and payment terms are public.
 *
 * Every page is ONE SQL statement (the package page builds its whole chain as JSON in the database),
 * so that 17,000 packages and 10,000 contracts stay fast on the indexes of migration 0010.
 */

/** A package's place in the cycle, as the public filters it (`status` of /pengadaan and /api/pengadaan). */
export const PUBLIC_STAGES = ["rup", "tender", "evaluasi", "pemenang", "kontrak", "gagal", "batal"] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

/**
 * The SQL deriving a package's public stage from its status and its latest public selection's status
 * (`ts`): RUP only, taking bids, being evaluated, winner named (SPPBJ included), contracted, failed, or
 * cancelled (the package or its selection).
 */
const STAGE_SQL = (p: string, ts: string) => `case when ${p}.status = 'cancelled' then 'batal'
  when ${ts} is null then 'rup' when ${ts} = 'announced' then 'tender' when ${ts} in ('opened','evaluated') then 'evaluasi'
  when ${ts} in ('winner_announced','sppbj') then 'pemenang' when ${ts} = 'contracted' then 'kontrak'
  when ${ts} = 'failed' then 'gagal' else 'batal' end`;

/**
 * The latest public (announced) selection of every package of the tenant, joined as `lt` (its status). One
 * pass over the tenant's selections, hashed: cheaper than a lookup per package once packages number in
 * the thousands (measured: 27 ms against 70 ms at 17,000 packages).
 */
const LATEST_TENDER = (p: string) =>
  `left join (select distinct on (package_id) package_id, status from tender where tenant_code = ? and announced_at is not null order by package_id, attempt desc) lt on lt.package_id = ${p}.id`;

export interface ProcurementFilter {
  tahun?: number;
  opd?: string;
  metode?: Method;
  jenis?: Kind;
  status?: PublicStage;
  q?: string;
  page: number;
  perPage: number;
}

/** Normalises the public filters: unknown values are dropped rather than failing the page. */
export function cleanProcurementFilter(raw: Record<string, string | null | undefined>): ProcurementFilter {
  const page = Number(raw.page ?? 1);
  const per = Number(raw.per_page ?? raw.perPage ?? 20);
  const f: ProcurementFilter = {
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
    perPage: Number.isInteger(per) && per >= 1 ? Math.min(per, 100) : 20,
  };
  if (raw.tahun && /^\d{4}$/.test(raw.tahun)) f.tahun = Number(raw.tahun);
  if (raw.opd && /^[\d.]{3,40}$/.test(raw.opd)) f.opd = raw.opd;
  if (isIn(METHODS, raw.metode)) f.metode = raw.metode;
  if (isIn(KINDS, raw.jenis)) f.jenis = raw.jenis;
  if (isIn(PUBLIC_STAGES, raw.status)) f.status = raw.status;
  const q = raw.q?.trim().slice(0, 100);
  if (q) f.q = q;
  return f;
}

/** Words of a search as a prefix tsquery ("jalan dand" → "jalan:* & dand:*"), or null when none. */
function prefixQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

export interface PackageListItem {
  id: string;
  kodeRup: string | null;
  name: string;
  year: number;
  opd: { code: string; name: string };
  type: string;
  kind: Kind;
  method: Method;
  status: string;
  stage: PublicStage;
  pagu: string;
  announcedAt: string | null;
  tender: { id: string; code: string; attempt: number; status: TenderStatus; hps: string; bidDeadline: string | null } | null;
  winner: { name: string; value: string } | null;
  contract: { id: string; number: string | null; status: string; value: string; vendor: string } | null;
}

interface ListRow {
  total: number;
  years: number[] | null;
  id: string | null;
  kode_rup: string | null;
  name: string;
  fiscal_year: number;
  opd_code: string;
  opd_name: string;
  type: string;
  kind: Kind;
  method: Method;
  status: string;
  pagu: string;
  announced_at: Date | null;
  tender_id: string | null;
  tender_code: string;
  tender_attempt: number;
  tender_status: TenderStatus | null;
  hps: string;
  bid_deadline: Date | null;
  winner_name: string | null;
  winner_value: string | null;
  contract_id: string | null;
  contract_number: string | null;
  contract_status: string;
  contract_value: string;
  contract_vendor: string;
}

/**
 * GET /pengadaan and /api/pengadaan: announced packages (RUP) with their latest public selection, by
 * year, OPD, method, kind, public stage and text (words of the name, by prefix; a number finds a kode
 * RUP or a selection code), newest year first, paged. One statement: the filter runs on the package
 * columns (proc_package_list_idx, proc_package_text_idx), the latest selection's status only when the
 * stage is filtered on, and the selection, winner and contract are looked up for the page's rows only.
 * `years` lists the years that have packages (drafts' too), for the filter.
 */
export async function searchPackages(em: EntityManager, tenant: string, f: ProcurementFilter): Promise<{ total: number; page: number; perPage: number; years: number[]; items: PackageListItem[] }> {
  const where = ["p.tenant_code = ?", "p.announced_at is not null"];
  const params: unknown[] = [tenant];
  const add = (sql: string, ...v: unknown[]) => {
    where.push(sql);
    params.push(...v);
  };
  if (f.tahun) add("p.fiscal_year = ?", f.tahun);
  if (f.opd) add("p.opd_id = (select id from opd where tenant_code = ? and code = ?)", tenant, f.opd);
  if (f.metode) add("p.method = ?", f.metode);
  if (f.jenis) add("p.kind = ?", f.jenis);
  if (f.status) add(`${STAGE_SQL("p", "lt.status")} = ?`, f.status);
  if (f.q) {
    const words = prefixQuery(f.q);
    const digits = /^\d{1,12}$/.test(f.q) ? f.q : null;
    if (digits)
      // Each alternative on its own index (kode RUP, selection code, name), united: an OR would scan.
      add(
        `p.id in (select id from proc_package where tenant_code = ? and kode_rup = ?::bigint
                  union all select package_id from tender where tenant_code = ? and code = ?
                  union all select id from proc_package where tenant_code = ? and to_tsvector('simple', name) @@ to_tsquery('simple', ?))`,
        tenant, digits, tenant, digits, tenant, words,
      );
    else if (words) add("to_tsvector('simple', p.name) @@ to_tsquery('simple', ?)", words);
    else where.push("false");
  }
  const rows = await em.execute<ListRow[]>(
    `with recursive base as (select p.id, p.fiscal_year, p.announced_at from proc_package p ${f.status ? LATEST_TENDER("p") : ""} where ${where.join(" and ")}),
          total as (select count(*)::int as total from base),
          page as (select * from base order by fiscal_year desc, announced_at desc, id limit ? offset ?),
          -- The years with packages, by skipping through proc_package_list_idx (one probe per year).
          ys as (select max(fiscal_year) as y from proc_package where tenant_code = ?
                 union all select (select max(fiscal_year) from proc_package where tenant_code = ? and fiscal_year < ys.y) from ys where ys.y is not null)
     select total.total, (select array_agg(y order by y desc) from ys where y is not null) as years, x.*
       from total left join lateral (
         select p.id, p.kode_rup::text as kode_rup, p.name, p.fiscal_year, o.code as opd_code, o.name as opd_name, p.type, p.kind, p.method, p.status,
                p.pagu::text as pagu, p.announced_at, t.id as tender_id, t.code as tender_code, t.attempt as tender_attempt, t.status as tender_status,
                t.hps::text as hps, t.bid_deadline,
                case when t.status in ('winner_announced','sppbj','contracted') then wv.name end as winner_name,
                case when t.status in ('winner_announced','sppbj','contracted') then wb.corrected_price::text end as winner_value,
                c.id as contract_id, c.number as contract_number, c.status as contract_status, c.value::text as contract_value, cv.name as contract_vendor
           from page join proc_package p on p.id = page.id join opd o on o.id = p.opd_id
           left join lateral (select * from tender t where t.package_id = p.id and t.announced_at is not null order by t.attempt desc limit 1) t on true
           left join bid wb on wb.id = t.winner_bid_id left join vendor wv on wv.id = wb.vendor_id
           left join lateral (select * from contract c where c.package_id = p.id order by c.created_at desc limit 1) c on true
           left join vendor cv on cv.id = c.vendor_id
       ) x on true
      order by x.fiscal_year desc, x.announced_at desc, x.id`,
    [...(f.status ? [tenant] : []), ...params, f.perPage, (f.page - 1) * f.perPage, tenant, tenant] as never[],
  );
  const total = rows[0]?.total ?? 0;
  const years = rows[0]?.years ?? [];
  const items = rows
    .filter((r) => r.id !== null)
    .map(
      (r): PackageListItem => ({
        id: r.id!,
        kodeRup: r.kode_rup,
        name: r.name,
        year: r.fiscal_year,
        opd: { code: r.opd_code, name: r.opd_name },
        type: r.type,
        kind: r.kind,
        method: r.method,
        status: r.status,
        stage: stageOf(r.status, r.tender_status),
        pagu: r.pagu,
        announcedAt: r.announced_at ? new Date(r.announced_at).toISOString() : null,
        tender: r.tender_id
          ? { id: r.tender_id, code: r.tender_code, attempt: r.tender_attempt, status: r.tender_status!, hps: r.hps, bidDeadline: r.bid_deadline ? new Date(r.bid_deadline).toISOString() : null }
          : null,
        winner: r.winner_name && r.winner_value ? { name: r.winner_name, value: r.winner_value } : null,
        contract: r.contract_id ? { id: r.contract_id, number: r.contract_number, status: r.contract_status, value: r.contract_value, vendor: r.contract_vendor } : null,
      }),
    );
  return { total, page: f.page, perPage: f.perPage, years, items };
}

/** The same derivation as STAGE_SQL, for rows already read. */
export function stageOf(packageStatus: string, tenderStatus: TenderStatus | null): PublicStage {
  if (packageStatus === "cancelled") return "batal";
  switch (tenderStatus) {
    case null:
    case "draft":
      return "rup";
    case "announced":
      return "tender";
    case "opened":
    case "evaluated":
      return "evaluasi";
    case "winner_announced":
    case "sppbj":
      return "pemenang";
    case "contracted":
      return "kontrak";
    case "failed":
      return "gagal";
    default:
      return "batal";
  }
}

/** One bid as the public sees it after the opening (results only once they are public). */
export interface PublicBid {
  vendor: string;
  price: string;
  correctedPrice: string | null;
  submittedAt: string;
  /** Evaluation results: null until the winner is announced (or the selection ended). */
  result: { admin: boolean | null; tech: boolean | null; techScore: string | null; price: boolean | null; qual: boolean | null; totalScore: string | null; rank: number | null; reason: string } | null;
  winner: boolean;
}

export interface PublicTender {
  id: string;
  code: string;
  attempt: number;
  method: Method;
  status: TenderStatus;
  hps: string;
  evaluationMethod: string;
  technicalWeight: string | null;
  qualification: string;
  requirements: string;
  documents: { title: string; ref: string }[];
  invited: string | null;
  bidDeadline: string | null;
  openingAt: string | null;
  openedAt: string | null;
  announcedAt: string | null;
  sanggahUntil: string | null;
  bandingUntil: string | null;
  failureReason: string;
  stages: { stage: string; startsAt: string; endsAt: string }[];
  addenda: { no: number; description: string; oldDeadline: string | null; newDeadline: string | null; createdAt: string }[];
  questions: { id: string; question: string; askedAt: string; answer: string | null; answeredAt: string | null }[];
  /** Live bids (sealed or opened): the one figure that is public before the opening. */
  bidCount: number;
  /** Null before the opening. */
  bids: PublicBid[] | null;
  winner: { vendor: string; value: string } | null;
  sanggah: { id: string; kind: "sanggah" | "banding"; vendor: string; text: string; submittedAt: string; answer: string | null; upheld: boolean | null; answeredAt: string | null }[];
}

export interface PublicContract {
  id: string;
  tenderCode: string | null;
  vendor: string;
  sppbjNumber: string;
  sppbjDate: string;
  number: string | null;
  signedOn: string | null;
  type: string;
  originalValue: string;
  value: string;
  startDate: string | null;
  endDate: string | null;
  performanceBond: string | null;
  spmkNumber: string | null;
  spmkDate: string | null;
  status: string;
  terminationReason: string;
  amendments: { no: number; reason: string; valueBefore: string; valueAfter: string; endBefore: string | null; endAfter: string | null; scope: string; signedOn: string }[];
  terms: { no: number; description: string; progressPercent: string; amount: string }[];
}

export interface PublicPackage {
  id: string;
  kodeRup: string | null;
  name: string;
  description: string;
  volume: string;
  year: number;
  type: string;
  kind: Kind;
  method: Method;
  swakelolaType: number | null;
  pagu: string;
  pdn: boolean;
  umk: boolean;
  plannedOn: string;
  selectionStart: string | null;
  selectionEnd: string | null;
  executionStart: string | null;
  executionEnd: string | null;
  ppkName: string;
  status: string;
  stage: PublicStage;
  announcedAt: string;
  cancelReason: string;
  opd: { code: string; name: string };
  /** The DPA lines the package draws on (from the APBD version in force) and what it takes from each. */
  lines: { amount: string; accountCode: string | null; description: string | null; fundingSource: string | null; lineAmount: string | null; subKegiatan: string | null; subName: string | null }[];
  subActivities: { code: string; name: string; indicator: string; target: string; unit: string }[];
  /** The Musrenbang proposals taken up by those sub-activities. */
  proposals: { id: string; code: string; title: string; status: string; desa: string }[];
  locations: { code: string; name: string; detail: string }[];
  tenders: PublicTender[];
  contracts: PublicContract[];
}

/**
 * The whole public chain of one announced package (GET /pengadaan/<id>, /api/pengadaan/<id>): OPD,
 * sub-activities and DPA lines, the Musrenbang proposals behind them, RUP data, every public selection
 * with its stages, documents, questions and answers, addenda, bids as the law allows (count before the
 * opening; bidders and prices after it; results once the winner is announced), winner and objections,
 * then SPPBJ, contract, amendments and payment terms. One statement. Null when unknown or not public.
 */
export async function publicPackage(em: EntityManager, tenant: string, id: string): Promise<PublicPackage | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute<{ doc: Omit<PublicPackage, "stage"> | null }[]>(
    // The statement lives in the function public_package_doc (migration 0012), so its plan is kept per connection.
    "select public_package_doc(?, ?::uuid) as doc",
    [tenant, id],
  );
  const doc = row?.doc;
  if (!doc) return null;
  const latest = doc.tenders.length ? doc.tenders[doc.tenders.length - 1] : null;
  return { ...doc, stage: stageOf(doc.status, latest?.status ?? null) };
}

// ---------------------------------------------------------------------------------------------------
// The contractor's own view: their vendor, the selections open to them, their bids and contracts. A
// contractor sees another vendor's bid only as the public does (after the opening), and never another
// vendor's contract workspace.

export interface VendorHome {
  vendor: { id: string; name: string; npwp: string; nib: string; address: string; qualification: string; kbli: string[] };
  /** The sanction in force today, if any, and every sanction on record. */
  blacklisted: { until: string; reason: string } | null;
  sanctions: { startsOn: string; endsOn: string; reason: string; legalBasis: string }[];
  open: { id: string; code: string; method: Method; hps: string; bidDeadline: string; packageId: string; packageName: string; kind: Kind; umk: boolean; opd: string; invited: boolean; myBid: boolean }[];
  bids: {
    id: string;
    status: "sealed" | "withdrawn" | "replaced" | "opened";
    submittedAt: string;
    sealedSha256: string;
    tender: { id: string; code: string; status: TenderStatus; packageName: string };
    /** After the opening. */
    price: string | null;
    /** Once the results are public. */
    result: { pass: boolean; rank: number | null; reason: string } | null;
    won: boolean;
  }[];
  contracts: { id: string; number: string | null; sppbjNumber: string; status: string; value: string; packageName: string; opd: string; endDate: string | null }[];
}

/** The /vendor workspace. Refuses (403) an actor without a registered vendor. */
export async function vendorHome(em: EntityManager, actor: Actor, clock: Clock): Promise<VendorHome> {
  const v = await vendorOfActor(em, actor);
  const now = clock.now();
  const [row] = await em.execute<{ doc: Omit<VendorHome, "vendor" | "blacklisted"> }[]>(
    `select json_build_object(
       'sanctions', (select coalesce(json_agg(json_build_object('startsOn', to_char(s.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(s.ends_on, 'YYYY-MM-DD'),
                      'reason', s.reason, 'legalBasis', s.legal_basis) order by s.starts_on desc), '[]'::json) from vendor_sanction s where s.vendor_id = ?),
       'open', (select coalesce(json_agg(json_build_object('id', t.id, 'code', t.code, 'method', t.method, 'hps', t.hps::text, 'bidDeadline', t.bid_deadline,
                   'packageId', p.id, 'packageName', p.name, 'kind', p.kind, 'umk', p.umk, 'opd', o.name, 'invited', t.invited_vendor_id is not null,
                   'myBid', exists (select 1 from bid b where b.tender_id = t.id and b.vendor_id = ? and b.status = 'sealed')) order by t.bid_deadline), '[]'::json)
                 from (select * from tender t where t.tenant_code = ? and t.status = 'announced' and t.bid_deadline > ? and (t.invited_vendor_id is null or t.invited_vendor_id = ?)
                        order by t.bid_deadline limit 100) t
                 join proc_package p on p.id = t.package_id join opd o on o.id = p.opd_id),
       'bids', (select coalesce(json_agg(json_build_object('id', b.id, 'status', b.status, 'submittedAt', b.submitted_at, 'sealedSha256', b.sealed_sha256,
                   'tender', json_build_object('id', t.id, 'code', t.code, 'status', t.status, 'packageName', p.name),
                   'price', case when b.status = 'opened' then b.corrected_price::text end,
                   'result', case when b.status = 'opened' and b.evaluated_at is not null and t.status in ('winner_announced','sppbj','contracted','failed','cancelled')
                                  then json_build_object('pass', coalesce(b.admin_pass and b.tech_pass and b.price_pass and b.qual_pass, false), 'rank', b.rank, 'reason', b.reason) end,
                   'won', t.status in ('winner_announced','sppbj','contracted') and t.winner_bid_id = b.id) order by b.submitted_at desc), '[]'::json)
                 from (select * from bid b where b.vendor_id = ? order by b.submitted_at desc limit 200) b
                 join tender t on t.id = b.tender_id join proc_package p on p.id = t.package_id),
       'contracts', (select coalesce(json_agg(json_build_object('id', c.id, 'number', c.number, 'sppbjNumber', c.sppbj_number, 'status', c.status, 'value', c.value::text,
                   'packageName', p.name, 'opd', o.name, 'endDate', to_char(c.end_date, 'YYYY-MM-DD')) order by c.created_at desc), '[]'::json)
                 from contract c join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id where c.vendor_id = ?)
     ) as doc`,
    [v.id, v.id, actor.tenant, now, v.id, v.id, v.id],
  );
  const s = await sanctionOn(em, v.id, now);
  return {
    vendor: { id: v.id, name: v.name, npwp: formatNpwp(v.npwp), nib: v.nib, address: v.address, qualification: v.qualification, kbli: v.kbli },
    blacklisted: s ? { until: s.ends_on, reason: s.reason } : null,
    ...row.doc,
  };
}

export interface VendorTenderView {
  vendor: { id: string; name: string; qualification: string };
  package: PublicPackage;
  tender: PublicTender;
  /** This vendor's bids on this selection, newest first (the price only after the opening). */
  myBids: { id: string; status: string; submittedAt: string; sealedSha256: string; price: string | null }[];
  myQuestionIds: string[];
  mySanggahIds: string[];
  blacklisted: { until: string; reason: string } | null;
  can: { ask: boolean; bid: boolean; withdraw: boolean; sanggah: boolean; banding: boolean };
  maxFiles: number;
}

/**
 * /vendor/tender/<id>: the selection as the public sees it, plus this vendor's own bids, and what they may
 * do now (the use cases decide again: these only choose the forms shown). A pengadaan/penunjukan langsung
 * is visible only to the vendor it invites (403 otherwise); a draft selection does not exist (404).
 */
export async function vendorTenderView(em: EntityManager, actor: Actor, clock: Clock, tenderId: string): Promise<VendorTenderView> {
  const v = await vendorOfActor(em, actor);
  const t = await loadTender(em, actor.tenant, tenderId);
  if (!t.announced_at) throw new DomainError("procure.tender.notFound", {}, "notFound");
  if (t.invited_vendor_id && t.invited_vendor_id !== v.id) throw new DomainError("procure.tender.notInvited", {}, "forbidden");
  const now = clock.now();
  const [pkg, mine, sanction] = await Promise.all([
    publicPackage(em, actor.tenant, t.package_id),
    em.execute<{ bids: VendorTenderView["myBids"]; questions: string[] | null; sanggah: { id: string; kind: string; answered_at: string | null }[] }[]>(
      `select (select coalesce(json_agg(json_build_object('id', b.id, 'status', b.status, 'submittedAt', b.submitted_at, 'sealedSha256', b.sealed_sha256,
                  'price', case when b.status = 'opened' then b.price::text end) order by b.submitted_at desc), '[]'::json)
                from bid b where b.tender_id = ? and b.vendor_id = ?) as bids,
              (select array_agg(q.id::text) from tender_question q where q.tender_id = ? and q.vendor_id = ?) as questions,
              (select coalesce(json_agg(json_build_object('id', s.id, 'kind', s.kind, 'answered_at', s.answered_at)), '[]'::json)
                from sanggah s where s.tender_id = ? and s.vendor_id = ?) as sanggah`,
      [t.id, v.id, t.id, v.id, t.id, v.id],
    ),
    sanctionOn(em, v.id, now),
  ]);
  const tender = pkg?.tenders.find((x) => x.id === t.id);
  if (!pkg || !tender) throw new DomainError("procure.tender.notFound", {}, "notFound");
  const { bids, questions, sanggah } = mine[0];
  const beforeDeadline = t.status === "announced" && !!t.bid_deadline && now.getTime() < t.bid_deadline.getTime();
  const opened = bids.some((b) => b.status === "opened");
  const lastAnswer = sanggah
    .filter((s) => s.kind === "sanggah" && s.answered_at)
    .map((s) => new Date(s.answered_at!).getTime())
    .reduce((m, x) => Math.max(m, x), 0);
  return {
    vendor: { id: v.id, name: v.name, qualification: v.qualification },
    package: pkg,
    tender,
    myBids: bids,
    myQuestionIds: questions ?? [],
    mySanggahIds: sanggah.map((s) => s.id),
    blacklisted: sanction ? { until: sanction.ends_on, reason: sanction.reason } : null,
    can: {
      ask: beforeDeadline && t.method !== "tender_cepat",
      bid: beforeDeadline && !sanction && !(pkg.umk && v.qualification !== "kecil"),
      withdraw: beforeDeadline && bids.some((b) => b.status === "sealed"),
      sanggah: t.status === "winner_announced" && hasSanggah(t.method) && opened && !!t.sanggah_until && now <= t.sanggah_until,
      banding: t.status === "winner_announced" && hasSanggah(t.method) && opened && pkg.kind === "konstruksi" && lastAnswer > 0 && now.getTime() <= lastAnswer + BANDING_DAYS * 86_400_000,
    },
    maxFiles: BID_MAX_FILES,
  };
}

export interface VendorContractView {
  contract: PublicContract;
  package: { id: string; kodeRup: string | null; name: string; year: number; opd: string; kind: Kind; method: Method };
}

/**
 * /vendor/kontrak/<id>: the vendor's own contract with its amendments and payment terms. Another vendor's
 * contract is refused (403) — its public face is on /pengadaan/<package>.
 */
export async function vendorContract(em: EntityManager, actor: Actor, contractId: string): Promise<VendorContractView> {
  const v = await vendorOfActor(em, actor);
  if (!isUuid(contractId)) throw new DomainError("procure.contract.notFound", {}, "notFound");
  const [c] = await em.execute<{ package_id: string; vendor_id: string }[]>("select package_id, vendor_id from contract where tenant_code = ? and id = ?", [actor.tenant, contractId]);
  if (!c) throw new DomainError("procure.contract.notFound", {}, "notFound");
  if (c.vendor_id !== v.id) throw new DomainError("pengadaan.vendor.notYourContract", {}, "forbidden");
  const [p] = await em.execute<{ id: string; kode_rup: string | null; name: string; fiscal_year: number; opd: string; kind: Kind; method: Method }[]>(
    "select p.id, p.kode_rup::text as kode_rup, p.name, p.fiscal_year, o.name as opd, p.kind, p.method from proc_package p join opd o on o.id = p.opd_id where p.id = ?",
    [c.package_id],
  );
  // The contract's own rows, through the same projection as the public page (a package may not be public
  // yet only in theory: a contract needs an announced package).
  const doc = await publicPackage(em, actor.tenant, c.package_id);
  const contract = doc?.contracts.find((x) => x.id === contractId);
  if (!contract) throw new DomainError("procure.contract.notFound", {}, "notFound");
  return { contract, package: { id: p.id, kodeRup: p.kode_rup, name: p.name, year: p.fiscal_year, opd: p.opd, kind: p.kind, method: p.method } };
}
