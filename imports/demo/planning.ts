/**
 * The demo kabupaten's e-Planning, played through the same use cases people use (so the audit trail,
 * the proposals' public timelines and every invariant are real):
 *
 *   RPJMD 2026–2030   drafted and adopted by Bappeda in December 2025: vision, four missions, goals with
 *                     indicators and yearly targets, and the programmes that serve each goal.
 *   RKPD 2027         in May–June 2026 Bappeda sets each OPD's indicative ceiling; eight OPDs draft their
 *                     Renja from the proposals they accepted in the 2027 Musrenbang (one sub-activity per
 *                     sub kegiatan, taking up every proposal that named it, plus their support programme),
 *                     submit it, and Bappeda adopts it; proposals no sub kegiatan fits are left out with
 *                     the reason. In July 2026 Bappeda revises Dinas PU Bina Marga's Renja (extra DAK:
 *                     a road line grows, one left-out drainage proposal is taken up) and adopts it again,
 *                     so its history shows two adopted versions; two road and one drainage proposals stay
 *                     left out.
 *
 * The RPJMD's wording, indicators and targets are illustrative, not Bojonegoro's own; the codes are the
 * shipped nomenclature's (imports/nomenclature/data). Idempotent: does nothing when the tenant has an RPJMD.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { D, Money } from "../../domain/kernel/money";
import { addRpjmdGoal, addRpjmdIndicator, adoptRpjmd, draftRpjmd, linkRpjmdProgram, rpjmdView } from "../../domain/planning/rpjmd";
import { addSubActivity, linkProposal, moveRenja, openRenja, setPlanCeiling, updateSubActivity, renjaDetail, type SubActivityInput } from "../../domain/planning/renja";
import { DEMO_TENANT } from "./bojonegoro";
import { DemoClock, stampFromAudit } from "./clock";
import { DEMO_PAST_YEAR } from "./musrenbang";

const T = DEMO_TENANT.code;
const YEAR = DEMO_PAST_YEAR;

const OPD = {
  disdik: "1.01.0.00.0.00.01.0000",
  dinkes: "1.02.0.00.0.00.01.0000",
  pu: "1.03.0.00.0.00.01.0000",
  pusda: "1.03.0.00.0.00.02.0000",
  perkim: "1.04.0.00.0.00.01.0000",
  dpmd: "2.13.0.00.0.00.01.0000",
  dishub: "2.15.0.00.0.00.01.0000",
  dkpp: "3.27.2.09.0.00.01.0000",
} as const;
type OpdKey = keyof typeof OPD;

/** The sub kegiatan each OPD files the proposals under, by the text the OPD wrote when it accepted them. */
const TAKE_UP: { opd: OpdKey; accepted: RegExp; code: string; fundingSource: string; limit?: number }[] = [
  // Dinas PU's ceiling holds only some of its road and drainage proposals; the rest are left out at the first adoption.
  { opd: "pu", accepted: /^Rehabilitasi Jalan/, code: "1.03.10.2.01.0044", fundingSource: "DAU", limit: 2 },
  { opd: "pu", accepted: /^Peningkatan Jalan/, code: "1.03.10.2.01.0033", fundingSource: "DAK Fisik" },
  { opd: "pu", accepted: /Drainase/i, code: "1.03.06.2.01.0024", fundingSource: "PAD", limit: 1 },
  { opd: "pusda", accepted: /Irigasi Permukaan/, code: "1.03.02.2.02.0014", fundingSource: "DAK Fisik" },
  { opd: "dkpp", accepted: /Irigasi Tersier/, code: "3.27.03.2.02.0010", fundingSource: "DAK Fisik" },
  { opd: "dkpp", accepted: /Jalan Usaha Tani/, code: "3.27.03.2.02.0003", fundingSource: "DAU" },
  { opd: "dkpp", accepted: /Pelatihan Petani/, code: "3.27.07.2.01.0002", fundingSource: "DBH" },
  { opd: "dinkes", accepted: /Kesehatan Balita/, code: "1.02.02.2.02.0004", fundingSource: "DAK Non-Fisik" },
  { opd: "dinkes", accepted: /Gizi Masyarakat/, code: "1.02.02.2.02.0015", fundingSource: "DAK Non-Fisik" },
  { opd: "dinkes", accepted: /UKBM/, code: "1.02.05.2.03.0001", fundingSource: "PAD" },
  { opd: "disdik", accepted: /Sekolah Dasar/, code: "1.01.02.2.01.0006", fundingSource: "DAU" },
  { opd: "dishub", accepted: /Penerangan Jalan/, code: "2.15.02.2.02.0002", fundingSource: "PAD" },
  { opd: "dpmd", accepted: /BUMDes/, code: "2.13.05.2.01.0005", fundingSource: "DAU" },
];

/** Each OPD's support programme line (salaries), with its target in person-months and ceiling. */
const SUPPORT: Record<OpdKey, { code: string; people: number; ceiling: string }> = {
  disdik: { code: "1.01.01.2.02.0001", people: 9120, ceiling: "38450000000.00" },
  dinkes: { code: "1.02.01.2.02.0001", people: 7800, ceiling: "31270000000.00" },
  pu: { code: "1.03.01.2.02.0001", people: 2580, ceiling: "10860000000.00" },
  pusda: { code: "1.03.01.2.02.0001", people: 1320, ceiling: "5540000000.00" },
  perkim: { code: "1.04.01.2.02.0001", people: 960, ceiling: "4010000000.00" },
  dpmd: { code: "2.13.01.2.02.0001", people: 720, ceiling: "3020000000.00" },
  dishub: { code: "2.15.01.2.02.0001", people: 1080, ceiling: "4480000000.00" },
  dkpp: { code: "3.27.01.2.02.0001", people: 2160, ceiling: "9050000000.00" },
};

const RPJMD = {
  startYear: 2026,
  vision: "Bojonegoro yang Bahagia, Makmur dan Berkelanjutan (contoh demo)",
  missions: [
    "Membangun infrastruktur yang merata, tangguh dan berkelanjutan",
    "Meningkatkan kualitas sumber daya manusia melalui pendidikan dan kesehatan",
    "Menguatkan ekonomi kerakyatan berbasis pertanian dan desa",
    "Mewujudkan tata kelola pemerintahan yang bersih, terbuka dan melayani",
  ],
  goals: [
    {
      mission: 1,
      code: "1.1",
      text: "Meningkatnya konektivitas antarwilayah",
      indicators: [{ name: "Persentase panjang jalan kabupaten dalam kondisi mantap", unit: "%", baseline: "78.4", targets: ["80", "82", "84.5", "87", "90"] }],
      programs: ["1.03.10", "2.15.02"],
    },
    {
      mission: 1,
      code: "1.2",
      text: "Meningkatnya ketahanan air dan sanitasi permukiman",
      indicators: [
        { name: "Persentase daerah irigasi kewenangan kabupaten dalam kondisi baik", unit: "%", baseline: "61.2", targets: ["63", "66", "69", "72", "75"] },
        { name: "Persentase kawasan permukiman bebas genangan", unit: "%", baseline: "88", targets: ["89", "90", "91.5", "93", "95"] },
      ],
      programs: ["1.03.02", "1.03.03", "1.03.05", "1.03.06"],
    },
    {
      mission: 1,
      code: "1.3",
      text: "Meningkatnya kualitas perumahan dan kawasan permukiman",
      indicators: [{ name: "Persentase rumah layak huni", unit: "%", baseline: "91.3", targets: ["92", "93", "94", "95", "96"] }],
      programs: ["1.04.02", "1.04.03", "1.04.05"],
    },
    {
      mission: 2,
      code: "2.1",
      text: "Meningkatnya akses dan mutu pendidikan dasar",
      indicators: [{ name: "Persentase ruang kelas SD/SMP dalam kondisi baik", unit: "%", baseline: "72", targets: ["75", "78", "81", "84", "87"] }],
      programs: ["1.01.02"],
    },
    {
      mission: 2,
      code: "2.2",
      text: "Meningkatnya derajat kesehatan masyarakat",
      indicators: [{ name: "Prevalensi stunting pada balita", unit: "%", baseline: "18.1", targets: ["16.5", "15", "13.5", "12", "10"] }],
      programs: ["1.02.02", "1.02.05"],
    },
    {
      mission: 3,
      code: "3.1",
      text: "Meningkatnya produktivitas pertanian",
      indicators: [{ name: "Produktivitas padi", unit: "ton/ha", baseline: "6.1", targets: ["6.2", "6.3", "6.4", "6.5", "6.6"] }],
      programs: ["3.27.02", "3.27.03", "3.27.07"],
    },
    {
      mission: 3,
      code: "3.2",
      text: "Meningkatnya kemandirian desa",
      indicators: [{ name: "Jumlah desa berstatus mandiri", unit: "desa", baseline: "41", targets: ["50", "60", "72", "85", "100"] }],
      programs: ["2.13.04", "2.13.05"],
    },
    {
      mission: 4,
      code: "4.1",
      text: "Meningkatnya akuntabilitas kinerja dan keuangan daerah",
      indicators: [{ name: "Nilai SAKIP Pemerintah Kabupaten", unit: "nilai", baseline: "72.5", targets: ["74", "76", "78", "80", "82"] }],
      programs: ["1.01.01", "1.02.01", "1.03.01", "1.04.01", "2.13.01", "2.15.01", "3.27.01"],
    },
  ],
};

const LEFT_OUT_REASON = "Pagu indikatif 2027 tidak mencukupi atau belum ada sub kegiatan yang sesuai; usulan dapat diajukan kembali pada Musrenbang 2028.";

export async function seedDemoPlanning(em: EntityManager): Promise<{ created: boolean; subActivities: number }> {
  const probe = em.fork();
  const [{ n }] = await probe.execute<{ n: string }[]>("select count(*)::text as n from rpjmd where tenant_code = ?", [T]);
  if (n !== "0") return { created: false, subActivities: 0 };
  let subActivities = 0;
  await em.fork().transactional(async (tx) => {
    const uow = () => {
      const f = tx.fork({ keepTransactionContext: true });
      f.setFilterParams("tenant", { tenant: T });
      return f;
    };
    const clock = new DemoClock();
    const [b] = await uow().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = 'bappeda'", [T]);
    const bappeda = (b && (await loadActor(uow(), T, b.id))) || new Actor(T, null, "bappeda", "Bappeda", [{ role: "bappeda_planner", scope: { kind: "tenant", code: T } }]);
    const [p] = await uow().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = 'opd.pu'", [T]);
    const officer = async (key: OpdKey) =>
      key === "pu" && p ? (await loadActor(uow(), T, p.id))! : new Actor(T, null, `perencana.${key}`, `Perencana ${key.toUpperCase()}`, [{ role: "opd_officer", scope: { kind: "opd", code: OPD[key] } }]);

    // RPJMD 2026–2030, December 2025.
    clock.at("2025-12-01 09:00");
    const rpjmd = await draftRpjmd(uow(), bappeda, clock, { startYear: RPJMD.startYear, vision: RPJMD.vision, missions: RPJMD.missions, legalBasis: "" });
    for (const g of RPJMD.goals) {
      const goal = await addRpjmdGoal(uow(), bappeda, clock.tick(20), rpjmd, { mission: g.mission, code: g.code, text: g.text });
      for (const i of g.indicators)
        await addRpjmdIndicator(uow(), bappeda, clock.tick(15), goal, {
          name: i.name,
          unit: i.unit,
          baseline: i.baseline,
          targets: Object.fromEntries(i.targets.map((v, k) => [String(RPJMD.startYear + k), v])),
        });
      for (const prog of g.programs) await linkRpjmdProgram(uow(), bappeda, clock.tick(5), goal, prog);
    }
    clock.at("2025-12-22 10:00");
    await adoptRpjmd(uow(), bappeda, clock, rpjmd, (await rpjmdView(uow(), T, rpjmd)).version, "Perda Kabupaten Bojonegoro Nomor 5 Tahun 2025 tentang RPJMD 2026–2030 (contoh demo)");

    // RKPD 2027: what each OPD accepted in the Musrenbang, grouped by the sub kegiatan it will sit under.
    const accepted = await uow().execute<{ id: string; opd: string; sk: string; volume: string; unit: string; cost: string; desa: string }[]>(
      `select p.id, o.code as opd, p.proposed_sub_kegiatan as sk, p.volume::text as volume, p.unit, p.estimated_cost::text as cost, p.desa_code as desa
         from proposal p join opd o on o.id = p.target_opd_id
        where p.tenant_code = ? and p.fiscal_year = ? and p.status in ('accepted','adopted') order by p.code`,
      [T, YEAR],
    );
    const plans = new Map<OpdKey, (SubActivityInput & { ceilingD: Money })[]>();
    for (const key of Object.keys(OPD) as OpdKey[]) {
      const s = SUPPORT[key];
      plans.set(key, [{ subKegiatan: s.code, target: String(s.people), locations: [T], ceiling: s.ceiling, ceilingD: Money.idr(s.ceiling), fundingSource: "DAU", proposals: [] }]);
    }
    for (const rule of TAKE_UP) {
      const mine = accepted.filter((a) => a.opd === OPD[rule.opd] && rule.accepted.test(a.sk)).slice(0, rule.limit ?? Infinity);
      if (!mine.length) continue;
      const units = new Set(mine.map((m) => m.unit));
      const cost = Money.sum(mine.map((m) => Money.idr(m.cost)));
      plans.get(rule.opd)!.push({
        subKegiatan: rule.code,
        target: units.size === 1 ? mine.reduce((s, m) => s.plus(m.volume), new D(0)).toFixed() : String(mine.length),
        unit: units.size === 1 ? [...units][0] : "paket",
        locations: [...new Set(mine.map((m) => m.desa))],
        ceiling: cost.toString(),
        ceilingD: cost,
        fundingSource: rule.fundingSource,
        proposals: mine.map((m) => m.id),
      });
    }

    clock.at("2026-05-04 09:00");
    for (const [key, subs] of plans) {
      // The ceiling leaves some room: 10% above what the OPD will plan, rounded to the million.
      const planned = Money.sum(subs.map((s) => s.ceilingD));
      const ceiling = new D(planned.toString()).times("1.1").div(1_000_000).ceil().times(1_000_000).toFixed(2);
      await setPlanCeiling(uow(), bappeda, clock.tick(10), YEAR, OPD[key], ceiling);
    }
    const renjas = new Map<OpdKey, string>();
    clock.at("2026-05-11 09:00");
    for (const [key, subs] of plans) {
      const who = await officer(key);
      const renja = await openRenja(uow(), who, clock.tick(30), YEAR, OPD[key]);
      renjas.set(key, renja);
      for (const { ceilingD: _c, ...s } of subs) {
        await addSubActivity(uow(), who, clock.tick(20), renja, s);
        subActivities++;
      }
      await moveRenja(uow(), who, clock.tick(60), renja, "submit");
    }
    clock.at("2026-06-24 10:00");
    for (const renja of renjas.values()) await moveRenja(uow(), bappeda, clock.tick(10), renja, "adopt", LEFT_OUT_REASON);

    // July 2026: Perubahan Renja of Dinas PU Bina Marga before the KUA-PPAS — extra DAK Fisik for roads: one
    // road line grows, and the Forum Perangkat Daerah takes up one of the drainage proposals left out in June.
    clock.at("2026-07-06 09:00");
    const pu = renjas.get("pu")!;
    const puOfficer = await officer("pu");
    await moveRenja(uow(), bappeda, clock, pu, "revise", "Perubahan Renja 2027: tambahan DAK Fisik bidang jalan; usulan Musrenbang yang tertunda ditinjau kembali.");
    const ceilingPu = await uow().execute<{ amount: string }[]>("select amount::text as amount from plan_ceiling where tenant_code = ? and fiscal_year = ? and opd_id = (select id from opd where tenant_code = ? and code = ?)", [T, YEAR, T, OPD.pu]);
    await setPlanCeiling(uow(), bappeda, clock.tick(30), YEAR, OPD.pu, Money.idr(ceilingPu[0].amount).plus(Money.idr("4500000000")).toString());
    const puSubs = (await renjaDetail(uow(), pu)).subs;
    const road = puSubs.find((s) => s.sub_kegiatan_code === "1.03.10.2.01.0033");
    if (road)
      await updateSubActivity(
        uow(),
        puOfficer,
        clock.tick(90),
        road.id,
        { target: road.target, unit: road.unit, locations: road.locations, ceiling: Money.idr(road.ceiling).plus(Money.idr("1500000000")).toString(), fundingSource: "DAK Fisik" },
        road.version,
      );
    const drainage = puSubs.find((s) => s.sub_kegiatan_code === "1.03.06.2.01.0024");
    const [waiting] = await uow().execute<{ id: string; cost: string }[]>(
      `select p.id, p.estimated_cost::text as cost from proposal p where p.tenant_code = ? and p.fiscal_year = ? and p.target_opd_id = (select id from opd where tenant_code = ? and code = ?)
          and p.status in ('accepted','adopted') and p.proposed_sub_kegiatan ilike '%drainase%' and not exists (select 1 from sub_activity_proposal x where x.proposal_id = p.id) order by p.code limit 1`,
      [T, YEAR, T, OPD.pu],
    );
    if (drainage && waiting) {
      await linkProposal(uow(), puOfficer, clock.tick(60), drainage.id, waiting.id);
      const fresh = (await renjaDetail(uow(), pu)).subs.find((s) => s.id === drainage.id)!;
      await updateSubActivity(
        uow(),
        puOfficer,
        clock.tick(10),
        drainage.id,
        { target: fresh.target, unit: fresh.unit, locations: fresh.locations, ceiling: Money.idr(fresh.ceiling).plus(Money.idr(waiting.cost)).toString(), fundingSource: "PAD" },
        fresh.version,
      );
    }
    clock.at("2026-07-20 10:00");
    await moveRenja(uow(), bappeda, clock, pu, "adopt", LEFT_OUT_REASON);
    // The rows carry the story's moments, as their audit events do.
    await stampFromAudit(tx, T, "sub_activity", "SubActivity");
    await stampFromAudit(tx, T, "renja", "Renja");
  });
  return { created: true, subActivities };
}
