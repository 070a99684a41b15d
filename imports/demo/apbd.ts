/**
 * The demo kabupaten's APBD 2027 and its DPAs, played through the same use cases people use (so the audit
 * trail, the lifecycle rules and the proposals' public timelines are real):
 *
 *   21 Oct 2026     TAPD verifies and approves the RKA still waiting in its queue (DPMD, BUMDes).
 *   22 Oct 2026     TAPD assembles the APBD 2027 (murni) from every approved RKA.
 *   29 Oct 2026     the DPRD and the Bupati agree it (nota persetujuan bersama);
 *   10 Nov 2026     the Governor of Jawa Timur evaluates it (keputusan gubernur);
 *   16 Nov 2026     it is adopted by Perda. Every number of these legal bases is illustrative.
 *   from 18 Nov     TAPD (the PPKD) issues the DPA of every OPD with spending in it — the proposals behind
 *                   its sub-activities gain "Dianggarkan … dalam DPA …" on their public timeline — and from
 *                   20 Nov each OPD sets its cash plan (anggaran kas): per month, or per quarter (DPMD and
 *                   Dinas Perhubungan), split with Money.allocate over a profile that fits the work
 *                   (construction paid late in the year, irrigation in the dry season, meetings and
 *                   trainings spread over the working months) in whole thousands of rupiah, the last
 *                   period taking the rest, so that every plan adds up exactly to the sen.
 *
 * No SP2D: fiscal year 2027 has not started on the story's clock.
 *
 * Idempotent: does nothing when the tenant has an APBD 2027 already (any version, however it got there),
 * or when there is no approved RKA 2027 to assemble it from.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { Money } from "../../domain/kernel/money";
import { assembleApbd, apbdSummary, issueDpa, moveApbd, setCashPlan, type CashPlanPeriod } from "../../domain/budgeting/apbd";
import { moveRka, rkaView } from "../../domain/budgeting/rka";
import { DEMO_OPDS, DEMO_TENANT } from "./bojonegoro";
import { DemoClock, stampFromAudit } from "./clock";

const T = DEMO_TENANT.code;
const YEAR = 2027;

/** The RKA DPMD submitted on 20 October (imports/demo/budgeting.ts), approved on the 21st. */
export const DEMO_LAST_RKA = "2.13.05.2.01.0005";
const LAST_RKA_NOTE = "Rincian lokakarya pengurus BUMDes sesuai KUA-PPAS dan standar harga 2027; siap dimasukkan ke rancangan APBD.";

/** The APBD 2027's legal bases, step by step (numbers illustrative). */
export const APBD_LEGAL_BASES = {
  agree:
    "Nota Persetujuan Bersama DPRD dan Bupati Bojonegoro Nomor 188/27/412.013/2026 tentang Rancangan Perda APBD Tahun Anggaran 2027 (nomor ilustratif, contoh demo)",
  evaluate:
    "Keputusan Gubernur Jawa Timur Nomor 100.3.3.1/714/KPTS/013/2026 tentang Evaluasi Rancangan Perda Kabupaten Bojonegoro tentang APBD Tahun Anggaran 2027 (nomor ilustratif, contoh demo)",
  adopt: "Perda Kabupaten Bojonegoro Nomor 12 Tahun 2026 tentang Anggaran Pendapatan dan Belanja Daerah Tahun Anggaran 2027 (nomor ilustratif, contoh demo)",
} as const;

/** The OPDs' finance officers, as imports/demo/budgeting.ts names them (Dinas PU's is the demo account). */
const OFFICER_KEYS: Record<string, string> = {
  "1.01.0.00.0.00.01.0000": "disdik",
  "1.02.0.00.0.00.01.0000": "dinkes",
  "1.03.0.00.0.00.01.0000": "pu",
  "1.03.0.00.0.00.02.0000": "pusda",
  "2.13.0.00.0.00.01.0000": "dpmd",
  "2.15.0.00.0.00.01.0000": "dishub",
  "3.27.2.09.0.00.01.0000": "dkpp",
};

/** The OPDs that plan their cash per quarter (triwulan); the others per month. */
const QUARTERLY = new Set(["2.13.0.00.0.00.01.0000", "2.15.0.00.0.00.01.0000"]);

/**
 * How a sub-activity's money is drawn over the year, as whole weights per month (January first). Split
 * with Money.allocate: exact to the sen, the parts always add up to the sub-activity's amount.
 */
const PROFILES = {
  // Works by a contractor: tendered in the first quarter, advance (uang muka) in May, progress payments
  // (termin) in August and October, the rest on hand-over in December.
  konstruksi: [0, 0, 0, 0, 20, 0, 0, 25, 0, 25, 0, 30],
  // Irrigation channels are rehabilitated in the dry season, with the water let down: advance in June,
  // progress payments in August and October, the rest in November before the rains.
  irigasi: [0, 0, 0, 0, 0, 20, 0, 30, 0, 30, 20, 0],
  // Swakelola with a farmers' group (jalan usaha tani): materials and wages month by month in the dry season.
  swakelola: [0, 0, 0, 0, 10, 20, 20, 20, 20, 10, 0, 0],
  // Meetings, trainings and services over the working year: none in January (the DPA has just started),
  // little in December (the books close).
  kegiatan: [0, 8, 10, 10, 10, 10, 10, 10, 10, 10, 8, 4],
} as const;
type Profile = keyof typeof PROFILES;

/** Sub-activities whose profile is not told by their accounts (capital spending → konstruksi, else kegiatan). */
const SUB_PROFILES: Record<string, Profile> = {
  "1.03.02.2.02.0014": "irigasi", // Rehabilitasi jaringan irigasi permukaan (DPUSDA)
  "3.27.03.2.02.0010": "irigasi", // Rehabilitasi jaringan irigasi usaha tani (DKPP)
  "3.27.03.2.02.0003": "swakelola", // Jalan usaha tani (DKPP)
};

/** A profile's weights in a period: the months', or each quarter's months added up. */
function weightsOf(profile: Profile, period: CashPlanPeriod): number[] {
  const months = PROFILES[profile];
  return period === "bulan" ? [...months] : [0, 1, 2, 3].map((q) => months[q * 3] + months[q * 3 + 1] + months[q * 3 + 2]);
}

/**
 * One sub-activity's cash plan: its amount split over the profile's weights in the period (Money.allocate),
 * each part rounded down to whole thousands of rupiah as officers write them, the last period that draws
 * money taking the rest — so the parts add up to the amount exactly, to the sen.
 */
export function demoCashPlan(amount: Money, profile: Profile, period: CashPlanPeriod): string[] {
  const weights = weightsOf(profile, period);
  let last = weights.length - 1;
  while (last > 0 && weights[last] === 0) last--;
  const parts = amount.allocate(weights).map((m, i) => (i === last ? Money.zero : Money.fromDecimal(m.toDecimal().div(1000).floor().times(1000))));
  parts[last] = amount.minus(Money.sum(parts));
  return parts.map((m) => m.toString());
}

export async function seedDemoApbd(em: EntityManager): Promise<{ created: boolean; dpas: number }> {
  const [{ apbds, approved }] = await em.fork().execute<{ apbds: number; approved: number }[]>(
    `select (select count(*)::int from apbd where tenant_code = ? and fiscal_year = ?) as apbds,
            (select count(*)::int from rka where tenant_code = ? and fiscal_year = ? and status = 'approved') as approved`,
    [T, YEAR, T, YEAR],
  );
  if (apbds > 0 || approved === 0) return { created: false, dpas: 0 };
  let dpas = 0;
  await em.fork().transactional(async (tx) => {
    const uow = () => {
      const f = tx.fork({ keepTransactionContext: true });
      f.setFilterParams("tenant", { tenant: T });
      return f;
    };
    const clock = new DemoClock();
    const account = async (username: string) => {
      const [u] = await uow().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, username]);
      return u ? loadActor(uow(), T, u.id) : null;
    };
    const tapd = (await account("tapd")) ?? new Actor(T, null, "tapd", "TAPD", [{ role: "tapd_member", scope: { kind: "tenant", code: T } }]);
    const puAccount = await account("opd.pu");
    const officer = (code: string) => {
      const key = OFFICER_KEYS[code];
      if (key === "pu" && puAccount) return puAccount;
      const short = DEMO_OPDS.find((o) => o.code === code)?.shortName ?? code;
      const [username, name] = key ? [`keuangan.${key}`, `Pengelola Keuangan ${key.toUpperCase()}`] : [`keuangan.${short.toLowerCase().replace(/\W+/g, "")}`, `Pengelola Keuangan ${short}`];
      return new Actor(T, null, username, name, [{ role: "opd_officer", scope: { kind: "opd", code } }]);
    };

    // 21 October: the RKA still in TAPD's queue is verified and approved, so that the APBD holds it.
    const [last] = await uow().execute<{ id: string; status: string }[]>(
      `select r.id, r.status from rka r join sub_activity s on s.id = r.sub_activity_id where r.tenant_code = ? and r.fiscal_year = ? and s.sub_kegiatan_code = ?`,
      [T, YEAR, DEMO_LAST_RKA],
    );
    clock.at("2026-10-21 09:00");
    if (last?.status === "submitted") await moveRka(uow(), tapd, clock.tick(20), last.id, "verify", LAST_RKA_NOTE, (await rkaView(uow(), T, last.id)).rka.version);
    if (last && ["submitted", "verified"].includes(last.status)) await moveRka(uow(), tapd, clock.tick(25), last.id, "approve", "", (await rkaView(uow(), T, last.id)).rka.version);

    // 22 October – 16 November: assembled, agreed with the DPRD, evaluated by the governor, adopted by Perda.
    clock.at("2026-10-22 10:00");
    const { id: apbd } = await assembleApbd(uow(), tapd, clock, YEAR);
    const version = async () => (await apbdSummary(uow(), T, apbd)).apbd.version;
    clock.at("2026-10-29 13:00");
    await moveApbd(uow(), tapd, clock, apbd, "agree", APBD_LEGAL_BASES.agree, await version());
    clock.at("2026-11-10 10:00");
    await moveApbd(uow(), tapd, clock, apbd, "evaluate", APBD_LEGAL_BASES.evaluate, await version());
    clock.at("2026-11-16 09:00");
    await moveApbd(uow(), tapd, clock, apbd, "adopt", APBD_LEGAL_BASES.adopt, await version());

    // From 18 November: a DPA for every OPD with spending, four a day.
    const opds = await uow().execute<{ code: string }[]>(
      "select distinct o.code from budget_line b join opd o on o.id = b.opd_id where b.apbd_id = ? and b.kind = 'belanja' order by o.code",
      [apbd],
    );
    const issueDays = ["2026-11-18", "2026-11-19", "2026-11-20"];
    const issued: { id: string; opd: string }[] = [];
    for (const [i, o] of opds.entries()) {
      if (i % 4 === 0) clock.at(`${issueDays[Math.min(Math.floor(i / 4), issueDays.length - 1)]} 09:00`);
      issued.push({ id: await issueDpa(uow(), tapd, clock.tick(30), YEAR, o.code), opd: o.code });
      dpas++;
    }

    // From 23 November: each OPD sets its DPA's cash plan, two a day.
    const planDays = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"];
    for (const [i, d] of issued.entries()) {
      if (i % 2 === 0) clock.at(`${planDays[Math.min(Math.floor(i / 2), planDays.length - 1)]} 10:00`);
      const subs = await uow().execute<{ sub: string | null; code: string | null; amount: string; capital: boolean }[]>(
        `select b.sub_activity_id as sub, s.sub_kegiatan_code as code, sum(b.amount)::numeric(20,2)::text as amount, bool_or(b.account_code like '5.2.%') as capital
           from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
          where b.apbd_id = ? and o.code = ? and b.kind = 'belanja' group by 1, 2 order by 2`,
        [apbd, d.opd],
      );
      const period: CashPlanPeriod = QUARTERLY.has(d.opd) ? "triwulan" : "bulan";
      const plan = subs.map((s) => {
        const profile: Profile = (s.code && SUB_PROFILES[s.code]) || (s.capital ? "konstruksi" : "kegiatan");
        return { subActivityId: s.sub, amounts: demoCashPlan(Money.idr(s.amount), profile, period) };
      });
      await setCashPlan(uow(), officer(d.opd), clock.tick(45), d.id, { period, plan });
    }

    // The rows carry the story's moments, as their audit events do.
    await stampFromAudit(tx, T, "rka", "Rka");
  });
  return { created: true, dpas };
}
