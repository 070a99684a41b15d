import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { Money } from "../../domain/kernel/money";
import { terbilang } from "../../domain/kernel/terbilang";
import type { DpaDocument } from "../../domain/budgeting/public";
import { moneyCellValue, quantityCell } from "./musrenbang";
import { drained, streamFrom } from "./stream";
import { formatDateWib, versionLabel } from "./apbd";

/**
 * One OPD's DPA-SKPD in Excel:
 *
 *   "DPA"          — the header block (number, pemda, fiscal year, OPD, the APBD version and legal basis it
 *                    was issued from, the amount in rupiah and in words — terbilang —, issued when and by
 *                    whom), then the spending lines per sub-activity, each sub-activity with its subtotal,
 *                    and the JUMLAH row (checked against the DPA's total).
 *   "Anggaran Kas" — the cash plan in the DPA's period: set per month, per sub-activity the twelve months,
 *                    the four quarters and the year; set per quarter (triwulan), the four quarters and the
 *                    year. A JUMLAH row per column; or a note that it is not set yet.
 *
 * Streamed as it is written (a large OPD has thousands of lines). Money is exact (`moneyCellValue`).
 */

export const DPA_SHEETS = { dpa: "DPA", cash: "Anggaran Kas" } as const;
export const DPA_LABELS = { number: "Nomor DPA", amount: "Jumlah", words: "Terbilang" } as const;
const PERIOD_LABEL = "Periode";

const MONEY_FMT = "#,##0.00";
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
const QUARTERS = ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"];
const money = (m: Money | string) => moneyCellValue(m);

export function streamDpaXlsx(doc: DpaDocument): PassThrough {
  return streamFrom((out) => write(out, doc));
}

async function write(out: PassThrough, doc: DpaDocument): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "Jejak";
  const ws = wb.addWorksheet(DPA_SHEETS.dpa);
  ws.columns = [{ width: 22 }, { width: 50 }, { width: 10 }, { width: 10 }, { width: 18, style: { numFmt: MONEY_FMT } }, { width: 8 }, { width: 20, style: { numFmt: MONEY_FMT } }, { width: 18 }];
  const row = (values: unknown[], font?: Partial<ExcelJS.Font>) => {
    const r = ws.addRow(values);
    if (font) r.font = font;
    r.commit();
  };
  const total = Money.idr(doc.dpa.total);
  row(["DOKUMEN PELAKSANAAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH (DPA-SKPD)"], { bold: true, size: 13 });
  row([`${doc.tenantName.toUpperCase()} TAHUN ANGGARAN ${doc.apbd.year}`], { bold: true });
  row([]);
  row([DPA_LABELS.number, doc.dpa.number], { bold: true });
  row(["Perangkat Daerah", `${doc.opd.code} ${doc.opd.name}`]);
  row(["Dasar", `${versionLabel(doc.apbd)} (versi ke-${doc.apbd.versionNo}) — ${doc.apbd.legalBasis || "—"}`]);
  row([DPA_LABELS.amount, money(total)], { bold: true });
  row([DPA_LABELS.words, terbilang(total)], { italic: true });
  row(["Diterbitkan", `${formatDateWib(doc.dpa.issuedAt)} oleh ${doc.dpa.issuedBy}`]);
  row([]);
  row(["Kode Rekening", "Uraian", "Volume", "Satuan", "Harga Satuan (Rp)", "PPN (%)", "Jumlah (Rp)", "Sumber Dana"], { bold: true });

  let sum = Money.zero;
  let written = 0;
  for (const s of doc.subs) {
    const subTotal = Money.idr(s.total);
    if (s.programCode) row([s.programCode, s.programName ?? ""], { italic: true });
    if (s.kegiatanCode) row([s.kegiatanCode, s.kegiatanName ?? ""], { italic: true });
    row([s.code, s.name ?? "Belanja perangkat daerah di luar sub kegiatan", null, null, null, null, money(subTotal)], { bold: true });
    if (s.locations.length) row([null, `Lokasi: ${s.locations.join(", ")}`]);
    let subSum = Money.zero;
    for (const l of s.lines) {
      const amount = Money.idr(l.amount);
      subSum = subSum.plus(amount);
      row([l.accountCode, l.spec ? `${l.description} (${l.spec})` : l.description, quantityCell(l.volume), l.unit, money(l.unitPrice), quantityCell(l.taxPercent), money(amount), l.fundingSource]);
      if (++written % 500 === 0 && !(await drained(out))) return;
    }
    if (!subSum.equals(subTotal)) throw new Error(`DPA ${doc.dpa.number}: the lines of ${s.code ?? "the OPD"} add up to ${subSum.toString()}, not ${s.total}`);
    sum = sum.plus(subSum);
  }
  if (!sum.equals(total)) throw new Error(`DPA ${doc.dpa.number}: the lines add up to ${sum.toString()}, not ${total.toString()}`);
  row([null, "JUMLAH", null, null, null, null, money(sum)], { bold: true });
  ws.commit();

  const cash = wb.addWorksheet(DPA_SHEETS.cash);
  const quarterly = doc.cashPlanPeriod === "triwulan";
  const width = quarterly ? 5 : 17;
  cash.columns = [{ width: 22 }, { width: 44 }, ...Array.from({ length: width }, () => ({ width: 16, style: { numFmt: MONEY_FMT } }))];
  const crow = (values: unknown[], font?: Partial<ExcelJS.Font>) => {
    const r = cash.addRow(values);
    if (font) r.font = font;
    r.commit();
  };
  crow([`ANGGARAN KAS ${doc.dpa.number}`], { bold: true, size: 13 });
  crow([`${doc.opd.code} ${doc.opd.name} — Tahun Anggaran ${doc.apbd.year}`]);
  crow([PERIOD_LABEL, quarterly ? "per triwulan" : "per bulan"]);
  crow([]);
  if (!doc.cashPlan) {
    crow(["Anggaran kas belum ditetapkan untuk DPA ini."], { italic: true });
  } else {
    crow(["Kode", "Sub Kegiatan", ...(quarterly ? [] : MONTHS), ...QUARTERS, "Jumlah"], { bold: true });
    const columns = Array.from({ length: width }, () => Money.zero);
    for (const p of doc.cashPlan) {
      // A quarterly plan keeps each quarter on its last month: the quarters are the months' sums either way.
      const months = p.months.map((m) => Money.idr(m));
      const quarters = [0, 1, 2, 3].map((q) => Money.sum(months.slice(q * 3, q * 3 + 3)));
      const year = Money.sum(months);
      const values = [...(quarterly ? [] : months), ...quarters, year];
      values.forEach((v, i) => (columns[i] = columns[i].plus(v)));
      crow([p.code, p.name ?? "Belanja perangkat daerah di luar sub kegiatan", ...values.map(money)]);
    }
    crow([null, "JUMLAH", ...columns.map(money)], { bold: true });
    const sum = columns[width - 1];
    if (!sum.equals(total)) crow([null, `Catatan: anggaran kas berjumlah Rp${sum.toString()}, DPA Rp${total.toString()}.`], { italic: true });
  }
  cash.commit();
  await wb.commit();
}
