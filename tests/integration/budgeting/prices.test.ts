import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, clock, T } from "../../support/musrenbang";
import { importPriceListFile } from "../../../imports/budgeting/price-list";
import { seedDemoPrices } from "../../../imports/budgeting/demo";
import { listPriceLists, priceItem, priceListsInForce, searchPrices } from "../../../domain/budgeting/prices";
import { DomainError } from "../../../domain/kernel/domain-error";
import { Actor } from "../../../domain/identity/actor";
import { systemClock } from "../../../domain/kernel/clock";

const db = useTestDatabase("demo");
const count = async (sql: string, params: unknown[] = []) => Number((await db.em().execute<{ n: string }[]>(sql, params))[0].n);
const csv = (lines: string[]) => new TextEncoder().encode(lines.join("\n"));

async function xlsx(rows: (string | number | null | { formula: string; result: number })[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("SSH");
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const MAMIN = "5.1.02.01.01.0052";
const BAHAN = "5.1.02.01.01.0001";
const JALAN = "5.2.04.01.01.0003";

describe("standard price lists", () => {
  it("imports the demo SSH, HSPK and SBU lists for 2027, exactly, with one audit event per list; a second run changes nothing", async () => {
    const audits = await count("select count(*)::text n from audit_event where action = 'PriceListImported'");
    const out = await seedDemoPrices(db.em(), Actor.system(T, "seed-demo"));
    expect(out.created).toEqual(["SSH", "HSPK", "SBU"]);
    const lists = await listPriceLists(db.em(), T);
    expect(lists.map((l) => [l.kind, l.fiscalYear, l.itemCount])).toEqual([
      ["HSPK", 2027, 57],
      ["SBU", 2027, 38],
      ["SSH", 2027, 202],
    ]);
    expect(await count("select count(*)::text n from price_item where tenant_code = ?", [T])).toBe(297);
    const [semen] = await db.em().execute<{ price: string; accounts: string[]; unit: string }[]>("select price::text, accounts, unit from price_item where code = 'SSH.01.01.0001'");
    expect(semen).toMatchObject({ price: "72500.00", unit: "zak" });
    expect(semen.accounts).toContain(BAHAN);
    expect(await count("select count(*)::text n from audit_event where action = 'PriceListImported'")).toBe(audits + 3);
    const [event] = await db.em().execute<{ after: { kind: string; items: number; fiscalYear: number } }[]>(
      "select after from audit_event where action = 'PriceListImported' and entity_id = ?",
      [lists.find((l) => l.kind === "SSH")!.id],
    );
    expect(event.after).toMatchObject({ kind: "SSH", fiscalYear: 2027, items: 202 });
    expect((await seedDemoPrices(db.em(), Actor.system(T, "seed-demo"))).created).toEqual([]);
  });

  it("reads Excel with a title above the header, Indonesian and plain prices and exact numeric cells", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    const file = await xlsx([
      ["STANDAR SATUAN HARGA KABUPATEN UJI TAHUN ANGGARAN 2031"],
      [],
      ["No", "Kode Barang", "Nama Barang", "Spek", "Satuan", "Harga (Rp)", "Rekening"],
      [1, "UJI.001", "Aspal uji", "Pen 60/70", "kg", "1.250.000,50", `${BAHAN}; ${JALAN}`],
      [2, "UJI.002", "Batu uji", "", "m3", 1250000.5, BAHAN],
      [3, "UJI.003", "Semen uji", "50 kg", "zak", "1250000.50", `${BAHAN}\n${JALAN}`],
      [4, "UJI.004", "Pasir uji", "", "m3", { formula: "0.1*3", result: 0.1 + 0.2 }, BAHAN],
      [null],
      [5, "UJI.005", "Rapat uji", "", "kotak", "Rp 35.000,-", MAMIN],
    ]);
    const out = await importPriceListFile(db.em(), tapd, clock, { kind: "SSH", fiscalYear: 2031, decree: "Perbup Uji 1/2030" }, file, "ssh.xlsx");
    expect(out).toMatchObject({ ok: true, count: 5 });
    const rows = await db.em().execute<{ code: string; price: string; spec: string; accounts: string[] }[]>(
      "select i.code, i.price::text, i.spec, i.accounts from price_item i join price_list l on l.id = i.list_id where l.decree = 'Perbup Uji 1/2030' order by i.code",
    );
    expect(rows.map((r) => [r.code, r.price])).toEqual([
      ["UJI.001", "1250000.50"],
      ["UJI.002", "1250000.50"],
      ["UJI.003", "1250000.50"],
      ["UJI.004", "0.30"],
      ["UJI.005", "35000.00"],
    ]);
    expect(rows[0]).toMatchObject({ spec: "Pen 60/70", accounts: [BAHAN, JALAN] });
    expect(rows[2].accounts).toEqual([BAHAN, JALAN]);
    const [list] = await db.em().execute<{ source: string; imported_by: string }[]>("select source, imported_by from price_list where decree = 'Perbup Uji 1/2030'");
    expect(list).toEqual({ source: "ssh.xlsx", imported_by: "tapd" });
  });

  it("refuses a file full of errors, naming row and column, and stores nothing", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    const before = [await count("select count(*)::text n from price_list"), await count("select count(*)::text n from price_item"), await count("select count(*)::text n from audit_event")];
    const file = csv([
      "kode,uraian,spesifikasi,satuan,harga satuan,kode rekening",
      `A1,Semen,50 kg,zak,72.500,${BAHAN}`,
      `A2,Pasir,,m3,"12,5x",${BAHAN}`,
      `A1,Semen lagi,,zak,1000,${BAHAN}`,
      `A3,Batu,,m3,1000,5.1.02.01.01.0099`,
      `A4,Gaji,,bulan,1000,4.1.01.01.01.0001`,
      `A5,Kerikil,,,1000,${BAHAN}`,
      `A6,Bata,,buah,"1.250,505",${BAHAN}`,
      `A7,Paku,,kg,1000,`,
      `A8,Cat,,kg,-5000,5.1.02`,
    ]);
    const out = await importPriceListFile(db.em(), tapd, clock, { kind: "SSH", fiscalYear: 2030, decree: "Perbup Salah 1/2029" }, file, "salah.csv");
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map((e) => [e.row, e.column, e.header, e.key])).toEqual([
      [3, "E", "harga satuan", "price.priceFormat"],
      [4, "A", "kode", "price.codeDuplicate"],
      [5, "F", "kode rekening", "price.accountUnknown"],
      [6, "F", "kode rekening", "price.accountNotBelanja"],
      [7, "D", "satuan", "price.unitRequired"],
      [8, "E", "harga satuan", "price.priceDecimals"],
      [9, "F", "kode rekening", "price.accountRequired"],
      [10, "E", "harga satuan", "price.priceNegative"],
      [10, "F", "kode rekening", "price.accountFormat"],
    ]);
    expect(out.errors[1].params).toMatchObject({ code: "A1", first: 2 });
    expect(out.errors[2].params).toMatchObject({ account: "5.1.02.01.01.0099", year: 2030 });
    const after = [await count("select count(*)::text n from price_list"), await count("select count(*)::text n from price_item"), await count("select count(*)::text n from audit_event")];
    expect(after).toEqual(before);
  });

  it("refuses missing columns, a list imported twice, a bad kind or year, and anyone but TAPD or the admin", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    const header = { kind: "SBU", fiscalYear: 2030, decree: "Perbup Dua 2/2029" };
    const noPrice = await importPriceListFile(db.em(), tapd, clock, header, csv(["kode,nama,satuan,akun", `X,Y,kg,${BAHAN}`]), "x.csv");
    expect(noPrice).toMatchObject({ ok: false, errors: [{ row: 1, key: "import.header.missing", params: { header: "Harga" } }] });
    const good = csv(["kode,nama,satuan,harga,akun", `X,Honor uji,OJ,900.000,5.1.02.02.01.0003`]);
    expect(await importPriceListFile(db.em(), tapd, clock, header, good, "x.csv")).toMatchObject({ ok: true, count: 1 });
    const again = importPriceListFile(db.em(), tapd, clock, { ...header, decree: "  Perbup  Dua 2/2029 " }, good, "x.csv");
    await expect(again).rejects.toMatchObject({ key: "price.listExists", kind: "conflict", field: "decree" });
    await expect(importPriceListFile(db.em(), tapd, clock, { ...header, kind: "XYZ" }, good, "x.csv")).rejects.toMatchObject({ key: "price.kindInvalid", field: "kind" });
    await expect(importPriceListFile(db.em(), tapd, clock, { ...header, fiscalYear: "20x0" }, good, "x.csv")).rejects.toMatchObject({ key: "fiscalYear.invalid", field: "year" });
    await expect(importPriceListFile(db.em(), tapd, clock, { ...header, decree: " " }, good, "x.csv")).rejects.toMatchObject({ key: "price.decreeRequired" });
    await expect(importPriceListFile(db.em(), tapd, clock, { ...header, decree: "Kosong" }, csv(["kode,nama,satuan,harga,akun"]), "x.csv")).rejects.toMatchObject({ key: "price.empty" });
    const opd = await actorOf(db.em(), "opd.pu");
    await expect(importPriceListFile(db.em(), opd, clock, { ...header, decree: "Lain" }, good, "x.csv")).rejects.toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    const admin = await actorOf(db.em(), "admin");
    expect(await importPriceListFile(db.em(), admin, clock, { ...header, decree: "Lain" }, good, "x.csv")).toMatchObject({ ok: true });
    const unreadable = await importPriceListFile(db.em(), tapd, clock, { ...header, decree: "Rusak" }, new Uint8Array([1, 2, 3]), "x.xlsx");
    expect(unreadable).toMatchObject({ ok: false, errors: [{ key: "price.fileUnreadable" }] });
  });

  it("searches the lists in force by words, code prefix and account, best first", async () => {
    const em = db.em();
    const semen = await searchPrices(em, T, { q: "semen", year: 2027 });
    expect(semen.length).toBeGreaterThanOrEqual(3);
    expect(semen[0].name).toMatch(/^Semen/);
    expect(semen.every((s) => /semen/i.test(`${s.name} ${s.spec}`))).toBe(true);
    expect(semen[0]).toMatchObject({ kind: "SSH", fiscalYear: 2027 });
    expect(typeof semen[0].price).toBe("string");

    const words = await searchPrices(em, T, { q: "pcc 50", year: 2027 });
    expect(words[0].code).toBe("SSH.01.01.0001"); // every word found comes before near spellings
    const typo = await searchPrices(em, T, { q: "semen portlan", year: 2027 });
    expect(typo.map((w) => w.code)).toContain("SSH.01.01.0001");

    const besi = await searchPrices(em, T, { q: "SSH.01.02", year: 2027, limit: 50 });
    expect(besi.length).toBe(11);
    expect(besi.every((b) => b.code.startsWith("SSH.01.02."))).toBe(true);
    const exact = await searchPrices(em, T, { q: "SSH.01.02.0003", year: 2027 });
    expect(exact[0]).toMatchObject({ code: "SSH.01.02.0003", name: "Besi beton ulir", price: "15250.00" });

    const macadam = await searchPrices(em, T, { q: "penetrasi macadam", year: 2027 });
    expect(macadam[0]).toMatchObject({ kind: "HSPK", unit: "m2", price: "168000.00" });

    const rapat = await searchPrices(em, T, { q: "", year: 2027, account: MAMIN, limit: 50 });
    expect(rapat.length).toBe(6);
    expect(rapat.every((r) => r.accounts.includes(MAMIN))).toBe(true);
    const nasi = await searchPrices(em, T, { q: "nasi", year: 2027, account: MAMIN });
    expect(nasi.map((n) => n.code)).toEqual(["SSH.05.01.0001"]);
    expect(await searchPrices(em, T, { q: "nasi", year: 2027, account: BAHAN })).toEqual([]);
    await expect(searchPrices(em, T, { q: "", year: 2027, account: "5.1.x" })).rejects.toBeInstanceOf(DomainError);

    expect((await searchPrices(em, T, { q: "", year: 2027, limit: 500 })).length).toBe(50);
    expect(await searchPrices(em, T, { q: "%", year: 2027 })).toEqual([]); // a wildcard is a character, not "everything"
    expect(await searchPrices(em, T, { q: "_", year: 2027 })).toEqual([]);
    expect(await searchPrices(em, T, { q: "semen", year: 2026 })).toEqual([]);
    expect((await searchPrices(em, T, { q: "semen", year: 2029 }))[0].fiscalYear).toBe(2027);
    expect(await searchPrices(em, "35.23", { q: "semen", year: 2027 })).toEqual([]);
  });

  it("uses, per kind, the latest list for the year: a later decree for 2027 replaces the SSH items searched", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    const file = csv(["kode,uraian,satuan,harga,akun", `SSH.01.01.0001,Semen PCC perubahan,zak,75.000,${BAHAN}`]);
    expect(await importPriceListFile(db.em(), tapd, systemClock, { kind: "SSH", fiscalYear: 2027, decree: "Perubahan SSH 2027" }, file, "p.csv")).toMatchObject({ ok: true });
    const inForce = await priceListsInForce(db.em(), T, 2027);
    expect(inForce.map((l) => [l.kind, l.decree])).toEqual([
      ["HSPK", expect.stringContaining("Harga Satuan Pokok Kegiatan")],
      ["SBU", expect.stringContaining("Standar Biaya Umum")],
      ["SSH", "Perubahan SSH 2027"],
    ]);
    const semen = await searchPrices(db.em(), T, { q: "semen", year: 2027 });
    expect(semen.map((s) => [s.code, s.price])).toEqual([
      ["SSH.01.01.0001", "75000.00"],
      ["HSPK.01.01.0012", "1795000.00"],
    ]);
    expect((await searchPrices(db.em(), T, { q: "macadam", year: 2027 })).length).toBe(1);
  });

  it("gives one item with its list's kind and year and the price as Money", async () => {
    const [hit] = await searchPrices(db.em(), T, { q: "HSPK.02.01.0001", year: 2027 });
    const item = await priceItem(db.em(), T, hit.id);
    expect(item).toMatchObject({ code: "HSPK.02.01.0001", name: "Pekerjaan beton K-225", kind: "HSPK", fiscalYear: 2027, unit: "m3" });
    expect(item!.price.toString()).toBe("1465000.00");
    expect(item!.decree).toContain("Harga Satuan Pokok Kegiatan");
    expect(await priceItem(db.em(), "35.23", hit.id)).toBeNull();
    expect(await priceItem(db.em(), T, "not-a-uuid")).toBeNull();
    expect(await priceItem(db.em(), T, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });
});
