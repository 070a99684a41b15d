/**
 * Scale data for e-Procurement (issue #7): a large kabupaten's procurement year — Kab. Bandung 2025 had
 * 12,013 provider packages and 5,555 swakelola packages — on top of the budget of that year
 * (tests/bench/generate-budget.ts), in bulk SQL.
 *
 *   APBD        the year's APBD (murni) adopted when it is not yet: its budget lines are snapshots of the
 *               approved RKA lines, keyed by the RKA line's id, exactly as assembleApbd makes them (RKAs not
 *               approved are left out), and every OPD with spending lines gets its DPA (issueDpa's number
 *               and total). No cash plans.
 *   vendors     `vendors` penyedia (default 500; NPWP, NIB, bank, KBLI, about 70 % small businesses), five
 *               of them blacklisted (since the year before, over a terminated contract) and never bidding.
 *   RUP         `packages` announced packages (default 17,000; `swakelola` of them swakelola, default 5,000),
 *               plus 150 drafts and 100 cancelled ones. Each draws on DPA lines of ONE sub-activity by
 *               their line keys (procurable accounts only: 5.1.02 and 5.2), mostly whole lines, some a
 *               share, a few lines split between two packages; what the packages take from a line never
 *               exceeds it (checked in SQL after the insert). Kind from its lines (construction materials
 *               and labour → konstruksi; rentals and servicing → jasa lainnya; …), method by kind and pagu
 *               under the method rules in force (judgeMethod on every package: pengadaan langsung up to
 *               Rp200 jt, construction Rp400 jt; tender, tender cepat, seleksi above; e-purchasing and a
 *               few penunjukan langsung), locations at the sub-activity's desa, schedule, PPK, kode RUP
 *               from proc_package_kode_rup_seq in order of announcement.
 *   tenders     `tenders` competitive selections (default 2,000: tender, tender cepat, seleksi; 60 of them a
 *               retender after a failed first attempt), each with its Pokja (the demo's), its stage
 *               schedule, documents, sometimes questions with answers and an addendum, and `bidsPerTender`
 *               bids (default 8) from distinct vendors (small businesses only on reserved packages), all
 *               opened: `bid.sealed` is real ciphertext from seal() (domain/procurement/sealing.ts) of the
 *               bid's contents, whose price is the clear price written at the opening. Evaluation results
 *               as evaluateBid leaves them (administrasi, teknis with a score for quality-based methods,
 *               harga after arithmetic correction — above the HPS fails —, kualifikasi, reasons) and ranks
 *               as concludeEvaluation computes them. Statuses: contracted, SPPBJ, winner announced,
 *               evaluated, opened (evaluation under way), failed; some sanggah, answered.
 *   direct      pengadaan langsung and penunjukan langsung: an invitation (a selection with the direct
 *               schedule) with the invited vendor's offer — opened and negotiated for those with a
 *               contract, still sealed (no clear price) for some in progress.
 *   contracts   `contracts` in all (default 10,000): from the tenders (SPPBJ or signed), from the direct
 *               selections and e-purchasing orders (surat pesanan, no selection); signed, completed, a few
 *               terminated or still awaiting signature, a few orders refused by their vendor; the value never
 *               above the winning price, HPS or pagu; running 140 to 260 days (20 weekly periods or more for
 *               e-Monev); payment terms adding up to the value; some amendments (value up to +10 % of the
 *               original and never above the pagu, or a later end date).
 *   events      procurement_event rows as the use cases write them (PackagePlanned, TenderAnnounced,
 *               TenderAmended, TenderOpened, WinnerAnnounced, TenderFailed, Awarded, ContractSigned,
 *               ContractAmended, ContractTerminated, OrderRefused, PackageCancelled), in time order. They have no
 *               OCDS releases: tests/bench/generate-ocds.ts publishes them afterwards through the real mapping.
 *
 * No audit events and no steps on the proposals' public timelines: nobody did this (audit:verify still
 * passes). Deterministic (a seeded PRNG, also for the ids) except the ciphertexts (seal() draws a random
 * IV). Refuses a year that already has packages.
 *
 * Standalone: `tsx tests/bench/generate-procurement.ts --year 2030 [--seed N]` against DATABASE_URL or the
 * embedded database, for a year generate-budget has filled.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { insertRows } from "./bulk";
import { createOrm } from "../../domain/persistence";
import { D, Money } from "../../domain/kernel/money";
import { methodRules } from "../../domain/procurement/packages";
import { judgeMethod } from "../../domain/procurement/rules";
import { seal, sha256, unseal } from "../../domain/procurement/sealing";
import { stagesOf } from "../../domain/procurement/tenders";
import type { Kind, Method } from "../../domain/procurement/vocabulary";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { prng } from "../../imports/shared/prng";
import { runStandalone } from "./standalone";

export interface GenerateProcurementOptions {
  year: number;
  /** Announced packages in all (default 17,000). */
  packages?: number;
  /** Of which swakelola (default 5,000). */
  swakelola?: number;
  /** Competitive selections (tender, tender cepat, seleksi), retenders included (default 2,000). */
  tenders?: number;
  /** Opened bids per competitive selection (default 8). */
  bidsPerTender?: number;
  /** Contracts in all (default 10,000). */
  contracts?: number;
  vendors?: number;
  seed?: number;
}

export interface GenerateProcurementResult {
  year: number;
  apbd: { id: string; assembled: boolean; lines: number; procurableLines: number; dpas: number };
  vendors: number;
  blacklisted: number;
  packages: { announced: number; penyedia: number; swakelola: number; drafts: number; cancelled: number; byMethod: Record<string, number>; byKind: Record<string, number>; pagu: string };
  budgetRows: number;
  linesUsed: number;
  linesSplit: number;
  locations: number;
  tenders: { competitive: number; retenders: number; direct: number; byStatus: Record<string, number>; stages: number; questions: number; addenda: number; sanggah: number };
  bids: { opened: number; sealed: number; sealedBytes: number };
  contracts: { total: number; fromTenders: number; fromDirect: number; orders: number; byStatus: Record<string, number>; amendments: number; terms: number; value: string };
  events: number;
  /** OPD codes with announced packages, in a fixed shuffled order (for benchmarks that rotate through them). */
  opdCodes: string[];
  /** Up to 500 announced package ids with a competitive tender (its bids opened) and a contract, in a fixed shuffled order. */
  samplePackages: string[];
  /** An announced tender package (not reserved for small businesses) left without a selection, for a benchmark to run one on. */
  spare: { packageId: string; opdCode: string; pagu: string; kind: Kind };
  /** Vendors free of sanctions (NPWP and name), for a benchmark's bidders. */
  biddable: { id: string; npwp: string; name: string }[];
  /** Per table, for looking into the generator's own speed. */
  insertMs: Record<string, number>;
  ms: { apbd: number; build: number; seal: number; insert: number; analyze: number; total: number };
}

const T = DEMO_TENANT.code;
const DAY = 86_400_000;
const DRAFTS = 150;
const CANCELLED = 100;
const RETENDERS = 60;

interface Line {
  line_key: string;
  sub_activity_id: string;
  position: number;
  heading: string;
  account_code: string;
  description: string;
  amount: string;
  funding_source: string;
}
interface Sub {
  id: string;
  opd_id: string;
  opd_code: string;
  opd_short: string;
  name: string;
  code: string;
  locations: string[];
}
interface Take {
  line: Line;
  sen: bigint;
}
interface Pkg {
  id: string;
  name: string;
  sub: Sub;
  takes: Take[];
  pagu: bigint;
  status: "draft" | "announced" | "cancelled";
  type: "penyedia" | "swakelola";
  kind: Kind;
  method: Method;
  umk: boolean;
  spare?: boolean;
  kode?: bigint;
  announcedDay: number;
  selectionStart: number | null;
  /** The selection's last attempt (competitive or direct), if any. */
  tender?: Tender;
  contract?: boolean;
}
interface Tender {
  id: string;
  pkg: Pkg;
  attempt: number;
  status: string;
  code: bigint;
  hps: bigint;
  d0: number;
}

const toSen = (canonical: string) => BigInt(canonical.replace(".", ""));
const rupiah = (sen: bigint) => `${sen < 0n ? "-" : ""}${(sen < 0n ? -sen : sen) / 100n}.${String((sen < 0n ? -sen : sen) % 100n).padStart(2, "0")}`;
/** A share in basis points, down to the thousand rupiah (100,000 sen). */
const shareOf = (sen: bigint, bp: number, unit = 100_000n) => ((sen * BigInt(bp)) / 10_000n / unit) * unit;

const VENDOR_WORDS = ["Karya", "Mitra", "Sumber", "Bangun", "Cipta", "Jaya", "Abadi", "Makmur", "Sentosa", "Mandiri", "Utama", "Prima", "Bengawan", "Anugerah", "Berkah", "Teknik", "Sejahtera", "Lestari", "Persada", "Perkasa", "Sinar", "Surya", "Tirta", "Graha", "Nusantara", "Rejeki", "Langgeng", "Arta", "Dharma", "Sakti"];
const TOWNS = ["Bojonegoro", "Dander", "Kalitidu", "Sumberrejo", "Padangan", "Baureno", "Kapas", "Balen", "Kedungadem", "Ngasem", "Tuban", "Lamongan", "Ngawi", "Blora", "Surabaya", "Gresik"];
const STREETS = ["Jl. Veteran", "Jl. Panglima Sudirman", "Jl. Ahmad Yani", "Jl. Diponegoro", "Jl. Gajah Mada", "Jl. Untung Suropati", "Jl. Raya Dander", "Jl. Rajekwesi", "Jl. Hayam Wuruk", "Jl. MH Thamrin"];
const BANKS = ["Bank Jatim", "Bank Jatim", "BRI", "BNI", "Mandiri", "BCA", "BSI"];
const KBLI: Record<Kind, string[]> = {
  konstruksi: ["41011", "41012", "42101", "42201", "42911", "43211", "43302"],
  barang: ["46411", "46521", "46592", "46692", "47411", "46100"],
  jasa_lainnya: ["77100", "77391", "81100", "82301", "33122", "45201"],
  konsultansi: ["71101", "71102", "70209", "74111"],
};
const FIRST = ["Agus", "Budi", "Dwi", "Eko", "Hari", "Joko", "Rina", "Siti", "Sri", "Tri", "Wahyu", "Yuli", "Heru", "Nanik", "Endah", "Bambang", "Sugeng", "Ratna", "Didik", "Lilik"];
const LAST = ["Santoso", "Prasetyo", "Wibowo", "Setiawan", "Rahayu", "Lestari", "Nugroho", "Hidayat", "Susanto", "Wulandari", "Kurniawan", "Purnomo", "Handayani", "Saputra"];
const TITLES = [", S.T.", ", S.T., M.T.", ", S.E.", ", S.Sos.", ", S.Kom.", ", M.Si.", ", S.H.", ""];
const BUILD_VERBS = ["Pembangunan", "Rehabilitasi", "Peningkatan", "Pemeliharaan Berkala", "Rekonstruksi"];
const BUILD_OBJECTS = ["Jalan", "Saluran Drainase", "Jembatan", "Talud", "Gedung", "Jaringan Irigasi", "Pagar dan Halaman", "Rabat Beton", "Tembok Penahan Tanah"];
const FAIL_REASONS = {
  admin: ["Surat penawaran tidak ditandatangani oleh pihak yang berwenang", "Jangka waktu berlakunya surat penawaran kurang dari yang disyaratkan", "Jaminan penawaran tidak dilampirkan"],
  tech: ["Metode pelaksanaan tidak menggambarkan tahapan pekerjaan utama", "Jadwal waktu pelaksanaan melebihi jangka waktu yang ditetapkan", "Spesifikasi teknis yang ditawarkan tidak memenuhi persyaratan", "Personel manajerial tidak memenuhi persyaratan"],
  qual: ["SBU/KBLI tidak sesuai dengan persyaratan", "Tidak memiliki pengalaman pekerjaan sejenis dalam 4 tahun terakhir", "Sisa Kemampuan Paket tidak mencukupi", "Laporan pajak tahun terakhir tidak dilampirkan"],
};
const QUESTIONS: [string, string][] = [
  ["Apakah dukungan bank wajib dilampirkan pada dokumen penawaran?", "Tidak wajib; cukup surat pernyataan kesanggupan sesuai dokumen pemilihan."],
  ["Apakah material boleh diganti dengan merek lain yang setara?", "Boleh, sepanjang memenuhi spesifikasi teknis dan disertai brosur teknis."],
  ["Berapa lama masa pemeliharaan pekerjaan ini?", "Masa pemeliharaan 180 hari kalender sejak serah terima pertama."],
  ["Apakah peninjauan lapangan dilaksanakan bersama Pokja?", "Peninjauan lapangan dilaksanakan mandiri oleh calon penyedia."],
  ["Apakah personel manajerial boleh merangkap pada paket lain?", "Tidak boleh merangkap pada paket yang waktu pelaksanaannya bersamaan."],
];

export async function generateProcurement(url: string, opts: GenerateProcurementOptions): Promise<GenerateProcurementResult> {
  const t0 = performance.now();
  const year = opts.year;
  const announcedTarget = opts.packages ?? 17_000;
  const swakelolaTarget = opts.swakelola ?? 5_000;
  const tenderTarget = opts.tenders ?? 2_000;
  const bidsPer = opts.bidsPerTender ?? 8;
  const contractTarget = opts.contracts ?? 10_000;
  const vendorCount = opts.vendors ?? 500;
  const rnd = prng(opts.seed ?? year * 17 + 3);
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
  /** A moment in WIB: `day` days after 1 January of the year (negative: the year before), at hh:mm. */
  const wib = (day: number, hh: number, mm = 0) => new Date(Date.UTC(year, 0, 1) + day * DAY + (hh - 7) * 3_600_000 + mm * 60_000);
  const iso = (d: Date) => d.toISOString();
  const dateOf = (day: number) => new Date(Date.UTC(year, 0, 1) + day * DAY).toISOString().slice(0, 10);

  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    const em = (): EntityManager => {
      const e = orm.em.fork();
      e.setFilterParams("tenant", { tenant: T });
      return e;
    };
    const db = em();
    const [{ n: existing }] = await db.execute<{ n: number }[]>("select count(*)::int as n from proc_package where tenant_code = ? and fiscal_year = ?", [T, year]);
    if (existing > 0) throw new Error(`fiscal year ${year} already has ${existing} procurement packages in ${T}`);

    // The APBD in force, adopted here (as assembleApbd, moveApbd and issueDpa leave it) when there is none.
    const ta = performance.now();
    let [apbd] = await db.execute<{ id: string; version_no: number }[]>(
      "select id, version_no from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1",
      [T, year],
    );
    const assembled = !apbd;
    if (!apbd) {
      const [any] = await db.execute<{ id: string }[]>("select id from apbd where tenant_code = ? and fiscal_year = ?", [T, year]);
      if (any) throw new Error(`fiscal year ${year} has an APBD that is not adopted: adopt it first`);
      const id = uuid();
      const adoptedAt = wib(-31, 10).toISOString();
      await orm.em.fork().transactional(async (tx) => {
        await tx.execute(
          "insert into apbd (id, tenant_code, fiscal_year, version_no, kind, status, legal_basis, version, created_at, updated_at) values (?, ?, ?, 1, 'murni', 'adopted', ?, 4, ?, ?)",
          [id, T, year, `Peraturan Daerah Kabupaten Bojonegoro Nomor 12 Tahun ${year - 1} tentang APBD Tahun Anggaran ${year} (data benchmark)`, wib(-50, 9).toISOString(), adoptedAt],
        );
        await tx.execute(
          `insert into budget_line (id, tenant_code, apbd_id, line_key, opd_id, sub_activity_id, kind, position, heading, account_code, description, spec, volume, unit, unit_price, tax_percent, amount, funding_source)
           select md5(?::text || l.id::text)::uuid, r.tenant_code, ?, l.id, r.opd_id, r.sub_activity_id, r.kind, l.position, l.heading, l.account_code, l.description, l.spec, l.volume, l.unit, l.unit_price, l.tax_percent, l.amount, l.funding_source
             from rka_line l join rka r on r.id = l.rka_id where r.tenant_code = ? and r.fiscal_year = ? and r.status = 'approved'`,
          [id, id, T, year],
        );
        await tx.execute(
          `insert into dpa (id, tenant_code, apbd_id, opd_id, number, total, issued_at, issued_by)
           select md5(?::text || b.opd_id::text)::uuid, ?, ?, b.opd_id, 'DPA-SKPD/' || o.code || '/' || ?, sum(b.amount), ?, 'Kepala BPKAD (data benchmark)'
             from budget_line b join opd o on o.id = b.opd_id where b.apbd_id = ? and b.kind = 'belanja' group by b.opd_id, o.code`,
          [id, T, id, year, wib(-25, 10).toISOString(), id],
        );
      });
      apbd = { id, version_no: 1 };
      await db.execute("analyze apbd, budget_line, dpa");
    }
    const [counts] = await db.execute<{ lines: number; dpas: number }[]>(
      "select (select count(*) from budget_line where apbd_id = ?)::int as lines, (select count(*) from dpa where apbd_id = ?)::int as dpas",
      [apbd.id, apbd.id],
    );
    const apbdMs = performance.now() - ta;

    const tb = performance.now();
    const rules = await methodRules(db);
    const lines = await db.execute<Line[]>(
      `select b.line_key, b.sub_activity_id, b.position, b.heading, b.account_code, b.description, b.amount::text as amount, b.funding_source
         from budget_line b join dpa d on d.apbd_id = b.apbd_id and d.opd_id = b.opd_id
        where b.apbd_id = ? and b.kind = 'belanja' and b.sub_activity_id is not null and (b.account_code like '5.1.02.%' or b.account_code like '5.2.%') and b.amount > 0
        order by b.sub_activity_id, b.position, b.line_key`,
      [apbd.id],
    );
    const subs = new Map(
      (
        await db.execute<Sub[]>(
          `select s.id, s.opd_id, o.code as opd_code, o.short_name as opd_short, s.name, s.sub_kegiatan_code as code, s.locations
             from sub_activity s join opd o on o.id = s.opd_id where s.tenant_code = ? and s.fiscal_year = ?`,
          [T, year],
        )
      ).map((s) => [s.id, s]),
    );
    const regionName = new Map(
      (await db.execute<{ code: string; name: string }[]>("select code, name from region where code like ? and level in (3, 4)", [`${T}.%`])).map((r) => [r.code, r.name]),
    );
    const title = (s: string) => s.toLowerCase().replace(/(^|[\s(])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
    const place = (code: string | undefined) => {
      if (!code) return "Kabupaten Bojonegoro";
      const desa = regionName.get(code);
      const kec = regionName.get(code.split(".").slice(0, 3).join("."));
      return desa && kec && code.split(".").length === 4 ? `Desa ${title(desa)} Kec. ${title(kec)}` : kec ? `Kec. ${title(kec)}` : "Kabupaten Bojonegoro";
    };
    const pokja = await db.execute<{ id: string; display_name: string }[]>(
      "select u.id, u.display_name from app_user u join role_assignment r on r.user_id = u.id where u.tenant_code = ? and r.role = 'pokja_member' and u.active order by u.username limit 2",
      [T],
    );
    if (pokja.length === 0) throw new Error("no Pokja member in the tenant: seed the demo first");

    // Lines per sub-activity (in DPA order, so that heading groups are contiguous).
    const bySub = new Map<string, Line[]>();
    for (const l of lines) {
      const xs = bySub.get(l.sub_activity_id);
      if (xs) xs.push(l);
      else bySub.set(l.sub_activity_id, [l]);
    }
    const subIds = [...bySub.keys()].filter((id) => subs.has(id));
    const rows = announcedTarget + DRAFTS + CANCELLED;
    const usable = subIds.reduce((a, id) => a + bySub.get(id)!.length, 0);
    if (usable < rows) throw new Error(`${usable} procurable DPA lines cannot carry ${rows} packages`);

    // Packages per sub-activity: proportional to its lines (largest remainder), at least one, at most one per line.
    const quota = subIds.map((id) => (rows * bySub.get(id)!.length) / usable);
    const k = quota.map((q, i) => Math.min(bySub.get(subIds[i])!.length, Math.max(1, Math.floor(q))));
    for (let left = rows - k.reduce((a, b) => a + b, 0), guard = 0; left !== 0 && guard < 10_000_000; guard++) {
      const i = Math.floor(rnd() * k.length);
      const n = bySub.get(subIds[i])!.length;
      if (left > 0 && k[i] < n && rnd() < quota[i] - Math.floor(quota[i]) + 0.2) {
        k[i]++;
        left--;
      } else if (left < 0 && k[i] > 1) {
        k[i]--;
        left++;
      }
    }

    // Each sub-activity's lines cut into k contiguous packages, preferably where the heading changes.
    const pkgs: Pkg[] = [];
    let linesSplit = 0;
    subIds.forEach((subId, si) => {
      const ls = bySub.get(subId)!;
      const sub = subs.get(subId)!;
      const gaps = ls.slice(1).map((l, g) => ({ g: g + 1, key: rnd() ** (1 / (l.heading !== ls[g].heading ? 6 : 1)) }));
      const cuts = gaps
        .sort((a, b) => b.key - a.key)
        .slice(0, k[si] - 1)
        .map((x) => x.g)
        .sort((a, b) => a - b);
      const bounds = [0, ...cuts, ls.length];
      let prev: Pkg | null = null;
      for (let c = 0; c + 1 < bounds.length; c++) {
        const chunk = ls.slice(bounds[c], bounds[c + 1]);
        const largest = chunk.reduce((m, l) => (toSen(l.amount) > toSen(m.amount) ? l : m), chunk[0]);
        const takes: Take[] = [];
        for (const l of chunk) {
          if (l !== largest && rnd() < 0.07) continue; // left unpackaged (or for a later package)
          const whole = toSen(l.amount);
          const part = rnd() < 0.15 ? shareOf(whole, between(4_000, 9_900)) : whole;
          takes.push({ line: l, sen: part > 0n ? part : whole });
        }
        // Sometimes the previous package's last line is split with this one (what both take adds up to the line).
        if (prev && rnd() < 0.06) {
          const last = prev.takes[prev.takes.length - 1];
          const whole = toSen(last.line.amount);
          const mine = shareOf(whole, between(2_000, 6_000));
          if (last.sen === whole && mine > 0n && mine < whole && !takes.some((t) => t.line === last.line)) {
            last.sen = whole - mine;
            takes.unshift({ line: last.line, sen: mine });
            linesSplit++;
          }
        }
        const p: Pkg = { id: uuid(), name: "", sub, takes, pagu: 0n, status: "announced", type: "penyedia", kind: "barang", method: "e_purchasing", umk: false, announcedDay: 0, selectionStart: null };
        pkgs.push(p);
        prev = p;
      }
    });
    for (const p of pkgs) p.pagu = p.takes.reduce((a, t) => a + t.sen, 0n);

    // Drafts and cancelled ones; then swakelola: honoraria, meetings, socialisation, consumption and the like first.
    const order = shuffle(pkgs.map((_, i) => i));
    for (const i of order.slice(0, DRAFTS)) pkgs[i].status = "draft";
    for (const i of order.slice(DRAFTS, DRAFTS + CANCELLED)) pkgs[i].status = "cancelled";
    const dominant = (p: Pkg) => p.takes.reduce((m, t) => (t.sen > m.sen ? t : m), p.takes[0]).line;
    const SWAKELOLA_HEADINGS = /Honorarium|Sosialisasi|Rapat Koordinasi|Konsumsi|Administrasi|Penunjang/;
    const swakelolaScore = (p: Pkg) => {
      const d = dominant(p);
      let s = rnd();
      if (SWAKELOLA_HEADINGS.test(d.heading)) s += 1.2;
      if (/^(Honorarium|Nasi|Snack|Kertas|Ballpoint)/.test(d.description)) s += 0.8;
      if (p.sub.opd_code.startsWith("7.01.")) s += 0.5; // kecamatan
      if (p.pagu > 20_000_000_000n) s -= 1; // above Rp200 jt
      return s;
    };
    const live = pkgs.filter((p) => p.status !== "draft");
    const ranked = live.map((p) => ({ p, s: swakelolaScore(p) })).sort((a, b) => b.s - a.s);
    const swakelolaShare = swakelolaTarget / announcedTarget;
    let swakelolaAnnounced = 0;
    for (const { p } of ranked) {
      if (p.status === "announced" && swakelolaAnnounced < swakelolaTarget) {
        p.type = "swakelola";
        swakelolaAnnounced++;
      }
    }
    for (const p of pkgs) if (p.status !== "announced" && rnd() < swakelolaShare) p.type = "swakelola";

    // Kind, method (judged against the rules in force on the planning date), and the reservation for small businesses.
    const kindOf = (p: Pkg): Kind => {
      const d = dominant(p);
      if (/^5\.2\.0[34]/.test(d.account_code) || /Pekerjaan Fisik/.test(d.heading)) {
        const r = rnd();
        return r < 0.06 ? "konsultansi" : r < 0.55 ? "konstruksi" : "barang"; // works, or the materials bought for them
      }
      if (/^Upah/.test(d.description) || /Tenaga Kerja/.test(d.heading)) return rnd() < 0.6 ? "konstruksi" : "jasa_lainnya";
      if (/^(Sewa|Servis)/.test(d.description) || /Sewa|Pemeliharaan/.test(d.heading)) return "jasa_lainnya";
      if (/^Honorarium/.test(d.description)) return rnd() < 0.4 ? "konsultansi" : "jasa_lainnya";
      if (/Bahan dan Material/.test(d.heading) && rnd() < 0.25) return "konstruksi";
      return "barang";
    };
    const JT = 100_000_000n; // Rp1 juta in sen
    const methodOf = (kind: Kind, pagu: bigint): Method => {
      const r = rnd();
      switch (kind) {
        case "konstruksi":
          return pagu <= 400n * JT ? (r < 0.8 ? "pengadaan_langsung" : r < 0.97 ? "e_purchasing" : "penunjukan_langsung") : r < 0.82 ? "tender" : r < 0.9 ? "tender_cepat" : "e_purchasing";
        case "barang":
          return pagu <= 200n * JT ? (r < 0.55 ? "e_purchasing" : r < 0.98 ? "pengadaan_langsung" : "penunjukan_langsung") : r < 0.55 ? "tender" : r < 0.65 ? "tender_cepat" : "e_purchasing";
        case "jasa_lainnya":
          return pagu <= 200n * JT ? (r < 0.7 ? "pengadaan_langsung" : r < 0.98 ? "e_purchasing" : "penunjukan_langsung") : r < 0.75 ? "tender" : r < 0.85 ? "tender_cepat" : "e_purchasing";
        case "konsultansi":
          return pagu <= 100n * JT ? (r < 0.9 ? "pengadaan_langsung" : "penunjukan_langsung") : "seleksi";
      }
    };
    const byMethod: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    for (const p of pkgs) {
      p.announcedDay = between(-30, 25);
      if (p.type === "swakelola") {
        p.kind = /Pekerjaan Fisik/.test(dominant(p).heading) ? "konstruksi" : rnd() < 0.7 ? "jasa_lainnya" : "barang";
        p.method = "swakelola";
      } else {
        p.kind = kindOf(p);
        p.method = methodOf(p.kind, p.pagu);
        p.umk = p.pagu <= 250_000n * JT && rnd() < (p.method === "pengadaan_langsung" ? 0.9 : 0.5);
        p.selectionStart = Math.min(250, p.announcedDay + between(3, 120));
      }
      try {
        judgeMethod(rules, { method: p.method, kind: p.kind, value: Money.idr(rupiah(p.pagu)), on: dateOf(p.announcedDay - 3) });
      } catch {
        p.method = "e_purchasing"; // allowed for every kind and value
      }
    }
    // Enough competitive packages for the tenders (and a tenth more, announced but not yet put out): the
    // largest other provider packages whose value allows a tender (or seleksi) become one.
    const COMPETITIVE = new Set<Method>(["tender", "tender_cepat", "seleksi"]);
    const needed = Math.ceil((tenderTarget - RETENDERS) * 1.1) + 1;
    let have = pkgs.filter((p) => p.status === "announced" && COMPETITIVE.has(p.method)).length;
    for (const p of pkgs.filter((x) => x.status === "announced" && x.type === "penyedia" && !COMPETITIVE.has(x.method)).sort((x, y) => (y.pagu > x.pagu ? 1 : y.pagu < x.pagu ? -1 : 0))) {
      if (have >= needed) break;
      const m: Method = p.kind === "konsultansi" ? "seleksi" : "tender";
      try {
        judgeMethod(rules, { method: m, kind: p.kind, value: Money.idr(rupiah(p.pagu)), on: dateOf(p.announcedDay - 3) });
        p.method = m;
        have++;
      } catch {
        /* below the tender threshold for its kind */
      }
    }
    for (const p of pkgs)
      if (p.status === "announced") {
        byMethod[p.method] = (byMethod[p.method] ?? 0) + 1;
        byKind[`${p.type === "swakelola" ? "swakelola " : ""}${p.kind}`] = (byKind[`${p.type === "swakelola" ? "swakelola " : ""}${p.kind}`] ?? 0) + 1;
      }

    // Competitive selections on packages picked at random; one tender package spared for a benchmark to run its own.
    const competitive = shuffle(pkgs.filter((p) => p.status === "announced" && COMPETITIVE.has(p.method)));
    const spare = competitive.find((p) => p.method === "tender" && !p.umk && p.kind !== "konsultansi");
    if (!spare) throw new Error("no tender package to spare for the benchmark");
    spare.spare = true;
    const withTender = competitive.filter((p) => !p.spare).slice(0, tenderTarget - RETENDERS);
    if (withTender.length + RETENDERS < tenderTarget) throw new Error(`only ${competitive.length} competitive packages for ${tenderTarget} tenders`);
    const direct = shuffle(pkgs.filter((p) => p.status === "announced" && (p.method === "pengadaan_langsung" || p.method === "penunjukan_langsung")));
    const orders = shuffle(pkgs.filter((p) => p.status === "announced" && p.method === "e_purchasing"));

    // Vendors: five blacklisted since the year before (never bidding), the others bidding.
    const vendors: Record<string, unknown>[] = [];
    const names = new Set<string>();
    interface V {
      id: string;
      npwp: string;
      name: string;
      small: boolean;
    }
    const vlist: V[] = [];
    for (let i = 0; i < vendorCount; i++) {
      const small = rnd() < 0.7;
      let name = "";
      do name = `${small ? (rnd() < 0.8 ? "CV" : "UD") : "PT"} ${pick(VENDOR_WORDS)} ${pick(VENDOR_WORDS)}${names.size > 300 && rnd() < 0.5 ? ` ${pick(VENDOR_WORDS)}` : ""}`;
      while (names.has(name) || name.split(" ")[1] === name.split(" ")[2]);
      names.add(name);
      const npwp = `09${String(i + 1).padStart(6, "0")}${between(1, 9)}${String(between(600, 659))}000`;
      const kinds = [pick(Object.keys(KBLI) as Kind[])];
      if (rnd() < 0.4) kinds.push(pick(Object.keys(KBLI) as Kind[]));
      const v: V = { id: uuid(), npwp, name, small };
      vlist.push(v);
      const bank = pick(BANKS);
      const registered = wib(-between(40, 400), 10, between(0, 59)).toISOString();
      vendors.push({
        id: v.id,
        npwp,
        nib: `91${String(between(10_000_000, 99_999_999))}${String(i).padStart(3, "0")}`,
        name,
        address: `${pick(STREETS)} ${between(1, 180)}, ${pick(TOWNS)}`,
        bank_name: bank,
        bank_account: String(between(1_000_000, 9_999_999)) + String(between(100, 99_999)),
        bank_holder: name,
        qualification: small ? "kecil" : "non_kecil",
        kbli: [...new Set(kinds.flatMap((k) => [pick(KBLI[k]), pick(KBLI[k])]))],
        created_at: registered,
        updated_at: registered,
      });
    }
    const blacklisted = vlist.slice(0, 5);
    const sanctions = blacklisted.map((v, i) => ({
      id: uuid(),
      vendor_id: v.id,
      starts_on: dateOf(-between(120, 300)),
      ends_on: dateOf(between(200, 500)),
      reason: `Pemutusan kontrak tahun ${year - 2} karena keterlambatan melebihi 50 hari kalender (data benchmark ${i + 1})`,
      legal_basis: `Keputusan PA Nomor 600/${between(10, 99)}/412.${between(100, 300)}/${year - 1} (data benchmark)`,
      contract_id: null,
      recorded_at: wib(-between(100, 120), 10).toISOString(),
      recorded_by: "Pokja UKPBJ (data benchmark)",
    }));
    const clean = vlist.slice(5);
    const smalls = clean.filter((v) => v.small);
    const vendorsFor = (p: Pkg, n: number): V[] => {
      const pool = p.umk ? smalls : clean;
      const chosen = new Set<V>();
      while (chosen.size < Math.min(n, pool.length)) chosen.add(pick(pool));
      return [...chosen];
    };

    // Kode RUP in order of announcement (from the sequence, below).
    const announcedOrder = pkgs.filter((p) => p.status !== "draft").sort((a, b) => a.announcedDay - b.announcedDay || (a.id < b.id ? -1 : 1));

    // Rows.
    const pkgRows: Record<string, unknown>[] = [];
    const budgetRows: Record<string, unknown>[] = [];
    const locRows: Record<string, unknown>[] = [];
    const tenderRows: Record<string, unknown>[] = [];
    const stageRows: Record<string, unknown>[] = [];
    const pokjaRows: Record<string, unknown>[] = [];
    const questionRows: Record<string, unknown>[] = [];
    const addendumRows: Record<string, unknown>[] = [];
    const bidRows: Record<string, unknown>[] = [];
    const sanggahRows: Record<string, unknown>[] = [];
    const contractRows: Record<string, unknown>[] = [];
    const amendmentRows: Record<string, unknown>[] = [];
    const termRows: Record<string, unknown>[] = [];
    const events: { package_id: string; type: string; at: string; payload: unknown }[] = [];
    const tenderStatus: Record<string, number> = {};
    const contractStatus: Record<string, number> = {};
    let sealMs = 0;
    let sealedBytes = 0;
    let openedBids = 0;
    let sealedBids = 0;
    let contractValue = 0n;
    const event = (p: Pkg, type: string, at: Date, payload: Record<string, unknown>) => events.push({ package_id: p.id, type, at: iso(at), payload });
    const ppkOf = new Map<string, string>();
    const ppk = (p: Pkg) => {
      const key = `${p.sub.opd_id}:${p.sub.id.charCodeAt(0) % 3}`;
      if (!ppkOf.has(key)) ppkOf.set(key, `${pick(FIRST)} ${pick(LAST)}${pick(TITLES)}`);
      return ppkOf.get(key)!;
    };


    // The sequences' ranges (nextval is not transactional): kode RUP in order of announcement, selection codes.
    const [{ kb }] = await db.execute<{ kb: string }[]>("select nextval('proc_package_kode_rup_seq')::text as kb");
    await db.execute("select setval('proc_package_kode_rup_seq', ?::bigint)", [String(BigInt(kb) + BigInt(announcedOrder.length) - 1n)]);
    const [{ tc }] = await db.execute<{ tc: string }[]>("select nextval('tender_code_seq')::text as tc");
    await db.execute("select setval('tender_code_seq', ?::bigint)", [String(BigInt(tc) + BigInt(tenderTarget + direct.length) - 1n)]);
    announcedOrder.forEach((p, i) => (p.kode = BigInt(kb) + BigInt(i)));
    let tenderSeq = BigInt(tc);
    const numbers = { sppbj: 0, contract: 0 };

    const packageName = (p: Pkg) => {
      const d = dominant(p);
      const items = [...new Set(p.takes.map((t) => t.line.description.replace(/\s*\(baru\)$/, "")))];
      const things = items.length > 2 ? `${items.slice(0, 2).join(", ")} dan lainnya` : items.join(" dan ");
      if (p.type === "swakelola") return `${d.heading || "Pelaksanaan Kegiatan"} — ${p.sub.name}`.slice(0, 250);
      switch (p.kind) {
        case "konstruksi":
          return `${pick(BUILD_VERBS)} ${pick(BUILD_OBJECTS)} ${place(p.sub.locations[0])}`;
        case "konsultansi":
          return `Jasa Konsultansi ${pick(["Perencanaan", "Pengawasan", "Kajian"])} ${p.sub.name}`.slice(0, 250);
        case "jasa_lainnya":
          return `Jasa ${things} untuk ${p.sub.name}`.slice(0, 250);
        default:
          return `Pengadaan ${things} — ${p.sub.name}`.slice(0, 250);
      }
    };

    // Packages: rows, budget, locations, the PackagePlanned (and PackageCancelled) events.
    for (const p of pkgs) {
      p.name = packageName(p);
      const planned = p.announcedDay - between(1, 12);
      const announcedAt = wib(p.announcedDay, 9, between(0, 300));
      const selEnd = p.selectionStart === null ? null : p.selectionStart + (COMPETITIVE.has(p.method) ? between(35, 60) : between(7, 20));
      const execStart = selEnd === null ? Math.min(300, p.announcedDay + between(10, 150)) : selEnd + between(3, 14);
      const execEnd = Math.min(360, execStart + between(30, 180));
      const cancelledAt = wib(p.announcedDay + 20, 11);
      const cancelReason = "Kegiatan digabung dengan paket lain pada sub kegiatan yang sama (data benchmark)";
      pkgRows.push({
        id: p.id,
        opd_id: p.sub.opd_id,
        sub_activity_id: p.sub.id,
        kode_rup: p.kode === undefined ? null : String(p.kode),
        name: p.name,
        description: `${p.takes.length} rincian belanja sub kegiatan ${p.sub.code}: ${[...new Set(p.takes.map((t) => t.line.description))].slice(0, 4).join(", ")}`.slice(0, 400),
        volume: p.kind === "konstruksi" && p.type === "penyedia" ? `${between(1, 30) * 50} m` : "1 paket",
        type: p.type,
        kind: p.kind,
        method: p.method,
        swakelola_type: p.type === "swakelola" ? (rnd() < 0.85 ? 1 : between(2, 4)) : null,
        pagu: rupiah(p.pagu),
        pdn: rnd() < 0.95,
        umk: p.umk,
        planned_on: dateOf(planned),
        selection_start: p.selectionStart === null ? null : dateOf(p.selectionStart),
        selection_end: selEnd === null ? null : dateOf(selEnd),
        execution_start: dateOf(execStart),
        execution_end: dateOf(execEnd),
        ppk_name: ppk(p),
        status: p.status,
        announced_at: p.status === "draft" ? null : iso(announcedAt),
        cancel_reason: p.status === "cancelled" ? cancelReason : "",
        version: p.status === "draft" ? 1 : p.status === "cancelled" ? 3 : 2,
        created_at: iso(wib(planned, 10)),
        updated_at: iso(p.status === "cancelled" ? cancelledAt : p.status === "draft" ? wib(planned, 10) : announcedAt),
      });
      for (const t of p.takes) budgetRows.push({ package_id: p.id, line_key: t.line.line_key, amount: rupiah(t.sen) });
      const codes = [...new Set(p.sub.locations.slice(0, between(1, 3)))];
      if (codes.length === 0 || (p.type === "swakelola" && rnd() < 0.3)) codes.splice(0, codes.length, T);
      for (const c of codes)
        locRows.push({ package_id: p.id, region_code: c, detail: c.split(".").length === 4 && rnd() < 0.5 ? pick(["Dusun Krajan", "RT 02 RW 01", "Ruas jalan desa", "Balai desa", "Lingkungan sekolah"]) : "" });
      if (p.status === "draft") continue;
      event(p, "PackagePlanned", announcedAt, {
        kodeRup: String(p.kode),
        name: p.name,
        pagu: rupiah(p.pagu),
        method: p.method,
        kind: p.kind,
        type: p.type,
        year,
        opd: p.sub.opd_code,
        lines: p.takes.map((t) => ({ lineKey: t.line.line_key, amount: rupiah(t.sen), account: t.line.account_code, subKegiatan: p.sub.code })),
      });
      if (p.status === "cancelled") event(p, "PackageCancelled", cancelledAt, { reason: cancelReason, kodeRup: String(p.kode) });
    }

    // Selections.
    const tenderOf = (p: Pkg, attempt: number, status: string, d0: number): Tender => ({ id: uuid(), pkg: p, attempt, status, code: tenderSeq++, hps: shareOf(p.pagu, between(9_500, 10_000)), d0 });
    const schedule = (t: Tender) => {
      const m = t.pkg.method;
      const d = t.d0;
      const construction = t.pkg.kind === "konstruksi";
      const s: [string, Date, Date][] =
        m === "tender_cepat"
          ? [
              ["pengumuman", wib(d, 8), wib(d + 2, 23, 59)],
              ["upload_penawaran", wib(d, 8), wib(d + 4, 10)],
              ["pembukaan", wib(d + 4, 11), wib(d + 4, 12)],
              ["evaluasi", wib(d + 4, 12), wib(d + 5, 16)],
              ["pengumuman_pemenang", wib(d + 6, 8), wib(d + 6, 16)],
              ["sppbj", wib(d + 7, 8), wib(d + 8, 16)],
            ]
          : COMPETITIVE.has(m)
            ? [
                ["pengumuman", wib(d, 8), wib(d + 7, 23, 59)],
                ["download_dokumen", wib(d, 8), wib(d + 14, 9, 59)],
                ["aanwijzing", wib(d + 2, 9), wib(d + 2, 12)],
                ["upload_penawaran", wib(d + 3, 8), wib(d + 14, 10)],
                ["pembukaan", wib(d + 14, 11), wib(d + 14, 15)],
                ["evaluasi", wib(d + 14, 15), wib(d + 17, 16)],
                ["pengumuman_pemenang", wib(d + 18, 8), wib(d + 18, 16)],
                ["sanggah", wib(d + 18, 16), wib(d + 23, 16)],
                ...(construction ? ([["sanggah_banding", wib(d + 24, 8), wib(d + 29, 16)]] as [string, Date, Date][]) : []),
                ["sppbj", wib(d + (construction ? 30 : 25), 8), wib(d + (construction ? 31 : 26), 16)],
              ]
            : [
                ["undangan", wib(d, 9), wib(d, 16)],
                ["upload_penawaran", wib(d, 9), wib(d + 3, 10)],
                ["pembukaan", wib(d + 3, 11), wib(d + 3, 12)],
                ["negosiasi", wib(d + 3, 13), wib(d + 4, 16)],
                ["sppbj", wib(d + 5, 8), wib(d + 5, 16)],
              ];
      const stages = stagesOf(m);
      return s.map(([stage, a, b]) => ({ stage, position: stages.indexOf(stage), startsAt: a, endsAt: b }));
    };
    /** The day (from 1 January) of the SPPBJ stage. */
    const sppbjDayOf = (t: Tender) => t.d0 + (t.pkg.method === "tender_cepat" ? 7 : COMPETITIVE.has(t.pkg.method) ? (t.pkg.kind === "konstruksi" ? 30 : 25) : 5);
    const stageAt = (st: ReturnType<typeof schedule>, name: string) => st.find((x) => x.stage === name)!;

    interface BidOut {
      id: string;
      v: V;
      price: bigint;
      corrected: bigint;
      pass: boolean;
      score: InstanceType<typeof D> | null;
      techScore: string | null;
      rank: number | null;
      total: string | null;
    }
    /** The bid's contents sealed as submitBid seals them: price, note and one document (a short letter). */
    const sealBid = (t: Tender, v: V, bidId: string, price: bigint, note: string) => {
      const letter = Buffer.from(`Surat penawaran "${t.pkg.name}" dari ${v.name} (NPWP ${v.npwp}): harga penawaran Rp${rupiah(price)}. `.padEnd(400, "."));
      const s0 = performance.now();
      const sealed = seal(
        { tenderId: t.id, vendorId: v.id, bidId },
        { price: rupiah(price), note, documents: [{ name: "surat-penawaran.pdf", type: "application/pdf", size: letter.length, sha256: sha256(letter), data: letter.toString("base64") }] },
      );
      sealMs += performance.now() - s0;
      sealedBytes += sealed.length;
      return sealed;
    };
    const LIVE = ["winner_announced", "sppbj", "contracted"];

    /** Writes a selection: its row, schedule, Pokja, bids (opened and evaluated as far as its status has come), questions, addenda, sanggah and events. Returns the winning bid. */
    const writeTender = (t: Tender, nBids: number): BidOut | null => {
      const p = t.pkg;
      const competitiveSel = COMPETITIVE.has(p.method);
      const st = schedule(t);
      const announcedAt = st[0].startsAt;
      const deadline = stageAt(st, "upload_penawaran").endsAt;
      const opening = stageAt(st, "pembukaan").startsAt;
      const opened = t.status !== "announced";
      const openedAt = new Date(opening.getTime() + between(2, 40) * 60_000);
      const evaluation = p.kind === "konsultansi" && competitiveSel ? "kualitas_biaya" : "harga_terendah";
      const weight = evaluation === "kualitas_biaya" ? pick(["70", "75", "80"]) : null;
      const qualification = p.method === "seleksi" && rnd() < 0.5 ? "pra" : "pasca";
      const ref = `${p.sub.opd_short.replace(/[^A-Za-z]/g, "").toUpperCase() || "OPD"}/${year}/${String(t.code).slice(-5)}`;
      const documents = competitiveSel
        ? [
            { title: `Dokumen Pemilihan ${p.method === "seleksi" ? "Seleksi Jasa Konsultansi" : p.kind === "konstruksi" ? "Tender Pekerjaan Konstruksi" : "Tender"}`, ref: `DP/${ref}` },
            ...(rnd() < 0.6 ? [{ title: "Spesifikasi Teknis dan Gambar", ref: `SPEK/${ref}` }] : []),
          ]
        : [{ title: "Undangan dan spesifikasi teknis pengadaan langsung", ref: `PL/${ref}` }];
      for (const s of st) stageRows.push({ tender_id: t.id, stage: s.stage, position: s.position, starts_at: iso(s.startsAt), ends_at: iso(s.endsAt) });
      const members = competitiveSel ? pokja : pokja.slice(-1);
      for (const m of members) pokjaRows.push({ tender_id: t.id, user_id: m.id, name: m.display_name, pakta_signed_at: opened ? iso(new Date(openedAt.getTime() + between(10, 90) * 60_000)) : null });
      const invited = competitiveSel ? null : vendorsFor(p, 1)[0];
      const bidders = invited ? [invited] : vendorsFor(p, nBids);
      // Prices around the HPS (a few above it); offers in a direct selection a little below it, then negotiated.
      const bids: BidOut[] = bidders.map((v) => {
        const price = competitiveSel ? shareOf(t.hps, between(7_800, 10_250), 100n) : shareOf(t.hps, between(9_500, 9_990), 100n);
        const corrected = !competitiveSel ? shareOf(price, between(9_600, 9_950), 100n) : rnd() < 0.12 ? price + shareOf(price, between(-50, 50), 100n) : price;
        return { id: uuid(), v, price, corrected: corrected > 0n ? corrected : price, pass: false, score: null, techScore: null, rank: null, total: null };
      });
      // The evaluation, as far as the status has come (part of the bids while it is still "opened").
      const evaluated = opened && t.status !== "opened" ? bids.length : opened ? between(0, bids.length - 1) : 0;
      const failing = t.status === "failed";
      const reasons = new Map<BidOut, string>();
      const flags = new Map<BidOut, { admin: boolean; tech: boolean; qual: boolean; price: boolean }>();
      bids.forEach((b, i) => {
        if (i >= evaluated) return;
        const pricePass = b.corrected <= t.hps;
        const admin = !competitiveSel || rnd() < 0.93;
        let tech = !competitiveSel || (admin && rnd() < 0.86);
        let qual = !competitiveSel || (tech && rnd() < 0.9);
        if (failing && admin && tech && qual && pricePass) tech = qual = false; // a failed tender: no bid passed
        const why = [!admin ? pick(FAIL_REASONS.admin) : !tech ? pick(FAIL_REASONS.tech) : !qual ? pick(FAIL_REASONS.qual) : !competitiveSel ? "Harga hasil negosiasi." : b.corrected !== b.price ? "Koreksi aritmatik: volume × harga satuan." : ""].filter(Boolean);
        if (!pricePass) why.push(`Harga terkoreksi Rp${rupiah(b.corrected)} melebihi HPS Rp${rupiah(t.hps)}`);
        b.pass = admin && tech && qual && pricePass;
        flags.set(b, { admin, tech, qual, price: pricePass });
        reasons.set(b, why.join("; "));
        if (evaluation === "kualitas_biaya") b.techScore = `${between(60, 94)}.${String(between(0, 99)).padStart(2, "0")}`;
      });
      // A selection that goes on has a passing bid.
      const ranked = ["evaluated", ...LIVE].includes(t.status);
      if (ranked && !bids.some((b) => b.pass)) {
        const b = bids.find((x) => x.corrected <= t.hps) ?? bids[0];
        if (b.corrected > t.hps) b.corrected = t.hps;
        b.pass = true;
        flags.set(b, { admin: true, tech: true, qual: true, price: true });
        reasons.set(b, b.corrected !== b.price ? "Koreksi aritmatik: volume × harga satuan." : "");
      }
      // Ranks as concludeEvaluation computes them.
      let winner: BidOut | null = null;
      if (ranked) {
        const passing = bids.filter((b) => b.pass);
        const lowest = passing.reduce((m, b) => (b.corrected < m ? b.corrected : m), passing[0].corrected);
        for (const b of passing)
          b.score =
            evaluation === "kualitas_biaya"
              ? new D(weight!).div(100).times(b.techScore!).plus(new D(1).minus(new D(weight!).div(100)).times(new D(rupiah(lowest)).div(rupiah(b.corrected)).times(100)))
              : new D(0).minus(rupiah(b.corrected));
        passing.sort((x, y) => y.score!.comparedTo(x.score!) || (x.corrected < y.corrected ? -1 : x.corrected > y.corrected ? 1 : 0));
        passing.forEach((b, i) => {
          b.rank = i + 1;
          b.total = evaluation === "kualitas_biaya" ? b.score!.toDecimalPlaces(4).toFixed(4) : null;
        });
        winner = passing[0];
      }
      const winnerAt = stageAt(st, competitiveSel ? "pengumuman_pemenang" : "negosiasi").endsAt;
      const sanggahUntil = LIVE.includes(t.status) && (p.method === "tender" || p.method === "seleksi") ? new Date(winnerAt.getTime() + 5 * DAY) : null;
      const failedAt = new Date(stageAt(st, competitiveSel ? "evaluasi" : "negosiasi").endsAt.getTime() + 2 * DAY);
      const failure = "Tidak ada penawaran yang lulus evaluasi (data benchmark)";
      tenderRows.push({
        id: t.id,
        package_id: p.id,
        attempt: t.attempt,
        method: p.method,
        status: t.status,
        code: String(t.code),
        hps: rupiah(t.hps),
        evaluation_method: evaluation,
        technical_weight: weight,
        qualification,
        requirements: competitiveSel
          ? `${p.kind === "konstruksi" ? "SBU sesuai subklasifikasi pekerjaan" : "NIB dengan KBLI yang sesuai"}; pengalaman pekerjaan sejenis dalam 4 tahun terakhir; ${p.umk ? "usaha kecil" : "kualifikasi usaha non-kecil"}.`
          : "NIB dengan KBLI yang sesuai; NPWP dan bukti lapor pajak tahun terakhir.",
        documents,
        bid_deadline: iso(deadline),
        opening_at: iso(opening),
        sanggah_until: sanggahUntil ? iso(sanggahUntil) : null,
        winner_bid_id: LIVE.includes(t.status) ? winner!.id : null,
        invited_vendor_id: invited?.id ?? null,
        failure_reason: failing ? failure : "",
        opened_at: opened ? iso(openedAt) : null,
        announced_at: iso(announcedAt),
        version: 3 + (opened ? 1 + bids.length : 0) + (ranked ? 1 : 0) + (LIVE.includes(t.status) ? 1 : 0),
        created_at: iso(new Date(announcedAt.getTime() - between(1, 5) * DAY)),
        updated_at: iso(failing ? failedAt : LIVE.includes(t.status) ? winnerAt : opened ? openedAt : announcedAt),
      });
      const key = `${competitiveSel ? "" : "direct "}${t.status}`;
      tenderStatus[key] = (tenderStatus[key] ?? 0) + 1;
      event(p, "TenderAnnounced", announcedAt, {
        tender: t.id,
        code: String(t.code),
        attempt: t.attempt,
        method: p.method,
        hps: rupiah(t.hps),
        evaluationMethod: evaluation,
        qualification,
        documents,
        bidDeadline: iso(deadline),
        schedule: st.map((s) => ({ stage: s.stage, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) })),
        event: competitiveSel ? "TenderAnnounced" : "InvitationSent",
      });
      // Questions in the aanwijzing (not in tender cepat), and an addendum now and then.
      if (competitiveSel && p.method !== "tender_cepat" && rnd() < 0.25) {
        const aan = stageAt(st, "aanwijzing");
        for (let q = 0, n = between(1, 3); q < n; q++) {
          const [question, answer] = pick(QUESTIONS);
          questionRows.push({
            id: uuid(),
            tender_id: t.id,
            vendor_id: pick(bidders).id,
            question,
            asked_at: iso(new Date(aan.startsAt.getTime() - between(60, 2_000) * 60_000)),
            answer,
            answered_at: iso(new Date(aan.startsAt.getTime() + between(10, 170) * 60_000)),
            answered_by: pokja[0].display_name,
          });
        }
      }
      if (competitiveSel && rnd() < 0.08) {
        const at = new Date(announcedAt.getTime() + between(2, 5) * DAY);
        const description = pick(["Perubahan spesifikasi teknis pada daftar kuantitas dan harga", "Penambahan persyaratan personel manajerial", "Ralat volume pekerjaan pada rencana anggaran biaya"]);
        addendumRows.push({ tender_id: t.id, no: 1, description, old_deadline: iso(deadline), new_deadline: null, created_at: iso(at), created_by: pokja[0].display_name });
        event(p, "TenderAmended", at, { tender: t.id, code: String(t.code), hps: rupiah(t.hps), bidDeadline: iso(deadline), addendum: { no: 1, description, oldDeadline: iso(deadline), newDeadline: null } });
      }
      // The bids: sealed at submission; the clear price only once opened.
      const upload = stageAt(st, "upload_penawaran");
      const evalStart = stageAt(st, competitiveSel ? "evaluasi" : "negosiasi").startsAt.getTime();
      bids.forEach((b, i) => {
        const submitted = new Date(upload.startsAt.getTime() + Math.floor(rnd() * (upload.endsAt.getTime() - upload.startsAt.getTime() - 60_000)));
        const f = flags.get(b);
        const sealed = sealBid(t, b.v, b.id, b.price, competitiveSel ? "Penawaran harga dan dokumen teknis terlampir (data benchmark)." : "Penawaran atas undangan pengadaan langsung (data benchmark).");
        if (opened) openedBids++;
        else sealedBids++;
        bidRows.push({
          id: b.id,
          tender_id: t.id,
          vendor_id: b.v.id,
          status: opened ? "opened" : "sealed",
          sealed: sealed.toString("base64"),
          sealed_sha256: sha256(sealed),
          submitted_at: iso(submitted),
          price: opened ? rupiah(b.price) : null,
          corrected_price: opened ? rupiah(f ? b.corrected : b.price) : null,
          admin_pass: f ? f.admin : null,
          tech_pass: f ? f.tech : null,
          tech_score: f ? b.techScore : null,
          price_pass: f ? f.price : null,
          qual_pass: f ? f.qual : null,
          reason: reasons.get(b) ?? "",
          total_score: b.total,
          rank: b.rank,
          evaluated_at: f ? iso(new Date(evalStart + (i + 1) * between(5, 25) * 60_000)) : null,
          version: opened ? (f ? 3 : 2) : 1,
        });
      });
      if (opened) event(p, "TenderOpened", openedAt, { tender: t.id, code: String(t.code), bids: bids.map((b) => ({ bid: b.id, vendor: b.v.id, name: b.v.name, npwp: b.v.npwp, price: rupiah(b.price) })) });
      if (failing) event(p, "TenderFailed", failedAt, { tender: t.id, code: String(t.code), reason: failure });
      if (winner && LIVE.includes(t.status)) {
        event(p, "WinnerAnnounced", winnerAt, { tender: t.id, code: String(t.code), bid: winner.id, vendor: winner.v.id, name: winner.v.name, npwp: winner.v.npwp, value: rupiah(winner.corrected), sanggahUntil: sanggahUntil ? iso(sanggahUntil) : null });
        const loser = bids.find((b) => b !== winner && flags.get(b));
        if (sanggahUntil && loser && rnd() < 0.07) {
          const filed = new Date(winnerAt.getTime() + between(1, 3) * DAY);
          sanggahRows.push({
            id: uuid(),
            tender_id: t.id,
            vendor_id: loser.v.id,
            kind: "sanggah",
            text: "Kami keberatan atas hasil evaluasi: persyaratan yang dinilai tidak terpenuhi tercantum pada dokumen penawaran kami (data benchmark).",
            submitted_at: iso(filed),
            answer: "Dokumen yang dimaksud tidak memuat hal yang dipersyaratkan; hasil evaluasi tetap. Sanggahan tidak diterima (data benchmark).",
            upheld: false,
            answered_at: iso(new Date(filed.getTime() + DAY)),
            answered_by: pokja[0].display_name,
          });
        }
      }
      return winner;
    };

    /** A contract: from a selection's winner (SPPBJ, then signed), or an e-purchasing order (surat pesanan) accepted by its vendor. */
    const writeContract = (p: Pkg, from: { t: Tender; winner: BidOut } | null, orderVendor: V | null, status: string) => {
      const id = uuid();
      const v = from ? from.winner.v : orderVendor!;
      const value = from ? from.winner.corrected : shareOf(p.pagu, between(9_000, 10_000), 100n);
      const sppbjDay = from ? sppbjDayOf(from.t) : Math.min(330, p.selectionStart! + between(0, 10));
      const directSel = !!from && !COMPETITIVE.has(p.method);
      const tendered = !!from && !directSel;
      const signed = status !== "sppbj" && status !== "cancelled";
      const signedDay = from ? sppbjDay + between(2, 10) : sppbjDay + between(1, 4);
      const start = signedDay + 1;
      // 140 days or more (20 weekly progress periods at least: e-Monev's scale, tests/bench/generate-monev.ts), up to
      // 260; every contract starts by day 211 (selections start by day 145, a retender 25 days later, SPPBJ and
      // signing within 40 more), so the cap at day 355 never cuts one below 140 days.
      const end = Math.min(355, start + between(140, 260));
      const type = p.kind === "konstruksi" ? (directSel ? "lump_sum" : "harga_satuan") : from ? "lump_sum" : "harga_satuan";
      const opdNo = `412.${p.sub.opd_code.split(".").slice(0, 2).join("")}`;
      numbers.sppbj++;
      const sppbj = from ? `027/${numbers.sppbj}/${directSel ? "SPPBJ-PL" : "SPPBJ"}/${opdNo}/${year}` : `SP/EP-${year}/${String(numbers.sppbj).padStart(5, "0")}`;
      numbers.contract++;
      const number = signed ? (from ? `600/${numbers.contract}/${directSel ? "SPK" : "KONTRAK"}/${opdNo}/${year}` : sppbj) : null;
      const created = wib(sppbjDay, 9, between(0, 59));
      // Amendments: added work up to +10 % of the original value and never above the pagu, or more time.
      let current = value;
      let endNow = end;
      let amendments = 0;
      if ((status === "signed" || status === "completed") && from && rnd() < (directSel ? 0.04 : 0.12)) {
        const cap = value + shareOf(value, 1_000, 1n) < p.pagu ? value + shareOf(value, 1_000, 1n) : p.pagu;
        for (let no = 1, n = rnd() < 0.25 ? 2 : 1; no <= n; no++) {
          const signedOn = Math.min(endNow - 1, start + between(20, Math.max(21, endNow - start - 5)));
          const what = rnd();
          const more = shareOf(value, between(100, 900), 100n);
          const after = what < 0.6 ? (current + more <= cap ? current + more : cap) : current;
          const endAfter = what >= 0.4 ? Math.min(364, endNow + between(14, 60)) : endNow;
          const reason = what < 0.4 ? "Pekerjaan tambah (CCO) hasil pengukuran bersama di lapangan" : what < 0.6 ? "Pekerjaan tambah dan perpanjangan waktu karena cuaca" : "Perpanjangan waktu pelaksanaan karena keadaan kahar (banjir)";
          const scope = what < 0.6 ? "Penambahan volume pekerjaan utama" : "";
          amendmentRows.push({ contract_id: id, no, reason, value_before: rupiah(current), value_after: rupiah(after), end_before: dateOf(endNow), end_after: dateOf(endAfter), scope, signed_on: dateOf(signedOn), created_at: iso(wib(signedOn, 14)), created_by: ppk(p) });
          event(p, "ContractAmended", wib(signedOn, 14), { contract: id, no, reason, signedOn: dateOf(signedOn), valueBefore: rupiah(current), valueAfter: rupiah(after), endBefore: dateOf(endNow), endAfter: dateOf(endAfter), scope });
          current = after;
          endNow = endAfter;
          amendments++;
        }
      }
      // Payment terms adding up to the value signed: three for a tender's contract, one otherwise (half of the orders).
      const terms: bigint[] = signed && tendered ? [shareOf(value, 3_000, 1n), shareOf(value, 4_000, 1n)] : [];
      if (signed && (from || rnd() < 0.5)) terms.push(value - terms.reduce((a, b) => a + b, 0n));
      terms.forEach((amount, i) =>
        termRows.push({
          contract_id: id,
          no: i + 1,
          description: terms.length === 1 ? "Pembayaran sekaligus setelah serah terima (100%)" : ["Termin I: prestasi pekerjaan 30%", "Termin II: prestasi pekerjaan 70%", "Termin III: serah terima pertama (PHO) 100%"][i],
          progress_percent: terms.length === 1 ? "100" : ["30", "70", "100"][i],
          amount: rupiah(amount),
        }),
      );
      const terminated = status === "terminated";
      const endedDay = Math.min(364, signedDay + between(40, 150));
      contractRows.push({
        id,
        package_id: p.id,
        tender_id: from?.t.id ?? null,
        vendor_id: v.id,
        sppbj_number: sppbj,
        sppbj_date: dateOf(sppbjDay),
        number,
        signed_on: signed ? dateOf(signedDay) : null,
        type,
        original_value: rupiah(value),
        value: rupiah(current),
        start_date: signed || !from ? dateOf(start) : null,
        end_date: signed || !from ? dateOf(endNow) : null,
        performance_bond: signed && tendered ? rupiah(shareOf(value, 500, 100n)) : null,
        spmk_number: signed && tendered ? `027/${numbers.contract}/SPMK/${opdNo}/${year}` : null,
        spmk_date: signed && tendered ? dateOf(start) : null,
        status,
        catalogue_ref: from ? "" : `${pick(["KATALOG-LKPP", "KATALOG-LOKAL-3522"])}-${between(100_000, 999_999)} — ${dominant(p).description} × ${between(1, 400)}`,
        termination_reason: terminated ? "Penyedia tidak melanjutkan pekerjaan setelah teguran ketiga; kontrak diputus (data benchmark)" : status === "cancelled" ? "Penyedia menolak pesanan: stok tidak tersedia (data benchmark)" : "",
        version: signed ? 2 + amendments + (terminated ? 1 : 0) : status === "cancelled" ? 2 : 1,
        created_at: iso(created),
        updated_at: iso(wib(status === "completed" || terminated ? endedDay : signed ? signedDay : sppbjDay, 10)),
      });
      contractStatus[status] = (contractStatus[status] ?? 0) + 1;
      if (status !== "cancelled") contractValue += current;
      event(
        p,
        "Awarded",
        created,
        from
          ? { tender: from.t.id, code: String(from.t.code), contract: id, sppbj, date: dateOf(sppbjDay), vendor: v.id, name: v.name, npwp: v.npwp, value: rupiah(value) }
          : { contract: id, order: sppbj, date: dateOf(sppbjDay), vendor: v.id, name: v.name, npwp: v.npwp, value: rupiah(value) },
      );
      if (signed)
        event(p, "ContractSigned", wib(signedDay, 10), { contract: id, number, signedOn: dateOf(signedDay), type, value: rupiah(value), vendor: v.id, name: v.name, startDate: dateOf(start), endDate: dateOf(end), terms: terms.length, ...(from ? {} : { epurchasing: true }) });
      if (terminated) event(p, "ContractTerminated", wib(endedDay, 10), { contract: id, number, reason: "Penyedia tidak melanjutkan pekerjaan setelah teguran ketiga (data benchmark)" });
      // An order its vendor refused: answerOrder's event (→ OCDS awardCancellation), so that its award does not stay pending.
      if (status === "cancelled" && !from)
        event(p, "OrderRefused", wib(sppbjDay, 10), { contract: id, order: sppbj, vendor: v.id, name: v.name, value: rupiah(value), reason: "Penyedia menolak pesanan: stok tidak tersedia (data benchmark)" });
      p.contract = true;
    };
    const signedStatus = () => {
      const r = rnd();
      return r < 0.36 ? "completed" : r < 0.99 ? "signed" : "terminated";
    };

    // Competitive selections: the last attempts' statuses; RETENDERS packages retendered after a failed first attempt.
    const latest = [...Array<string>(40).fill("failed"), ...Array<string>(90).fill("opened"), ...Array<string>(80).fill("evaluated"), ...Array<string>(110).fill("winner_announced"), ...Array<string>(120).fill("sppbj")];
    while (latest.length < withTender.length) latest.push("contracted");
    shuffle(latest);
    let fromTenders = 0;
    let competitiveCount = 0;
    withTender.forEach((p, i) => {
      let d0 = Math.min(p.selectionStart!, 270);
      if (i < RETENDERS) {
        writeTender(tenderOf(p, 1, "failed", d0), bidsPer);
        competitiveCount++;
        d0 += 25;
      }
      const t = tenderOf(p, i < RETENDERS ? 2 : 1, latest[i], d0);
      p.tender = t;
      const winner = writeTender(t, bidsPer);
      competitiveCount++;
      if (winner && (t.status === "sppbj" || t.status === "contracted")) {
        writeContract(p, { t, winner }, null, t.status === "sppbj" ? "sppbj" : signedStatus());
        fromTenders++;
      }
    });
    // Direct selections and e-purchasing orders share the other contracts in proportion to their packages.
    const rest = contractTarget - fromTenders;
    const pool = direct.length + orders.length;
    if (rest > pool * 0.97) throw new Error(`${rest} contracts do not fit ${direct.length} direct and ${orders.length} e-purchasing packages`);
    const fromDirect = Math.round((rest * direct.length) / pool);
    let directCount = 0;
    direct.forEach((p, i) => {
      const d0 = Math.min(p.selectionStart!, 330);
      if (i < fromDirect) {
        const t = tenderOf(p, 1, rnd() < 0.03 ? "sppbj" : "contracted", d0);
        p.tender = t;
        const winner = writeTender(t, 1)!;
        writeContract(p, { t, winner }, null, t.status === "sppbj" ? "sppbj" : signedStatus());
        directCount++;
      } else if (rnd() < 0.6) {
        // In progress: the invitation sent and the offer in (sealed), or opened and being negotiated.
        const t = tenderOf(p, 1, rnd() < 0.7 ? "announced" : "opened", d0);
        p.tender = t;
        writeTender(t, 1);
        directCount++;
      }
    });
    const orderCount = rest - fromDirect;
    for (const p of orders.slice(0, orderCount)) {
      const r = rnd();
      writeContract(p, null, pick(p.umk ? smalls : clean), r < 0.9 ? (rnd() < 0.35 ? "completed" : "signed") : r < 0.97 ? "sppbj" : "cancelled");
    }
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const build = performance.now() - tb;

    // Insert, in one transaction.
    const ti = performance.now();
    const insertMs: Record<string, number> = {};
    await orm.em.fork().transactional(async (tx) => {
      const timed = async (table: string, fn: () => Promise<unknown>) => {
        const t1 = performance.now();
        await fn();
        insertMs[table] = Math.round(performance.now() - t1);
      };
      const ins = (table: string, defs: string, rows: Record<string, unknown>[], opts: Parameters<typeof insertRows>[4] = {}) => timed(table, () => insertRows(tx, table, defs, rows, opts));
      const tenant = { fixed: `'${T}'`, fixedColumns: "tenant_code" };
      await ins("vendor", "id uuid, npwp text, nib text, name text, address text, bank_name text, bank_account text, bank_holder text, qualification text, kbli text[], created_at timestamptz, updated_at timestamptz", vendors, tenant);
      await ins("vendor_sanction", "id uuid, vendor_id uuid, starts_on date, ends_on date, reason text, legal_basis text, contract_id uuid, recorded_at timestamptz, recorded_by text", sanctions, tenant);
      await ins(
        "proc_package",
        "id uuid, opd_id uuid, sub_activity_id uuid, kode_rup bigint, name text, description text, volume text, type text, kind text, method text, swakelola_type smallint, pagu numeric, pdn boolean, umk boolean, planned_on date, selection_start date, selection_end date, execution_start date, execution_end date, ppk_name text, status text, announced_at timestamptz, cancel_reason text, version int, created_at timestamptz, updated_at timestamptz",
        pkgRows,
        { fixed: `'${T}', ${year}`, fixedColumns: "tenant_code, fiscal_year" },
      );
      await ins("proc_package_budget", "package_id uuid, line_key uuid, amount numeric", budgetRows, { chunk: 5000 });
      await ins("proc_package_location", "package_id uuid, region_code text, detail text", locRows, { chunk: 5000 });
      await ins(
        "tender",
        "id uuid, package_id uuid, attempt smallint, method text, status text, code text, hps numeric, evaluation_method text, technical_weight numeric, qualification text, requirements text, documents jsonb, bid_deadline timestamptz, opening_at timestamptz, sanggah_until timestamptz, winner_bid_id uuid, invited_vendor_id uuid, failure_reason text, opened_at timestamptz, announced_at timestamptz, version int, created_at timestamptz, updated_at timestamptz",
        tenderRows,
        tenant,
      );
      await ins("tender_stage", "tender_id uuid, stage text, position smallint, starts_at timestamptz, ends_at timestamptz", stageRows, { chunk: 5000 });
      await ins("tender_pokja", "tender_id uuid, user_id uuid, name text, pakta_signed_at timestamptz", pokjaRows, { chunk: 5000 });
      await ins("tender_question", "id uuid, tender_id uuid, vendor_id uuid, question text, asked_at timestamptz, answer text, answered_at timestamptz, answered_by text", questionRows);
      await ins("tender_addendum", "tender_id uuid, no smallint, description text, old_deadline timestamptz, new_deadline timestamptz, created_at timestamptz, created_by text", addendumRows);
      await ins(
        "bid",
        "id uuid, tender_id uuid, vendor_id uuid, status text, sealed text, sealed_sha256 text, submitted_at timestamptz, price numeric, corrected_price numeric, admin_pass boolean, tech_pass boolean, tech_score numeric, price_pass boolean, qual_pass boolean, reason text, total_score numeric, rank smallint, evaluated_at timestamptz, version int",
        bidRows,
        { exprs: { sealed: "decode(sealed, 'base64')" } },
      );
      await ins("sanggah", "id uuid, tender_id uuid, vendor_id uuid, kind text, text text, submitted_at timestamptz, answer text, upheld boolean, answered_at timestamptz, answered_by text", sanggahRows);
      await ins(
        "contract",
        "id uuid, package_id uuid, tender_id uuid, vendor_id uuid, sppbj_number text, sppbj_date date, number text, signed_on date, type text, original_value numeric, value numeric, start_date date, end_date date, performance_bond numeric, spmk_number text, spmk_date date, status text, catalogue_ref text, termination_reason text, version int, created_at timestamptz, updated_at timestamptz",
        contractRows,
        tenant,
      );
      await ins("contract_amendment", "contract_id uuid, no smallint, reason text, value_before numeric, value_after numeric, end_before date, end_after date, scope text, signed_on date, created_at timestamptz, created_by text", amendmentRows);
      await ins("contract_term", "contract_id uuid, no smallint, description text, progress_percent numeric, amount numeric", termRows, { chunk: 5000 });
      await ins("procurement_event", "package_id uuid, type text, at timestamptz, payload jsonb", events, tenant);
      const tc0 = performance.now();

      // What the use cases guarantee, checked on what was written.
      const [over] = await tx.execute<{ line_key: string }[]>(
        `select pb.line_key from proc_package_budget pb join proc_package p on p.id = pb.package_id join budget_line b on b.apbd_id = ? and b.line_key = pb.line_key
          where p.tenant_code = ? and p.fiscal_year = ? group by pb.line_key, b.amount having sum(pb.amount) > b.amount limit 1`,
        [apbd.id, T, year],
      );
      if (over) throw new Error(`DPA line ${over.line_key} is over-committed`);
      const [bad] = await tx.execute<{ id: string; what: string }[]>(
        `select p.id, 'pagu' as what from proc_package p where p.tenant_code = ? and p.fiscal_year = ? and p.pagu <> (select sum(amount) from proc_package_budget where package_id = p.id)
         union all select t.id, 'hps' from tender t join proc_package p on p.id = t.package_id where p.fiscal_year = ? and t.hps > p.pagu
         union all select c.id, 'value' from contract c join proc_package p on p.id = c.package_id where p.fiscal_year = ? and (c.value > p.pagu or c.original_value > p.pagu)
         union all select c.id, 'terms' from contract c join proc_package p on p.id = c.package_id where p.fiscal_year = ? and exists (select 1 from contract_term m where m.contract_id = c.id)
                     and c.original_value <> (select sum(amount) from contract_term m where m.contract_id = c.id)
         limit 1`,
        [T, year, year, year, year],
      );
      if (bad) throw new Error(`generated ${bad.what} of ${bad.id} breaks a rule the use cases keep`);
      // The ciphertexts open, as openTender opens them, to the clear price written at the opening.
      const opened = await tx.execute<{ id: string; tender_id: string; vendor_id: string; sealed: Buffer; price: string }[]>(
        `select b.id, b.tender_id, b.vendor_id, b.sealed, b.price::text as price from bid b join tender t on t.id = b.tender_id join proc_package p on p.id = t.package_id
          where p.fiscal_year = ? and b.status = 'opened' order by md5(b.id::text) limit 50`,
        [year],
      );
      for (const b of opened)
        if (unseal({ tenderId: b.tender_id, vendorId: b.vendor_id, bidId: b.id }, b.sealed).price !== Money.idr(b.price).toString()) throw new Error(`bid ${b.id} does not open to its price`);
      insertMs.checks = Math.round(performance.now() - tc0);
    });
    const insert = performance.now() - ti;
    const tz = performance.now();
    await db.execute(
      "analyze vendor, vendor_sanction, proc_package, proc_package_budget, proc_package_location, tender, tender_stage, tender_pokja, tender_question, tender_addendum, bid, sanggah, contract, contract_amendment, contract_term, procurement_event",
    );
    const analyze = performance.now() - tz;

    const announced = pkgs.filter((p) => p.status === "announced");
    const opdCodes = shuffle([...new Set(announced.map((p) => p.sub.opd_code))].sort());
    const samplePackages = shuffle(announced.filter((p) => p.tender && p.contract && COMPETITIVE.has(p.method)).map((p) => p.id)).slice(0, 500);
    return {
      year,
      apbd: { id: apbd.id, assembled, lines: counts.lines, procurableLines: lines.length, dpas: counts.dpas },
      vendors: vlist.length,
      blacklisted: blacklisted.length,
      packages: {
        announced: announced.length,
        penyedia: announced.filter((p) => p.type === "penyedia").length,
        swakelola: announced.filter((p) => p.type === "swakelola").length,
        drafts: DRAFTS,
        cancelled: CANCELLED,
        byMethod,
        byKind,
        pagu: rupiah(announced.reduce((a, p) => a + p.pagu, 0n)),
      },
      budgetRows: budgetRows.length,
      linesUsed: new Set(budgetRows.map((r) => r.line_key)).size,
      linesSplit,
      locations: locRows.length,
      tenders: { competitive: competitiveCount, retenders: RETENDERS, direct: directCount, byStatus: tenderStatus, stages: stageRows.length, questions: questionRows.length, addenda: addendumRows.length, sanggah: sanggahRows.length },
      bids: { opened: openedBids, sealed: sealedBids, sealedBytes },
      contracts: {
        total: contractRows.length,
        fromTenders,
        fromDirect,
        orders: orderCount,
        byStatus: contractStatus,
        amendments: amendmentRows.length,
        terms: termRows.length,
        value: rupiah(contractValue),
      },
      events: events.length,
      opdCodes,
      samplePackages,
      spare: { packageId: spare.id, opdCode: spare.sub.opd_code, pagu: rupiah(spare.pagu), kind: spare.kind },
      biddable: clean.map((v) => ({ id: v.id, npwp: v.npwp, name: v.name })),
      insertMs,
      ms: { apbd: Math.round(apbdMs), build: Math.round(build - sealMs), seal: Math.round(sealMs), insert: Math.round(insert), analyze: Math.round(analyze), total: Math.round(performance.now() - t0) },
    };
  } finally {
    await orm.close(true);
  }
}


// Standalone: tsx tests/bench/generate-procurement.ts --year 2030 [--seed N]
await runStandalone(import.meta.url, "generate-procurement.ts", ["seed"], async (url, year, num) => {
  const { biddable, samplePackages, opdCodes, ...r } = await generateProcurement(url, { year, seed: num("seed") });
  return { ...r, biddable: biddable.length, samplePackages: samplePackages.length, opdCodes: opdCodes.length };
});
