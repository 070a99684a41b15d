import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, PU, T } from "../../support/musrenbang";
import { importNomenclatureFile } from "../../../imports/nomenclature/list";
import { addSubActivity, moveRenja, openRenja, renjaDetail, setPlanCeiling } from "../../../domain/planning";
import { proposalDetail } from "../../../domain/musrenbang";
import { DomainError } from "../../../domain/kernel/domain-error";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Browser, body, call } from "../../support/http";
import { loader as rkpdPage } from "../../../app/routes/rkpd.$year";
import { loader as rkpdApi } from "../../../app/routes/api.rkpd.$year";
import { loader as rkpdXlsx } from "../../../app/routes/unduh.rkpd.$year";
import ExcelJS from "exceljs";

const db = useTestDatabase("demo");
const YEAR = 2027; // the demo's complete Musrenbang cycle
let renjaId = "";

const LIST = [
  "kode,nama,kinerja,indikator,satuan",
  "1,URUSAN WAJIB PELAYANAN DASAR,,,",
  "1.02,KESEHATAN,,,",
  "1.03,PEKERJAAN UMUM DAN PENATAAN RUANG,,,",
  "1.03.10,PROGRAM PENYELENGGARAAN JALAN (uji),,,",
  "1.03.10.2.01,Penyelenggaraan Jalan Kabupaten/Kota (uji),,,",
  "1.03.10.2.01.0001,Pembangunan Jalan (uji),Terbangunnya jalan,Panjang jalan yang dibangun,km",
  "1.03.10.2.01.0002,Rehabilitasi Jalan (uji),Terehabilitasinya jalan,Panjang jalan yang direhabilitasi,km",
  "1.02.02,PROGRAM KESEHATAN (uji),,,",
  "1.02.02.2.02,Penyediaan Layanan Kesehatan (uji),,,",
  "1.02.02.2.02.0001,Pengelolaan Pelayanan Kesehatan Balita (uji),,Jumlah balita terlayani,orang",
].join("\n");

const code = (c: unknown) => (c instanceof DomainError ? c.key : String(c));

describe("Renja: sub-activities within the OPD's ceiling, taking up adopted proposals", () => {
  beforeAll(async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const out = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji RKPD 2027", appliesFrom: YEAR }, new TextEncoder().encode(LIST), "uji.csv");
    expect(out.ok).toBe(true);
    await setPlanCeiling(db.em(), bappeda, clock, YEAR, PU, "2000000000");
    renjaId = await openRenja(db.em(), await actorOf(db.em(), "opd.pu"), clock, YEAR, PU);
  });

  it("adds a sub-activity taking up two adopted proposals; their public timelines say where they went", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const props = await db.em().execute<{ id: string }[]>(
      "select p.id from proposal p join opd o on o.id = p.target_opd_id where p.fiscal_year = ? and o.code = ? and p.status = 'adopted' order by p.code limit 2",
      [YEAR, PU],
    );
    expect(props).toHaveLength(2);
    await addSubActivity(db.em(), opd, clock, renjaId, {
      subKegiatan: "1.03.10.2.01.0002",
      target: "3.5",
      locations: ["35.22.06.2001", "35.22.06"],
      ceiling: "1250000000.00",
      fundingSource: "DAU",
      proposals: props.map((p) => p.id),
    });
    const d = await renjaDetail(db.em(), renjaId);
    expect(d.subs[0]).toMatchObject({ sub_kegiatan_code: "1.03.10.2.01.0002", indicator: "Panjang jalan yang direhabilitasi", unit: "km", ceiling: "1250000000.00" });
    expect(d.subs[0].proposals).toHaveLength(2);
    expect(d.planned).toBe("1250000000.00");
    const timeline = (await proposalDetail(db.em(), T, props[0].id))!.timeline;
    expect(timeline[timeline.length - 1]).toMatchObject({ action: "plan", details: expect.objectContaining({ year: YEAR }) });
    // The public RKPD shows it under its OPD, with the proposals behind it.
    const api = await body<{ total: string; opds: { code: string; subs: { code: string; programName: string; proposals: { id: string }[] }[] }[] }>(
      await call(rkpdApi, new Browser().get(`/api/rkpd/${YEAR}?opd=${PU}`), { year: String(YEAR) }),
    );
    expect(api.total).toBe("1250000000.00");
    expect(api.opds[0].subs[0]).toMatchObject({ code: "1.03.10.2.01.0002", programName: "PROGRAM PENYELENGGARAAN JALAN (uji)" });
    expect(api.opds[0].subs[0].proposals.map((p) => p.id).sort()).toEqual(props.map((p) => p.id).sort());
    expect((await call(rkpdPage, new Browser().get(`/rkpd/${YEAR}`), { year: String(YEAR) })).status).toBe(200);
    expect((await call(rkpdPage, new Browser().get("/rkpd/abc"), { year: "abc" })).status).toBe(404);
    // The Excel in the standard layout: the totals reconcile with the rows, exactly.
    const file = await call(rkpdXlsx, new Browser().get(`/unduh/rkpd/${YEAR}`), { year: String(YEAR) });
    expect(file.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const sub = rows.find((r) => r[1] === "1.03.10.2.01.0002")!;
    expect(sub[7]).toBe(1250000000);
    expect(sub[9]).toContain((await proposalDetail(db.em(), T, props[0].id))!.code);
    const grand = rows.find((r) => r[2] === "JUMLAH SELURUHNYA")!;
    expect(grand[7]).toBe(1250000000);
    // Taken up once only.
    const again = await addSubActivity(db.em(), opd, clock, renjaId, { subKegiatan: "1.03.10.2.01.0001", target: "1", locations: ["35.22.06"], ceiling: "1", fundingSource: "DAU", proposals: [props[0].id] }).catch((e) => e);
    expect(code(again)).toBe("planning.proposalTaken");
  });

  it("refuses a code outside the nomenclature in force, a bidang the OPD does not carry, and a ceiling overrun", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const base = { target: "1", locations: ["35.22.06"], fundingSource: "PAD", proposals: [] };
    expect(code(await addSubActivity(db.em(), opd, clock, renjaId, { ...base, subKegiatan: "1.03.10.2.01.0099", ceiling: "1" }).catch((e) => e))).toBe("planning.subKegiatanNotInForce");
    expect(code(await addSubActivity(db.em(), opd, clock, renjaId, { ...base, subKegiatan: "1.02.02.2.02.0001", ceiling: "1" }).catch((e) => e))).toBe("planning.bidangNotCarried");
    const over = await addSubActivity(db.em(), opd, clock, renjaId, { ...base, subKegiatan: "1.03.10.2.01.0001", ceiling: "750000000.01" }).catch((e) => e);
    expect(code(over)).toBe("planning.ceilingExceeded");
    expect((over as DomainError).params).toMatchObject({ limit: "2000000000.00", planned: "1250000000.00", requested: "750000000.01" });
    expect(code(await addSubActivity(db.em(), actorWith("opd_officer", "opd", "1.02.0.00.0.00.01.0000"), clock, renjaId, { ...base, subKegiatan: "1.03.10.2.01.0001", ceiling: "1" }).catch((e) => e))).toBe("auth.forbidden");
  });

  it("two planners saving at once cannot overrun the ceiling together", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const opd = await actorOf(db.em(), "opd.pu");
    const other = await openRenja(db.em(), bappeda, clock, YEAR + 1, PU);
    await setPlanCeiling(db.em(), bappeda, clock, YEAR + 1, PU, "1000000000");
    const nomen = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji RKPD 2028", appliesFrom: YEAR + 1 }, new TextEncoder().encode(LIST), "uji.csv");
    expect(nomen.ok).toBe(true);
    const tries = await Promise.allSettled(
      ["1.03.10.2.01.0001", "1.03.10.2.01.0002"].map((c) => addSubActivity(db.em(), opd, clock, other, { subKegiatan: c, target: "1", locations: ["35.22.06"], ceiling: "600000000", fundingSource: "DAU", proposals: [] })),
    );
    expect(tries.filter((t) => t.status === "fulfilled")).toHaveLength(1);
    expect(code((tries.find((t) => t.status === "rejected") as PromiseRejectedResult).reason)).toBe("planning.ceilingExceeded");
    expect((await renjaDetail(db.em(), other)).planned).toBe("600000000.00");
    expect(code(await setPlanCeiling(db.em(), bappeda, clock, YEAR + 1, PU, "500000000").catch((e) => e))).toBe("planning.ceilingBelowPlanned");
  });

  it("adopting the Renja locks it and marks every accepted proposal left out, with the reason", async () => {
    const opd = await actorOf(db.em(), "opd.pu");
    const bappeda = await actorOf(db.em(), "bappeda");
    expect(code(await moveRenja(db.em(), opd, clock, renjaId, "adopt").catch((e) => e))).toBe("auth.forbidden");
    await moveRenja(db.em(), opd, clock, renjaId, "submit");
    expect(code(await moveRenja(db.em(), bappeda, clock, renjaId, "adopt", "pendek").catch((e) => e))).toBe("planning.leftOutReasonRequired");
    const out = await moveRenja(db.em(), bappeda, clock, renjaId, "adopt", "Pagu indikatif 2027 tidak mencukupi; diprioritaskan tahun berikutnya");
    expect(out.leftOut).toBeGreaterThan(0);
    const [left] = await db.em().execute<{ proposal_id: string }[]>("select proposal_id from proposal_event where action = 'leftOut' limit 1");
    const tl = (await proposalDetail(db.em(), T, left.proposal_id))!.timeline;
    expect(tl[tl.length - 1]).toMatchObject({ action: "leftOut", reason: "Pagu indikatif 2027 tidak mencukupi; diprioritaskan tahun berikutnya" });
    expect(code(await addSubActivity(db.em(), opd, clock, renjaId, { subKegiatan: "1.03.10.2.01.0001", target: "1", locations: ["35.22.06"], ceiling: "1", fundingSource: "DAU", proposals: [] }).catch((e) => e))).toBe("planning.renjaLocked");
    expect(code(await moveRenja(db.em(), bappeda, clock, renjaId, "adopt", "x".repeat(20)).catch((e) => e))).toBe("planning.renja.illegalTransition");
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
