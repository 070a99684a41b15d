import ExcelJS from "exceljs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { anAnnouncedTender, clearProcurement, PU, procurementWorld, storyClock, VENDORS, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { unseal } from "../../../domain/procurement/sealing";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";
import { importSpseSheet, type SpseImportResult } from "../../../imports/procurement/spse-sheet";
import type { ProcSheetError, UploadedFile } from "../../../imports/procurement/sheet-tables";

const db = useTestDatabase("full");
let w: World;
beforeAll(async () => {
  // The demo's own packages first, so that the world's road lines are free.
  await clearProcurement(db.em());
  w = await procurementWorld(db.em());
});
beforeEach(async () => {
  await clearProcurement(db.em());
  await db.em().execute("delete from vendor where npwp not in (select unnest(?::text[]))", [`{${w.vendors.map((v) => v.npwp).join(",")}}`]);
});

type Cells = (string | number | null)[];
const TENDER_HEAD = ["kd_tender", "kd_rup", "nama_paket", "nilai_hps", "nama_penyedia", "npwp_penyedia", "nilai_penawaran", "nilai_terkoreksi", "pemenang", "tgl_penetapan_pemenang"];
const CONTRACT_HEAD = ["no_kontrak", "kd_rup", "kd_tender", "tgl_kontrak", "nilai_kontrak", "npwp_penyedia", "nama_penyedia", "tgl_mulai", "tgl_selesai", "jenis_kontrak", "versi_adendum", "alasan", "nilai"];
const NEW_VENDOR = { npwp: "03.456.789.0-606.000", digits: "034567890606000", name: "PT Baru Jaya Konstruksi" };
const CONTRACT_NO = "600/123/412.203/2027";

async function workbook(sheets: Record<string, Cells[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const csv = (rows: Cells[]) => Buffer.from(rows.map((r) => r.map((c) => (c === null ? "" : /[",]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(",")).join("\n"), "utf8");

const spse = (files: UploadedFile[]) => importSpseSheet(db.em(), w.pokja[0], storyClock(), files);
const xlsx = (bytes: Buffer): UploadedFile[] => [{ name: "spse.xlsx", bytes }];
function errorsOf(r: SpseImportResult): ProcSheetError[] {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r)}`);
  return r.errors;
}
const count = async (table: string) => (await db.em().execute<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0].n;

/** A construction package in the RUP on the road lines (all that is left on them), as the PPK announces it. */
async function roadPackage() {
  const clock = storyClock();
  const lines = (await proc.procurableLines(db.em(), T, YEAR, PU)).lines.filter((l) => w.roadLines.some((r) => r.line_key === l.line_key));
  const id = await proc.planPackage(db.em(), w.ppk, clock, {
    opdCode: PU,
    fiscalYear: YEAR,
    name: "Rekonstruksi Jalan Dander–Ngunut 900 m",
    type: "penyedia",
    kind: "konstruksi",
    method: "tender",
    lines: lines.map((l) => ({ lineKey: l.line_key, amount: l.left })),
    selectionStart: "2026-12-01",
    executionStart: "2027-01-20",
    executionEnd: "2027-07-31",
  });
  await proc.announcePackage(db.em(), w.ppk, clock, id, (await proc.loadPackage(db.em(), T, id)).version);
  return proc.loadPackage(db.em(), T, id);
}

/** The tender results of SPSE tender 7701: three participants, the first (PT Karya Bengawan Solo) the winner. */
const tenderRows = (kode: string, over: { loserPrice?: string } = {}): Cells[] => [
  TENDER_HEAD,
  ["7701", kode, "Rekonstruksi Jalan Dander–Ngunut", "2.300.000.000", VENDORS[0].name, VENDORS[0].npwp, "2.150.000.000", "2.148.500.000", "Ya", "2027-01-10"],
  ["7701", kode, "Rekonstruksi Jalan Dander–Ngunut", "2.300.000.000", VENDORS[1].name, VENDORS[1].npwp, over.loserPrice ?? "2.200.000.000", "", "Tidak", ""],
  ["7701", kode, "Rekonstruksi Jalan Dander–Ngunut", "2.300.000.000", NEW_VENDOR.name, NEW_VENDOR.npwp, "2.250.000.000,50", "", "", ""],
];
/** Its contract (harga satuan) and one addendum adding 120 m of side drains. */
const contractRows = (kode: string): Cells[] => [
  CONTRACT_HEAD,
  [CONTRACT_NO, kode, "7701", "2027-01-20", 2148500000, VENDORS[0].npwp, VENDORS[0].name, "25/01/2027", "31/07/2027", "Harga Satuan", 0, "", ""],
  [CONTRACT_NO, kode, "7701", "2027-04-01", "", "", "", "", "2027-08-31", "", 1, "Pekerjaan tambah saluran samping sepanjang 120 m", 2250000000],
];

describe("SPSE tender results and contracts", () => {
  it("maps a tender's results and its contract with an addendum onto the model, by kode RUP and NPWP; a re-import updates rather than duplicates", async () => {
    const pkg = await roadPackage();
    const kode = pkg.kode_rup!;
    const vendorsBefore = await count("vendor");
    const bytes = await workbook({ "Hasil Tender": tenderRows(kode), Kontrak: contractRows(kode) });
    const r = await spse(xlsx(bytes));
    expect(r).toEqual({ ok: true, vendors: 1, tenders: { created: 1, updated: 0, unchanged: 0 }, bids: 3, contracts: { created: 1, updated: 0, unchanged: 0 }, amendments: 1 });

    // The new vendor is registered by NPWP, as the import's actor.
    expect(await count("vendor")).toBe(vendorsBefore + 1);
    const [nv] = await db.em().execute<{ id: string; name: string; qualification: string }[]>("select id, name, qualification from vendor where npwp = ?", [NEW_VENDOR.digits]);
    expect(nv).toMatchObject({ name: NEW_VENDOR.name, qualification: "non_kecil" });

    const [t] = await db.em().execute<{ id: string; code: string; status: string; source: string; hps: string; method: string; winner_bid_id: string; announced_at: Date | null }[]>(
      "select id, code, status, source, hps::text as hps, method, winner_bid_id, announced_at from tender",
    );
    expect(t).toMatchObject({ code: "7701", status: "contracted", source: "spse", hps: "2300000000.00", method: "tender" });
    expect(t.announced_at).not.toBeNull();
    const bids = await db.em().execute<{ id: string; vendor_id: string; status: string; price: string; corrected_price: string; sealed: Buffer; rank: number | null }[]>(
      "select id, vendor_id, status, price::text as price, corrected_price::text as corrected_price, sealed, rank from bid where tender_id = ? order by price",
      [t.id],
    );
    expect(bids.map((b) => [b.status, b.price, b.corrected_price, b.rank])).toEqual([
      ["opened", "2150000000.00", "2148500000.00", 1],
      ["opened", "2200000000.00", "2200000000.00", null],
      ["opened", "2250000000.50", "2250000000.50", null],
    ]);
    expect(t.winner_bid_id).toBe(bids[0].id);
    expect(bids[0].vendor_id).toBe(w.vendors[0].id);
    // The sealed copy holds the same price, bound to its tender, vendor and bid.
    expect(unseal({ tenderId: t.id, vendorId: bids[2].vendor_id, bidId: bids[2].id }, bids[2].sealed).price).toBe("2250000000.50");

    const [c] = await db.em().execute<{ id: string; number: string; status: string; source: string; tender_id: string; vendor_id: string; type: string; original_value: string; value: string; end_date: string; sppbj_number: string }[]>(
      "select id, number, status, source, tender_id, vendor_id, type, original_value::text as original_value, value::text as value, to_char(end_date, 'YYYY-MM-DD') as end_date, sppbj_number from contract",
    );
    expect(c).toMatchObject({ number: CONTRACT_NO, status: "signed", source: "spse", tender_id: t.id, vendor_id: w.vendors[0].id, type: "harga_satuan", original_value: "2148500000.00", value: "2250000000.00", end_date: "2027-08-31" });
    const [a] = await db.em().execute<{ no: number; value_before: string; value_after: string; end_before: string; end_after: string }[]>(
      "select no, value_before::text as value_before, value_after::text as value_after, to_char(end_before, 'YYYY-MM-DD') as end_before, to_char(end_after, 'YYYY-MM-DD') as end_after from contract_amendment",
    );
    expect(a).toEqual({ no: 1, value_before: "2148500000.00", value_after: "2250000000.00", end_before: "2027-07-31", end_after: "2027-08-31" });

    // The events the publication is built from, honest about their source.
    const events = await db.em().execute<{ type: string; payload: Record<string, unknown> }[]>("select type, payload from procurement_event where type <> 'PackagePlanned' order by id");
    expect(events.map((e) => e.type)).toEqual(["WinnerAnnounced", "Awarded", "ContractSigned", "ContractAmended"]);
    for (const e of events) expect(e.payload.source).toBe("spse");
    expect(events[0].payload).toMatchObject({ code: "7701", npwp: w.vendors[0].npwp, value: "2148500000.00" });
    expect(events[3].payload).toMatchObject({ no: 1, valueBefore: "2148500000.00", valueAfter: "2250000000.00" });
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);

    // The same file again: nothing changes, nothing is duplicated.
    const eventsBefore = await count("procurement_event");
    const auditBefore = await count("audit_event");
    expect(await spse(xlsx(bytes))).toEqual({ ok: true, vendors: 0, tenders: { created: 0, updated: 0, unchanged: 1 }, bids: 0, contracts: { created: 0, updated: 0, unchanged: 1 }, amendments: 0 });
    expect(await count("procurement_event")).toBe(eventsBefore);
    expect(await count("audit_event")).toBe(auditBefore);

    // A corrected participant's price: the bid is updated in place.
    const corrected = await workbook({ "Hasil Tender": tenderRows(kode, { loserPrice: "2.190.000.000" }), Kontrak: contractRows(kode) });
    expect(await spse(xlsx(corrected))).toMatchObject({ ok: true, tenders: { created: 0, updated: 1, unchanged: 0 }, bids: 1, contracts: { unchanged: 1 } });
    expect(await count("bid")).toBe(3);
    expect(await count("tender")).toBe(1);
    expect(await count("contract")).toBe(1);
    const [loser] = await db.em().execute<{ price: string }[]>("select price::text as price from bid where vendor_id = ?", [w.vendors[1].id]);
    expect(loser.price).toBe("2190000000.00");
  });

  it("reads CSV exports one at a time: the tender results first (winner announced), then the contract naming the tender", async () => {
    const pkg = await roadPackage();
    const kode = pkg.kode_rup!;
    expect(await spse([{ name: "hasil-tender.csv", bytes: csv(tenderRows(kode)) }])).toMatchObject({ ok: true, tenders: { created: 1 }, bids: 3, contracts: { created: 0 } });
    const status = async () => (await db.em().execute<{ status: string }[]>("select status from tender"))[0].status;
    expect(await status()).toBe("winner_announced");
    const contractByTender = contractRows(kode).map((r) => [r[0], r[2], ...r.slice(3)]);
    contractByTender[0] = [CONTRACT_HEAD[0], CONTRACT_HEAD[2], ...CONTRACT_HEAD.slice(3)];
    expect(await spse([{ name: "kontrak.csv", bytes: csv(contractByTender) }])).toMatchObject({ ok: true, tenders: { created: 0 }, contracts: { created: 1 }, amendments: 1 });
    expect(await status()).toBe("contracted");
    const [c] = await db.em().execute<{ package_id: string }[]>("select package_id from contract");
    expect(c.package_id).toBe(pkg.id);
  });

  it("reports every error of a file full of them, by sheet, row and column, and applies nothing", async () => {
    const pkg = await roadPackage();
    const kode = pkg.kode_rup!;
    const pagu = Money.idr(pkg.pagu);
    const vendorsBefore = await count("vendor");
    const bytes = await workbook({
      "Hasil Tender": [
        TENDER_HEAD,
        ["7801", kode, "Paket jalan", "2.300.000.000", "PT NPWP Salah", "12.345", "2.150.000.000", "", "Tidak", ""],
        ["7802", "99999999", "Paket tak dikenal", "500.000.000", VENDORS[1].name, VENDORS[1].npwp, "480.000.000", "", "Ya", "2027-01-10"],
        ["7801", kode, "Paket jalan", "2.300.000.000", VENDORS[1].name, VENDORS[1].npwp, "1,250", "", "Tidak", ""],
        ["7801", kode, "Paket jalan", "2.300.000.000", VENDORS[2].name, VENDORS[2].npwp, "2.250.000.000", "", "Tidak", "2027-13-45"],
        ["7801", kode, "Paket jalan", "2.300.000.000", VENDORS[0].name, VENDORS[0].npwp, "2.310.000.000", "", "Ya", "2027-01-10"],
      ],
      Kontrak: [
        CONTRACT_HEAD,
        ["K-ERR-1", "99999999", "", "2027-01-20", 480000000, VENDORS[1].npwp, VENDORS[1].name, "2027-01-25", "2027-07-31", "Lumsum", 0, "", ""],
        ["K-ERR-2", kode, "", "2027-01-20", pagu.plus(Money.idr("1")).toString(), VENDORS[0].npwp, VENDORS[0].name, "2027-01-25", "2027-07-31", "Lumsum", 0, "", ""],
        ["K-ERR-2", "", "", "2027-03-01", "", "", "", "", "", "", 1, "Pekerjaan tambah yang terlalu besar", pagu.times("1.2").toString()],
        ["K-ERR-2", "", "", "2027-04-01", "", "", "", "", "", "", 3, "Perpanjangan waktu karena cuaca", ""],
        ["K-ERR-3", kode, "", "2027-01-20", 100000000, VENDORS[0].npwp, VENDORS[0].name, "kemarin", "2027-07-31", "Lumsum", 0, "", ""],
      ],
    });
    const errors = errorsOf(await spse(xlsx(bytes)));
    expect(errors.map((e) => `${e.sheet}!${e.column}${e.row} ${e.key}`)).toEqual([
      "Hasil Tender!F2 procure.vendor.npwpFormat",
      "Hasil Tender!B3 import.spse.kodeRupUnknown",
      "Hasil Tender!G4 import.proc.amountDecimals",
      "Hasil Tender!J5 import.proc.dateFormat",
      "Hasil Tender!H6 import.spse.winnerAboveHps",
      "Kontrak!B2 import.spse.kodeRupUnknown",
      "Kontrak!E3 procure.contract.abovePagu",
      "Kontrak!M4 procure.contract.amendmentTooLarge",
      "Kontrak!K5 import.spse.versionGap",
      "Kontrak!H6 import.proc.dateFormat",
    ]);
    expect(errors[0].params).toEqual({ text: "12.345" });
    expect(errors[2].params).toMatchObject({ value: "1,250" });
    expect(errors.find((e) => e.key === "import.spse.versionGap")!.params).toMatchObject({ no: 3, expected: 2 });
    for (const table of ["tender", "bid", "contract", "contract_amendment"]) expect(await count(table)).toBe(0);
    expect(await count("vendor")).toBe(vendorsBefore);
    expect(await count("procurement_event")).toBe(1); // the PackagePlanned of the road package
  });

  it("refuses a tender for a package with a live tender run in Jejak, and a contract with someone other than the winner", async () => {
    const { packageId } = await anAnnouncedTender(db.em(), w, storyClock());
    const kode = (await proc.loadPackage(db.em(), T, packageId)).kode_rup!;
    const errors = errorsOf(await spse(xlsx(await workbook({ "Hasil Tender": tenderRows(kode) }))));
    expect(errors).toEqual([{ sheet: "Hasil Tender", row: 2, column: "B", header: "kd_rup", key: "procure.tender.liveExists", params: { code: expect.any(String) } }]);

    await clearProcurement(db.em());
    const pkg = await roadPackage();
    const rows = contractRows(pkg.kode_rup!);
    rows[1][5] = VENDORS[2].npwp;
    const wrong = errorsOf(await spse(xlsx(await workbook({ "Hasil Tender": tenderRows(pkg.kode_rup!), Kontrak: rows }))));
    expect(wrong.map((e) => `${e.sheet}!${e.column}${e.row} ${e.key}`)).toEqual(["Kontrak!F2 import.spse.notWinner"]);
    expect(await count("tender")).toBe(0);
  });
});
