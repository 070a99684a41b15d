import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { T } from "../support/musrenbang";
import { anAnnouncedTender, clearProcurement, DAY, HOUR, PU, procurementWorld, storyClock, tenderVersion, YEAR, type World } from "../support/procurement";
import * as proc from "../../domain/procurement";
import { Money } from "../../domain/kernel/money";
import { ocidOf } from "../../exports/ocds/mapping";
import { loadSnapshot, ocdsConfig } from "../../exports/ocds/publish";
import type { JsonObject } from "../../exports/ocds/schema";
import { packageEvents, releasesOf, snapshotTimes } from "../bench/generate-ocds";

/**
 * The bench's OCDS releases (tests/bench/generate-ocds.ts) on the events the demo does not have: processes
 * run through the use cases here — a question, an addendum that moves the deadline, a tender failed after its
 * opening, a package cancelled, then a tender to its contract with an arithmetic correction and a
 * disqualified lowest bid, two contract amendments and a termination; e-purchasing orders refused, withdrawn
 * and accepted — each release the real publisher stored is rebuilt, value for value, from the process as it
 * stands at the end, wound back to its event.
 */
const db = useTestDatabase("adopted");
let w: World;
beforeAll(async () => {
  w = await procurementWorld(db.em());
});

/** Rebuilds the packages' releases and compares each with the one the publisher stored; returns the tags met. */
async function rebuiltAsStored(packages: string[]): Promise<Set<string>> {
  const em = db.em();
  const stored = await em.execute<{ package_id: string; event_id: string; tags: string[]; data: string }[]>(
    "select r.package_id::text as package_id, r.event_id::text as event_id, r.tags, r.data::text as data from ocds_release r where r.package_id = any(?::uuid[]) order by r.seq",
    [`{${packages.join(",")}}`],
  );
  const events = await packageEvents(em, packages);
  const times = await snapshotTimes(em, packages);
  for (const id of packages) {
    const final = await loadSnapshot(em, id, ocidOf(ocdsConfig().prefix, T, id));
    const rebuilt = releasesOf(
      final,
      events.filter((e) => e.package_id === id),
      times,
      T,
    );
    const mine = stored.filter((r) => r.package_id === id);
    expect(rebuilt.map((r) => r.event.id)).toEqual(mine.map((r) => r.event_id));
    rebuilt.forEach(({ release }, i) => expect(release, `${mine[i].tags.join(",")} of ${id}`).toEqual(JSON.parse(mine[i].data) as JsonObject));
  }
  expect(stored).toHaveLength(events.length);
  return new Set(stored.flatMap((r) => r.tags));
}

describe("the bench's OCDS releases through the use cases' stories", () => {
  it("rebuilds amendments, failures, cancellations, amended and terminated contracts as the publisher wrote them", async () => {
    const em = db.em();
    const clock = storyClock();
    const [a, b, c] = w.vendors;

    // A tender failed after its opening (a question, an addendum moving the deadline), then its package cancelled.
    const failed = await anAnnouncedTender(em, w, clock);
    clock.advance(2 * DAY);
    await proc.askQuestion(em, b.actor, clock, failed.tenderId, "Apakah lapis pondasi boleh memakai agregat kelas B?");
    clock.advance(2 * DAY);
    const moved = new Date(failed.deadline.getTime() + 3 * DAY);
    await proc.addAddendum(em, w.pokja[0], clock, failed.tenderId, { description: "Perubahan volume galian tanah", newDeadline: moved.toISOString() }, await tenderVersion(em, failed.tenderId));
    await proc.submitBid(em, a.actor, clock, failed.tenderId, { price: Money.idr(failed.pagu).plus(Money.idr("5")).toString() });
    clock.advance(moved.getTime() + HOUR - clock.now().getTime());
    await proc.openTender(em, w.pokja[0], clock, failed.tenderId, await tenderVersion(em, failed.tenderId));
    clock.advance(HOUR);
    await proc.closeTender(em, w.pokja[0], clock, failed.tenderId, "fail", "Seluruh penawaran melebihi HPS", await tenderVersion(em, failed.tenderId));
    clock.advance(DAY);
    await proc.cancelPackage(em, w.ppk, clock, failed.packageId, "Digabung dengan paket pada sub kegiatan yang sama", (await proc.loadPackage(em, T, failed.packageId)).version);

    // A tender to its contract, amended twice, then terminated.
    clock.advance(DAY);
    const t = await anAnnouncedTender(em, w, clock);
    const hps = Money.idr(t.pagu);
    const price = (pct: string) => hps.times(pct).toString();
    await proc.submitBid(em, a.actor, clock, t.tenderId, { price: price("0.93") });
    await proc.submitBid(em, b.actor, clock, t.tenderId, { price: price("0.91") });
    await proc.submitBid(em, c.actor, clock, t.tenderId, { price: price("0.95") });
    clock.advance(t.opening.getTime() - clock.now().getTime());
    await proc.openTender(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    await proc.signPakta(em, w.pokja[0], clock, t.tenderId);
    await proc.signPakta(em, w.pokja[1], clock, t.tenderId);
    const bidOf = async (vendor: string) => (await em.execute<{ id: string }[]>("select id from bid where tender_id = ? and vendor_id = ? and status = 'opened'", [t.tenderId, vendor]))[0].id;
    clock.advance(HOUR);
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(b.id), { adminPass: true, techPass: false, qualPass: true, reason: "Metode pelaksanaan tidak memenuhi spesifikasi" });
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(a.id), { adminPass: true, techPass: true, qualPass: true, correctedPrice: Money.idr(price("0.93")).plus(Money.idr("1000.00")).toString() });
    await proc.evaluateBid(em, w.pokja[0], clock, t.tenderId, await bidOf(c.id), { adminPass: true, techPass: true, qualPass: true });
    await proc.concludeEvaluation(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    clock.advance(HOUR);
    await proc.announceWinner(em, w.pokja[0], clock, t.tenderId, await tenderVersion(em, t.tenderId));
    clock.advance((proc.SANGGAH_DAYS + proc.BANDING_DAYS) * DAY + HOUR);
    const contractId = await proc.issueSppbj(em, w.ppk, clock, t.tenderId, { number: "027/SPPBJ/PU/2026", date: "2026-12-28" }, await tenderVersion(em, t.tenderId));
    clock.advance(DAY);
    let ct = await proc.loadContract(em, T, contractId);
    const award = Money.idr(ct.value);
    const first = award.times("0.3");
    await proc.signContract(
      em,
      w.ppk,
      clock,
      contractId,
      {
        number: "600/123/PU/2027",
        signedOn: "2026-12-30",
        type: "harga_satuan",
        startDate: "2027-01-04",
        endDate: "2027-06-30",
        performanceBond: award.times("0.05").toString(),
        spmkNumber: "027/SPMK/PU/2027",
        spmkDate: "2027-01-04",
        terms: [
          { description: "Termin I (prestasi 30%)", progressPercent: "30", amount: first.toString() },
          { description: "Termin II (PHO)", progressPercent: "100", amount: award.minus(first).toString() },
        ],
      },
      ct.version,
    );
    clock.advance(60 * DAY);
    ct = await proc.loadContract(em, T, contractId);
    const more = award.plus(award.times("0.04"));
    await proc.amendContract(em, w.ppk, clock, contractId, { reason: "Pekerjaan tambah saluran tepi 120 m", signedOn: "2027-03-01", newValue: (hps.exceeds(more) ? more : hps).toString(), newEndDate: "2027-07-31" }, ct.version);
    clock.advance(30 * DAY);
    ct = await proc.loadContract(em, T, contractId);
    await proc.amendContract(em, w.ppk, clock, contractId, { reason: "Perpanjangan waktu karena cuaca", signedOn: "2027-04-01", newEndDate: "2027-08-31" }, ct.version);
    clock.advance(30 * DAY);
    ct = await proc.loadContract(em, T, contractId);
    await proc.terminateContract(em, w.ppk, clock, contractId, "Penyedia tidak melanjutkan pekerjaan setelah teguran ketiga", ct.version);

    const tags = await rebuiltAsStored([failed.packageId, t.packageId]);
    expect(tags).toEqual(new Set(["planning", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "planningUpdate", "award", "awardUpdate", "contract", "contractAmendment", "contractTermination"]));
  });

  it("rebuilds e-purchasing orders refused, withdrawn and accepted as the publisher wrote them", async () => {
    await clearProcurement(db.em());
    const em = db.em();
    const clock = storyClock();
    const [a, b] = w.vendors;
    const line = [...w.roadLines].sort((x, y) => Money.idr(x.left).compare(Money.idr(y.left)))[0];
    const pkgId = await proc.planPackage(em, w.ppk, clock, {
      opdCode: PU,
      fiscalYear: YEAR,
      name: "Pengadaan alat berat ringan via katalog",
      type: "penyedia",
      kind: "barang",
      method: "e_purchasing",
      pdn: true,
      lines: [{ lineKey: line.line_key, amount: line.left }],
      selectionStart: "2026-12-01",
      executionStart: "2027-01-04",
      executionEnd: "2027-02-28",
    } as proc.PackageInput);
    await proc.announcePackage(em, w.ppk, clock, pkgId, (await proc.loadPackage(em, T, pkgId)).version);
    const pagu = Money.idr((await proc.loadPackage(em, T, pkgId)).pagu);
    const order = (vendorId: string, number: string) =>
      proc.placeOrder(em, w.ppk, clock, pkgId, { vendorId, number, date: "2026-12-02", product: "Stamper kuda", catalogueRef: "KATALOG-LKPP-55120", quantity: "1", unitPrice: pagu.toString(), startDate: "2027-01-04", endDate: "2027-02-28" });
    clock.advance(DAY);
    const first = await order(a.id, "SP/EPURCH/2026/11");
    clock.advance(DAY);
    await proc.answerOrder(em, a.actor, clock, first, "refuse", "Stok habis di gudang penyedia");
    clock.advance(DAY);
    const second = await order(b.id, "SP/EPURCH/2026/12");
    clock.advance(HOUR);
    await proc.answerOrder(em, w.ppk, clock, second, "withdraw", "Spesifikasi produk keliru dipilih");
    clock.advance(DAY);
    const third = await order(b.id, "SP/EPURCH/2026/13");
    clock.advance(DAY);
    await proc.answerOrder(em, b.actor, clock, third, "accept");
    expect(await rebuiltAsStored([pkgId])).toEqual(new Set(["planning", "award", "awardCancellation", "contract"]));
  });
});
