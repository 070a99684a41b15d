/**
 * Scale data for e-Monev and pengaduan (issue #9): the execution of a large kabupaten's procurement year
 * (tests/bench/generate-procurement.ts) and a year of citizens' reports, in bulk SQL.
 *
 *   schedule    every signed, completed or terminated contract of the year (about 9,400) gets its monev_plan
 *               (weekly reporting periods for construction, as the PPK's default, and for the other contracts
 *               whose PPK chose weekly — `weeklyShare`, default 90 % — monthly for the rest; a site point in
 *               Bojonegoro for 85 % of them) and 3–6 work items whose weights are their values' shares
 *               (weightsByValue), planned over overlapping stretches of the contract's periods.
 *   reports     one cumulative progress report per period from the first: `reports` (default 20) for running
 *               contracts (a tenth of them behind with their reports), every period for completed ones (the
 *               procurement generator's contracts run 140–260 days: 20–38 weekly periods, 5–9 monthly ones),
 *               60 % of them for terminated ones; about 200,000 in all. Per work item, the planned share of the item times the contract's pace,
 *               never going down; the contract's figure is weightedProgress of its items, the plan is
 *               plannedCurve at the period (the kurva S from periodsOf), deviation = actual − planned, as
 *               submitReport stores them. Verified (the latest of some running contracts submitted or in
 *               draft). About one running contract in eight and every terminated one lags behind its plan.
 *   kritis      every verified report judged in order with evaluateCritical, as verifyReport does: a case
 *               opened on the first critical report, resolved (with its step) on the first one that is not;
 *               a case open for several reports goes through SCM I–III; a terminated contract's case ends
 *               in the warning letters and termination.
 *   payments    the contract's payment terms paid (termin) once a verified report reaches their progress,
 *               after an advance (uang muka, 20 %, repaid pro rata from the termins) for some tendered
 *               contracts; a PHO handover for completed contracts. No SP2D rows (contract_payment_charge):
 *               the dashboard reads the payments, and budget absorption is e-Budgeting's data.
 *   photos      photo rows with their metadata (milestones 0, 50 and 100 and every fourth report: position near
 *               the site, a few far from it) and TINY bytes (a few bytes, not an image): the pages measured read
 *               the metadata only, never the bytes.
 *   complaints  `complaints` (default 20,000) citizens' reports over the year: about contracts (45 %), proposals
 *               (30 %) and map points (25 %), every category and status (held and discarded ones too), routed
 *               to the OPD resolveTarget would choose (points to a random OPD once forwarded), with the SLA due
 *               day counted in working days over the holiday table (addWorkingDays), the reporter's data for
 *               named and confidential ones, and their public history (submit and the current step).
 *
 * OCDS: verifyReport and recordPayment emit ProgressVerified and PaymentRecorded (→ OCDS implementation
 * releases, each carrying the contract's whole implementation so far). This generator writes those events
 * for the `implementation` contracts only (default 500: the sampled ones whose pages are measured; about
 * 11,000 events), as procurement_event rows that tests/bench/generate-ocds.ts then publishes: one release per
 * report for every contract would make 200,000 releases of up to 20 milestones each (about 2 GB of JSON), far
 * beyond the year of issue #8 (60,000 releases). The other contracts' reports and payments have no events.
 *
 * No audit events (nobody did this). Deterministic (a seeded PRNG, also for the ids). Refuses a year whose
 * contracts already have a schedule.
 *
 * Standalone: `tsx tests/bench/generate-monev.ts --year 2030 [--seed N]` against DATABASE_URL or the
 * embedded database, for a year generate-procurement has filled.
 */
import { createHash } from "node:crypto";
import { insertRows } from "./bulk";
import { createOrm } from "../../domain/persistence";
import { D, type Dec, Money } from "../../domain/kernel/money";
import { evaluateCritical, type CriticalReason } from "../../domain/monev/critical";
import { addDays, periodsOf, plannedCurve, weightedProgress, weightsByValue, type PeriodKind } from "../../domain/monev/kurva-s";
import { addWorkingDays } from "../../domain/oversight/working-days";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { prng } from "../../imports/shared/prng";
import { runStandalone } from "./standalone";

export interface GenerateMonevOptions {
  year: number;
  /** Progress reports per contract at most (default 20; never more than the contract's periods). */
  reports?: number;
  /** Citizens' reports (default 20,000). */
  complaints?: number;
  /** Of the contracts that are not construction, the share whose PPK chose weekly reporting (default 0.9). */
  weeklyShare?: number;
  /** Contracts whose verified reports and payments also get their procurement events (ProgressVerified, PaymentRecorded), for OCDS implementation releases (default 500: the sampled ones). */
  implementation?: number;
  seed?: number;
}

export interface GenerateMonevResult {
  year: number;
  contracts: number;
  byPeriodKind: Record<PeriodKind, number>;
  workItems: number;
  reports: { total: number; byStatus: Record<string, number>; items: number; perContract: { min: number; median: number; max: number }; withTwenty: number };
  photos: number;
  critical: { opened: number; open: number; resolved: number; terminated: number; steps: number; byReason: Record<string, number> };
  payments: { total: number; advances: number; termins: number; handovers: number };
  complaints: { total: number; byStatus: Record<string, number>; byTarget: Record<string, number>; reporters: number; events: number };
  /** Processes of the year's packages with OCDS releases when this generator ran (generate-ocds may run before it, or after). */
  ocdsProcesses: number;
  /** Procurement events written for the sampled contracts' implementation (see `implementation`): OCDS releases once generate-ocds publishes them. */
  implementationEvents: { contracts: number; progressVerified: number; paymentRecorded: number };
  /** Up to 500 contracts with the most verified reports (20), in a fixed shuffled order: the heaviest public pages. */
  sampleContracts: string[];
  insertMs: Record<string, number>;
  ms: { read: number; build: number; insert: number; analyze: number; total: number };
}

const T = DEMO_TENANT.code;

interface ContractRow {
  id: string;
  package_id: string;
  status: "signed" | "completed" | "terminated";
  value: string;
  start_date: string;
  end_date: string;
  kind: string;
  opd_id: string;
  ppk_name: string;
  tendered: boolean;
  region: string | null;
  terms: { no: number; progress: string; amount: string }[] | null;
}

const DIVISIONS: Record<string, string[][]> = {
  konstruksi: [
    ["Umum", "Mobilisasi dan demobilisasi"],
    ["Umum", "Keselamatan konstruksi (SMKK)"],
    ["Pekerjaan tanah", "Galian dan timbunan"],
    ["Perkerasan", "Lapis pondasi agregat kelas A"],
    ["Perkerasan", "Rabat beton K-250"],
    ["Struktur", "Pasangan batu kali"],
    ["Drainase", "Saluran U-ditch 60×60"],
    ["Struktur", "Beton bertulang fc' 25 MPa"],
    ["Finishing", "Marka dan rambu"],
  ],
  other: [
    ["Persiapan", "Rapat persiapan dan rencana kerja"],
    ["Pelaksanaan", "Pengadaan dan pengiriman barang tahap I"],
    ["Pelaksanaan", "Pengadaan dan pengiriman barang tahap II"],
    ["Pelaksanaan", "Pemasangan dan uji fungsi"],
    ["Pelaksanaan", "Pelatihan pengguna"],
    ["Pelaporan", "Laporan akhir dan serah terima"],
  ],
};
const PROBLEMS = ["Hujan deras tiga hari menghentikan pengecoran", "Material agregat terlambat datang dari quarry", "Akses lokasi tergenang", "Tenaga kerja terbatas menjelang panen", "Menunggu hasil uji laboratorium"];
const ACTIONS = ["Menambah tenaga kerja dan jam kerja lembur", "Mendatangkan material dari pemasok kedua", "Menyusun jadwal percepatan (crash program)", "Koordinasi dengan desa untuk akses lokasi"];
const COMPLAINT_TEXTS = [
  "Pekerjaan jalan di depan balai desa berhenti sudah dua minggu dan material menumpuk di bahu jalan.",
  "Rabat beton yang baru selesai sudah retak-retak di beberapa titik, mohon dicek kualitasnya.",
  "Saluran drainase tidak tersambung ke sungai sehingga air menggenang saat hujan.",
  "Papan nama proyek tidak dipasang, warga tidak tahu nilai dan pelaksana pekerjaannya.",
  "Usulan perbaikan jembatan dari musrenbang desa kami belum ada kabarnya sampai sekarang.",
  "Lampu penerangan jalan yang dipasang bulan lalu sudah mati semua di ruas ini.",
  "Pekerja tidak memakai alat pelindung diri dan lalu lintas tidak diatur saat pengecoran.",
  "Jalan berlubang besar di dekat sekolah sangat membahayakan anak-anak yang bersepeda.",
  "Truk material proyek merusak jalan desa dan tidak ada perbaikan dari pelaksana.",
  "Bantuan alat pertanian yang dijanjikan belum diterima kelompok tani kami.",
];
const FIRST = ["Agus", "Budi", "Dwi", "Eko", "Hari", "Joko", "Rina", "Siti", "Sri", "Tri", "Wahyu", "Yuli", "Heru", "Nanik", "Endah", "Sugeng"];
const LAST = ["Santoso", "Prasetyo", "Wibowo", "Setiawan", "Rahayu", "Lestari", "Nugroho", "Hidayat", "Susanto", "Wulandari"];

const toSen = (canonical: string) => BigInt(canonical.replace(".", ""));
const rupiah = (sen: bigint) => `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;
/** A WIB moment on a YYYY-MM-DD day, at hh:mm, as an ISO timestamp. */
const wibAt = (day: string, hh: number, mm = 0) => new Date(`${day}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+07:00`).toISOString();

export async function generateMonev(url: string, opts: GenerateMonevOptions): Promise<GenerateMonevResult> {
  const t0 = performance.now();
  const year = opts.year;
  const maxReports = opts.reports ?? 20;
  const weeklyShare = opts.weeklyShare ?? 0.9;
  const implementationTarget = opts.implementation ?? 500;
  const complaintTarget = opts.complaints ?? 20_000;
  const rnd = prng(opts.seed ?? year * 31 + 9);
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
  const between = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const uuid = () => {
    const h = Array.from({ length: 4 }, () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[Math.floor(rnd() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const shuffle = <X>(xs: X[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const weighted = <K extends string>(w: Record<K, number>): K => {
    let x = rnd() * Object.values<number>(w).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries<number>(w)) if ((x -= v) < 0) return k as K;
    return Object.keys(w)[0] as K;
  };
  const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    const db = orm.em.fork();
    const tr = performance.now();
    const [{ n: scheduled }] = await db.execute<{ n: number }[]>(
      "select count(*)::int as n from monev_plan m join contract c on c.id = m.contract_id join proc_package p on p.id = c.package_id where p.tenant_code = ? and p.fiscal_year = ?",
      [T, year],
    );
    if (scheduled > 0) throw new Error(`fiscal year ${year} already has ${scheduled} contract schedules in ${T}`);
    const contracts = await db.execute<ContractRow[]>(
      `select c.id, c.package_id::text as package_id, c.status, c.value::text as value, to_char(c.start_date, 'YYYY-MM-DD') as start_date, to_char(c.end_date, 'YYYY-MM-DD') as end_date,
              p.kind, p.opd_id, p.ppk_name, c.tender_id is not null as tendered,
              (select l.region_code from proc_package_location l where l.package_id = p.id order by l.region_code limit 1) as region,
              (select json_agg(json_build_object('no', m.no, 'progress', m.progress_percent::text, 'amount', m.amount::text) order by m.no) from contract_term m where m.contract_id = c.id) as terms
         from contract c join proc_package p on p.id = c.package_id
        where c.tenant_code = ? and p.fiscal_year = ? and c.status in ('signed','completed','terminated') and c.start_date is not null and c.end_date is not null
        order by c.id`,
      [T, year],
    );
    if (!contracts.length) throw new Error(`fiscal year ${year} has no signed contracts in ${T}: run generate-procurement first`);
    const proposals = await db.execute<{ id: string; status: string; target_opd_id: string; desa_code: string; lat: string | null; lng: string | null }[]>(
      "select id, status, target_opd_id, desa_code, lat::text as lat, lng::text as lng from proposal where tenant_code = ? and fiscal_year = ? and status not in ('withdrawn','merged') order by id",
      [T, year],
    );
    const opds = (await db.execute<{ id: string }[]>("select id from opd where tenant_code = ? order by code", [T])).map((o) => o.id);
    const [bappeda] = await db.execute<{ id: string }[]>("select id from opd where tenant_code = ? and (lower(short_name) like 'bappeda%' or code like '5.01.%') order by code limit 1", [T]);
    const categories = await db.execute<{ code: string; sla_days: number }[]>("select code, sla_days from complaint_category where tenant_code in ('*', ?) order by position, code", [T]);
    const holidays = new Set(
      (await db.execute<{ day: string }[]>("select to_char(day, 'YYYY-MM-DD') as day from holiday where tenant_code in ('*', ?) and day between ? and ?", [T, `${year}-01-01`, `${year + 1}-06-30`])).map((h) => h.day),
    );
    const [{ n: ocdsProcesses }] = await db.execute<{ n: number }[]>(
      "select count(distinct r.ocid)::int as n from ocds_release r join proc_package p on p.id = r.package_id where p.tenant_code = ? and p.fiscal_year = ?",
      [T, year],
    );
    const read = performance.now() - tr;

    // ---- build ----
    const tb = performance.now();
    const plans: Record<string, unknown>[] = [];
    const items: Record<string, unknown>[] = [];
    const reports: Record<string, unknown>[] = [];
    const reportItems: Record<string, unknown>[] = [];
    const photos: Record<string, unknown>[] = [];
    const cases: Record<string, unknown>[] = [];
    const steps: Record<string, unknown>[] = [];
    /** A contract_payment row; its amount a rupiah string from sen (rupiah()), never a JS number. */
    type PaymentRow = { id: string; contract_id: string; no: number; kind: string; term_no: number | null; report_id: string | null; amount: string; sp2d_number: string; paid_on: string; recorded_at: string; recorded_by: string };
    const payments: PaymentRow[] = [];
    const handovers: Record<string, unknown>[] = [];
    const byPeriodKind: Record<PeriodKind, number> = { weekly: 0, monthly: 0 };
    const reportStatus: Record<string, number> = {};
    const perContract: number[] = [];
    const critical = { opened: 0, open: 0, resolved: 0, terminated: 0, steps: 0, byReason: {} as Record<string, number> };
    let advances = 0;
    let termins = 0;
    let sp2d = 0;
    const withTwenty: string[] = [];
    const siteOf = new Map<string, { lat: number; lng: number }>();
    /** Per contract, what implementationOf (domain/monev/publish.ts) reads: its verified reports and its payments, with when each was recorded. */
    type Milestone = { report: string; period: number; periodStart: string; periodEnd: string; physical: string; planned: string; deviation: string; verifiedAt: string };
    type Transaction = { payment: string; no: number; kind: string; termNo: number | null; amount: string; paidOn: string; sp2dNumber: string };
    type Executed = { milestones: { at: string; m: Milestone }[]; transactions: { at: string; t: Transaction; total: bigint }[] };
    const executed = new Map<string, Executed>();
    const noMs = (at: string) => at.replace(/\.\d{3}Z$/, "Z");
    const transaction = (into: Executed, p: PaymentRow, total: bigint) =>
      into.transactions.push({
        at: p.recorded_at,
        total,
        t: { payment: p.id, no: p.no, kind: p.kind, termNo: p.term_no, amount: p.amount, paidOn: p.paid_on, sp2dNumber: p.sp2d_number },
      });

    for (const c of contracts) {
      // Weekly for construction (the PPK's default); for other contracts the PPK chose weekly reporting for most
      // (deliveries in stages, monitored closely), monthly (the default) for the rest.
      const kind: PeriodKind = c.kind === "konstruksi" || rnd() < weeklyShare ? "weekly" : "monthly";
      byPeriodKind[kind]++;
      const periods = periodsOf(kind, c.start_date, c.end_date);
      const n = periods.length;
      const site = rnd() < 0.85 ? { lat: -7.42 + rnd() * 0.42, lng: 111.5 + rnd() * 0.6 } : null;
      if (site) siteOf.set(c.id, site);
      plans.push({
        contract_id: c.id,
        period_kind: kind,
        site_lat: site ? site.lat.toFixed(6) : null,
        site_lng: site ? site.lng.toFixed(6) : null,
        updated_at: wibAt(c.start_date, 9),
        updated_by: c.ppk_name,
      });

      // Work items: values summing to the contract value (sen), weights by value, planned over stretches of the periods.
      const library = DIVISIONS[c.kind === "konstruksi" ? "konstruksi" : "other"];
      const m = Math.min(library.length, between(3, 6));
      const chosen = library.slice(0, m);
      const total = toSen(c.value);
      const shares = chosen.map(() => 1 + rnd() * 4);
      const sumShares = shares.reduce((a, b) => a + b, 0);
      const values = shares.map((s) => (total * BigInt(Math.round((s / sumShares) * 1_000_000))) / 1_000_000n);
      values[m - 1] = total - values.slice(0, m - 1).reduce((a, b) => a + b, 0n);
      if (values.some((v) => v <= 0n)) values.fill(total / BigInt(m)).splice(m - 1, 1, total - (total / BigInt(m)) * BigInt(m - 1));
      const weights = weightsByValue(values.map((v) => Money.idr(rupiah(v))));
      const work = chosen.map(([division, name], i) => {
        const from = Math.min(n, 1 + Math.floor((i * n) / (m + 1)));
        const to = i === m - 1 ? n : Math.min(n, Math.max(from, Math.ceil(((i + 2) * n) / (m + 1))));
        return { id: uuid(), no: i + 1, division, name, value: values[i], weight: weights[i], plannedStart: from, plannedEnd: to };
      });
      for (const w of work)
        items.push({ id: w.id, contract_id: c.id, no: w.no, division: w.division, name: w.name, value: rupiah(w.value), weight: w.weight.toFixed(2), planned_start: w.plannedStart, planned_end: w.plannedEnd });
      const curve = plannedCurve(work, n);

      // How many periods are reported, and the pace.
      // Completed: every period; terminated: 60 % of them; running: the first `reports` periods (20 by default: the
      // bench's moment is when every running contract has reached its twentieth week), a few behind with their reports.
      const k =
        c.status === "completed" ? n : c.status === "terminated" ? Math.max(1, Math.min(maxReports, Math.ceil(n * 0.6))) : rnd() < 0.9 ? Math.min(maxReports, n) : Math.max(1, Math.min(maxReports, n - between(1, Math.ceil(n / 2))));
      const lagging = c.status === "terminated" || (c.status === "signed" && rnd() < 0.125);
      const base = lagging ? 1 : 0.97 + rnd() * 0.08;
      const lag = lagging ? 0.35 + rnd() * 0.3 : 0;
      const itemDone = work.map(() => new D(0));
      let open: { id: string; status: string; steps: number; reports: number } | null = null;
      /** A handling step of the open case (as the use cases record it). */
      const step = (kase: { id: string; steps: number }, action: string, from: string, to: string, day: string, extra: Record<string, unknown> = {}) => {
        steps.push({ case_id: kase.id, no: ++kase.steps, action, from_status: from, to_status: to, on_date: day, minutes: "", deadline: null, letter_number: "", recorded_at: wibAt(day, 15), recorded_by: c.ppk_name, ...extra });
        critical.steps++;
      };
      const done: Executed = { milestones: [], transactions: [] };
      executed.set(c.id, done);
      const termsLeft = [...(c.terms ?? [])];
      const advance = c.tendered && termsLeft.length > 1 && rnd() < 0.25 ? (total * 20n) / 100n : 0n;
      let paidSoFar = 0n;
      let payNo = 0;
      if (advance > 0n) {
        payments.push({ id: uuid(), contract_id: c.id, no: ++payNo, kind: "uang_muka", term_no: null, report_id: null, amount: rupiah(advance), sp2d_number: `900/${++sp2d}/SP2D-UM/${year}`, paid_on: addDays(c.start_date, 10), recorded_at: wibAt(addDays(c.start_date, 10), 14), recorded_by: "Bendahara Pengeluaran (data benchmark)" });
        paidSoFar += advance;
        transaction(done, payments[payments.length - 1], paidSoFar);
        advances++;
      }
      let verifiedCount = 0;
      let reached50 = false;
      for (let p = 1; p <= k; p++) {
        const period = periods[p - 1];
        const pace = base * (1 - (lag * p) / k);
        const physicals = work.map((w, i) => {
          const span = w.plannedEnd - w.plannedStart + 1;
          const plannedShare = Math.min(Math.max(p - w.plannedStart + 1, 0), span) / span;
          const finished = c.status === "completed" && p === n;
          const v = finished ? new D(100) : D.min(100, new D(plannedShare * 100 * pace).toDecimalPlaces(2, D.ROUND_DOWN));
          itemDone[i] = D.max(itemDone[i], v);
          return itemDone[i];
        });
        const actual = weightedProgress(work.map((w, i) => ({ weight: w.weight, physical: physicals[i] })));
        const planned: Dec = curve[p - 1];
        const last = p === k;
        const status = last && c.status === "signed" && k < n ? weighted({ verified: 0.91, submitted: 0.06, draft: 0.03 }) : "verified";
        count(reportStatus, status);
        const id = uuid();
        const submittedAt = status === "draft" ? null : wibAt(addDays(period.end, 1), 10, between(0, 59));
        const verifiedDay = addDays(period.end, between(2, 4));
        const verifiedAt = status === "verified" ? wibAt(verifiedDay, 14, between(0, 59)) : null;
        const behind = new D(planned).minus(actual);
        reports.push({
          id,
          contract_id: c.id,
          period_no: p,
          period_start: period.start,
          period_end: period.end,
          physical: actual.toFixed(2),
          planned: planned.toFixed(2),
          deviation: actual.minus(planned).toFixed(2),
          problems: behind.gt(5) ? pick(PROBLEMS) : "",
          actions: behind.gt(5) ? pick(ACTIONS) : "",
          status,
          submitted_at: submittedAt,
          submitted_by: submittedAt ? "Pelaksana penyedia (data benchmark)" : null,
          verified_at: verifiedAt,
          verified_by: verifiedAt ? c.ppk_name : null,
          version: status === "verified" ? 3 : status === "submitted" ? 2 : 1,
          created_at: wibAt(period.end, 16),
          updated_at: verifiedAt ?? submittedAt ?? wibAt(period.end, 16),
        });
        work.forEach((w, i) => reportItems.push({ report_id: id, item_id: w.id, physical: physicals[i].toFixed(2) }));
        // Photos: the 0, 50 and 100 % milestones and every fourth report; tiny bytes (metadata-only pages).
        const milestone = p === 1 ? "0" : !reached50 && actual.gte(50) ? "50" : actual.gte(100) && c.status === "completed" && p === n ? "100" : p % 4 === 0 ? "periodic" : null;
        if (actual.gte(50)) reached50 = true;
        if (milestone) {
          const far = rnd() < 0.02;
          const near = site ?? { lat: -7.15, lng: 111.88 };
          const dLat = (far ? 0.01 + rnd() * 0.02 : rnd() * 0.002) * (rnd() < 0.5 ? -1 : 1);
          photos.push({
            id: uuid(),
            report_id: id,
            milestone,
            filename: `IMG_${period.end.replace(/-/g, "")}_${String(p).padStart(2, "0")}.jpg`,
            size: 4,
            sha256: createHash("sha256").update(id).digest("hex"),
            width: 1600,
            height: 1200,
            data: "ffd8ffd9",
            thumb: "52494646",
            lat: (near.lat + dLat).toFixed(6),
            lng: near.lng.toFixed(6),
            taken_at: wibAt(period.end, 11),
            distance_m: site ? Math.round(Math.abs(dLat) * 111_000) : null,
            far_from_site: !!site && far,
            created_at: submittedAt ?? wibAt(period.end, 16),
          });
        }
        if (status !== "verified") continue;
        verifiedCount++;
        done.milestones.push({ at: verifiedAt!, m: { report: id, period: p, periodStart: period.start, periodEnd: period.end, physical: actual.toFixed(2), planned: planned.toFixed(2), deviation: actual.minus(planned).toFixed(2), verifiedAt: noMs(verifiedAt!) } });
        // Kontrak kritis, as verifyReport judges each verified report.
        const v = evaluateCritical({ planned, actual, start: c.start_date, asOf: period.end, fiscalYear: year });
        if (v.critical && !open) {
          open = { id: uuid(), status: "critical", steps: 0, reports: 0 };
          cases.push({ id: open.id, contract_id: c.id, report_id: id, opened_at: verifiedAt, reason: v.reason as CriticalReason, planned: planned.toFixed(2), physical: actual.toFixed(2), status: "critical", closed_at: null, version: 1 });
          critical.opened++;
          count(critical.byReason, v.reason!);
        } else if (v.critical && open) {
          open.reports++;
          const next = { critical: "scm1", scm1: "scm2", scm2: "scm3" }[open.status as "critical"];
          if (next && open.reports % 2 === 0) {
            step(open, "holdScm", open.status, next, verifiedDay, { minutes: `Rapat pembuktian (SCM) periode ${p}: penyedia menyanggupi percepatan (data benchmark).`, deadline: addDays(verifiedDay, 14) });
            open.status = next;
          }
        } else if (!v.critical && open) {
          step(open, "resolve", open.status, "resolved", verifiedDay, { minutes: `Laporan periode ${p} terverifikasi: realisasi ${actual.toFixed(2)}% terhadap rencana ${planned.toFixed(2)}%.` });
          Object.assign(cases[cases.length - 1], { status: "resolved", closed_at: wibAt(verifiedDay, 15), version: 1 + open.steps });
          critical.resolved++;
          open = null;
        }
        // Termins reached by this verified report (repaying the advance pro rata; the last one takes the rest).
        while (termsLeft.length && actual.gte(termsLeft[0].progress)) {
          const t = termsLeft.shift()!;
          const amount = termsLeft.length === 0 ? total - paidSoFar : toSen(t.amount) - (advance > 0n ? (toSen(t.amount) * 20n) / 100n : 0n);
          if (amount <= 0n) continue;
          payments.push({ id: uuid(), contract_id: c.id, no: ++payNo, kind: "termin", term_no: t.no, report_id: id, amount: rupiah(amount), sp2d_number: `900/${++sp2d}/SP2D-LS/${year}`, paid_on: addDays(verifiedDay, 7), recorded_at: wibAt(addDays(verifiedDay, 7), 14), recorded_by: "Bendahara Pengeluaran (data benchmark)" });
          paidSoFar += amount;
          transaction(done, payments[payments.length - 1], paidSoFar);
          termins++;
        }
      }
      if (open) {
        const kase = cases[cases.length - 1];
        if (c.status === "terminated") {
          // The handling ran its course: the remaining show-cause meetings, three warning letters, termination.
          let day = addDays(periods[k - 1].end, 5);
          for (const [action, to] of [["holdScm", "scm1"], ["holdScm", "scm2"], ["holdScm", "scm3"], ["issueWarning", "warning1"], ["issueWarning", "warning2"], ["issueWarning", "warning3"], ["terminate", "terminated"]] as const) {
            const order = ["critical", "scm1", "scm2", "scm3", "warning1", "warning2", "warning3", "terminated"];
            if (order.indexOf(to) <= order.indexOf(open.status)) continue;
            day = addDays(day, 7);
            step(open, action, open.status, to, day, action === "issueWarning" ? { letter_number: `600/${open.steps + 1}/SP/${year}` } : action === "holdScm" ? { minutes: "Rapat pembuktian (data benchmark).", deadline: addDays(day, 14) } : {});
            open.status = to;
          }
          Object.assign(kase, { status: "terminated", closed_at: wibAt(day, 15), version: 1 + open.steps });
          critical.terminated++;
        } else {
          Object.assign(kase, { status: open.status, version: 1 + open.steps });
          critical.open++;
        }
      }
      if (c.status === "completed") {
        const day = addDays(c.end_date, between(1, 5));
        handovers.push({ contract_id: c.id, kind: "pho", number: `BAST-PHO/${handovers.length + 1}/${year}`, signed_on: day, recorded_at: wibAt(day, 13), recorded_by: c.ppk_name });
      }
      perContract.push(k);
      if (verifiedCount >= maxReports) withTwenty.push(c.id);
    }

    // The contracts whose pages are measured: 500 with 20 verified reports (or the most). Their verified reports
    // and payments get their procurement events, as verifyReport and recordPayment emit them (emitImplementation:
    // the contract's implementation as of the event), for generate-ocds to publish as implementation releases.
    const sampleContracts = shuffle(withTwenty.length >= 500 ? withTwenty : [...withTwenty, ...contracts.map((c) => c.id).filter((id) => !withTwenty.includes(id))]).slice(0, 500);
    const implEvents: { package_id: string; type: string; at: string; payload: unknown }[] = [];
    const contractOf = new Map(contracts.map((c) => [c.id, c]));
    for (const id of sampleContracts.slice(0, implementationTarget)) {
      const c = contractOf.get(id)!;
      const { milestones, transactions } = executed.get(id)!;
      const implementation = (at: string) => ({ milestones: milestones.filter((x) => x.at <= at).map((x) => x.m), transactions: transactions.filter((x) => x.at <= at).map((x) => x.t) });
      for (const { at, m } of milestones)
        implEvents.push({ package_id: c.package_id, type: "ProgressVerified", at, payload: { contract: id, report: m.report, period: m.period, physical: m.physical, planned: m.planned, implementation: implementation(at) } });
      for (const { at, t, total } of transactions)
        implEvents.push({
          package_id: c.package_id,
          type: "PaymentRecorded",
          at,
          payload: { contract: id, payment: t.payment, no: t.no, kind: t.kind, term: t.termNo, amount: t.amount, sp2d: t.sp2dNumber, lines: [], paidOn: t.paidOn, paidTotal: rupiah(total), financialProgress: new D(rupiah(total)).div(c.value).times(100).toFixed(2), implementation: implementation(at) },
        });
    }
    implEvents.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

    // Complaints: a year of citizens' reports.
    const signed = contracts.filter((c) => c.status !== "terminated");
    const complaints: Record<string, unknown>[] = [];
    const reporters: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const complaintStatus: Record<string, number> = {};
    const byTarget: Record<string, number> = {};
    const [{ first }] = await db.execute<{ first: string }[]>("select nextval('complaint_number_seq')::text as first");
    const OPD_HELD = new Set(["opd_review", "accepted", "adopted", "not_adopted"]);
    const PATH: Record<string, [string, string][]> = {
      held: [],
      received: [],
      verified: [["verify", "verified"]],
      rejected: [["reject", "rejected"]],
      discarded: [["discard", "discarded"]],
      forwarded: [["verify", "verified"], ["forward", "forwarded"]],
      in_progress: [["verify", "verified"], ["forward", "forwarded"], ["take", "in_progress"]],
      answered: [["verify", "verified"], ["forward", "forwarded"], ["take", "in_progress"], ["answer", "answered"]],
      closed: [["verify", "verified"], ["forward", "forwarded"], ["take", "in_progress"], ["answer", "answered"], ["close", "closed"]],
    };
    for (let i = 0; i < complaintTarget; i++) {
      const id = uuid();
      const kind = weighted({ contract: 45, proposal: proposals.length ? 30 : 0, point: 25 });
      count(byTarget, kind);
      const status = weighted({ held: 3, received: 12, verified: 8, rejected: 5, discarded: 2, forwarded: 12, in_progress: 18, answered: 15, closed: 25 });
      count(complaintStatus, status);
      const cat = pick(categories);
      let targetId: string | null = null;
      let opdId: string | null = null;
      let region: string | null = null;
      let lat: string | null = null;
      let lng: string | null = null;
      let day: string;
      if (kind === "contract") {
        const c = pick(signed);
        targetId = c.id;
        opdId = c.opd_id;
        region = c.region;
        const s = siteOf.get(c.id);
        if (s && rnd() < 0.5) [lat, lng] = [s.lat.toFixed(6), s.lng.toFixed(6)];
        day = addDays(c.start_date, between(0, 40));
      } else if (kind === "proposal") {
        const p = pick(proposals);
        targetId = p.id;
        opdId = OPD_HELD.has(p.status) ? p.target_opd_id : (bappeda?.id ?? p.target_opd_id);
        region = p.desa_code;
        [lat, lng] = [p.lat, p.lng];
        day = addDays(`${year}-01-01`, between(10, 330));
      } else {
        const p = proposals.length ? pick(proposals) : null;
        region = p?.desa_code ?? null;
        lat = (-7.42 + rnd() * 0.42).toFixed(6);
        lng = (111.5 + rnd() * 0.6).toFixed(6);
        opdId = PATH[status].some(([a]) => a === "forward") ? pick(opds) : null;
        day = addDays(`${year}-01-01`, between(10, 330));
      }
      if (day > `${year}-12-20`) day = `${year}-12-20`;
      const created = wibAt(day, between(6, 21), between(0, 59));
      const due = addWorkingDays(day, cat.sla_days, holidays);
      const identity = weighted({ named: 50, anonymous: 35, confidential: 15 });
      const answered = status === "answered" || status === "closed";
      const answeredDay = addDays(day, between(1, cat.sla_days + 5));
      complaints.push({
        id,
        number: `ADU-${year}-${String(Number(first) + i).padStart(6, "0")}`,
        ticket_hash: createHash("sha256").update(`bench-ticket-${year}-${i}-${id}`).digest("hex"),
        target_kind: kind,
        target_id: targetId,
        category: cat.code,
        text: `${pick(COMPLAINT_TEXTS)} (laporan benchmark ${i + 1})`,
        lat,
        lng,
        region_code: region,
        identity_mode: identity,
        opd_id: opdId,
        status,
        held_reasons: status === "held" ? ["word"] : [],
        reason: status === "rejected" || status === "discarded" ? "Laporan tidak memuat informasi yang cukup untuk ditindaklanjuti (data benchmark)." : "",
        answer: answered ? "Terima kasih. Pelaksana telah diperintahkan memperbaiki pekerjaan dan pengawas memeriksa hasilnya (data benchmark)." : "",
        answered_at: answered ? wibAt(answeredDay, 13) : null,
        sla_started_on: day,
        sla_due_on: due,
        rating: status === "closed" && rnd() < 0.6 ? between(2, 5) : null,
        version: 1 + PATH[status].length,
        created_at: created,
        updated_at: answered ? wibAt(answeredDay, 13) : created,
      });
      if (identity !== "anonymous") reporters.push({ complaint_id: id, name: `${pick(FIRST)} ${pick(LAST)}`, contact: `08${between(11, 99)}${between(1_000_000, 9_999_999)}` });
      events.push({ complaint_id: id, at: created, action: "submit", from_status: null, to_status: status === "held" || status === "discarded" ? "held" : "received", actor_label: "Pelapor", public_note: "", internal_note: status === "held" || status === "discarded" ? "moderasi: word" : "" });
      let from = status === "held" || status === "discarded" ? "held" : "received";
      PATH[status].forEach(([action, to], j) => {
        events.push({ complaint_id: id, at: wibAt(addDays(day, j + 1), 10), action, from_status: from, to_status: to, actor_label: "Petugas (data benchmark)", public_note: action === "answer" ? "Jawaban telah dikirim." : "", internal_note: "" });
        from = to;
      });
    }
    await db.execute("select setval('complaint_number_seq', ?)", [Number(first) + complaintTarget]);
    const build = performance.now() - tb;

    // ---- insert ----
    const ti = performance.now();
    const insertMs: Record<string, number> = {};
    await orm.em.fork().transactional(async (tx) => {
      const ins = async (table: string, defs: string, rows: Record<string, unknown>[], o: Parameters<typeof insertRows>[4] = {}) => {
        const t = performance.now();
        await insertRows(tx, table, defs, rows, o);
        insertMs[table] = Math.round(performance.now() - t);
      };
      const tenant = { fixed: `'${T}'`, fixedColumns: "tenant_code" };
      await ins("monev_plan", "contract_id uuid, period_kind text, site_lat numeric, site_lng numeric, updated_at timestamptz, updated_by text", plans, tenant);
      await ins("monev_work_item", "id uuid, contract_id uuid, no smallint, division text, name text, value numeric, weight numeric, planned_start smallint, planned_end smallint", items, { chunk: 5000 });
      await ins(
        "progress_report",
        "id uuid, contract_id uuid, period_no smallint, period_start date, period_end date, physical numeric, planned numeric, deviation numeric, problems text, actions text, status text, submitted_at timestamptz, submitted_by text, verified_at timestamptz, verified_by text, version int, created_at timestamptz, updated_at timestamptz",
        reports,
        { ...tenant, chunk: 5000 },
      );
      await ins("progress_report_item", "report_id uuid, item_id uuid, physical numeric", reportItems, { chunk: 10000 });
      await ins(
        "progress_photo",
        "id uuid, report_id uuid, milestone text, filename text, size int, sha256 text, width int, height int, data text, thumb text, lat numeric, lng numeric, taken_at timestamptz, distance_m int, far_from_site boolean, created_at timestamptz",
        photos,
        { fixed: `'${T}', 'image/jpeg'`, fixedColumns: "tenant_code, content_type", exprs: { data: "decode(data, 'hex')", thumb: "decode(thumb, 'hex')" }, chunk: 5000 },
      );
      await ins("critical_case", "id uuid, contract_id uuid, report_id uuid, opened_at timestamptz, reason text, planned numeric, physical numeric, status text, closed_at timestamptz, version int", cases, tenant);
      await ins("critical_step", "case_id uuid, no smallint, action text, from_status text, to_status text, on_date date, minutes text, deadline date, letter_number text, recorded_at timestamptz, recorded_by text", steps);
      await ins("contract_payment", "id uuid, contract_id uuid, no smallint, kind text, term_no smallint, report_id uuid, amount numeric, sp2d_number text, paid_on date, recorded_at timestamptz, recorded_by text", payments, tenant);
      await ins("procurement_event", "package_id uuid, type text, at timestamptz, payload jsonb", implEvents, tenant);
      await ins("contract_handover", "contract_id uuid, kind text, number text, signed_on date, recorded_at timestamptz, recorded_by text", handovers);
      await ins(
        "complaint",
        "id uuid, number text, ticket_hash text, target_kind text, target_id uuid, category text, text text, lat numeric, lng numeric, region_code text, identity_mode text, opd_id uuid, status text, held_reasons text[], reason text, answer text, answered_at timestamptz, sla_started_on date, sla_due_on date, rating smallint, version int, created_at timestamptz, updated_at timestamptz",
        complaints,
        tenant,
      );
      await ins("complaint_reporter", "complaint_id uuid, name text, contact text", reporters, { ...tenant, chunk: 5000 });
      await ins("complaint_event", "complaint_id uuid, at timestamptz, action text, from_status text, to_status text, actor_label text, public_note text, internal_note text", events, { ...tenant, chunk: 5000 });
    });
    const insert = performance.now() - ti;
    const tz = performance.now();
    await db.execute(
      "analyze procurement_event, monev_plan, monev_work_item, progress_report, progress_report_item, progress_photo, critical_case, critical_step, contract_payment, contract_handover, complaint, complaint_reporter, complaint_event",
    );
    const analyze = performance.now() - tz;

    const sorted = [...perContract].sort((a, b) => a - b);
    return {
      year,
      contracts: contracts.length,
      byPeriodKind,
      workItems: items.length,
      reports: {
        total: reports.length,
        byStatus: reportStatus,
        items: reportItems.length,
        perContract: { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 },
        withTwenty: withTwenty.length,
      },
      photos: photos.length,
      critical,
      payments: { total: payments.length, advances, termins, handovers: handovers.length },
      complaints: { total: complaints.length, byStatus: complaintStatus, byTarget, reporters: reporters.length, events: events.length },
      ocdsProcesses,
      sampleContracts,
      implementationEvents: { contracts: Math.min(implementationTarget, sampleContracts.length), progressVerified: implEvents.filter((e) => e.type === "ProgressVerified").length, paymentRecorded: implEvents.filter((e) => e.type === "PaymentRecorded").length },
      insertMs,
      ms: { read: Math.round(read), build: Math.round(build), insert: Math.round(insert), analyze: Math.round(analyze), total: Math.round(performance.now() - t0) },
    };
  } finally {
    await orm.close(true);
  }
}


// Standalone: tsx tests/bench/generate-monev.ts --year 2030 [--seed N]
await runStandalone(import.meta.url, "generate-monev.ts", ["seed"], async (url, year, num) => {
  const { sampleContracts, ...r } = await generateMonev(url, { year, seed: num("seed") });
  return { ...r, sampleContracts: sampleContracts.length };
});
