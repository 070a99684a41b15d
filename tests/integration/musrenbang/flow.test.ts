import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, aProposal, clock, minutes, DANDER, DINKES, NGUNUT, PU, T } from "../../support/musrenbang";
import { DomainError } from "../../../domain/kernel/domain-error";
import { Forum, Proposal } from "../../../domain/musrenbang/entities";
import {
  acceptProposal,
  closeForum,
  editProposal,
  forumWorkspace,
  moveForum,
  proposalDetail,
  raisePokir,
  raiseProposal,
  rejectProposal,
  scheduleYear,
  scoreProposal,
  transferProposal,
  verifyProposal,
  withdrawProposal,
} from "../../../domain/musrenbang";
import { verifyAuditChain } from "../../../domain/audit/verify";

const db = useTestDatabase("demo");
const YEAR = 2029;
const win = (m: number) => ({ opensAt: new Date(Date.UTC(2026, m, 1)), closesAt: new Date(Date.UTC(2026, m, 20)) });

async function forum(level: string, region: string) {
  return db.em().findOneOrFail(Forum, { fiscalYear: YEAR, level: level as never, regionCode: region });
}
async function proposal(id: string) {
  return db.em().findOneOrFail(Proposal, { id });
}
async function expectRefusal(p: Promise<unknown>, key: string) {
  const e = await p.then(() => null, (x) => x);
  expect(e, `expected ${key}`).toBeInstanceOf(DomainError);
  expect((e as DomainError).key).toBe(key);
  return e as DomainError;
}

describe("a Musrenbang cycle from desa to kabupaten", () => {
  const ids: string[] = [];

  it("Bappeda schedules every forum of the year at once", async () => {
    const bappeda = await actorOf(db.em(), "bappeda");
    const r = await scheduleYear(db.em(), bappeda, clock, { fiscalYear: YEAR, windows: { desa: win(0), kecamatan: win(1), kabupaten: win(2) } });
    expect(r.created).toBe(1 + 28 + 430);
    expect((await scheduleYear(db.em(), bappeda, clock, { fiscalYear: YEAR })).created).toBe(0);
  });

  it("the desa facilitator opens the forum and raises seven proposals; no one else may", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const f = await forum("desa", NGUNUT);
    await expectRefusal(raiseProposal(db.em(), fasil, clock, f.id, aProposal()), "musrenbang.forum.notOpen");
    await moveForum(db.em(), fasil, clock, f.id, "open", f.version);
    for (let i = 0; i < 7; i++) {
      const r = await raiseProposal(db.em(), fasil, clock, f.id, aProposal(i === 0 ? { targetOpd: DINKES, bidangUrusan: "1.02", title: "Posyandu balita dusun Krajan" } : {}));
      ids.push(r.id);
    }
    expect((await proposal(ids[0])).code).toBe(`${YEAR}-${NGUNUT}-001`);
    // Submission time (a ranking tie-break) comes from the injected clock, not the wall clock.
    expect((await proposal(ids[0])).createdAt.toISOString()).toBe(clock.now().toISOString());
    const neighbour = actorWith("desa_facilitator", "desa", "35.22.06.2002");
    const e = await expectRefusal(raiseProposal(db.em(), neighbour, clock, f.id, aProposal()), "auth.forbidden");
    expect(e.kind).toBe("forbidden");
    const kec = await actorOf(db.em(), "fasil.kecamatan");
    await expectRefusal(raiseProposal(db.em(), kec, clock, f.id, aProposal()), "auth.forbidden");
  });

  it("validates every field at once, naming each", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const f = await forum("desa", NGUNUT);
    const e = await expectRefusal(
      raiseProposal(db.em(), fasil, clock, f.id, aProposal({ title: "ab", kind: "x", targetOpd: "9.99", volume: "-1", estimatedCost: "1,234.5.6", beneficiaries: "banyak", lat: "99", lng: "110" })),
      "validation.failed",
    );
    const fields = (e as unknown as { problems: { field: string }[] }).problems.map((p) => p.field).sort();
    expect(fields).toEqual(["beneficiaries", "estimatedCost", "kind", "lat", "targetOpd", "title", "volume"]);
  });

  it("edits and withdraws only while open, refusing a stale version", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const p = await proposal(ids[1]);
    const edit = await editProposal(db.em(), fasil, clock, p.id, aProposal({ title: "Pengaspalan jalan dusun Krajan", estimatedCost: "175.000.000" }), p.version);
    expect(edit.changed).toEqual(expect.arrayContaining(["title", "estimatedCost"]));
    expect(String((await proposal(ids[1])).estimatedCost)).toBe("175000000.00");
    await expectRefusal(editProposal(db.em(), fasil, clock, p.id, aProposal(), p.version), "concurrency.stale");
    const w = await proposal(ids[5]);
    await expectRefusal(withdrawProposal(db.em(), fasil, clock, w.id, "dobel", w.version), "musrenbang.usulan.reasonRequired");
    await withdrawProposal(db.em(), fasil, clock, w.id, "Sudah didanai Dana Desa 2026", w.version);
    expect((await proposal(ids[5])).status).toBe("withdrawn");
  });

  it("scores, refuses to close while unscored, then closes: top 5 escalate, the rest keep their rank", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    let f = await forum("desa", NGUNUT);
    await moveForum(db.em(), fasil, clock, f.id, "startScoring", f.version);
    const live = ids.filter((_, i) => i !== 5);
    for (const [i, id] of live.entries())
      if (i < live.length - 1) await scoreProposal(db.em(), fasil, clock, f.id, id, { urgensi: 5 - (i % 3), penerima_manfaat: 4, keselarasan: 3 + (i % 2), kesiapan: 2 });
    f = await forum("desa", NGUNUT);
    await expectRefusal(closeForum(db.em(), fasil, clock, f.id, minutes(f.version)), "musrenbang.forum.unscored");
    await expectRefusal(scoreProposal(db.em(), fasil, clock, f.id, live[5], { urgensi: 6, penerima_manfaat: 4, keselarasan: 3, kesiapan: 2 }), "validation.failed");
    await scoreProposal(db.em(), fasil, clock, f.id, live[5], { urgensi: 1, penerima_manfaat: 1, keselarasan: 1, kesiapan: 1 });
    const bad = await expectRefusal(closeForum(db.em(), fasil, clock, f.id, { ...minutes(f.version), attendeesWomen: "50" }), "validation.failed");
    expect((bad as unknown as { problems: { field: string }[] }).problems[0].field).toBe("attendeesWomen");
    const out = await closeForum(db.em(), fasil, clock, f.id, minutes(f.version));
    expect(out).toEqual({ moved: 5, stayed: 1, adopted: 0 });
    const all = await Promise.all(live.map(proposal));
    expect(all.filter((p) => p.status === "escalated")).toHaveLength(5);
    const low = all.find((p) => p.status === "not_prioritised")!;
    expect(low.id).toBe(live[5]);
    const kec = await forum("kecamatan", DANDER);
    expect(all.filter((p) => p.status === "escalated").every((p) => p.currentForumId === kec.id)).toBe(true);
    const detail = await proposalDetail(db.em(), T, low.id);
    expect(detail!.timeline.map((e) => e.action)).toEqual(["submit", "deprioritise"]);
    expect(detail!.timeline[1].details).toMatchObject({ rank: 6, of: 6, quota: 5 });
    await expectRefusal(editProposal(db.em(), fasil, clock, low.id, aProposal(), low.version), "musrenbang.usulan.notEditable");
    f = await forum("desa", NGUNUT);
    expect(f.status).toBe("closed");
    expect(f.attendeesWomen).toBe(18);
  });

  it("the kecamatan verifies and rejects with a reason; closing forwards the verified to OPD review", async () => {
    const kecFasil = await actorOf(db.em(), "fasil.kecamatan");
    let kec = await forum("kecamatan", DANDER);
    await moveForum(db.em(), kecFasil, clock, kec.id, "open", kec.version);
    const escalated = (await db.em().find(Proposal, { currentForumId: kec.id }, { orderBy: { code: "asc" } }));
    expect(escalated).toHaveLength(5);
    const r0 = escalated[escalated.length - 1];
    const rest = escalated.slice(0, -1);
    await expectRefusal(rejectProposal(db.em(), kecFasil, clock, r0.id, "tidak", r0.version), "musrenbang.usulan.reasonRequired");
    await rejectProposal(db.em(), kecFasil, clock, r0.id, "Lokasi berada di jalan kabupaten yang sudah dianggarkan 2026", r0.version);
    for (const p of rest) await verifyProposal(db.em(), kecFasil, clock, p.id, p.version);
    kec = await forum("kecamatan", DANDER);
    await moveForum(db.em(), kecFasil, clock, kec.id, "startScoring", kec.version);
    for (const p of rest) await scoreProposal(db.em(), kecFasil, clock, kec.id, p.id, { urgensi: 4, penerima_manfaat: 4, keselarasan: 4, kesiapan: 4 });
    kec = await forum("kecamatan", DANDER);
    const out = await closeForum(db.em(), kecFasil, clock, kec.id, minutes(kec.version));
    expect(out.moved).toBe(4);
    const kab = await forum("kabupaten", T);
    const forwarded = await db.em().find(Proposal, { currentForumId: kab.id });
    expect(forwarded.map((p) => p.status)).toEqual(["opd_review", "opd_review", "opd_review", "opd_review"]);
    const rejected = await proposalDetail(db.em(), T, r0.id);
    expect(rejected!.status).toBe("rejected");
    expect(rejected!.reason).toBe("Lokasi berada di jalan kabupaten yang sudah dianggarkan 2026");
  });

  it("OPDs decide within their own queue; pokir join at the kabupaten; the kabupaten forum adopts", async () => {
    const kab = await forum("kabupaten", T);
    const opdPu = await actorOf(db.em(), "opd.pu");
    const dinkes = actorWith("opd_officer", "opd", DINKES);
    const queue = await db.em().find(Proposal, { currentForumId: kab.id, status: "opd_review" }, { orderBy: { code: "asc" } });
    const pu = queue.filter((p) => p.bidangUrusan === "1.03");
    const health = queue.find((p) => p.bidangUrusan === "1.02")!;
    await expectRefusal(acceptProposal(db.em(), opdPu, clock, health.id, "Pelayanan posyandu", "", health.version), "auth.forbidden");
    await acceptProposal(db.em(), dinkes, clock, health.id, "1.02.02.2.01.0014 Pengelolaan pelayanan kesehatan balita", "", health.version);
    await expectRefusal(acceptProposal(db.em(), opdPu, clock, pu[0].id, "", "", pu[0].version), "musrenbang.usulan.subKegiatanRequired");
    await acceptProposal(db.em(), opdPu, clock, pu[0].id, "1.03.10.2.01.0001 Pembangunan jalan", "", pu[0].version);
    await rejectProposal(db.em(), opdPu, clock, pu[1].id, "Jalan desa menjadi kewenangan desa (Dana Desa), bukan kabupaten", pu[1].version);
    await transferProposal(db.em(), opdPu, clock, pu[2].id, "1.04.0.00.0.00.01.0000", "Drainase permukiman ditangani Disperkim", pu[2].version);
    const bappeda = await actorOf(db.em(), "bappeda");
    const pokir = await raisePokir(db.em(), bappeda, clock, YEAR, aProposal({ desa: "35.22.15.1001", proposer: "H. Sukur (Fraksi PKB)", title: "Rehabilitasi saluran irigasi" }));
    expect((await proposal(pokir.id)).status).toBe("opd_review");

    let k = await forum("kabupaten", T);
    await moveForum(db.em(), bappeda, clock, k.id, "open", k.version);
    k = await forum("kabupaten", T);
    await moveForum(db.em(), bappeda, clock, k.id, "startScoring", k.version);
    k = await forum("kabupaten", T);
    const blocked = await expectRefusal(closeForum(db.em(), bappeda, clock, k.id, minutes(k.version)), "musrenbang.forum.pendingOpd");
    expect(blocked.params.count).toBe(2);
    const perkim = actorWith("opd_officer", "opd", "1.04.0.00.0.00.01.0000");
    const moved = await proposal(pu[2].id);
    await acceptProposal(db.em(), perkim, clock, moved.id, "1.04.02.2.01.0003 Pembangunan drainase permukiman", "", moved.version);
    const pk = await proposal(pokir.id);
    await rejectProposal(db.em(), opdPu, clock, pk.id, "Irigasi tersier menjadi kewenangan P3A dan desa", pk.version);
    k = await forum("kabupaten", T);
    const done = await closeForum(db.em(), bappeda, clock, k.id, minutes(k.version));
    expect(done.adopted).toBe(3);
    const h = await proposalDetail(db.em(), T, health.id);
    expect(h!.status).toBe("adopted");
    expect(h!.timeline.map((e) => e.action)).toEqual(["submit", "prioritise", "verify", "forward", "accept", "adopt"]);
    const tr = await proposalDetail(db.em(), T, pu[2].id);
    expect(tr!.originalOpd.code).toBe(PU);
    expect(tr!.opd.code).toBe("1.04.0.00.0.00.01.0000");
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
    // Every legal transition of the cycle left its audit event, by type.
    const rows = await db.em().execute<{ action: string; n: string }[]>(
      `select action, count(*)::text as n from audit_event
        where entity_id in (select id::text from proposal where fiscal_year = ? union select id::text from forum where fiscal_year = ? and level <> 'desa' or id = ?)
        group by action`,
      [YEAR, YEAR, (await forum("desa", NGUNUT)).id],
    );
    const audited = Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
    expect(audited).toMatchObject({
      ProposalSubmitted: 7,
      ProposalEdited: 1,
      ProposalWithdrawn: 1,
      ProposalEscalated: 5,
      ProposalNotPrioritised: 1,
      ProposalVerified: 4,
      ProposalRejected: 3,
      ProposalForwardedToOpd: 4,
      ProposalAcceptedByOpd: 3,
      ProposalTransferred: 1,
      PokirSubmitted: 1,
      ProposalAdopted: 3,
      ForumOpened: 3,
      ForumScoringStarted: 3,
      ForumClosed: 3,
    });
  });

  it("the forum workspace offers the same actions the machine allows", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const ws = await forumWorkspace(db.em(), fasil, (await forum("desa", NGUNUT)).id);
    expect(ws.runs).toBe(true);
    expect(ws.forumActions).toEqual([]);
    expect(ws.departed.map((d) => d.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(ws.current.map((c) => c.status).sort()).toEqual(["not_prioritised", "withdrawn"]);
  });
});
