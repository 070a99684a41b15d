import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { D, Money } from "../../domain/kernel/money";
import type { Evaluation, EvaluationRow } from "../../domain/monev/evaluation";
import { moneyCellValue } from "./musrenbang";
import { drained, streamFrom } from "./stream";

/**
 * The quarterly evaluation of the RKPD in the layout of the Permendagri 86/2017 form (evaluasi terhadap
 * hasil RKPD) as the regional apps print it: per OPD, its programmes, kegiatan and sub-activities with
 * indicator, the year's target (K and Rp), the realisation of each triwulan (K and Rp), the year's
 * realisation and achievement (%), physical progress, the responsible OPD and the factors behind the
 * figures. Programme, kegiatan and OPD rows carry the exact Decimal sums of the Rp columns under them, and
 * a grand total ends the sheet.
 *
 * The form's Renstra columns (the end-of-period target and the realisation of past years) are left out:
 * Jejak keeps no Renstra per sub-activity.
 */
const HEADERS = [
  "No",
  "Kode",
  "Urusan/Bidang/Program/Kegiatan/Sub Kegiatan",
  "Indikator Kinerja",
  "Target K",
  "Satuan",
  "Target Rp",
  "TW I K",
  "TW I Rp",
  "TW II K",
  "TW II Rp",
  "TW III K",
  "TW III Rp",
  "TW IV K",
  "TW IV Rp",
  "Realisasi Tahun K",
  "Realisasi Tahun Rp",
  "Capaian K (%)",
  "Capaian Rp (%)",
  "Fisik (%)",
  "Perangkat Daerah Penanggung Jawab",
  "Faktor Pendorong / Penghambat / Tindak Lanjut",
];
const RP_COLUMNS = [7, 9, 11, 13, 15, 17];

export function streamEvaluationXlsx(e: Evaluation, tenantName: string, opdName?: string): PassThrough {
  return streamFrom((out) => write(out, e, tenantName, opdName));
}

const num = (v: string | null) => (v === null ? null : new D(v).toNumber());

async function write(out: PassThrough, e: Evaluation, tenantName: string, opdName?: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(`Evaluasi RKPD ${e.year}`, { views: [{ state: "frozen", ySplit: 4 }] });
  ws.columns = HEADERS.map((h, i) => ({ width: i === 2 ? 56 : i === 3 || i === 20 || i === 21 ? 34 : i === 1 ? 22 : RP_COLUMNS.includes(i + 1) ? 18 : 10 }));
  for (const c of RP_COLUMNS) ws.getColumn(c).numFmt = "#,##0.00";
  ws.addRow([`EVALUASI TERHADAP HASIL RKPD ${tenantName.toUpperCase()} TAHUN ${e.year}`]).font = { bold: true, size: 13 };
  ws.addRow([opdName ? `Perangkat Daerah: ${opdName}` : "Seluruh Perangkat Daerah"]);
  ws.addRow([e.apbd ? `Pagu: APBD ${e.year} yang berlaku (versi ke-${e.apbd.versionNo}); realisasi keuangan dari SP2D` : `APBD ${e.year} belum ditetapkan: pagu indikatif RKPD`]);
  const head = ws.addRow(HEADERS);
  head.font = { bold: true };
  head.commit();

  const sumRp = (rows: EvaluationRow[]) => {
    const q = [0, 1, 2, 3].map((i) => Money.sum(rows.map((r) => Money.idr(r.quarters[i].paidRp))));
    return { budget: Money.sum(rows.map((r) => Money.idr(r.budget))), q, year: Money.sum(q) };
  };
  const groupRow = (code: string, label: string, rows: EvaluationRow[], bold: boolean) => {
    const s = sumRp(rows);
    const row = ws.addRow([
      null,
      code,
      label,
      null,
      null,
      null,
      moneyCellValue(s.budget),
      null,
      moneyCellValue(s.q[0]),
      null,
      moneyCellValue(s.q[1]),
      null,
      moneyCellValue(s.q[2]),
      null,
      moneyCellValue(s.q[3]),
      null,
      moneyCellValue(s.year),
      null,
      s.budget.isZero() ? null : num(s.year.percentOf(s.budget).toFixed(2)),
    ]);
    row.font = { bold };
    row.commit();
  };

  let no = 0;
  const opds = new Map<string, EvaluationRow[]>();
  for (const r of e.rows) opds.set(r.opdCode, [...(opds.get(r.opdCode) ?? []), r]);
  for (const [opdCode, rows] of opds) {
    groupRow(opdCode, rows[0].opdName, rows, true);
    for (const program of new Set(rows.map((r) => r.programCode))) {
      const inProgram = rows.filter((r) => r.programCode === program);
      groupRow(program, "Program", inProgram, true);
      for (const kegiatan of new Set(inProgram.map((r) => r.kegiatanCode))) {
        const inKegiatan = inProgram.filter((r) => r.kegiatanCode === kegiatan);
        groupRow(kegiatan, "Kegiatan", inKegiatan, false);
        for (const r of inKegiatan) {
          const notes = r.quarters
            .filter((q) => q.drivers || q.obstacles || q.followUp)
            .map((q) => `TW ${q.quarter}: ${[q.drivers && `pendorong: ${q.drivers}`, q.obstacles && `penghambat: ${q.obstacles}`, q.followUp && `tindak lanjut: ${q.followUp}`].filter(Boolean).join("; ")}`)
            .join("\n");
          ws.addRow([
            ++no,
            r.code,
            r.name,
            r.indicator,
            num(r.target),
            r.unit,
            moneyCellValue(r.budget),
            ...r.quarters.flatMap((q) => [num(q.output), moneyCellValue(q.paidRp)]),
            num(r.year.output),
            moneyCellValue(r.year.paidRp),
            num(r.year.outputPercent),
            num(r.year.paidPercent),
            num(r.year.physical),
            r.opdName,
            notes,
          ]).commit();
          if (!(await drained(out))) return;
        }
      }
    }
  }
  const total = ws.addRow([null, null, "JUMLAH", null, null, null, moneyCellValue(e.total.budget), null, moneyCellValue(e.total.paid[0]), null, moneyCellValue(e.total.paid[1]), null, moneyCellValue(e.total.paid[2]), null, moneyCellValue(e.total.paid[3]), null, moneyCellValue(e.total.paidYear), null, num(e.total.paidPercent)]);
  total.font = { bold: true };
  total.commit();
  ws.commit();
  await wb.commit();
}
