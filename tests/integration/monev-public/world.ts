import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock } from "../../../domain/kernel/clock";
import * as monev from "../../../domain/monev";
import { submitComplaint } from "../../../domain/oversight/complaints";
import { sourceKey } from "../../../domain/oversight/rules";
import { actorOf, T } from "../../support/musrenbang";
import { demoContracts, progress, roadItems, SITE } from "../monev/world";

export { SITE, T };
export const YEAR = 2027;

/**
 * What the public map and dashboard show beyond the demo, made through the use cases: the road contract's
 * schedule with its site, a verified report far behind the plan (kontrak kritis opened), an advance paid
 * (an SP2D on its DPA lines), and a named citizen's complaint about the road (its reporter must never
 * reach the public figures).
 */
export async function monevWorld(em: () => EntityManager) {
  const { road, drainage } = await demoContracts(em());
  const ppk = await actorOf(em(), "ppk.pu");
  const contractor = await actorOf(em(), "penyedia2");
  const tapd = await actorOf(em(), "tapd");
  await monev.setSchedule(em(), ppk, fixedClock("2027-01-06T02:00:00Z"), road.id, { periodKind: "monthly", siteLat: String(SITE.lat), siteLng: String(SITE.lng), items: roadItems(road.value) }, 0);
  // Period 1: only the preparation is done — 5.00 against 17.50 planned, 12.5 points behind: critical.
  const reportId = await monev.submitReport(em(), contractor, fixedClock("2027-02-06T02:00:00Z"), road.id, { periodNo: 1, items: progress("100", "0", "0", "0", "0"), submit: true });
  const [{ version }] = await em().execute<{ version: number }[]>("select version from progress_report where id = ?", [reportId]);
  const verdict = await monev.verifyReport(em(), ppk, fixedClock("2027-02-07T02:00:00Z"), reportId, version);
  // An advance (uang muka) paid by SP2D on the package's DPA lines: financial progress and absorption.
  await monev.recordPayment(em(), tapd, fixedClock("2027-03-01T02:00:00Z"), road.id, { kind: "uang_muka", amount: "12345678.25", sp2dNumber: "SP2D/PETA/0001/2027", paidOn: "2027-03-01" });
  const complaint = await submitComplaint(em(), Actor.anonymous(T), fixedClock("2027-02-10T03:00:00Z"), {
    targetKind: "contract",
    targetId: road.id,
    category: "ringan",
    text: "Pekerjaan jalan berhenti sejak dua minggu, material menumpuk di bahu jalan dan membahayakan pengendara.",
    identity: "named",
    name: "Siti Pelapor Rahasia",
    contact: "0812-3456-7890",
    sources: [sourceKey("ip", "10.9.8.7")],
  });
  return { road, drainage, critical: verdict.critical, complaint, reporter: { name: "Siti Pelapor Rahasia", contact: "0812-3456-7890" } };
}
