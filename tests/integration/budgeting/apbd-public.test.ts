import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { actorOf, actorWith, clock, DINKES, PU, T } from "../../support/musrenbang";
import { aPriceList } from "../../support/budgeting";
import {
  addLine,
  apbdSummary,
  apbdVersions,
  assembleApbd,
  changeBudgetLine,
  draftKuaPpas,
  issueDpa,
  kuaPpasView,
  moveApbd,
  moveKuaPpas,
  moveRka,
  openOpdRka,
  openRka,
  reviseApbd,
  rkaView,
  setCashPlan,
  type LineInput,
} from "../../../domain/budgeting";
import { apbdSheetPages, publicApbd, type ApbdSheetItem, type PublicApbd } from "../../../domain/budgeting/public";
import { Money } from "../../../domain/kernel/money";
import { streamApbdXlsx } from "../../../exports/xlsx/apbd";
import { terbilang } from "../../../domain/kernel/terbilang";
import type { Actor } from "../../../domain/identity/actor";
import { loader as pageLoader } from "../../../app/routes/apbd.$year";
import { loader as apiLoader } from "../../../app/routes/api.apbd.$year";
import { loader as xlsxLoader } from "../../../app/routes/unduh.apbd.$year";
import { loader as dpaLoader } from "../../../app/routes/unduh.dpa.$id";
import { action as loginAction } from "../../../app/routes/login";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("planned");
const YEAR = 2027;
const BPKAD = "5.02.0.00.0.00.01.0000";
const ROAD = "1.03.10.2.01.0033";
// The road's locations: two desa of Dander, a desa of another kecamatan, and a kecamatan itself.
const ROAD_LOCATIONS = ["35.22.06.2001", "35.22.06.2002", "35.22.07.2001", "35.22.08"];

let tapd: Actor;
let dpaId = "";
let subBalita = "";

async function approve(rka: string) {
  const opd = actorWith("opd_officer", "opd", (await rkaView(db.em(), T, rka)).rka.opdCode);
  let v = (await rkaView(db.em(), T, rka)).rka.version;
  await moveRka(db.em(), opd, clock, rka, "submit", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "verify", "", v++);
  await moveRka(db.em(), tapd, clock, rka, "approve", "", v++);
}

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return wb;
}
const rowsOf = (ws: ExcelJS.Worksheet) => (ws.getSheetValues().filter(Boolean) as unknown[][]).map((r) => Array.from(r, (v) => (v === undefined ? null : v)));
/** A money cell as exported (a number for whole rupiah, the canonical text otherwise) back to "1250000.00". */
const moneyOf = (v: unknown) => Money.idr(String(v)).toString();
const sumOf = (rows: { total: string }[]) => Money.sum(rows.map((r) => Money.idr(r.total))).toString();

describe("the public APBD: where the money goes, page, JSON, Excel; the DPA in Excel", () => {
  beforeAll(async () => {
    tapd = await actorOf(db.em(), "tapd");
    const prices = await aPriceList(db.em());
    const kua = await draftKuaPpas(db.em(), tapd, clock, YEAR, ["Penurunan stunting", "Infrastruktur jalan"]);
    const v = (await kuaPpasView(db.em(), T, YEAR))!.version;
    await moveKuaPpas(db.em(), tapd, clock, kua, "submit", "", v);
    await moveKuaPpas(db.em(), tapd, clock, kua, "agree", "Nota Kesepakatan 900/2026", v + 1);
    const subOf = async (opd: string, code: string) =>
      (await db.em().execute<{ id: string }[]>("select s.id from sub_activity s join opd o on o.id = s.opd_id where o.code = ? and s.fiscal_year = ? and s.sub_kegiatan_code = ?", [opd, YEAR, code]))[0].id;
    subBalita = await subOf(DINKES, "1.02.02.2.02.0004");
    const road = await subOf(PU, ROAD);
    // Where they are: the balita service kabupaten-wide; the road in three kecamatan.
    await db.em().execute("update sub_activity set locations = ?::text[] where id = ?", [`{${T}}`, subBalita]);
    await db.em().execute("update sub_activity set locations = ?::text[] where id = ?", [`{${ROAD_LOCATIONS.join(",")}}`, road]);

    const dinkes = actorWith("opd_officer", "opd", DINKES);
    const rka = await openRka(db.em(), dinkes, clock, subBalita);
    const meals: LineInput = {
      accountCode: "5.1.02.01.01.0052",
      description: "Nasi kotak kelas ibu balita",
      factors: [{ qty: "30", unit: "orang" }, { qty: "4", unit: "kali" }],
      priceItemId: prices["1.1.12.01.03.01.001"],
      fundingSource: "DAK Non-Fisik",
    };
    await addLine(db.em(), dinkes, clock, rka, meals, 1); // 4.200.000
    await addLine(db.em(), dinkes, clock, rka, { ...meals, accountCode: "5.1.02.02.01.0003", description: "Honor narasumber gizi", factors: [{ qty: "4", unit: "OJ" }], priceItemId: prices["1.1.12.02.01.01.002"] }, 2); // 3.600.000
    await approve(rka);
    const pu = actorWith("opd_officer", "opd", PU);
    const roadRka = await openRka(db.em(), pu, clock, road);
    // 1 kg × Rp14.333,33: split over three kecamatan, a sen is left over.
    await addLine(db.em(), pu, clock, roadRka, { accountCode: "5.2.04.01.01.0003", description: "Aspal curah", spec: "penetrasi 60/70", factors: [{ qty: "1", unit: "kg" }], priceItemId: prices["1.1.7.01.03.02.005"], fundingSource: "DAK Fisik" }, 1);
    await approve(roadRka);
    const rev = await openOpdRka(db.em(), dinkes, clock, YEAR, DINKES, "pendapatan");
    await addLine(db.em(), dinkes, clock, rev, { accountCode: "4.1.02.01.01.0006", description: "Retribusi puskesmas", factors: [{ qty: "1", unit: "tahun" }], unitPrice: "5000000", fundingSource: "PAD" }, 1);
    await approve(rev);
    const bpkad = actorWith("opd_officer", "opd", BPKAD);
    const fin = await openOpdRka(db.em(), bpkad, clock, YEAR, BPKAD, "pembiayaan");
    await addLine(db.em(), bpkad, clock, fin, { accountCode: "6.1.01.05.03.0001", description: "SiLPA sisa BTT", factors: [{ qty: "1", unit: "tahun" }], unitPrice: "2000000", fundingSource: "SiLPA" }, 1);
    await approve(fin);

    const { id } = await assembleApbd(db.em(), tapd, clock, YEAR);
    let av = (await apbdSummary(db.em(), T, id)).apbd.version;
    await moveApbd(db.em(), tapd, clock, id, "agree", "", av++);
    await moveApbd(db.em(), tapd, clock, id, "evaluate", "", av++);
    await moveApbd(db.em(), tapd, clock, id, "adopt", "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026", av++);
    dpaId = await issueDpa(db.em(), tapd, clock, YEAR, DINKES);
    await setCashPlan(db.em(), tapd, clock, dpaId, { period: "bulan", plan: [{ subActivityId: subBalita, amounts: ["0", "0", "1200000", "600000", "600000", "600000", "600000", "600000", "600000", "1000000", "1000000", "1000000"] }] });
  });

  it("JSON: the totals are exact, and each breakdown adds up to its total", async () => {
    const res = await call(apiLoader, new Request(`http://localhost/api/apbd/${YEAR}`), { year: String(YEAR) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const j = await body<PublicApbd>(res);
    expect(j.apbd).toMatchObject({ versionNo: 1, kind: "murni", pergeseranNo: null, legalBasis: "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026" });
    expect(j.totals).toEqual({
      pendapatan: "5000000.00",
      belanja: "7814333.33",
      surplus: "-2814333.33",
      financingReceipts: "2000000.00",
      financingSpending: "0.00",
      netFinancing: "2000000.00",
      silpa: "-814333.33",
    });
    // The same figures as the standard summary of the version.
    const s = await apbdSummary(db.em(), T, j.apbd.id);
    expect(s.totals).toMatchObject({ pendapatan: j.totals.pendapatan, belanja: j.totals.belanja, surplus: j.totals.surplus, netFinancing: j.totals.netFinancing, silpa: j.totals.silpa });
    for (const k of ["byOpd", "byBidang", "byProgram", "byKecamatan", "byFunding", "byGroup"] as const) expect(sumOf(j.spending[k]), k).toBe(j.totals.belanja);
    expect(sumOf(j.revenue.byGroup)).toBe(j.totals.pendapatan);
    expect(sumOf(j.financing.receipts)).toBe(j.totals.financingReceipts);
    expect(j.spending.byOpd.map((o) => [o.code, o.total])).toEqual([
      [DINKES, "7800000.00"],
      [PU, "14333.33"],
    ]);
    expect(j.spending.byProgram.map((p) => [p.code, p.total])).toEqual([
      ["1.02.02", "7800000.00"],
      ["1.03.10", "14333.33"],
    ]);
    expect(j.spending.byProgram[0].name).toMatch(/PROGRAM/);
    expect(j.spending.byFunding.map((f) => [f.code, f.total])).toEqual([
      ["DAK Non-Fisik", "7800000.00"],
      ["DAK Fisik", "14333.33"],
    ]);
    expect(j.revenue.byGroup.map((g) => g.code)).toEqual(["4.1.02"]);
    // No JS number carries money anywhere in the document.
    const numbers: string[] = [];
    JSON.stringify(j, (k, v) => (typeof v === "number" && !["year", "versionNo", "pergeseranNo", "subActivities"].includes(k) ? (numbers.push(k), v) : v));
    expect(numbers).toEqual([]);
  });

  it("kecamatan: a sub-activity's amount split evenly and exactly over its kecamatan; kabupaten-wide ones apart", async () => {
    const j = (await publicApbd(db.em(), T, YEAR))!;
    const names = new Map((await db.em().execute<{ code: string; name: string }[]>("select code, name from region where code in ('35.22.06','35.22.07','35.22.08')")).map((r) => [r.code, r.name]));
    expect(j.spending.byKecamatan).toEqual([
      // 1.433.333 sen / 3: the remaining sen go to the first kecamatan.
      { code: "35.22.06", name: names.get("35.22.06"), total: "4777.78", subActivities: 1 },
      { code: "35.22.07", name: names.get("35.22.07"), total: "4777.78", subActivities: 1 },
      { code: "35.22.08", name: names.get("35.22.08"), total: "4777.77", subActivities: 1 },
      { code: null, name: "Seluruh kabupaten", total: "7800000.00", subActivities: 1 },
    ]);
    expect(names.get("35.22.06")).toBe("Dander");
  });

  it("page: 200 with the version in force, its legal basis and the charts; plain words when none is adopted; 404 for a bad year", async () => {
    const res = await call(pageLoader, new Request(`http://localhost/apbd/${YEAR}`), { year: String(YEAR) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("public");
    type Page = { apbd: { version: { kind: string; legalBasis: string }; totals: { belanja: string }; words: string; charts: { opd: { label: string; total: string; share: string; width: number }[]; funding: { total: string }[] } } };
    const page = await body<Page>(res);
    expect(page.apbd.version).toMatchObject({ kind: "murni", legalBasis: "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026" });
    expect(page.apbd.words).toBe(terbilang("7814333.33"));
    expect(page.apbd.charts.opd.map((b) => [b.total, b.share, b.width])).toEqual([
      ["7800000.00", "99.82", 100],
      ["14333.33", "0.18", 0.2],
    ]);
    const none = await call(pageLoader, new Request("http://localhost/apbd/2031"), { year: "2031" });
    expect(none.status).toBe(200);
    expect(await body(none)).toEqual({ year: 2031, apbd: null });
    expect((await call(apiLoader, new Request("http://localhost/api/apbd/2031"), { year: "2031" })).status).toBe(404);
    for (const bad of ["20x7", "1999", "2027.5", "12345"]) {
      expect((await call(pageLoader, new Request(`http://localhost/apbd/${bad}`), { year: bad })).status, bad).toBe(404);
      expect((await call(apiLoader, new Request(`http://localhost/api/apbd/${bad}`), { year: bad })).status, bad).toBe(404);
    }
    expect((await call(xlsxLoader, new Request("http://localhost/unduh/apbd/2031"), { year: "2031" })).status).toBe(404);
  });

  it("Excel: reads back; Ringkasan and Rincian totals equal the JSON's, with a subtotal per OPD", async () => {
    const j = (await publicApbd(db.em(), T, YEAR))!;
    const res = await call(xlsxLoader, new Request(`http://localhost/unduh/apbd/${YEAR}`), { year: String(YEAR) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const wb = await workbookOf(res);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Ringkasan", "Rincian"]);
    const summary = rowsOf(wb.getWorksheet("Ringkasan")!);
    const at = (label: string) => summary.find((r) => r[2] === label)!;
    expect(moneyOf(at("PENDAPATAN DAERAH")[3])).toBe(j.totals.pendapatan);
    expect(moneyOf(at("BELANJA DAERAH")[3])).toBe(j.totals.belanja);
    expect(moneyOf(at("SURPLUS/(DEFISIT)")[3])).toBe(j.totals.surplus);
    expect(moneyOf(at("PEMBIAYAAN NETTO")[3])).toBe(j.totals.netFinancing);
    expect(moneyOf(at("SISA LEBIH PEMBIAYAAN ANGGARAN TAHUN BERKENAAN (SILPA)")[3])).toBe(j.totals.silpa);
    expect(summary.some((r) => String(r[1]).includes("Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026"))).toBe(true);
    // Every JUMLAH row of the spending tables is the spending total.
    const jumlah = summary.filter((r) => r[2] === "JUMLAH").map((r) => moneyOf(r[3]));
    expect(jumlah.filter((x) => x === j.totals.belanja).length).toBeGreaterThanOrEqual(6);
    const kec = summary.find((r) => r[1] === "35.22.08")!;
    expect(moneyOf(kec[3])).toBe("4777.77");

    const lines = rowsOf(wb.getWorksheet("Rincian")!);
    const data = lines.filter((r) => typeof r[1] === "number");
    expect(data).toHaveLength(5);
    const label = (l: string) => lines.find((r) => r[3] === l)!;
    expect(moneyOf(label("JUMLAH BELANJA DAERAH")[12])).toBe(j.totals.belanja);
    expect(moneyOf(label("JUMLAH PENDAPATAN DAERAH")[12])).toBe(j.totals.pendapatan);
    expect(moneyOf(label("JUMLAH PENERIMAAN PEMBIAYAAN DAERAH")[12])).toBe(j.totals.financingReceipts);
    expect(moneyOf(label("SURPLUS/(DEFISIT)")[12])).toBe(j.totals.surplus);
    const pu = lines.find((r) => !r[1] && r[2] === PU && String(r[3]).startsWith("JUMLAH"))!;
    expect(moneyOf(pu[12])).toBe("14333.33");
    const aspal = data.find((r) => String(r[7]).startsWith("Aspal"))!;
    expect(aspal.slice(1, 14)).toEqual([expect.any(Number), PU, expect.any(String), ROAD, expect.any(String), "5.2.04.01.01.0003", "Aspal curah (penetrasi 60/70)", 1, "kg", "14333.33", 0, "14333.33", "DAK Fisik"]);
    // Lines add up to the sheet's own JUMLAH rows.
    expect(Money.sum(data.filter((r) => String(r[6]).startsWith("5")).map((r) => Money.idr(String(r[12])))).toString()).toBe(j.totals.belanja);
  });

  it("the line pages: the same items whatever the page size; the snapshot is let go when the reader stops early", async () => {
    const j = (await publicApbd(db.em(), T, YEAR))!;
    const read = async (size: number) => {
      const items: ApbdSheetItem[] = [];
      for await (const p of apbdSheetPages(db.em(), T, j.apbd.id, size)) items.push(...p);
      return items;
    };
    const whole = await read(1000);
    expect(await read(1)).toEqual(whole);
    expect(whole.filter((i) => i.kind === "section").map((i) => (i.kind === "section" ? [i.section, i.total] : null))).toEqual([
      ["pendapatan", "5000000.00"],
      ["belanja", "7814333.33"],
      ["penerimaan", "2000000.00"],
    ]);
    const pages = apbdSheetPages(db.em(), T, j.apbd.id, 1);
    expect((await pages.next()).done).toBe(false);
    await pages.return(undefined);
    const [{ n }] = await db.em().execute<{ n: string }[]>("select count(*)::text as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'");
    expect(n).toBe("0");
    // Another tenant's or an unknown id: nothing.
    expect((await apbdSheetPages(db.em(), "35.23", j.apbd.id).next()).done).toBe(true);
    expect((await apbdSheetPages(db.em(), T, "nope").next()).done).toBe(true);
  });

  it("aborts the download rather than hand out an OPD subtotal that disagrees with its lines", async () => {
    const summary = (await publicApbd(db.em(), T, YEAR))!;
    const line = { no: 1, section: "pendapatan" as const, opdCode: DINKES, opdName: "Dinkes", subCode: null, subName: null, accountCode: "4.1.02.01.01.0006", description: "R", spec: "", volume: "1", unit: "tahun", unitPrice: "5000000.00", taxPercent: "0", amount: "5000000.00", fundingSource: "PAD" };
    async function* wrong(): AsyncGenerator<ApbdSheetItem[]> {
      yield [
        { kind: "section", section: "pendapatan", total: "5000000.00" },
        { kind: "opd", section: "pendapatan", code: DINKES, name: "Dinkes", total: "4999999.99" },
        { kind: "line", line },
      ];
    }
    const out = streamApbdXlsx({ tenantName: "X", summary, pages: wrong() });
    await expect((async () => {
      for await (const _ of out) void _;
    })()).rejects.toThrow(/add up to 5000000.00, not 4999999.99/);
  });

  it("DPA Excel: number, amount with terbilang, lines per sub-activity, the cash plan by month and quarter; 403 for another OPD's officer", async () => {
    const tapdB = await signedIn("tapd");
    const res = await call(dpaLoader, tapdB.get(`/unduh/dpa/${dpaId}`), { id: dpaId });
    expect(res.status).toBe(200);
    const wb = await workbookOf(res);
    const rows = rowsOf(wb.getWorksheet("DPA")!);
    const value = (label: string) => rows.find((r) => r[1] === label)?.[2];
    expect(value("Nomor DPA")).toBe(`DPA-SKPD/${DINKES}/${YEAR}`);
    expect(moneyOf(value("Jumlah"))).toBe("7800000.00");
    expect(value("Terbilang")).toBe(terbilang("7800000.00"));
    expect(value("Terbilang")).toBe("tujuh juta delapan ratus ribu rupiah");
    expect(moneyOf(rows.find((r) => r[1] === "1.02.02.2.02.0004")![7])).toBe("7800000.00");
    expect(moneyOf(rows.find((r) => r[2] === "JUMLAH")![7])).toBe("7800000.00");
    const cash = rowsOf(wb.getWorksheet("Anggaran Kas")!);
    const head = cash.find((r) => r[1] === "Kode")!;
    expect(head.slice(3, 20)).toEqual(["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember", "Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV", "Jumlah"]);
    expect(cash.find((r) => r[1] === "Periode")![2]).toBe("per bulan");
    const total = cash.find((r) => r[2] === "JUMLAH")!;
    expect(total.slice(15, 20).map(moneyOf)).toEqual(["1200000.00", "1800000.00", "1800000.00", "3000000.00", "7800000.00"]);

    // Set per quarter instead, the sheet shows the four quarters and the year.
    await setCashPlan(db.em(), tapd, clock, dpaId, { period: "triwulan", plan: [{ subActivityId: subBalita, amounts: ["1000000", "2000000", "2000000", "2800000"] }] });
    const quarterly = rowsOf((await workbookOf(await call(dpaLoader, tapdB.get(`/unduh/dpa/${dpaId}`), { id: dpaId }))).getWorksheet("Anggaran Kas")!);
    expect(quarterly.find((r) => r[1] === "Periode")![2]).toBe("per triwulan");
    expect(quarterly.find((r) => r[1] === "Kode")!.slice(3)).toEqual(["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV", "Jumlah"]);
    expect(quarterly.find((r) => r[1] === "1.02.02.2.02.0004")!.slice(3).map(moneyOf)).toEqual(["1000000.00", "2000000.00", "2000000.00", "2800000.00", "7800000.00"]);
    expect(quarterly.find((r) => r[2] === "JUMLAH")!.slice(3).map(moneyOf)).toEqual(["1000000.00", "2000000.00", "2000000.00", "2800000.00", "7800000.00"]);
    expect(quarterly.some((r) => String(r[2] ?? "").startsWith("Catatan"))).toBe(false);

    expect((await call(dpaLoader, (await signedIn("opd.pu")).get(`/unduh/dpa/${dpaId}`), { id: dpaId })).status).toBe(403);
    expect((await call(dpaLoader, new Request(`http://localhost/unduh/dpa/${dpaId}`), { id: dpaId })).status).toBe(302);
    expect((await call(dpaLoader, tapdB.get("/unduh/dpa/nope"), { id: "nope" })).status).toBe(404);
  });

  it("after a pergeseran the page shows 'pergeseran ke-1' in force, with the versions before it", async () => {
    const shift = await reviseApbd(db.em(), tapd, clock, YEAR, "pergeseran", "Pergeseran antar rincian objek: tambahan narasumber");
    const lines = await db.em().execute<{ line_key: string; description: string }[]>("select line_key, description from budget_line where apbd_id = ? and kind = 'belanja'", [shift]);
    const key = (d: string) => lines.find((l) => l.description.startsWith(d))!.line_key;
    await changeBudgetLine(db.em(), tapd, clock, shift, key("Nasi"), { volume: "100", unitPrice: "35000" }, 1);
    await changeBudgetLine(db.em(), tapd, clock, shift, key("Honor"), { volume: "1", unitPrice: "4300000" }, 2);
    await moveApbd(db.em(), tapd, clock, shift, "enact", "Perkada Nomor 12 Tahun 2027", (await apbdVersions(db.em(), T, YEAR)).at(-1)!.version);
    const j = (await publicApbd(db.em(), T, YEAR))!;
    expect(j.apbd).toMatchObject({ id: shift, versionNo: 2, kind: "pergeseran", pergeseranNo: 1, legalBasis: "Perkada Nomor 12 Tahun 2027" });
    expect(j.versions.map((v) => [v.versionNo, v.kind])).toEqual([
      [1, "murni"],
      [2, "pergeseran"],
    ]);
    expect(j.totals.belanja).toBe("7814333.33");
    expect(j.spending.byGroup.map((g) => [g.code, g.total])).toEqual([
      ["5.1.02", "7800000.00"],
      ["5.2.04", "14333.33"],
    ]);
    // The DPA issued from version 1 still prints, from its own (locked) version.
    const res = await call(dpaLoader, (await signedIn("tapd")).get(`/unduh/dpa/${dpaId}`), { id: dpaId });
    expect(res.status).toBe(200);
  });
});
