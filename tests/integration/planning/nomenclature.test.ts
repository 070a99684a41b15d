import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, clock, T } from "../../support/musrenbang";
import { importNomenclatureFile } from "../../../imports/nomenclature/list";
import { findInForce, opdBidang, setInForce } from "../../../domain/nomenclature";
import { DomainError } from "../../../domain/kernel/domain-error";

const db = useTestDatabase("demo");
const count = async (sql: string) => Number((await db.em().execute<{ n: string }[]>(sql))[0].n);

async function xlsx(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Nomenklatur");
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("planning nomenclature and account codes as data", () => {
  it("ships the urusan and bidang urusan and the top account codes, and maps each demo OPD to its bidang", async () => {
    expect(await count("select count(*)::text n from nomenclature_item where level = 'urusan'")).toBe(8);
    expect(await count("select count(*)::text n from nomenclature_item where level = 'bidang'")).toBeGreaterThanOrEqual(40);
    expect(await count("select count(*)::text n from account_code where code in ('4','5','6','5.1.02','5.2.04')")).toBe(5);
    const map = await opdBidang(db.em(), T);
    expect(map["2.16.2.20.2.21.01.0000"]).toEqual(["2.16", "2.20", "2.21"]);
    expect(map["1.03.0.00.0.00.01.0000"]).toEqual(["1.03"]);
  });

  it("imports a list from Excel as a set versioned by decree and year; the set in force is the latest that applies", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const file = await xlsx([
      ["Kode", "Nomenklatur", "Kinerja", "Indikator", "Satuan"],
      ["1.03.10.2.01.0001", "Pembangunan Jalan (uji)", "Terbangunnya jalan", "Panjang jalan yang dibangun", "km"],
      ["1", "URUSAN WAJIB PELAYANAN DASAR", "", "", ""],
      ["1.03", "PEKERJAAN UMUM DAN PENATAAN RUANG", "", "", ""],
      ["1.03.10", "PROGRAM PENYELENGGARAAN JALAN", "", "", ""],
      ["1.03.10.2.01", "Penyelenggaraan Jalan Kabupaten/Kota", "", "", ""],
    ]);
    const out = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji 1/2029", appliesFrom: 2029 }, file, "uji.xlsx");
    expect(out).toMatchObject({ ok: true, count: 5 });
    expect((await setInForce(db.em(), "planning", 2028))?.decree).not.toBe("Uji 1/2029");
    expect((await setInForce(db.em(), "planning", 2030))?.decree).toBe("Uji 1/2029");
    expect(await findInForce(db.em(), 2030, "1.03.10.2.01.0001")).toMatchObject({ level: "sub_kegiatan", parent_code: "1.03.10.2.01", indicator: "Panjang jalan yang dibangun", unit: "km" });
    expect(await findInForce(db.em(), 2028, "1.03.10.2.01.0001")).toBeNull();
    await expect(importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji 1/2029", appliesFrom: 2029 }, file, "uji.xlsx")).rejects.toBeInstanceOf(DomainError);
  });

  it("reports every bad row by row and column and stores nothing", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const sets = await count("select count(*)::text n from nomenclature_set");
    const csv = ["kode,nama", "1,Urusan", "1.03,Bidang", "1.03.10,Program", "1.03.10,Program lagi", "1.05.02,Yatim piatu", "1.03.1,Salah", "1.03.10.2.01,"].join("\n");
    const out = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji 2/2030", appliesFrom: 2030 }, new TextEncoder().encode(csv), "uji.csv");
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map((e) => [e.row, e.column, e.key])).toEqual([
      [5, "A", "nomenclature.duplicate"],
      [6, "A", "nomenclature.orphan"],
      [7, "A", "nomenclature.codeFormat"],
      [8, "B", "nomenclature.nameRequired"],
    ]);
    expect(await count("select count(*)::text n from nomenclature_set")).toBe(sets);
  });

  it("refuses files it cannot read, a missing header, and people who may not manage the lists", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const h = { kind: "account" as const, decree: "Uji 3/2030", appliesFrom: 2030 };
    const bad = await importNomenclatureFile(db.em(), bappeda, clock, h, new Uint8Array([0xff, 0xfe, 0x00, 0x41]), "x.csv");
    expect(bad).toMatchObject({ ok: false, errors: [{ key: "nomenclature.fileUnreadable" }] });
    const junk = await importNomenclatureFile(db.em(), bappeda, clock, h, new Uint8Array([1, 2, 3, 4, 5]), "x.xlsx");
    expect(junk).toMatchObject({ ok: false, errors: [{ key: "nomenclature.fileUnreadable" }] });
    const noHeader = await importNomenclatureFile(db.em(), bappeda, clock, h, new TextEncoder().encode("x,y\n5,Belanja"), "x.csv");
    expect(noHeader).toMatchObject({ ok: false });
    const opd = await actorOf(db.em(), "opd.pu");
    await expect(importNomenclatureFile(db.em(), opd, clock, h, new TextEncoder().encode("kode,nama\n5,Belanja"), "x.csv")).rejects.toMatchObject({ key: "auth.forbidden" });
  });
});
