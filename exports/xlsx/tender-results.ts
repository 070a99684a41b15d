import ExcelJS from "exceljs";
import { Money } from "../../domain/kernel/money";
import { terbilang } from "../../domain/kernel/terbilang";
import { formatNpwp } from "../../domain/procurement/vendors";
import type { TenderView } from "../../domain/procurement/workspace";
import { moneyCellValue } from "./musrenbang";

/**
 * The results of a tender (hasil pemilihan) in Excel, for the Pokja's files and the BAHP:
 *
 *   "Hasil Pemilihan" — the package and tender (kode RUP, OPD, method, HPS with terbilang, evaluation
 *                       method, opening), then one row per opened bid: bidder, NPWP, bid price, corrected
 *                       price, the result of each evaluation stage (administrasi, teknis with its score,
 *                       harga, kualifikasi), final score, rank and the reason a bid failed; then the winner.
 *   "Jadwal"          — the schedule per stage (WIB).
 *
 * Money is exact (`moneyCellValue`); labels of methods and stages come from `t` (the page's language),
 * falling back to their codes.
 */

export const TENDER_RESULT_SHEETS = { results: "Hasil Pemilihan", schedule: "Jadwal" } as const;
export const TENDER_RESULT_HEADERS = [
  "No",
  "Peserta",
  "NPWP",
  "Harga Penawaran (Rp)",
  "Harga Terkoreksi (Rp)",
  "Administrasi",
  "Teknis",
  "Nilai Teknis",
  "Harga",
  "Kualifikasi",
  "Nilai Akhir",
  "Peringkat",
  "Keterangan",
] as const;

const MONEY_FMT = "#,##0.00";
const WIB = new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Jakarta", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
const wib = (d: Date | string | null) => (d ? `${WIB.format(new Date(d))} WIB` : "—");
const verdict = (pass: boolean | null) => (pass === null ? "—" : pass ? "Lulus" : "Gugur");

export interface TenderResultsOptions {
  t?: (key: string) => string;
  tenantName?: string;
  generatedAt?: Date;
}

export async function writeTenderResults(view: TenderView, opts: TenderResultsOptions = {}): Promise<Buffer> {
  const label = (key: string, code: string) => {
    const s = opts.t?.(key);
    return s && s !== key ? s : code;
  };
  const { tender: t, pkg } = view;
  const wb = new ExcelJS.Workbook();
  wb.creator = "Jejak";
  wb.created = wb.modified = opts.generatedAt ?? new Date();
  const ws = wb.addWorksheet(TENDER_RESULT_SHEETS.results, { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [
    { width: 5 },
    { width: 36 },
    { width: 22 },
    { width: 20, style: { numFmt: MONEY_FMT } },
    { width: 20, style: { numFmt: MONEY_FMT } },
    { width: 13 },
    { width: 10 },
    { width: 11 },
    { width: 10 },
    { width: 12 },
    { width: 11 },
    { width: 10 },
    { width: 48 },
  ];
  const hps = Money.idr(t.hps);
  ws.addRow([`HASIL PEMILIHAN ${label(`procure.method.${t.method}`, t.method).toUpperCase()} ${t.code}`]).font = { bold: true, size: 13 };
  if (opts.tenantName) ws.addRow([opts.tenantName]).font = { bold: true };
  ws.addRow([]);
  const kv = (k: string, v: string | number, money = false) => {
    const r = ws.addRow([null, k, v]);
    r.getCell(2).font = { bold: true };
    if (money) r.getCell(3).numFmt = MONEY_FMT;
  };
  kv("Nama paket", pkg.name);
  kv("Kode RUP", pkg.kode_rup ?? "—");
  kv("Perangkat daerah", `${pkg.opd_code} ${pkg.opd_name}`);
  kv("Tahun anggaran", pkg.fiscal_year);
  kv("Jenis pengadaan", label(`procure.kind.${pkg.kind}`, pkg.kind));
  kv("Metode evaluasi", label(`procure.evaluation.${t.evaluation_method}`, t.evaluation_method) + (t.technical_weight ? ` (bobot teknis ${t.technical_weight}%)` : ""));
  kv("Pagu paket", moneyCellValue(pkg.pagu), true);
  kv("HPS", moneyCellValue(hps), true);
  kv("HPS terbilang", terbilang(hps));
  kv("Pembukaan penawaran", wib(t.opened_at));
  kv("Jumlah penawaran", view.bidCount);
  kv("Status", label(`procure.tenderStatus.${t.status}`, t.status));
  ws.addRow([]);
  const head = ws.addRow([...TENDER_RESULT_HEADERS]);
  head.font = { bold: true };
  head.alignment = { vertical: "middle", wrapText: true };
  head.eachCell((c) => (c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE7F0" } }));
  view.bids.forEach((b, i) => {
    ws.addRow([
      i + 1,
      b.vendor_name,
      formatNpwp(b.npwp),
      moneyCellValue(b.price),
      moneyCellValue(b.corrected_price),
      verdict(b.admin_pass),
      verdict(b.tech_pass),
      b.tech_score ?? "—",
      verdict(b.price_pass),
      verdict(b.qual_pass),
      b.total_score ?? "—",
      b.rank ?? "—",
      b.reason || "",
    ]).alignment = { vertical: "top", wrapText: true };
  });
  if (view.bids.length === 0) ws.addRow([null, view.bidCount > 0 ? "Penawaran belum dibuka." : "Tidak ada penawaran."]);
  ws.addRow([]);
  if (view.winner) {
    const price = Money.idr(view.winner.corrected_price);
    ws.addRow([null, "Pemenang", view.winner.vendor_name]).font = { bold: true };
    ws.addRow([null, "NPWP", formatNpwp(view.winner.npwp)]);
    const r = ws.addRow([null, "Harga terkoreksi", moneyCellValue(price)]);
    r.getCell(3).numFmt = MONEY_FMT;
    ws.addRow([null, "Terbilang", terbilang(price)]);
  }
  const sched = wb.addWorksheet(TENDER_RESULT_SHEETS.schedule);
  sched.columns = [{ width: 36 }, { width: 28 }, { width: 28 }];
  sched.addRow(["Tahap", "Mulai", "Selesai"]).font = { bold: true };
  for (const s of view.stages) sched.addRow([label(`procure.stage.${s.stage}`, s.stage), wib(s.starts_at), wib(s.ends_at)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
