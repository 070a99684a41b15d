import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, PU, T } from "../../support/musrenbang";
import { importNomenclatureFile } from "../../../imports/nomenclature/list";
import {
  addRpjmdGoal,
  addRpjmdIndicator,
  addSubActivity,
  adoptRpjmd,
  diffVersions,
  draftRpjmd,
  linkProposal,
  linkRpjmdProgram,
  moveRenja,
  openRenja,
  removeSubActivity,
  renjaDetail,
  renjaVersions,
  rpjmdView,
  setPlanCeiling,
  unlinkProposal,
  updateSubActivity,
} from "../../../domain/planning";
import { proposalDetail } from "../../../domain/musrenbang";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { verifyAuditChain } from "../../../domain/audit/verify";

const db = useTestDatabase("demo");
const YEAR = 2027;
const code = (c: unknown) => (c instanceof DomainError ? c.key : String(c));

const LIST = [
  "kode,nama,kinerja,indikator,satuan",
  "1,URUSAN WAJIB PELAYANAN DASAR,,,",
  "1.03,PEKERJAAN UMUM DAN PENATAAN RUANG,,,",
  "1.03.01,PROGRAM PENUNJANG (uji),,,",
  "1.03.01.2.01,Perencanaan (uji),,,",
  "1.03.01.2.01.0001,Penyusunan Dokumen Perencanaan (uji),,Jumlah dokumen,dokumen",
  "1.03.10,PROGRAM PENYELENGGARAAN JALAN (uji),,,",
  "1.03.10.2.01,Penyelenggaraan Jalan Kabupaten/Kota (uji),,,",
  "1.03.10.2.01.0001,Pembangunan Jalan (uji),,Panjang jalan yang dibangun,km",
  "1.03.10.2.01.0002,Rehabilitasi Jalan (uji),,Panjang jalan yang direhabilitasi,km",
].join("\n");

const five = (from: number, vals: string[]) => Object.fromEntries(vals.map((v, i) => [String(from + i), v]));

async function adoptedProposals(n: number) {
  return db.em().execute<{ id: string; code: string }[]>(
    "select p.id, p.code from proposal p join opd o on o.id = p.target_opd_id where p.fiscal_year = ? and o.code = ? and p.status = 'adopted' order by p.code limit ?",
    [YEAR, PU, n],
  );
}

describe("RPJMD: goals with yearly targets, and the programmes that serve them", () => {
  let rpjmd = "";
  let goalRoads = "";

  beforeAll(async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const out = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji RPJMD", appliesFrom: 2026 }, new TextEncoder().encode(LIST), "uji.csv");
    expect(out.ok).toBe(true);
  });

  it("drafts an RPJMD, refuses incomplete or malformed parts, adopts it complete and locks it", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const opd = await actorOf(db.em(), "opd.pu");
    expect(code(await draftRpjmd(db.em(), opd, clock, { startYear: 2026, vision: "Bojonegoro sejahtera", missions: ["x"] }).catch((e) => e))).toBe("auth.forbidden");
    const bad = await draftRpjmd(db.em(), bappeda, clock, { startYear: 2026, vision: "", missions: [] }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationErrors);
    expect((bad as ValidationErrors).problems.map((p) => p.field).sort()).toEqual(["missions", "vision"]);
    rpjmd = await draftRpjmd(db.em(), bappeda, clock, {
      startYear: 2026,
      vision: "Bojonegoro yang produktif, berdaya saing dan berkelanjutan",
      missions: ["Membangun infrastruktur yang merata", "Meningkatkan tata kelola pemerintahan"],
    });
    expect(code(await draftRpjmd(db.em(), bappeda, clock, { startYear: 2028, vision: "Periode yang tumpang tindih", missions: ["a"] }).catch((e) => e))).toBe("planning.rpjmd.overlap");
    goalRoads = await addRpjmdGoal(db.em(), bappeda, clock, rpjmd, { mission: 1, code: "1.1", text: "Meningkatnya konektivitas wilayah" });
    const goalGov = await addRpjmdGoal(db.em(), bappeda, clock, rpjmd, { mission: 2, code: "2.1", text: "Meningkatnya kualitas perencanaan" });
    expect(code(await addRpjmdGoal(db.em(), bappeda, clock, rpjmd, { mission: 9, code: "9.1", text: "Misi yang tidak ada" }).catch((e) => e))).toBe("planning.rpjmd.missionUnknown");
    // Every year of the period needs a target.
    const missing = await addRpjmdIndicator(db.em(), bappeda, clock, goalRoads, { name: "Persentase jalan kabupaten mantap", unit: "%", baseline: "71,5", targets: five(2026, ["73", "75", "", "79", "81"]) }).catch((e) => e);
    expect((missing as ValidationErrors).problems).toEqual([expect.objectContaining({ field: "target2028", key: "planning.rpjmd.targetRequired" })]);
    await addRpjmdIndicator(db.em(), bappeda, clock, goalRoads, { name: "Persentase jalan kabupaten mantap", unit: "%", baseline: "71,5", targets: five(2026, ["73", "75", "77", "79", "81.25"]) });
    await linkRpjmdProgram(db.em(), bappeda, clock, goalRoads, "1.03.10");
    expect(code(await linkRpjmdProgram(db.em(), bappeda, clock, goalRoads, "1.03.99").catch((e) => e))).toBe("planning.rpjmd.programUnknown");
    // Incomplete: goal 2.1 has neither indicator nor programme.
    const v0 = (await rpjmdView(db.em(), T, rpjmd)).version;
    expect(code(await adoptRpjmd(db.em(), bappeda, clock, rpjmd, v0, "Perda Kab. Bojonegoro No. 1 Tahun 2026").catch((e) => e))).toBe("planning.rpjmd.incomplete.indicator");
    await addRpjmdIndicator(db.em(), bappeda, clock, goalGov, { name: "Nilai SAKIP", unit: "nilai", targets: five(2026, ["70", "72", "74", "76", "78"]) });
    await linkRpjmdProgram(db.em(), bappeda, clock, goalGov, "1.03.01");
    const view = await rpjmdView(db.em(), T, rpjmd);
    expect(code(await adoptRpjmd(db.em(), bappeda, clock, rpjmd, view.version - 1, "Perda Kab. Bojonegoro No. 1 Tahun 2026").catch((e) => e))).toBe("concurrency.stale");
    await adoptRpjmd(db.em(), bappeda, clock, rpjmd, view.version, "Perda Kab. Bojonegoro No. 1 Tahun 2026");
    const adopted = await rpjmdView(db.em(), T, rpjmd);
    expect(adopted.status).toBe("adopted");
    expect(adopted.missions[0].goals[0]).toMatchObject({
      code: "1.1",
      indicators: [{ name: "Persentase jalan kabupaten mantap", baseline: "71.5", targets: { "2026": "73", "2030": "81.25" } }],
      programs: [{ code: "1.03.10", name: "PROGRAM PENYELENGGARAAN JALAN (uji)" }],
    });
    expect(code(await addRpjmdGoal(db.em(), bappeda, clock, rpjmd, { mission: 1, code: "1.2", text: "Tujuan setelah ditetapkan" }).catch((e) => e))).toBe("planning.rpjmd.locked");
  });

  it("a sub-activity must serve an RPJMD goal through its programme; edits and removal recheck the ceiling and keep timelines true", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const opd = await actorOf(db.em(), "opd.pu");
    await setPlanCeiling(db.em(), bappeda, clock, YEAR, PU, "1000000000");
    const renja = await openRenja(db.em(), opd, clock, YEAR, PU);
    const props = await adoptedProposals(3);
    const sub = await addSubActivity(db.em(), opd, clock, renja, { subKegiatan: "1.03.10.2.01.0002", target: "2", locations: ["35.22.06"], ceiling: "600000000", fundingSource: "DAU", proposals: [props[0].id, props[1].id] });
    let d = await renjaDetail(db.em(), renja);
    expect(d.subs[0].goal).toBe("1.1 Meningkatnya konektivitas wilayah");
    const other = await addSubActivity(db.em(), opd, clock, renja, { subKegiatan: "1.03.01.2.01.0001", target: "1", locations: ["35.22.06"], ceiling: "100000000", fundingSource: "PAD", proposals: [] });
    expect((await renjaDetail(db.em(), renja)).subs.find((s) => s.id === other)!.goal).toContain("2.1");
    // Edit: the old amount does not count against the new one; above the ceiling is refused; a stale version is refused.
    const v = (await renjaDetail(db.em(), renja)).subs.find((s) => s.id === sub)!.version;
    const change = { target: "2.5", locations: ["35.22.06", "35.22.06.2001"], ceiling: "900000000", fundingSource: "DAK Fisik" };
    await updateSubActivity(db.em(), opd, clock, sub, change, v);
    expect(code(await updateSubActivity(db.em(), opd, clock, sub, { ...change, ceiling: "900000000.01" }, v + 1).catch((e) => e))).toBe("planning.ceilingExceeded");
    expect(code(await updateSubActivity(db.em(), opd, clock, sub, { ...change, ceiling: "1" }, v).catch((e) => e))).toBe("concurrency.stale");
    expect(code(await updateSubActivity(db.em(), actorWith("opd_officer", "opd", "1.02.0.00.0.00.01.0000"), clock, sub, change, v + 1).catch((e) => e))).toBe("auth.forbidden");
    d = await renjaDetail(db.em(), renja);
    expect(d.subs.find((s) => s.id === sub)).toMatchObject({ target: "2.5", ceiling: "900000000.00", funding_source: "DAK Fisik", locations: ["35.22.06", "35.22.06.2001"] });
    expect(d.planned).toBe("1000000000.00");
    // Reconciliation: release one proposal (its timeline says why), take up another.
    await unlinkProposal(db.em(), opd, clock, sub, props[1].id, "Lokasi sudah ditangani Dana Desa");
    let tl = (await proposalDetail(db.em(), T, props[1].id))!.timeline;
    expect(tl[tl.length - 1]).toMatchObject({ action: "unplan", reason: "Lokasi sudah ditangani Dana Desa" });
    await linkProposal(db.em(), opd, clock, other, props[2].id);
    expect(code(await linkProposal(db.em(), opd, clock, other, props[0].id).catch((e) => e))).toBe("planning.proposalTaken");
    // Removal releases its proposals.
    expect(code(await removeSubActivity(db.em(), opd, clock, other, 1, "").catch((e) => e))).toBe("planning.removeReasonRequired");
    await removeSubActivity(db.em(), opd, clock, other, 1, "Digabung ke sub kegiatan lain");
    tl = (await proposalDetail(db.em(), T, props[2].id))!.timeline;
    expect(tl[tl.length - 1]).toMatchObject({ action: "unplan", reason: "Digabung ke sub kegiatan lain" });
    expect((await renjaDetail(db.em(), renja)).subs).toHaveLength(1);
  });

  it("after final only a revision changes the Renja: each adoption is kept, and versions compare line by line", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const opd = await actorOf(db.em(), "opd.pu");
    const [{ id: renja }] = await db.em().execute<{ id: string }[]>("select r.id from renja r join opd o on o.id = r.opd_id where r.fiscal_year = ? and o.code = ?", [YEAR, PU]);
    await moveRenja(db.em(), opd, clock, renja, "submit");
    const first = await moveRenja(db.em(), bappeda, clock, renja, "adopt", "Pagu tidak mencukupi, diusulkan kembali tahun depan");
    expect(first.leftOut).toBeGreaterThan(0);
    const sub = (await renjaDetail(db.em(), renja)).subs[0];
    expect(code(await updateSubActivity(db.em(), opd, clock, sub.id, { target: "3", locations: ["35.22.06"], ceiling: "1", fundingSource: "DAU" }, sub.version).catch((e) => e))).toBe("planning.renjaLocked");
    expect(code(await moveRenja(db.em(), opd, clock, renja, "revise", "Perubahan RKPD karena bencana banjir").catch((e) => e))).toBe("auth.forbidden");
    expect(code(await moveRenja(db.em(), bappeda, clock, renja, "revise", "singkat").catch((e) => e))).toBe("planning.revisionReasonRequired");
    await moveRenja(db.em(), bappeda, clock, renja, "revise", "Perubahan RKPD karena bencana banjir");
    await updateSubActivity(db.em(), opd, clock, sub.id, { target: "3", locations: ["35.22.06"], ceiling: "750000000", fundingSource: "DAK Fisik" }, sub.version);
    await addSubActivity(db.em(), opd, clock, renja, { subKegiatan: "1.03.10.2.01.0001", target: "1", locations: ["35.22.06"], ceiling: "250000000", fundingSource: "DAU", proposals: [] });
    // Re-adopting does not mark the same proposals left out a second time.
    const second = await moveRenja(db.em(), bappeda, clock, renja, "adopt", "");
    expect(second.leftOut).toBe(0);
    const versions = await renjaVersions(db.em(), renja);
    expect(versions.map((x) => [x.revision, x.total, x.reason])).toEqual([
      [0, "900000000.00", ""],
      [1, "1000000000.00", "Perubahan RKPD karena bencana banjir"],
    ]);
    const diff = diffVersions(versions[0].snapshot, versions[1].snapshot);
    expect(diff.rows.map((r) => [r.code, r.change, r.delta, r.fields])).toEqual([
      ["1.03.10.2.01.0001", "added", "250000000.00", []],
      ["1.03.10.2.01.0002", "changed", "-150000000.00", ["target", "locations", "ceiling"]],
    ]);
    expect(diff).toMatchObject({ totalBefore: "900000000.00", totalAfter: "1000000000.00", delta: "100000000.00" });
    // Adopted versions are append-only in the database itself.
    await expect(db.em().execute("update renja_version set total = 0 where renja_id = ?", [renja])).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("a programme that serves no RPJMD goal is refused in the RPJMD's years", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const extra = LIST + "\n1.03.11,PROGRAM TANPA TUJUAN (uji),,,\n1.03.11.2.01,Kegiatan tanpa tujuan (uji),,,\n1.03.11.2.01.0001,Sub kegiatan tanpa tujuan (uji),,x,paket";
    const out = await importNomenclatureFile(db.em(), bappeda, clock, { kind: "planning", decree: "Uji RPJMD 2029", appliesFrom: 2029 }, new TextEncoder().encode(extra), "uji.csv");
    expect(out.ok).toBe(true);
    await setPlanCeiling(db.em(), bappeda, clock, 2029, PU, "100");
    const renja = await openRenja(db.em(), bappeda, clock, 2029, PU);
    const e = await addSubActivity(db.em(), bappeda, clock, renja, { subKegiatan: "1.03.11.2.01.0001", target: "1", locations: ["35.22.06"], ceiling: "1", fundingSource: "PAD", proposals: [] }).catch((x) => x);
    expect(code(e)).toBe("planning.programNotInRpjmd");
    expect((e as DomainError).params).toMatchObject({ program: "1.03.11", from: 2026, to: 2030 });
  });
});
