/**
 * Scale data for e-Planning: the RKPD of one fiscal year at kabupaten size, in bulk SQL.
 *
 *   OPDs            45 more perangkat daerah for the demo tenant (Bojonegoro, 35.22): 21 dinas, badan,
 *                   sekretariat and RSUD, and 24 kecamatan (named after the real kecamatan in the region
 *                   table), each with a realistic eight-segment code and mapped in opd_bidang to the 1–3
 *                   bidang urusan that code names. Kept when already there (a second year reuses them).
 *   nomenclature    the planning set in force for the year when it offers every OPD enough sub kegiatan;
 *                   otherwise (the shipped list stops at bidang urusan) a GENERATED set applying from that
 *                   year: its urusan and bidang copied from the set in force, and under every bidang an
 *                   OPD carries the real "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
 *                   kegiatan plus six plausible programmes × 4 kegiatan × 12 sub kegiatan. Its decree says
 *                   it is generated; it is no Kepmendagri.
 *   plan            per OPD a plan_ceiling (pagu indikatif) and a renja (mixed statuses: rancangan awal,
 *                   rancangan, final); `subs` sub_activity rows (default 4,000) spread over the OPDs,
 *                   each at one to three real desa of 35.22, with ceilings exact to the sen (BigInt sen,
 *                   no float) that add up within the OPD's ceiling.
 *   links           when the year has a Musrenbang (e.g. tests/bench/generate-musrenbang.ts), the demo
 *                   OPDs that accepted proposals get a renja too, and most accepted proposals are taken
 *                   up by a sub-activity of their own OPD (sub_activity_proposal), each with the "plan"
 *                   step on its public timeline, as addSubActivity leaves it.
 *
 * No audit events are written: nobody did this (audit:verify still passes; the chain is not extended).
 * Deterministic (a seeded PRNG, also for the ids). Refuses a year that already has renja rows.
 *
 * Standalone: `tsx tests/bench/generate-planning.ts --year 2031 [--subs 4000] [--seed 2031]` against
 * DATABASE_URL or the embedded database (regions imported and the demo tenant seeded first).
 */
import { createOrm } from "../../domain/persistence";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { prng } from "../../imports/shared/prng";
import { bulk } from "./bulk";
import { runStandalone } from "./standalone";

export interface GeneratePlanningOptions {
  year: number;
  /** Sub-activities in all (default 4,000). */
  subs?: number;
  seed?: number;
}

export interface GeneratePlanningResult {
  year: number;
  opdsAdded: number;
  opdsWithRenja: number;
  subActivities: number;
  links: number;
  /** The generated nomenclature set, or null when the set in force was enough. */
  nomenclatureSet: { decree: string; items: number; subKegiatan: number } | null;
  byStatus: Record<string, number>;
  planned: string;
  ceilings: string;
  /** The OPD codes with a renja, in a fixed shuffled order, for benchmarks that rotate through them. */
  opdCodes: string[];
  ms: { build: number; insert: number; analyze: number; total: number };
}

const T = DEMO_TENANT.code;
export const GENERATED_DECREE = "DIBANGKITKAN UNTUK BENCHMARK — bukan keputusan (tests/bench/generate-planning.ts)";

/** The 21 dinas, badan, sekretariat and RSUD (codes clear of the demo's 16); 24 kecamatan follow from the region table. */
const AGENCIES: { code: string; shortName: string; name: string }[] = [
  { code: "1.02.0.00.0.00.02.0000", shortName: "RSUD Sosodoro", name: "RSUD dr. R. Sosodoro Djatikoesoemo" },
  { code: "1.02.0.00.0.00.03.0000", shortName: "RSUD Padangan", name: "RSUD Padangan" },
  { code: "1.02.0.00.0.00.04.0000", shortName: "RSUD Sumberrejo", name: "RSUD Sumberrejo" },
  { code: "1.02.0.00.0.00.05.0000", shortName: "RSUD Kepohbaru", name: "RSUD Kepohbaru" },
  { code: "1.05.0.00.0.00.02.0000", shortName: "BPBD", name: "Badan Penanggulangan Bencana Daerah" },
  { code: "1.05.0.00.0.00.03.0000", shortName: "Damkar", name: "Dinas Pemadam Kebakaran dan Penyelamatan" },
  { code: "2.07.3.31.3.32.01.0000", shortName: "Disperinaker", name: "Dinas Perindustrian, Tenaga Kerja dan Transmigrasi" },
  { code: "2.08.2.14.0.00.01.0000", shortName: "DP3AKB", name: "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak" },
  { code: "2.12.0.00.0.00.01.0000", shortName: "Dukcapil", name: "Dinas Kependudukan dan Pencatatan Sipil" },
  { code: "2.17.3.30.0.00.01.0000", shortName: "Disdagkop", name: "Dinas Perdagangan, Koperasi dan Usaha Mikro" },
  { code: "2.18.0.00.0.00.01.0000", shortName: "DPMPTSP", name: "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" },
  { code: "2.19.0.00.0.00.01.0000", shortName: "Dispora", name: "Dinas Pemuda dan Olahraga" },
  { code: "2.22.3.26.0.00.01.0000", shortName: "Disbudpar", name: "Dinas Kebudayaan dan Pariwisata" },
  { code: "2.23.2.24.0.00.01.0000", shortName: "Dispusip", name: "Dinas Perpustakaan dan Kearsipan" },
  { code: "3.25.3.27.0.00.01.0000", shortName: "Disnakkan", name: "Dinas Peternakan dan Perikanan" },
  { code: "3.29.0.00.0.00.01.0000", shortName: "Dinas ESDM", name: "Dinas Energi dan Sumber Daya Mineral" },
  { code: "4.02.0.00.0.00.01.0000", shortName: "Setwan", name: "Sekretariat DPRD" },
  { code: "5.02.0.00.0.00.02.0000", shortName: "Bapenda", name: "Badan Pendapatan Daerah" },
  { code: "5.03.5.04.0.00.01.0000", shortName: "BKPSDM", name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" },
  { code: "5.05.0.00.0.00.01.0000", shortName: "BRIDA", name: "Badan Riset dan Inovasi Daerah" },
  { code: "8.01.0.00.0.00.01.0000", shortName: "Bakesbangpol", name: "Badan Kesatuan Bangsa dan Politik" },
];
const KECAMATAN_OPDS = 45 - AGENCIES.length;

/** The bidang urusan an eight-segment OPD code names (as domain/nomenclature/codes.ts reads them). */
const bidangOf = (code: string) => {
  const s = code.split(".");
  return [`${s[0]}.${s[1]}`, `${s[2]}.${s[3]}`, `${s[4]}.${s[5]}`].filter((b) => !b.endsWith(".00"));
};

/** The real kegiatan and sub kegiatan of every bidang's programme 01 (Kepmendagri 900.1.15.5-1317/2023). */
const PENUNJANG: { k: string; name: string; subs: [string, string, string][] }[] = [
  {
    k: "2.01",
    name: "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
    subs: [
      ["Penyusunan Dokumen Perencanaan Perangkat Daerah", "Jumlah Dokumen Perencanaan Perangkat Daerah", "Dokumen"],
      ["Koordinasi dan Penyusunan Dokumen RKA-SKPD", "Jumlah Dokumen RKA-SKPD dan Laporan Hasil Koordinasi Penyusunan Dokumen RKA-SKPD", "Dokumen"],
      ["Koordinasi dan Penyusunan Dokumen Perubahan RKA-SKPD", "Jumlah Dokumen Perubahan RKA-SKPD", "Dokumen"],
      ["Koordinasi dan Penyusunan DPA-SKPD", "Jumlah Dokumen DPA-SKPD", "Dokumen"],
      ["Koordinasi dan Penyusunan Perubahan DPA-SKPD", "Jumlah Dokumen Perubahan DPA-SKPD", "Dokumen"],
      ["Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD", "Jumlah Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD", "Laporan"],
      ["Evaluasi Kinerja Perangkat Daerah", "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah", "Laporan"],
    ],
  },
  {
    k: "2.02",
    name: "Administrasi Keuangan Perangkat Daerah",
    subs: [
      ["Penyediaan Gaji dan Tunjangan ASN", "Jumlah Orang yang Menerima Gaji dan Tunjangan ASN", "Orang/bulan"],
      ["Penyediaan Administrasi Pelaksanaan Tugas ASN", "Jumlah Dokumen Hasil Penyediaan Administrasi Pelaksanaan Tugas ASN", "Dokumen"],
      ["Pelaksanaan Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD", "Jumlah Dokumen Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD", "Dokumen"],
      ["Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD", "Jumlah Laporan Keuangan Akhir Tahun SKPD", "Laporan"],
    ],
  },
  {
    k: "2.05",
    name: "Administrasi Kepegawaian Perangkat Daerah",
    subs: [
      ["Pengadaan Pakaian Dinas beserta Atribut Kelengkapannya", "Jumlah Paket Pakaian Dinas beserta Atribut Kelengkapan", "Paket"],
      ["Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi", "Jumlah Pegawai Berdasarkan Tugas dan Fungsi yang Mengikuti Pendidikan dan Pelatihan", "Orang"],
      ["Bimbingan Teknis Implementasi Peraturan Perundang-Undangan", "Jumlah Orang yang Mengikuti Bimbingan Teknis", "Orang"],
    ],
  },
  {
    k: "2.06",
    name: "Administrasi Umum Perangkat Daerah",
    subs: [
      ["Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor", "Jumlah Paket Komponen Instalasi Listrik/Penerangan Bangunan Kantor yang Disediakan", "Paket"],
      ["Penyediaan Peralatan dan Perlengkapan Kantor", "Jumlah Paket Peralatan dan Perlengkapan Kantor yang Disediakan", "Paket"],
      ["Penyediaan Bahan Logistik Kantor", "Jumlah Paket Bahan Logistik Kantor yang Disediakan", "Paket"],
      ["Penyediaan Barang Cetakan dan Penggandaan", "Jumlah Paket Barang Cetakan dan Penggandaan yang Disediakan", "Paket"],
      ["Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD", "Jumlah Laporan Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD", "Laporan"],
    ],
  },
  {
    k: "2.08",
    name: "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
    subs: [
      ["Penyediaan Jasa Surat Menyurat", "Jumlah Laporan Penyediaan Jasa Surat Menyurat", "Laporan"],
      ["Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik", "Jumlah Laporan Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik yang Disediakan", "Laporan"],
      ["Penyediaan Jasa Pelayanan Umum Kantor", "Jumlah Laporan Penyediaan Jasa Pelayanan Umum Kantor yang Disediakan", "Laporan"],
    ],
  },
  {
    k: "2.09",
    name: "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    subs: [
      ["Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, dan Pajak Kendaraan Dinas Operasional atau Lapangan", "Jumlah Kendaraan Dinas Operasional atau Lapangan yang Dipelihara", "Unit"],
      ["Pemeliharaan Peralatan dan Mesin Lainnya", "Jumlah Peralatan dan Mesin Lainnya yang Dipelihara", "Unit"],
      ["Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya", "Jumlah Gedung Kantor dan Bangunan Lainnya yang Dipelihara/Direhabilitasi", "Unit"],
    ],
  },
];

/** Programme name stems (with a topic from the bidang's name) and the sub kegiatan actions under each kegiatan. */
const PROGRAMS = ["PENGELOLAAN", "PENINGKATAN LAYANAN", "PEMBINAAN DAN PENGEMBANGAN", "PENGENDALIAN DAN PENGAWASAN", "PEMBERDAYAAN MASYARAKAT DALAM", "PENYEDIAAN SARANA DAN PRASARANA"];
const SCOPES = ["Tingkat Kabupaten", "Berbasis Desa", "Kawasan Perkotaan", "Kawasan Perdesaan", "bagi Kelompok Rentan", "Kawasan Strategis"];
const KEGIATAN = ["Penyelenggaraan", "Pengembangan", "Penataan", "Fasilitasi"];
const ACTIONS: { verb: string; indicator: string; unit: string; target: [number, number, number] }[] = [
  { verb: "Pembangunan Sarana", indicator: "Jumlah Sarana yang Dibangun", unit: "Unit", target: [1, 12, 0] },
  { verb: "Rehabilitasi Sarana", indicator: "Jumlah Sarana yang Direhabilitasi", unit: "Unit", target: [1, 20, 0] },
  { verb: "Pemeliharaan Prasarana", indicator: "Panjang/Luas Prasarana yang Dipelihara", unit: "Km", target: [1, 40, 2] },
  { verb: "Pengadaan Peralatan", indicator: "Jumlah Paket Peralatan yang Diadakan", unit: "Paket", target: [1, 10, 0] },
  { verb: "Penyusunan Dokumen Perencanaan", indicator: "Jumlah Dokumen yang Disusun", unit: "Dokumen", target: [1, 6, 0] },
  { verb: "Fasilitasi Kelompok Masyarakat", indicator: "Jumlah Kelompok Masyarakat yang Difasilitasi", unit: "Kelompok", target: [5, 120, 0] },
  { verb: "Pembinaan Pelaku", indicator: "Jumlah Pelaku yang Dibina", unit: "Orang", target: [20, 600, 0] },
  { verb: "Sosialisasi dan Edukasi", indicator: "Jumlah Peserta Sosialisasi", unit: "Orang", target: [50, 1500, 0] },
  { verb: "Pelatihan Sumber Daya Manusia", indicator: "Jumlah Orang yang Dilatih", unit: "Orang", target: [20, 400, 0] },
  { verb: "Monitoring dan Evaluasi", indicator: "Jumlah Laporan Monitoring dan Evaluasi", unit: "Laporan", target: [1, 12, 0] },
  { verb: "Pendataan dan Pemutakhiran Data", indicator: "Persentase Data yang Dimutakhirkan", unit: "%", target: [60, 100, 2] },
  { verb: "Koordinasi dan Sinkronisasi", indicator: "Jumlah Desa/Kelurahan yang Dikoordinasikan", unit: "Desa", target: [5, 430, 0] },
];
const FUNDING = ["DAU", "DAU", "DAU", "PAD", "PAD", "DBH", "DBH", "DAK Fisik", "DAK Non-Fisik", "Bantuan Keuangan Provinsi", "SiLPA"];

const titleCase = (s: string) =>
  s
    .toLowerCase()
    .split(" ")
    .map((w) => (["dan", "serta", "di", "yang"].includes(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
/** "URUSAN PEMERINTAHAN BIDANG PEKERJAAN UMUM DAN PENATAAN RUANG" → "PEKERJAAN UMUM DAN PENATAAN RUANG". */
const topicOf = (bidangName: string) => bidangName.replace(/^URUSAN PEMERINTAHAN BIDANG\s+/i, "").replace(/^UNSUR\s+/i, "").trim();
/** Whole-rupiah sen amounts as numeric text: 12345678 sen → "123456.78". */
const rupiah = (sen: bigint) => `${sen / 100n}.${String(sen % 100n).padStart(2, "0")}`;

export async function generatePlanning(url: string, opts: GeneratePlanningOptions): Promise<GeneratePlanningResult> {
  const t0 = performance.now();
  const year = opts.year;
  const total = opts.subs ?? 4000;
  const rnd = prng(opts.seed ?? year * 7 + 11);
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
  const between = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const uuid = () => {
    const h = Array.from({ length: 4 }, () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[Math.floor(rnd() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  // Renja are drafted from January to May of the year before.
  const at = (month: number, day: number, minutes = 0) => new Date(Date.UTC(year - 1, month - 1, day, 1, 0) + minutes * 60_000);

  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    const em = orm.em.fork();
    const [{ n: existing }] = await em.execute<{ n: string }[]>("select count(*)::text as n from renja where tenant_code = ? and fiscal_year = ?", [T, year]);
    if (existing !== "0") throw new Error(`fiscal year ${year} already has ${existing} renja in ${T}`);
    const [tenantRegion] = await em.execute<{ name: string }[]>("select name from region where code = ?", [T]);
    if (!tenantRegion) throw new Error(`region ${T} is missing: import the regions first`);
    const [{ n: tenants }] = await em.execute<{ n: string }[]>("select count(*)::text as n from tenant where code = ?", [T]);
    if (tenants === "0") throw new Error(`tenant ${T} is missing: seed the demo tenant first`);
    const kecamatan = await em.execute<{ code: string; name: string }[]>("select code, name from region where parent_code = ? and level = 3 order by code", [T]);
    const desa = (await em.execute<{ code: string }[]>("select code from region where level = 4 and code like ? order by code", [`${T}.%`])).map((r) => r.code);
    if (kecamatan.length < KECAMATAN_OPDS || desa.length === 0) throw new Error(`region ${T} has too few kecamatan or desa`);

    const tb = performance.now();
    // The 45 OPDs: added unless a previous run added them.
    const wanted = [
      ...AGENCIES,
      ...kecamatan.slice(0, KECAMATAN_OPDS).map((k, i) => ({ code: `7.01.0.00.0.00.${String(i + 1).padStart(2, "0")}.0000`, shortName: `Kec. ${titleCase(k.name)}`, name: `Kecamatan ${titleCase(k.name)}` })),
    ];
    const before = await em.execute<{ id: string; code: string; name: string }[]>("select id, code, name from opd where tenant_code = ?", [T]);
    const known = new Map(before.map((o) => [o.code, o]));
    const newOpds = wanted.filter((o) => !known.has(o.code)).map((o) => ({ id: uuid(), ...o }));
    const generated = wanted.map((o) => known.get(o.code) ?? newOpds.find((x) => x.code === o.code)!).map((o) => ({ id: o.id, code: o.code, name: o.name }));
    const bidangRows = newOpds.flatMap((o) => bidangOf(o.code).map((b) => ({ opd_id: o.id, bidang_code: b })));

    // With a Musrenbang this year, the demo OPDs that accepted proposals plan too, taking them up.
    const accepted = await em.execute<{ id: string; code: string; status: string; target_opd_id: string }[]>(
      `select p.id, p.code, p.status, p.target_opd_id from proposal p
        where p.tenant_code = ? and p.fiscal_year = ? and p.status in ('accepted','adopted')
          and not exists (select 1 from sub_activity_proposal s where s.proposal_id = p.id)
        order by p.code`,
      [T, year],
    );
    const demoPlanners = before.filter((o) => accepted.some((p) => p.target_opd_id === o.id) && !generated.some((g) => g.id === o.id)).sort((a, b) => (a.code < b.code ? -1 : 1));
    const planners = [...generated, ...demoPlanners];
    const isDemo = new Set(demoPlanners.map((o) => o.id));

    // The bidang each planning OPD carries (what opd_bidang says, or will say once inserted).
    const carried = new Map<string, string[]>();
    for (const r of await em.execute<{ opd_id: string; bidang_code: string }[]>("select opd_id, bidang_code from opd_bidang where tenant_code = ? order by bidang_code", [T]))
      carried.set(r.opd_id, [...(carried.get(r.opd_id) ?? []), r.bidang_code]);
    for (const r of bidangRows) carried.set(r.opd_id, [...(carried.get(r.opd_id) ?? []), r.bidang_code]);
    for (const o of planners) if (!carried.get(o.id)?.length) throw new Error(`OPD ${o.code} carries no bidang urusan`);

    // How many sub-activities each OPD gets: weighted, exact total, each within what its bidang offer.
    const weights = planners.map((o) => (o.code.startsWith("7.01") ? 0.35 : 0.6) + rnd() * (o.code.startsWith("7.01") ? 0.4 : 1.6));
    const wsum = weights.reduce((a, b) => a + b, 0);

    // The set in force, and what it offers under each bidang.
    const [inForce] = await em.execute<{ id: string; decree: string; sub_width: number }[]>(
      "select id, decree, sub_width from nomenclature_set where kind = 'planning' and applies_from <= ? order by applies_from desc, imported_at desc limit 1",
      [year],
    );
    const offered = async (setId: string) => {
      const rows = await em.execute<{ code: string; name: string; indicator: string; unit: string }[]>(
        "select code, name, indicator, unit from nomenclature_item where set_id = ? and level = 'sub_kegiatan' order by code",
        [setId],
      );
      const by = new Map<string, typeof rows>();
      for (const r of rows) by.set(r.code.slice(0, 4), [...(by.get(r.code.slice(0, 4)) ?? []), r]);
      return by;
    };
    const quota = (avail: (o: { id: string }) => number) => {
      const q = planners.map((o, i) => Math.min(avail(o), Math.max(1, Math.floor((total * weights[i]) / wsum))));
      let left = total - q.reduce((a, b) => a + b, 0);
      for (let pass = 0; left !== 0 && pass < 100; pass++)
        planners.forEach((o, i) => {
          if (left > 0 && q[i] < avail(o)) {
            q[i]++;
            left--;
          } else if (left < 0 && q[i] > 1) {
            q[i]--;
            left++;
          }
        });
      return left === 0 ? q : null;
    };
    let setId = inForce?.id ?? "";
    let bySub = inForce ? await offered(inForce.id) : new Map();
    const availIn = (by: typeof bySub) => (o: { id: string }) => carried.get(o.id)!.reduce((a, b) => a + (by.get(b)?.length ?? 0), 0);
    let quotas = quota(availIn(bySub));
    let generatedSet: GeneratePlanningResult["nomenclatureSet"] = null;
    const setItems: Record<string, unknown>[] = [];
    if (!quotas) {
      // Not enough in force: a generated set applying from this year, clearly marked as such.
      setId = uuid();
      const top = inForce
        ? await em.execute<{ code: string; level: string; parent_code: string | null; name: string }[]>(
            "select code, level, parent_code, name from nomenclature_item where set_id = ? and level in ('urusan','bidang') order by code",
            [inForce.id],
          )
        : [];
      const topName = new Map(top.map((r) => [r.code, r.name]));
      const bidang = [...new Set([...carried.values()].flat())].sort();
      for (const r of top) setItems.push({ ...r, output: "", indicator: "", unit: "" });
      for (const b of bidang) {
        if (!topName.has(b[0])) {
          topName.set(b[0], `URUSAN ${b[0]}`);
          setItems.push({ code: b[0], level: "urusan", parent_code: null, name: `URUSAN ${b[0]}`, output: "", indicator: "", unit: "" });
        }
        if (!topName.has(b)) {
          topName.set(b, `URUSAN PEMERINTAHAN BIDANG ${b}`);
          setItems.push({ code: b, level: "bidang", parent_code: b[0], name: `URUSAN PEMERINTAHAN BIDANG ${b}`, output: "", indicator: "", unit: "" });
        }
        const topic = topicOf(topName.get(b)!);
        const add = (code: string, level: string, parent: string, name: string, indicator = "", unit = "") => setItems.push({ code, level, parent_code: parent, name, output: "", indicator, unit });
        add(`${b}.01`, "program", b, "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA");
        for (const k of PENUNJANG) {
          add(`${b}.01.${k.k}`, "kegiatan", `${b}.01`, k.name);
          k.subs.forEach(([name, ind, unit], i) => add(`${b}.01.${k.k}.${String(i + 1).padStart(4, "0")}`, "sub_kegiatan", `${b}.01.${k.k}`, name, ind, unit));
        }
        PROGRAMS.forEach((stem, pi) => {
          const pc = `${b}.${String(pi + 2).padStart(2, "0")}`;
          add(pc, "program", b, `PROGRAM ${stem} ${topic}`);
          KEGIATAN.forEach((kv, ki) => {
            const kc = `${pc}.2.${String(ki + 1).padStart(2, "0")}`;
            const object = `${titleCase(topic)} ${SCOPES[pi]}`;
            add(kc, "kegiatan", pc, `${kv} ${object}`);
            ACTIONS.forEach((a, si) => add(`${kc}.${String(si + 1).padStart(4, "0")}`, "sub_kegiatan", kc, `${a.verb} ${object}`, a.indicator, a.unit));
          });
        });
      }
      const by = new Map<string, { code: string; name: string; indicator: string; unit: string }[]>();
      for (const r of setItems)
        if (r.level === "sub_kegiatan") {
          const k = String(r.code).slice(0, 4);
          by.set(k, [...(by.get(k) ?? []), { code: String(r.code), name: String(r.name), indicator: String(r.indicator), unit: String(r.unit) }]);
        }
      bySub = by;
      quotas = quota(availIn(bySub));
      if (!quotas) throw new Error(`${total} sub-activities do not fit the OPDs' bidang even in the generated nomenclature`);
      generatedSet = { decree: GENERATED_DECREE, items: setItems.length, subKegiatan: setItems.filter((r) => r.level === "sub_kegiatan").length };
    }

    // Ceilings, renja and sub-activities.
    const ceilings: Record<string, unknown>[] = [];
    const renjas: Record<string, unknown>[] = [];
    const subs: Record<string, unknown>[] = [];
    const byStatus: Record<string, number> = {};
    let plannedSen = 0n;
    let ceilingSen = 0n;
    const subsOf = new Map<string, { id: string; code: string; name: string }[]>();
    planners.forEach((o, i) => {
      const n = quotas![i];
      // Kecamatan plan a few billion; dinas and RSUD tens to hundreds of billions.
      const ceilingRp = o.code.startsWith("7.01") ? between(1_500, 6_000) * 1_000_000 : between(8_000, 180_000) * 1_000_000 + n * between(200, 900) * 1_000_000;
      const ceiling = BigInt(ceilingRp) * 100n;
      ceilingSen += ceiling;
      const r = rnd();
      // Demo OPDs taking up proposals stay open (adopting would also mark the ones left out).
      const status = isDemo.has(o.id) ? "rancangan" : r < 0.45 ? "final" : r < 0.8 ? "rancangan" : "rancangan_awal";
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const renjaId = uuid();
      const opened = at(between(1, 2), between(2, 27), between(0, 480));
      const updated = new Date(opened.getTime() + between(1, 60) * 86_400_000);
      ceilings.push({ opd_id: o.id, amount: rupiah(ceiling), version: 1, updated_at: at(1, 2).toISOString() });
      renjas.push({ id: renjaId, opd_id: o.id, status, revision: 0, version: { rancangan_awal: 1, rancangan: 2, final: 3 }[status], created_at: opened.toISOString(), updated_at: updated.toISOString() });
      // Which sub kegiatan: a sorted sample of what the OPD's bidang offer.
      const pool = carried.get(o.id)!.flatMap((b) => bySub.get(b) ?? []);
      for (let j = pool.length - 1; j > 0; j--) {
        const k = Math.floor(rnd() * (j + 1));
        [pool[j], pool[k]] = [pool[k], pool[j]];
      }
      const chosen = pool.slice(0, n).sort((a, b) => (a.code < b.code ? -1 : 1));
      // Ceilings in sen: 80–99 % of the OPD's ceiling, split by weight, in thousands of rupiah (one in ten to the sen).
      const budget = (ceiling * BigInt(between(80, 99))) / 100n;
      const w = chosen.map(() => BigInt(between(5, 300)));
      const ws = w.reduce((a, b) => a + b, 0n);
      const mine: { id: string; code: string; name: string }[] = [];
      chosen.forEach((item, j) => {
        let sen = (budget * w[j]) / ws;
        sen = rnd() < 0.1 ? sen - (sen % 50n) : sen - (sen % 100_000n);
        plannedSen += sen;
        const action = ACTIONS.find((a) => a.unit === item.unit && a.indicator === item.indicator);
        const [lo, hi, places] = action?.target ?? (item.unit === "Orang/bulan" ? [12, 1200, 0] : [1, 12, 0]);
        const target = places ? (lo + rnd() * (hi - lo)).toFixed(places) : String(between(lo, hi));
        const locs = [...new Set(Array.from({ length: between(1, 3) }, () => pick(desa)))].sort();
        const id = uuid();
        const created = new Date(opened.getTime() + between(0, 40) * 86_400_000 + j * 60_000);
        subs.push({
          id,
          renja_id: renjaId,
          opd_id: o.id,
          nomenclature_set_id: setId,
          program_code: item.code.split(".").slice(0, 3).join("."),
          kegiatan_code: item.code.split(".").slice(0, 5).join("."),
          sub_kegiatan_code: item.code,
          name: item.name,
          indicator: item.indicator || item.name,
          target: Number(target) > 0 ? target : "1",
          unit: item.unit || "-",
          locations: locs,
          ceiling: rupiah(sen),
          funding_source: pick(FUNDING),
          version: 1,
          created_at: created.toISOString(),
          updated_at: created.toISOString(),
        });
        mine.push({ id, code: item.code, name: item.name });
      });
      subsOf.set(o.id, mine);
    });

    // Accepted proposals taken up by a sub-activity of their own OPD (most of them; the rest await).
    const links: Record<string, unknown>[] = [];
    const steps: Record<string, unknown>[] = [];
    const opdName = new Map(planners.map((o) => [o.id, o.name]));
    for (const p of accepted) {
      const mine = subsOf.get(p.target_opd_id);
      if (!mine?.length || rnd() < 0.2) continue;
      const s = pick(mine);
      const when = at(5, between(2, 28), between(0, 480)).toISOString();
      links.push({ sub_activity_id: s.id, proposal_id: p.id, linked_at: when });
      steps.push({
        proposal_id: p.id,
        forum_id: null,
        at: when,
        level: "kabupaten",
        action: "plan",
        from_status: p.status,
        to_status: p.status,
        actor_name: "Perencana OPD (data benchmark)",
        reason: "",
        details: { subKegiatan: `${s.code} ${s.name}`, opd: opdName.get(p.target_opd_id), year, subActivityId: s.id },
      });
    }
    steps.sort((a, b) => (String(a.at) < String(b.at) ? -1 : String(a.at) > String(b.at) ? 1 : 0));
    const build = performance.now() - tb;

    const ti = performance.now();
    await em.transactional(async (tx) => {
      if (newOpds.length)
        await bulk(tx, "opd", "id uuid, code text, name text, short_name text", newOpds.map((o) => ({ id: o.id, code: o.code, name: o.name, short_name: o.shortName })), `'${T}'`, "tenant_code");
      if (bidangRows.length) await bulk(tx, "opd_bidang", "opd_id uuid, bidang_code text", bidangRows, `'${T}'`, "tenant_code");
      if (setItems.length) {
        await tx.execute("insert into nomenclature_set (id, kind, decree, applies_from, sub_width, source, imported_at, imported_by) values (?, 'planning', ?, ?, 4, ?, ?, ?)", [
          setId,
          GENERATED_DECREE,
          year,
          "generated by tests/bench/generate-planning.ts (programme 01 as Kepmendagri 900.1.15.5-1317/2023; the rest invented)",
          at(1, 1).toISOString(),
          "bench-generator",
        ]);
        await bulk(tx, "nomenclature_item", "code text, level text, parent_code text, name text, output text, indicator text, unit text", setItems, `'${setId}'::uuid`, "set_id");
      }
      await bulk(tx, "plan_ceiling", "opd_id uuid, amount numeric, version int, updated_at timestamptz", ceilings, `'${T}', ${year}`, "tenant_code, fiscal_year");
      await bulk(tx, "renja", "id uuid, opd_id uuid, status text, revision int, version int, created_at timestamptz, updated_at timestamptz", renjas, `'${T}', ${year}`, "tenant_code, fiscal_year");
      await bulk(
        tx,
        "sub_activity",
        "id uuid, renja_id uuid, opd_id uuid, nomenclature_set_id uuid, program_code text, kegiatan_code text, sub_kegiatan_code text, name text, indicator text, target numeric, unit text, locations text[], ceiling numeric, funding_source text, version int, created_at timestamptz, updated_at timestamptz",
        subs,
        `'${T}', ${year}`,
        "tenant_code, fiscal_year",
      );
      if (links.length) await bulk(tx, "sub_activity_proposal", "sub_activity_id uuid, proposal_id uuid, linked_at timestamptz", links, `'${T}'`, "tenant_code");
      if (steps.length)
        await bulk(tx, "proposal_event", "proposal_id uuid, forum_id uuid, at timestamptz, level text, action text, from_status text, to_status text, actor_name text, reason text, details jsonb", steps, `'${T}'`, "tenant_code");
      // What the use cases guarantee, checked on what was written: each OPD's plan within its ceiling.
      const [over] = await tx.execute<{ code: string }[]>(
        `select o.code from plan_ceiling c join opd o on o.id = c.opd_id
          where c.tenant_code = ? and c.fiscal_year = ? and c.amount < (select coalesce(sum(s.ceiling), 0) from sub_activity s where s.tenant_code = c.tenant_code and s.fiscal_year = c.fiscal_year and s.opd_id = c.opd_id)`,
        [T, year],
      );
      if (over) throw new Error(`generated plan of ${over.code} exceeds its ceiling`);
    });
    const insert = performance.now() - ti;
    const ta = performance.now();
    await em.execute("analyze opd, opd_bidang, nomenclature_item, plan_ceiling, renja, sub_activity, sub_activity_proposal, proposal_event");
    const analyze = performance.now() - ta;

    const order = planners.map((o) => o.code);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return {
      year,
      opdsAdded: newOpds.length,
      opdsWithRenja: planners.length,
      subActivities: subs.length,
      links: links.length,
      nomenclatureSet: generatedSet,
      byStatus,
      planned: rupiah(plannedSen),
      ceilings: rupiah(ceilingSen),
      opdCodes: order,
      ms: { build: Math.round(build), insert: Math.round(insert), analyze: Math.round(analyze), total: Math.round(performance.now() - t0) },
    };
  } finally {
    await orm.close(true);
  }
}


// Standalone: tsx tests/bench/generate-planning.ts --year 2031 [--subs 4000] [--seed N]
await runStandalone(import.meta.url, "generate-planning.ts", ["subs", "seed"], async (url, year, num) => {
  const { opdCodes: _codes, ...r } = await generatePlanning(url, { year, subs: num("subs"), seed: num("seed") });
  return r;
});
