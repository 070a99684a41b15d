import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { anAnnouncedTender, clearProcurement, DAY, HOUR, PU, procurementWorld, ROAD_SUB, storyClock, tenderVersion, YEAR, type World } from "../../support/procurement";
import { BASE, body, call } from "../../support/http";
import * as proc from "../../../domain/procurement";
import { registerProcurementPublisher } from "../../../domain/procurement/events";
import { Money } from "../../../domain/kernel/money";
// This file's composition root: procurement events are published as OCDS releases.
import { InvalidOcdsRelease, loadSnapshot, ocdsPublisher, ocidOfPackage } from "../../../exports/ocds/publish";
import { buildRelease } from "../../../exports/ocds/mapping";
import { ocdsValidators, validateRelease } from "../../../exports/ocds/validate";
import { mergerFor } from "../../../exports/ocds/merge";
import { loadOcdsSchemas, type JsonObject } from "../../../exports/ocds/schema";
import { loader as releasesLoader } from "../../../app/routes/api.ocds.releases";
import { loader as releaseLoader } from "../../../app/routes/api.ocds.releases.$ocid.$id";
import { loader as recordsLoader } from "../../../app/routes/api.ocds.records";
import { loader as recordLoader } from "../../../app/routes/api.ocds.records.$ocid";
import { loader as extensionLoader } from "../../../app/routes/api.ocds.extension.$file";

const db = useTestDatabase("adopted");
let w: World;
beforeAll(async () => {
  registerProcurementPublisher(ocdsPublisher);
  w = await procurementWorld(db.em());
});

interface Published {
  type: string;
  tags: string[];
  release: JsonObject;
}

/** The releases of a package's events, in event order, with the event each publishes: exactly one per event. */
async function releasesOf(packageId: string): Promise<Published[]> {
  const em = db.em();
  const rows = await em.execute<{ type: string; tags: string[]; data: JsonObject }[]>(
    "select e.type, r.tags, r.data from procurement_event e join ocds_release r on r.event_id = e.id where e.package_id = ? order by e.id",
    [packageId],
  );
  const [{ n }] = await em.execute<{ n: number }[]>("select count(*)::int as n from procurement_event where package_id = ?", [packageId]);
  expect(rows).toHaveLength(n);
  for (const r of rows) expect(validateRelease(r.data), `${r.type}: ${JSON.stringify(validateRelease(r.data))}`).toEqual([]);
  return rows.map((r) => ({ type: r.type, tags: r.tags, release: r.data }));
}

type Obj = Record<string, unknown>;
const get = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Obj)[k] : undefined), o);
const list = (o: unknown, path: string) => (get(o, path) as Obj[] | undefined) ?? [];
const ids = (o: unknown, path: string) => list(o, path).map((x) => x.id as string);
const cents = (amount: number) => Math.round(amount * 100);

/**
 * Every object in an array that the merge identifies by id keeps its id: within a release no id repeats,
 * and across releases an object with the same id is the same thing (its identifying fields agree).
 */
function expectStableIds(releases: JsonObject[]) {
  const paths: [string, (x: Obj) => unknown][] = [
    ["parties", (x) => get(x, "identifier.id") ?? x.name],
    ["planning.budget.budgetBreakdown", (x) => x.description],
    ["planning.musrenbangProposals", (x) => x.title],
    ["tender.documents", (x) => x.title],
    ["tender.milestones", (x) => x.title],
    ["tender.amendments", (x) => x.date],
    ["bids.details", (x) => JSON.stringify(x.tenderers)],
    ["awards", (x) => JSON.stringify(x.suppliers)],
    ["contracts", (x) => x.awardID],
  ];
  for (const [path, key] of paths) {
    const seen = new Map<string, unknown>();
    for (const r of releases) {
      const here = ids(r, path);
      expect(new Set(here).size, `${path} ids repeat in ${String(r.id)}`).toBe(here.length);
      for (const x of list(r, path)) {
        const id = x.id as string;
        if (seen.has(id)) expect(key(x), `${path} ${id}`).toEqual(seen.get(id));
        else seen.set(id, key(x));
      }
    }
  }
}

const merger = () => mergerFor(loadOcdsSchemas().release);

/** Up to Rp300 jt of the i-th road line: a package small enough for pengadaan langsung. */
function smallPart(i: number) {
  const l = w.roadLines[i];
  return { lineKey: l.line_key, amount: Money.idr(l.left).exceeds(Money.idr("300000000")) ? "300000000.00" : l.left };
}

describe("releases: one per procurement event, valid, with stable ids", () => {
  it("publishes a tender from the RUP to a terminated contract", async () => {
    const em = db.em();
    await clearProcurement(em);
    const clock = storyClock();
    const t = await anAnnouncedTender(em, w, clock);
    const [a, b, c] = w.vendors;
    const hps = Money.idr(t.pagu);
    const price = (pct: string) => hps.times(pct).toString();
    clock.advance(2 * DAY);
    const q = await proc.askQuestion(em, b.actor, clock, t.tenderId, "Apakah lapis pondasi boleh memakai agregat kelas B?");
    await proc.answerQuestion(em, w.pokja[1], clock, t.tenderId, q, "Tidak, sesuai spesifikasi teknis wajib agregat kelas A.");
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: price("0.93") });
    await proc.submitBid(em, b.actor, clock, t.tenderId, { price: price("0.91") });
    // A bid withdrawn before the deadline is never published.
    await proc.submitBid(em, c.actor, clock, t.tenderId, { price: price("0.89") });
    await proc.withdrawBid(em, c.actor, clock, t.tenderId);
    clock.advance(HOUR);
    await proc.submitBid(em, c.actor, clock, t.tenderId, { price: price("0.96") });
    clock.advance(t.deadline.getTime() - clock.now().getTime() - 2 * DAY);
    const newDeadline = new Date(t.deadline.getTime() + 3 * DAY);
    await proc.addAddendum(em, w.pokja[0], clock, t.tenderId, { description: "Perubahan volume galian tanah", newDeadline: newDeadline.toISOString() }, await tenderVersion(em, t.tenderId));
    clock.advance(newDeadline.getTime() - clock.now().getTime() + HOUR);
    await proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    const bidOf = async (vendor: string) => (await em.execute<{ id: string }[]>("select id from bid where tender_id = ? and vendor_id = ? and status = 'opened'", [t.tenderId, vendor]))[0].id;
    await proc.signPakta(em, w.pokja[0], clock, t.tenderId);
    await proc.signPakta(em, w.pokja[1], clock, t.tenderId);
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(b.id), { adminPass: true, techPass: false, qualPass: true, reason: "Metode pelaksanaan tidak memenuhi spesifikasi" });
    const corrected = Money.idr(price("0.93")).plus(Money.idr("1000.00"));
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(a.id), { adminPass: true, techPass: true, qualPass: true, correctedPrice: corrected.toString() });
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(c.id), { adminPass: true, techPass: true, qualPass: true });
    await proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    await proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    clock.advance((proc.SANGGAH_DAYS + proc.BANDING_DAYS) * DAY + HOUR);
    const contractId = await proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-28" }, await tenderVersion(em, t.tenderId));
    let ct = await proc.loadContract(em, T, contractId);
    const termin = corrected.times("0.3");
    const sign = { number: "600/123/PU/2026", signedOn: "2026-12-30", type: "harga_satuan", startDate: "2027-01-04", endDate: "2027-06-30" };
    const terms = [
      { description: "Termin I (prestasi 30%)", progressPercent: "30", amount: termin.toString() },
      { description: "Termin II (PHO)", progressPercent: "100", amount: corrected.minus(termin).toString() },
    ];
    await proc.signContract(em, w.ppk, clock, contractId, { ...sign, terms }, ct.version);
    clock.advance(60 * DAY);
    ct = await proc.loadContract(em, T, contractId);
    await proc.amendContract(em, w.ppk, clock, contractId, { reason: "Perpanjangan waktu karena cuaca ekstrem", signedOn: "2027-03-01", newEndDate: "2027-07-31" }, ct.version);
    clock.advance(30 * DAY);
    ct = await proc.loadContract(em, T, contractId);
    await proc.terminateContract(em, w.ppk, clock, contractId, "Penyedia menghentikan pekerjaan lebih dari 50 hari kalender", ct.version);

    const published = await releasesOf(t.packageId);
    expect(published.map((p) => [p.type, p.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["TenderAnnounced", ["tender"]],
      ["TenderAmended", ["tenderAmendment"]],
      ["TenderOpened", ["tenderUpdate"]],
      ["WinnerAnnounced", ["award"]],
      ["Awarded", ["awardUpdate"]],
      ["ContractSigned", ["contract"]],
      ["ContractAmended", ["contractAmendment"]],
      ["ContractTerminated", ["contractTermination"]],
    ]);
    const [planned, announced, amended, opened, winner, awarded, signed, contractAmended, terminated] = published.map((p) => p.release);
    const ocid = ocidOfPackage(T, t.packageId);
    expect(ocid).toBe(`ocds-jejakdemo-${T}-${t.packageId}`);
    for (const p of published) {
      expect(p.release.ocid).toBe(ocid);
      expect(String(p.release.id).startsWith(`${ocid}-`)).toBe(true);
      expect(p.release.buyer).toEqual({ id: `IDN-KEMENDAGRI-${T}-${PU}`, name: expect.any(String) });
    }
    expect(new Set(published.map((p) => p.release.id)).size).toBe(published.length);
    // The release dates are the events' moments.
    expect(announced.date).toBe(new Date("2026-12-01T02:00:00Z").toISOString());
    expect(terminated.date).toBe(clock.now().toISOString());

    // Planning: the budget per DPA line (its line key), the funder by sumber dana, the proposals behind it.
    const pkg = await proc.loadPackage(em, T, t.packageId);
    const lines = await proc.packageLines(em, t.packageId);
    expect(get(planned, "planning.budget.amount")).toEqual({ amount: Number(pkg.pagu), currency: "IDR" });
    expect(get(planned, "planning.rupCode")).toBe(pkg.kode_rup);
    expect(get(planned, "planning.budget.projectID")).toBe(ROAD_SUB);
    const breakdown = list(planned, "planning.budget.budgetBreakdown");
    expect(breakdown.map((x) => x.id).sort()).toEqual(lines.map((l) => l.line_key).sort());
    expect(breakdown.reduce((s, x) => s + cents(get(x, "amount.amount") as number), 0)).toBe(cents(Number(pkg.pagu)));
    for (const l of lines) {
      const x = breakdown.find((y) => y.id === l.line_key)!;
      expect(x.description).toContain(l.account_code);
      expect(x.description).toContain(ROAD_SUB);
      expect(x.description).toContain(l.funding_source);
      expect((get(x, "amount.amount") as number).toFixed(2)).toBe(l.amount);
    }
    const funders = new Set(breakdown.map((x) => get(x, "sourceParty.id")));
    for (const f of funders) expect(list(planned, "parties").find((p) => p.id === f)?.roles).toEqual(["funder", "sourceParty"]);
    const linked = await em.execute<{ id: string }[]>(
      "select x.proposal_id as id from sub_activity_proposal x join sub_activity s on s.id = x.sub_activity_id where s.sub_kegiatan_code = ? and s.fiscal_year = ?",
      [ROAD_SUB, YEAR],
    );
    expect(linked.length).toBeGreaterThan(0);
    expect(ids(planned, "planning.musrenbangProposals").sort()).toEqual(linked.map((l) => l.id).sort());
    for (const u of list(planned, "planning.musrenbangProposals")) expect(u.relatedBudgetBreakdowns).toEqual(expect.arrayContaining([breakdown[0].id]));
    expect(get(planned, "tender.status")).toBe("planned");
    expect(get(planned, "tender.mainProcurementCategory")).toBe("works");

    // Tender: HPS, the method from the table, periods and milestones from the schedule.
    expect(get(announced, "tender.value")).toEqual({ amount: Number(t.pagu), currency: "IDR" });
    expect(get(announced, "tender")).toMatchObject({ status: "active", procurementMethod: "open", procurementMethodDetails: "Tender (pascakualifikasi)", mainProcurementCategory: "works", awardCriteria: "priceOnly" });
    expect(get(announced, "tender.tenderPeriod.endDate")).toBe(t.deadline.toISOString());
    expect(ids(announced, "tender.milestones")).toEqual(["pengumuman", "aanwijzing", "upload_penawaran", "pembukaan", "evaluasi"].map((s) => `${get(announced, "tender.id")}-${s}`));
    expect(get(announced, "tender.tenderers")).toBeUndefined();
    expect(get(announced, "bids")).toBeUndefined();
    // The addendum: the deadline moved, the amendment names the releases before and after it.
    expect(get(amended, "tender.tenderPeriod.endDate")).toBe(newDeadline.toISOString());
    expect(list(amended, "tender.amendments")).toEqual([
      expect.objectContaining({ id: `${get(amended, "tender.id")}-1`, rationale: "Perubahan volume galian tanah", amendsReleaseID: announced.id, releaseID: amended.id }),
    ]);
    // Opening: three tenderers (the withdrawn bid is not among them), prices in clear, results not yet.
    expect(get(opened, "tender.numberOfTenderers")).toBe(3);
    expect(list(opened, "bids.details").map((x) => x.status)).toEqual(["pending", "pending", "pending"]);
    expect(list(opened, "bids.details").map((x) => get(x, "value.amount")).sort()).toEqual([price("0.91"), price("0.93"), price("0.96")].map(Number).sort());
    // Winner: the award pending, results public, the winner a supplier.
    const awardId = await bidOf(a.id);
    expect(list(winner, "awards")).toEqual([expect.objectContaining({ id: awardId, status: "pending", value: { amount: Number(corrected.toString()), currency: "IDR" }, relatedBids: [awardId] })]);
    expect(list(winner, "bids.details").find((x) => x.id === awardId)).toMatchObject({ status: "valid", rank: 1 });
    expect(list(winner, "bids.details").find((x) => x.id !== awardId && (x.description as string).includes("Metode pelaksanaan"))?.status).toBe("disqualified");
    expect(list(winner, "parties").find((p) => p.id === `IDN-NPWP-${a.npwp}`)?.roles).toEqual(["tenderer", "supplier"]);
    expect(list(winner, "parties").find((p) => p.id === `IDN-NPWP-${b.npwp}`)?.roles).toEqual(["tenderer"]);
    // SPPBJ: the same award, active, dated by the SPPBJ; the tender complete.
    expect(list(awarded, "awards")).toEqual([expect.objectContaining({ id: awardId, status: "active", date: "2026-12-28T00:00:00+07:00" })]);
    expect(get(awarded, "tender.status")).toBe("complete");
    // Contract: signed, its terms as payment milestones; amended; terminated with its reason.
    expect(list(signed, "contracts")).toEqual([expect.objectContaining({ id: contractId, awardID: awardId, status: "active", dateSigned: "2026-12-30T00:00:00+07:00" })]);
    expect(list(signed, "contracts.0.milestones")).toBeDefined();
    expect(ids(list(signed, "contracts")[0], "milestones")).toEqual(["termin-1", "termin-2"]);
    expect(list(contractAmended, "contracts")[0]).toMatchObject({ period: { endDate: "2027-07-31T23:59:59+07:00" }, amendments: [{ id: "1", amendsReleaseID: signed.id, releaseID: contractAmended.id }] });
    expect(list(terminated, "contracts")[0]).toMatchObject({ status: "terminated", documents: [{ documentType: "cancellationDetails" }] });

    // Ids stay stable, so the record merges into one of everything.
    const releases = published.map((p) => p.release);
    expectStableIds(releases);
    const record = merger().record(releases);
    const compiled = record.compiledRelease;
    expect(validateRelease(compiled)).toEqual([]);
    expect(list(compiled, "parties").map((p) => p.id).sort()).toEqual([`IDN-KEMENDAGRI-${T}-${PU}`, ...funders, ...[a, b, c].map((v) => `IDN-NPWP-${v.npwp}`)].sort());
    expect(list(compiled, "awards")).toHaveLength(1);
    expect(list(compiled, "contracts")).toHaveLength(1);
    expect(list(compiled, "bids.details")).toHaveLength(3);
    expect(list(compiled, "tender.amendments")).toHaveLength(1);
    expect(list(compiled, "tender.documents")).toHaveLength(1);
    expect(list(compiled, "tender.milestones").map((m) => m.status)).toEqual(["met", "met", "met", "met", "met"]);
    expect(get(compiled, "tender")).toMatchObject({ status: "complete", tenderPeriod: { endDate: newDeadline.toISOString() } });
    expect(list(compiled, "contracts")[0]).toMatchObject({ status: "terminated", amendments: [{ id: "1" }] });
    expect(list(compiled, "planning.budget.budgetBreakdown")).toHaveLength(lines.length);
  });

  it("publishes a winner replaced after re-evaluation, a failed tender, a cancelled retender and a cancelled package", async () => {
    const em = db.em();
    await clearProcurement(em);
    const clock = storyClock();
    const t = await anAnnouncedTender(em, w, clock);
    const [a, b] = w.vendors;
    const hps = Money.idr(t.pagu);
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: hps.times("0.90").toString() });
    await proc.submitBid(em, b.actor, clock, t.tenderId, { price: hps.times("0.95").toString() });
    clock.advance(t.opening.getTime() - clock.now().getTime());
    await proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    await proc.signPakta(em, w.pokja[0], clock, t.tenderId);
    await proc.signPakta(em, w.pokja[1], clock, t.tenderId);
    const bids = await em.execute<{ id: string; vendor_id: string }[]>("select id, vendor_id from bid where tender_id = ? and status = 'opened'", [t.tenderId]);
    const bidA = bids.find((x) => x.vendor_id === a.id)!.id;
    const bidB = bids.find((x) => x.vendor_id === b.id)!.id;
    const evaluate = async (aPasses: boolean) => {
      await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, bidA, { adminPass: true, techPass: aPasses, qualPass: true, reason: aPasses ? "" : "SBU tidak sesuai (hasil sanggah)" });
      await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, bidB, { adminPass: true, techPass: true, qualPass: true });
      await proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
      await proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    };
    await evaluate(true);
    clock.advance(DAY);
    await proc.reevaluate(em, w.pokja[0], clock, t.tenderId, "Sanggahan diterima: SBU pemenang tidak sesuai", await tenderVersion(em, t.tenderId));
    clock.advance(HOUR);
    await evaluate(false);
    clock.advance(DAY);
    await proc.closeTender(em, w.pokja[0], clock, t.tenderId, "fail", "Sanggah banding diterima: evaluasi ulang tidak dapat dilakukan", await tenderVersion(em, t.tenderId));
    // The retender: announced, then cancelled; then the package itself.
    const now = clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const retender = await proc.createTender(em, w.ppk, clock, t.packageId, {
      hps: t.pagu,
      evaluationMethod: "harga_terendah",
      documents: [{ title: "Dokumen Pemilihan (tender ulang)", ref: "DP-PU-2027-001-U" }],
      schedule: { upload_penawaran: { startsAt: iso(now + HOUR), endsAt: iso(now + 8 * DAY) }, pembukaan: { startsAt: iso(now + 8 * DAY + HOUR), endsAt: iso(now + 8 * DAY + 2 * HOUR) } },
    });
    await proc.assignPokja(em, w.pokja[0], clock, retender, w.pokja.map((p) => p.username));
    await proc.announceTender(em, w.pokja[0], clock, retender, await tenderVersion(em, retender));
    clock.advance(DAY);
    await proc.closeTender(em, w.ppk, clock, retender, "cancel", "Anggaran dialihkan untuk penanganan bencana banjir", await tenderVersion(em, retender));
    clock.advance(HOUR);
    await proc.cancelPackage(em, w.ppk, clock, t.packageId, "Kegiatan ditunda ke tahun anggaran berikutnya", (await proc.loadPackage(em, T, t.packageId)).version);

    const published = await releasesOf(t.packageId);
    expect(published.map((p) => [p.type, p.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["TenderAnnounced", ["tender"]],
      ["TenderOpened", ["tenderUpdate"]],
      ["WinnerAnnounced", ["award"]],
      ["WinnerAnnounced", ["award"]],
      ["TenderFailed", ["tenderCancellation", "awardCancellation"]],
      ["TenderAnnounced", ["tender"]],
      ["TenderCancelled", ["tenderCancellation"]],
      ["PackageCancelled", ["planningUpdate"]],
    ]);
    const [, first, , winnerA, winnerB, failed, second, cancelled, packageCancelled] = published.map((p) => p.release);
    // A second winner is a second award; the first is cancelled rather than rewritten.
    expect(list(winnerA, "awards").map((x) => [x.id, x.status])).toEqual([[bidA, "pending"]]);
    expect(list(winnerB, "awards").map((x) => [x.id, x.status])).toEqual([
      [bidA, "cancelled"],
      [bidB, "pending"],
    ]);
    expect(list(winnerB, "parties").find((p) => p.id === `IDN-NPWP-${a.npwp}`)?.roles).toEqual(["tenderer"]);
    expect(list(winnerB, "parties").find((p) => p.id === `IDN-NPWP-${b.npwp}`)?.roles).toEqual(["tenderer", "supplier"]);
    // Failed: unsuccessful, its reason, every award cancelled, the stages not reached not met.
    expect(get(failed, "tender")).toMatchObject({ id: get(first, "tender.id"), status: "unsuccessful" });
    expect(list(failed, "tender.documents").find((d) => d.documentType === "cancellationDetails")?.description).toBe("Sanggah banding diterima: evaluasi ulang tidak dapat dilakukan");
    expect(list(failed, "awards").map((x) => x.status)).toEqual(["cancelled", "cancelled"]);
    expect(list(failed, "tender.milestones").find((m) => (m.id as string).endsWith("-pengumuman"))?.status).toBe("met");
    // The retender is the same process: a new tender id, its own documents and milestones.
    expect(get(second, "tender.id")).not.toBe(get(first, "tender.id"));
    expect(ids(second, "tender.documents")).toEqual([`${get(second, "tender.id")}-1`]);
    expect(get(cancelled, "tender")).toMatchObject({ id: get(second, "tender.id"), status: "cancelled" });
    expect(list(cancelled, "tender.milestones").map((m) => m.status)).toEqual(["notMet", "notMet"]);
    expect(get(packageCancelled, "tender.status")).toBe("cancelled");
    expect(list(packageCancelled, "planning.documents")).toEqual([expect.objectContaining({ documentType: "cancellationDetails", description: "Kegiatan ditunda ke tahun anggaran berikutnya" })]);

    const releases = published.map((p) => p.release);
    expectStableIds(releases);
    const compiled = merger().compiledRelease(releases);
    expect(validateRelease(compiled)).toEqual([]);
    expect(get(compiled, "tender")).toMatchObject({ id: get(second, "tender.id"), status: "cancelled" });
    expect(list(compiled, "awards").map((x) => [x.id, x.status])).toEqual([
      [bidA, "cancelled"],
      [bidB, "cancelled"],
    ]);
    expect(list(compiled, "parties").filter((p) => (p.roles as string[]).includes("supplier"))).toEqual([]);
  });

  it("publishes pengadaan langsung, an e-purchasing order and a swakelola plan with their own method codes", async () => {
    const em = db.em();
    await clearProcurement(em);
    const clock = storyClock();
    const [a] = w.vendors;
    const smallest = [...w.roadLines].sort((x, y) => Money.idr(x.left).compare(Money.idr(y.left)));
    const base = { opdCode: PU, fiscalYear: YEAR, type: "penyedia", kind: "konstruksi", selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30" };
    const plan = async (i: number, input: Partial<proc.PackageInput> & { name: string; method: string }) => {
      const l = smallest[i];
      const amount = Money.idr(l.left).exceeds(Money.idr("300000000")) ? "300000000.00" : l.left;
      const id = await proc.planPackage(em, w.ppk, clock, { ...base, lines: [{ lineKey: l.line_key, amount }], ...input } as proc.PackageInput);
      await proc.announcePackage(em, w.ppk, clock, id, (await proc.loadPackage(em, T, id)).version);
      return id;
    };
    // Pengadaan langsung: one vendor invited, no competition.
    const pl = await plan(0, { name: "Pemeliharaan bahu jalan Ngunut", method: "pengadaan_langsung" });
    const now = clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const plTender = await proc.createTender(em, w.ppk, clock, pl, {
      hps: (await proc.loadPackage(em, T, pl)).pagu,
      evaluationMethod: "harga_terendah",
      invitedVendorId: a.id,
      schedule: { undangan: { startsAt: iso(now), endsAt: iso(now + HOUR) }, upload_penawaran: { startsAt: iso(now), endsAt: iso(now + DAY) }, pembukaan: { startsAt: iso(now + DAY), endsAt: iso(now + DAY + HOUR) } },
    });
    await proc.assignPokja(em, w.pokja[0], clock, plTender, [w.pokja[0].username]);
    await proc.announceTender(em, w.pokja[0], clock, plTender, await tenderVersion(em, plTender));
    const plReleases = await releasesOf(pl);
    expect(get(plReleases[1].release, "tender")).toMatchObject({ procurementMethod: "direct", procurementMethodDetails: "Pengadaan Langsung", mainProcurementCategory: "works" });
    expect(get(plReleases[1].release, "tender.procurementMethodRationale")).toContain("Pasal 38 ayat (3)");

    // E-purchasing: the order (award pending until the vendor accepts), then the contract.
    const ep = await plan(1, { name: "Pengadaan rambu lalu lintas via katalog", method: "e_purchasing" });
    const order = await proc.placeOrder(em, w.ppk, clock, ep, {
      vendorId: a.id, number: "SP/EPURCH/2026/01", date: "2026-12-02", product: "Rambu lalu lintas 60 cm", catalogueRef: "KATALOG-LKPP-88231",
      quantity: "12", unitPrice: "1250000.00", shipping: "350000.00", startDate: "2027-01-04", endDate: "2027-02-28",
    });
    clock.advance(DAY);
    await proc.answerOrder(em, a.actor, clock, order, "accept");
    const epReleases = await releasesOf(ep);
    expect(epReleases.map((p) => [p.type, p.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["Awarded", ["award"]],
      ["ContractSigned", ["contract"]],
    ]);
    const [epPlanned, epAward, epContract] = epReleases.map((p) => p.release);
    expect(get(epPlanned, "tender")).toMatchObject({ status: "planned", procurementMethod: "direct", procurementMethodDetails: "E-Purchasing (katalog elektronik)" });
    expect(list(epAward, "awards")).toEqual([expect.objectContaining({ id: order, status: "pending", value: { amount: 15350000, currency: "IDR" } })]);
    expect(get(epAward, "tender")).toMatchObject({ id: get(epPlanned, "tender.id"), status: "active" });
    expect(list(epContract, "awards")).toEqual([expect.objectContaining({ id: order, status: "active" })]);
    expect(list(epContract, "contracts")).toEqual([expect.objectContaining({ id: order, awardID: order, status: "active" })]);
    expect(get(epContract, "tender.status")).toBe("complete");
    expectStableIds(epReleases.map((p) => p.release));

    // Swakelola: planning only, no tender, the OPD its only buyer.
    const sw = await plan(2, { name: "Pemeliharaan rutin jalan oleh UPT", type: "swakelola", method: "swakelola", swakelolaType: 1, selectionStart: null });
    const [swPlanned] = (await releasesOf(sw)).map((p) => p.release);
    expect(get(swPlanned, "tender")).toBeUndefined();
    expect(get(swPlanned, "planning.rationale")).toContain("Swakelola tipe I");
    expect(list(swPlanned, "parties")[0].roles).toEqual(["buyer"]);
  });

  it("fails the use case when its release would not validate: nothing of it is written", async () => {
    const em = db.em();
    await clearProcurement(em);
    const clock = storyClock();
    const id = await proc.planPackage(em, w.ppk, clock, {
      opdCode: PU, fiscalYear: YEAR, name: "Paket dengan rilis rusak", type: "penyedia", kind: "konstruksi", method: "pengadaan_langsung",
      selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30", lines: [smallPart(0)],
    });
    // A publisher whose mapping breaks the schema (an unknown tender status).
    registerProcurementPublisher({
      publish: async (tx, e) => {
        const release = buildRelease(e, await loadSnapshot(tx, e.packageId, ocidOfPackage(e.tenant, e.packageId)), { prefix: "ocds-jejakdemo" });
        (release.tender as JsonObject).status = "dibuka";
        const issues = validateRelease(release);
        if (issues.length) throw new InvalidOcdsRelease(String(release.id), issues);
      },
    });
    try {
      await expect(proc.announcePackage(em, w.ppk, clock, id, (await proc.loadPackage(em, T, id)).version)).rejects.toThrow(/tenderStatus/);
    } finally {
      registerProcurementPublisher(ocdsPublisher);
    }
    expect((await proc.loadPackage(db.em(), T, id)).status).toBe("draft");
    const [{ events, releases }] = await db
      .em()
      .execute<{ events: number; releases: number }[]>("select (select count(*) from procurement_event where package_id = ?)::int as events, (select count(*) from ocds_release where package_id = ?)::int as releases", [id, id]);
    expect({ events, releases }).toEqual({ events: 0, releases: 0 });
    // With the real publisher the same step succeeds.
    await proc.announcePackage(db.em(), w.ppk, clock, id, (await proc.loadPackage(db.em(), T, id)).version);
    expect(await releasesOf(id)).toHaveLength(1);
  });

  it("keeps releases immutable: the database refuses to change or remove one", async () => {
    const em = db.em();
    const [r] = await em.execute<{ seq: string }[]>("select seq::text as seq from ocds_release order by seq limit 1");
    expect(r).toBeDefined();
    for (const sql of [
      "update ocds_release set data = '{}'::json where seq = ?",
      "update ocds_release set date = now() where seq = ?",
      "delete from ocds_release where seq = ?",
    ])
      await expect(db.em().execute(sql, [r.seq])).rejects.toThrow(/append-only/);
    await expect(db.em().execute("truncate ocds_release")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("update ocds_process set package_id = gen_random_uuid()")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("delete from ocds_process")).rejects.toThrow(/append-only/);
    // The same (ocid, id) cannot be published twice.
    const [dup] = await em.execute<JsonObject[]>("select tenant_code, ocid, id, package_id, date, tags, data::text as data from ocds_release order by seq limit 1");
    await expect(
      db.em().execute("insert into ocds_release (tenant_code, ocid, id, package_id, event_id, date, tags, data) values (?, ?, ?, ?, ?, ?, ?::text[], ?::json)", [
        dup.tenant_code, dup.ocid, dup.id, dup.package_id, 9_000_000_000_001, dup.date, `{${(dup.tags as string[]).join(",")}}`, dup.data,
      ]),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});

describe("the API", () => {
  const v = () => ocdsValidators();

  it("serves release packages newest first with package metadata, CORS, ETag and Last-Modified", async () => {
    const res = await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?limit=5`));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const etag = res.headers.get("etag")!;
    const lastModified = res.headers.get("last-modified")!;
    expect(etag).toMatch(/^".+"$/);
    expect(Date.parse(lastModified)).not.toBeNaN();
    const pkg = await body<JsonObject & { releases: JsonObject[]; links: { next: string } }>(res);
    expect(v().releasePackageMetadata(pkg)).toEqual([]);
    expect(pkg).toMatchObject({
      uri: `${BASE}/api/ocds/releases?limit=5`,
      version: "1.1",
      license: "https://creativecommons.org/licenses/by/4.0/",
      publicationPolicy: `${BASE}/ocds`,
      publisher: { name: "Pemerintah Kabupaten Bojonegoro", scheme: "IDN-KEMENDAGRI", uid: T },
    });
    expect(pkg.extensions).toEqual(expect.arrayContaining([expect.stringMatching(/ocds_budget_breakdown_extension\/master\/extension\.json$/), `${BASE}/api/ocds/extension/extension.json`]));
    expect(pkg.releases).toHaveLength(5);
    for (const r of pkg.releases) expect(validateRelease(r)).toEqual([]);
    const dates = pkg.releases.map((r) => r.date as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(pkg.links.next).toMatch(/^http:\/\/localhost\/api\/ocds\/releases\?limit=5&cursor=/);
    // Conditional requests.
    expect((await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?limit=5`, { headers: { "If-None-Match": etag } }))).status).toBe(304);
    expect((await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?limit=5`, { headers: { "If-Modified-Since": lastModified } }))).status).toBe(304);
    expect((await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?limit=5`, { headers: { "If-None-Match": '"other"' } }))).status).toBe(200);
    // The ETag names the page: the same page again has it; other releases, or another page, another one.
    const etagOf = async (u: string) => (await call(releasesLoader, new Request(u))).headers.get("etag");
    expect(await etagOf(`${BASE}/api/ocds/releases?limit=5`)).toBe(etag);
    expect(await etagOf(`${BASE}/api/ocds/releases?limit=4`)).not.toBe(etag);
    expect(await etagOf(pkg.links.next)).not.toBe(etag);

    // One release, by ocid and id; its ocid as a filter.
    const first = pkg.releases[0];
    const one = await call(releaseLoader, new Request(`${BASE}/api/ocds/releases/${first.ocid}/${first.id}`), { ocid: String(first.ocid), id: String(first.id) });
    expect(one.status).toBe(200);
    expect(one.headers.get("cache-control")).toContain("immutable");
    expect((await body<{ releases: JsonObject[] }>(one)).releases).toEqual([first]);
    const byOcid = await body<{ releases: JsonObject[] }>(await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?ocid=${first.ocid}&limit=1000`)));
    expect(byOcid.releases.length).toBeGreaterThan(0);
    expect(byOcid.releases.every((r) => r.ocid === first.ocid)).toBe(true);
    // since / until on the release date.
    const until = await body<{ releases: JsonObject[] }>(await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?until=2026-12-02&limit=1000`)));
    expect(until.releases.length).toBeGreaterThan(0);
    expect(until.releases.every((r) => (r.date as string) < "2026-12-01T17:00:00.000Z")).toBe(true);
    const since = await body<{ releases: JsonObject[] }>(await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?since=2026-12-02T00:00:00%2B07:00&limit=1000`)));
    expect(since.releases.every((r) => (r.date as string) >= "2026-12-01T17:00:00.000Z")).toBe(true);
  });

  it("answers bad requests and unknown releases with JSON errors, and an empty page with a 200", async () => {
    for (const q of ["limit=0", "limit=1001", "limit=abc", "since=yesterday", "until=2027-13-45", "cursor=nope", "cursor=cjk5OTk5OTk5", "page=2", "since=2027-01-02&until=2027-01-01"]) {
      const res = await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?${q}`));
      expect(res.status, q).toBe(400);
      expect(await body(res), q).toMatchObject({ error: "bad_request", message: expect.any(String) });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    }
    const missing = await call(releaseLoader, new Request(`${BASE}/api/ocds/releases/ocds-jejakdemo-x/nope`), { ocid: "ocds-jejakdemo-x", id: "nope" });
    expect(missing.status).toBe(404);
    expect(await body(missing)).toMatchObject({ error: "not_found" });
    expect((await call(recordLoader, new Request(`${BASE}/api/ocds/records/ocds-jejakdemo-x`), { ocid: "ocds-jejakdemo-x" })).status).toBe(404);
    const empty = await call(releasesLoader, new Request(`${BASE}/api/ocds/releases?ocid=ocds-jejakdemo-nothing`));
    expect(empty.status).toBe(200);
    expect(await body(empty)).toMatchObject({ releases: [], version: "1.1" });
    expect((await body<JsonObject>(empty)).links).toBeUndefined();
  });

  it("serves records compiled by the merge rules, one process or a page of them", async () => {
    const [latest] = await db.em().execute<{ ocid: string; n: number }[]>("select ocid, count(*)::int as n from ocds_release group by ocid order by count(*) desc limit 1");
    const res = await call(recordLoader, new Request(`${BASE}/api/ocds/records/${latest.ocid}`), { ocid: latest.ocid });
    expect(res.status).toBe(200);
    const pkg = await body<JsonObject & { records: JsonObject[] }>(res);
    expect(v().recordPackageMetadata(pkg)).toEqual([]);
    expect(pkg.records).toHaveLength(1);
    const rec = pkg.records[0] as { ocid: string; releases: JsonObject[]; compiledRelease: JsonObject; versionedRelease: JsonObject };
    expect(rec.ocid).toBe(latest.ocid);
    expect(rec.releases).toHaveLength(latest.n);
    expect(rec.releases.map((r) => r.date as string)).toEqual(rec.releases.map((r) => r.date as string).sort());
    expect(validateRelease(rec.compiledRelease)).toEqual([]);
    expect(rec.compiledRelease).toEqual(JSON.parse(JSON.stringify(merger().compiledRelease(rec.releases))));
    expect(rec.versionedRelease.ocid).toBe(latest.ocid);

    const page = await body<JsonObject & { records: { ocid: string; releases: { url: string; date: string; tag: string[] }[]; compiledRelease: JsonObject }[]; links?: { next: string } }>(
      await call(recordsLoader, new Request(`${BASE}/api/ocds/records?limit=2`)),
    );
    expect(v().recordPackageMetadata(page)).toEqual([]);
    expect(page.records).toHaveLength(2);
    for (const r of page.records) {
      expect(validateRelease(r.compiledRelease)).toEqual([]);
      expect(r.releases[0].url).toMatch(new RegExp(`^${BASE}/api/ocds/releases/${r.ocid}/`));
    }
    const all: string[] = [];
    let next: string | null = `${BASE}/api/ocds/records?limit=2`;
    while (next) {
      const p: { records: { ocid: string }[]; links?: { next: string } } = await body(await call(recordsLoader, new Request(next)));
      all.push(...p.records.map((r) => r.ocid));
      next = p.links?.next ?? null;
    }
    const [{ n, published }] = await db
      .em()
      .execute<{ n: number; published: number }[]>("select (select count(*) from ocds_process)::int as n, (select count(distinct ocid) from ocds_release)::int as published");
    expect(published).toBe(n);
    expect(all).toHaveLength(n);
    expect(new Set(all).size).toBe(n);
  });

  it("serves Jejak's extension as declared", async () => {
    const meta = await call(extensionLoader, new Request(`${BASE}/api/ocds/extension/extension.json`), { file: "extension.json" });
    expect(meta.status).toBe(200);
    expect(await body(meta)).toMatchObject({ compatibility: ["1.1"], documentationUrl: { en: `${BASE}/ocds#extension` } });
    const patch = await body<JsonObject>(await call(extensionLoader, new Request(`${BASE}/api/ocds/extension/release-schema.json`), { file: "release-schema.json" }));
    expect(get(patch, "definitions.Planning.properties.musrenbangProposals")).toBeDefined();
    expect((await call(extensionLoader, new Request(`${BASE}/api/ocds/extension/x.json`), { file: "x.json" })).status).toBe(404);
  });

  it("pages by keyset: while releases keep arriving, nothing already published is skipped or repeated", async () => {
    const em = db.em();
    // Releases of many processes, many on the same date (the order then falls back to publication order).
    const dates = Array.from({ length: 25 }, (_, i) => new Date(Date.UTC(2026, 10, 1) + i * 3 * DAY));
    let n = 0;
    const insert = async (date: Date) => {
      n++;
      const ocid = `ocds-jejakdemo-${T}-paging-${n % 17}`;
      const release = { ocid, id: `${ocid}-${n}`, date: date.toISOString(), tag: ["planning"], initiationType: "tender" };
      await db
        .em()
        .execute("insert into ocds_release (tenant_code, ocid, id, package_id, event_id, date, tags, data) values (?, ?, ?, ?, ?, ?, '{planning}', ?::json)", [
          T, ocid, release.id, randomUUID(), 8_000_000_000 + n, date, JSON.stringify(release),
        ]);
    };
    for (let i = 0; i < 200; i++) await insert(dates[i % dates.length]);
    // A real package too, announced while the client pages.
    const clock = storyClock();
    const draft = await proc.planPackage(em, w.ppk, clock, {
      opdCode: PU, fiscalYear: YEAR, name: "Paket diumumkan saat paging", type: "penyedia", kind: "konstruksi", method: "pengadaan_langsung",
      selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30", lines: [smallPart(1)],
    });
    const before = new Set((await em.execute<{ id: string }[]>("select id from ocds_release where tenant_code = ?", [T])).map((r) => r.id));

    const seen: string[] = [];
    let next: string | null = `${BASE}/api/ocds/releases?limit=13`;
    let stop = false;
    const announcing = proc.announcePackage(db.em(), w.ppk, clock, draft, (await proc.loadPackage(em, T, draft)).version);
    const arriving = (async () => {
      // New releases land before, inside and after the part already paged, while the client pages.
      for (let i = 0; !stop && i < 120; i++) {
        await insert(new Date(Date.UTC(2026, 9, 1) + Math.floor(Math.random() * 120) * DAY));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    let pages = 0;
    while (next) {
      const p: { releases: JsonObject[]; links?: { next: string } } = await body(await call(releasesLoader, new Request(next)));
      seen.push(...p.releases.map((r) => r.id as string));
      next = p.links?.next ?? null;
      pages++;
    }
    stop = true;
    await arriving;
    await announcing;
    expect(await releasesOf(draft)).toHaveLength(1);
    expect(pages).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.includes(id), id).toBe(true);
    // And strictly in the API's order: date, then publication, both descending.
    const order = await em.execute<{ id: string; us: string; seq: string }[]>(
      "select id, (extract(epoch from date) * 1000000)::bigint::text as us, seq::text as seq from ocds_release where id = any(?::text[])",
      [`{${seen.map((s) => `"${s}"`).join(",")}}`],
    );
    const pos = new Map(order.map((o) => [o.id, [BigInt(o.us), BigInt(o.seq)] as const]));
    for (let i = 1; i < seen.length; i++) {
      const [xd, xs] = pos.get(seen[i - 1])!;
      const [yd, ys] = pos.get(seen[i])!;
      expect(xd > yd || (xd === yd && xs > ys), `${seen[i - 1]} before ${seen[i]}`).toBe(true);
    }
  });
});
