import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, DINKES, PU, T } from "../../support/musrenbang";
import { aPriceList } from "../../support/budgeting";
import { Browser, body, call } from "../../support/http";
import { addLine, draftKuaPpas, kuaPpasView, openRka, rkaView, updateLine, type LineInput } from "../../../domain/budgeting";
import type { Actor } from "../../../domain/identity/actor";
import { rkaSheetData, streamRkaXlsx, RKA_SHEET } from "../../../exports/xlsx/rka";
import { importRkaSheet, excelNumberText } from "../../../imports/budgeting/rka-sheet";
import { action as loginAction } from "../../../app/routes/login";
import { action as rkaAction } from "../../../app/routes/budget.rka.$id";
import { loader as downloadLoader } from "../../../app/routes/unduh.rka.$id";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("full");
const YEAR = 2027;
const MEALS = "5.1.02.01.01.0052";
const WORKS = "5.2.04.01.01.0003";
const HONOR = "5.1.02.02.01.0003";
const NASI = "1.1.12.01.03.01.001";
const ASPAL = "1.1.7.01.03.02.005";
const SEMEN = "1.1.7.01.03.01.001";
const NARSUM = "1.1.12.02.01.01.002";
/** Columns of the layout, by letter. */
const C = { no: 1, heading: 2, account: 3, item: 4, description: 5, spec: 6, q1: 7, u1: 8, q2: 9, u2: 10, unit: 15, price: 16, tax: 17, funding: 18, amount: 19, ref: 21 };

let prices: Record<string, string> = {};
let rka = ""; // the RKA of a Dinas PU sub-activity, edited by `opd`
let other = ""; // another sub-activity's RKA
let opd: Actor;
let otherOpd: Actor;

async function exported(id: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of streamRkaXlsx(await rkaSheetData(db.em(), T, id, "Kabupaten Bojonegoro"))) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function edited(file: Buffer, edit: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
  edit(wb.getWorksheet(RKA_SHEET.name)!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The sheet row of the line at a position. */
function rowOf(ws: ExcelJS.Worksheet, position: number): ExcelJS.Row {
  let found: ExcelJS.Row | null = null;
  ws.eachRow((r, n) => {
    if (n > RKA_SHEET.headerRow && r.getCell(C.no).value === position) found = r;
  });
  if (!found) throw new Error(`no row for line ${position}`);
  return found;
}

/** A new line appended below everything, from column values. */
function appendLine(ws: ExcelJS.Worksheet, values: Partial<Record<keyof typeof C, ExcelJS.CellValue>>): number {
  const n = ws.rowCount + 1;
  const r = ws.getRow(n);
  for (const [k, v] of Object.entries(values)) r.getCell(C[k as keyof typeof C]).value = v;
  r.commit();
  return n;
}

const newRapat = (over: Partial<Record<keyof typeof C, ExcelJS.CellValue>> = {}) => ({
  heading: "Belanja Makanan dan Minuman",
  account: MEALS,
  item: NASI,
  description: "Nasi kotak rapat tambahan",
  q1: 10,
  u1: "orang",
  unit: "kotak",
  tax: 0,
  funding: "PAD",
  ...over,
});

const audits = async (id: string) => Number((await db.em().execute<{ n: string }[]>("select count(*) as n from audit_event where entity_id = ?", [id]))[0].n);
const snapshot = async (id: string) => {
  const v = await rkaView(db.em(), T, id);
  return { version: v.rka.version, total: v.total, lines: v.lines };
};

const line = (over: Partial<LineInput>): LineInput => ({
  heading: "Belanja Makanan dan Minuman",
  accountCode: MEALS,
  description: "Nasi kotak rapat koordinasi",
  factors: [
    { qty: "40", unit: "orang" },
    { qty: "3", unit: "kali" },
  ],
  unit: "kotak",
  priceItemId: prices[NASI],
  fundingSource: "PAD",
  ...over,
});

describe("RKA in Excel: export and import in one layout", () => {
  beforeAll(async () => {
    prices = await aPriceList(db.em());
    const tapd = await actorOf(db.em(), "tapd");
    if (!(await kuaPpasView(db.em(), T, YEAR))) await draftKuaPpas(db.em(), tapd, clock, YEAR, ["Infrastruktur jalan"]);
    // Sub-activities with a PPAS ceiling and no RKA yet: Dinas PU's first, for the route test's demo account.
    const free = await db.em().execute<{ id: string; opd: string }[]>(
      `select s.id, o.code as opd from sub_activity s join opd o on o.id = s.opd_id
         join kua_ppas k on k.tenant_code = s.tenant_code and k.fiscal_year = s.fiscal_year
         join ppas_ceiling c on c.kua_ppas_id = k.id and c.sub_activity_id = s.id
        where s.tenant_code = ? and s.fiscal_year = ? and not exists (select 1 from rka r where r.sub_activity_id = s.id)
        order by (o.code = ?) desc, s.sub_kegiatan_code`,
      [T, YEAR, PU],
    );
    expect(free[0].opd).toBe(PU);
    opd = actorWith("opd_officer", "opd", PU, "Perencana PU");
    otherOpd = actorWith("opd_officer", "opd", free[1].opd, "Perencana lain");
    rka = await openRka(db.em(), opd, clock, free[0].id);
    other = await openRka(db.em(), otherOpd, clock, free[1].id);
    let v = (await rkaView(db.em(), T, rka)).rka.version;
    await addLine(db.em(), opd, clock, rka, line({}), v++);
    await addLine(db.em(), opd, clock, rka, line({ heading: "Belanja Bahan", accountCode: WORKS, description: "Aspal untuk tambal", factors: [{ qty: "2,5", unit: "drum" }, { qty: "7", unit: "kg" }], unit: "kg", priceItemId: prices[ASPAL], taxPercent: "11" }), v++);
    await addLine(db.em(), opd, clock, rka, line({ heading: "Belanja Bahan", accountCode: WORKS, description: "Semen Portland", spec: "PCC 50 kg", factors: [{ qty: "120", unit: "zak" }], unit: "zak", priceItemId: prices[SEMEN], unitPrice: "65000" }), v++);
    await addLine(db.em(), opd, clock, rka, line({ heading: "Honorarium", accountCode: HONOR, description: "Honorarium narasumber", factors: [{ qty: "2", unit: "OJ" }, { qty: "3", unit: "kali" }], unit: "OJ", priceItemId: prices[NARSUM], fundingSource: "DAU" }), v++);
    expect((await rkaView(db.em(), T, rka)).total).toBe("17678424.94");
  });

  it("exports the SIPD-like layout: header block with the RKA's id, grouped lines with exact money, the JUMLAH row", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exported(rka)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("RKA")!;
    expect(String(ws.getCell("A1").value)).toBe("PEMERINTAH KABUPATEN BOJONEGORO");
    expect(String(ws.getCell("A2").value)).toContain("TAHUN ANGGARAN 2027");
    expect(String(ws.getCell("C3").value)).toContain(PU);
    expect(ws.getCell("A6").value).toBe(RKA_SHEET.idLabel);
    expect(ws.getCell("C6").value).toBe(rka);
    expect(String(ws.getCell("A7").value)).toMatch(/Jumlah dihitung ulang/);
    expect(ws.getRow(8).getCell(C.no).value).toBe("No");
    expect(ws.getRow(8).getCell(C.amount).value).toBe("Jumlah");
    expect(ws.getColumn(C.ref).hidden).toBe(true);
    // Rekening row, heading row, then the line; sen amounts as exact text, whole rupiah as numbers.
    expect(ws.getRow(9).getCell(C.account).value).toBe(MEALS);
    expect(ws.getRow(9).getCell(C.amount).value).toBe(4200000);
    expect(ws.getRow(10).getCell(C.description).value).toBe("[#] Belanja Makanan dan Minuman");
    expect(ws.getRow(11).values).toEqual(
      expect.arrayContaining([1, "Belanja Makanan dan Minuman", MEALS, NASI, "Nasi kotak rapat koordinasi", 40, "orang", 3, "kali", "kotak", 35000, 0, "PAD", 4200000]),
    );
    const aspal = rowOf(ws, 2);
    expect([aspal.getCell(C.q1).value, aspal.getCell(C.price).value, aspal.getCell(C.tax).value, aspal.getCell(C.amount).value]).toEqual([2.5, "14333.33", 11, "278424.94"]);
    let last = 0;
    ws.eachRow((_r, n) => (last = n));
    expect(ws.getRow(last).getCell(C.description).value).toBe("JUMLAH");
    expect(ws.getRow(last).getCell(C.amount).value).toBe("17678424.94");
  });

  it("an exported file imported unchanged changes nothing and writes no audit event", async () => {
    const before = await snapshot(rka);
    const events = await audits(rka);
    const out = await importRkaSheet(db.em(), opd, clock, rka, await exported(rka), "rka.xlsx");
    expect(out).toEqual({ ok: true, added: 0, changed: 0, unchanged: 4, kept: [] });
    expect(await snapshot(rka)).toEqual(before);
    expect(await audits(rka)).toBe(events);
  });

  it("a changed quantity and a new row are exactly the changes; Jumlah is recomputed, a wrong one is not an error", async () => {
    const events = await audits(rka);
    const file = await edited(await exported(rka), (ws) => {
      rowOf(ws, 1).getCell(C.q1).value = 45; // 45 × 3 × 35.000 = 4.725.000
      rowOf(ws, 2).getCell(C.amount).value = 1; // nonsense Jumlah on an otherwise unchanged line
      appendLine(ws, { heading: "Belanja Bahan", account: WORKS, item: SEMEN, description: "Semen untuk tambal", spec: "PCC 50 kg", q1: 10, u1: "zak", unit: "zak", tax: 11, funding: "PAD", amount: 999 });
    });
    const out = await importRkaSheet(db.em(), opd, clock, rka, file, "rka.xlsx");
    expect(out).toEqual({ ok: true, added: 1, changed: 1, unchanged: 3, kept: [] });
    const v = await rkaView(db.em(), T, rka);
    expect(v.lines.map((l) => [l.position, l.volume, l.unit_price, l.amount])).toEqual([
      [1, "135", "35000.00", "4725000.00"],
      [2, "17.5", "14333.33", "278424.94"],
      [3, "120", "65000.00", "7800000.00"],
      [4, "6", "900000.00", "5400000.00"],
      [5, "10", "68500.00", "760350.00"], // standard price × 1,11
    ]);
    expect(v.total).toBe("18963774.94");
    const types = await db.em().execute<{ action: string }[]>("select action from audit_event where entity_id = ? order by id desc limit 2", [rka]);
    expect(types.map((t) => t.action).sort()).toEqual(["RkaLineAdded", "RkaLineChanged"]);
    expect(await audits(rka)).toBe(events + 2);
  });

  it("reads Excel's float noise as the number Excel shows: 0.30000000000000004 is 0.3, 0.11 in a percent cell is 11%", async () => {
    expect(excelNumberText(0.1 * 3)).toBe("0.3");
    expect(excelNumberText(14333.330000000002)).toBe("14333.33");
    const file = await edited(await exported(rka), (ws) => {
      const n = appendLine(ws, { heading: "Belanja Bahan", account: WORKS, item: ASPAL, description: "Aspal curah", q1: 0.1 * 3, u1: "m3", q2: { formula: "50*2", result: 100 } as ExcelJS.CellValue, u2: "kg/m3", unit: "kg", price: 14333.330000000002, tax: 0.11, funding: "PAD" });
      ws.getRow(n).getCell(C.tax).numFmt = "0%";
    });
    const out = await importRkaSheet(db.em(), opd, clock, rka, file, "rka.xlsx");
    expect(out).toMatchObject({ ok: true, added: 1, changed: 0 });
    const added = (await rkaView(db.em(), T, rka)).lines.at(-1)!;
    // 0,3 × 100 × Rp14.333,33 × 1,11 = Rp477.299,889 → 477.299,89
    expect(added).toMatchObject({ factors: [{ qty: "0.3", unit: "m3" }, { qty: "100", unit: "kg/m3" }], volume: "30", unit_price: "14333.33", tax_percent: "11", amount: "477299.89" });
  });

  it("a file full of errors is refused whole, each error at its row and column, and nothing changes", async () => {
    const before = await snapshot(rka);
    const events = await audits(rka);
    const rows: number[] = [];
    const file = await edited(await exported(rka), (ws) => {
      rowOf(ws, 1).getCell(C.q1).value = 50; // a valid change: not applied either
      rows.push(appendLine(ws, newRapat({ account: "5.1.02.99" })));
      rows.push(appendLine(ws, newRapat({ item: "9.9.9.999" })));
      rows.push(appendLine(ws, newRapat({ q1: -1 })));
      rows.push(appendLine(ws, newRapat({ price: 35000.01 })));
      rows.push(appendLine(ws, newRapat({ funding: "Entah" })));
      rows.push(appendLine(ws, newRapat({ tax: 10 })));
    });
    const out = await importRkaSheet(db.em(), opd, clock, rka, file, "rka.xlsx");
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map((e) => [e.row, e.column, e.header, e.key])).toEqual([
      [rows[0], "C", "Kode Rekening", "budget.line.accountFormat"],
      [rows[1], "D", "Kode Komponen", "import.rka.componentUnknown"],
      [rows[2], "G", "Koefisien 1", "budget.line.factorFormat"],
      [rows[3], "P", "Harga Satuan", "budget.line.aboveStandard"],
      [rows[4], "R", "Sumber Dana", "planning.fundingSourceUnknown"],
      [rows[5], "Q", "PPN %", "budget.line.taxUnknown"],
    ]);
    expect(out.errors[1].params).toEqual({ code: "9.9.9.999", year: YEAR });
    expect(await snapshot(rka)).toEqual(before);
    expect(await audits(rka)).toBe(events);
  });

  it("refuses a file of another RKA, a file without the table's headers, unknown or repeated line numbers, and an RKA under review", async () => {
    const before = await snapshot(rka);
    const foreign = await importRkaSheet(db.em(), opd, clock, rka, await exported(other), "lain.xlsx");
    expect(foreign).toEqual({ ok: false, errors: [{ row: 6, column: "C", header: RKA_SHEET.idLabel, key: "import.rka.wrongRka", params: { found: other } }] });

    const noUraian = await importRkaSheet(db.em(), opd, clock, rka, await edited(await exported(rka), (ws) => (ws.getRow(8).getCell(C.description).value = "Keterangan")), "rka.xlsx");
    expect(noUraian).toEqual({ ok: false, errors: [{ row: 8, column: "", header: "Uraian", key: "import.header.missing", params: { header: "Uraian" } }] });
    const blank = new ExcelJS.Workbook();
    blank.addWorksheet("RKA").addRow(["apa saja"]);
    const none = await importRkaSheet(db.em(), opd, clock, rka, Buffer.from(await blank.xlsx.writeBuffer()), "rka.xlsx");
    expect(none.ok === false && none.errors[0].key).toBe("import.rka.noHeader");
    expect(none.ok === false && String(none.errors[0].params?.headers)).toContain("Kode Rekening, Kode Komponen, Uraian");
    expect((await importRkaSheet(db.em(), opd, clock, rka, Buffer.from("bukan excel"), "rka.xlsx")).ok).toBe(false);

    let dup = 0;
    const numbers = await importRkaSheet(
      db.em(),
      opd,
      clock,
      rka,
      await edited(await exported(rka), (ws) => {
        rowOf(ws, 3).getCell(C.no).value = 99;
        dup = appendLine(ws, newRapat({ no: 1 }));
      }),
      "rka.xlsx",
    );
    expect(numbers.ok === false && numbers.errors.map((e) => [e.column, e.key, e.params])).toEqual([
      ["A", "import.rka.noUnknown", { no: 99 }],
      ["A", "import.rka.noDuplicate", { no: 1, first: expect.any(Number) }],
    ]);
    expect(numbers.ok === false && numbers.errors[1].row).toBe(dup);

    // Under review: refused before anything is read. (Set directly: submitting needs an agreed KUA-PPAS.)
    await db.em().execute("update rka set status = 'submitted' where id = ?", [rka]);
    expect(await importRkaSheet(db.em(), opd, clock, rka, await exported(rka), "rka.xlsx")).toMatchObject({ ok: false, errors: [{ row: 0, key: "budget.rka.locked" }] });
    await db.em().execute("update rka set status = 'draft' where id = ?", [rka]);
    // Another OPD's officer may not import at all.
    await expect(importRkaSheet(db.em(), actorWith("opd_officer", "opd", DINKES), clock, rka, await exported(rka), "rka.xlsx")).rejects.toMatchObject({ key: "auth.forbidden" });
    expect(await snapshot(rka)).toEqual(before);
  });

  it("a row whose line was changed in the application since the download is refused, not overwritten; lines left out of the file are kept", async () => {
    const file = await exported(rka);
    const v = (await rkaView(db.em(), T, rka)).rka.version;
    await updateLine(db.em(), opd, clock, rka, (await rkaView(db.em(), T, rka)).lines[3].id, line({ heading: "Honorarium", accountCode: HONOR, description: "Honorarium narasumber ahli", factors: [{ qty: "2", unit: "OJ" }, { qty: "3", unit: "kali" }], unit: "OJ", priceItemId: prices[NARSUM], fundingSource: "DAU" }), v);
    const before = await snapshot(rka);
    const stale = await importRkaSheet(db.em(), opd, clock, rka, await edited(file, (ws) => (rowOf(ws, 4).getCell(C.q1).value = 1)), "rka.xlsx");
    expect(stale.ok === false && stale.errors.map((e) => [e.column, e.key, e.params])).toEqual([["A", "import.rka.lineStale", { no: 4 }]]);
    expect(await snapshot(rka)).toEqual(before);

    // A fresh file without line 3's row: nothing is removed, and the result says which lines were kept.
    const without = await edited(await exported(rka), (ws) => ws.spliceRows(rowOf(ws, 3).number, 1));
    expect(await importRkaSheet(db.em(), opd, clock, rka, without, "rka.xlsx")).toEqual({ ok: true, added: 0, changed: 0, unchanged: 5, kept: [3] });
    expect(await snapshot(rka)).toEqual(before);
  });

  it("through the routes: the download (budget.view in the RKA's OPD) and the editor's upload", async () => {
    const b = new Browser();
    b.take(await call(loginAction, b.post("/login", { username: "opd.pu", password: DEMO_PASSWORD })));
    const res = await call(downloadLoader, b.get(`/unduh/rka/${rka}`), { id: rka });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/spreadsheetml/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="rka-2027-[\d.]+\.xlsx"$/);
    const file = Buffer.from(await res.arrayBuffer());
    const stranger = new Browser();
    stranger.take(await call(loginAction, stranger.post("/login", { username: "fasil.desa", password: DEMO_PASSWORD })));
    expect((await call(downloadLoader, stranger.get(`/unduh/rka/${rka}`), { id: rka })).status).toBe(403);
    expect((await call(downloadLoader, b.get(`/unduh/rka/00000000-0000-0000-0000-000000000000`), { id: "00000000-0000-0000-0000-000000000000" })).status).toBe(404);

    const upload = (bytes: Buffer) => {
      const form = new FormData();
      form.set("_csrf", b.csrf);
      form.set("intent", "import");
      form.set("file", new Blob([new Uint8Array(bytes)]), "rka.xlsx");
      return new Request(`http://localhost/budget/rka/${rka}`, { method: "POST", body: form, headers: { cookie: b.header() } });
    };
    const ok = await call(rkaAction, upload(file), { id: rka });
    expect(ok.status).toBe(200);
    expect((await body<{ message: string }>(ok)).message).toMatch(/0 rincian ditambahkan, 0 diubah, 6 tidak berubah/);
    const bad = await call(rkaAction, upload(await edited(file, (ws) => (rowOf(ws, 1).getCell(C.tax).value = 10))), { id: rka });
    expect(bad.status).toBe(400);
    const errs = (await body<{ importErrors: { row: number; column: string; header: string; message: string }[] }>(bad)).importErrors;
    expect(errs).toEqual([{ row: rowOf(await sheetOf(file), 1).number, column: "Q", header: "PPN %", message: expect.stringContaining("10") }]);
  });

  it("large RKAs: 300 and 3,000 lines export as a stream and re-import unchanged", async () => {
    const figures: string[] = [];
    for (const [from, to] of [
      [1, 300],
      [301, 3000],
    ]) {
      await db.em().execute(
        `insert into rka_line (id, tenant_code, rka_id, position, heading, account_code, description, spec, factors, volume, unit, price_item_id, unit_price, justification, tax_percent, amount, funding_source, created_at, updated_at)
         select gen_random_uuid(), ?, ?, g, 'Kelompok ' || (g / 40), ?, 'Nasi kotak rapat ' || g, 'standar', '[{"qty":"40","unit":"orang"},{"qty":"3","unit":"kali"}]'::jsonb, 120, 'kotak', ?, 34999.99, '', 11, 4661998.67, 'PAD', now(), now()
           from generate_series(?::int, ?::int) g`,
        [T, other, MEALS, prices[NASI], from, to],
      );
      const t0 = performance.now();
      const file = await exported(other);
      const t1 = performance.now();
      const out = await importRkaSheet(db.em(), otherOpd, clock, other, file, "rka.xlsx");
      const t2 = performance.now();
      expect(out).toEqual({ ok: true, added: 0, changed: 0, unchanged: to, kept: [] });
      const v = await rkaView(db.em(), T, other);
      const sen = (466199867n * BigInt(to)).toString();
      expect(v.total).toBe(`${sen.slice(0, -2)}.${sen.slice(-2)}`);
      figures.push(`${to} lines: export ${(t1 - t0).toFixed(0)} ms (${(file.length / 1024).toFixed(0)} KiB), unchanged import ${(t2 - t1).toFixed(0)} ms`);
    }
    console.log(`RKA Excel: ${figures.join("; ")}`);
  });
});

async function sheetOf(file: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
  return wb.getWorksheet(RKA_SHEET.name)!;
}
