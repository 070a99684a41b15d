/**
 * Scale data for e-Musrenbang: every desa/kelurahan of the demo kabupaten (Bojonegoro: 430 in 28
 * kecamatan) raises `perDesa` proposals for one fiscal year (40 → 17,200), and the cycle is played out
 * in bulk SQL exactly as the use cases would leave it:
 *
 *   desa forums     closed: every proposal scored (proposal_score), ranked (forum_entry), the top
 *                   `quota` escalated to the kecamatan forum, the rest not prioritised with their rank;
 *                   a few withdrawn before scoring. In late kecamatan, half the desa forums are still
 *                   open (submitted proposals, no scores yet).
 *   kecamatan       closed: escalated proposals verified, rejected with a reason or merged into another;
 *                   the verified scored and ranked, the top `quota` forwarded to OPD review at the
 *                   kabupaten forum, the rest not prioritised. Late kecamatan (stage "review" only) are
 *                   still open: escalated, verified, rejected and merged proposals.
 *   kabupaten       DPRD pokir join; OPDs accept (with a sub-kegiatan), reject or transfer; Bappeda
 *                   leaves some accepted ones out (not adopted). Stage "review": the forum is open and
 *                   some proposals still await their OPD. Stage "closed": the forum is closed and the
 *                   accepted ones adopted.
 *
 * Each proposal's status, current forum, version and timeline (proposal_event, in id order) agree with
 * the machines in domain/musrenbang/machines.ts. No audit events are written for generated data: the
 * audit chain records what people did, and nobody did this (audit:verify still passes, the chain is
 * simply not extended).
 *
 * Deterministic (a seeded PRNG, also for the ids). Refuses a year that already has forums.
 */
import { createOrm } from "../../domain/persistence";
import { DEFAULT_CRITERIA, DEFAULT_QUOTA } from "../../domain/musrenbang/vocabulary";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { prng } from "../../imports/shared/prng";
import { bulk } from "./bulk";

export interface GenerateOptions {
  year: number;
  perDesa: number;
  /** "review" (default): the kabupaten forum is open, three kecamatan are late; "closed": everything is closed and adopted. */
  stage?: "review" | "closed";
  seed?: number;
}

export interface GenerateResult {
  year: number;
  forums: number;
  proposals: number;
  events: number;
  scores: number;
  entries: number;
  byStatus: Record<string, number>;
  /** Proposal ids in a fixed shuffled order, for benchmarks that rotate through them. */
  sampleIds: string[];
  kecamatan: string[];
  ms: { build: number; insert: number; analyze: number; total: number };
}

const T = DEMO_TENANT.code;

interface Template {
  title: (place: string) => string;
  problem: string;
  kind: "fisik" | "nonfisik";
  group: "ekonomi" | "sosial_budaya" | "prasarana_wilayah" | "pemerintahan";
  opd: string;
  bidang: string;
  unit: string;
  volume: [number, number];
  /** Rupiah per unit (whole rupiah). */
  unitCost: number;
  sk: string;
  perUnitBeneficiaries: number;
}

const PU = "1.03.0.00.0.00.01.0000";
const PUSDA = "1.03.0.00.0.00.02.0000";
const PERKIM = "1.04.0.00.0.00.01.0000";
const TEMPLATES: Template[] = [
  { title: (p) => `Rehabilitasi jalan poros desa ${p}`, problem: "Aspal mengelupas dan berlubang; kendaraan hasil panen dan anak sekolah sering terperosok saat hujan.", kind: "fisik", group: "prasarana_wilayah", opd: PU, bidang: "1.03", unit: "m", volume: [300, 1500], unitCost: 1_100_000, sk: "Rehabilitasi Jalan", perUnitBeneficiaries: 1 },
  { title: (p) => `Pavingisasi jalan lingkungan ${p}`, problem: "Jalan lingkungan masih tanah; becek saat hujan dan berdebu saat kemarau.", kind: "fisik", group: "prasarana_wilayah", opd: PU, bidang: "1.03", unit: "m²", volume: [300, 1200], unitCost: 175_000, sk: "Pembangunan Jalan", perUnitBeneficiaries: 0.3 },
  { title: (p) => `Pembangunan saluran drainase ${p}`, problem: "Air hujan menggenangi jalan dan pekarangan warga karena belum ada saluran.", kind: "fisik", group: "prasarana_wilayah", opd: PU, bidang: "1.03", unit: "m", volume: [150, 600], unitCost: 850_000, sk: "Pembangunan Sistem Drainase Perkotaan", perUnitBeneficiaries: 1.2 },
  { title: (p) => `Pembangunan talud penahan tanah ${p}`, problem: "Tebing di tepi jalan longsor setiap musim hujan dan mengancam rumah warga.", kind: "fisik", group: "prasarana_wilayah", opd: PUSDA, bidang: "1.03", unit: "m", volume: [50, 250], unitCost: 1_300_000, sk: "Pembangunan Prasarana Pengaman Tebing Sungai", perUnitBeneficiaries: 0.8 },
  { title: (p) => `Rehabilitasi saluran irigasi tersier ${p}`, problem: "Saluran tersier bocor dan dangkal; air tidak sampai ke sawah di ujung saluran.", kind: "fisik", group: "ekonomi", opd: "3.27.2.09.0.00.01.0000", bidang: "3.27", unit: "m", volume: [200, 900], unitCost: 550_000, sk: "Pembangunan, Rehabilitasi dan Pemeliharaan Jaringan Irigasi Tersier", perUnitBeneficiaries: 0.4 },
  { title: (p) => `Pembangunan jalan usaha tani ${p}`, problem: "Hasil panen dipikul jauh karena jalan usaha tani belum ada.", kind: "fisik", group: "ekonomi", opd: "3.27.2.09.0.00.01.0000", bidang: "3.27", unit: "m", volume: [200, 900], unitCost: 600_000, sk: "Pembangunan, Rehabilitasi dan Pemeliharaan Jalan Usaha Tani", perUnitBeneficiaries: 0.3 },
  { title: (p) => `Pembangunan sumur bor air bersih ${p}`, problem: "Sumur gali warga kering setiap kemarau; warga membeli air tangki.", kind: "fisik", group: "prasarana_wilayah", opd: PUSDA, bidang: "1.03", unit: "unit", volume: [1, 2], unitCost: 175_000_000, sk: "Pembangunan Sumur Air Tanah untuk Air Baku", perUnitBeneficiaries: 280 },
  { title: (p) => `Pemasangan PJU tenaga surya ${p}`, problem: "Jalan gelap pada malam hari; warga merasa tidak aman dan pernah terjadi kecelakaan.", kind: "fisik", group: "prasarana_wilayah", opd: "2.15.0.00.0.00.01.0000", bidang: "2.15", unit: "titik", volume: [8, 30], unitCost: 12_500_000, sk: "Pengadaan dan Pemasangan Alat Penerangan Jalan", perUnitBeneficiaries: 60 },
  { title: (p) => `Rehabilitasi rumah tidak layak huni ${p}`, problem: "Rumah keluarga miskin berdinding gedek dan beratap bocor, tercatat di DTKS.", kind: "fisik", group: "sosial_budaya", opd: PERKIM, bidang: "1.04", unit: "unit", volume: [3, 12], unitCost: 25_000_000, sk: "Rehabilitasi Rumah Tidak Layak Huni", perUnitBeneficiaries: 4 },
  { title: (p) => `Bantuan jamban sehat keluarga ${p}`, problem: "Sebagian keluarga belum memiliki jamban dan buang air besar di sungai.", kind: "fisik", group: "sosial_budaya", opd: PERKIM, bidang: "1.04", unit: "unit", volume: [10, 40], unitCost: 3_500_000, sk: "Penyediaan Sarana Sanitasi Rumah Tangga", perUnitBeneficiaries: 4 },
  { title: (p) => `Pengadaan sarana Posyandu ${p}`, problem: "Alat timbang dan ukur balita rusak sehingga deteksi stunting tidak akurat.", kind: "nonfisik", group: "sosial_budaya", opd: "1.02.0.00.0.00.01.0000", bidang: "1.02", unit: "paket", volume: [1, 4], unitCost: 10_500_000, sk: "Pengelolaan Pelayanan Kesehatan Balita", perUnitBeneficiaries: 60 },
  { title: (p) => `Pelatihan kader posyandu pencegahan stunting ${p}`, problem: "Kader posyandu belum terlatih membaca grafik pertumbuhan dan konseling gizi.", kind: "nonfisik", group: "sosial_budaya", opd: "1.02.0.00.0.00.01.0000", bidang: "1.02", unit: "orang", volume: [10, 40], unitCost: 900_000, sk: "Bimbingan Teknis dan Supervisi UKBM", perUnitBeneficiaries: 6 },
  { title: (p) => `Rehabilitasi ruang kelas SD ${p}`, problem: "Atap ruang kelas melendut dan plafon runtuh sebagian; siswa belajar bergantian.", kind: "fisik", group: "sosial_budaya", opd: "1.01.0.00.0.00.01.0000", bidang: "1.01", unit: "ruang", volume: [1, 3], unitCost: 175_000_000, sk: "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah", perUnitBeneficiaries: 30 },
  { title: (p) => `Pelatihan pengemasan dan pemasaran daring UMKM ${p}`, problem: "Produk UMKM dijual tanpa label dan izin PIRT sehingga harganya rendah.", kind: "nonfisik", group: "ekonomi", opd: "2.13.0.00.0.00.01.0000", bidang: "2.13", unit: "orang", volume: [20, 40], unitCost: 1_500_000, sk: "Peningkatan Kapasitas Kelembagaan Ekonomi Desa dan BUMDes", perUnitBeneficiaries: 1 },
  { title: (p) => `Bantuan alat dan mesin pertanian untuk Poktan ${p}`, problem: "Kelompok tani menyewa traktor dari desa lain sehingga jadwal tanam terlambat.", kind: "fisik", group: "ekonomi", opd: "3.27.2.09.0.00.01.0000", bidang: "3.27", unit: "unit", volume: [1, 5], unitCost: 33_000_000, sk: "Pengadaan Sarana Pertanian", perUnitBeneficiaries: 18 },
  { title: (p) => `Bantuan bibit kambing kelompok ternak ${p}`, problem: "Anggota kelompok adalah buruh tani tanpa lahan; ternak menjadi tabungan keluarga.", kind: "fisik", group: "ekonomi", opd: "3.27.2.09.0.00.01.0000", bidang: "3.27", unit: "ekor", volume: [20, 60], unitCost: 2_750_000, sk: "Penyediaan Benih/Bibit Ternak", perUnitBeneficiaries: 0.5 },
  { title: (p) => `Pengadaan gerobak dan tong sampah terpilah ${p}`, problem: "Sampah rumah tangga dibuang ke sungai karena belum ada pengangkutan.", kind: "fisik", group: "prasarana_wilayah", opd: "2.11.0.00.0.00.01.0000", bidang: "2.11", unit: "paket", volume: [1, 3], unitCost: 38_000_000, sk: "Penyediaan Sarana dan Prasarana Pengelolaan Sampah", perUnitBeneficiaries: 250 },
  { title: (p) => `Penyediaan akses internet publik ${p}`, problem: "Sinyal lemah; pelajar dan pelaku usaha harus ke kota kecamatan untuk mengakses internet.", kind: "fisik", group: "pemerintahan", opd: "2.16.2.20.2.21.01.0000", bidang: "2.16", unit: "titik", volume: [1, 4], unitCost: 9_000_000, sk: "Penyediaan Akses Internet Publik", perUnitBeneficiaries: 150 },
  { title: (p) => `Pelatihan keterampilan bagi keluarga prasejahtera ${p}`, problem: "Ibu rumah tangga penerima PKH belum memiliki keterampilan untuk menambah penghasilan.", kind: "nonfisik", group: "ekonomi", opd: "1.06.0.00.0.00.01.0000", bidang: "1.06", unit: "orang", volume: [15, 30], unitCost: 2_500_000, sk: "Pemberdayaan Sosial bagi Keluarga Miskin dan Rentan", perUnitBeneficiaries: 1 },
  { title: (p) => `Pembangunan pos kamling dan sarana Linmas ${p}`, problem: "Pencurian ternak meningkat; pos ronda rusak dan Linmas tanpa perlengkapan.", kind: "fisik", group: "pemerintahan", opd: "1.05.0.00.0.00.01.0000", bidang: "1.05", unit: "unit", volume: [1, 3], unitCost: 30_000_000, sk: "Peningkatan Kapasitas Linmas", perUnitBeneficiaries: 300 },
];
const DUSUN = ["Krajan", "Kidul", "Lor", "Wetan", "Kulon", "Tengah", "Sidorejo", "Sumbersari", "Karangrejo", "Mulyorejo", "Ngasem", "Jatirejo"];
const KEC_REJECT = [
  "Lokasi berada di ruas jalan nasional/provinsi; bukan kewenangan kabupaten.",
  "Kegiatan sudah dianggarkan dalam APBD tahun berjalan (DPA Dinas PU).",
  "Usulan dapat dibiayai Dana Desa dan tidak termasuk prioritas kabupaten.",
  "Dokumen pendukung (foto lokasi dan status lahan) belum lengkap.",
];
const OPD_REJECT = [
  "Jalan lingkungan merupakan kewenangan desa; disarankan dibiayai Dana Desa.",
  "Perlu kajian teknis dan DED terlebih dahulu; diusulkan kembali tahun berikutnya.",
  "Sudah masuk usulan DAK Fisik; tidak dianggarkan ganda dari APBD.",
  "Tidak sesuai rencana layanan perangkat daerah tahun ini.",
];
const NOT_ADOPT = "Pagu indikatif perangkat daerah sudah terpenuhi; dapat diusulkan kembali pada Musrenbang berikutnya.";
const MERGE = "Lokasi dan kegiatan sama dengan usulan desa tetangga; digabung agar dikerjakan dalam satu paket.";
const TRANSFER = "Kegiatan ini menjadi tugas perangkat daerah lain; diteruskan agar dinilai di sana.";

type Status = "submitted" | "withdrawn" | "not_prioritised" | "escalated" | "verified" | "rejected" | "merged" | "opd_review" | "accepted" | "adopted" | "not_adopted";

interface Gen {
  id: string;
  code: string;
  source: "musrenbang" | "pokir";
  originForumId: string;
  currentForumId: string;
  t: Template;
  title: string;
  desaCode: string;
  kecamatanCode: string;
  address: string;
  rt: string;
  rw: string;
  lat: string | null;
  lng: string | null;
  volume: number;
  cost: string;
  beneficiaries: number;
  proposer: string;
  status: Status;
  targetOpdId: string;
  originalOpdId: string;
  mergedIntoId: string | null;
  reason: string;
  sk: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface EventRow {
  proposal_id: string;
  forum_id: string | null;
  at: string;
  level: string;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_name: string;
  reason: string;
  details: Record<string, unknown>;
}

/** Weight "35.00" → 3500 (hundredths), without floating point. */
const hundredths = (w: string) => {
  const [a, b = ""] = String(w).split(".");
  return Number(a) * 100 + Number((b + "00").slice(0, 2));
};
/** Σ score × weight ÷ 5, half-up to the hundredth (as domain/musrenbang/scoring.ts weightedTotal), in hundredths. */
const totalOf = (scores: number[], weights: number[]) => {
  const num = scores.reduce((s, x, i) => s + x * weights[i], 0);
  return Math.floor((num * 2 + 5) / 10);
};
const fmtTotal = (h: number) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, "0")}`;

/**
 * Fills `url` (a migrated database with the regions and the demo tenant) with one fiscal year of
 * Musrenbang at kabupaten scale. See the top of this file.
 */
export async function generateMusrenbang(url: string, opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const stage = opts.stage ?? "review";
  const rnd = prng(opts.seed ?? 2027);
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
  const between = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const uuid = () => {
    const h = Array.from({ length: 4 }, () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[Math.floor(rnd() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const year = opts.year;
  const cycle = year - 1; // the forums of fiscal year N meet from January to April of N − 1
  const at = (month: number, day: number, minutes: number) => new Date(Date.UTC(cycle, month - 1, day, 1, 0) + minutes * 60_000); // 08:00 WIB + minutes

  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    const em = orm.em.fork();
    const [tenantRegion] = await em.execute<{ name: string }[]>("select name from region where code = ?", [T]);
    if (!tenantRegion) throw new Error(`region ${T} is missing: import the regions first`);
    const [{ n: existing }] = await em.execute<{ n: string }[]>("select count(*)::text as n from forum where tenant_code = ? and fiscal_year = ?", [T, year]);
    if (existing !== "0") throw new Error(`fiscal year ${year} already has ${existing} forums in ${T}`);
    const opdRows = await em.execute<{ id: string; code: string; name: string; short_name: string }[]>("select id, code, name, short_name from opd where tenant_code = ?", [T]);
    const opdId = new Map(opdRows.map((o) => [o.code, o.id]));
    const opdOf = new Map(opdRows.map((o) => [o.id, o]));
    for (const tpl of TEMPLATES) if (!opdId.has(tpl.opd)) throw new Error(`OPD ${tpl.opd} is missing: seed the demo tenant first`);
    const regions = await em.execute<{ code: string; name: string; level: number }[]>(
      "select code, name, level from region where code like ? and level in (3, 4) order by code",
      [`${T}.%`],
    );
    const kecamatan = regions.filter((r) => r.level === 3);
    const desaOf = new Map(kecamatan.map((k) => [k.code, regions.filter((r) => r.level === 4 && r.code.startsWith(`${k.code}.`))]));

    // Criteria and quotas as the tenant has them (the defaults when none were ever created).
    const criteriaRows = await em.execute<{ id: string; level: string; code: string; weight: string }[]>(
      "select id, level, code, weight::text as weight from scoring_criterion where tenant_code = ? and level in ('desa','kecamatan') order by sort_order, code",
      [T],
    );
    const newCriteria: { id: string; level: string; code: string; name: string; description: string; weight: string; sort_order: number }[] = [];
    for (const level of ["desa", "kecamatan"])
      if (!criteriaRows.some((c) => c.level === level))
        DEFAULT_CRITERIA.forEach((c, i) => {
          const row = { id: uuid(), level, code: c.code, name: c.name, description: c.description, weight: c.weight, sort_order: i };
          newCriteria.push(row);
          criteriaRows.push(row);
        });
    const crit = (level: string) => criteriaRows.filter((c) => c.level === level);
    const weights = (level: string) => crit(level).map((c) => hundredths(c.weight));
    const quotaRows = await em.execute<{ level: string; quota: number }[]>("select level, quota from musrenbang_setting where tenant_code = ?", [T]);
    const quota = (level: "desa" | "kecamatan") => quotaRows.find((q) => q.level === level)?.quota ?? DEFAULT_QUOTA[level];

    const tb = performance.now();
    const forums: Record<string, unknown>[] = [];
    const proposals: Gen[] = [];
    const events: (EventRow & { seq: number })[] = [];
    const scores: Record<string, unknown>[] = [];
    const entries: Record<string, unknown>[] = [];
    let seq = 0;
    const step = (p: Gen, forumId: string | null, when: Date, level: string, action: string, from: Status | null, to: Status, actor: string, reason = "", details: Record<string, unknown> = {}) => {
      events.push({ seq: seq++, proposal_id: p.id, forum_id: forumId, at: when.toISOString(), level, action, from_status: from, to_status: to, actor_name: actor, reason, details });
      p.version += 1;
      if (when > p.updatedAt) p.updatedAt = when;
    };
    const forum = (level: string, region: string, name: string, status: string, opens: Date, closes: Date, signed: Date | null, venue: string) => {
      const id = uuid();
      const closed = status === "closed";
      const total = between(40, 120);
      forums.push({
        id,
        level,
        region_code: region,
        name,
        status,
        opens_at: opens.toISOString(),
        closes_at: closes.toISOString(),
        venue,
        attendees_total: closed ? total : null,
        attendees_women: closed ? Math.floor(total * (0.25 + rnd() * 0.15)) : null,
        signatories: closed ? [{ name: "Kepala wilayah", position: level === "desa" ? "Kepala Desa" : level === "kecamatan" ? "Camat" : "Kepala Bappeda" }, { name: "Fasilitator", position: "Fasilitator" }] : [],
        minutes_notes: closed ? `Berita acara Musrenbang untuk RKPD ${year}.` : "",
        signed_at: signed ? signed.toISOString() : null,
        version: { planned: 1, open: 2, scoring: 3, closed: 4 }[status],
        created_at: new Date(Date.UTC(cycle - 1, 11, 1, 2)).toISOString(),
        updated_at: (signed ?? opens).toISOString(),
      });
      return id;
    };
    const scoreRows = (forumId: string, p: Gen, level: string, s: number[], by: string, when: Date) =>
      crit(level).forEach((c, i) => scores.push({ forum_id: forumId, proposal_id: p.id, criterion_id: c.id, score: s[i], scored_by: by, scored_at: when.toISOString() }));
    const randomScores = (n: number, bias: number) => Array.from({ length: n }, () => Math.max(1, Math.min(5, between(1, 5) + bias)));
    const rank = (xs: { p: Gen; total: number }[]) =>
      [...xs].sort(
        (a, b) =>
          b.total - a.total ||
          b.p.beneficiaries - a.p.beneficiaries ||
          (BigInt(a.p.cost) < BigInt(b.p.cost) ? -1 : BigInt(a.p.cost) > BigInt(b.p.cost) ? 1 : 0) ||
          a.p.createdAt.getTime() - b.p.createdAt.getTime() ||
          (a.p.code < b.p.code ? -1 : 1),
      );

    // The kabupaten forum: open while OPDs review (stage "review"), closed once adopted.
    const kabClosed = stage === "closed";
    const kabId = forum("kabupaten", T, `Musrenbang RKPD ${tenantRegion.name}`, kabClosed ? "closed" : "open", at(3, 16, 0), at(4, 15, 480), kabClosed ? at(4, 15, 360) : null, "Pendopo Malowopati");
    const bappeda = "Bappeda (verifikasi RKPD)";
    const forwarded: Gen[] = [];
    // Three kecamatan are late in stage "review": their forum is still open, and half their desa forums too.
    const late = new Set(stage === "review" ? [kecamatan[2]?.code, kecamatan[13]?.code, kecamatan[24]?.code].filter(Boolean) : []);

    kecamatan.forEach((k, ki) => {
      const kecLate = late.has(k.code);
      const kDay = 2 + (ki % 20);
      const kecFacil = `Fasilitator Kec. ${k.name}`;
      const kecId = forum("kecamatan", k.code, `Musrenbang Kecamatan ${k.name}`, kecLate ? "open" : "closed", at(2, 2, 0), at(2, 27, 480), kecLate ? null : at(2, kDay, 360), `Pendopo Kecamatan ${k.name}`);
      const centre = [-7.15 - rnd() * 0.2, 111.62 + rnd() * 0.46];
      const escalated: Gen[] = [];
      desaOf.get(k.code)!.forEach((d, di) => {
        const desaOpen = kecLate && di % 2 === 0;
        const day = 5 + ((ki + di) % 24);
        const facil = `Fasilitator ${d.code.split(".")[3].startsWith("1") ? "Kel." : "Desa"} ${d.name}`;
        const desaId = forum("desa", d.code, `Musrenbang Desa/Kelurahan ${d.name}`, desaOpen ? "open" : "closed", at(1, 5, 0), at(1, 31, 480), desaOpen ? null : at(1, day, 300), `Balai ${d.name}`);
        const here: Gen[] = [];
        const dc = [centre[0] + (rnd() - 0.5) * 0.06, centre[1] + (rnd() - 0.5) * 0.06];
        for (let i = 0; i < opts.perDesa; i++) {
          const t = pick(TEMPLATES);
          const volume = between(t.volume[0], t.volume[1]);
          const dusun = pick(DUSUN);
          const rt = String(between(1, 12)).padStart(3, "0");
          const rw = String(between(1, 6)).padStart(3, "0");
          const created = at(1, day, 30 + (i * 110) / opts.perDesa);
          const p: Gen = {
            id: uuid(),
            code: `${year}-${d.code}-${String(i + 1).padStart(3, "0")}`,
            source: "musrenbang",
            originForumId: desaId,
            currentForumId: desaId,
            t,
            title: t.title(`Dusun ${dusun} RT ${rt}/RW ${rw}`),
            desaCode: d.code,
            kecamatanCode: k.code,
            address: `Dusun ${dusun}, ${d.name}`,
            rt,
            rw,
            lat: t.kind === "fisik" ? (dc[0] + (rnd() - 0.5) * 0.01).toFixed(6) : null,
            lng: t.kind === "fisik" ? (dc[1] + (rnd() - 0.5) * 0.01).toFixed(6) : null,
            volume,
            cost: (BigInt(volume) * BigInt(t.unitCost)).toString(),
            beneficiaries: Math.max(5, Math.round(volume * t.perUnitBeneficiaries * (0.7 + rnd() * 0.6))),
            proposer: "",
            status: "submitted",
            targetOpdId: opdId.get(t.opd)!,
            originalOpdId: opdId.get(t.opd)!,
            mergedIntoId: null,
            reason: "",
            sk: t.sk,
            createdAt: created,
            updatedAt: created,
            version: 0,
          };
          proposals.push(p);
          step(p, desaId, created, "desa", "submit", null, "submitted", facil);
          if (rnd() < 0.03) {
            p.status = "withdrawn";
            p.reason = "Sudah didanai Dana Desa tahun berjalan.";
            step(p, desaId, at(1, day, 150 + (i * 40) / opts.perDesa), "desa", "withdraw", "submitted", "withdrawn", facil, p.reason);
          } else here.push(p);
        }
        if (desaOpen) return;
        // Scored, ranked and closed: the top `quota` go on to the kecamatan forum.
        const w = weights("desa");
        const closeAt = at(1, day, 300);
        const ranked = rank(
          here.map((p) => {
            const s = randomScores(w.length, 0);
            scoreRows(desaId, p, "desa", s, facil, at(1, day, 200));
            return { p, total: totalOf(s, w) };
          }),
        );
        const q = quota("desa");
        ranked.forEach(({ p, total }, i) => {
          const r = i + 1;
          const details = { rank: r, of: ranked.length, quota: q, total: fmtTotal(total) };
          if (r <= q) {
            p.status = "escalated";
            p.currentForumId = kecId;
            step(p, desaId, closeAt, "desa", "prioritise", "submitted", "escalated", facil, "", { ...details, to: `Musrenbang Kecamatan ${k.name}` });
            escalated.push(p);
          } else {
            p.status = "not_prioritised";
            step(p, desaId, closeAt, "desa", "deprioritise", "submitted", "not_prioritised", facil, "", details);
          }
          entries.push({ forum_id: desaId, proposal_id: p.id, total_score: fmtTotal(total), rank: r, outcome: r <= q ? "moved_on" : "not_prioritised" });
        });
      });

      // The kecamatan forum: verify, reject, merge; then (when it closes) score, rank, forward.
      let tick = 0;
      const when = () => at(2, kDay, 30 + tick++ / 6); // every 10 s, well before the close at 14:00
      const verified: Gen[] = [];
      const mergers: Gen[] = [];
      for (const p of escalated) {
        const r = rnd();
        if (r < 0.06) {
          const viaVerify = rnd() < 0.5;
          if (viaVerify) step(p, kecId, when(), "kecamatan", "verify", "escalated", "verified", kecFacil);
          p.status = "rejected";
          p.reason = pick(KEC_REJECT);
          step(p, kecId, when(), "kecamatan", "reject", viaVerify ? "verified" : "escalated", "rejected", kecFacil, p.reason, { by: "kecamatan" });
        } else if (r < 0.09) mergers.push(p);
        else if (kecLate && rnd() < 0.4) {
          /* still escalated: not yet looked at */
        } else {
          p.status = "verified";
          step(p, kecId, when(), "kecamatan", "verify", "escalated", "verified", kecFacil);
          verified.push(p);
        }
      }
      for (const p of mergers) {
        const into = verified.length ? pick(verified) : null;
        if (!into) {
          p.status = "verified";
          step(p, kecId, when(), "kecamatan", "verify", "escalated", "verified", kecFacil);
          verified.push(p);
          continue;
        }
        const m = when();
        p.status = "merged";
        p.mergedIntoId = into.id;
        p.reason = MERGE;
        step(p, kecId, m, "kecamatan", "merge", "escalated", "merged", kecFacil, MERGE, { into: into.code, intoId: into.id });
        step(into, kecId, m, "kecamatan", "absorb", "verified", "verified", kecFacil, MERGE, { from: p.code, fromId: p.id });
      }
      if (kecLate) return;
      const w = weights("kecamatan");
      const closeAt = at(2, kDay, 360);
      const ranked = rank(
        verified.map((p) => {
          const s = randomScores(w.length, 1);
          scoreRows(kecId, p, "kecamatan", s, kecFacil, at(2, kDay, 240));
          return { p, total: totalOf(s, w) };
        }),
      );
      const q = quota("kecamatan");
      ranked.forEach(({ p, total }, i) => {
        const r = i + 1;
        const details = { rank: r, of: ranked.length, quota: q, total: fmtTotal(total) };
        if (r <= q) {
          p.status = "opd_review";
          p.currentForumId = kabId;
          step(p, kecId, closeAt, "kecamatan", "forward", "verified", "opd_review", kecFacil, "", { ...details, to: `Musrenbang RKPD ${tenantRegion.name}` });
          forwarded.push(p);
        } else {
          p.status = "not_prioritised";
          step(p, kecId, closeAt, "kecamatan", "deprioritise", "verified", "not_prioritised", kecFacil, "", details);
        }
        entries.push({ forum_id: kecId, proposal_id: p.id, total_score: fmtTotal(total), rank: r, outcome: r <= q ? "moved_on" : "not_prioritised" });
      });
    });

    // DPRD pokir, entered by Bappeda at the kabupaten forum: straight to OPD review.
    const allDesa = regions.filter((r) => r.level === 4);
    const pokirCount = Math.max(1, Math.round((allDesa.length * opts.perDesa) / 300));
    for (let i = 0; i < pokirCount; i++) {
      const d = pick(allDesa);
      const t = pick(TEMPLATES);
      const volume = between(t.volume[0], t.volume[1]);
      const created = at(3, 16, 240 + i * 2);
      const p: Gen = {
        id: uuid(),
        code: `${year}-POKIR-${String(i + 1).padStart(3, "0")}`,
        source: "pokir",
        originForumId: kabId,
        currentForumId: kabId,
        t,
        title: t.title(`Desa ${d.name}`),
        desaCode: d.code,
        kecamatanCode: d.code.slice(0, 8),
        address: `Desa ${d.name}`,
        rt: "",
        rw: "",
        lat: null,
        lng: null,
        volume,
        cost: (BigInt(volume) * BigInt(t.unitCost)).toString(),
        beneficiaries: Math.max(5, Math.round(volume * t.perUnitBeneficiaries)),
        proposer: `Anggota DPRD ${1 + (i % 50)} (Fraksi ${pick(["PKB", "PDI-P", "Golkar", "Gerindra", "Demokrat", "PAN", "NasDem"])}, Dapil ${["I", "II", "III", "IV", "V", "VI"][i % 6]})`,
        status: "opd_review",
        targetOpdId: opdId.get(t.opd)!,
        originalOpdId: opdId.get(t.opd)!,
        mergedIntoId: null,
        reason: "",
        sk: t.sk,
        createdAt: created,
        updatedAt: created,
        version: 0,
      };
      proposals.push(p);
      step(p, kabId, created, "kabupaten", "pokir", null, "opd_review", bappeda, "", { proposer: p.proposer });
      forwarded.push(p);
    }

    // OPD review at the kabupaten forum.
    const allOpds = [...new Set(TEMPLATES.map((t) => opdId.get(t.opd)!))];
    forwarded.forEach((p, i) => {
      let minute = i * 7;
      const when = () => at(3, 25, minute++);
      if (rnd() < 0.08) {
        const to = pick(allOpds.filter((o) => o !== p.targetOpdId));
        const from = p.targetOpdId;
        p.targetOpdId = to;
        step(p, kabId, when(), "kabupaten", "transfer", "opd_review", "opd_review", `Verifikator ${opdOf.get(from)!.short_name}`, TRANSFER, {
          from: opdOf.get(from)!.code,
          to: opdOf.get(to)!.code,
          toName: opdOf.get(to)!.name,
        });
      }
      const officer = `Verifikator ${opdOf.get(p.targetOpdId)!.short_name}`;
      const r = rnd();
      if (!kabClosed && r < 0.35) return; // still awaiting its OPD
      if (r < (kabClosed ? 0.13 : 0.47)) {
        p.status = "rejected";
        p.reason = pick(OPD_REJECT);
        step(p, kabId, when(), "kabupaten", "reject", "opd_review", "rejected", officer, p.reason, { by: "opd" });
        return;
      }
      p.status = "accepted";
      step(p, kabId, when(), "kabupaten", "accept", "opd_review", "accepted", officer, "", { subKegiatan: p.sk });
      if (rnd() < 0.05) {
        p.status = "not_adopted";
        p.reason = NOT_ADOPT;
        step(p, kabId, at(4, 14, 60 + (i % 300)), "kabupaten", "notAdopt", "accepted", "not_adopted", bappeda, NOT_ADOPT);
      } else if (kabClosed) {
        p.status = "adopted";
        step(p, kabId, at(4, 15, 360), "kabupaten", "adopt", "accepted", "adopted", bappeda);
        entries.push({ forum_id: kabId, proposal_id: p.id, total_score: null, rank: null, outcome: "adopted" });
      }
    });

    // Timeline rows in the order they happened, so that ids follow time as they do in real use.
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
    const build = performance.now() - tb;

    const ti = performance.now();
    await em.transactional(async (tx) => {
      if (newCriteria.length)
        await bulk(tx, "scoring_criterion", "id uuid, level text, code text, name text, description text, weight numeric, sort_order int", newCriteria, `'${T}'`, "tenant_code", 5000);
      await bulk(
        tx,
        "forum",
        "id uuid, level text, region_code text, name text, status text, opens_at timestamptz, closes_at timestamptz, venue text, attendees_total int, attendees_women int, signatories jsonb, minutes_notes text, signed_at timestamptz, version int, created_at timestamptz, updated_at timestamptz",
        forums,
        `'${T}', ${year}`,
        "tenant_code, fiscal_year",
        5000,
      );
      await bulk(
        tx,
        "proposal",
        "id uuid, code text, source text, origin_forum_id uuid, current_forum_id uuid, title text, problem text, kind text, thematic_group text, bidang_urusan text, target_opd_id uuid, original_opd_id uuid, desa_code text, kecamatan_code text, address text, rt text, rw text, lat numeric, lng numeric, volume numeric, unit text, estimated_cost numeric, beneficiaries int, proposer text, status text, merged_into_id uuid, reason text, proposed_sub_kegiatan text, created_by text, version int, created_at timestamptz, updated_at timestamptz",
        proposals.map((p) => ({
          id: p.id,
          code: p.code,
          source: p.source,
          origin_forum_id: p.originForumId,
          current_forum_id: p.currentForumId,
          title: p.title,
          problem: p.t.problem,
          kind: p.t.kind,
          thematic_group: p.t.group,
          bidang_urusan: p.t.bidang,
          target_opd_id: p.targetOpdId,
          original_opd_id: p.originalOpdId,
          desa_code: p.desaCode,
          kecamatan_code: p.kecamatanCode,
          address: p.address,
          rt: p.rt,
          rw: p.rw,
          lat: p.lat,
          lng: p.lng,
          volume: String(p.volume),
          unit: p.t.unit,
          estimated_cost: p.cost,
          beneficiaries: p.beneficiaries,
          proposer: p.proposer,
          status: p.status,
          merged_into_id: p.mergedIntoId,
          reason: p.reason,
          proposed_sub_kegiatan: ["accepted", "adopted", "not_adopted"].includes(p.status) ? p.sk : "",
          created_by: p.source === "pokir" ? "bappeda" : "generator",
          version: p.version,
          created_at: p.createdAt.toISOString(),
          updated_at: p.updatedAt.toISOString(),
        })),
        `'${T}', ${year}`,
        "tenant_code, fiscal_year",
        5000,
      );
      await bulk(tx, "proposal_score", "forum_id uuid, proposal_id uuid, criterion_id uuid, score smallint, scored_by text, scored_at timestamptz", scores, `'${T}'`, "tenant_code", 5000);
      await bulk(tx, "forum_entry", "forum_id uuid, proposal_id uuid, total_score numeric, rank int, outcome text", entries, `'${T}'`, "tenant_code", 5000);
      await bulk(
        tx,
        "proposal_event",
        "proposal_id uuid, forum_id uuid, at timestamptz, level text, action text, from_status text, to_status text, actor_name text, reason text, details jsonb",
        events.map(({ seq: _s, ...e }) => e),
        `'${T}'`,
        "tenant_code",
        5000,
      );
    });
    const insert = performance.now() - ti;
    const ta = performance.now();
    await em.execute("analyze forum, proposal, proposal_score, forum_entry, proposal_event");
    const analyze = performance.now() - ta;

    const byStatus: Record<string, number> = {};
    for (const p of proposals) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    const order = proposals.map((p) => p.id);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return {
      year,
      forums: forums.length,
      proposals: proposals.length,
      events: events.length,
      scores: scores.length,
      entries: entries.length,
      byStatus,
      sampleIds: order.slice(0, 500),
      kecamatan: kecamatan.map((k) => k.code),
      ms: { build: Math.round(build), insert: Math.round(insert), analyze: Math.round(analyze), total: Math.round(performance.now() - t0) },
    };
  } finally {
    await orm.close(true);
  }
}

