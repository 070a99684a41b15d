import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, clock, PU } from "../../support/musrenbang";
import { importNomenclatureFile } from "../../../imports/nomenclature/list";
import { importRenjaSheet } from "../../../imports/planning/renja-sheet";
import { streamRkpdXlsx } from "../../../exports/xlsx/rkpd";
import { addSubActivity, openRenja, renjaDetail, rkpd, setPlanCeiling } from "../../../domain/planning";

const db = useTestDatabase("demo");
const YEAR = 2027;
let renjaId = "";

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}
async function sheet(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Renja");
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
const audit = async () => Number((await db.em().execute<{ n: string }[]>("select count(*)::text n from audit_event"))[0].n);

beforeAll(async () => {
  const bappeda = await actorOf(db.em(), "bappeda");
  const list = "kode,nama,kinerja,indikator,satuan\n1,U,,,\n1.03,PU,,,\n1.03.10,Program Jalan (uji),,,\n1.03.10.2.01,Kegiatan Jalan (uji),,,\n1.03.10.2.01.0001,Pembangunan Jalan (uji),,Panjang jalan,km\n1.03.10.2.01.0002,Rehabilitasi Jalan (uji),,Panjang jalan,km";
  expect((await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji impor", appliesFrom: YEAR }, new TextEncoder().encode(list), "x.csv")).ok).toBe(true);
  await setPlanCeiling(db.em(), bappeda, clock, YEAR, PU, "3000000000");
  renjaId = await openRenja(db.em(), bappeda, clock, YEAR, PU);
  await addSubActivity(db.em(), bappeda, clock, renjaId, { subKegiatan: "1.03.10.2.01.0001", target: "2.5", locations: ["35.22.06"], ceiling: "1000000000.50", fundingSource: "DAU", proposals: [] });
});

describe("Renja import from the RKPD/Renja Excel layout", () => {
  it("an exported Renja imported back changes nothing", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const data = await rkpd(db.em(), "35.22", YEAR, PU);
    const file = await bytesOf(streamRkpdXlsx({ ...data, tenantName: "Kabupaten Bojonegoro" }));
    const before = await audit();
    expect(await importRenjaSheet(db.em(), opd, clock, renjaId, file, "renja.xlsx")).toEqual({ ok: true, added: 0, unchanged: 1 });
    expect(await audit()).toBe(before);
  });

  it("adds new rows through the form's use case, all or nothing, and reports every bad cell by row and column", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const head = ["Kode", "Uraian", "Indikator", "Target", "Satuan", "Lokasi", "Pagu Indikatif (Rp)", "Sumber Dana", "Usulan Musrenbang"];
    const bad = await sheet([head, ["1.03.10.2.01.0002", "x", "", "4", "km", "35.22.06", "1,2,3", "DAU", "TIDAK-ADA-001"]]);
    const out = await importRenjaSheet(db.em(), opd, clock, renjaId, bad, "r.xlsx");
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.errors.map((e) => [e.row, e.column, e.key])).toEqual([
        [2, "G", "money.format"],
        [2, "I", "musrenbang.usulan.notFound"],
      ]);
    const over = await sheet([head, ["1.03.10.2.01.0002", "x", "", "4", "km", "35.22.06", "2500000000", "DAU", ""]]);
    const o = await importRenjaSheet(db.em(), opd, clock, renjaId, over, "r.xlsx");
    expect(o).toMatchObject({ ok: false, errors: [{ row: 2, column: "G", key: "planning.ceilingExceeded" }] });
    const unknownCode = await sheet([head, ["1.03.10.2.01.0002", "x", "", "4", "km", "35.22.06", "5000", "DAU", "2027-XX-001"]]);
    expect(await importRenjaSheet(db.em(), opd, clock, renjaId, unknownCode, "r.xlsx")).toMatchObject({ ok: false, errors: [{ row: 2, column: "I" }] });
    expect((await renjaDetail(db.em(), renjaId)).subs).toHaveLength(1);
    const good = await sheet([head, ["1.03.10.2.01.0002", "x", "", "4", "km", "35.22.06.2001, 35.22.06", "1.500.000.000", "DAK Fisik", ""]]);
    expect(await importRenjaSheet(db.em(), opd, clock, renjaId, good, "r.xlsx")).toEqual({ ok: true, added: 1, unchanged: 0 });
    expect((await renjaDetail(db.em(), renjaId)).planned).toBe("2500000000.50");
  });

  it("refuses a changed existing row and an unreadable file", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const changed = await sheet([["Kode", "Target", "Lokasi", "Pagu", "Sumber Dana"], ["1.03.10.2.01.0001", "3", "35.22.06", "1000000000.50", "DAU"]]);
    expect(await importRenjaSheet(db.em(), opd, clock, renjaId, changed, "r.xlsx")).toMatchObject({ ok: false, errors: [{ row: 2, key: "planning.import.existsChanged" }] });
    expect(await importRenjaSheet(db.em(), opd, clock, renjaId, new Uint8Array([1, 2, 3]), "r.xlsx")).toMatchObject({ ok: false });
  });
});
