import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { Money } from "../../domain/kernel/money";
import type { RkpdSub } from "../../domain/planning/queries";
import { moneyCellValue } from "./musrenbang";

export interface RkpdSheetData {
  year: number;
  tenantName: string;
  opds: { code: string; name: string; status: string | null; ceiling: string | null; planned: string; subs: RkpdSub[] }[];
}

const HEADERS = ["Kode", "Urusan/Bidang/Program/Kegiatan/Sub Kegiatan", "Indikator", "Target", "Satuan", "Lokasi", "Pagu Indikatif (Rp)", "Sumber Dana", "Usulan Musrenbang"];

/**
 * The RKPD in the standard table layout: per OPD, its programmes, kegiatan and sub-activities with
 * indicator, target, location, indicative ceiling and funding source; subtotals per programme, kegiatan
 * and OPD and a grand total, each the exact Decimal sum of the rows under it. Written by exceljs's
 * streaming writer, row by row, so memory stays flat however long the plan.
 */
export function streamRkpdXlsx(data: RkpdSheetData): PassThrough {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(`RKPD ${data.year}`, { views: [{ state: "frozen", ySplit: 3 }] });
  ws.columns = [{ width: 22 }, { width: 60 }, { width: 36 }, { width: 10 }, { width: 10 }, { width: 28 }, { width: 20 }, { width: 14 }, { width: 40 }];
  ws.addRow([`RENCANA KERJA PEMERINTAH DAERAH (RKPD) ${data.tenantName.toUpperCase()} TAHUN ${data.year}`]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const head = ws.addRow(HEADERS);
  head.font = { bold: true };
  head.commit();
  const money = (m: Money) => moneyCellValue(m);
  let grand = Money.zero;
  for (const o of data.opds) {
    if (!o.subs.length) continue;
    ws.addRow([o.code, o.name.toUpperCase()]).font = { bold: true };
    const opdTotal = Money.sum(o.subs.map((s) => Money.idr(s.ceiling)));
    const programs = [...new Set(o.subs.map((s) => s.programCode))];
    for (const pc of programs) {
      const inProgram = o.subs.filter((s) => s.programCode === pc);
      const pRow = ws.addRow([pc, inProgram[0].programName, "", "", "", "", money(Money.sum(inProgram.map((s) => Money.idr(s.ceiling))))]);
      pRow.font = { bold: true };
      for (const kc of [...new Set(inProgram.map((s) => s.kegiatanCode))]) {
        const inKegiatan = inProgram.filter((s) => s.kegiatanCode === kc);
        ws.addRow([kc, inKegiatan[0].kegiatanName, "", "", "", "", money(Money.sum(inKegiatan.map((s) => Money.idr(s.ceiling))))]).font = { italic: true };
        for (const s of inKegiatan)
          ws.addRow([s.code, s.name, s.indicator, s.target, s.unit, s.locations.join(", "), money(Money.idr(s.ceiling)), s.fundingSource, s.proposals.map((p) => p.code).join(", ")]).commit();
      }
    }
    const t = ws.addRow(["", `JUMLAH ${o.name.toUpperCase()}`, "", "", "", "", money(opdTotal)]);
    t.font = { bold: true };
    t.commit();
    grand = grand.plus(opdTotal);
  }
  const g = ws.addRow(["", "JUMLAH SELURUHNYA", "", "", "", "", money(grand)]);
  g.font = { bold: true };
  g.commit();
  ws.getColumn(7).numFmt = "#,##0.00";
  ws.commit();
  void wb.commit();
  return out;
}
