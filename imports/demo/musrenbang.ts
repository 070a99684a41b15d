/**
 * The demo kabupaten's e-Musrenbang: one finished cycle (fiscal year 2027, whose forums met from
 * January to April 2026) and the start of the next one (fiscal year 2028). Everything is done through
 * the domain's use cases, by the people who would do it (the demo accounts where they exist, named
 * stand-ins elsewhere), on a fixed calendar, so that statuses, forums, ranks, timelines and the audit
 * trail agree exactly as they would in real use. Deterministic: no randomness but a seeded PRNG.
 *
 *   2027 — Bappeda schedules the forums of the four kecamatan that took part (Dander, Sumberrejo,
 *          Temayang, Bojonegoro) and of twelve of their desa/kelurahan; each desa raises, scores and
 *          ranks its proposals (the top five go on, the rest are left with their rank); the kecamatan
 *          verifies, rejects with a reason, merges a duplicate, scores and forwards; the OPDs accept
 *          (naming a sub-kegiatan), reject or transfer; DPRD pokir join; the kabupaten forum closes.
 *   2028 — every forum is scheduled; Desa Ngunut's forum is open with three proposals, Kecamatan
 *          Dander's is planned.
 *
 * Demo data only: reached through seedDemo, which refuses production.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { ROLE_SCOPE } from "../../domain/identity/roles";
import { DemoClock, wib } from "./clock";
import { Forum, Proposal, ScoringCriterion } from "../../domain/musrenbang/entities";
import { closeForum, moveForum, rescheduleForum, scheduleForum, scheduleYear } from "../../domain/musrenbang/forums";
import { raisePokir, raiseProposal, withdrawProposal, type ProposalInput } from "../../domain/musrenbang/proposals";
import { acceptProposal, mergeProposal, notAdoptProposal, rejectProposal, transferProposal, verifyProposal } from "../../domain/musrenbang/review";
import { scoreProposal } from "../../domain/musrenbang/scores";
import { DEMO_TENANT, DEMO_USERS } from "./bojonegoro";
import { prng } from "../shared/prng";

const T = DEMO_TENANT.code;
export const DEMO_PAST_YEAR = 2027;
export const DEMO_NEXT_YEAR = 2028;

/** OPD codes (imports/demo/bojonegoro.ts) and who verifies proposals there. */
const OPD = {
  disdik: "1.01.0.00.0.00.01.0000",
  dinkes: "1.02.0.00.0.00.01.0000",
  pu: "1.03.0.00.0.00.01.0000",
  pusda: "1.03.0.00.0.00.02.0000",
  perkim: "1.04.0.00.0.00.01.0000",
  satpol: "1.05.0.00.0.00.01.0000",
  dinsos: "1.06.0.00.0.00.01.0000",
  dlh: "2.11.0.00.0.00.01.0000",
  dpmd: "2.13.0.00.0.00.01.0000",
  dishub: "2.15.0.00.0.00.01.0000",
  kominfo: "2.16.2.20.2.21.01.0000",
  dkpp: "3.27.2.09.0.00.01.0000",
} as const;
type OpdKey = keyof typeof OPD;
/** The bidang urusan each OPD files proposals under. */
const BIDANG: Record<OpdKey, string> = {
  disdik: "1.01",
  dinkes: "1.02",
  pu: "1.03",
  pusda: "1.03",
  perkim: "1.04",
  satpol: "1.05",
  dinsos: "1.06",
  dlh: "2.11",
  dpmd: "2.13",
  dishub: "2.15",
  kominfo: "2.16",
  dkpp: "3.27",
};
/** OPD verifiers without a demo account (Dinas PU Bina Marga has one: opd.pu). */
const VERIFIERS: Record<Exclude<OpdKey, "pu">, string> = {
  disdik: "Budi Santoso (Dinas Pendidikan)",
  dinkes: "dr. Nur Hidayati (Dinas Kesehatan)",
  pusda: "Ir. Heru Wibowo (Dinas PU Sumber Daya Air)",
  perkim: "Yuli Astuti (Disperkimcitaru)",
  satpol: "Slamet Widodo (Satpol PP)",
  dinsos: "Slamet Riyanto (Dinas Sosial)",
  dlh: "Dewi Kartikasari (Dinas Lingkungan Hidup)",
  dpmd: "Ahmad Syaifuddin (DPMD)",
  dishub: "Teguh Prasetyo (Dinas Perhubungan)",
  kominfo: "Lukman Hakim (Diskominfo)",
  dkpp: "Ir. Sri Rahayu (DKPP)",
};

/** Sub-kegiatan (with their kegiatan) the OPDs name when they accept; names from the kabupaten/kota nomenclature. */
const SK = {
  rehabJalan: "Rehabilitasi Jalan (Penyelenggaraan Jalan Kabupaten/Kota)",
  peningkatanJalan: "Peningkatan Jalan (Penyelenggaraan Jalan Kabupaten/Kota)",
  drainase: "Pembangunan Sistem Drainase Perkotaan (Pengelolaan dan Pengembangan Sistem Drainase)",
  drainaseLingkungan: "Penyediaan Prasarana, Sarana dan Utilitas Umum: drainase lingkungan permukiman",
  irigasiTersier: "Pembangunan, Rehabilitasi dan Pemeliharaan Jaringan Irigasi Tersier",
  jut: "Pembangunan, Rehabilitasi dan Pemeliharaan Jalan Usaha Tani",
  alsintan: "Pengadaan Sarana Pertanian (alat dan mesin pertanian)",
  ternak: "Penyediaan Benih/Bibit Ternak dan Hijauan Pakan Ternak",
  pelatihanPertanian: "Pelatihan Petani dan Pelaku Agribisnis",
  irigasiPermukaan: "Rehabilitasi Jaringan Irigasi Permukaan (Pengelolaan Sistem Irigasi)",
  embung: "Pembangunan Embung dan Penampung Air Lainnya",
  airBaku: "Pembangunan Sumur Air Tanah untuk Air Baku",
  tebing: "Pembangunan Prasarana Pengaman Tebing Sungai",
  banjir: "Pembangunan Prasarana Pengendali Banjir (saluran pembuang dan pompa)",
  balita: "Pengelolaan Pelayanan Kesehatan Balita",
  gizi: "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
  ukbm: "Bimbingan Teknis dan Supervisi Upaya Kesehatan Bersumber Daya Masyarakat (UKBM)",
  rtlh: "Rehabilitasi Rumah Tidak Layak Huni (Pengembangan Perumahan)",
  sanitasi: "Penyediaan Sarana Sanitasi Rumah Tangga (jamban sehat)",
  sarprasSd: "Pembangunan Sarana, Prasarana dan Utilitas Sekolah (Pengelolaan Pendidikan Sekolah Dasar)",
  pju: "Pengadaan dan Pemasangan Alat Penerangan Jalan (Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota)",
  internet: "Penyediaan Akses Internet Publik (Pengelolaan Infrastruktur TIK)",
  literasiDigital: "Peningkatan Literasi dan Pemasaran Digital bagi Masyarakat",
  bumdes: "Peningkatan Kapasitas Kelembagaan Ekonomi Desa dan BUMDes",
  pemberdayaanSosial: "Pemberdayaan Sosial bagi Keluarga Miskin dan Rentan (pelatihan keterampilan)",
  lansia: "Rehabilitasi Sosial Lanjut Usia dan Penyandang Disabilitas di Luar Panti",
  taman: "Penyediaan Ruang Terbuka Hijau dan Penghijauan Lingkungan",
} as const;

/** What happens to a proposal after its desa forum (absent: it is accepted with `sk` and adopted). */
type Fate =
  | { withdraw: string }
  | { kecReject: string }
  | { mergeInto: string; reason: string }
  | { opdReject: string }
  | { transfer: OpdKey; reason: string; sk: string }
  | { notAdopt: string; sk: string };

interface Usulan {
  key: string;
  opd: OpdKey;
  title: string;
  problem: string;
  kind?: "fisik" | "nonfisik";
  group: "ekonomi" | "sosial_budaya" | "prasarana_wilayah" | "pemerintahan";
  address: string;
  rt?: string;
  rw?: string;
  volume: string;
  unit: string;
  cost: string;
  beneficiaries: number;
  /** Desa scores: urgensi, penerima manfaat, keselarasan, kesiapan (1–5). */
  s: [number, number, number, number];
  sk?: string;
  fate?: Fate;
}

interface Desa {
  code: string;
  name: string;
  kelurahan?: boolean;
  at: [number, number];
  /** The forum's day (WIB) in January 2026. */
  day: number;
  facilitator: string;
  head: string;
  second: { name: string; position: string };
  attendees: [number, number];
  usulan: Usulan[];
}

interface Kecamatan {
  code: string;
  name: string;
  facilitator: string;
  camat: string;
  /** The forum's day (WIB) in February 2026. */
  day: number;
  attendees: [number, number];
  desa: Desa[];
}

const rtrw = (rt: string, rw: string) => ({ rt, rw });

const DANDER: Kecamatan = {
  code: "35.22.06",
  name: "Dander",
  facilitator: "fasil.kecamatan",
  camat: "Drs. Hartono, M.Si.",
  day: 10,
  attendees: [96, 31],
  desa: [
    {
      code: "35.22.06.2001",
      name: "Ngunut",
      at: [-7.2231, 111.8584],
      day: 13,
      facilitator: "fasil.desa",
      head: "Sutrisno",
      second: { name: "Mulyadi", position: "Ketua BPD" },
      attendees: [64, 25],
      usulan: [
        {
          key: "ngunut-jalan",
          opd: "pu",
          title: "Rehabilitasi jalan poros desa ruas Ngunut–Kunci",
          problem: "Aspal ruas Ngunut–Kunci mengelupas dan berlubang sepanjang ±1,1 km; saat hujan truk hasil panen dan kendaraan anak sekolah sering terperosok.",
          group: "prasarana_wilayah",
          address: "Dusun Krajan, ruas Ngunut–Kunci",
          ...rtrw("003", "001"),
          volume: "1150",
          unit: "m",
          cost: "1265000000",
          beneficiaries: 1240,
          s: [5, 4, 4, 4],
          sk: SK.rehabJalan,
        },
        {
          key: "ngunut-posyandu",
          opd: "dinkes",
          kind: "nonfisik",
          title: "Pengadaan alat antropometri dan sarana Posyandu Melati",
          problem: "Timbangan dan alat ukur panjang badan di tiga pos Posyandu Melati sudah rusak, sehingga pengukuran balita untuk deteksi stunting tidak akurat.",
          group: "sosial_budaya",
          address: "Posyandu Melati I–III, Dusun Krajan dan Dusun Kedungpring",
          ...rtrw("001", "002"),
          volume: "3",
          unit: "paket",
          cost: "31500000",
          beneficiaries: 186,
          s: [5, 3, 5, 4],
          sk: SK.balita,
        },
        {
          key: "ngunut-irigasi",
          opd: "dkpp",
          title: "Rehabilitasi saluran irigasi tersier Bendung Kedungpring",
          problem: "Saluran tersier dari Bendung Kedungpring bocor dan dangkal; air tidak sampai ke sawah di ujung saluran sehingga ±45 ha hanya bisa ditanami sekali setahun.",
          group: "ekonomi",
          address: "Blok sawah Kedungpring",
          ...rtrw("004", "002"),
          volume: "600",
          unit: "m",
          cost: "330000000",
          beneficiaries: 230,
          s: [4, 4, 4, 4],
          sk: SK.irigasiTersier,
        },
        {
          key: "ngunut-drainase",
          opd: "pu",
          title: "Pembangunan saluran drainase U-ditch Dusun Krajan",
          problem: "Air hujan menggenangi jalan dan pekarangan warga RT 002 dan RT 003 karena belum ada saluran; genangan bertahan dua sampai tiga hari.",
          group: "prasarana_wilayah",
          address: "Dusun Krajan",
          ...rtrw("002", "001"),
          volume: "380",
          unit: "m",
          cost: "323000000",
          beneficiaries: 410,
          s: [4, 4, 4, 3],
          fate: {
            transfer: "perkim",
            reason: "Drainase lingkungan permukiman ditangani Disperkimcitaru, bukan Bina Marga; diteruskan agar dinilai di sana.",
            sk: SK.drainaseLingkungan,
          },
        },
        {
          key: "ngunut-pju",
          opd: "dishub",
          title: "Pemasangan PJU tenaga surya di jalan poros Dusun Ngunut",
          problem: "Jalan poros sepanjang 900 m gelap pada malam hari; warga dan pedagang pasar subuh merasa tidak aman dan pernah terjadi kecelakaan.",
          group: "prasarana_wilayah",
          address: "Jalan poros Dusun Ngunut",
          ...rtrw("001", "003"),
          volume: "18",
          unit: "titik",
          cost: "225000000",
          beneficiaries: 1150,
          s: [3, 4, 3, 3],
          sk: SK.pju,
        },
        {
          key: "ngunut-umkm",
          opd: "dpmd",
          kind: "nonfisik",
          title: "Pelatihan pengemasan dan pemasaran daring produk UMKM keripik pisang",
          problem: "Perajin keripik pisang menjual tanpa label dan izin PIRT sehingga harga rendah dan tidak bisa masuk toko modern.",
          group: "ekonomi",
          address: "Balai Desa Ngunut",
          volume: "30",
          unit: "orang",
          cost: "45000000",
          beneficiaries: 30,
          s: [3, 2, 3, 4],
        },
        {
          key: "ngunut-rtlh",
          opd: "perkim",
          title: "Rehabilitasi rumah tidak layak huni (RTLH) bagi keluarga miskin",
          problem: "Enam rumah keluarga miskin berdinding gedek dan beratap bocor, tercatat di DTKS tetapi belum pernah menerima bantuan bedah rumah.",
          group: "sosial_budaya",
          address: "Dusun Kedungpring",
          ...rtrw("005", "002"),
          volume: "6",
          unit: "unit",
          cost: "150000000",
          beneficiaries: 22,
          s: [3, 2, 4, 2],
        },
      ],
    },
    {
      code: "35.22.06.2002",
      name: "Dander",
      at: [-7.2602, 111.8331],
      day: 15,
      facilitator: "Wahyu Hidayat",
      head: "Suyanto",
      second: { name: "Darmaji", position: "Ketua BPD" },
      attendees: [58, 21],
      usulan: [
        {
          key: "dander-jut",
          opd: "dkpp",
          title: "Pembangunan jalan usaha tani (rabat beton) blok sawah Gondang",
          problem: "Jalan tanah menuju blok sawah Gondang tidak bisa dilalui kendaraan roda tiga saat musim hujan; ongkos angkut gabah naik dua kali lipat.",
          group: "ekonomi",
          address: "Blok sawah Gondang",
          ...rtrw("006", "003"),
          volume: "700",
          unit: "m",
          cost: "420000000",
          beneficiaries: 185,
          s: [5, 4, 4, 3],
          sk: SK.jut,
        },
        {
          key: "dander-sumurbor",
          opd: "pusda",
          title: "Pembangunan sumur bor dan tandon air bersih Dusun Sumbertlogo",
          problem: "Sumur gali warga kering setiap kemarau (Juli–Oktober); 96 KK membeli air tangki Rp 150.000 per minggu.",
          group: "prasarana_wilayah",
          address: "Dusun Sumbertlogo",
          ...rtrw("002", "004"),
          volume: "1",
          unit: "unit",
          cost: "185000000",
          beneficiaries: 320,
          s: [5, 5, 4, 4],
          sk: SK.airBaku,
        },
        {
          key: "dander-gapura",
          opd: "pu",
          title: "Pembangunan gapura batas desa Dander",
          problem: "Batas desa di jalan masuk dari arah Bojonegoro belum bertanda sehingga pendatang sering salah alamat.",
          group: "pemerintahan",
          address: "Perbatasan Desa Dander–Ngunut",
          ...rtrw("001", "001"),
          volume: "1",
          unit: "unit",
          cost: "95000000",
          beneficiaries: 4800,
          s: [4, 4, 2, 5],
          fate: { kecReject: "Gapura batas desa tidak termasuk prioritas RKPD 2027 dan dapat dibiayai dari Dana Desa." },
        },
        {
          key: "dander-sd",
          opd: "disdik",
          title: "Rehabilitasi dua ruang kelas SDN Dander 2",
          problem: "Atap dua ruang kelas SDN Dander 2 melendut dan plafon runtuh sebagian; siswa kelas 4 dan 5 belajar bergantian di perpustakaan.",
          group: "sosial_budaya",
          address: "SDN Dander 2",
          ...rtrw("003", "002"),
          volume: "2",
          unit: "ruang",
          cost: "350000000",
          beneficiaries: 164,
          s: [4, 3, 4, 3],
          fate: { opdReject: "SDN Dander 2 sudah masuk usulan DAK Fisik Pendidikan 2027; agar tidak dianggarkan ganda, usulan ini tidak dilanjutkan dari APBD." },
        },
        {
          key: "dander-kambing",
          opd: "dkpp",
          title: "Bantuan bibit kambing untuk Kelompok Ternak Mugi Rahayu",
          problem: "Anggota kelompok ternak adalah buruh tani tanpa lahan; ternak kambing menjadi tabungan dan sumber pupuk kandang.",
          group: "ekonomi",
          address: "Dusun Dander Krajan",
          ...rtrw("004", "001"),
          volume: "40",
          unit: "ekor",
          cost: "110000000",
          beneficiaries: 20,
          s: [3, 3, 3, 3],
          fate: { notAdopt: "Pagu indikatif DKPP 2027 untuk bantuan ternak sudah terpenuhi; kelompok dapat mengusulkan kembali pada Musrenbang 2028.", sk: SK.ternak },
        },
        {
          key: "dander-lansia",
          opd: "dinkes",
          kind: "nonfisik",
          title: "Pemeriksaan kesehatan rutin dan senam lansia di Posyandu Lansia",
          problem: "Banyak lansia dengan hipertensi tidak terpantau karena jarak ke Puskesmas Dander jauh dan tidak ada pemeriksaan rutin di desa.",
          group: "sosial_budaya",
          address: "Posyandu Lansia Sejahtera",
          volume: "12",
          unit: "kegiatan",
          cost: "18000000",
          beneficiaries: 140,
          s: [3, 2, 3, 3],
        },
      ],
    },
    {
      code: "35.22.06.2004",
      name: "Sumberarum",
      at: [-7.2417, 111.8702],
      day: 20,
      facilitator: "Nanik Suryani",
      head: "Kasiman",
      second: { name: "Parno", position: "Ketua BPD" },
      attendees: [47, 19],
      usulan: [
        {
          key: "sumberarum-irigasi",
          opd: "dkpp",
          title: "Normalisasi saluran irigasi tersier Bendung Kedungpring sisi hilir",
          problem: "Saluran tersier Bendung Kedungpring di sisi hilir tertutup sedimen dan rumput; sawah Sumberarum kekurangan air pada musim tanam kedua.",
          group: "ekonomi",
          address: "Blok sawah Kedungpring hilir",
          ...rtrw("002", "001"),
          volume: "450",
          unit: "m",
          cost: "247500000",
          beneficiaries: 160,
          s: [4, 4, 4, 4],
          fate: { mergeInto: "ngunut-irigasi", reason: "Saluran yang sama dengan usulan Desa Ngunut (Bendung Kedungpring); digabung agar dikerjakan dalam satu paket." },
        },
        {
          key: "sumberarum-talud",
          opd: "pusda",
          title: "Pembangunan talud penahan tebing Kali Sumberarum",
          problem: "Tebing sungai di belakang permukiman RT 001 longsor setiap musim hujan; dua rumah sudah retak dan jalan setapak terputus.",
          group: "prasarana_wilayah",
          address: "Tepi Kali Sumberarum, Dusun Krajan",
          ...rtrw("001", "001"),
          volume: "160",
          unit: "m",
          cost: "208000000",
          beneficiaries: 95,
          s: [5, 4, 3, 4],
          sk: SK.tebing,
        },
        {
          key: "sumberarum-wifi",
          opd: "kominfo",
          title: "Penyediaan akses internet publik di balai desa dan TPQ",
          problem: "Sinyal seluler lemah; pelajar dan pelaku usaha harus ke kota kecamatan untuk mengakses internet.",
          group: "pemerintahan",
          address: "Balai Desa Sumberarum dan TPQ Al-Hidayah",
          volume: "3",
          unit: "titik",
          cost: "27000000",
          beneficiaries: 600,
          s: [3, 3, 3, 3],
          sk: SK.internet,
        },
        {
          key: "sumberarum-jahit",
          opd: "dinsos",
          kind: "nonfisik",
          title: "Pelatihan menjahit bagi ibu rumah tangga keluarga prasejahtera",
          problem: "Ibu rumah tangga dari keluarga penerima PKH belum memiliki keterampilan untuk menambah penghasilan keluarga.",
          group: "ekonomi",
          address: "Balai Desa Sumberarum",
          volume: "25",
          unit: "orang",
          cost: "62500000",
          beneficiaries: 25,
          s: [3, 3, 4, 3],
          sk: SK.pemberdayaanSosial,
        },
      ],
    },
    {
      code: "35.22.06.2007",
      name: "Ngraseh",
      at: [-7.2853, 111.8148],
      day: 22,
      facilitator: "Agus Priyono",
      head: "Mujiono",
      second: { name: "Sukardi", position: "Ketua BPD" },
      attendees: [51, 18],
      usulan: [
        {
          key: "ngraseh-embung",
          opd: "pusda",
          title: "Pembangunan embung desa untuk irigasi musim kemarau",
          problem: "Sawah tadah hujan di Ngraseh hanya panen sekali setahun; embung dapat menampung limpasan hujan untuk musim tanam kedua.",
          group: "ekonomi",
          address: "Dusun Ngraseh Lor",
          ...rtrw("003", "002"),
          volume: "1",
          unit: "unit",
          cost: "475000000",
          beneficiaries: 210,
          s: [5, 4, 4, 3],
          sk: SK.embung,
        },
        {
          key: "ngraseh-paving",
          opd: "pu",
          title: "Pavingisasi jalan lingkungan RT 004/RW 002 Dusun Jatirejo",
          problem: "Jalan lingkungan masih tanah dan becek; lansia dan anak-anak sering terjatuh saat hujan.",
          group: "prasarana_wilayah",
          address: "Dusun Jatirejo",
          ...rtrw("004", "002"),
          volume: "840",
          unit: "m²",
          cost: "147000000",
          beneficiaries: 180,
          s: [4, 3, 3, 4],
          fate: { opdReject: "Jalan lingkungan RT merupakan jalan desa; sesuai prioritas penggunaan Dana Desa 2027, pavingisasi dibiayai APBDes." },
        },
        {
          key: "ngraseh-alsintan",
          opd: "dkpp",
          title: "Bantuan hand traktor dan pompa air untuk Poktan Sri Rejeki",
          problem: "Poktan Sri Rejeki (74 anggota) menyewa traktor dari desa lain sehingga jadwal tanam sering terlambat.",
          group: "ekonomi",
          address: "Sekretariat Poktan Sri Rejeki",
          ...rtrw("001", "001"),
          volume: "4",
          unit: "unit",
          cost: "132000000",
          beneficiaries: 74,
          s: [4, 3, 4, 4],
          sk: SK.alsintan,
        },
        {
          key: "ngraseh-jamban",
          opd: "perkim",
          title: "Bantuan jamban sehat bagi keluarga yang masih BAB sembarangan",
          problem: "Tiga puluh lima KK belum memiliki jamban dan buang air besar di sungai; Ngraseh belum berstatus ODF.",
          group: "sosial_budaya",
          address: "Dusun Ngraseh Kidul",
          ...rtrw("005", "003"),
          volume: "35",
          unit: "unit",
          cost: "122500000",
          beneficiaries: 140,
          s: [4, 4, 3, 3],
          sk: SK.sanitasi,
        },
      ],
    },
  ],
};

const SUMBERREJO: Kecamatan = {
  code: "35.22.12",
  name: "Sumberrejo",
  facilitator: "Eko Wahyudi",
  camat: "Moh. Arifin, S.Sos., M.M.",
  day: 11,
  attendees: [88, 27],
  desa: [
    {
      code: "35.22.12.2006",
      name: "Sumberrejo",
      at: [-7.1829, 112.0182],
      day: 14,
      facilitator: "Rini Wulandari",
      head: "H. Masrukan",
      second: { name: "Sugeng Riyadi", position: "Ketua BPD" },
      attendees: [72, 30],
      usulan: [
        {
          key: "sumberrejo-trotoar",
          opd: "pu",
          title: "Perbaikan bahu jalan dan trotoar Jl. Raya Sumberrejo depan pasar",
          problem: "Bahu jalan di depan Pasar Sumberrejo berlubang dan dipakai parkir; pejalan kaki terpaksa berjalan di badan jalan yang padat truk.",
          group: "prasarana_wilayah",
          address: "Jl. Raya Sumberrejo depan pasar",
          ...rtrw("002", "001"),
          volume: "600",
          unit: "m",
          cost: "540000000",
          beneficiaries: 2400,
          s: [5, 5, 3, 3],
          fate: { kecReject: "Jl. Raya Sumberrejo berstatus jalan nasional (ruas Babat–Bojonegoro); kewenangan BBPJN Jawa Timur–Bali, bukan APBD kabupaten." },
        },
        {
          key: "sumberrejo-drainase",
          opd: "pu",
          title: "Pembangunan saluran drainase kawasan Pasar Sumberrejo",
          problem: "Kawasan pasar tergenang setiap hujan deras karena saluran lama tersumbat dan terlalu kecil; pedagang merugi.",
          group: "prasarana_wilayah",
          address: "Kawasan Pasar Sumberrejo",
          ...rtrw("003", "001"),
          volume: "420",
          unit: "m",
          cost: "378000000",
          beneficiaries: 1800,
          s: [4, 4, 4, 4],
          sk: SK.drainase,
        },
        {
          key: "sumberrejo-bumdes",
          opd: "dpmd",
          kind: "nonfisik",
          title: "Pelatihan kewirausahaan dan pendampingan BUMDes untuk UMKM olahan ikan",
          problem: "Pembudidaya lele menjual ikan segar dengan harga rendah; BUMDes belum mampu mengolah dan memasarkan produk olahan.",
          group: "ekonomi",
          address: "Kantor BUMDes Sumber Makmur",
          volume: "30",
          unit: "orang",
          cost: "48000000",
          beneficiaries: 30,
          s: [4, 3, 4, 4],
          sk: SK.bumdes,
        },
        {
          key: "sumberrejo-pju",
          opd: "dishub",
          title: "Pemasangan PJU jalan kabupaten ruas Sumberrejo–Kepohbaru",
          problem: "Ruas Sumberrejo–Kepohbaru gelap sepanjang 2 km dan rawan begal pada malam hari.",
          group: "prasarana_wilayah",
          address: "Ruas Sumberrejo–Kepohbaru",
          ...rtrw("007", "003"),
          volume: "25",
          unit: "titik",
          cost: "312500000",
          beneficiaries: 3200,
          s: [3, 4, 3, 3],
          sk: SK.pju,
        },
        {
          key: "sumberrejo-pmt",
          opd: "dinkes",
          kind: "nonfisik",
          title: "Pemberian makanan tambahan (PMT) lokal untuk balita stunting",
          problem: "Empat puluh delapan balita tercatat stunting pada bulan timbang Agustus 2025; PMT dari Puskesmas hanya cukup untuk satu bulan.",
          group: "sosial_budaya",
          address: "Posyandu se-Desa Sumberrejo",
          volume: "48",
          unit: "orang",
          cost: "43200000",
          beneficiaries: 210,
          s: [4, 3, 4, 3],
          sk: SK.gizi,
        },
        {
          key: "sumberrejo-sampah",
          opd: "dlh",
          title: "Pengadaan gerobak sampah dan tong sampah terpilah",
          problem: "Sampah rumah tangga dibuang ke sungai karena belum ada pengangkutan di permukiman padat sekitar pasar.",
          group: "prasarana_wilayah",
          address: "Permukiman sekitar pasar",
          ...rtrw("004", "002"),
          volume: "1",
          unit: "paket",
          cost: "38000000",
          beneficiaries: 650,
          s: [3, 3, 3, 2],
        },
      ],
    },
    {
      code: "35.22.12.2007",
      name: "Kayulemah",
      at: [-7.1948, 112.0351],
      day: 16,
      facilitator: "Siti Khoiriyah",
      head: "Abdul Rochim",
      second: { name: "Ngatemin", position: "Ketua BPD" },
      attendees: [55, 22],
      usulan: [
        {
          key: "kayulemah-jalan",
          opd: "pu",
          title: "Peningkatan jalan poros desa Kayulemah–Teleng dari lapen menjadi hotmix",
          problem: "Lapisan penetrasi ruas Kayulemah–Teleng sudah hancur; jalan menjadi akses utama ke SMP dan pasar kecamatan.",
          group: "prasarana_wilayah",
          address: "Ruas Kayulemah–Teleng",
          ...rtrw("001", "001"),
          volume: "900",
          unit: "m",
          cost: "990000000",
          beneficiaries: 1650,
          s: [5, 4, 4, 4],
          sk: SK.peningkatanJalan,
        },
        {
          key: "kayulemah-jembatan",
          opd: "pu",
          title: "Pembangunan jembatan beton penghubung Dusun Kayulemah–Dusun Mojo",
          problem: "Jembatan kayu bentang 8 m sudah lapuk; anak sekolah memutar 4 km bila jembatan ditutup saat banjir.",
          group: "prasarana_wilayah",
          address: "Sungai Mojo",
          ...rtrw("005", "002"),
          volume: "1",
          unit: "unit",
          cost: "680000000",
          beneficiaries: 760,
          s: [5, 4, 4, 3],
          fate: { opdReject: "Perlu kajian teknis dan DED lebih dulu; Dinas PU menganggarkan DED pada 2027 sehingga pembangunan paling cepat 2028." },
        },
        {
          key: "kayulemah-rtlh",
          opd: "perkim",
          title: "Rehabilitasi rumah tidak layak huni bagi delapan keluarga miskin",
          problem: "Delapan rumah warga miskin berlantai tanah dan atap bocor; penghuninya lansia dan penyandang disabilitas.",
          group: "sosial_budaya",
          address: "Dusun Mojo",
          ...rtrw("006", "002"),
          volume: "8",
          unit: "unit",
          cost: "200000000",
          beneficiaries: 30,
          s: [4, 2, 4, 3],
          sk: SK.rtlh,
        },
        {
          key: "kayulemah-linmas",
          opd: "satpol",
          title: "Pembangunan pos kamling dan pengadaan sarana Linmas",
          problem: "Pencurian ternak meningkat; pos ronda yang ada sudah rusak dan anggota Linmas tidak punya perlengkapan.",
          group: "pemerintahan",
          address: "Dusun Kayulemah",
          ...rtrw("002", "001"),
          volume: "2",
          unit: "unit",
          cost: "60000000",
          beneficiaries: 900,
          s: [3, 3, 3, 3],
          fate: { withdraw: "Sudah dianggarkan dalam APBDes Kayulemah 2026 (Dana Desa), sehingga ditarik dari Musrenbang." },
        },
        {
          key: "kayulemah-jamur",
          opd: "dkpp",
          kind: "nonfisik",
          title: "Pelatihan budidaya dan pengolahan jamur tiram bagi Kelompok Wanita Tani",
          problem: "KWT Mekar Sari ingin menambah penghasilan dari limbah jerami, tetapi anggotanya belum menguasai budidaya jamur.",
          group: "ekonomi",
          address: "Sekretariat KWT Mekar Sari",
          volume: "25",
          unit: "orang",
          cost: "40000000",
          beneficiaries: 25,
          s: [3, 3, 3, 4],
          sk: SK.pelatihanPertanian,
        },
      ],
    },
    {
      code: "35.22.12.2008",
      name: "Teleng",
      at: [-7.1718, 112.0047],
      day: 21,
      facilitator: "Mukhamad Rofiq",
      head: "Supriyadi",
      second: { name: "Warsito", position: "Ketua BPD" },
      attendees: [49, 17],
      usulan: [
        {
          key: "teleng-pompa",
          opd: "pusda",
          title: "Rehabilitasi rumah pompa dan saluran irigasi Dusun Teleng",
          problem: "Rumah pompa irigasi dari Bengawan Solo rusak sejak 2024; 120 ha sawah kembali menjadi tadah hujan.",
          group: "ekonomi",
          address: "Rumah pompa Teleng, tepi Bengawan Solo",
          ...rtrw("003", "001"),
          volume: "1",
          unit: "paket",
          cost: "265000000",
          beneficiaries: 300,
          s: [5, 4, 4, 3],
          sk: SK.irigasiPermukaan,
        },
        {
          key: "teleng-tanggul",
          opd: "pusda",
          title: "Peninggian tanggul Bengawan Solo yang rawan limpas di Dusun Ngelo",
          problem: "Setiap banjir besar air Bengawan Solo melimpas tanggul dan merendam 540 rumah selama hampir seminggu.",
          group: "prasarana_wilayah",
          address: "Dusun Ngelo",
          ...rtrw("008", "004"),
          volume: "250",
          unit: "m",
          cost: "875000000",
          beneficiaries: 1900,
          s: [5, 5, 4, 3],
          fate: { opdReject: "Tanggul Bengawan Solo adalah kewenangan BBWS Bengawan Solo; DPUSDA meneruskan usulan ini kepada BBWS dengan surat tersendiri." },
        },
        {
          key: "teleng-sd",
          opd: "disdik",
          title: "Pembangunan jamban dan tempat cuci tangan SDN Teleng 1",
          problem: "SDN Teleng 1 dengan 190 siswa hanya memiliki satu jamban yang sering rusak.",
          group: "sosial_budaya",
          address: "SDN Teleng 1",
          ...rtrw("002", "001"),
          volume: "1",
          unit: "paket",
          cost: "85000000",
          beneficiaries: 190,
          s: [4, 3, 4, 3],
          sk: SK.sarprasSd,
        },
        {
          key: "teleng-sumurbor",
          opd: "pusda",
          title: "Pembangunan sumur bor untuk air bersih Dusun Teleng Krajan",
          problem: "Air sumur warga keruh dan berkapur; warga membeli air galon untuk minum dan memasak.",
          group: "prasarana_wilayah",
          address: "Dusun Teleng Krajan",
          ...rtrw("004", "002"),
          volume: "1",
          unit: "unit",
          cost: "165000000",
          beneficiaries: 280,
          s: [4, 4, 3, 4],
          sk: SK.airBaku,
        },
      ],
    },
  ],
};

const TEMAYANG: Kecamatan = {
  code: "35.22.21",
  name: "Temayang",
  facilitator: "Suparno",
  camat: "Drs. Joko Lelono",
  day: 12,
  attendees: [79, 26],
  desa: [
    {
      code: "35.22.21.2007",
      name: "Temayang",
      at: [-7.3358, 111.8872],
      day: 19,
      facilitator: "Suwarno",
      head: "Samijan",
      second: { name: "Karsono", position: "Ketua BPD" },
      attendees: [53, 20],
      usulan: [
        {
          key: "temayang-jalan",
          opd: "pu",
          title: "Rehabilitasi jalan kabupaten ruas Temayang–Bakulan yang rusak berat",
          problem: "Ruas Temayang–Bakulan rusak berat sepanjang 1,5 km akibat truk tambang batu; waktu tempuh ke puskesmas menjadi dua kali lipat.",
          group: "prasarana_wilayah",
          address: "Ruas Temayang–Bakulan",
          ...rtrw("002", "001"),
          volume: "1500",
          unit: "m",
          cost: "1650000000",
          beneficiaries: 2100,
          s: [5, 4, 4, 4],
          sk: SK.rehabJalan,
        },
        {
          key: "temayang-polindes",
          opd: "dinkes",
          title: "Pembangunan Pondok Bersalin Desa (Polindes) Temayang",
          problem: "Ibu hamil harus ke puskesmas untuk periksa kehamilan; bidan desa praktik di rumahnya sendiri.",
          group: "sosial_budaya",
          address: "Tanah kas desa, Dusun Krajan",
          ...rtrw("001", "001"),
          volume: "1",
          unit: "unit",
          cost: "250000000",
          beneficiaries: 95,
          s: [4, 4, 4, 3],
          fate: { opdReject: "Desa Temayang berjarak ±1 km dari Puskesmas Temayang yang melayani persalinan 24 jam; Polindes baru tidak sesuai rencana layanan 2027." },
        },
        {
          key: "temayang-jitut",
          opd: "dkpp",
          title: "Pembangunan saluran irigasi tersier dari saluran sekunder Waduk Pacal",
          problem: "Air Waduk Pacal tidak sampai ke 60 ha sawah di ujung jaringan karena saluran tersier masih tanah.",
          group: "ekonomi",
          address: "Blok sawah Temayang Kidul",
          ...rtrw("005", "002"),
          volume: "800",
          unit: "m",
          cost: "440000000",
          beneficiaries: 260,
          s: [4, 3, 4, 3],
          sk: SK.irigasiTersier,
        },
        {
          key: "temayang-las",
          opd: "dinsos",
          kind: "nonfisik",
          title: "Pelatihan keterampilan las dan bengkel bagi pemuda putus sekolah",
          problem: "Banyak pemuda putus sekolah menganggur atau merantau tanpa keterampilan.",
          group: "ekonomi",
          address: "Balai Desa Temayang",
          volume: "20",
          unit: "orang",
          cost: "70000000",
          beneficiaries: 20,
          s: [3, 3, 3, 3],
          sk: SK.pemberdayaanSosial,
        },
      ],
    },
    {
      code: "35.22.21.2001",
      name: "Kedungsumber",
      at: [-7.3519, 111.9012],
      day: 23,
      facilitator: "Sri Utami",
      head: "Sumarlan",
      second: { name: "Pardi", position: "Ketua BPD" },
      attendees: [46, 16],
      usulan: [
        {
          key: "kedungsumber-jalan",
          opd: "pu",
          title: "Pembangunan talud dan rabat beton jalan menuju Waduk Pacal",
          problem: "Jalan menuju Waduk Pacal sempit dan tebingnya longsor; kendaraan wisatawan dan petani sulit berpapasan.",
          group: "prasarana_wilayah",
          address: "Jalan akses Waduk Pacal",
          ...rtrw("003", "001"),
          volume: "350",
          unit: "m",
          cost: "385000000",
          beneficiaries: 1300,
          s: [4, 4, 4, 4],
          sk: SK.rehabJalan,
        },
        {
          key: "kedungsumber-sumurbor",
          opd: "pusda",
          title: "Pembangunan sumur bor dan jaringan pipa air bersih Dusun Krajan",
          problem: "Wilayah berbukit kapur; pada kemarau warga mengambil air dari waduk untuk mandi dan mencuci.",
          group: "prasarana_wilayah",
          address: "Dusun Krajan",
          ...rtrw("002", "001"),
          volume: "1",
          unit: "unit",
          cost: "210000000",
          beneficiaries: 410,
          s: [5, 4, 3, 4],
          sk: SK.airBaku,
        },
        {
          key: "kedungsumber-sapi",
          opd: "dkpp",
          title: "Bantuan sapi PO untuk Kelompok Ternak Sumber Rejeki",
          problem: "Lahan hijauan pakan di tepi hutan belum dimanfaatkan; kelompok ternak baru memiliki empat ekor sapi.",
          group: "ekonomi",
          address: "Kandang kelompok Sumber Rejeki",
          ...rtrw("004", "002"),
          volume: "10",
          unit: "ekor",
          cost: "190000000",
          beneficiaries: 15,
          s: [3, 3, 4, 3],
          sk: SK.ternak,
        },
        {
          key: "kedungsumber-rtlh",
          opd: "perkim",
          title: "Rehabilitasi rumah tidak layak huni bagi lima keluarga miskin",
          problem: "Lima rumah berdinding kayu lapuk di lereng bukit rawan roboh saat angin kencang.",
          group: "sosial_budaya",
          address: "Dusun Jurang",
          ...rtrw("006", "003"),
          volume: "5",
          unit: "unit",
          cost: "125000000",
          beneficiaries: 19,
          s: [4, 2, 4, 3],
          sk: SK.rtlh,
        },
      ],
    },
    {
      code: "35.22.21.2004",
      name: "Soko",
      at: [-7.3148, 111.8719],
      day: 27,
      facilitator: "Budi Cahyono",
      head: "Tarmuji",
      second: { name: "Kusnan", position: "Ketua BPD" },
      attendees: [44, 15],
      usulan: [
        {
          key: "soko-jut",
          opd: "dkpp",
          title: "Pembangunan jalan usaha tani blok Soko Wetan",
          problem: "Hasil panen jagung dipikul sejauh 1 km karena jalan usaha tani belum ada.",
          group: "ekonomi",
          address: "Blok tegalan Soko Wetan",
          ...rtrw("003", "002"),
          volume: "600",
          unit: "m",
          cost: "330000000",
          beneficiaries: 140,
          s: [4, 4, 4, 3],
          sk: SK.jut,
        },
        {
          key: "soko-gorong",
          opd: "pu",
          title: "Pembangunan drainase dan gorong-gorong jalan poros Soko",
          problem: "Air dari bukit melintas di atas jalan poros dan menggerus aspal setiap musim hujan.",
          group: "prasarana_wilayah",
          address: "Jalan poros Soko",
          ...rtrw("001", "001"),
          volume: "200",
          unit: "m",
          cost: "190000000",
          beneficiaries: 870,
          s: [4, 3, 3, 4],
          sk: SK.drainase,
        },
        {
          key: "soko-kader",
          opd: "dinkes",
          kind: "nonfisik",
          title: "Pelatihan kader posyandu tentang pencegahan stunting",
          problem: "Kader posyandu belum terlatih membaca grafik pertumbuhan dan konseling gizi.",
          group: "sosial_budaya",
          address: "Balai Desa Soko",
          volume: "30",
          unit: "orang",
          cost: "27000000",
          beneficiaries: 120,
          s: [4, 3, 5, 4],
          sk: SK.ukbm,
        },
        {
          key: "soko-pju",
          opd: "dishub",
          title: "Pemasangan lampu penerangan jalan di jalan desa Soko–Pancur",
          problem: "Jalan desa menuju Pancur gelap dan melewati hutan jati.",
          group: "prasarana_wilayah",
          address: "Jalan desa Soko–Pancur",
          ...rtrw("005", "002"),
          volume: "12",
          unit: "titik",
          cost: "150000000",
          beneficiaries: 600,
          s: [3, 3, 3, 3],
          fate: { opdReject: "Ruas yang diusulkan adalah jalan desa; Dishub hanya memasang PJU di jalan kabupaten, PJU jalan desa dapat dibiayai Dana Desa." },
        },
      ],
    },
  ],
};

const BOJONEGORO: Kecamatan = {
  code: "35.22.15",
  name: "Bojonegoro",
  facilitator: "Lilik Indrawati",
  camat: "Dra. Endang Sulistyowati",
  day: 5,
  attendees: [70, 33],
  desa: [
    {
      code: "35.22.15.1009",
      name: "Ledok Kulon",
      kelurahan: true,
      at: [-7.1529, 111.8781],
      day: 12,
      facilitator: "Dwi Ratnasari",
      head: "Anang Setiawan, S.STP.",
      second: { name: "Gunawan", position: "Ketua LPM" },
      attendees: [60, 27],
      usulan: [
        {
          key: "ledokkulon-banjir",
          opd: "pusda",
          title: "Normalisasi saluran pembuang dan pompa banjir Kali Ledok",
          problem: "Saat Bengawan Solo pasang, air Kali Ledok tidak bisa keluar dan menggenangi 600 rumah.",
          group: "prasarana_wilayah",
          address: "Kali Ledok",
          ...rtrw("004", "002"),
          volume: "1",
          unit: "paket",
          cost: "620000000",
          beneficiaries: 3400,
          s: [5, 5, 4, 3],
          sk: SK.banjir,
        },
        {
          key: "ledokkulon-tps3r",
          opd: "dlh",
          title: "Pembangunan TPS3R Kelurahan Ledok Kulon",
          problem: "Sampah dari 2.800 warga diangkut ke TPA tanpa dipilah; volume sampah terus naik.",
          group: "prasarana_wilayah",
          address: "Tanah bengkok kelurahan",
          ...rtrw("006", "003"),
          volume: "1",
          unit: "unit",
          cost: "550000000",
          beneficiaries: 2800,
          s: [4, 4, 4, 4],
          fate: { kecReject: "TPS3R Ledok Kulon sudah dibangun pada 2025 dan belum beroperasi penuh; diprioritaskan pengaktifannya, bukan pembangunan baru." },
        },
        {
          key: "ledokkulon-digital",
          opd: "kominfo",
          kind: "nonfisik",
          title: "Pelatihan pemasaran digital bagi pelaku UMKM batik Jonegoroan",
          problem: "Perajin batik Jonegoroan masih menjual lewat pesanan langsung dan belum memanfaatkan lokapasar.",
          group: "ekonomi",
          address: "Aula Kelurahan Ledok Kulon",
          volume: "40",
          unit: "orang",
          cost: "56000000",
          beneficiaries: 40,
          s: [4, 3, 4, 3],
          sk: SK.literasiDigital,
        },
        {
          key: "ledokkulon-pju",
          opd: "dishub",
          title: "Pemasangan PJU di jalan tepi Bengawan Solo",
          problem: "Jalan tepi sungai ramai pejalan kaki pada malam hari tetapi tanpa penerangan.",
          group: "prasarana_wilayah",
          address: "Jalan tepi Bengawan Solo",
          ...rtrw("002", "001"),
          volume: "15",
          unit: "titik",
          cost: "187500000",
          beneficiaries: 2200,
          s: [3, 4, 3, 3],
          sk: SK.pju,
        },
      ],
    },
    {
      code: "35.22.15.1011",
      name: "Kadipaten",
      kelurahan: true,
      at: [-7.1591, 111.8918],
      day: 16,
      facilitator: "Fajar Nugroho",
      head: "Rudi Hartanto, S.Sos.",
      second: { name: "Heri Susanto", position: "Ketua LPM" },
      attendees: [57, 26],
      usulan: [
        {
          key: "kadipaten-drainase",
          opd: "pu",
          title: "Rehabilitasi saluran drainase Jl. Panglima Sudirman dan gang sekitarnya",
          problem: "Saluran tertutup bangunan dan sedimen; genangan setinggi 30 cm terjadi di gang-gang setiap hujan.",
          group: "prasarana_wilayah",
          address: "Jl. Panglima Sudirman",
          ...rtrw("003", "002"),
          volume: "520",
          unit: "m",
          cost: "442000000",
          beneficiaries: 1500,
          s: [5, 4, 4, 4],
          sk: SK.drainase,
        },
        {
          key: "kadipaten-rtlh",
          opd: "perkim",
          title: "Rehabilitasi tujuh rumah tidak layak huni di permukiman padat",
          problem: "Tujuh rumah di gang sempit tanpa ventilasi dan berlantai tanah; dihuni keluarga miskin.",
          group: "sosial_budaya",
          address: "Gang Kenanga",
          ...rtrw("005", "003"),
          volume: "7",
          unit: "unit",
          cost: "175000000",
          beneficiaries: 26,
          s: [4, 3, 4, 3],
          sk: SK.rtlh,
        },
        {
          key: "kadipaten-taman",
          opd: "dlh",
          title: "Penataan taman RW dan penanaman pohon peneduh",
          problem: "Permukiman padat tanpa ruang terbuka; anak-anak bermain di jalan.",
          group: "sosial_budaya",
          address: "Lahan fasum RW 04",
          ...rtrw("001", "004"),
          volume: "1",
          unit: "paket",
          cost: "95000000",
          beneficiaries: 1100,
          s: [3, 4, 3, 3],
          sk: SK.taman,
        },
        {
          key: "kadipaten-lansia",
          opd: "dinsos",
          kind: "nonfisik",
          title: "Pendampingan dan alat bantu bagi lansia dan penyandang disabilitas",
          problem: "Tiga puluh lansia dan penyandang disabilitas belum memiliki kursi roda atau alat bantu dengar.",
          group: "sosial_budaya",
          address: "Kelurahan Kadipaten",
          volume: "30",
          unit: "orang",
          cost: "45000000",
          beneficiaries: 30,
          s: [3, 3, 4, 3],
          sk: SK.lansia,
        },
      ],
    },
  ],
};

const KECAMATAN = [BOJONEGORO, DANDER, SUMBERREJO, TEMAYANG];

/** DPRD members' proposals (pokir), entered by Bappeda at the kabupaten forum. */
const POKIR: (Omit<Usulan, "s"> & { desa: string; lat: string; lng: string; proposer: string })[] = [
  {
    key: "pokir-jalan",
    desa: "35.22.06.2013",
    opd: "pu",
    title: "Rehabilitasi jalan poros Ngumpakdalem–Sumbertlaseh",
    problem: "Hasil reses: warga Ngumpakdalem dan Sumbertlaseh mengeluhkan jalan rusak berat yang menjadi akses ke SMA dan puskesmas.",
    group: "prasarana_wilayah",
    address: "Ruas Ngumpakdalem–Sumbertlaseh",
    lat: "-7.275400",
    lng: "111.851200",
    volume: "800",
    unit: "m",
    cost: "880000000",
    beneficiaries: 2600,
    proposer: "H. Ahmad Fauzi, S.Ag. (Fraksi PKB, Dapil II)",
    sk: SK.rehabJalan,
  },
  {
    key: "pokir-perahu",
    desa: "35.22.15.2003",
    opd: "dishub",
    title: "Pengadaan perahu penyeberangan dan alat keselamatan di Bengawan Solo",
    problem: "Hasil reses: perahu tambang penyeberangan Sukorejo sudah tua dan tidak dilengkapi pelampung.",
    group: "prasarana_wilayah",
    address: "Penyeberangan Sukorejo",
    lat: "-7.157300",
    lng: "111.904100",
    volume: "2",
    unit: "unit",
    cost: "140000000",
    beneficiaries: 1200,
    proposer: "Drs. Bambang Sutopo (Fraksi Golkar, Dapil I)",
    fate: { opdReject: "Perahu penyeberangan tradisional dikelola desa; Dishub menganggarkan pelampung dan pelatihan keselamatan bagi penambang, bukan perahu baru." },
  },
];

/** The 2028 forum of Desa Ngunut: open, with what has been raised so far. */
const NGUNUT_2028: (Omit<Usulan, "s" | "key"> & { at: [number, number] })[] = [
  {
    opd: "pusda",
    title: "Pembangunan sumur bor dan tandon air bersih Dusun Kedungpring",
    problem: "Kemarau 2026 membuat 70 KK di Dusun Kedungpring membeli air tangki selama empat bulan; sumur gali kering.",
    group: "prasarana_wilayah",
    address: "Dusun Kedungpring",
    ...rtrw("005", "002"),
    volume: "1",
    unit: "unit",
    cost: "195000000",
    beneficiaries: 260,
    at: [-7.2262, 111.8611],
  },
  {
    opd: "pu",
    title: "Pavingisasi jalan lingkungan RT 002/RW 003 Dusun Ngunut",
    problem: "Jalan lingkungan sepanjang 250 m masih tanah; becek saat hujan dan berdebu saat kemarau.",
    group: "prasarana_wilayah",
    address: "Dusun Ngunut",
    ...rtrw("002", "003"),
    volume: "750",
    unit: "m²",
    cost: "131250000",
    beneficiaries: 210,
    at: [-7.2205, 111.8553],
  },
  {
    opd: "dinkes",
    kind: "nonfisik",
    title: "Pelatihan kader posyandu untuk pencegahan stunting",
    problem: "Tiga kader baru Posyandu Melati belum pernah dilatih pengukuran antropometri dan konseling gizi.",
    group: "sosial_budaya",
    address: "Balai Desa Ngunut",
    volume: "15",
    unit: "orang",
    cost: "13500000",
    beneficiaries: 186,
    at: [-7.2231, 111.8584],
  },
];

/** mulberry32: a tiny seeded PRNG, so that the demo is the same on every machine. */
/** A clock the seed sets by hand: every step happens at a plausible moment of the 2026 calendar (WIB). */
const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Seeds the demo kabupaten's Musrenbang (see the top of this file) in one transaction. Does nothing
 * when the tenant already has forums for 2027. Returns whether it wrote anything and how much.
 */
export async function seedDemoMusrenbang(em: EntityManager): Promise<{ created: boolean; proposals: number; ms: number }> {
  const t0 = Date.now();
  const probe = em.fork();
  probe.setFilterParams("tenant", { tenant: T });
  if ((await probe.count(Forum, { fiscalYear: DEMO_PAST_YEAR })) > 0) return { created: false, proposals: 0, ms: Date.now() - t0 };
  // A demo database someone has already used for 2028 keeps its own 2028 forums as they are.
  const nextYearFree = (await probe.count(Forum, { fiscalYear: DEMO_NEXT_YEAR })) === 0;
  let proposals = 0;
  await em.fork().transactional(async (tx) => {
    /** A fresh unit of work inside the one transaction (each use case then runs in a savepoint). */
    const uow = () => {
      const f = tx.fork({ keepTransactionContext: true });
      f.setFilterParams("tenant", { tenant: T });
      return f;
    };
    const clock = new DemoClock();
    const rnd = prng(3522);
    const ids = new Map<string, string>();

    const accounts = new Map<string, Actor>();
    const demoActor = async (username: string): Promise<Actor> => {
      if (!accounts.has(username)) {
        const [row] = await uow().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username = ?", [T, username]);
        const found = row ? await loadActor(uow(), T, row.id) : null;
        const u = DEMO_USERS.find((x) => x.username === username)!;
        accounts.set(username, found ?? new Actor(T, null, username, u.displayName, [{ role: u.role, scope: { kind: ROLE_SCOPE[u.role], code: u.scopeCode || T } }]));
      }
      return accounts.get(username)!;
    };
    const stand = (role: "desa_facilitator" | "kecamatan_facilitator" | "opd_officer", kind: "desa" | "kecamatan" | "opd", code: string, name: string, username: string) =>
      new Actor(T, null, username, name, [{ role, scope: { kind, code } }]);
    const bappeda = await demoActor("bappeda");
    const desaActor = async (d: Desa) =>
      d.facilitator === "fasil.desa"
        ? demoActor("fasil.desa")
        : stand("desa_facilitator", "desa", d.code, `${d.facilitator} (Fasilitator ${d.kelurahan ? "Kel." : "Desa"} ${d.name})`, `fasil.${d.code}`);
    const kecActor = async (k: Kecamatan) =>
      k.facilitator === "fasil.kecamatan"
        ? demoActor("fasil.kecamatan")
        : stand("kecamatan_facilitator", "kecamatan", k.code, `${k.facilitator} (Fasilitator Kec. ${k.name})`, `fasil.${k.code}`);
    const opdActor = async (key: OpdKey) =>
      key === "pu" ? demoActor("opd.pu") : stand("opd_officer", "opd", OPD[key], VERIFIERS[key], `verifikator.${key}`);

    const forumOf = (year: number, level: "desa" | "kecamatan" | "kabupaten", region: string) => uow().findOneOrFail(Forum, { fiscalYear: year, level, regionCode: region });
    const version = async (key: string) => (await uow().findOneOrFail(Proposal, { id: ids.get(key)! })).version;
    const criteria = async (level: "desa" | "kecamatan") => (await uow().find(ScoringCriterion, { level }, { orderBy: { sortOrder: "asc", code: "asc" } })).map((c) => c.code);
    const scoresOf = (codes: string[], s: readonly number[]) => Object.fromEntries(codes.map((c, i) => [c, s[i] ?? 3]));
    const input = (u: Omit<Usulan, "s" | "key">, at: [number, number] | null): ProposalInput => ({
      title: u.title,
      problem: u.problem,
      kind: u.kind ?? "fisik",
      thematicGroup: u.group,
      bidangUrusan: BIDANG[u.opd],
      targetOpd: OPD[u.opd],
      address: u.address,
      rt: u.rt ?? "",
      rw: u.rw ?? "",
      lat: at ? at[0].toFixed(6) : "",
      lng: at ? at[1].toFixed(6) : "",
      volume: u.volume,
      unit: u.unit,
      estimatedCost: u.cost,
      beneficiaries: String(u.beneficiaries),
    });
    /** A point near the desa's centre (within about 800 m), for physical works. */
    const near = (c: [number, number]): [number, number] => [c[0] + (rnd() - 0.5) * 0.014, c[1] + (rnd() - 0.5) * 0.014];

    // 2027 — Bappeda schedules the forums that met (December 2025).
    clock.at("2025-12-08 09:00");
    const win = { desa: ["2026-01-05 08:00", "2026-01-31 16:00"], kecamatan: ["2026-02-02 08:00", "2026-02-27 16:00"], kabupaten: ["2026-03-16 08:00", "2026-04-15 16:00"] } as const;
    const schedule = async (level: "desa" | "kecamatan" | "kabupaten", scope: string, venue: string) => {
      await scheduleForum(uow(), bappeda, clock.tick(2), { fiscalYear: DEMO_PAST_YEAR, level, scope, opensAt: wib(win[level][0]), closesAt: wib(win[level][1]), venue });
    };
    await schedule("kabupaten", T, "Pendopo Malowopati, Bojonegoro");
    for (const k of KECAMATAN) {
      await schedule("kecamatan", k.code, `Pendopo Kecamatan ${k.name}`);
      for (const d of k.desa) await schedule("desa", d.code, d.kelurahan ? `Aula Kelurahan ${d.name}` : `Balai Desa ${d.name}`);
    }
    const desaCriteria = await criteria("desa");
    const kecCriteria = await criteria("kecamatan");

    // January 2026 — the desa/kelurahan forums, in calendar order.
    const allDesa = KECAMATAN.flatMap((k) => k.desa).sort((a, b) => a.day - b.day);
    for (const d of allDesa) {
      const actor = await desaActor(d);
      clock.at(`2026-01-${pad(d.day)} 08:30`);
      let f = await forumOf(DEMO_PAST_YEAR, "desa", d.code);
      await moveForum(uow(), actor, clock, f.id, "open", f.version);
      for (const u of d.usulan) {
        const r = await raiseProposal(uow(), actor, clock.tick(9), f.id, input(u, u.kind === "nonfisik" ? null : near(d.at)));
        ids.set(u.key, r.id);
        proposals++;
      }
      for (const u of d.usulan)
        if (u.fate && "withdraw" in u.fate) await withdrawProposal(uow(), actor, clock.tick(6), ids.get(u.key)!, u.fate.withdraw, await version(u.key));
      f = await forumOf(DEMO_PAST_YEAR, "desa", d.code);
      clock.at(`2026-01-${pad(d.day)} 10:45`);
      await moveForum(uow(), actor, clock, f.id, "startScoring", f.version);
      for (const u of d.usulan) if (!(u.fate && "withdraw" in u.fate)) await scoreProposal(uow(), actor, clock.tick(4), f.id, ids.get(u.key)!, scoresOf(desaCriteria, u.s));
      f = await forumOf(DEMO_PAST_YEAR, "desa", d.code);
      clock.at(`2026-01-${pad(d.day)} 12:30`);
      await closeForum(uow(), actor, clock, f.id, {
        attendeesTotal: d.attendees[0],
        attendeesWomen: d.attendees[1],
        signatories: [
          { name: d.head, position: d.kelurahan ? "Lurah" : "Kepala Desa" },
          d.second,
          { name: actor.displayName.replace(/ \(.*$/, ""), position: "Fasilitator" },
        ],
        notes: `Musrenbang ${d.kelurahan ? "Kelurahan" : "Desa"} ${d.name} untuk RKPD ${DEMO_PAST_YEAR}; usulan diperingkat dengan kriteria dan bobot kabupaten.`,
        expectedVersion: f.version,
      });
    }

    // February 2026 — the kecamatan forums: verify, reject, merge the duplicate, score, forward.
    for (const k of [...KECAMATAN].sort((a, b) => a.day - b.day)) {
      const actor = await kecActor(k);
      clock.at(`2026-02-${pad(k.day)} 08:00`);
      let f = await forumOf(DEMO_PAST_YEAR, "kecamatan", k.code);
      await moveForum(uow(), actor, clock, f.id, "open", f.version);
      const here = (await uow().find(Proposal, { currentForumId: f.id, status: "escalated" }, { orderBy: { code: "asc" } })).map((p) => p.id);
      const byId = new Map(k.desa.flatMap((d) => d.usulan).map((u) => [ids.get(u.key), u]));
      const decide = async (u: Usulan) => {
        const fate = u.fate;
        if (fate && "kecReject" in fate) await rejectProposal(uow(), actor, clock.tick(7), ids.get(u.key)!, fate.kecReject, await version(u.key));
        else if (fate && "mergeInto" in fate) await mergeProposal(uow(), actor, clock.tick(7), ids.get(u.key)!, ids.get(fate.mergeInto)!, fate.reason, await version(u.key));
        else await verifyProposal(uow(), actor, clock.tick(5), ids.get(u.key)!, await version(u.key));
      };
      const pending = here.map((id) => byId.get(id)!);
      // Verify first, so that a duplicate is merged into a proposal the forum has already checked.
      for (const u of pending.filter((x) => !(x.fate && "mergeInto" in x.fate))) await decide(u);
      for (const u of pending.filter((x) => x.fate && "mergeInto" in x.fate)) await decide(u);
      f = await forumOf(DEMO_PAST_YEAR, "kecamatan", k.code);
      clock.at(`2026-02-${pad(k.day)} 11:30`);
      await moveForum(uow(), actor, clock, f.id, "startScoring", f.version);
      for (const id of (await uow().find(Proposal, { currentForumId: f.id, status: "verified" }, { orderBy: { code: "asc" } })).map((p) => p.id)) {
        const s = [0, 0, 0, 0].map(() => 3 + Math.floor(rnd() * 3));
        await scoreProposal(uow(), actor, clock.tick(3), f.id, id, scoresOf(kecCriteria, s));
      }
      f = await forumOf(DEMO_PAST_YEAR, "kecamatan", k.code);
      clock.at(`2026-02-${pad(k.day)} 14:00`);
      await closeForum(uow(), actor, clock, f.id, {
        attendeesTotal: k.attendees[0],
        attendeesWomen: k.attendees[1],
        signatories: [
          { name: k.camat, position: `Camat ${k.name}` },
          { name: actor.displayName.replace(/ \(.*$/, ""), position: "Fasilitator Kecamatan" },
        ],
        notes: `Musrenbang Kecamatan ${k.name} untuk RKPD ${DEMO_PAST_YEAR}; dihadiri delegasi desa/kelurahan, OPD dan anggota DPRD daerah pemilihan.`,
        expectedVersion: f.version,
      });
    }

    // March–April 2026 — the kabupaten forum: pokir, OPD decisions, Bappeda's final cut, adoption.
    // (No sessions over Idul Fitri 1447 H and its cuti bersama, around 20 March 2026, nor on Good Friday, 3 April.)
    let kab = await forumOf(DEMO_PAST_YEAR, "kabupaten", T);
    clock.at("2026-03-16 09:00");
    await moveForum(uow(), bappeda, clock, kab.id, "open", kab.version);
    clock.at("2026-03-16 13:00");
    for (const p of POKIR) {
      const r = await raisePokir(uow(), bappeda, clock.tick(20), DEMO_PAST_YEAR, { ...input(p, null), lat: p.lat, lng: p.lng, desa: p.desa, proposer: p.proposer });
      ids.set(p.key, r.id);
      proposals++;
    }
    const reviewed: Omit<Usulan, "s">[] = [...KECAMATAN.flatMap((k) => k.desa.flatMap((d) => d.usulan)), ...POKIR];
    const inReview = new Set((await uow().find(Proposal, { currentForumId: kab.id, status: "opd_review" })).map((p) => p.id));
    const sessions = ["03-25", "03-26", "03-27", "03-30", "03-31", "04-01", "04-02", "04-06", "04-07", "04-08", "04-09", "04-10"];
    for (const key of Object.keys(OPD) as OpdKey[]) {
      const mine = reviewed.filter((u) => u.opd === key && inReview.has(ids.get(u.key)!));
      if (mine.length === 0) continue;
      const officer = await opdActor(key);
      clock.at(`2026-${sessions.shift()} 09:00`);
      for (const u of mine) {
        const fate = u.fate;
        if (fate && "opdReject" in fate) await rejectProposal(uow(), officer, clock.tick(25), ids.get(u.key)!, fate.opdReject, await version(u.key));
        else if (fate && "transfer" in fate) await transferProposal(uow(), officer, clock.tick(25), ids.get(u.key)!, OPD[fate.transfer], fate.reason, await version(u.key));
        else await acceptProposal(uow(), officer, clock.tick(25), ids.get(u.key)!, fate && "notAdopt" in fate ? fate.sk : u.sk!, "", await version(u.key));
      }
    }
    // What was transferred is decided by the OPD it went to.
    clock.at("2026-04-13 10:00");
    const statusOf = async (key: string) => (await uow().findOneOrFail(Proposal, { id: ids.get(key)! })).status;
    for (const u of reviewed) {
      const fate = u.fate;
      if (fate && "transfer" in fate && (await statusOf(u.key)) === "opd_review") await acceptProposal(uow(), await opdActor(fate.transfer), clock.tick(30), ids.get(u.key)!, fate.sk, "", await version(u.key));
    }
    kab = await forumOf(DEMO_PAST_YEAR, "kabupaten", T);
    clock.at("2026-04-14 09:00");
    await moveForum(uow(), bappeda, clock, kab.id, "startScoring", kab.version);
    for (const u of reviewed) {
      const fate = u.fate;
      if (fate && "notAdopt" in fate && (await statusOf(u.key)) === "accepted") await notAdoptProposal(uow(), bappeda, clock.tick(30), ids.get(u.key)!, fate.notAdopt, await version(u.key));
    }
    kab = await forumOf(DEMO_PAST_YEAR, "kabupaten", T);
    clock.at("2026-04-15 14:00");
    await closeForum(uow(), bappeda, clock, kab.id, {
      attendeesTotal: 320,
      attendeesWomen: 97,
      signatories: [
        { name: "Dr. Ir. Arief Rahman, M.T.", position: "Kepala Bappeda" },
        { name: "Sri Wahyuni", position: "Kepala Bidang Perencanaan, Bappeda" },
        { name: "H. Mukhlas Hidayat", position: "Ketua Komisi B DPRD" },
      ],
      notes: `Musrenbang RKPD ${DEMO_PAST_YEAR} Kabupaten Bojonegoro: hasil verifikasi perangkat daerah dan pokok-pokok pikiran DPRD disepakati sebagai bahan rancangan akhir RKPD.`,
      expectedVersion: kab.version,
    });

    // 2028 — every forum scheduled in November 2026; Desa Ngunut opens early and raises its first proposals.
    const seedNextYear = async () => {
      clock.at("2026-11-02 09:00");
      await scheduleYear(uow(), bappeda, clock, {
        fiscalYear: DEMO_NEXT_YEAR,
        windows: {
          desa: { opensAt: wib("2026-11-16 08:00"), closesAt: wib("2027-01-31 16:00") },
          kecamatan: { opensAt: wib("2027-02-01 08:00"), closesAt: wib("2027-02-26 16:00") },
          kabupaten: { opensAt: wib("2027-03-15 08:00"), closesAt: wib("2027-04-16 16:00") },
        },
      });
      const fasilDesa = await demoActor("fasil.desa");
      const fasilKec = await demoActor("fasil.kecamatan");
      let ngunut = await forumOf(DEMO_NEXT_YEAR, "desa", DANDER.desa[0].code);
      clock.at("2026-11-10 10:00");
      await rescheduleForum(uow(), fasilDesa, clock, ngunut.id, { opensAt: wib("2026-11-18 08:00"), closesAt: wib("2027-01-15 16:00"), venue: "Balai Desa Ngunut", expectedVersion: ngunut.version });
      const dander = await forumOf(DEMO_NEXT_YEAR, "kecamatan", DANDER.code);
      clock.tick(45);
      await rescheduleForum(uow(), fasilKec, clock, dander.id, { opensAt: wib("2027-02-09 08:00"), closesAt: wib("2027-02-12 16:00"), venue: "Pendopo Kecamatan Dander", expectedVersion: dander.version });
      ngunut = await forumOf(DEMO_NEXT_YEAR, "desa", DANDER.desa[0].code);
      clock.at("2026-11-18 08:30");
      await moveForum(uow(), fasilDesa, clock, ngunut.id, "open", ngunut.version);
      for (const [i, u] of NGUNUT_2028.entries()) {
        clock.at(`2026-11-${pad(18 + i)} 09:15`);
        await raiseProposal(uow(), fasilDesa, clock, ngunut.id, input(u, u.kind === "nonfisik" ? null : u.at));
        proposals++;
      }
    };
    if (nextYearFree) await seedNextYear();

    // The use cases stamp created_at/updated_at with the wall clock rather than their Clock; give the
    // seeded rows the moments their own timelines and audit events record.
    await tx.execute(
      `update proposal p set created_at = e.first, updated_at = e.last
         from (select proposal_id, min(at) as first, max(at) as last from proposal_event where tenant_code = ? group by proposal_id) e
        where p.id = e.proposal_id and p.tenant_code = ? and p.fiscal_year in (?, ?)`,
      [T, T, DEMO_PAST_YEAR, DEMO_NEXT_YEAR],
    );
    await tx.execute(
      `update forum f set created_at = a.first, updated_at = a.last
         from (select entity_id, min(at) as first, max(at) as last from audit_event where tenant_code = ? and entity_type = 'Forum' group by entity_id) a
        where f.id::text = a.entity_id and f.tenant_code = ? and f.fiscal_year in (?, ?)`,
      [T, T, DEMO_PAST_YEAR, DEMO_NEXT_YEAR],
    );
  });
  return { created: true, proposals, ms: Date.now() - t0 };
}
