import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { anAnnouncedTender, clearProcurement, DAY, HOUR, PU, procurementWorld, storyClock, tenderVersion, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";

const db = useTestDatabase("adopted");
let w: World;
beforeAll(async () => {
  w = await procurementWorld(db.em());
});

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationErrors) return { key: e.problems[0].key, field: e.problems[0].field, params: e.problems[0].params, kind: e.kind, all: e.problems };
    if (e instanceof DomainError) return { key: e.key, field: e.field, params: e.params, kind: e.kind, all: [] };
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("RUP packages from DPA lines", () => {
  it("refuses a method whose value does not fit, naming the rule, and a DPA line asked for more than is left", async () => {
    const clock = storyClock();
    const line = [...w.roadLines].sort((a, b) => Money.idr(b.left).compare(Money.idr(a.left)))[0];
    const base = { opdCode: PU, fiscalYear: YEAR, name: "Paket uji aturan metode", type: "penyedia", kind: "konstruksi", selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30" };
    const pl = await refusal(proc.planPackage(db.em(), w.ppk, clock, { ...base, method: "pengadaan_langsung", lines: [{ lineKey: line.line_key, amount: "450000000.00" }] }));
    expect(pl).toMatchObject({ key: "procure.rule.aboveMax", field: "method", params: { max: "400000000.00", rule: "Perpres 46/2025 Pasal 38 ayat (3)" } });
    // The same package planned in 2024 falls under Perpres 12/2021's Rp200 jt.
    const old = await refusal(proc.planPackage(db.em(), w.ppk, clock, { ...base, method: "pengadaan_langsung", plannedOn: "2024-03-01", lines: [{ lineKey: line.line_key, amount: "250000000.00" }] }));
    expect(old.params).toMatchObject({ max: "200000000.00", rule: "Perpres 12/2021 Pasal 38 ayat (3)" });
    const over = await refusal(proc.planPackage(db.em(), w.ppk, clock, { ...base, method: "tender", lines: [{ lineKey: line.line_key, amount: Money.idr(line.left).plus(Money.idr("0.01")).toString() }] }));
    expect(over).toMatchObject({ key: "procure.package.overLine", field: "lines.0.amount" });
    // Another OPD's PPK cannot plan on PU's lines.
    const other = new (await import("../../../domain/identity/actor")).Actor(T, null, "ppk.dinkes", "PPK Dinkes", [{ role: "procurement_officer", scope: { kind: "opd", code: "1.02.0.00.0.00.01.0000" } }]);
    expect((await refusal(proc.planPackage(db.em(), other, clock, { ...base, method: "tender", lines: [{ lineKey: line.line_key, amount: "500000000.00" }] }))).kind).toBe("forbidden");
    expect((await refusal(proc.planPackage(db.em(), other, clock, { ...base, opdCode: "1.02.0.00.0.00.01.0000", method: "tender", lines: [{ lineKey: line.line_key, amount: "500000000.00" }] }))).key).toBe("procure.package.lineUnknown");
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from proc_package");
    expect(n).toBe(0);
  });

  it("never over-commits a DPA line under parallel requests: of five packages each taking 40% of a line, two are planned", async () => {
    const clock = storyClock();
    const line = [...w.roadLines].sort((a, b) => Money.idr(b.left).compare(Money.idr(a.left)))[0];
    const left = Money.idr(line.left);
    const share = left.times("0.4");
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((i) =>
        proc.planPackage(db.em().fork(), w.ppk, clock, {
          opdCode: PU, fiscalYear: YEAR, name: `Paket paralel ${i}`, type: "penyedia", kind: "konstruksi", method: share.exceeds(Money.idr("400000000")) ? "tender" : "pengadaan_langsung",
          selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30", lines: [{ lineKey: line.line_key, amount: share.toString() }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason.problems?.[0]?.key).toBe("procure.package.overLine");
    const [{ s }] = await db.em().execute<{ s: string }[]>("select sum(amount)::text as s from proc_package_budget where line_key = ?", [line.line_key]);
    expect(Money.idr(s).exceeds(Money.idr(line.amount))).toBe(false);
    // Cancelling one frees its share again.
    const [first] = await db.em().execute<{ id: string; version: number }[]>("select id, version from proc_package where name like 'Paket paralel%' order by created_at limit 1");
    await proc.cancelPackage(db.em(), w.ppk, clock, first.id, "Digabung dengan paket lain", first.version);
    const after = (await proc.procurableLines(db.em(), T, YEAR, PU)).lines.find((l) => l.line_key === line.line_key)!;
    expect(Money.idr(after.committed).equals(share)).toBe(true);
    await clearProcurement(db.em());
  });

  it("shows RUP coverage per OPD: announced against the procurable DPA pagu", async () => {
    const clock = storyClock();
    const { packageId } = await anAnnouncedTender(db.em(), w, clock);
    const pu = (await proc.rupCoverage(db.em(), T, YEAR)).find((r) => r.opd_code === PU)!;
    const pkg = await proc.loadPackage(db.em(), T, packageId);
    expect(pu.penyedia).toBe(pkg.pagu);
    expect(pkg.kode_rup).toMatch(/^\d{8}$/);
    expect(Number(pu.percent)).toBeGreaterThan(0);
    await clearProcurement(db.em());
  });
});

describe("a tender from announcement to contract", () => {
  it("runs the whole machine: sealed bids, opening, evaluation, winner, sanggah, SPPBJ, contract, amendments", async () => {
    const em = db.em();
    const clock = storyClock();
    const t = await anAnnouncedTender(em, w, clock);
    const [a, b, c] = w.vendors;
    const hps = Money.idr(t.pagu);
    const price = (pct: string) => hps.times(pct).toString();

    // Illegal transitions are refused before their time.
    expect((await refusal(proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.illegalTransition");
    expect((await refusal(proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.beforeOpening");
    // Only its Pokja runs it; a contractor cannot.
    expect((await refusal(proc.openTender(em, a.actor, clock, t.tenderId, await tenderVersion(em, t.tenderId)))).kind).toBe("forbidden");

    // Aanwijzing: a question and its public answer; an addendum close to the deadline must extend it.
    clock.advance(2 * DAY);
    const q = await proc.askQuestion(em, b.actor, clock, t.tenderId, "Apakah lapis pondasi boleh memakai agregat kelas B?");
    await proc.answerQuestion(em, w.pokja[1], clock, t.tenderId, q, "Tidak, sesuai spesifikasi teknis wajib agregat kelas A.");

    // Bids: A bids then replaces its bid; B bids; C bids then withdraws.
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: price("0.97"), documents: [{ name: "penawaran.pdf", type: "application/pdf", bytes: Buffer.from("%PDF-1.4 penawaran A") }] });
    clock.advance(HOUR);
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: price("0.93"), note: "Penawaran pengganti" });
    await proc.submitBid(em, b.actor, clock, t.tenderId, { price: price("0.91") });
    await proc.submitBid(em, c.actor, clock, t.tenderId, { price: price("0.89") });
    await proc.withdrawBid(em, c.actor, clock, t.tenderId);

    // Nobody can read a price before the opening: the rows hold only ciphertext.
    const raw = await em.execute<{ status: string; price: string | null; corrected_price: string | null; sealed: Buffer }[]>("select status, price, corrected_price, sealed from bid where tender_id = ?", [t.tenderId]);
    expect(raw).toHaveLength(4);
    for (const r of raw) {
      expect(r.price).toBeNull();
      expect(r.corrected_price).toBeNull();
      for (const p of [price("0.97"), price("0.93"), price("0.91"), price("0.89")]) {
        expect(r.sealed.toString("latin1")).not.toContain(p.split(".")[0]);
        expect(r.sealed.toString("utf8")).not.toContain(p.split(".")[0]);
      }
    }
    const audit = await em.execute<{ after: unknown }[]>("select after from audit_event where entity_type = 'Bid'");
    for (const e of audit) expect(JSON.stringify(e.after)).not.toContain(price("0.93").split(".")[0]);

    // An addendum 2 days before the deadline must move it; moved by 3 days it is accepted.
    clock.advance(t.deadline.getTime() - clock.now().getTime() - 2 * DAY);
    expect((await refusal(proc.addAddendum(em, w.pokja[0], clock, t.tenderId, { description: "Perubahan volume galian" }, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.addendumNeedsTime");
    const newDeadline = new Date(t.deadline.getTime() + 3 * DAY);
    await proc.addAddendum(em, w.pokja[0], clock, t.tenderId, { description: "Perubahan volume galian tanah", newDeadline: newDeadline.toISOString() }, await tenderVersion(em, t.tenderId));
    const moved = await proc.loadTender(em, T, t.tenderId);
    expect(moved.bid_deadline!.toISOString()).toBe(newDeadline.toISOString());
    expect(moved.opening_at!.toISOString()).toBe(new Date(t.opening.getTime() + 3 * DAY).toISOString());

    // The deadline, by the server clock: one millisecond before is in time, the deadline itself is late.
    clock.advance(newDeadline.getTime() - clock.now().getTime() - 1);
    await proc.submitBid(em, c.actor, clock, t.tenderId, { price: price("0.99") });
    clock.advance(1);
    expect((await refusal(proc.submitBid(em, a.actor, clock, t.tenderId, { price: price("0.80") }))).key).toBe("procure.bid.late");
    expect((await refusal(proc.withdrawBid(em, c.actor, clock, t.tenderId))).key).toBe("procure.bid.late");
    expect((await refusal(proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.beforeOpening");

    // Opening, an hour later: three live bids decrypted, each decryption audited.
    clock.advance(HOUR);
    expect((await proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId))).bids).toBe(3);
    const opened = await em.execute<{ vendor_id: string; price: string }[]>("select vendor_id, price::text as price from bid where tender_id = ? and status = 'opened' order by price", [t.tenderId]);
    expect(opened.map((o) => [o.vendor_id, o.price])).toEqual([
      [b.id, price("0.91")],
      [a.id, price("0.93")],
      [c.id, price("0.99")],
    ]);
    const [{ n: decrypted }] = await em.execute<{ n: number }[]>("select count(*)::int as n from audit_event where action = 'BidDecrypted'");
    expect(decrypted).toBe(3);

    // Evaluation needs each member's pakta integritas.
    const bidOf = async (vendor: string) => (await em.execute<{ id: string }[]>("select id from bid where tender_id = ? and vendor_id = ? and status = 'opened'", [t.tenderId, vendor]))[0].id;
    expect((await refusal(proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(b.id), { adminPass: true, techPass: true, qualPass: true }))).key).toBe("procure.tender.paktaRequired");
    await proc.signPakta(em, w.pokja[0], clock, t.tenderId);
    // B fails the technical evaluation (the lowest bid disqualified, with its reason); C's corrected price is above HPS.
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(b.id), { adminPass: true, techPass: false, qualPass: true, reason: "Metode pelaksanaan tidak memenuhi spesifikasi" });
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(a.id), { adminPass: true, techPass: true, qualPass: true, correctedPrice: Money.idr(price("0.93")).plus(Money.idr("1000.00")).toString() });
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(c.id), { adminPass: true, techPass: true, qualPass: true, correctedPrice: hps.plus(Money.idr("0.01")).toString() });
    expect((await refusal(proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.paktaMissing");
    await proc.signPakta(em, w.pokja[1], clock, t.tenderId);
    await proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    const results = await em.execute<{ vendor_id: string; price_pass: boolean; rank: number | null; reason: string }[]>("select vendor_id, price_pass, rank, reason from bid where tender_id = ? and status = 'opened'", [t.tenderId]);
    expect(results.find((r) => r.vendor_id === a.id)).toMatchObject({ rank: 1, price_pass: true });
    expect(results.find((r) => r.vendor_id === c.id)).toMatchObject({ rank: null, price_pass: false });
    expect(results.find((r) => r.vendor_id === c.id)!.reason).toContain("melebihi HPS");

    // Winner announced; B objects within the sanggah period; the SPPBJ waits for the period and the answer.
    await proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    const s = await proc.fileSanggah(em, b.actor, clock, t.tenderId, "sanggah", "Metode pelaksanaan kami sesuai dokumen pemilihan bab III; mohon evaluasi ulang.");
    expect((await refusal(proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-20" }, await tenderVersion(em, t.tenderId)))).key).toBe("procure.sanggah.periodOpen");
    clock.advance(proc.SANGGAH_DAYS * DAY + HOUR);
    expect((await refusal(proc.fileSanggah(em, a.actor, clock, t.tenderId, "sanggah", "Terlambat: sanggahan ini dikirim setelah masa sanggah.")))).toMatchObject({ key: "procure.sanggah.closed" });
    expect((await refusal(proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-20" }, await tenderVersion(em, t.tenderId)))).key).toBe("procure.sanggah.unanswered");
    await proc.answerSanggah(em, w.pokja[1], clock, t.tenderId, s, { answer: "Metode pelaksanaan tidak memuat tahapan pemadatan yang disyaratkan spesifikasi.", upheld: false });
    // Construction: the sanggah banding period follows the answer.
    expect((await refusal(proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-20" }, await tenderVersion(em, t.tenderId)))).key).toBe("procure.sanggah.bandingPeriodOpen");
    clock.advance(proc.BANDING_DAYS * DAY + HOUR);
    const contractId = await proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-20" }, await tenderVersion(em, t.tenderId));

    // The contract at the corrected winning price; above it is refused.
    let ct = await proc.loadContract(em, T, contractId);
    const award = Money.idr(ct.value);
    expect(award.equals(Money.idr(price("0.93")).plus(Money.idr("1000.00")))).toBe(true);
    const sign = { number: "600/123/PU/2026", signedOn: "2026-12-22", type: "harga_satuan", startDate: "2027-01-04", endDate: "2027-06-30", performanceBond: award.times("0.05").toString(), spmkNumber: "027/SPMK/PU/2027", spmkDate: "2027-01-04" };
    expect((await refusal(proc.signContract(em, w.ppk, clock, contractId, { ...sign, value: award.plus(Money.idr("1")).toString() }, ct.version))).key).toBe("procure.contract.aboveAward");
    const half = award.times("0.3");
    expect((await refusal(proc.signContract(em, w.ppk, clock, contractId, { ...sign, terms: [{ description: "Termin I", progressPercent: "30", amount: half.toString() }] }, ct.version))).key).toBe("procure.contract.termsSum");
    await proc.signContract(em, w.ppk, clock, contractId, { ...sign, terms: [{ description: "Termin I (prestasi 30%)", progressPercent: "30", amount: half.toString() }, { description: "Termin II (PHO)", progressPercent: "100", amount: award.minus(half).toString() }] }, ct.version);
    expect((await proc.loadTender(em, T, t.tenderId)).status).toBe("contracted");

    // Amendments: up to +10% of the original value in total, and never beyond the package's DPA lines.
    ct = await proc.loadContract(em, T, contractId);
    const plus6 = award.plus(award.times("0.06"));
    const tooMuch = await refusal(proc.amendContract(em, w.ppk, clock, contractId, { reason: "Pekerjaan tambah saluran tepi", signedOn: "2027-03-01", newValue: award.plus(award.times("0.11")).toString() }, ct.version));
    expect(tooMuch.key).toMatch(/procure\.contract\.(amendmentTooLarge|abovePagu)/);
    if (plus6.exceeds(hps)) expect((await refusal(proc.amendContract(em, w.ppk, clock, contractId, { reason: "Pekerjaan tambah saluran tepi", signedOn: "2027-03-01", newValue: plus6.toString() }, ct.version))).key).toBe("procure.contract.abovePagu");
    const within = Money.idr(t.pagu).exceeds(plus6) ? plus6 : Money.idr(t.pagu);
    await proc.amendContract(em, w.ppk, clock, contractId, { reason: "Pekerjaan tambah saluran tepi 120 m", signedOn: "2027-03-01", newValue: within.toString(), newEndDate: "2027-07-31" }, ct.version);
    ct = await proc.loadContract(em, T, contractId);
    expect(ct).toMatchObject({ value: within.toString(), original_value: award.toString(), end_date: "2027-07-31" });
    // A stale edit is refused, not applied.
    expect((await refusal(proc.amendContract(em, w.ppk, clock, contractId, { reason: "Perpanjangan waktu karena cuaca", signedOn: "2027-04-01", newEndDate: "2027-08-31" }, ct.version - 1))).kind).toBe("conflict");

    // The events for open data, in order, and the audit chain intact.
    const events = await em.execute<{ type: string }[]>("select type from procurement_event where package_id = ? order by id", [t.packageId]);
    expect(events.map((e) => e.type)).toEqual(["PackagePlanned", "TenderAnnounced", "TenderAmended", "TenderOpened", "WinnerAnnounced", "Awarded", "ContractSigned", "ContractAmended"]);
    expect((await verifyAuditChain(em, T)).ok).toBe(true);

    // The proposals behind the road sub-activity show the tender and the contract on their timelines.
    const steps = await em.execute<{ action: string; details: Record<string, unknown> }[]>(
      "select action, details from proposal_event where action in ('tender','contract') and details->>'packageId' = ? order by at",
      [t.packageId],
    );
    expect(steps.some((s) => s.action === "tender")).toBe(true);
    expect(steps.find((s) => s.action === "contract")?.details).toMatchObject({ vendor: a.name, value: award.toString() });
  });

  it("refuses a blacklisted vendor's bid, and declares a tender failed with its reason for a retender", async () => {
    const em = db.em();
    await clearProcurement(em);
    const clock = storyClock();
    const t = await anAnnouncedTender(em, w, clock);
    const [a, b] = w.vendors;
    await proc.blacklistVendor(em, w.pokja[0], clock, b.id, { startsOn: "2026-11-01", endsOn: "2028-10-31", reason: "Wanprestasi kontrak 2025, pemutusan kontrak", legalBasis: "Keputusan PA Dinas PU Nomor 600/77/2026" });
    expect(await refusal(proc.submitBid(em, b.actor, clock, t.tenderId, { price: "1000000.00" }))).toMatchObject({ key: "procure.vendor.blacklisted", kind: "forbidden" });
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: Money.idr(t.pagu).plus(Money.idr("5")).toString() });
    clock.advance(t.opening.getTime() - clock.now().getTime());
    await proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    await proc.signPakta(em, w.pokja[0], clock, t.tenderId);
    await proc.signPakta(em, w.pokja[1], clock, t.tenderId);
    const [bid] = await em.execute<{ id: string }[]>("select id from bid where tender_id = ? and status = 'opened'", [t.tenderId]);
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, bid.id, { adminPass: true, techPass: true, qualPass: true });
    await proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    expect((await refusal(proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId)))).key).toBe("procure.tender.noPassingBid");
    expect((await refusal(proc.closeTender(em, w.pokja[0], clock, t.tenderId, "fail", "gagal", await tenderVersion(em, t.tenderId)))).key).toBe("procure.reasonRequired");
    await proc.closeTender(em, w.pokja[0], clock, t.tenderId, "fail", "Seluruh penawaran melebihi HPS", await tenderVersion(em, t.tenderId));
    // The package stays in the RUP: a retender is attempt 2.
    const retender = await proc.createTender(em, w.ppk, clock, t.packageId, {
      hps: t.pagu,
      evaluationMethod: "harga_terendah",
      schedule: { upload_penawaran: { startsAt: new Date(clock.now().getTime() + HOUR).toISOString(), endsAt: new Date(clock.now().getTime() + 8 * DAY).toISOString() }, pembukaan: { startsAt: new Date(clock.now().getTime() + 8 * DAY + HOUR).toISOString(), endsAt: new Date(clock.now().getTime() + 8 * DAY + 2 * HOUR).toISOString() } },
    });
    expect((await proc.loadTender(em, T, retender)).attempt).toBe(2);
    const events = await em.execute<{ type: string }[]>("select type from procurement_event where package_id = ? order by id", [t.packageId]);
    expect(events.map((e) => e.type)).toContain("TenderFailed");
  });
});
