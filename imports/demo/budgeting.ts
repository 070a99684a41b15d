/**
 * The demo kabupaten's e-Budgeting for fiscal year 2027, played through the same use cases people use
 * (so the audit trail, the ceilings and every review rule are real):
 *
 *   KUA-PPAS 2027   in August 2026 TAPD drafts it from the final RKPD 2027 with four priorities, trims three
 *                   provisional ceilings, submits it to the DPRD and records the agreement (the nota
 *                   kesepakatan's number is illustrative).
 *   RKA 2027        in September–October 2026 each OPD drafts the RKA of its sub-activities, line by line
 *                   from the demo SSH/HSPK/SBU 2027 lists (imports/budgeting/data): roads, drainage and
 *                   irrigation from HSPK works rates with PPN 11%; meetings and trainings with nasi kotak,
 *                   snack, honoraria (no tax) and participants' transport. The main works line of an RKA is
 *                   sized to what is left of its ceiling, so every total stays within it. TAPD verifies and
 *                   approves them; one (Dinas Kesehatan, gizi masyarakat) is returned with a note on a line,
 *                   fixed and approved; one (DPMD, BUMDes) is submitted and still waiting in TAPD's queue.
 *                   Dinas Kesehatan's revenue RKA (retribusi puskesmas) is approved too.
 *
 * Not budgeted in the demo: the support programme's salaries (the demo lists carry no salary items, and
 * an RKA line must come from them), and Dinas PU Bina Marga's Rehabilitasi Jalan (1.03.10.2.01.0044),
 * left without an RKA for the reader (and the browser test) to draft.
 *
 * Idempotent: does nothing when the tenant has a KUA-PPAS for 2027, or when there is no final RKPD 2027
 * or no demo price list to draw from.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { D, Money } from "../../domain/kernel/money";
import { amountOf } from "../../domain/budgeting/lines";
import { draftKuaPpas, kuaPpasView, moveKuaPpas, setPpasCeiling } from "../../domain/budgeting/kuappas";
import { addLine, moveRka, noteRka, openOpdRka, openRka, rkaView, updateLine, type LineInput } from "../../domain/budgeting/rka";
import { DEMO_TENANT } from "./bojonegoro";
import { DemoClock, stampFromAudit } from "./clock";

const T = DEMO_TENANT.code;
const YEAR = 2027;

const OPD = {
  disdik: "1.01.0.00.0.00.01.0000",
  dinkes: "1.02.0.00.0.00.01.0000",
  pu: "1.03.0.00.0.00.01.0000",
  pusda: "1.03.0.00.0.00.02.0000",
  dpmd: "2.13.0.00.0.00.01.0000",
  dishub: "2.15.0.00.0.00.01.0000",
  dkpp: "3.27.2.09.0.00.01.0000",
} as const;
type OpdKey = keyof typeof OPD;

/** The sub-activity Dinas PU leaves without an RKA (the browser test drafts it). */
export const DEMO_UNBUDGETED_SUB = "1.03.10.2.01.0044";

export const KUA_PRIORITIES = [
  "Pemantapan infrastruktur jalan, drainase dan irigasi untuk konektivitas antarwilayah dan ketahanan pangan",
  "Percepatan penurunan stunting dan penguatan layanan kesehatan dasar",
  "Peningkatan mutu sarana dan prasarana pendidikan dasar",
  "Penguatan ekonomi desa, BUMDes dan kelembagaan petani",
];

export const KUA_AGREEMENT =
  "Nota Kesepakatan Bupati dan DPRD Kabupaten Bojonegoro Nomor 050/118/412.012/2026 tentang KUA-PPAS Tahun Anggaran 2027 (nomor ilustratif, contoh demo)";

/** Provisional ceilings TAPD trims to fit the 2027 fiscal capacity (sub kegiatan → new ceiling). */
const TRIMS: { opd: OpdKey; code: string; amount: string }[] = [
  { opd: "pu", code: "1.03.10.2.01.0033", amount: "2400000000" },
  { opd: "dishub", code: "2.15.02.2.02.0002", amount: "700000000" },
  { opd: "dkpp", code: "3.27.03.2.02.0003", amount: "720000000" },
];

type Tax = "0" | "11" | "12";
/** One line: a standard price item (by its code in the demo lists), the account, the factors ([qty, unit]), tax. */
interface DemoLine {
  heading: string;
  item: string;
  account: string;
  factors: [string, string][];
  tax: Tax;
  description?: string;
  /** The first factor's quantity is computed: as much as what is left of the ceiling holds, in whole units. */
  fill?: true;
}
interface DemoRka {
  opd: OpdKey;
  code: string;
  /** When the OPD drafts it (WIB). */
  at: string;
  lines: DemoLine[];
}

const WORKS_ROAD = "5.2.04.01.01.0003"; // Belanja Modal Jalan Kabupaten
const MEALS = "5.1.02.01.01.0052"; // Belanja Makanan dan Minuman Rapat
const HONOR = "5.1.02.02.01.0003"; // Honorarium Narasumber/Moderator/Panitia
const TRAVEL_LOCAL = "5.1.02.04.01.0003"; // Perjalanan Dinas Dalam Kota (transport peserta)
const PRINTING = "5.1.02.01.01.0026"; // Bahan Cetak
const EVENT = "5.1.02.02.12.0003"; // Bimbingan Teknis (sewa peralatan, seminar kit: see data/SOURCES.md)

/** The RKAs the OPDs draft in September 2026, in order; TAPD approves them all in October (one after returning it). */
const RKAS: DemoRka[] = [
  {
    opd: "pu",
    code: "1.03.10.2.01.0033", // Rekonstruksi Jalan, 900 m, DAK Fisik
    at: "2026-09-01 08:30",
    lines: [
      { heading: "Pekerjaan Persiapan dan Tanah Dasar", item: "HSPK.01.01.0001", account: WORKS_ROAD, factors: [["900", "m"], ["6", "m"]], tax: "11" },
      { heading: "Pekerjaan Persiapan dan Tanah Dasar", item: "HSPK.01.01.0002", account: WORKS_ROAD, factors: [["900", "m"], ["6", "m"], ["0.3", "m"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan Berbutir", item: "HSPK.01.01.0005", account: WORKS_ROAD, factors: [["900", "m"], ["6", "m"], ["0.2", "m"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan Berbutir", item: "HSPK.01.01.0004", account: WORKS_ROAD, factors: [["900", "m"], ["6", "m"], ["0.15", "m"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan Aspal", item: "HSPK.01.01.0006", account: WORKS_ROAD, factors: [["4950", "m2"], ["0.9", "liter/m2"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan Aspal", item: "HSPK.01.01.0008", account: WORKS_ROAD, factors: [["900", "m"], ["5.5", "m"]], tax: "11" },
      { heading: "Pekerjaan Pelengkap", item: "HSPK.01.01.0015", account: WORKS_ROAD, factors: [["0", "m"]], tax: "11", fill: true },
    ],
  },
  {
    opd: "pu",
    code: "1.03.06.2.01.0024", // Peningkatan Sistem Drainase Perkotaan, 420 m, PAD
    at: "2026-09-02 08:30",
    lines: [
      { heading: "Pekerjaan Saluran", item: "HSPK.04.01.0002", account: WORKS_ROAD, factors: [["420", "m"]], tax: "11" },
      { heading: "Pekerjaan Saluran", item: "HSPK.04.01.0005", account: "5.2.04.02.01.0004", factors: [["420", "m"], ["0.5", "m3/m"]], tax: "11" },
      { heading: "Pekerjaan Gorong-gorong", item: "HSPK.04.01.0004", account: WORKS_ROAD, factors: [["3", "titik"], ["8", "m"]], tax: "11" },
      { heading: "Pekerjaan Gorong-gorong", item: "HSPK.04.01.0003", account: WORKS_ROAD, factors: [["0", "m"]], tax: "11", fill: true },
    ],
  },
  {
    opd: "pusda",
    code: "1.03.02.2.02.0014", // Rehabilitasi Jaringan Irigasi Permukaan, DAK Fisik
    at: "2026-09-03 08:30",
    lines: [
      { heading: "Pekerjaan Tanah", item: "HSPK.05.01.0006", account: "5.2.04.02.01.0003", factors: [["600", "m"], ["3", "m"]], tax: "11" },
      { heading: "Pekerjaan Tanah", item: "HSPK.05.01.0001", account: "5.2.04.02.01.0003", factors: [["600", "m"], ["0.8", "m3/m"]], tax: "11" },
      { heading: "Pekerjaan Pasangan dan Pintu Air", item: "HSPK.05.01.0003", account: "5.2.04.02.01.0003", factors: [["600", "m"], ["1.6", "m2/m"]], tax: "11" },
      { heading: "Pekerjaan Pasangan dan Pintu Air", item: "HSPK.05.01.0005", account: "5.2.04.02.01.0003", factors: [["2", "unit"]], tax: "11" },
      { heading: "Pekerjaan Pasangan dan Pintu Air", item: "HSPK.05.01.0002", account: "5.2.04.02.01.0003", factors: [["0", "m3"]], tax: "11", fill: true },
    ],
  },
  {
    opd: "dkpp",
    code: "3.27.03.2.02.0010", // Rehabilitasi Jaringan Irigasi Usaha Tani (tersier), 1.400 m, DAK Fisik
    at: "2026-09-07 08:30",
    lines: [
      { heading: "Pekerjaan Saluran Tersier", item: "HSPK.05.01.0001", account: "5.2.04.02.01.0007", factors: [["1400", "m"], ["0.5", "m3/m"]], tax: "11" },
      { heading: "Pekerjaan Saluran Tersier", item: "HSPK.05.01.0004", account: "5.2.04.02.01.0007", factors: [["1400", "m"], ["1.5", "m2/m"]], tax: "11" },
      { heading: "Pekerjaan Saluran Tersier", item: "HSPK.05.01.0002", account: "5.2.04.02.01.0007", factors: [["0", "m3"]], tax: "11", fill: true },
      { heading: "Pintu Air", item: "HSPK.05.01.0005", account: "5.2.04.02.01.0007", factors: [["6", "unit"]], tax: "11" },
    ],
  },
  {
    opd: "dkpp",
    code: "3.27.03.2.02.0003", // Jalan Usaha Tani, 1.300 m, DAU
    at: "2026-09-08 08:30",
    lines: [
      { heading: "Pekerjaan Persiapan", item: "HSPK.01.01.0001", account: WORKS_ROAD, factors: [["1300", "m"], ["3", "m"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan", item: "HSPK.01.01.0005", account: WORKS_ROAD, factors: [["1300", "m"], ["3", "m"], ["0.1", "m"]], tax: "11" },
      { heading: "Pekerjaan Perkerasan", item: "HSPK.01.01.0010", account: WORKS_ROAD, factors: [["0", "m"], ["3", "m"]], tax: "11", fill: true },
      // Swakelola with the farmers' group: the mandor and workers are paid wages, without tax.
      { heading: "Pengawasan Swakelola", item: "SSH.02.01.0009", account: WORKS_ROAD, factors: [["1", "orang"], ["45", "hari"]], tax: "0" },
    ],
  },
  {
    opd: "dkpp",
    code: "3.27.07.2.01.0002", // Pelatihan petani, 25 orang, DBH
    at: "2026-09-09 08:30",
    lines: [
      { heading: "Belanja Makanan dan Minuman", item: "SSH.05.01.0001", account: MEALS, factors: [["25", "orang"], ["4", "kali"]], tax: "0" },
      { heading: "Belanja Makanan dan Minuman", item: "SSH.05.01.0002", account: MEALS, factors: [["25", "orang"], ["4", "kali"], ["2", "sesi"]], tax: "0" },
      { heading: "Honorarium Narasumber", item: "SBU.01.01.0004", account: HONOR, factors: [["1", "orang"], ["3", "jam"], ["4", "kali"]], tax: "0" },
      { heading: "Honorarium Narasumber", item: "SBU.01.01.0003", account: HONOR, factors: [["1", "orang"], ["2", "jam"], ["4", "kali"]], tax: "0" },
      { heading: "Transport Peserta", item: "SBU.02.01.0003", account: TRAVEL_LOCAL, factors: [["25", "orang"], ["4", "kali"]], tax: "0" },
      { heading: "Bahan Pelatihan", item: "SSH.04.03.0010", account: PRINTING, factors: [["100", "eksemplar"]], tax: "11" },
      { heading: "Bahan Pelatihan", item: "SSH.03.02.0004", account: EVENT, factors: [["4", "hari"]], tax: "11" },
    ],
  },
  {
    opd: "dinkes",
    code: "1.02.02.2.02.0004", // Pelayanan Kesehatan Balita, DAK Non-Fisik
    at: "2026-09-14 08:30",
    lines: [
      { heading: "Pertemuan Kader Posyandu", item: "SSH.05.01.0001", account: MEALS, factors: [["40", "orang"], ["6", "kali"]], tax: "0" },
      { heading: "Pertemuan Kader Posyandu", item: "SSH.05.01.0002", account: MEALS, factors: [["40", "orang"], ["6", "kali"]], tax: "0" },
      { heading: "Pertemuan Kader Posyandu", item: "SBU.01.01.0003", account: HONOR, factors: [["1", "orang"], ["1", "jam"], ["6", "kali"]], tax: "0" },
      { heading: "Pertemuan Kader Posyandu", item: "SBU.02.01.0003", account: TRAVEL_LOCAL, factors: [["20", "orang"], ["6", "kali"]], tax: "0" },
      { heading: "Media Penyuluhan", item: "SSH.04.03.0008", account: PRINTING, factors: [["400", "lembar"]], tax: "11" },
    ],
  },
  {
    opd: "dinkes",
    code: "1.02.02.2.02.0015", // Pelayanan Kesehatan Gizi Masyarakat, 48 orang, DAK Non-Fisik — returned once
    at: "2026-09-15 08:30",
    lines: [
      { heading: "Pelatihan Kader Gizi", item: "SSH.05.01.0003", account: MEALS, factors: [["48", "orang"], ["3", "kali"]], tax: "0" },
      { heading: "Pelatihan Kader Gizi", item: "SSH.05.01.0002", account: MEALS, factors: [["48", "orang"], ["3", "kali"], ["2", "sesi"]], tax: "0" },
      { heading: "Pelatihan Kader Gizi", item: "SBU.01.01.0003", account: HONOR, factors: [["2", "orang"], ["2", "jam"], ["3", "kali"]], tax: "0" },
      { heading: "Pelatihan Kader Gizi", item: "SBU.02.01.0003", account: TRAVEL_LOCAL, factors: [["48", "orang"], ["3", "kali"]], tax: "0" },
      { heading: "Media Penyuluhan", item: "SSH.04.03.0010", account: PRINTING, factors: [["100", "eksemplar"]], tax: "11" },
    ],
  },
  {
    opd: "dinkes",
    code: "1.02.05.2.03.0001", // Bimtek UKBM, 30 orang, PAD
    at: "2026-09-16 08:30",
    lines: [
      { heading: "Belanja Makanan dan Minuman", item: "SSH.05.01.0001", account: MEALS, factors: [["30", "orang"], ["2", "hari"]], tax: "0" },
      { heading: "Belanja Makanan dan Minuman", item: "SSH.05.01.0002", account: MEALS, factors: [["30", "orang"], ["2", "hari"], ["2", "sesi"]], tax: "0" },
      { heading: "Honorarium Narasumber", item: "SBU.01.01.0004", account: HONOR, factors: [["2", "orang"], ["3", "jam"], ["2", "hari"]], tax: "0" },
      { heading: "Transport Peserta", item: "SBU.02.01.0003", account: TRAVEL_LOCAL, factors: [["30", "orang"], ["2", "hari"]], tax: "0" },
      { heading: "Perlengkapan Bimtek", item: "SSH.03.02.0004", account: EVENT, factors: [["2", "hari"]], tax: "11" },
      { heading: "Perlengkapan Bimtek", item: "SSH.04.01.0026", account: EVENT, factors: [["30", "paket"]], tax: "11" },
      { heading: "Perlengkapan Bimtek", item: "SSH.04.03.0009", account: PRINTING, factors: [["30", "lembar"]], tax: "11" },
    ],
  },
  {
    opd: "disdik",
    code: "1.01.02.2.01.0006", // Sarana, prasarana dan utilitas sekolah, 1 paket, DAU: rehabilitasi dua ruang kelas SD
    at: "2026-09-21 08:30",
    lines: [
      { heading: "Pekerjaan Atap", item: "HSPK.03.01.0010", account: "5.2.03.01.01.0010", factors: [["2", "ruang"], ["72", "m2"]], tax: "11" },
      { heading: "Pekerjaan Atap", item: "HSPK.03.01.0011", account: "5.2.03.01.01.0010", factors: [["2", "ruang"], ["72", "m2"]], tax: "11" },
      { heading: "Pekerjaan Dinding", item: "HSPK.03.01.0009", account: "5.2.03.01.01.0010", factors: [["0", "m2"]], tax: "11", fill: true },
    ],
  },
  {
    opd: "dishub",
    code: "2.15.02.2.02.0002", // Perlengkapan jalan di jalan kabupaten, PAD
    at: "2026-09-23 08:30",
    lines: [
      { heading: "Survei Lokasi", item: "SBU.02.01.0001", account: TRAVEL_LOCAL, factors: [["4", "orang"], ["20", "hari"]], tax: "0" },
      { heading: "Survei Lokasi", item: "SBU.01.01.0011", account: "5.1.02.02.01.0004", factors: [["3", "orang"], ["6", "bulan"]], tax: "0" },
      { heading: "Pekerjaan Marka Jalan", item: "HSPK.01.01.0016", account: WORKS_ROAD, factors: [["0", "m2"]], tax: "11", fill: true },
    ],
  },
];

/** The RKA DPMD drafts in October and submits: still in TAPD's queue. */
const WAITING: DemoRka = {
  opd: "dpmd",
  code: "2.13.05.2.01.0005", // Fasilitasi usaha ekonomi masyarakat (BUMDes), 30 orang, DAU
  at: "2026-10-19 08:30",
  lines: [
    { heading: "Lokakarya Pengurus BUMDes", item: "SSH.05.01.0001", account: MEALS, factors: [["30", "orang"], ["2", "hari"], ["2", "angkatan"]], tax: "0" },
    { heading: "Lokakarya Pengurus BUMDes", item: "SSH.05.01.0002", account: MEALS, factors: [["30", "orang"], ["2", "hari"], ["2", "angkatan"], ["2", "sesi"]], tax: "0" },
    { heading: "Lokakarya Pengurus BUMDes", item: "SBU.01.01.0004", account: HONOR, factors: [["2", "orang"], ["3", "jam"], ["2", "angkatan"]], tax: "0" },
    { heading: "Lokakarya Pengurus BUMDes", item: "SBU.01.01.0002", account: HONOR, factors: [["1", "orang"], ["1", "jam"], ["2", "angkatan"]], tax: "0" },
    { heading: "Lokakarya Pengurus BUMDes", item: "SBU.02.01.0003", account: TRAVEL_LOCAL, factors: [["30", "orang"], ["2", "hari"], ["2", "angkatan"]], tax: "0" },
    { heading: "Perlengkapan", item: "SSH.03.02.0004", account: EVENT, factors: [["4", "hari"]], tax: "11" },
    { heading: "Perlengkapan", item: "SSH.03.02.0003", account: EVENT, factors: [["4", "hari"]], tax: "11" },
    { heading: "Perlengkapan", item: "SSH.04.01.0026", account: EVENT, factors: [["60", "paket"]], tax: "11" },
  ],
};

/** Dinas Kesehatan's revenue: retribusi pelayanan kesehatan at its puskesmas (estimates, no price item). */
const REVENUE: { description: string; spec: string; factors: [string, string][]; unit: string; unitPrice: string }[] = [
  { description: "Retribusi pelayanan rawat jalan puskesmas", spec: "Perda retribusi daerah; perkiraan rata-rata per puskesmas per bulan", factors: [["36", "puskesmas"], ["12", "bulan"]], unit: "puskesmas × bulan", unitPrice: "3250000" },
  { description: "Retribusi pemeriksaan laboratorium puskesmas", spec: "Perkiraan rata-rata per puskesmas per bulan", factors: [["36", "puskesmas"], ["12", "bulan"]], unit: "puskesmas × bulan", unitPrice: "850000" },
];

/** The returned RKA: TAPD's note on its first line, the reason it is returned, and the OPD's fix. */
const RETURNED = {
  code: "1.02.02.2.02.0015",
  lineNote: "Pertemuan kader di puskesmas: gunakan nasi kotak rapat (SSH.05.01.0001); makan prasmanan hanya untuk acara di gedung pertemuan.",
  returnNote: "Komponen konsumsi belum sesuai standar harga untuk pertemuan di puskesmas; lihat catatan pada rincian dan sesuaikan.",
  fixedItem: "SSH.05.01.0001",
};

const VERIFY_NOTE = "Rincian sesuai KUA-PPAS dan standar harga 2027; PPN 11% atas pekerjaan konstruksi oleh penyedia.";

interface Item {
  id: string;
  code: string;
  name: string;
  spec: string;
  unit: string;
  price: string;
}

export async function seedDemoBudgeting(em: EntityManager): Promise<{ created: boolean; rkas: number }> {
  const probe = em.fork();
  const [{ kua, finals }] = await probe.execute<{ kua: number; finals: number }[]>(
    `select (select count(*)::int from kua_ppas where tenant_code = ? and fiscal_year = ?) as kua,
            (select count(*)::int from renja where tenant_code = ? and fiscal_year = ? and status = 'final') as finals`,
    [T, YEAR, T, YEAR],
  );
  if (kua > 0 || finals === 0) return { created: false, rkas: 0 };
  const codes = [...new Set([...RKAS, WAITING].flatMap((r) => r.lines.map((l) => l.item)).concat(RETURNED.fixedItem))];
  const rows = await probe.execute<Item[]>(
    `select distinct on (i.code) i.id, i.code, i.name, i.spec, i.unit, i.price::text as price
       from price_item i join price_list l on l.id = i.list_id
      where l.tenant_code = ? and l.fiscal_year = ? and i.code = any(?::text[]) order by i.code, l.imported_at desc`,
    [T, YEAR, `{${codes.join(",")}}`],
  );
  const items = new Map(rows.map((r) => [r.code, r]));
  if (codes.some((c) => !items.has(c))) return { created: false, rkas: 0 };
  let rkas = 0;
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
    const officers = new Map<OpdKey, Actor>();
    const officer = (key: OpdKey) => {
      if (key === "pu" && puAccount) return puAccount;
      if (!officers.has(key))
        officers.set(key, new Actor(T, null, `keuangan.${key}`, `Pengelola Keuangan ${key.toUpperCase()}`, [{ role: "opd_officer", scope: { kind: "opd", code: OPD[key] } }]));
      return officers.get(key)!;
    };
    const subs = new Map(
      (
        await uow().execute<{ id: string; opd: string; code: string; funding_source: string }[]>(
          `select s.id, o.code as opd, s.sub_kegiatan_code as code, s.funding_source from sub_activity s join opd o on o.id = s.opd_id join renja r on r.id = s.renja_id
            where s.tenant_code = ? and s.fiscal_year = ? and r.status = 'final'`,
          [T, YEAR],
        )
      ).map((s) => [`${s.opd}|${s.code}`, s]),
    );
    const subOf = (opd: OpdKey, code: string) => subs.get(`${OPD[opd]}|${code}`);
    const version = async (rka: string) => (await rkaView(uow(), T, rka)).rka.version;

    // KUA-PPAS 2027, August 2026.
    clock.at("2026-08-03 09:00");
    const kuaId = await draftKuaPpas(uow(), tapd, clock, YEAR, KUA_PRIORITIES);
    clock.at("2026-08-05 10:00");
    for (const trim of TRIMS) {
      const sub = subOf(trim.opd, trim.code);
      if (!sub) continue;
      const v = (await kuaPpasView(uow(), T, YEAR))!.version;
      await setPpasCeiling(uow(), tapd, clock.tick(25), kuaId, sub.id, trim.amount, v);
    }
    clock.at("2026-08-07 14:00");
    await moveKuaPpas(uow(), tapd, clock, kuaId, "submit", "", (await kuaPpasView(uow(), T, YEAR))!.version);
    clock.at("2026-08-26 13:00");
    await moveKuaPpas(uow(), tapd, clock, kuaId, "agree", KUA_AGREEMENT, (await kuaPpasView(uow(), T, YEAR))!.version);
    const ceilings = new Map(
      (await uow().execute<{ sub: string; amount: string }[]>("select sub_activity_id as sub, amount::text as amount from ppas_ceiling where kua_ppas_id = ?", [kuaId])).map((c) => [c.sub, Money.idr(c.amount)]),
    );

    /** The lines of a plan as the use case takes them, the fill line sized to what the ceiling leaves. */
    const linesOf = (plan: DemoRka, ceiling: Money, fundingSource: string): LineInput[] => {
      const input = (l: DemoLine, factors: [string, string][]): LineInput => {
        const it = items.get(l.item)!;
        return {
          heading: l.heading,
          accountCode: l.account,
          description: l.description ?? it.name,
          spec: it.spec,
          factors: factors.map(([qty, unit]) => ({ qty, unit })),
          unit: it.unit,
          priceItemId: it.id,
          taxPercent: l.tax,
          fundingSource,
        };
      };
      const amount = (l: DemoLine, factors: [string, string][]) =>
        amountOf(factors.reduce((v, [q]) => v.times(q), new D(1)).toFixed(), Money.idr(items.get(l.item)!.price), l.tax);
      const fixed = Money.sum(plan.lines.filter((l) => !l.fill).map((l) => amount(l, l.factors)));
      const left = ceiling.minus(fixed);
      if (left.isNegative()) throw new Error(`demo RKA ${plan.code}: its lines exceed the ceiling ${ceiling.toString()}`);
      return plan.lines.map((l) => {
        if (!l.fill) return input(l, l.factors);
        const per = amount(l, [["1", l.factors[0][1]], ...l.factors.slice(1)]);
        let qty = new D(left.toString()).div(per.toString()).floor();
        while (qty.gt(0) && amount(l, [[qty.toFixed(), l.factors[0][1]], ...l.factors.slice(1)]).exceeds(left)) qty = qty.minus(1);
        if (qty.lte(0)) throw new Error(`demo RKA ${plan.code}: no room left for ${l.item}`);
        return input(l, [[qty.toFixed(), l.factors[0][1]], ...l.factors.slice(1)]);
      });
    };

    /** The OPD opens the RKA of a sub-activity, adds its lines one by one and submits it (the same day, or `submitAt`). */
    const draft = async (plan: DemoRka, submitAt?: string) => {
      const sub = subOf(plan.opd, plan.code);
      const ceiling = sub && ceilings.get(sub.id);
      if (!sub || !ceiling) return null;
      const who = officer(plan.opd);
      clock.at(plan.at);
      const rka = await openRka(uow(), who, clock, sub.id);
      for (const line of linesOf(plan, ceiling, sub.funding_source)) await addLine(uow(), who, clock.tick(20), rka, line, await version(rka));
      if (submitAt) clock.at(submitAt);
      await moveRka(uow(), who, clock.tick(45), rka, "submit", "", await version(rka));
      rkas++;
      return { rka, who, plan };
    };
    const drafted: { rka: string; who: Actor; plan: DemoRka }[] = [];
    for (const plan of RKAS) {
      const d = await draft(plan);
      if (d) drafted.push(d);
    }

    // Dinas Kesehatan's revenue RKA.
    clock.at("2026-09-24 09:00");
    const dinkes = officer("dinkes");
    const revenue = await openOpdRka(uow(), dinkes, clock, YEAR, OPD.dinkes, "pendapatan");
    for (const r of REVENUE)
      await addLine(
        uow(),
        dinkes,
        clock.tick(20),
        revenue,
        { heading: "Retribusi Pelayanan Kesehatan", accountCode: "4.1.02.01.01.0006", description: r.description, spec: r.spec, factors: r.factors.map(([qty, unit]) => ({ qty, unit })), unit: r.unit, unitPrice: r.unitPrice, taxPercent: "0", fundingSource: "PAD" },
        await version(revenue),
      );
    await moveRka(uow(), dinkes, clock.tick(30), revenue, "submit", "", await version(revenue));
    rkas++;

    // TAPD reviews in October, a few a day: verify, then approve. On the first day the gizi RKA goes back to
    // Dinas Kesehatan with a note on its first line; the OPD fixes it on the 8th and TAPD approves it on the 13th.
    const returned = drafted.find((d) => d.plan.code === RETURNED.code);
    const approve = async (rka: string, verifyNote = "") => {
      await moveRka(uow(), tapd, clock.tick(20), rka, "verify", verifyNote, await version(rka));
      await moveRka(uow(), tapd, clock.tick(25), rka, "approve", "", await version(rka));
    };
    const queue = [...drafted.filter((d) => d !== returned).map((d) => d.rka), revenue];
    const days = ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-09"];
    const perDay = Math.ceil(queue.length / days.length);
    for (const [d, day] of days.entries()) {
      if (returned && day === "2026-10-09") {
        clock.at("2026-10-08 10:00");
        const view = await rkaView(uow(), T, returned.rka);
        const sub = subOf(returned.plan.opd, returned.plan.code)!;
        const [first] = linesOf(returned.plan, ceilings.get(sub.id)!, sub.funding_source);
        const fixed = items.get(RETURNED.fixedItem)!;
        await updateLine(uow(), returned.who, clock, returned.rka, view.lines[0].id, { ...first, priceItemId: fixed.id, description: fixed.name, spec: fixed.spec, unit: fixed.unit }, view.rka.version);
        await moveRka(uow(), returned.who, clock.tick(30), returned.rka, "submit", "", await version(returned.rka));
      }
      clock.at(`${day} 09:00`);
      for (const [i, rka] of queue.slice(d * perDay, (d + 1) * perDay).entries()) await approve(rka, d === 0 && i === 0 ? VERIFY_NOTE : "");
      if (returned && d === 0) {
        const view = await rkaView(uow(), T, returned.rka);
        await noteRka(uow(), tapd, clock.tick(30), returned.rka, view.lines[0].id, RETURNED.lineNote);
        await moveRka(uow(), tapd, clock.tick(10), returned.rka, "return", RETURNED.returnNote, view.rka.version);
      }
    }
    if (returned) {
      clock.at("2026-10-13 10:00");
      await approve(returned.rka);
    }

    // DPMD drafts its RKA last and submits it the next morning: it waits in TAPD's queue.
    await draft(WAITING, "2026-10-20 08:15");

    // The rows carry the story's moments, as their audit events do.
    await stampFromAudit(tx, T, "rka", "Rka");
    await tx.execute(
      `update rka_line l set created_at = a.first, updated_at = a.last
         from (select coalesce(after->>'line', before->>'line') as line, min(at) as first, max(at) as last from audit_event
                where tenant_code = ? and entity_type = 'Rka' and action in ('RkaLineAdded','RkaLineChanged') group by 1) a
        where l.id::text = a.line and l.tenant_code = ?`,
      [T, T],
    );
  });
  return { created: true, rkas };
}
