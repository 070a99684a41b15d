import type { EntityManager } from "@mikro-orm/postgresql";
import { isUuid } from "../kernel/codes";
import { Money } from "../kernel/money";
import { publicComplaintsFor, type PublicComplaint } from "../oversight/queries";
import { evaluateCritical, type CriticalReason } from "./critical";
import { periodsOf, plannedCurve, type PeriodKind } from "./kurva-s";
import type { CriticalStatus } from "./machines";
import type { PaymentKind } from "./payments";
import type { PhotoMilestone } from "./progress";

/**
 * Everything public about one contract (GET /kontrak/<id>, /api/kontrak/<id>): the chain back to the
 * money's origin (package, sub-activities with their RKPD code, DPA lines, the Musrenbang proposals behind
 * them), the selection, the contract with its amendments and payment terms, and its execution — the kurva S
 * (planned against the VERIFIED actual progress per period), the verified reports with their photos and
 * EXIF flags, the kontrak kritis status with the steps taken (step and date only: the minutes, letters and
 * who recorded them stay with the officers), the payments and the handovers (BAST PHO/FHO), and the
 * citizens' reports about it with the government's answers (public fields only, never the reporter).
 *
 * Never here: a bid price before the opening (only the winner's value once announced), reports not yet
 * verified, the PPK's return notes, the officers' internal notes, the vendor's full NPWP.
 *
 * Two statements: the whole document built as JSON in the database by one function (every part through an
 * index that starts with the contract, the package or the report; migration 0020), and the public
 * complaints about the contract.
 */

export interface PublicContractPage {
  id: string;
  number: string | null;
  sppbjNumber: string;
  sppbjDate: string;
  signedOn: string | null;
  type: string;
  status: string;
  originalValue: string;
  value: string;
  startDate: string | null;
  endDate: string | null;
  spmkNumber: string | null;
  spmkDate: string | null;
  performanceBond: string | null;
  terminationReason: string;
  vendor: { name: string; npwp: string };
  amendments: { no: number; reason: string; valueBefore: string; valueAfter: string; endBefore: string | null; endAfter: string | null; scope: string; signedOn: string }[];
  terms: { no: number; description: string; progressPercent: string; amount: string }[];
  package: {
    id: string;
    kodeRup: string | null;
    name: string;
    year: number;
    kind: string;
    method: string;
    pagu: string;
    announcedAt: string;
    opd: { code: string; name: string };
    locations: { code: string; name: string; detail: string }[];
  };
  /** The sub-activities the package's money comes from (RKPD / Renja code and name). */
  subActivities: { code: string; name: string; indicator: string; target: string; unit: string }[];
  /** The DPA lines the package draws on (APBD version in force): kode rekening, what the package takes and the line's amount. */
  lines: { dpaNumber: string | null; accountCode: string | null; description: string | null; amount: string; lineAmount: string | null; fundingSource: string | null; subKegiatan: string | null }[];
  /** The Musrenbang proposals taken up by those sub-activities, with their village. */
  proposals: { id: string; code: string; title: string; status: string; desa: string; kecamatan: string | null }[];
  /** The selection the contract came from (null for e-purchasing or an imported contract without one). */
  selection: { id: string; code: string; attempt: number; method: string; status: string; hps: string; announcedAt: string | null; openedAt: string | null; bidCount: number; winnerValue: string | null } | null;
  /** The reporting period and the schedule's work items (their weights make the kurva S). Null until the PPK sets it. */
  schedule: { periodKind: PeriodKind; items: { no: number; division: string; name: string; weight: string; plannedStart: number; plannedEnd: number }[] } | null;
  /** Planned against verified actual cumulative physical progress, per period (percent, two decimals). */
  series: { no: number; start: string; end: string; planned: string; actual: string | null; deviation: string | null }[];
  /** The latest verified report's figures. */
  physical: { period: number; actual: string; planned: string; deviation: string; asOf: string } | null;
  /** Paid ÷ contract value. */
  financial: { value: string; paid: string; percent: string };
  /** The LKPP 12/2021 verdict on the latest verified report, and the handling of the contract (newest case first). */
  critical: {
    verdict: { critical: boolean; reason: CriticalReason | null; behind: string; projectedFinish: string | null } | null;
    openStatus: CriticalStatus | null;
    cases: { status: CriticalStatus; reason: CriticalReason; openedAt: string; closedAt: string | null; planned: string; physical: string; steps: { no: number; action: string; toStatus: CriticalStatus; onDate: string }[] }[];
  };
  reports: {
    id: string;
    period: number;
    start: string;
    end: string;
    physical: string;
    planned: string;
    deviation: string;
    problems: string;
    actions: string;
    verifiedAt: string | null;
    /** Who verified it: the PPK or the supervising consultant (null: before this was recorded, the PPK). */
    verifiedAs: "ppk" | "supervising_consultant" | null;
    correctsPeriod: number | null;
    correctionReason: string;
    photos: { id: string; milestone: PhotoMilestone; width: number; height: number; lat: string | null; lng: string | null; takenAt: string | null; distanceM: number | null; farFromSite: boolean; beforeStart: boolean }[];
  }[];
  payments: { no: number; kind: PaymentKind; termNo: number | null; amount: string; paidOn: string }[];
  handovers: { kind: "pho" | "fho"; number: string; signedOn: string }[];
  complaints: PublicComplaint[];
}

type Doc = Omit<PublicContractPage, "series" | "physical" | "financial" | "critical" | "complaints" | "vendor"> & {
  vendor: { name: string; npwp: string };
  cases: PublicContractPage["critical"]["cases"];
  fiscalYear: number;
};

/*
 * The document is built as JSON in PostgreSQL by public_contract_doc(tenant, id) (migration 0020, which holds
 * the statement): inside a function its large plan is kept per connection instead of being made again on
 * every request (MikroORM's execute writes the parameters into the SQL text, so a plain statement is never
 * reused).
 */

/**
 * A vendor's NPWP as the public sees it: the first two and last three digits, the rest starred
 * ("01.***.***.*-***.000"; 16 digits: "0123 **** **** 0002" keeps the first and last four).
 */
export function maskNpwp(digits: string): string {
  const d = String(digits ?? "").replace(/\D/g, "");
  if (d.length === 15) return `${d.slice(0, 2)}.***.***.*-***.${d.slice(12)}`;
  if (d.length === 16) return `${d.slice(0, 4)} **** **** ${d.slice(12)}`;
  return d ? "***" : "";
}

/**
 * The public page of a contract (see above). `today` (YYYY-MM-DD, WIB) tells the complaints' SLA that is
 * overdue. Null for an unknown id, a contract of another tenant or of a package not announced.
 */
export async function publicContract(em: EntityManager, tenant: string, contractId: string, today: string): Promise<PublicContractPage | null> {
  if (!isUuid(contractId)) return null;
  const [row] = await em.execute<{ doc: Doc | null }[]>("select public_contract_doc(?, ?::uuid) as doc", [tenant, contractId]);
  const doc = row?.doc;
  if (!doc) return null;
  const { cases, fiscalYear, vendor, ...rest } = doc;

  // The kurva S: the plan from the schedule's weights over the contract's periods; the actual from verified reports.
  let periods: { no: number; start: string; end: string }[] = [];
  if (doc.schedule && doc.startDate && doc.endDate && doc.endDate >= doc.startDate) periods = periodsOf(doc.schedule.periodKind, doc.startDate, doc.endDate);
  const curve = doc.schedule ? plannedCurve(doc.schedule.items.map((i) => ({ weight: i.weight, plannedStart: i.plannedStart, plannedEnd: i.plannedEnd })), periods.length) : [];
  const byPeriod = new Map(doc.reports.map((r) => [r.period, r]));
  const series = periods.map((p, i) => {
    const r = byPeriod.get(p.no);
    return { no: p.no, start: p.start, end: p.end, planned: curve[i].toFixed(2), actual: r?.physical ?? null, deviation: r?.deviation ?? null };
  });
  const latest = doc.reports.length ? doc.reports[doc.reports.length - 1] : null;
  const verdict =
    latest && doc.startDate ? evaluateCritical({ planned: latest.planned, actual: latest.physical, start: doc.startDate, asOf: latest.end, fiscalYear }) : null;
  const open = cases.find((k) => k.closedAt === null) ?? null;

  const paid = Money.sum(doc.payments.map((p) => Money.idr(p.amount)));
  const complaints = await publicComplaintsFor(em, tenant, "contract", doc.id, today);
  return {
    ...rest,
    vendor: { name: vendor.name, npwp: maskNpwp(vendor.npwp) },
    series,
    physical: latest ? { period: latest.period, actual: latest.physical, planned: latest.planned, deviation: latest.deviation, asOf: latest.end } : null,
    financial: { value: doc.value, paid: paid.toString(), percent: paid.percentOf(Money.idr(doc.value)).toFixed(2) },
    critical: {
      verdict: verdict ? { critical: verdict.critical, reason: verdict.reason, behind: verdict.behind.toFixed(2), projectedFinish: verdict.projectedFinish } : null,
      openStatus: open?.status ?? null,
      cases,
    },
    complaints,
  };
}
