import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Actor } from "../../../domain/identity/actor";
import { createUser } from "../../../domain/identity/users";
import { fixedClock } from "../../../domain/kernel/clock";
import * as monev from "../../../domain/monev";
import { publicContract } from "../../../domain/monev/contract-page";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { actorOf, demoContracts, progress, roadItems, SITE } from "./world";

// A supervising consultant (konsultan pengawas, issue #9) on the demo's road contract: the PPK assigns a
// consultancy's account; it verifies or returns the road's reports and no other contract's; once the PPK
// ends the assignment it can no more; the PPK keeps the right to verify; every step is audited.

const db = useTestDatabase("full");

async function rejection(p: Promise<unknown>): Promise<{ key: string; kind: string; field?: string }> {
  try {
    await p;
  } catch (e) {
    const d = e as { key?: string; kind?: string; field?: string };
    if (!d.key) throw e;
    return { key: d.key, kind: d.kind!, field: d.field };
  }
  throw new Error("expected a refusal");
}

const reportOf = async (contractId: string, period: number) =>
  (
    await db.em().execute<{ id: string; status: string; version: number; note: string; verified_by: string | null; verified_as: string | null }[]>(
      "select id, status, version, note, verified_by, verified_as from progress_report where contract_id = ? and period_no = ?",
      [contractId, period],
    )
  )[0];
const audits = async (action: string, entityId: string) =>
  db.em().execute<{ actor_name: string; after: Record<string, unknown> }[]>("select actor_name, after from audit_event where action = ? and entity_id = ? order by id", [action, entityId]);

/** CV Cipta Rekayasa Konsultan's engineer, an account created by the admin (a contractor account of the consultancy, not of the road's vendor). */
const CONSULTANCY_NPWP = "031112223606000";
async function consultantAccount(username: string, name: string): Promise<string> {
  return createUser(db.em(), Actor.system(T), fixedClock("2027-01-05T02:00:00Z"), {
    username,
    displayName: name,
    password: "konsultan-uji-2027",
    assignments: [{ role: "contractor", scopeCode: CONSULTANCY_NPWP }],
  });
}

describe("a supervising consultant verifies the progress reports of the contracts assigned to it", () => {
  it("the PPK assigns a consultant's account to the road, with a record and an audit; only the PPK, never the contractor's own account", async () => {
    const { road } = await demoContracts(db.em());
    const ppk = await actorOf(db.em(), "ppk.pu");
    const clock = fixedClock("2027-01-06T03:00:00Z");
    await consultantAccount("konsultan.uji", "Ir. Fajar Nugroho");
    await consultantAccount("konsultan.lain", "Dewi Lestari");

    // Who may assign, and whom.
    expect((await rejection(monev.assignSupervisor(db.em(), await actorOf(db.em(), "penyedia2"), clock, road.id, { username: "konsultan.uji" }))).kind).toBe("forbidden");
    expect((await rejection(monev.assignSupervisor(db.em(), await actorOf(db.em(), "konsultan.uji"), clock, road.id, { username: "konsultan.uji" }))).kind).toBe("forbidden");
    expect(await rejection(monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: "penyedia2" }))).toMatchObject({ key: "monev.supervisor.contractorOfContract", field: "username" });
    expect(await rejection(monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: "tidak.ada" }))).toMatchObject({ key: "monev.supervisor.userUnknown", field: "username" });
    expect(await rejection(monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: "ppk.pu" }))).toMatchObject({ key: "monev.supervisor.notSelf" });
    expect(await rejection(monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: " " }))).toMatchObject({ key: "monev.supervisor.usernameRequired" });

    const id = await monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: " Konsultan.Uji ", letterNumber: "027/SPK-PENGAWASAN/2027" });
    expect(await rejection(monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: "konsultan.uji" }))).toMatchObject({ key: "monev.supervisor.alreadyAssigned", kind: "conflict" });
    const rows = await monev.contractSupervisors(db.em(), T, road.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, username: "konsultan.uji", display_name: "Ir. Fajar Nugroho", letter_number: "027/SPK-PENGAWASAN/2027", assigned_by: ppk.displayName, ended_at: null });
    const [audit] = await audits("SupervisorAssigned", id);
    expect(audit.actor_name).toBe("ppk.pu");
    expect(audit.after).toMatchObject({ contract: road.id, user: "konsultan.uji", letterNumber: "027/SPK-PENGAWASAN/2027" });

    // Its scope is the contract: its session carries the road, and only the road.
    const consultant = await actorOf(db.em(), "konsultan.uji");
    expect(consultant.scopesFor("supervising_consultant")).toEqual([{ kind: "contract", code: road.id }]);
    expect((await actorOf(db.em(), "konsultan.lain")).scopesFor("supervising_consultant")).toEqual([]);
    // The admin cannot grant the role: the PPK assigns it, with its record.
    expect(
      await rejection(createUser(db.em(), Actor.system(T), clock, { username: "konsultan.x", displayName: "X", password: "konsultan-uji-2027", assignments: [{ role: "supervising_consultant", scopeCode: road.id }] })),
    ).toMatchObject({ key: "user.contractScopeByPpk" });
  });

  it("verifies or returns the road's reports, never another contract's; the capacity is recorded and public", async () => {
    const { road, drainage, sinarDander } = await demoContracts(db.em());
    const ppk = await actorOf(db.em(), "ppk.pu");
    const contractor = await actorOf(db.em(), "penyedia2");
    const consultant = await actorOf(db.em(), "konsultan.uji");
    const schedule = fixedClock("2027-01-06T02:00:00Z");
    await monev.setSchedule(db.em(), ppk, schedule, road.id, { periodKind: "monthly", siteLat: String(SITE.lat), siteLng: String(SITE.lng), items: roadItems(road.value) }, 0);
    await monev.setSchedule(db.em(), ppk, schedule, drainage.id, { items: [{ name: "Saluran drainase beton", value: drainage.value, plannedStart: 1, plannedEnd: 16 }] }, 0);
    const clock = fixedClock("2027-02-06T02:00:00Z");
    await monev.submitReport(db.em(), contractor, clock, road.id, { periodNo: 1, items: progress("100", "40", "0", "0", "0"), submit: true });
    await monev.submitReport(db.em(), sinarDander, fixedClock("2027-01-18T02:00:00Z"), drainage.id, { periodNo: 1, items: [{ no: 1, physical: "5" }], submit: true });

    // Another contract of the same OPD: refused, whatever the action, and nothing changes.
    const other = await reportOf(drainage.id, 1);
    expect(await rejection(monev.verifyReport(db.em(), consultant, clock, other.id, other.version))).toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    expect(await rejection(monev.returnReport(db.em(), consultant, clock, other.id, "Foto tidak jelas, ulangi.", other.version))).toMatchObject({ kind: "forbidden" });
    expect((await reportOf(drainage.id, 1)).status).toBe("submitted");
    // Its worklist holds the road's report, not the drainage's.
    const list = await monev.supervisionWorklist(db.em(), consultant);
    expect(list.contracts.map((c) => c.id)).toEqual([road.id]);
    expect(list.waiting.map((w) => [w.contract_id, w.period_no])).toEqual([[road.id, 1]]);

    // The road's report: returned with a note, corrected, verified.
    const first = await reportOf(road.id, 1);
    expect(await rejection(monev.returnReport(db.em(), consultant, clock, first.id, "kurang", first.version))).toMatchObject({ key: "monev.report.noteRequired" });
    await monev.returnReport(db.em(), consultant, clock, first.id, "Foto galian belum dilampirkan; lengkapi dan ajukan lagi.", first.version);
    const returned = await reportOf(road.id, 1);
    expect(returned).toMatchObject({ status: "returned", note: "Foto galian belum dilampirkan; lengkapi dan ajukan lagi." });
    expect((await audits("ProgressReportReturned", first.id))[0]).toMatchObject({ actor_name: "konsultan.uji", after: { returnedAs: "supervising_consultant" } });
    await monev.submitReport(db.em(), contractor, clock, road.id, { periodNo: 1, items: progress("100", "40", "0", "0", "0"), submit: true }, returned.version);
    const again = await reportOf(road.id, 1);
    await monev.verifyReport(db.em(), consultant, clock, again.id, again.version);
    expect(await reportOf(road.id, 1)).toMatchObject({ status: "verified", verified_by: "Ir. Fajar Nugroho", verified_as: "supervising_consultant" });
    expect((await audits("ProgressReportVerified", again.id))[0]).toMatchObject({ actor_name: "konsultan.uji", after: { status: "verified", verifiedAs: "supervising_consultant" } });

    // Shown to the PPK and the public: who verified, in what capacity.
    const m = await monev.contractMonitoring(db.em(), T, road.id);
    expect(m?.reports.find((r) => r.period_no === 1)).toMatchObject({ verified_by: "Ir. Fajar Nugroho", verified_as: "supervising_consultant" });
    const page = await publicContract(db.em(), T, road.id, "2027-02-06");
    expect(page?.reports.map((r) => [r.period, r.verifiedAs])).toEqual([[1, "supervising_consultant"]]);
  });

  it("never verifies its own firm's reports", async () => {
    const { road } = await demoContracts(db.em());
    // An account of the road's own vendor that also held the road as a consultant (the assignment refuses it; the check stands on its own).
    const both = new Actor(T, null, "penyedia.konsultan", "PT Karya Bengawan Solo", [
      { role: "contractor", scope: { kind: "vendor", code: road.npwp } },
      { role: "supervising_consultant", scope: { kind: "contract", code: road.id } },
    ]);
    const contractor = await actorOf(db.em(), "penyedia2");
    await monev.submitReport(db.em(), contractor, fixedClock("2027-03-06T02:00:00Z"), road.id, { periodNo: 2, items: progress("100", "100", "30", "0", "0"), submit: true });
    const second = await reportOf(road.id, 2);
    expect(await rejection(monev.verifyReport(db.em(), both, fixedClock("2027-03-07T02:00:00Z"), second.id, second.version))).toMatchObject({ key: "monev.report.ownReport", kind: "forbidden" });
    expect((await reportOf(road.id, 2)).status).toBe("submitted");
  });

  it("cannot act once the PPK ends the assignment; the PPK still verifies; the audit chain holds", async () => {
    const { road } = await demoContracts(db.em());
    const ppk = await actorOf(db.em(), "ppk.pu");
    const stale = await actorOf(db.em(), "konsultan.uji"); // a session loaded before the assignment ends
    const [assignment] = await monev.contractSupervisors(db.em(), T, road.id);
    const clock = fixedClock("2027-03-07T02:00:00Z");
    expect((await rejection(monev.unassignSupervisor(db.em(), stale, clock, assignment.id, "Kontrak pengawasan berakhir."))).kind).toBe("forbidden");
    expect(await rejection(monev.unassignSupervisor(db.em(), ppk, clock, assignment.id, "selesai"))).toMatchObject({ key: "monev.supervisor.reasonRequired", field: "reason" });
    await monev.unassignSupervisor(db.em(), ppk, clock, assignment.id, "Kontrak pengawasan diputus; diganti konsultan lain.");
    expect(await rejection(monev.unassignSupervisor(db.em(), ppk, clock, assignment.id, "Kontrak pengawasan diputus; diganti konsultan lain."))).toMatchObject({ key: "monev.supervisor.alreadyEnded" });
    const [ended] = await monev.contractSupervisors(db.em(), T, road.id);
    expect(ended).toMatchObject({ ended_by: ppk.displayName, end_reason: "Kontrak pengawasan diputus; diganti konsultan lain." });
    expect(ended.ended_at).not.toBeNull();
    expect((await audits("SupervisorUnassigned", assignment.id))[0].after).toMatchObject({ contract: road.id, user: "konsultan.uji" });

    const second = await reportOf(road.id, 2);
    // A fresh session no longer holds the road; the stale one is refused by the record.
    const fresh = await actorOf(db.em(), "konsultan.uji");
    expect(fresh.scopesFor("supervising_consultant")).toEqual([]);
    expect((await rejection(monev.verifyReport(db.em(), fresh, clock, second.id, second.version))).kind).toBe("forbidden");
    expect(await rejection(monev.verifyReport(db.em(), stale, clock, second.id, second.version))).toMatchObject({ key: "monev.supervisor.notAssigned", kind: "forbidden" });
    expect((await monev.supervisionWorklist(db.em(), fresh)).contracts).toEqual([]);
    expect((await reportOf(road.id, 2)).status).toBe("submitted");

    await monev.verifyReport(db.em(), ppk, clock, second.id, second.version);
    expect(await reportOf(road.id, 2)).toMatchObject({ status: "verified", verified_by: ppk.displayName, verified_as: "ppk" });
    // The consultant's earlier verification stands; it may be assigned again, as a new record.
    expect((await reportOf(road.id, 1)).verified_as).toBe("supervising_consultant");
    await monev.assignSupervisor(db.em(), ppk, clock, road.id, { username: "konsultan.uji" });
    expect((await monev.contractSupervisors(db.em(), T, road.id)).map((s) => s.ended_at === null)).toEqual([false, true]);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
