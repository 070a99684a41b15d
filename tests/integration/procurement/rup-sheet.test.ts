import ExcelJS from "exceljs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import { clearProcurement, PU, procurementWorld, ROAD_SUB, storyClock, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { Actor } from "../../../domain/identity/actor";
import { Money } from "../../../domain/kernel/money";
import { RUP_LINE_COLUMNS, RUP_PACKAGE_COLUMNS, RUP_PAGE, RUP_SHEETS, rupPackagePages, streamRup } from "../../../exports/xlsx/rup";
import { importRupSheet, type RupImportResult } from "../../../imports/procurement/rup-sheet";
import type { ProcSheetError } from "../../../imports/procurement/sheet-tables";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { loader as rupLoader } from "../../../app/routes/unduh.rup.$year";
import { action as importAction, loader as importLoader } from "../../../app/routes/procure.impor";

const db = useTestDatabase("full");
let w: World;
beforeAll(async () => {
  w = await procurementWorld(db.em());
});

/** Belanja Modal Jalan Kabupaten: every road line of the demo DPA is on it. */
const ROAD_ACCOUNT = "5.2.04.01.01.0003";
const ROAD_MAK = `${ROAD_SUB}.${ROAD_ACCOUNT}`;
const P_HEAD = RUP_PACKAGE_COLUMNS.map((c) => c.header);
const L_HEAD = RUP_LINE_COLUMNS.map((c) => c.header);

type Cells = (string | number | Date | null)[];

/** A workbook as people send it: real cells written by exceljs. */
async function workbook(sheets: Record<string, Cells[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function readBack(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows = (name: string) => {
    const out: ExcelJS.CellValue[][] = [];
    wb.getWorksheet(name)!.eachRow((r) => out.push((r.values as ExcelJS.CellValue[]).slice(1)));
    return out;
  };
  return { packages: rows(RUP_SHEETS.packages), lines: rows(RUP_SHEETS.lines) };
}

/** A package row in SiRUP's layout; `over` replaces cells by header. */
function pkgRow(over: Record<string, string | number | Date | null>): Cells {
  const base: Record<string, string | number | Date | null> = {
    kd_rup: 71000001,
    nama_paket: "Rekonstruksi Jalan Dander–Ngunut Tahap I",
    kd_satker: PU,
    nama_satker: "Dinas Pekerjaan Umum",
    tahun_anggaran: YEAR,
    pagu: 1000000000,
    metode_pengadaan: "Tender",
    jenis_pengadaan: "Pekerjaan Konstruksi",
    tipe: "Penyedia",
    tipe_swakelola: null,
    status_pdn: "PDN",
    status_ukm: "Non UKM",
    tgl_awal_pemilihan: "2026-12-01",
    tgl_akhir_pemilihan: "2027-01-15",
    tgl_awal_pelaksanaan: "2027-01-20",
    tgl_akhir_pelaksanaan: "2027-07-31",
    lokasi: "35.22.06.2001: Ruas Dander–Ngunut",
    uraian_pekerjaan: "Rekonstruksi perkerasan jalan",
    volume_pekerjaan: "900 m",
    nama_ppk: "",
    tgl_buat_paket: "2026-11-20",
    status_umumkan_rup: "Terumumkan",
    ...over,
  };
  return P_HEAD.map((h) => base[h] ?? null);
}
const lineRow = (kode: number, mak: string, amount: string | number, funding = "DAK Fisik"): Cells => [kode, mak, funding, amount];

const rupImport = (bytes: Buffer, actor: Actor = w.ppk, opd?: string) =>
  importRupSheet(db.em(), actor, storyClock(), { year: YEAR, files: [{ name: "rup.xlsx", bytes }], opd });

function errorsOf(r: RupImportResult): ProcSheetError[] {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r)}`);
  return r.errors;
}

const count = async (sql: string, params: unknown[] = []) => (await db.em().execute<{ n: number }[]>(sql, params))[0].n;
const roadLines = async () => (await proc.procurableLines(db.em(), T, YEAR, PU)).lines.filter((l) => l.sub_code === ROAD_SUB);

async function announced(name: string, lines: { lineKey: string; amount: string }[], over: Partial<proc.PackageInput> = {}) {
  const clock = storyClock();
  const id = await proc.planPackage(db.em(), w.ppk, clock, {
    opdCode: PU,
    fiscalYear: YEAR,
    name,
    type: "penyedia",
    kind: "konstruksi",
    method: "tender",
    lines,
    locations: [{ regionCode: "35.22.06.2001", detail: "Ruas Dander–Ngunut; sisi barat" }, { regionCode: "35.22.06" }],
    selectionStart: "2026-12-01",
    selectionEnd: "2027-01-15",
    executionStart: "2027-01-20",
    executionEnd: "2027-07-31",
    ...over,
  });
  await proc.announcePackage(db.em(), w.ppk, clock, id, (await proc.loadPackage(db.em(), T, id)).version);
  return proc.loadPackage(db.em(), T, id);
}

describe("the demo kabupaten's RUP", () => {
  it("goes out in SiRUP's layout and back in as a no-op, every OPD's packages at once", async () => {
    const announcedCount = await count("select count(*)::int as n from proc_package where status = 'announced'");
    expect(announcedCount).toBeGreaterThan(0);
    const bytes = await bytesOf(streamRup(db.em(), { tenant: T, year: YEAR }));
    expect((await readBack(bytes)).packages).toHaveLength(announcedCount + 1);
    const snapshot = async () => ({
      packages: await db.em().execute("select id, version, updated_at, status from proc_package order by id"),
      budget: await db.em().execute("select package_id, line_key, amount::text from proc_package_budget order by 1, 2"),
      events: await count("select count(*)::int as n from procurement_event"),
      audit: await count("select count(*)::int as n from audit_event"),
    });
    const before = await snapshot();
    expect(await rupImport(bytes, w.pokja[0])).toEqual({ ok: true, rows: announcedCount, created: 0, updated: 0, unchanged: announcedCount, announced: 0, skipped: 0 });
    expect(await snapshot()).toEqual(before);
  });
});

describe("the RUP in SiRUP's layout", () => {
  beforeEach(async () => {
    await clearProcurement(db.em());
  });

  it("exports the year's announced packages with their budget lines by MAK, and an unchanged export read back changes nothing", async () => {
    const lines = await roadLines();
    const a = await announced("Rekonstruksi Jalan Dander–Ngunut 900 m", [
      { lineKey: lines[0].line_key, amount: lines[0].left },
      { lineKey: lines[2].line_key, amount: "400000000.50" },
    ]);
    const b = await announced("Pengawasan teknis rekonstruksi jalan", [{ lineKey: lines[1].line_key, amount: "90000000.00" }], { kind: "konsultansi", method: "pengadaan_langsung", pdn: false, umk: true });
    // A draft is not in the RUP.
    await proc.planPackage(db.em(), w.ppk, storyClock(), {
      opdCode: PU, fiscalYear: YEAR, name: "Paket draf tidak diekspor", type: "penyedia", kind: "konstruksi", method: "tender",
      lines: [{ lineKey: lines[3].line_key, amount: "500000000.00" }], selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30",
    });

    const bytes = await bytesOf(streamRup(db.em(), { tenant: T, year: YEAR }));
    const sheet = await readBack(bytes);
    expect(sheet.packages[0]).toEqual(P_HEAD);
    expect(sheet.lines[0]).toEqual(L_HEAD);
    expect(sheet.packages).toHaveLength(3);
    const rowA = Object.fromEntries(P_HEAD.map((h, i) => [h, sheet.packages[1][i]]));
    expect(rowA).toMatchObject({
      kd_rup: Number(a.kode_rup),
      nama_paket: a.name,
      kd_satker: PU,
      tahun_anggaran: YEAR,
      metode_pengadaan: "Tender",
      jenis_pengadaan: "Pekerjaan Konstruksi",
      tipe: "Penyedia",
      status_pdn: "PDN",
      status_ukm: "Non UKM",
      lokasi: "35.22.06; 35.22.06.2001: Ruas Dander–Ngunut; sisi barat",
      status_umumkan_rup: "Terumumkan",
    });
    // Money keeps its sen: whole rupiah as numbers, the rest as exact text.
    expect(String(rowA.pagu)).toBe(a.pagu.replace(/\.00$/, ""));
    expect((rowA.tgl_awal_pelaksanaan as Date).toISOString().slice(0, 10)).toBe("2027-01-20");
    const rowB = Object.fromEntries(P_HEAD.map((h, i) => [h, sheet.packages[2][i]]));
    expect(rowB).toMatchObject({ metode_pengadaan: "Pengadaan Langsung", jenis_pengadaan: "Jasa Konsultansi", status_pdn: "Non PDN", status_ukm: "UKM" });
    // Both of package A's lines share one MAK: one row, their sum.
    const linesA = sheet.lines.filter((l) => l[0] === Number(a.kode_rup));
    expect(linesA).toEqual([[Number(a.kode_rup), ROAD_MAK, "DAK Fisik", Money.idr(a.pagu).toString()]]);
    expect(sheet.lines.filter((l) => l[0] === Number(b.kode_rup))).toEqual([[Number(b.kode_rup), ROAD_MAK, "DAK Fisik", 90000000]]);

    // One OPD's RUP: a PPK's download.
    const other = await readBack(await bytesOf(streamRup(db.em(), { tenant: T, year: YEAR, opd: "1.02.0.00.0.00.01.0000" })));
    expect(other.packages).toHaveLength(1);

    const before = {
      versions: await db.em().execute("select id, version, updated_at from proc_package order by id"),
      budget: await db.em().execute("select package_id, line_key, amount::text from proc_package_budget order by 1, 2"),
      events: await count("select count(*)::int as n from procurement_event"),
      audit: await count("select count(*)::int as n from audit_event"),
    };
    const r = await rupImport(bytes);
    expect(r).toEqual({ ok: true, rows: 2, created: 0, updated: 0, unchanged: 2, announced: 0, skipped: 0 });
    expect(await db.em().execute("select id, version, updated_at from proc_package order by id")).toEqual(before.versions);
    expect(await db.em().execute("select package_id, line_key, amount::text from proc_package_budget order by 1, 2")).toEqual(before.budget);
    expect(await count("select count(*)::int as n from procurement_event")).toBe(before.events);
    expect(await count("select count(*)::int as n from audit_event")).toBe(before.audit);
  });

  it("imports packages keeping the kode RUP, splits a MAK over the DPA lines in line order, announces what the sheet says; a re-import updates rather than duplicates", async () => {
    const lines = await roadLines();
    // More than the first road line holds: the rest comes from the next lines, in DPA order.
    const first = Money.idr(lines[0].left);
    const second = Money.idr(lines[1].left);
    const amount = first.plus(second).plus(Money.idr("300000000.00"));
    const bytes = await workbook({
      Paket: [
        P_HEAD,
        pkgRow({ kd_rup: 71000001, pagu: amount.toString() }),
        pkgRow({ kd_rup: 71000002, nama_paket: "Perbaikan bahu jalan Ngunut", pagu: "350.000.000", metode_pengadaan: "Pengadaan Langsung", status_umumkan_rup: "Draf", lokasi: "" }),
      ],
      Anggaran: [L_HEAD, lineRow(71000001, ROAD_MAK, amount.toString()), lineRow(71000002, ROAD_MAK, "350.000.000")],
    });
    const r = await rupImport(bytes);
    expect(r).toEqual({ ok: true, rows: 2, created: 2, updated: 0, unchanged: 0, announced: 1, skipped: 0 });
    const pkgs = await db.em().execute<{ id: string; kode_rup: string; status: string; source: string; pagu: string; ppk_name: string; planned_on: string }[]>(
      "select id, kode_rup::text, status, source, pagu::text, ppk_name, to_char(planned_on, 'YYYY-MM-DD') as planned_on from proc_package order by kode_rup",
    );
    expect(pkgs.map((p) => [p.kode_rup, p.status, p.source, p.pagu])).toEqual([
      ["71000001", "announced", "sirup", amount.toString()],
      ["71000002", "draft", "sirup", "350000000.00"],
    ]);
    expect(pkgs[0].planned_on).toBe("2026-11-20");
    expect(pkgs[0].ppk_name).toBe(w.ppk.displayName);
    const split = await proc.packageLines(db.em(), pkgs[0].id);
    const byKey = new Map(split.map((l) => [l.line_key, l.amount]));
    expect(byKey.get(lines[0].line_key)).toBe(first.toString());
    expect(byKey.get(lines[1].line_key)).toBe(second.toString());
    expect(byKey.get(lines[2].line_key)).toBe("300000000.00");
    expect(split).toHaveLength(3);
    // The draft's 350 jt comes from what is left on the third line.
    const draftLines = await proc.packageLines(db.em(), pkgs[1].id);
    expect(Money.sum(draftLines.map((l) => Money.idr(l.amount))).toString()).toBe("350000000.00");
    expect(draftLines.map((l) => l.line_key)).toEqual([lines[2].line_key]);
    // Only the announced package is published, as announcePackage publishes it, marked as from SiRUP.
    const events = await db.em().execute<{ type: string; payload: Record<string, unknown> }[]>("select type, payload from procurement_event order by id");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "PackagePlanned", payload: { kodeRup: "71000001", source: "sirup", pagu: amount.toString(), method: "tender" } });
    expect((events[0].payload.lines as unknown[]).length).toBe(3);

    // Re-import: a new name for the announced package (non-financial), a new pagu and the announcement for the draft.
    const again = await workbook({
      Paket: [
        P_HEAD,
        pkgRow({ kd_rup: 71000001, nama_paket: "Rekonstruksi Jalan Dander–Ngunut Tahap I (revisi nama)", pagu: amount.toString() }),
        pkgRow({ kd_rup: 71000002, nama_paket: "Perbaikan bahu jalan Ngunut", pagu: "300000000", metode_pengadaan: "Pengadaan Langsung", status_umumkan_rup: "Terumumkan", lokasi: "" }),
      ],
      Anggaran: [L_HEAD, lineRow(71000001, ROAD_MAK, amount.toString()), lineRow(71000002, ROAD_MAK, "300000000")],
    });
    expect(await rupImport(again)).toEqual({ ok: true, rows: 2, created: 0, updated: 2, unchanged: 0, announced: 1, skipped: 0 });
    expect(await count("select count(*)::int as n from proc_package")).toBe(2);
    const after = await db.em().execute<{ name: string; pagu: string; status: string }[]>("select name, pagu::text, status from proc_package order by kode_rup");
    expect(after).toEqual([
      { name: "Rekonstruksi Jalan Dander–Ngunut Tahap I (revisi nama)", pagu: amount.toString(), status: "announced" },
      { name: "Perbaikan bahu jalan Ngunut", pagu: "300000000.00", status: "announced" },
    ]);
    // The announced package's new name is an amendment (before and after, published as a planningUpdate); the draft's announcement a PackagePlanned.
    const published = await db.em().execute<{ type: string; payload: Record<string, unknown>; tags: string[] }[]>(
      "select e.type, e.payload, r.tags from procurement_event e join ocds_release r on r.event_id = e.id order by e.id",
    );
    expect(published.map((e) => [e.type, e.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["PackageAmended", ["planningUpdate"]],
      ["PackagePlanned", ["planning"]],
    ]);
    expect(published[1].payload).toEqual({
      kodeRup: "71000001",
      source: "sirup",
      changes: { name: { before: "Rekonstruksi Jalan Dander–Ngunut Tahap I", after: "Rekonstruksi Jalan Dander–Ngunut Tahap I (revisi nama)" } },
    });
    // Still within the DPA: the draft's lines were freed before it took its new 300 jt.
    for (const l of await roadLines()) expect(Money.idr(l.left).isNegative()).toBe(false);

    // The pagu of an announced package cannot change through an import: refused naming the row and column.
    const bad = await workbook({
      Paket: [P_HEAD, pkgRow({ kd_rup: 71000002, nama_paket: "Perbaikan bahu jalan Ngunut", pagu: "310000000", metode_pengadaan: "Pengadaan Langsung", lokasi: "" })],
      Anggaran: [L_HEAD, lineRow(71000002, ROAD_MAK, "310000000")],
    });
    expect(errorsOf(await rupImport(bad))).toEqual([
      { sheet: "Paket", row: 2, column: "F", header: "pagu", key: "import.rup.announcedPagu", params: { kode: "71000002", value: "310000000.00", pagu: "300000000.00" } },
    ]);
  });

  it("reports every error of a file full of them, by sheet, row and column, and applies nothing", async () => {
    const lines = await roadLines();
    const left = Money.sum(lines.map((l) => Money.idr(l.left)));
    const bytes = await workbook({
      Paket: [
        P_HEAD,
        // 2: pengadaan langsung for Rp250 jt of construction, planned in 2024: Perpres 12/2021 allowed Rp200 jt then.
        pkgRow({ kd_rup: 72000002, pagu: 250000000, metode_pengadaan: "Pengadaan Langsung", tgl_buat_paket: "2024-03-01" }),
        // 3: a MAK the DPA does not have.
        pkgRow({ kd_rup: 72000003, pagu: 100000000, metode_pengadaan: "Pengadaan Langsung" }),
        // 4: more than is left on the road lines.
        pkgRow({ kd_rup: 72000004, pagu: left.plus(Money.idr("1")).toString() }),
        // 5: a date that does not exist.
        pkgRow({ kd_rup: 72000005, pagu: 100000000, metode_pengadaan: "Pengadaan Langsung", tgl_awal_pelaksanaan: "31/02/2027" }),
        // 6: an ambiguous amount.
        pkgRow({ kd_rup: 72000006, pagu: "1,250", metode_pengadaan: "Pengadaan Langsung" }),
        // 7: an OPD that does not exist, an unknown method.
        pkgRow({ kd_rup: 72000007, pagu: 100000000, kd_satker: "9.99.0.00.0.00.99.0000", metode_pengadaan: "Lelang Umum" }),
        // 8: a kode RUP that is not one, a location that is not a region code.
        pkgRow({ kd_rup: "RUP-8", pagu: 100000000, metode_pengadaan: "Pengadaan Langsung", lokasi: "Desa Ngunut" }),
      ],
      Anggaran: [
        L_HEAD,
        lineRow(72000002, ROAD_MAK, 250000000),
        lineRow(72000003, `${ROAD_SUB}.5.2.04.01.01.9999`, 100000000),
        lineRow(72000004, ROAD_MAK, left.plus(Money.idr("1")).toString()),
        lineRow(72000005, ROAD_MAK, 100000000),
        lineRow(72000006, ROAD_MAK, "1,250"),
        lineRow(72000007, ROAD_MAK, 100000000),
        lineRow(72000009, "jalan", 100000000),
      ],
    });
    const errors = errorsOf(await rupImport(bytes));
    const at = (e: ProcSheetError) => `${e.sheet}!${e.column}${e.row} ${e.key}`;
    expect(errors.map(at)).toEqual([
      "Paket!G2 procure.rule.aboveMax",
      "Paket!O5 import.proc.dateFormat",
      "Paket!F6 import.proc.amountDecimals",
      "Paket!C7 import.rup.opdUnknown",
      "Paket!G7 import.rup.methodUnknown",
      "Paket!A8 import.rup.kodeFormat",
      "Paket!Q8 import.rup.locationFormat",
      "Anggaran!B3 import.rup.makUnknown",
      "Anggaran!D4 import.rup.overLine",
      "Anggaran!D6 import.proc.amountDecimals",
      "Anggaran!A8 import.rup.lineForUnknownPackage",
    ]);
    expect(errors[0].params).toMatchObject({ max: "200000000.00", rule: "Perpres 12/2021 Pasal 38 ayat (3)" });
    // Rows count in file order: row 2's Rp250 jt is taken before row 4 asks.
    expect(errors.find((e) => e.key === "import.rup.overLine")!.params).toMatchObject({ mak: ROAD_MAK, left: left.minus(Money.idr("250000000")).toString(), lines: lines.length });
    expect(errors.find((e) => e.key === "import.proc.dateFormat")!.params).toEqual({ value: "31/02/2027" });
    expect(await count("select count(*)::int as n from proc_package")).toBe(0);
    expect(await count("select count(*)::int as n from procurement_event")).toBe(0);
  });

  it("refuses an import that would over-commit a DPA line, across its own rows and against packages already planned", async () => {
    const lines = await roadLines();
    const left = Money.sum(lines.map((l) => Money.idr(l.left)));
    // A package planned in Jejak takes Rp300 jt.
    const third = Money.idr("300000000.00");
    await announced("Paket yang sudah direncanakan di Jejak", [{ lineKey: lines[2].line_key, amount: third.toString() }], { method: "pengadaan_langsung" });
    const share = left.times("0.45");
    const bytes = await workbook({
      Paket: [P_HEAD, pkgRow({ kd_rup: 73000001, pagu: share.toString() }), pkgRow({ kd_rup: 73000002, pagu: share.toString() })],
      Anggaran: [L_HEAD, lineRow(73000001, ROAD_MAK, share.toString()), lineRow(73000002, ROAD_MAK, share.toString())],
    });
    const errors = errorsOf(await rupImport(bytes));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ sheet: "Anggaran", row: 3, column: "D", key: "import.rup.overLine", params: { amount: share.toString(), left: left.minus(third).minus(share).toString() } });
    expect(await count("select count(*)::int as n from proc_package")).toBe(1);
    const [{ s }] = await db.em().execute<{ s: string }[]>("select coalesce(sum(amount), 0)::text as s from proc_package_budget");
    expect(Money.idr(s).equals(third)).toBe(true);
  });

  it("reads two CSV files (semicolons, as Excel saves them in Indonesia) and keeps each PPK to their own OPD", async () => {
    const csv = (rows: Cells[]) => Buffer.from(rows.map((r) => r.map((c) => (c === null ? "" : String(c))).join(";")).join("\r\n"), "utf8");
    const files = [
      { name: "paket.csv", bytes: csv([P_HEAD, pkgRow({ kd_rup: 74000001, pagu: "300.000.000,00", metode_pengadaan: "pengadaan langsung", tgl_awal_pemilihan: "01/12/2026" })]) },
      { name: "anggaran.csv", bytes: csv([L_HEAD, lineRow(74000001, ROAD_MAK, "300.000.000,00")]) },
    ];
    // Another OPD's PPK may not plan PU's packages: refused by row, or skipped when reading for their OPD.
    const dinkes = new Actor(T, null, "ppk.dinkes", "PPK Dinkes", [{ role: "procurement_officer", scope: { kind: "opd", code: "1.02.0.00.0.00.01.0000" } }]);
    expect(errorsOf(await importRupSheet(db.em(), dinkes, storyClock(), { year: YEAR, files })).map((e) => `${e.sheet}!${e.column}${e.row} ${e.key}`)).toEqual(["paket.csv!C2 import.rup.opdNotYours"]);
    expect(await importRupSheet(db.em(), dinkes, storyClock(), { year: YEAR, files, opd: "1.02.0.00.0.00.01.0000" })).toMatchObject({ ok: true, rows: 0, skipped: 1 });
    await expect(importRupSheet(db.em(), dinkes, storyClock(), { year: YEAR, files, opd: PU })).rejects.toMatchObject({ kind: "forbidden" });

    // The Pokja imports for every OPD.
    expect(await importRupSheet(db.em(), w.pokja[0], storyClock(), { year: YEAR, files })).toMatchObject({ ok: true, created: 1, announced: 1 });
    const [p] = await db.em().execute<{ pagu: string; method: string; selection_start: string }[]>("select pagu::text, method, to_char(selection_start, 'YYYY-MM-DD') as selection_start from proc_package");
    expect(p).toEqual({ pagu: "300000000.00", method: "pengadaan_langsung", selection_start: "2026-12-01" });
  });

  it("exports 17,000 packages in under 10 seconds, a page at a time", async () => {
    const lines = await roadLines();
    const [opd] = await db.em().execute<{ id: string }[]>("select id from opd where tenant_code = ? and code = ?", [T, PU]);
    const N = 17_000;
    await db.em().execute(
      `insert into proc_package (id, tenant_code, fiscal_year, opd_id, kode_rup, name, type, kind, method, pagu, planned_on, execution_start, execution_end, status, announced_at, created_at, updated_at)
       select gen_random_uuid(), ?, ?, ?, 80000000 + g, 'Paket uji skala ' || g, 'penyedia', 'barang', 'e_purchasing', 1000.00, '2026-11-20', '2027-02-01', '2027-06-30', 'announced', now(), now(), now()
         from generate_series(1, ?) g`,
      [T, YEAR, opd.id, N],
    );
    await db.em().execute(`insert into proc_package_budget (package_id, line_key, amount) select id, ?::uuid, 1000.00 from proc_package`, [lines[0].line_key]);
    const started = Date.now();
    const bytes = await bytesOf(streamRup(db.em(), { tenant: T, year: YEAR }));
    const took = Date.now() - started;
    expect(took).toBeLessThan(10_000);
    const sheet = await readBack(bytes);
    expect(sheet.packages).toHaveLength(N + 1);
    // Read a page of RUP_PAGE packages at a time: 17 queries, never the whole year at once.
    let pages = 0;
    for await (const page of rupPackagePages(db.em(), { tenant: T, year: YEAR })) {
      expect(page.length).toBeLessThanOrEqual(RUP_PAGE);
      pages++;
    }
    expect(pages).toBe(Math.ceil(N / RUP_PAGE));
    expect(sheet.lines).toHaveLength(N + 1);
    expect(sheet.lines[N]).toEqual([80000000 + N, ROAD_MAK, "DAK Fisik", 1000]);
  }, 120_000);
});

describe("the RUP download and the import page", () => {
  beforeEach(async () => {
    await clearProcurement(db.em());
  });

  async function signedIn(username: string) {
    const b = new Browser();
    b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
    return b;
  }
  function upload(b: Browser, fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("_csrf", b.csrf);
    form.append("file", new Blob([new Uint8Array(file.bytes)]), file.name);
    return new Request("http://localhost/procure/impor", { method: "POST", body: form, headers: { cookie: b.header() } });
  }

  it("gives a PPK their OPD's RUP and the Pokja everyone's, and shows an upload's errors by sheet, row and column or what it applied", async () => {
    const y = { year: String(YEAR) };
    const ppk = await signedIn("ppk.pu");
    expect((await call(rupLoader, ppk.get(`/unduh/rup/${YEAR}`), y)).status).toBe(403);
    expect((await call(rupLoader, ppk.get(`/unduh/rup/${YEAR}?opd=1.02.0.00.0.00.01.0000`), y)).status).toBe(403);
    const own = await call(rupLoader, ppk.get(`/unduh/rup/${YEAR}?opd=${PU}`), y);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toMatch(/spreadsheetml/);
    expect((await readBack(Buffer.from(await own.arrayBuffer()))).packages).toHaveLength(1);
    const all = await call(rupLoader, (await signedIn("pokja")).get(`/unduh/rup/${YEAR}`), y);
    expect(all.status).toBe(200);
    await all.arrayBuffer();

    const page = await body<{ rup: boolean; spse: boolean; opds: { code: string }[]; allOpds: boolean }>(await call(importLoader, ppk.get("/procure/impor")));
    expect(page).toMatchObject({ rup: true, spse: false, allOpds: false, opds: [{ code: PU }] });

    const bad = await workbook({
      Paket: [P_HEAD, pkgRow({ kd_rup: 75000001, pagu: 250000000, metode_pengadaan: "Pengadaan Langsung", tgl_buat_paket: "2024-03-01" })],
      Anggaran: [L_HEAD, lineRow(75000001, ROAD_MAK, 250000000)],
    });
    const refused = await call(importAction, upload(ppk, { kind: "rup", year: String(YEAR), opd: PU }, { name: "rup.xlsx", bytes: bad }));
    expect(refused.status).toBe(400);
    const r = await body<{ ok: boolean; importErrors: { row: number; column: string; header: string; message: string }[] }>(refused);
    expect(r.importErrors).toEqual([{ row: 2, column: "Paket!G", header: "metode_pengadaan", message: expect.stringContaining("Perpres 12/2021 Pasal 38 ayat (3)") }]);
    expect(await count("select count(*)::int as n from proc_package")).toBe(0);

    const good = await workbook({
      Paket: [P_HEAD, pkgRow({ kd_rup: 75000001, pagu: 250000000, metode_pengadaan: "Pengadaan Langsung" })],
      Anggaran: [L_HEAD, lineRow(75000001, ROAD_MAK, 250000000)],
    });
    const applied = await call(importAction, upload(ppk, { kind: "rup", year: String(YEAR), opd: PU }, { name: "rup.xlsx", bytes: good }));
    expect(applied.status).toBe(200);
    expect((await body<{ message: string }>(applied)).message).toMatch(/1 baru/);
    // The SPSE import is the Pokja's (it registers vendors).
    expect((await call(importAction, upload(ppk, { kind: "spse" }, { name: "spse.xlsx", bytes: good }))).status).toBe(403);
  });
});
