import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { fixedClock } from "../../../domain/kernel/clock";
import * as monev from "../../../domain/monev";
import { processRedFlags } from "../../../exports/ocds/red-flags";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { actorOf, demoContracts, photo, progress, roadItems, SITE, tagged } from "./world";

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
    await db.em().execute<{ id: string; status: string; physical: string; planned: string; deviation: string; version: number; corrects_id: string | null; correction_reason: string; note: string }[]>(
      "select id, status, physical::text as physical, planned::text as planned, deviation::text as deviation, version, corrects_id, correction_reason, note from progress_report where contract_id = ? and period_no = ?",
      [contractId, period],
    )
  )[0];
const openCase = async (contractId: string) =>
  (await db.em().execute<{ id: string; status: string; reason: string; version: number }[]>("select id, status, reason, version from critical_case where contract_id = ? and status not in ('resolved','terminated')", [contractId]))[0];

describe("e-Monev: the road contract's schedule, progress reports, photos and kontrak kritis", () => {
  it("lets only the PPK set the schedule; the weights follow the values to exactly 100 and the kurva S follows the plan", async () => {
    const { road } = await demoContracts(db.em());
    const ppk = await actorOf(db.em(), "ppk.pu");
    const contractor = await actorOf(db.em(), "penyedia2");
    const clock = fixedClock("2027-01-06T02:00:00Z");
    const input = { periodKind: "monthly" as const, siteLat: String(SITE.lat), siteLng: String(SITE.lng), items: roadItems(road.value) };
    expect((await rejection(monev.setSchedule(db.em(), contractor, clock, road.id, input, 0))).kind).toBe("forbidden");
    const short = { ...input, items: input.items.map((it, i) => (i === 0 ? { ...it, value: "1000.00" } : it)) };
    expect((await rejection(monev.setSchedule(db.em(), ppk, clock, road.id, short, 0))).key).toBe("validation.failed");
    const beyond = { ...input, items: input.items.map((it, i) => (i === 4 ? { ...it, plannedEnd: 7 } : it)) };
    expect((await rejection(monev.setSchedule(db.em(), ppk, clock, road.id, beyond, 0))).key).toBe("validation.failed");
    await monev.setSchedule(db.em(), ppk, clock, road.id, input, 0);
    expect((await rejection(monev.setSchedule(db.em(), ppk, clock, road.id, input, 0))).key).toBe("concurrency.stale");
    const m = await monev.loadMonevContract(db.em(), T, road.id);
    expect(m.items.map((i) => i.weight)).toEqual(["5.00", "25.00", "40.00", "25.00", "5.00"]);
    expect(m.periods.map((p) => p.start)).toEqual(["2027-01-06", "2027-02-06", "2027-03-06", "2027-04-06", "2027-05-06", "2027-06-06"]);
    expect(m.curve.map((c) => c.toFixed(2))).toEqual(["17.50", "43.33", "56.67", "82.50", "95.00", "100.00"]);
    expect(m.plan).toMatchObject({ period_kind: "monthly", site_lat: "-7.236000", site_lng: "111.840000", far_threshold_m: 500 });
    // Without a choice, a construction contract reports weekly.
    const { drainage } = await demoContracts(db.em());
    await monev.setSchedule(db.em(), ppk, clock, drainage.id, { items: [{ name: "Saluran drainase beton", value: drainage.value, plannedStart: 1, plannedEnd: 16 }] }, 0);
    const d = await monev.loadMonevContract(db.em(), T, drainage.id);
    expect(d.plan?.period_kind).toBe("weekly");
    expect(d.periods).toHaveLength(16); // 11 Jan – 30 Apr 2027
    expect(d.curve[15].toFixed(2)).toBe("100.00");
  });

  it("refuses a contractor reporting on another vendor's contract", async () => {
    const { road, sinarDander } = await demoContracts(db.em());
    const clock = fixedClock("2027-02-06T02:00:00Z");
    const report = { periodNo: 1, items: progress("100", "10", "0", "0", "0"), submit: true };
    expect(await rejection(monev.submitReport(db.em(), sinarDander, clock, road.id, report))).toMatchObject({ key: "pengadaan.vendor.notYourContract", kind: "forbidden" });
    const otherVendor = await actorOf(db.em(), "penyedia");
    expect(await rejection(monev.submitReport(db.em(), otherVendor, clock, road.id, report))).toMatchObject({ key: "pengadaan.vendor.notYourContract", kind: "forbidden" });
    expect((await rejection(monev.submitReport(db.em(), await actorOf(db.em(), "ppk.pu"), clock, road.id, report))).kind).toBe("forbidden");
    expect(await reportOf(road.id, 1)).toBeUndefined();
  });

  it("stores a report with its photos' EXIF position and capture time, flagging far and early ones; the PPK returns, then verifies it", async () => {
    const { road } = await demoContracts(db.em());
    const contractor = await actorOf(db.em(), "penyedia2");
    const ppk = await actorOf(db.em(), "ppk.pu");
    const clock = fixedClock("2027-02-06T02:00:00Z");
    expect((await rejection(monev.submitReport(db.em(), contractor, fixedClock("2027-02-05T02:00:00Z"), road.id, { periodNo: 2, items: progress("100", "10", "0", "0", "0"), submit: true }))).key).toBe(
      "validation.failed",
    );
    const onSite = await photo("nol-persen.jpg", { at: { lat: SITE.lat + 0.001, lng: SITE.lng }, taken: "2027:01:07 08:30:00", seed: 2 });
    const farAway = await photo("jauh.jpg", { at: { lat: -7.150975, lng: 111.881645 }, taken: "2027:02:01 09:00:00", seed: 3 });
    const early = await photo("sebelum-mulai.jpg", { at: { lat: SITE.lat, lng: SITE.lng }, taken: "2027:01:05 16:59:00", seed: 4 });
    const plain = await photo("tanpa-exif.jpg", { seed: 5 });
    // The claimed type must be what the bytes are.
    const liar = { ...plain, contentType: "image/png" as const, milestone: "periodic" as const };
    expect((await rejection(monev.submitReport(db.em(), contractor, clock, road.id, { periodNo: 1, items: progress("100", "10", "0", "0", "0"), submit: true, photos: [liar] }))).key).toBe("musrenbang.photo.type");
    // Period 1: preparation done, earthworks 10% → 5 + 2.5 = 7.50 against 17.50 planned (exactly 10 points behind).
    await monev.submitReport(db.em(), contractor, clock, road.id, {
      periodNo: 1,
      items: progress("100", "10", "0", "0", "0"),
      problems: "Hujan deras dua minggu terakhir.",
      actions: "Menambah satu unit excavator.",
      submit: true,
      photos: [tagged(onSite, "0"), tagged(farAway, "periodic"), tagged(early, "periodic"), tagged(plain, "periodic")],
    });
    let r = await reportOf(road.id, 1);
    expect(r).toMatchObject({ status: "submitted", physical: "7.50", planned: "17.50", deviation: "-10.00" });
    const photos = await db.em().execute<{ filename: string; milestone: string; lat: string | null; lng: string | null; taken_at: string | null; distance_m: number | null; far_from_site: boolean; before_start: boolean }[]>(
      "select filename, milestone, lat::text as lat, lng::text as lng, taken_at, distance_m, far_from_site, before_start from progress_photo where report_id = ? order by filename",
      [r.id],
    );
    const byName = Object.fromEntries(photos.map((p) => [p.filename, p]));
    expect(byName["nol-persen.jpg"]).toMatchObject({ milestone: "0", lat: "-7.235000", lng: "111.840000", far_from_site: false, before_start: false });
    expect(byName["nol-persen.jpg"].distance_m).toBeGreaterThan(100);
    expect(byName["nol-persen.jpg"].distance_m).toBeLessThan(120);
    expect(new Date(byName["nol-persen.jpg"].taken_at!).toISOString()).toBe("2027-01-07T01:30:00.000Z");
    expect(byName["jauh.jpg"]).toMatchObject({ far_from_site: true, before_start: false });
    expect(byName["jauh.jpg"].distance_m).toBeGreaterThan(10_000);
    expect(byName["sebelum-mulai.jpg"]).toMatchObject({ far_from_site: false, before_start: true, distance_m: 0 });
    expect(byName["tanpa-exif.jpg"]).toMatchObject({ lat: null, lng: null, taken_at: null, distance_m: null, far_from_site: false, before_start: false });

    // Returned with a note (a note is required), corrected and submitted again, then verified.
    expect((await rejection(monev.returnReport(db.em(), ppk, clock, r.id, "kurang", r.version))).key).toBe("monev.report.noteRequired");
    expect((await rejection(monev.returnReport(db.em(), contractor, clock, r.id, "Foto 50% belum ada, mohon dilengkapi.", r.version))).kind).toBe("forbidden");
    await monev.returnReport(db.em(), ppk, clock, r.id, "Uraian masalah kurang rinci, mohon dilengkapi.", r.version);
    r = await reportOf(road.id, 1);
    expect(r).toMatchObject({ status: "returned", note: "Uraian masalah kurang rinci, mohon dilengkapi." });
    expect((await rejection(monev.verifyReport(db.em(), ppk, clock, r.id, r.version))).key).toBe("monev.report.illegalTransition");
    await monev.submitReport(
      db.em(),
      contractor,
      clock,
      road.id,
      { periodNo: 1, items: progress("100", "10", "0", "0", "0"), problems: "Hujan deras 12 hari; akses material terputus di Ngunut.", actions: "Menambah excavator.", submit: true },
      r.version,
    );
    r = await reportOf(road.id, 1);
    const verdict = await monev.verifyReport(db.em(), ppk, clock, r.id, r.version);
    // Exactly 10 points behind in period I is not critical.
    expect(verdict).toEqual({ critical: false, caseId: null });
    expect(await reportOf(road.id, 1)).toMatchObject({ status: "verified" });
    expect(await openCase(road.id)).toBeUndefined();
  });

  it("never lets cumulative progress go down without a recorded correction; 10.01 points behind opens a critical case", async () => {
    const { road } = await demoContracts(db.em());
    const contractor = await actorOf(db.em(), "penyedia2");
    const ppk = await actorOf(db.em(), "ppk.pu");
    const clock = fixedClock("2027-03-06T02:00:00Z");
    // Earthworks reported lower than last month's 10%.
    const down = { periodNo: 2, items: progress("100", "8", "0", "0", "0"), submit: true };
    expect(await rejection(monev.submitReport(db.em(), contractor, clock, road.id, down))).toMatchObject({ key: "monev.report.cumulativeDecrease", field: "correctionReason" });
    await monev.submitReport(db.em(), contractor, clock, road.id, { ...down, items: progress("100", "100", "8.3", "0", "0") });
    const r = await reportOf(road.id, 2);
    // 5 + 25 + 3.32 = 33.32 against 43.33: 10.01 behind.
    expect(r).toMatchObject({ physical: "33.32", planned: "43.33", deviation: "-10.01", corrects_id: null });
    const verdict = await monev.verifyReport(db.em(), ppk, clock, r.id, r.version);
    expect(verdict.critical).toBe(true);
    expect(await openCase(road.id)).toMatchObject({ status: "critical", reason: "behind_period1" });
    // The dashboard counts it; the contract's public view shows it with the series (verified reports only).
    const dash = await monev.criticalContracts(db.em(), T, 2027);
    expect(dash.count).toBe(1);
    expect(dash.rows[0]).toMatchObject({ contract_id: road.id, status: "critical", reason: "behind_period1", physical: "33.32", planned: "43.33" });
    const view = (await monev.contractMonitoring(db.em(), T, road.id, { publicOnly: true }))!;
    expect(view.series.slice(0, 3).map((p) => [p.no, p.planned, p.actual, p.deviation])).toEqual([
      [1, "17.50", "7.50", "-10.00"],
      [2, "43.33", "33.32", "-10.01"],
      [3, "56.67", null, null],
    ]);
    expect(view.verdict).toMatchObject({ critical: true, reason: "behind_period1", behind: "10.01" });
    expect(view.openCase?.status).toBe("critical");
    expect((await monev.criticalStatus(db.em(), T, road.id))?.reason).toBe("behind_period1");
    // The public red flag, recomputed by anyone from the open data: the implementation release carries the figures.
    const [{ ocid }] = await db.em().execute<{ ocid: string }[]>("select ocid from ocds_record where package_id = ?", [road.package_id]);
    const kritis = (await processRedFlags(db.em(), T, ocid)).filter((f) => f.code === "kontrak-kritis");
    expect(kritis).toHaveLength(1);
    expect(kritis[0].explanation).toMatch(/progres fisik 33,32% tertinggal 10,01% dari rencana 43,33%/);
    // A correction: period 3 reports the earthworks lower than period 2, with its reason, linking the report it corrects.
    const c3 = fixedClock("2027-04-05T02:00:00Z");
    await monev.submitReport(db.em(), contractor, c3, road.id, {
      periodNo: 3,
      items: progress("100", "90", "8.3", "0", "0"),
      correctionReason: "Opname bersama konsultan pengawas: volume timbunan periode 2 terhitung ganda.",
      submit: false,
    });
    const r3 = await reportOf(road.id, 3);
    expect(r3).toMatchObject({ status: "draft", physical: "30.82", corrects_id: r.id });
    expect(r3.correction_reason).toMatch(/terhitung ganda/);
  });

  it("handles the critical case: SCM with minutes and a deadline, resolved when progress catches up; a relapse ends in termination", async () => {
    const { road } = await demoContracts(db.em());
    const contractor = await actorOf(db.em(), "penyedia2");
    const ppk = await actorOf(db.em(), "ppk.pu");
    const clock = fixedClock("2027-03-08T02:00:00Z");
    let k = await openCase(road.id);
    expect((await rejection(monev.recordCriticalStep(db.em(), ppk, clock, k.id, "holdScm", { onDate: "2027-03-08", minutes: "rapat" }, k.version))).key).toBe("monev.critical.minutesRequired");
    expect(
      (await rejection(monev.recordCriticalStep(db.em(), ppk, clock, k.id, "holdScm", { onDate: "2027-03-08", minutes: "Penyedia menambah alat dan tenaga kerja." }, k.version))).key,
    ).toBe("monev.critical.deadlineRequired");
    expect((await rejection(monev.recordCriticalStep(db.em(), contractor, clock, k.id, "holdScm", { onDate: "2027-03-08", minutes: "x".repeat(20), deadline: "2027-03-22" }, k.version))).kind).toBe("forbidden");
    expect(
      await monev.recordCriticalStep(db.em(), ppk, clock, k.id, "holdScm", { onDate: "2027-03-08", minutes: "SCM I: penyedia sanggup mengejar dengan tambahan 2 dump truck.", deadline: "2027-03-22" }, k.version),
    ).toBe("scm1");
    k = await openCase(road.id);
    expect((await rejection(monev.recordCriticalStep(db.em(), ppk, clock, k.id, "resolve", { onDate: "2027-03-09", minutes: "Dianggap selesai saja." }, k.version))).key).toBe("monev.critical.stillCritical");
    expect((await rejection(monev.recordCriticalStep(db.em(), ppk, clock, k.id, "terminate", { onDate: "2027-03-09", minutes: "Diputus karena terlambat." }, k.version))).key).toBe(
      "monev.critical.illegalTransition",
    );

    // Period 3 catches up: 5 + 25 + 26.68 = 56.68 ≥ 56.67 planned → resolved on verification.
    const c3 = fixedClock("2027-04-05T02:00:00Z");
    const draft = await reportOf(road.id, 3);
    await monev.submitReport(db.em(), contractor, c3, road.id, { periodNo: 3, items: progress("100", "100", "66.7", "0", "0"), submit: true }, draft.version);
    const r3 = await reportOf(road.id, 3);
    expect(r3).toMatchObject({ physical: "56.68", corrects_id: null });
    await monev.verifyReport(db.em(), ppk, c3, r3.id, r3.version);
    expect(await openCase(road.id)).toBeUndefined();
    const steps = await db.em().execute<{ action: string; to_status: string; deadline: string | null }[]>(
      "select s.action, s.to_status, to_char(s.deadline, 'YYYY-MM-DD') as deadline from critical_step s join critical_case c on c.id = s.case_id where c.contract_id = ? order by s.no",
      [road.id],
    );
    expect(steps).toEqual([
      { action: "holdScm", to_status: "scm1", deadline: "2027-03-22" },
      { action: "resolve", to_status: "resolved", deadline: null },
    ]);

    // Period 4 falls behind in period II (planned 82.50, actual 60.00): a new case, handled to the end.
    const c4 = fixedClock("2027-04-10T02:00:00Z");
    await monev.submitReport(db.em(), contractor, c4, road.id, { periodNo: 4, items: progress("100", "100", "75", "0", "0"), submit: true });
    const r4 = await reportOf(road.id, 4);
    expect(r4).toMatchObject({ physical: "60.00", planned: "82.50" });
    await monev.verifyReport(db.em(), ppk, c4, r4.id, r4.version);
    k = await openCase(road.id);
    expect(k).toMatchObject({ status: "critical", reason: "behind_period2" });
    const steps2: [monev.CriticalAction, monev.CriticalStepInput, string][] = [
      ["holdScm", { onDate: "2027-04-12", minutes: "SCM I: uji coba 14 hari.", deadline: "2027-04-26" }, "scm1"],
      ["holdScm", { onDate: "2027-04-27", minutes: "SCM II: uji coba gagal, uji coba kedua.", deadline: "2027-05-04" }, "scm2"],
      ["holdScm", { onDate: "2027-05-05", minutes: "SCM III: uji coba terakhir.", deadline: "2027-05-12" }, "scm3"],
      ["issueWarning", { onDate: "2027-05-13", letterNumber: "600/101/SP-1/2027", deadline: "2027-05-20" }, "warning1"],
      ["issueWarning", { onDate: "2027-05-21", letterNumber: "600/102/SP-2/2027", deadline: "2027-05-28" }, "warning2"],
      ["issueWarning", { onDate: "2027-05-29", letterNumber: "600/103/SP-3/2027", deadline: "2027-06-05" }, "warning3"],
      ["terminate", { onDate: "2027-06-07", minutes: "Penyedia tidak mampu menyelesaikan pekerjaan setelah SP-3 (Perpres 16/2018 Pasal 56)." }, "terminated"],
    ];
    for (const [action, input, to] of steps2) {
      const [c] = await db.em().execute<{ version: number }[]>("select version from critical_case where id = ?", [k.id]);
      expect(await monev.recordCriticalStep(db.em(), ppk, c4, k.id, action, input, c.version)).toBe(to);
    }
    const [contract] = await db.em().execute<{ status: string; termination_reason: string }[]>("select status, termination_reason from contract where id = ?", [road.id]);
    expect(contract.status).toBe("terminated");
    expect(contract.termination_reason).toMatch(/SP-3/);
    const [ev] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from procurement_event where package_id = ? and type = 'ContractTerminated'", [road.package_id]);
    expect(ev.n).toBe(1);
    const view = (await monev.contractMonitoring(db.em(), T, road.id))!;
    expect(view.cases.map((k) => [k.reason, k.status, k.steps.length])).toEqual([
      ["behind_period2", "terminated", 7],
      ["behind_period1", "resolved", 2],
    ]);
    expect(view.openCase).toBeNull();
    expect((await monev.criticalContracts(db.em(), T)).count).toBe(0);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
