import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, DINKES, PU, T } from "../../support/musrenbang";
import { anApprovedRka } from "../../support/budgeting";
import { Browser, body, call } from "../../support/http";
import { absorption, addLine, apbdVersions, assembleApbd, issueDpa, listSp2d, moveApbd, moveRka, openRka, rkaView } from "../../../domain/budgeting";
import type { Actor } from "../../../domain/identity/actor";
import { importSp2dSheet, parseSp2dDate } from "../../../imports/budgeting/sp2d-sheet";
import { action as loginAction } from "../../../app/routes/login";
import { action as sp2dAction, loader as sp2dLoader } from "../../../app/routes/budget.sp2d.$year";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("planned");
const YEAR = 2027;
const BALITA = "1.02.02.2.02.0004";
const MEALS = "5.1.02.01.01.0052";
const HONOR = "5.1.02.02.01.0003";
const NASI = "1.1.12.01.03.01.001";
const HEAD = "Nomor SP2D,Tanggal,Kode SKPD,Kode Sub Kegiatan,Kode Rekening,Nilai,Uraian";

let tapd: Actor;
/** A second Dinas Kesehatan sub-activity: two meal lines on the same account (Rp700.000 and Rp350.000). */
let rapat = "";
/** A Dinas PU sub-activity: in the APBD, but its DPA is not issued. */
let puSub = "";
let prices: Record<string, string> = {};

const csv = (...rows: string[]) => Buffer.from([HEAD, ...rows].join("\r\n") + "\r\n", "utf8");
const run = (bytes: Uint8Array, name = "sp2d.csv", actor: Actor = tapd) => importSp2dSheet(db.em(), actor, clock, YEAR, bytes, name);
const count = async () => (await db.em().execute<{ n: number }[]>("select count(*)::int as n from sp2d"))[0].n;
/** What has been paid per line, as "sub account description → paid". */
async function paid(): Promise<Record<string, string>> {
  const a = (await absorption(db.em(), T, YEAR))!;
  return Object.fromEntries(a.lines.map((l) => [`${l.sub_code} ${l.account_code} ${l.description}`, l.paid]));
}
const errorsOf = (r: Awaited<ReturnType<typeof run>>) => (r.ok ? [] : r.errors.map((e) => [e.row, e.column, e.key]));

async function approvedRka(opdCode: string, subId: string, lines: { description: string; qty: string }[]) {
  const opd = actorWith("opd_officer", "opd", opdCode);
  const rka = await openRka(db.em(), opd, clock, subId);
  let v = 1;
  for (const l of lines)
    await addLine(db.em(), opd, clock, rka, { accountCode: MEALS, description: l.description, factors: [{ qty: l.qty, unit: "orang" }], priceItemId: prices[NASI], fundingSource: "DAU" }, v++);
  v = (await rkaView(db.em(), T, rka)).rka.version;
  await moveRka(db.em(), opd, clock, rka, "submit", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "verify", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "approve", "", v++);
}

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

function upload(b: Browser, bytes: Buffer, name: string) {
  const form = new FormData();
  form.set("_csrf", b.csrf);
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  return new Request(`http://localhost/budget/sp2d/${YEAR}`, { method: "POST", body: form, headers: { cookie: b.header() } });
}

describe("SP2D register import", () => {
  beforeAll(async () => {
    tapd = await actorOf(db.em(), "tapd");
    prices = (await anApprovedRka(db.em())).prices;
    const sub = (opd: string, not = "") =>
      db
        .em()
        .execute<{ id: string; code: string }[]>(
          "select s.id, s.sub_kegiatan_code as code from sub_activity s join opd o on o.id = s.opd_id where o.code = ? and s.fiscal_year = ? and s.sub_kegiatan_code <> ? order by s.sub_kegiatan_code limit 1",
          [opd, YEAR, not],
        )
        .then((r) => r[0]);
    const [dinkes2, pu] = [await sub(DINKES, BALITA), await sub(PU)];
    rapat = dinkes2.code;
    puSub = pu.code;
    await approvedRka(DINKES, dinkes2.id, [
      { description: "Nasi kotak rapat koordinasi", qty: "20" },
      { description: "Nasi kotak rapat evaluasi", qty: "10" },
    ]);
    await approvedRka(PU, pu.id, [{ description: "Nasi kotak rapat teknis", qty: "10" }]);
    const apbd = await assembleApbd(db.em(), tapd, clock, YEAR);
    let v = (await apbdVersions(db.em(), T, YEAR))[0].version;
    await moveApbd(db.em(), tapd, clock, apbd.id, "agree", "", v++);
    await moveApbd(db.em(), tapd, clock, apbd.id, "evaluate", "", v++);
    await moveApbd(db.em(), tapd, clock, apbd.id, "adopt", "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026", v++);
    await issueDpa(db.em(), tapd, clock, YEAR, DINKES);
  });

  it("reads dates and refuses what is not one", () => {
    expect(parseSp2dDate("14/02/2027")).toBe("2027-02-14");
    expect(parseSp2dDate("4-2-2027")).toBe("2027-02-04");
    expect(parseSp2dDate("2027-02-14")).toBe("2027-02-14");
    expect(parseSp2dDate(46432)).toBe("2027-02-14");
    expect(parseSp2dDate("31/02/2027")).toBeNull();
    expect(parseSp2dDate("14 Feb 2027")).toBeNull();
  });

  it("applies a good CSV: absorption updated exactly, one audit event per payment", async () => {
    const audits = async () => (await db.em().execute<{ n: number }[]>("select count(*)::int as n from audit_event where action = 'Sp2dRecorded'"))[0].n;
    const before = await audits();
    const r = await run(csv(`SP2D/0001/2027,14/02/2027,${DINKES},${BALITA},${MEALS},"1.250.000,50",Konsumsi kelas ibu balita`, `SP2D/0002/2027,2027-03-01,${DINKES},${BALITA},${HONOR},900000,`));
    expect(r).toEqual({ ok: true, rows: 2, recorded: 2, alreadyRecorded: 0, total: "2150000.50" });
    const p = await paid();
    expect(p[`${BALITA} ${MEALS} Nasi kotak kelas ibu balita`]).toBe("1250000.50");
    expect(p[`${BALITA} ${HONOR} Honor narasumber gizi`]).toBe("900000.00");
    expect(await audits()).toBe(before + 2);
    const list = await listSp2d(db.em(), T, YEAR, {});
    expect(list.rows.map((x) => [x.number, x.paid_on, x.amount, x.description])).toEqual([
      ["SP2D/0001/2027", "2027-02-14", "1250000.50", "Konsumsi kelas ibu balita"],
      ["SP2D/0002/2027", "2027-03-01", "900000.00", ""],
    ]);
    expect(list.total).toBe("2150000.50");
  });

  it("applies a good XLSX: a title above the header, Indonesian header variants, date and number cells, a total row", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Register SP2D");
    ws.addRow(["REGISTER SP2D BUD KABUPATEN BOJONEGORO TAHUN 2027"]);
    ws.addRow(["No", "No. SP2D", "Tgl SP2D", "Kode OPD", "Sub Kegiatan", "Rekening", "Nilai (Rp)", "Keterangan"]);
    ws.addRow([1, "SP2D/0003/2027", new Date(Date.UTC(2027, 3, 10)), DINKES, BALITA, MEALS, 1800000.25, "Termin 2"]);
    ws.addRow([2, "SP2D/0004/2027", "10/04/2027", DINKES, BALITA, HONOR, 0.1 * 3 * 1_000_000, ""]);
    ws.addRow(["", "", "", "", "", "JUMLAH", 2100000.25]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await run(bytes, "register.xlsx");
    expect(r).toEqual({ ok: true, rows: 2, recorded: 2, alreadyRecorded: 0, total: "2100000.25" });
    const p = await paid();
    expect(p[`${BALITA} ${MEALS} Nasi kotak kelas ibu balita`]).toBe("3050000.75");
    expect(p[`${BALITA} ${HONOR} Honor narasumber gizi`]).toBe("1200000.00");
    const a = (await absorption(db.em(), T, YEAR))!;
    expect(a.byOpd.find((o) => o.key.startsWith(DINKES))).toMatchObject({ budget: "8850000.00", paid: "4250000.75", percent: "48.02" });

    // The same file again: everything is already recorded, nothing is doubled.
    const n = await count();
    expect(await run(bytes, "register.xlsx")).toEqual({ ok: true, rows: 2, recorded: 0, alreadyRecorded: 2, total: "0.00" });
    expect(await count()).toBe(n);
  });

  it("the same CSV again is all already recorded; a row that differs from what is recorded is refused", async () => {
    const n = await count();
    const again = await run(csv(`SP2D/0001/2027,14/02/2027,${DINKES},${BALITA},${MEALS},"1.250.000,50",Konsumsi kelas ibu balita`, `SP2D/0002/2027,2027-03-01,${DINKES},${BALITA},${HONOR},900000,`));
    expect(again).toEqual({ ok: true, rows: 2, recorded: 0, alreadyRecorded: 2, total: "0.00" });
    const changed = await run(csv(`SP2D/0001/2027,14/02/2027,${DINKES},${BALITA},${MEALS},1250000,`, `SP2D/0002/2027,02/03/2027,${DINKES},${BALITA},${HONOR},900000,`));
    expect(errorsOf(changed)).toEqual([
      [2, "F", "import.sp2d.conflict"],
      [3, "B", "import.sp2d.conflict"],
    ]);
    expect(!changed.ok && changed.errors[0].params).toMatchObject({ number: "SP2D/0001/2027", recorded: "1250000.50", amount: "1250000.00" });
    expect(await count()).toBe(n);
  });

  it("refuses a file full of errors by row and column, and records nothing", async () => {
    const n = await count();
    const before = await paid();
    const r = await run(
      csv(
        `SP2D/0101/2027,15/05/2027,${DINKES},${BALITA},5.1.02.01.01.9999,100000,`,
        `SP2D/0102/2027,15/05/2027,${DINKES},${BALITA},${HONOR},"5.000.000",`,
        `SP2D/0103/2027,31/12/2026,${DINKES},${BALITA},${MEALS},100000,`,
        `SP2D/0104/2027,2027-05-15,${DINKES},${BALITA},${MEALS},"1,2,3",`,
        `SP2D/0105/2027,2027-05-15,${PU},${puSub},${MEALS},100000,`,
        `SP2D/0106/2027,2027-05-15,${DINKES},${BALITA},${MEALS},100000,`,
        `SP2D/0107/2027,2027-05-15,9.99.0.00.0.00.01.0000,${BALITA},${MEALS},100000,`,
        `SP2D/0108/2027,2027-05-15,${DINKES},9.99.99.2.01.0001,${MEALS},100000,`,
      ),
    );
    expect(errorsOf(r)).toEqual([
      [2, "E", "import.sp2d.accountUnknown"],
      [3, "F", "import.sp2d.beyondLines"],
      [4, "B", "import.sp2d.dateOutsideYear"],
      [5, "F", "import.sp2d.amountFormat"],
      [6, "C", "import.sp2d.noDpa"],
      [8, "C", "import.sp2d.opdUnknown"],
      [9, "D", "import.sp2d.subUnknown"],
    ]);
    const errors = r.ok ? [] : r.errors;
    expect(errors[0]).toMatchObject({ header: "Kode Rekening", params: { code: "5.1.02.01.01.9999" } });
    expect(errors[1]).toMatchObject({ header: "Nilai", params: { amount: "5000000.00", budget: "3600000.00", paid: "1200000.00", left: "2400000.00", lines: 1 } });
    expect(await count()).toBe(n);
    expect(await paid()).toEqual(before);
  });

  it("refuses an empty file, missing headers and an unreadable workbook", async () => {
    expect(errorsOf(await run(Buffer.from("")))).toEqual([[0, "", "import.sp2d.empty"]]);
    expect(errorsOf(await run(Buffer.from(HEAD + "\n")))).toEqual([[0, "", "import.sp2d.empty"]]);
    const missing = await run(Buffer.from(`Nomor SP2D,Tanggal,Kode SKPD,Nilai\nSP2D/1,2027-01-02,${DINKES},100\n`));
    expect(errorsOf(missing)).toEqual([
      [1, "", "import.header.missing"],
      [1, "", "import.header.missing"],
    ]);
    expect(!missing.ok && missing.errors.map((e) => e.header)).toEqual(["Kode Sub Kegiatan", "Kode Rekening"]);
    expect(errorsOf(await run(Buffer.from("not a workbook"), "x.xlsx"))).toEqual([[0, "", "import.sp2d.unreadable"]]);
    expect(await run(csv(`SP2D/0001/2027,14/02/2027,${DINKES},${BALITA},${MEALS},1,`), "sp2d.csv", actorWith("opd_officer", "opd", DINKES)).catch((e: { key: string }) => e.key)).toBe("auth.forbidden");
  });

  it("splits a row across the lines with the same account in position order; earlier rows count against later ones", async () => {
    const n = await count();
    // 900.000 + 150.000,01 is one sen more than the two lines hold (700.000 + 350.000).
    const over = await run(csv(`SP2D/0201/2027,2027-06-01,${DINKES},${rapat},${MEALS},900000,`, `SP2D/0202/2027,2027-06-02,${DINKES},${rapat},${MEALS},"150.000,01",`));
    expect(errorsOf(over)).toEqual([[3, "F", "import.sp2d.beyondLines"]]);
    expect(!over.ok && over.errors[0].params).toMatchObject({ lines: 2, budget: "1050000.00", paid: "900000.00", left: "150000.00", amount: "150000.01" });
    expect(await count()).toBe(n);

    // Semicolon-separated, as Excel saves CSV in an Indonesian locale.
    const file = Buffer.from(
      [HEAD.replaceAll(",", ";"), `SP2D/0201/2027;01/06/2027;${DINKES};${rapat};${MEALS};900.000;Rapat`, `SP2D/0202/2027;02/06/2027;${DINKES};${rapat};${MEALS};150000,00;Rapat`].join("\n"),
    );
    expect(await run(file)).toEqual({ ok: true, rows: 2, recorded: 3, alreadyRecorded: 0, total: "1050000.00" });
    const p = await paid();
    expect(p[`${rapat} ${MEALS} Nasi kotak rapat koordinasi`]).toBe("700000.00");
    expect(p[`${rapat} ${MEALS} Nasi kotak rapat evaluasi`]).toBe("350000.00");
    const split = await db.em().execute<{ amount: string }[]>("select amount::text from sp2d where number = 'SP2D/0201/2027' order by amount desc");
    expect(split.map((s) => s.amount)).toEqual(["700000.00", "200000.00"]);
    // The split row uploaded again is one row already recorded, not a conflict.
    expect(await run(file)).toEqual({ ok: true, rows: 2, recorded: 0, alreadyRecorded: 2, total: "0.00" });
    // Nothing is left on those lines.
    const full = await run(csv(`SP2D/0203/2027,2027-06-03,${DINKES},${rapat},${MEALS},"0,01",`));
    expect(errorsOf(full)).toEqual([[2, "F", "import.sp2d.beyondLines"]]);
    // The same number twice for the same sub-activity and account in one file.
    const twice = await run(csv(`SP2D/0204/2027,2027-06-03,${DINKES},${BALITA},${MEALS},1000,`, `SP2D/0204/2027,2027-06-03,${DINKES},${BALITA},${MEALS},2000,`));
    expect(errorsOf(twice)).toEqual([[3, "A", "import.sp2d.duplicateInFile"]]);
  });

  it("the page: 403 for an OPD officer; TAPD uploads (errors by row and column, then the file) and sees the list and absorption", async () => {
    const y = { year: String(YEAR) };
    const pu = await signedIn("opd.pu");
    expect((await call(sp2dLoader, pu.get(`/budget/sp2d/${YEAR}`), y)).status).toBe(403);
    expect((await call(sp2dAction, upload(pu, csv(), "sp2d.csv"), y)).status).toBe(403);

    const tapdB = await signedIn("tapd");
    const bad = await call(sp2dAction, upload(tapdB, csv(`SP2D/0301/2027,2027-07-01,${DINKES},${BALITA},${HONOR},"1,2,3",`), "sp2d.csv"), y);
    expect(bad.status).toBe(400);
    const e = await body<{ importErrors: { row: number; column: string; header: string; message: string }[] }>(bad);
    expect(e.importErrors).toEqual([{ row: 2, column: "F", header: "Nilai", message: 'Nilai "1,2,3" bukan jumlah rupiah yang sah (contoh: 1.250.000 atau 1.250.000,50 atau 1250000.50).' }]);
    const ok = await call(sp2dAction, upload(tapdB, csv(`SP2D/0301/2027,2027-07-01,${DINKES},${BALITA},${HONOR},"300.000",`), "sp2d.csv"), y);
    expect(ok.status).toBe(200);
    expect((await body<{ message: string }>(ok)).message).toBe("Impor selesai: 1 baris dibaca, 1 pembayaran dicatat senilai Rp300.000,00, 0 baris sudah tercatat sebelumnya dan dilewati.");

    const page = await call(sp2dLoader, tapdB.get(`/budget/sp2d/${YEAR}?opd=${DINKES}`), y);
    expect(page.status).toBe(200);
    const d = await body<{ list: { count: number; total: string; rows: { number: string }[] }; byOpd: { code: string; budget: string; paid: string; percent: string }[]; total: { paid: string } }>(page);
    expect(d.list.count).toBe(8);
    expect(d.list.total).toBe("5600000.75");
    expect(d.list.rows.at(-1)!.number).toBe("SP2D/0301/2027");
    expect(d.byOpd.map((o) => [o.code, o.budget, o.paid])).toEqual([
      [DINKES, "8850000.00", "5600000.75"],
      [PU, "350000.00", "0.00"],
    ]);
    expect(d.total.paid).toBe("5600000.75");
    expect((await call(sp2dLoader, tapdB.get("/budget/sp2d/abc"), { year: "abc" })).status).toBe(404);
  });
});
