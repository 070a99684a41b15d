import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { clearProcurement, DAY, HOUR, PU, procurementWorld, storyClock, tenderVersion, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { Money } from "../../../domain/kernel/money";
import { mergerFor } from "../../../exports/ocds/merge";
import { loadOcdsSchemas, type JsonObject } from "../../../exports/ocds/schema";
import { validateRelease } from "../../../exports/ocds/validate";

const db = useTestDatabase("adopted");
let w: World;
beforeAll(async () => {
  w = await procurementWorld(db.em());
});
beforeEach(async () => clearProcurement(db.em()));

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationErrors) return { key: e.problems[0].key, kind: e.kind };
    if (e instanceof DomainError) return { key: e.key, kind: e.kind };
    throw e;
  }
  throw new Error("expected a refusal");
}

const smallest = () => [...w.roadLines].sort((a, b) => Money.idr(a.left).compare(Money.idr(b.left)))[0];
const base = { opdCode: PU, fiscalYear: YEAR, type: "penyedia", kind: "konstruksi", selectionStart: "2026-12-01", executionStart: "2027-02-01", executionEnd: "2027-06-30" };

async function announced(input: Partial<proc.PackageInput> & { name: string; method: string }, clock = storyClock()) {
  const line = smallest();
  const id = await proc.planPackage(db.em(), w.ppk, clock, { ...base, lines: [{ lineKey: line.line_key, amount: line.left }], ...input } as proc.PackageInput);
  await proc.announcePackage(db.em(), w.ppk, clock, id, (await proc.loadPackage(db.em(), T, id)).version);
  return id;
}

describe("pengadaan langsung: invitation, offer, negotiation, SPK — no sanggah", () => {
  it("takes the offer of the invited vendor only and goes straight to the SPPBJ", async () => {
    const em = db.em();
    const clock = storyClock();
    const [a, b] = w.vendors;
    const pkgId = await announced({ name: "Pemeliharaan bahu jalan Ngunut", method: "pengadaan_langsung" }, clock);
    const pagu = Money.idr((await proc.loadPackage(em, T, pkgId)).pagu);
    const now = clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((await refusal(proc.createTender(em, w.ppk, clock, pkgId, { hps: pagu.toString(), evaluationMethod: "harga_terendah", schedule: { upload_penawaran: { startsAt: iso(now), endsAt: iso(now + DAY) }, pembukaan: { startsAt: iso(now + DAY), endsAt: iso(now + DAY + HOUR) } } }))).key).toBe("procure.tender.invitedRequired");
    const tenderId = await proc.createTender(em, w.ppk, clock, pkgId, {
      hps: pagu.toString(),
      evaluationMethod: "harga_terendah",
      invitedVendorId: a.id,
      schedule: { upload_penawaran: { startsAt: iso(now), endsAt: iso(now + DAY) }, pembukaan: { startsAt: iso(now + DAY), endsAt: iso(now + DAY + HOUR) } },
    });
    // Pengadaan langsung has no aanwijzing stage in its schedule, and no sanggah.
    expect((await refusal(proc.createTender(em, w.ppk, clock, pkgId, { hps: "1", evaluationMethod: "harga_terendah", invitedVendorId: a.id, schedule: { sanggah: { startsAt: iso(now), endsAt: iso(now) } } }))).key).toBe("procure.tender.stageUnknown");
    await proc.assignPokja(em, w.pokja[0], clock, tenderId, [w.pokja[0].username]);
    await proc.announceTender(em, w.pokja[0], clock, tenderId, await tenderVersion(em, tenderId));
    expect(await refusal(proc.submitBid(em, b.actor, clock, tenderId, { price: "1000.00" }))).toEqual({ key: "procure.tender.notInvited", kind: "forbidden" });
    await proc.submitBid(em, a.actor, clock, tenderId, { price: pagu.times("0.99").toString() });
    clock.advance(DAY);
    await proc.openTender(em, w.pokja[0], clock, tenderId, await tenderVersion(em, tenderId));
    await proc.signPakta(em, w.pokja[0], clock, tenderId);
    const [offer] = await em.execute<{ id: string }[]>("select id from bid where tender_id = ? and status = 'opened'", [tenderId]);
    await proc.evaluateBid(em, w.pokja[0], clock, tenderId, offer.id, { adminPass: true, techPass: true, qualPass: true, correctedPrice: pagu.times("0.95").toString(), reason: "Harga hasil negosiasi" });
    await proc.concludeEvaluation(em, w.pokja[0], clock, tenderId, await tenderVersion(em, tenderId));
    await proc.announceWinner(em, w.pokja[0], clock, tenderId, await tenderVersion(em, tenderId));
    expect((await proc.loadTender(em, T, tenderId)).sanggah_until).toBeNull();
    expect((await refusal(proc.fileSanggah(em, a.actor, clock, tenderId, "sanggah", "Sanggahan yang tidak semestinya ada pada pengadaan langsung.")))).toMatchObject({ key: "procure.sanggah.closed" });
    const contractId = await proc.issueSppbj(em, w.ppk, clock, tenderId, { number: "SPK/PL/001", date: "2026-12-03" }, await tenderVersion(em, tenderId));
    expect((await proc.loadContract(em, T, contractId)).value).toBe(pagu.times("0.95").toString());
  });
});

describe("e-purchasing: a catalogue order the vendor accepts or refuses", () => {
  it("orders within the pagu, lets only the vendor answer, and turns the accepted order into the contract", async () => {
    const em = db.em();
    const clock = storyClock();
    const [a, b] = w.vendors;
    const pkgId = await announced({ name: "Pengadaan rambu lalu lintas via katalog", method: "e_purchasing" }, clock);
    const pagu = Money.idr((await proc.loadPackage(em, T, pkgId)).pagu);
    const order = { vendorId: a.id, number: "SP/EPURCH/2026/01", date: "2026-12-02", product: "Rambu lalu lintas 60 cm", catalogueRef: "KATALOG-LKPP-88231", unitPrice: "1250000.00", shipping: "350000.00", startDate: "2027-01-04", endDate: "2027-02-28" };
    expect((await refusal(proc.placeOrder(em, w.ppk, clock, pkgId, { ...order, quantity: pagu.times("2").toString().split(".")[0] }))).key).toBe("procure.contract.abovePagu");
    const id = await proc.placeOrder(em, w.ppk, clock, pkgId, { ...order, quantity: "12" });
    expect((await proc.loadContract(em, T, id)).value).toBe("15350000.00");
    expect((await refusal(proc.answerOrder(em, b.actor, clock, id, "accept"))).kind).toBe("forbidden");
    await proc.answerOrder(em, a.actor, clock, id, "accept");
    expect((await refusal(proc.answerOrder(em, a.actor, clock, id, "refuse"))).key).toBe("procure.order.illegalTransition");
    expect((await proc.loadContract(em, T, id)).status).toBe("signed");
    const events = await em.execute<{ type: string }[]>("select type from procurement_event where package_id = ? order by id", [pkgId]);
    expect(events.map((e) => e.type)).toEqual(["PackagePlanned", "Awarded", "ContractSigned"]);
  });
});

describe("e-purchasing: an order refused or withdrawn", () => {
  it("publishes the order's award as unsuccessful when the vendor refuses it and cancelled when the PPK withdraws it, and frees the pagu for the next order", async () => {
    const em = db.em();
    const clock = storyClock();
    const [a, b] = w.vendors;
    const pkgId = await announced({ name: "Pengadaan alat berat ringan via katalog", method: "e_purchasing" }, clock);
    const pagu = Money.idr((await proc.loadPackage(em, T, pkgId)).pagu);
    // Each order takes the whole pagu: a second one fits only once the first no longer counts.
    const order = (vendorId: string, number: string) =>
      proc.placeOrder(em, w.ppk, clock, pkgId, { vendorId, number, date: "2026-12-02", product: "Stamper kuda", catalogueRef: "KATALOG-LKPP-55120", quantity: "1", unitPrice: pagu.toString(), startDate: "2027-01-04", endDate: "2027-02-28" });
    const first = await order(a.id, "SP/EPURCH/2026/11");
    expect((await refusal(order(b.id, "SP/EPURCH/2026/12"))).key).toBe("procure.contract.abovePagu");
    // Only the vendor refuses, only the PPK withdraws.
    expect((await refusal(proc.answerOrder(em, b.actor, clock, first, "refuse"))).kind).toBe("forbidden");
    expect((await refusal(proc.answerOrder(em, a.actor, clock, first, "withdraw"))).kind).toBe("forbidden");
    await proc.answerOrder(em, a.actor, clock, first, "refuse", "Stok habis di gudang penyedia");
    expect((await proc.loadContract(em, T, first)).status).toBe("cancelled");
    const second = await order(b.id, "SP/EPURCH/2026/12");
    await proc.answerOrder(em, w.ppk, clock, second, "withdraw", "Spesifikasi produk keliru dipilih");
    expect((await refusal(proc.answerOrder(em, b.actor, clock, second, "accept"))).key).toBe("procure.order.illegalTransition");
    const third = await order(b.id, "SP/EPURCH/2026/13");
    await proc.answerOrder(em, b.actor, clock, third, "accept");

    const rows = await em.execute<{ type: string; tags: string[]; data: JsonObject }[]>(
      "select e.type, r.tags, r.data from procurement_event e join ocds_release r on r.event_id = e.id where e.package_id = ? order by e.id",
      [pkgId],
    );
    expect(rows.map((r) => [r.type, r.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["Awarded", ["award"]],
      ["OrderRefused", ["awardCancellation"]],
      ["Awarded", ["award"]],
      ["OrderWithdrawn", ["awardCancellation"]],
      ["Awarded", ["award"]],
      ["ContractSigned", ["contract"]],
    ]);
    for (const r of rows) expect(validateRelease(r.data), r.type).toEqual([]);
    const awardOf = (r: { data: JsonObject }) => (r.data.awards as JsonObject[])[0];
    expect(awardOf(rows[1])).toMatchObject({ id: first, status: "pending" });
    expect(awardOf(rows[2])).toMatchObject({
      id: first,
      status: "unsuccessful",
      description: "Surat pesanan SP/EPURCH/2026/11 tanggal 2 Desember 2026 ditolak penyedia.",
      documents: [{ id: `${first}-pembatalan`, documentType: "cancellationDetails", title: "Surat pesanan ditolak penyedia", description: "Stok habis di gudang penyedia" }],
    });
    expect(awardOf(rows[4])).toMatchObject({ id: second, status: "cancelled", documents: [{ title: "Surat pesanan ditarik PPK", description: "Spesifikasi produk keliru dipilih" }] });
    // The record: the refused and withdrawn orders' awards are closed, the accepted one active, no award left pending.
    const compiled = mergerFor(loadOcdsSchemas().release).compiledRelease(rows.map((r) => r.data));
    expect(validateRelease(compiled)).toEqual([]);
    expect((compiled.awards as JsonObject[]).map((x) => [x.id, x.status])).toEqual([
      [first, "unsuccessful"],
      [second, "cancelled"],
      [third, "active"],
    ]);
  });
});

describe("swakelola", () => {
  it("needs the team's decree to start, then completes", async () => {
    const em = db.em();
    const clock = storyClock();
    const id = await announced({ name: "Pemeliharaan rutin jalan oleh UPT", type: "swakelola", method: "swakelola", swakelolaType: 1, selectionStart: null }, clock);
    let v = (await proc.loadPackage(em, T, id)).version;
    expect((await refusal(proc.moveSwakelola(em, w.ppk, clock, id, "start", "", v))).key).toBe("procure.swakelola.decreeRequired");
    expect((await refusal(proc.moveSwakelola(em, w.ppk, clock, id, "complete", "", v))).key).toBe("procure.swakelola.illegalTransition");
    await proc.moveSwakelola(em, w.ppk, clock, id, "start", "Keputusan Kepala Dinas PU Nomor 188/12/2027 tentang Tim Swakelola", v);
    v = (await proc.loadPackage(em, T, id)).version;
    await proc.moveSwakelola(em, w.ppk, clock, id, "complete", "", v);
    expect((await proc.loadPackage(em, T, id)).status).toBe("completed");
    // A selection cannot be run on a swakelola package.
    expect((await refusal(proc.createTender(em, w.ppk, clock, id, { hps: "1000", evaluationMethod: "harga_terendah", schedule: {} }))).key).toMatch(/procure\.tender\.(packageNotAnnounced|methodHasNoSelection)/);
  });
});
