/**
 * A standard price list at the size of a large pemda's SSH: `rows` items (default 30,000) in an Excel
 * workbook as TAPD receive it — a title above the header, Indonesian headers, prices partly as Excel
 * numbers and partly as Indonesian text ("1.250.000", "1.250.000,50"), one to four belanja account
 * codes per item (from the shipped account list, so they exist in the nomenclature in force).
 * Deterministic (a seeded PRNG).
 *
 * Standalone: `tsx tests/bench/generate-prices.ts [--rows 30000] [--seed 2027] [--out ssh-30000.xlsx]`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import { prng } from "../../imports/shared/prng";

export interface GeneratePricesOptions {
  rows?: number;
  seed?: number;
}

/** mulberry32: small, fast, good enough for test data. */
const GOODS: { name: string; specs: string[]; units: string[]; low: number; high: number; accounts: RegExp }[] = [
  { name: "Semen Portland", specs: ["PCC 50 kg", "PCC 40 kg", "OPC tipe I 50 kg", "putih 40 kg"], units: ["zak"], low: 55_000, high: 140_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.0[34])/ },
  { name: "Pasir", specs: ["beton", "pasang", "urug", "Lumajang"], units: ["m3"], low: 150_000, high: 400_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.0[34])/ },
  { name: "Batu pecah", specs: ["1/2 cm", "2/3 cm", "3/5 cm", "5/7 cm"], units: ["m3"], low: 250_000, high: 420_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.04)/ },
  { name: "Besi beton", specs: ["polos Ø8 mm", "polos Ø10 mm", "ulir D13", "ulir D16", "ulir D19"], units: ["kg", "batang"], low: 13_000, high: 260_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.0[34])/ },
  { name: "Aspal", specs: ["pen 60/70 curah", "pen 60/70 drum", "emulsi CSS-1", "modifikasi PG-76"], units: ["kg"], low: 11_000, high: 24_000, accounts: /^5\.(1\.02\.0[13]\.0[14]\.000[13]|2\.04\.01)/ },
  { name: "Paving block", specs: ["K-300 tebal 6 cm", "K-300 tebal 8 cm", "K-400 tebal 10 cm", "segi enam 8 cm"], units: ["m2"], low: 55_000, high: 140_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.04\.01)/ },
  { name: "Pipa PVC", specs: ["AW 1/2 inci", "AW 3/4 inci", "AW 2 inci", "AW 4 inci", "D 4 inci", "AW 6 inci"], units: ["batang"], low: 25_000, high: 650_000, accounts: /^5\.(1\.02\.01\.01\.0001|2\.04\.02)/ },
  { name: "Cat tembok", specs: ["interior 5 kg", "eksterior 5 kg", "interior 25 kg", "dasar alkali 20 kg"], units: ["pail"], low: 150_000, high: 1_900_000, accounts: /^5\.(1\.02\.0[13]\.0[13]\.0001|2\.03)/ },
  { name: "Kertas HVS", specs: ["A4 70 gram", "A4 80 gram", "F4 70 gram", "F4 80 gram", "A3 80 gram"], units: ["rim"], low: 50_000, high: 140_000, accounts: /^5\.1\.02\.01\.01\.002[45]/ },
  { name: "Ballpoint", specs: ["gel hitam", "gel biru", "standar", "isi ulang"], units: ["buah", "lusin"], low: 2_500, high: 60_000, accounts: /^5\.1\.02\.01\.01\.0024/ },
  { name: "Nasi kotak", specs: ["rapat biasa", "rapat pimpinan", "kegiatan lapangan"], units: ["kotak"], low: 25_000, high: 60_000, accounts: /^5\.1\.02\.01\.01\.005[23]/ },
  { name: "Snack rapat", specs: ["dua jenis kue", "tiga jenis kue", "coffee break"], units: ["kotak", "orang"], low: 10_000, high: 35_000, accounts: /^5\.1\.02\.01\.01\.005[23]/ },
  { name: "Honorarium narasumber", specs: ["eselon II", "eselon III", "akademisi", "praktisi"], units: ["OJ"], low: 500_000, high: 1_700_000, accounts: /^5\.1\.02\.02\.01\.000[34]/ },
  { name: "Sewa", specs: ["gedung pertemuan 100 orang", "sound system", "LCD projector", "tenda 5 x 10 m"], units: ["hari", "unit"], low: 150_000, high: 9_000_000, accounts: /^5\.1\.02\.02\.12/ },
  { name: "Upah", specs: ["pekerja", "tukang batu", "tukang kayu", "mandor", "kepala tukang", "operator"], units: ["OH"], low: 100_000, high: 190_000, accounts: /^5\.(1\.02\.03\.0[34]|2\.0[34])/ },
  { name: "Servis", specs: ["kendaraan roda empat", "AC split", "personal computer", "printer"], units: ["unit", "kali"], low: 100_000, high: 1_500_000, accounts: /^5\.1\.02\.03\.02/ },
];
const BRANDS = ["merek A", "merek B", "merek C", "lokal", "impor", "SNI", "standar pabrik", "kualitas I", "kualitas II"];
const PLACES = ["franco Bojonegoro", "franco kecamatan", "franco lokasi", "di toko", "termasuk ongkos kirim"];

/** The belanja sub rincian objek codes of the shipped account list. */
function belanjaAccounts(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const text = readFileSync(path.join(here, "../../imports/nomenclature/data/akun.csv"), "utf8");
  return text
    .split("\n")
    .map((l) => l.split(",")[0])
    .filter((c) => /^5\.\d\.\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(c));
}

const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

export async function generatePriceListXlsx(opts: GeneratePricesOptions = {}): Promise<Buffer> {
  const rows = opts.rows ?? 30_000;
  const rnd = prng(opts.seed ?? 2027);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const accounts = belanjaAccounts();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("SSH 2027");
  ws.addRow(["STANDAR SATUAN HARGA KABUPATEN BOJONEGORO TAHUN ANGGARAN 2027 (DATA UJI)"]);
  ws.addRow([]);
  ws.addRow(["No", "Kode Barang", "Uraian", "Spesifikasi", "Satuan", "Harga Satuan (Rp)", "Kode Rekening"]);
  for (let i = 1; i <= rows; i++) {
    const g = pick(GOODS);
    const spec = `${pick(g.specs)}, ${pick(BRANDS)}, ${pick(PLACES)}`;
    const rupiah = Math.round((g.low + rnd() * (g.high - g.low)) / 50) * 50;
    const sen = rnd() < 0.1 ? 50 : 0;
    const style = rnd();
    // Most cells are Excel numbers; some are typed as Indonesian text, as lists pasted from a decree are.
    const price: string | number = style < 0.6 ? rupiah + sen / 100 : style < 0.9 ? `${group(rupiah)}${sen ? `,${sen}` : ""}` : `${rupiah}${sen ? `.${sen}` : ""}`;
    const allowed = accounts.filter((a) => g.accounts.test(a));
    const n = 1 + Math.floor(rnd() * Math.min(4, allowed.length));
    const chosen = [...new Set(Array.from({ length: n }, () => pick(allowed)))];
    const code = `1.1.7.01.${String(1 + GOODS.indexOf(g)).padStart(2, "0")}.${String(1 + Math.floor(i / 1000)).padStart(2, "0")}.${String(i).padStart(5, "0")}`;
    ws.addRow([i, code, `${g.name} ${pick(g.specs.length > 1 ? ["", "", "(baru)"] : [""])}`.trim(), spec, pick(g.units), price, chosen.join("; ")]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const rows = Number(arg("rows", "30000"));
  const out = arg("out", `ssh-${rows}.xlsx`);
  const t0 = performance.now();
  writeFileSync(out, await generatePriceListXlsx({ rows, seed: Number(arg("seed", "2027")) }));
  console.log(`${out}: ${rows} rows in ${Math.round(performance.now() - t0)} ms`);
}
