import { verifyAuditChain } from "../../../domain/audit/verify";
import { loadActor } from "../../../domain/identity/authenticate";
import { fixedClock } from "../../../domain/kernel/clock";
import * as monev from "../../../domain/monev";
import { publicContract } from "../../../domain/monev/contract-page";
import { DEMO_CONSULTANT } from "../../../imports/demo/monev";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";

/** The demo's supervising consultant (`konsultan.pu`) on the road contract, as `npm start` serves it (template `monev`). */
const db = useTestDatabase("monev");

describe("the demo's konsultan pengawas", () => {
  it("is assigned to the road by its PPK, sees week 2 waiting, verifies it; the public page says who verified each week", async () => {
    const [road] = await db.em().execute<{ id: string }[]>("select c.id from contract c join monev_plan m on m.contract_id = c.id where c.tenant_code = ?", [T]);
    const [user] = await db.em().execute<{ id: string }[]>("select id from app_user where username = ?", [DEMO_CONSULTANT.username]);
    const consultant = (await loadActor(db.em(), T, user.id))!;
    expect(consultant.scopesFor("supervising_consultant")).toEqual([{ kind: "contract", code: road.id }]);
    const [assignment] = await monev.contractSupervisors(db.em(), T, road.id);
    expect(assignment).toMatchObject({ username: "konsultan.pu", assigned_by: "Dwi Prasetyo (PPK Dinas PU)", ended_at: null });
    expect(assignment.assigned_at.startsWith("2027-01-06")).toBe(true);

    const list = await monev.supervisionWorklist(db.em(), consultant);
    expect(list.waiting.map((w) => [w.contract_id, w.period_no])).toEqual([[road.id, 2]]);
    const week2 = list.waiting[0];
    const [{ version }] = await db.em().execute<{ version: number }[]>("select version from progress_report where id = ?", [week2.id]);
    await monev.verifyReport(db.em(), consultant, fixedClock("2027-01-20T02:00:00Z"), week2.id, version);

    const page = await publicContract(db.em(), T, road.id, "2027-01-20");
    expect(page?.reports.map((r) => [r.period, r.verifiedAs])).toEqual([
      [1, "ppk"],
      [2, "supervising_consultant"],
    ]);
    // The implementation releases say who verified each week (the record gathers their milestones).
    const [{ data }] = await db.em().execute<{ data: string }[]>(
      "select o.compiled::text as data from ocds_record o join contract c on c.package_id = o.package_id where c.id = ?",
      [road.id],
    );
    const milestones = (JSON.parse(data) as { contracts: { implementation?: { milestones?: { id: string; description: string }[] } }[] }).contracts.flatMap((k) => k.implementation?.milestones ?? []);
    expect(milestones.map((m) => [m.id, /diverifikasi (PPK|konsultan pengawas)\.$/.exec(m.description)?.[1]])).toEqual([
      ["progres-1", "PPK"],
      ["progres-2", "konsultan pengawas"],
    ]);
    expect((await monev.supervisionWorklist(db.em(), consultant)).waiting).toEqual([]);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
