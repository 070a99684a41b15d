import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, aProposal, clock, DINKES, NGUNUT } from "../../support/musrenbang";
import { DomainError } from "../../../domain/kernel/domain-error";
import { Money } from "../../../domain/kernel/money";
import type { Actor } from "../../../domain/identity/actor";
import { Forum, Proposal, editProposal, moveForum, parseRupiah, raiseProposal, rankedList, scheduleYear } from "../../../domain/musrenbang";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { FORUM_COLUMNS, FORUM_SHEET, writeForumTemplate, writeRankedList } from "../../../exports/xlsx/musrenbang";
import { forumTemplateData } from "../../../exports/xlsx/musrenbang-data";
import { cellText, importForumSheet, type ForumSheetResult, type SheetError } from "../../../imports/musrenbang/forum-sheet";

const db = useTestDatabase("demo");
const YEAR = 2031; // clear of the demo cycles (imports/demo/musrenbang.ts)
const NEIGHBOUR = "35.22.06.2002";
const win = { opensAt: new Date(Date.UTC(2026, 0, 1)), closesAt: new Date(Date.UTC(2026, 0, 20)) };

let fasil: Actor;
let ngunut: string;
let neighbourForum: string;
let otherCode: string;

const forum = (regionCode: string) => db.em().findOneOrFail(Forum, { fiscalYear: YEAR, level: "desa", regionCode });
const proposals = async () => db.em().find(Proposal, { originForumId: ngunut }, { orderBy: { code: "asc" } });
const count = async (sql: string) => Number((await db.em().execute<{ n: string }[]>(sql))[0].n);
const counts = async () => ({ proposals: await count("select count(*)::text n from proposal"), audit: await count("select count(*)::text n from audit_event") });

async function template(forumId = ngunut, actor = fasil): Promise<Buffer> {
  return writeForumTemplate(await forumTemplateData(db.em(), actor, forumId));
}
async function edited(buffer: Buffer, change: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  change(wb.getWorksheet(FORUM_SHEET.usulan)!, wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function rowOf(ws: ExcelJS.Worksheet, code: string): ExcelJS.Row {
  for (let i = 2; i <= ws.rowCount; i++) if (cellText(ws.getRow(i).getCell(1).value) === code) return ws.getRow(i);
  throw new Error(`no row for ${code}`);
}
const cellOf = (ws: ExcelJS.Worksheet, row: ExcelJS.Row, header: string) => {
  let col = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (cellText(c.value) === header) col = i;
  });
  if (!col) throw new Error(`no column ${header}`);
  return row.getCell(col);
};
function newRow(ws: ExcelJS.Worksheet, over: Record<string, string | number> = {}): ExcelJS.Row {
  const p = aProposal();
  const values: Record<string, string | number> = {
    Judul: p.title,
    Permasalahan: p.problem,
    Jenis: p.kind,
    "Kelompok Bidang": p.thematicGroup,
    "Bidang Urusan": p.bidangUrusan,
    "OPD Tujuan": p.targetOpd,
    Alamat: p.address!,
    RT: p.rt!,
    RW: p.rw!,
    Volume: 120,
    Satuan: "m",
    "Perkiraan Biaya (Rp)": 95_000_000,
    "Penerima Manfaat": 80,
    ...over,
  };
  const row = ws.getRow(ws.actualRowCount + 1);
  const headers = new Set<string>();
  ws.getRow(1).eachCell((c) => headers.add(cellText(c.value)));
  for (const [h, v] of Object.entries(values)) if (headers.has(h)) cellOf(ws, row, h).value = v;
  row.commit();
  return row;
}
async function importAs(buffer: Buffer, actor = fasil, forumId = ngunut): Promise<ForumSheetResult> {
  return importForumSheet(db.em(), actor, clock, forumId, buffer);
}
const errorsOf = (r: ForumSheetResult): SheetError[] => {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  return (r as { errors: SheetError[] }).errors;
};

describe("the offline forum's Excel file", () => {
  beforeAll(async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    await scheduleYear(db.em(), bappeda, clock, { fiscalYear: YEAR, windows: { desa: win } });
    fasil = await actorOf(db.em(), "fasil.desa");
    const f = await forum(NGUNUT);
    ngunut = f.id;
    await moveForum(db.em(), fasil, clock, f.id, "open", f.version);
    await raiseProposal(db.em(), fasil, clock, f.id, aProposal());
    await raiseProposal(db.em(), fasil, clock, f.id, aProposal({ estimatedCost: "1250000,50", lat: "-7.150123", lng: "111.880456", rt: "003", targetOpd: DINKES, bidangUrusan: "1.02", kind: "nonfisik", thematicGroup: "sosial_budaya" }));
    await raiseProposal(db.em(), fasil, clock, f.id, aProposal({ volume: "12.3456", problem: "Saluran tersumbat;\nair meluap ke rumah warga saat hujan deras." }));
    const neighbour = actorWith("desa_facilitator", "desa", NEIGHBOUR);
    const n = await forum(NEIGHBOUR);
    neighbourForum = n.id;
    await moveForum(db.em(), neighbour, clock, n.id, "open", n.version);
    otherCode = (await raiseProposal(db.em(), neighbour, clock, n.id, aProposal())).code;
  });

  it("exports every existing proposal and imports the untouched file as unchanged, writing nothing", async () => {
    const file = await template();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as never);
    expect(wb.worksheets.map((s) => [s.name, s.state])).toEqual([
      ["Usulan", "visible"],
      ["Petunjuk", "visible"],
      ["Referensi", "visible"],
      ["Meta", "veryHidden"],
    ]);
    const ws = wb.getWorksheet("Usulan")!;
    expect(cellText(ws.getRow(1).getCell(1).value)).toBe("Kode Usulan");
    expect(cellText(ws.getRow(1).getCell(17).value)).toBe("Nilai: Urgensi / tingkat kebutuhan");
    const second = rowOf(ws, `${YEAR}-${NGUNUT}-002`);
    expect(cellOf(ws, second, "Perkiraan Biaya (Rp)").value).toBe("1250000.50");
    expect(cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-001`), "Perkiraan Biaya (Rp)").value).toBe(150_000_000);
    expect(cellOf(ws, second, "RT").value).toBe("003");

    const before = await counts();
    const versions = (await proposals()).map((p) => p.version);
    expect(await importAs(file)).toEqual({ ok: true, created: 0, updated: 0, scored: 0, unchanged: 3 });
    expect(await counts()).toEqual(before);
    expect((await proposals()).map((p) => p.version)).toEqual(versions);
  });

  it("applies exactly the two cells edited", async () => {
    const before = await counts();
    const file = await edited(await template(), (ws) => {
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-001`), "Judul").value = "Pengaspalan jalan dusun Krajan";
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-003`), "Perkiraan Biaya (Rp)").value = "175.000.000,25";
    });
    expect(await importAs(file)).toEqual({ ok: true, created: 0, updated: 2, scored: 0, unchanged: 1 });
    const [a, b, c] = await proposals();
    expect(a.title).toBe("Pengaspalan jalan dusun Krajan");
    expect(String(b.estimatedCost)).toBe("1250000.50");
    expect(String(c.estimatedCost)).toBe("175000000.25");
    expect(await counts()).toEqual({ proposals: before.proposals, audit: before.audit + 2 });
    const edits = await db.em().execute<{ entity_id: string; after: Record<string, unknown> }[]>("select entity_id, after from audit_event where action = 'ProposalEdited' order by id");
    expect(edits.map((e) => [e.entity_id, Object.keys(e.after)])).toEqual([
      [a.id, ["title"]],
      [c.id, ["estimatedCost"]],
    ]);
  });

  it("creates the new rows through raiseProposal, numbering them after the existing ones", async () => {
    const before = await counts();
    const file = await edited(await template(), (ws) => {
      newRow(ws, { Judul: "Rehabilitasi balai dusun Ngrancang" });
      newRow(ws, { Judul: "Pelatihan kader posyandu", Jenis: "nonfisik", "OPD Tujuan": `${DINKES} — Dinas Kesehatan`, "Bidang Urusan": "1.02 — Kesehatan", "Perkiraan Biaya (Rp)": "25.000.000" });
    });
    expect(await importAs(file)).toEqual({ ok: true, created: 2, updated: 0, scored: 0, unchanged: 3 });
    const all = await proposals();
    expect(all.map((p) => p.code).slice(3)).toEqual([`${YEAR}-${NGUNUT}-004`, `${YEAR}-${NGUNUT}-005`]);
    expect(all[4].title).toBe("Pelatihan kader posyandu");
    expect(String(all[4].estimatedCost)).toBe("25000000.00");
    expect(all[4].bidangUrusan).toBe("1.02");
    expect(await counts()).toEqual({ proposals: before.proposals + 2, audit: before.audit + 2 });
    expect(await importAs(await template())).toMatchObject({ ok: true, unchanged: 5 });
  });

  it("reports every bad cell by Excel row and column, and applies nothing", async () => {
    const before = await counts();
    let newRowNumber = 0;
    const file = await edited(await template(), (ws) => {
      ws.spliceColumns(8, 1); // "Alamat" deleted: later columns move one letter left
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-001`), "Jenis").value = "jembatan";
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-002`), "OPD Tujuan").value = "9.99.9";
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-003`), "Perkiraan Biaya (Rp)").value = "abc";
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-004`), "Nilai: Kesiapan (lahan, dokumen, swadaya)").value = 7;
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-005`), "Judul").value = "Judul lain yang sah"; // valid on its own: must not be applied
      const stranger = newRow(ws);
      cellOf(ws, stranger, "Kode Usulan").value = otherCode;
      newRowNumber = newRow(ws, { "Penerima Manfaat": 10.5 }).number;
    });
    const errors = errorsOf(await importAs(file));
    const r = (code: string) => 1 + Number(code.slice(-3));
    expect(errors.map((e) => [e.row, e.column, e.header, e.key])).toEqual([
      [1, "H", "Alamat", "import.header.missing"],
      [r("001"), "D", "Jenis", "musrenbang.usulan.kindUnknown"],
      [r("002"), "G", "OPD Tujuan", "opd.unknown"],
      [r("003"), "N", "Perkiraan Biaya (Rp)", "money.format"],
      [r("004"), "S", "Nilai: Kesiapan (lahan, dokumen, swadaya)", "musrenbang.score.range"],
      [newRowNumber - 1, "A", "Kode Usulan", "import.row.unknownCode"],
      [newRowNumber, "O", "Penerima Manfaat", "import.row.wholeNumber"],
    ]);
    expect(errors.find((e) => e.key === "musrenbang.score.range")!.params).toEqual({ value: "7" });
    expect(errors.find((e) => e.key === "import.row.unknownCode")!.params).toEqual({ code: otherCode });
    expect(await counts()).toEqual(before);
    expect((await proposals())[4].title).toBe("Pelatihan kader posyandu");
  });

  it("refuses another forum's file, a file that is no workbook, and a workbook that is no template", async () => {
    const before = await counts();
    const neighbourFile = await template(neighbourForum, actorWith("desa_facilitator", "desa", NEIGHBOUR));
    expect(errorsOf(await importAs(neighbourFile))).toEqual([
      { row: 0, column: "", header: "", key: "import.meta.wrongForum", params: { forum: `${(await forum(NEIGHBOUR)).name} ${YEAR}` } },
    ]);
    expect(errorsOf(await importAs(randomBytes(4096)))).toEqual([{ row: 0, column: "", header: "", key: "import.file.unreadable" }]);
    expect(errorsOf(await importAs(Buffer.from("Kode Usulan,Judul\n,Jalan\n")))[0].key).toBe("import.file.unreadable");
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet("Usulan").addRow(FORUM_COLUMNS.map((c) => c.header));
    expect(errorsOf(await importAs(Buffer.from(await plain.xlsx.writeBuffer())))[0].key).toBe("import.meta.missing");
    expect(await counts()).toEqual(before);
  });

  it("names duplicate and unknown headers and a code used twice", async () => {
    const file = await edited(await template(), (ws) => {
      ws.getRow(1).getCell(14).value = "Judul";
      ws.getRow(1).getCell(21).value = "Catatan";
      ws.getRow(1).commit();
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-003`), "Kode Usulan").value = `${YEAR}-${NGUNUT}-002`;
    });
    expect(errorsOf(await importAs(file)).map((e) => [e.row, e.column, e.key, e.params])).toEqual([
      [1, "N", "import.header.duplicate", { header: "Judul", first: "B" }],
      [1, "N", "import.header.missing", { header: "Satuan" }],
      [1, "U", "import.header.unknown", { header: "Catatan" }],
      [4, "A", "import.row.duplicateCode", { code: `${YEAR}-${NGUNUT}-002`, first: 3 }],
    ]);
  });

  it("refuses to overwrite a proposal changed online after the file was downloaded", async () => {
    const file = await edited(await template(), (ws) => {
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-003`), "Satuan").value = "meter";
    });
    const p = (await proposals())[2];
    const online = await editProposal(db.em(), fasil, clock, p.id, { ...aProposal(), title: p.title, problem: p.problem, volume: p.volume, estimatedCost: String(p.estimatedCost), beneficiaries: "999" }, p.version);
    expect(online.changed).toContain("beneficiaries");
    const before = await counts();
    const errors = errorsOf(await importAs(file));
    expect(errors.map((e) => [e.row, e.column, e.key])).toEqual([[4, "A", "import.row.stale"]]);
    expect(await counts()).toEqual(before);
    expect(await importAs(await template())).toMatchObject({ ok: true, unchanged: 5 });
  });

  it("refuses (403) someone who does not run the forum, before reading the file", async () => {
    const kec = await actorOf(db.em(), "fasil.kecamatan");
    const e = await importAs(randomBytes(10), kec).then(
      () => null,
      (x) => x,
    );
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe("forbidden");
  });

  it("rolls back every row when the last one fails while applying", async () => {
    await db.em().execute(`create function refuse_marked() returns trigger language plpgsql as $$
      begin if new.title like 'GAGAL%' then raise exception 'refused for the test'; end if; return new; end $$`);
    await db.em().execute("create trigger refuse_marked before insert on proposal for each row execute function refuse_marked()");
    try {
      const before = await counts();
      const titles = (await proposals()).map((p) => p.title);
      const file = await edited(await template(), (ws) => {
        cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-002`), "Judul").value = "Posyandu balita dusun Krajan";
        newRow(ws, { Judul: "Sumur bor dusun Ngrancang" });
        newRow(ws, { Judul: "GAGAL: baris terakhir" });
      });
      await expect(importAs(file)).rejects.toThrow(/refused for the test/);
      expect(await counts()).toEqual(before);
      expect((await proposals()).map((p) => p.title)).toEqual(titles);
    } finally {
      await db.em().execute("drop trigger refuse_marked on proposal; drop function refuse_marked()");
    }
  });

  it("while scoring: takes complete scores, refuses edits, new rows and half-scored rows", async () => {
    let f = await forum(NGUNUT);
    await moveForum(db.em(), fasil, clock, f.id, "startScoring", f.version);
    const before = await counts();
    const scoreAll = (ws: ExcelJS.Worksheet) => {
      for (let i = 2; i <= ws.actualRowCount; i++) for (let c = 17; c <= 20; c++) ws.getRow(i).getCell(c).value = 1 + ((i + c) % 5);
    };
    const bad = await edited(await template(), (ws) => {
      scoreAll(ws);
      cellOf(ws, rowOf(ws, `${YEAR}-${NGUNUT}-001`), "Satuan").value = "km";
      rowOf(ws, `${YEAR}-${NGUNUT}-002`).getCell(19).value = null;
      newRow(ws);
    });
    const errors = errorsOf(await importAs(bad));
    expect(errors.map((e) => [e.row, e.column, e.key])).toEqual([
      [2, "N", "import.row.notEditable"],
      [3, "S", "musrenbang.score.missing"],
      [7, "A", "import.forum.notOpen"],
    ]);
    expect(await counts()).toEqual(before);

    const good = await edited(await template(), scoreAll);
    expect(await importAs(good)).toEqual({ ok: true, created: 0, updated: 0, scored: 5, unchanged: 0 });
    expect(await counts()).toEqual({ proposals: before.proposals, audit: before.audit + 5 });
    expect(await importAs(await template())).toEqual({ ok: true, created: 0, updated: 0, scored: 0, unchanged: 5 });
    expect(await importAs(good)).toEqual({ ok: true, created: 0, updated: 0, scored: 0, unchanged: 5 });
    f = await forum(NGUNUT);
    expect(f.status).toBe("scoring");
    expect((await verifyAuditChain(db.em(), db.tenant)).ok).toBe(true);
  });

  it("exports the ranked list with a totals row equal to the Decimal sum of the costs", async () => {
    const data = await rankedList(db.em(), fasil, ngunut);
    expect(data.list.length).toBe(5);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeRankedList(data, { t: (k) => (k === "mus.status.submitted" ? "Diajukan di forum desa" : k) })) as never);
    const ws = wb.worksheets[0];
    expect(cellText(ws.getRow(1).getCell(1).value)).toContain(`Tahun ${YEAR}`);
    expect(cellText(ws.getRow(3).getCell(1).value)).toBe("Peringkat");
    const body = Array.from({ length: data.list.length }, (_, i) => ws.getRow(4 + i));
    expect(body.map((r) => r.getCell(1).value)).toEqual([1, 2, 3, 4, 5]);
    expect(body.map((r) => cellText(r.getCell(2).value))).toEqual(data.list.map((p) => p.code));
    expect(cellText(body[0].getCell(11).value)).toBe("Diajukan di forum desa");
    const totals = ws.getRow(4 + data.list.length);
    expect(cellText(totals.getCell(1).value)).toMatch(/^Jumlah/);
    const expected = Money.sum(data.list.map((p) => Money.idr(p.estimatedCost)));
    expect(expected.toString()).toBe("446250000.75");
    expect(totals.getCell(8).value).toBe("446250000.75");
    expect(parseRupiah(cellText(totals.getCell(8).value)).equals(expected)).toBe(true);
  });
});
