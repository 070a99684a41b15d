import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { fixedClock } from "../../../domain/kernel/clock";
import { Money } from "../../../domain/kernel/money";
import * as monev from "../../../domain/monev";
import { mergerFor } from "../../../exports/ocds/merge";
import { loadOcdsSchemas } from "../../../exports/ocds/schema";
import { validateRelease } from "../../../exports/ocds/validate";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { actorOf, demoContracts, progress, roadItems, SITE } from "./world";

const db = useTestDatabase("full");

async function rejection(p: Promise<unknown>): Promise<{ key: string; kind: string }> {
  try {
    await p;
  } catch (e) {
    const d = e as { key?: string; kind?: string };
    if (!d.key) throw e;
    return { key: d.key, kind: d.kind! };
  }
  throw new Error("expected a refusal");
}

async function verifiedReport(contractId: string, period: number, items: string[], at: string) {
  const contractor = await actorOf(db.em(), "penyedia2");
  const ppk = await actorOf(db.em(), "ppk.pu");
  const id = await monev.submitReport(db.em(), contractor, fixedClock(at), contractId, { periodNo: period, items: progress(...items), submit: true });
  const [r] = await db.em().execute<{ version: number }[]>("select version from progress_report where id = ?", [id]);
  await monev.verifyReport(db.em(), ppk, fixedClock(at), id, r.version);
}

describe("e-Monev: payments (uang muka, termin, retensi) as realisation, BAST PHO and FHO", () => {
  it("pays within the contract value and the DPA line, a termin only with its verified progress; the FHO closes the contract", async () => {
    const { road } = await demoContracts(db.em());
    const ppk = await actorOf(db.em(), "ppk.pu");
    const bud = await actorOf(db.em(), "tapd");
    const clock = fixedClock("2027-01-06T02:00:00Z");
    await monev.setSchedule(db.em(), ppk, clock, road.id, { periodKind: "monthly", siteLat: String(SITE.lat), siteLng: String(SITE.lng), maintenanceDays: 90, items: roadItems(road.value) }, 0);
    const value = Money.idr(road.value);
    const terms = await db.em().execute<{ no: number; progress_percent: string; amount: string }[]>(
      "select no::int as no, progress_percent::text as progress_percent, amount::text as amount from contract_term where contract_id = ? order by no",
      [road.id],
    );
    expect(terms.map((t) => t.progress_percent)).toEqual(["30.00", "70.00", "100.00"]);
    const lines = await db.em().execute<{ line_key: string; budget: string }[]>(
      `select pb.line_key::text as line_key, b.amount::text as budget from proc_package_budget pb
         join budget_line b on b.line_key = pb.line_key join apbd a on a.id = b.apbd_id and a.status = 'adopted' where pb.package_id = ? order by b.amount`,
      [road.package_id],
    );
    const small = lines[0];
    let sp2dNo = 0;
    const pay = async (input: Partial<monev.PaymentInput> & { amount: string }, at = "2027-01-20", who = bud) =>
      monev.recordPayment(db.em(), who, fixedClock(`${at}T03:00:00Z`), road.id, { kind: "termin", sp2dNumber: `00${++sp2dNo}/SP2D/LS/2027`, paidOn: at, ...input });

    // Only the BUD (TAPD) records an SP2D; the PPK may not.
    expect((await rejection(pay({ kind: "uang_muka", amount: value.times("0.20").toString() }, "2027-01-20", ppk))).kind).toBe("forbidden");
    // Advance: at most 30% of the value.
    expect((await rejection(pay({ kind: "uang_muka", amount: value.times("0.31").toString() }))).key).toBe("monev.payment.advanceTooLarge");
    await pay({ kind: "uang_muka", amount: value.times("0.20").toString() });
    expect((await rejection(pay({ kind: "uang_muka", amount: "1000000.00" }))).key).toBe("monev.payment.advanceTwice");

    // Termin I needs verified progress of 30%: none verified yet, then 7.5% only.
    expect((await rejection(pay({ termNo: 1, amount: terms[0].amount }, "2027-02-06")))).toMatchObject({ key: "monev.payment.progressNotReached" });
    await verifiedReport(road.id, 1, ["100", "10", "0", "0", "0"], "2027-02-06T02:00:00Z");
    expect((await rejection(pay({ termNo: 1, amount: terms[0].amount }, "2027-02-07")))).toMatchObject({ key: "monev.payment.progressNotReached" });
    // Period 2: 5 + 25 + 2.5 = 32.50 ≥ 30.
    await verifiedReport(road.id, 2, ["100", "100", "6.25", "0", "0"], "2027-03-06T02:00:00Z");
    // Beyond its DPA line: the budget's own check refuses it.
    const lineLeft = Money.idr(small.budget);
    expect(lineLeft.exceeds(Money.idr(terms[0].amount))).toBe(false);
    expect((await rejection(pay({ termNo: 1, amount: terms[0].amount, charges: [{ lineKey: small.line_key, amount: terms[0].amount }] }, "2027-03-08")))).toMatchObject({ key: "budget.sp2d.beyondLine" });
    expect((await rejection(pay({ termNo: 1, amount: Money.idr(terms[0].amount).plus(Money.idr("0.01")).toString() }, "2027-03-08")))).toMatchObject({ key: "monev.payment.aboveTerm" });
    await pay({ termNo: 1, amount: terms[0].amount }, "2027-03-08");
    expect((await rejection(pay({ termNo: 1, amount: "1000.00" }, "2027-03-09")))).toMatchObject({ key: "monev.payment.termPaid" });
    expect((await rejection(pay({ termNo: 9, amount: "1000.00" }, "2027-03-09")))).toMatchObject({ key: "monev.payment.termUnknown" });

    // All done by period 3; termin II, then termin III is limited by the contract value (the advance counts).
    await verifiedReport(road.id, 3, ["100", "100", "100", "100", "100"], "2027-04-05T02:00:00Z");
    await pay({ termNo: 2, amount: terms[1].amount }, "2027-04-06");
    const paidSoFar = value.times("0.20").plus(Money.idr(terms[0].amount)).plus(Money.idr(terms[1].amount));
    expect((await rejection(pay({ termNo: 3, amount: terms[2].amount }, "2027-04-07")))).toMatchObject({ key: "monev.payment.beyondContract" });
    const retention = value.times("0.05");
    const lastTermin = value.minus(paidSoFar).minus(retention);
    await pay({ termNo: 3, amount: lastTermin.toString() }, "2027-04-07");

    // Retention only after the FHO; the FHO only after the PHO and the maintenance period (90 days).
    expect((await rejection(pay({ kind: "retensi", amount: retention.toString() }, "2027-04-08")))).toMatchObject({ key: "monev.payment.retentionBeforeFho" });
    const version = async () => (await db.em().execute<{ version: number }[]>("select version from contract where id = ?", [road.id]))[0].version;
    expect(await rejection(monev.recordHandover(db.em(), ppk, clock, road.id, "fho", { number: "BAST-FHO/001", signedOn: "2027-04-08" }, await version()))).toMatchObject({ key: "monev.handover.phoFirst" });
    await monev.recordHandover(db.em(), ppk, clock, road.id, "pho", { number: "027/BAST-PHO/001/2027", signedOn: "2027-04-08" }, await version());
    expect(await rejection(monev.recordHandover(db.em(), ppk, clock, road.id, "fho", { number: "027/BAST-FHO/001/2027", signedOn: "2027-07-06" }, await version()))).toMatchObject({
      key: "monev.handover.maintenanceNotOver",
    });
    await monev.recordHandover(db.em(), ppk, clock, road.id, "fho", { number: "027/BAST-FHO/001/2027", signedOn: "2027-07-07" }, await version());
    const [c] = await db.em().execute<{ status: string }[]>("select status from contract where id = ?", [road.id]);
    expect(c.status).toBe("completed");
    expect((await rejection(pay({ kind: "retensi", amount: retention.plus(Money.idr("0.01")).toString() }, "2027-07-08")))).toMatchObject({ key: "monev.payment.beyondContract" });
    await pay({ kind: "retensi", amount: retention.toString() }, "2027-07-08");

    // Every payment is an SP2D on the package's lines: the budget's realisation shows them, and they add up to the contract.
    const [sums] = await db.em().execute<{ payments: string; sp2d: string; n: number }[]>(
      `select (select sum(amount)::text from contract_payment where contract_id = ?) as payments,
              (select sum(s.amount)::text from sp2d s join contract_payment_charge ch on ch.sp2d_id = s.id join contract_payment p on p.id = ch.payment_id where p.contract_id = ?) as sp2d,
              (select count(*)::int from contract_payment where contract_id = ?) as n`,
      [road.id, road.id, road.id],
    );
    expect(sums).toEqual({ payments: value.toString(), sp2d: value.toString(), n: 5 });
    // No line is paid beyond its budget.
    const [over] = await db.em().execute<{ n: number }[]>(
      "select count(*)::int as n from budget_line b where (select coalesce(sum(s.amount), 0) from sp2d s join budget_line x on x.id = s.budget_line_id where x.line_key = b.line_key) > b.amount",
    );
    expect(over.n).toBe(0);

    // Open contracting: each verified report and each payment is an implementation release of its own milestone
    // or transaction alone (they merge by id into the record); the FHO's release (contractTermination) carries
    // the whole implementation so far (3 progress milestones, 4 transactions from the OPD to the vendor), and the
    // parties hold their payer and payee roles.
    const releases = await db.em().execute<{ tags: string[]; data: Record<string, unknown> }[]>(
      "select tags, data from ocds_release where package_id = ? order by seq",
      [road.package_id],
    );
    const impl = releases.filter((r) => r.tags.includes("implementation"));
    expect(impl).toHaveLength(3 + 5);
    const closing = releases.filter((r) => r.tags.includes("contractTermination"));
    expect(closing).toHaveLength(1);
    type Rel = { parties: { id: string; roles: string[] }[]; contracts: { id: string; status?: string; milestones?: unknown[]; implementation: { milestones: { id: string; status: string; type: string }[]; transactions: { id: string; value: { amount: number }; payer: { id: string }; payee: { id: string } }[] } }[] };
    const own = impl.map((r) => {
      const k = (r.data as unknown as Rel).contracts[0];
      return [...(k.implementation.milestones ?? []).map((x) => x.id), ...(k.implementation.transactions ?? []).map((x) => x.id)];
    });
    expect(own.every((ids) => ids.length === 1)).toBe(true);
    expect(own.flat().sort()).toEqual(["pembayaran-1", "pembayaran-2", "pembayaran-3", "pembayaran-4", "pembayaran-5", "progres-1", "progres-2", "progres-3"]);
    const last = closing[0].data as unknown as Rel;
    const ci = last.contracts[0];
    expect(ci.id).toBe(road.id);
    expect(ci.implementation.milestones.map((x) => [x.id, x.type, x.status])).toEqual([
      ["progres-1", "reporting", "met"],
      ["progres-2", "reporting", "met"],
      ["progres-3", "reporting", "met"],
    ]);
    // The retensi (payment 5) is paid after the FHO: in the record, not in the closing release.
    expect(ci.implementation.transactions.map((x) => x.id)).toEqual(["pembayaran-1", "pembayaran-2", "pembayaran-3", "pembayaran-4"]);
    const payer = last.parties.find((p) => p.id === ci.implementation.transactions[0].payer.id)!;
    const payee = last.parties.find((p) => p.id === ci.implementation.transactions[0].payee.id)!;
    expect(payer.roles).toEqual(expect.arrayContaining(["buyer", "payer"]));
    expect(payee.roles).toEqual(expect.arrayContaining(["supplier", "payee"]));
    expect(payee.id).toBe(`IDN-NPWP-${road.npwp.replace(/\D/g, "")}`);
    // The compiled record keeps the whole contract (its terms, status) with its implementation, and validates.
    const compiled = mergerFor(loadOcdsSchemas().release).record(releases.map((r) => r.data) as never).compiledRelease as unknown as Rel;
    expect(validateRelease(compiled as never)).toEqual([]);
    const cc = compiled.contracts.find((x) => x.id === road.id)!;
    expect(cc.milestones).toHaveLength(3);
    expect(cc.status).toBe("terminated");
    expect(cc.implementation.milestones).toHaveLength(3);
    expect(cc.implementation.transactions.map((x) => x.value.amount.toFixed(2))).toEqual(
      (await db.em().execute<{ amount: string }[]>("select amount::text as amount from contract_payment where contract_id = ? order by no", [road.id])).map((x) => x.amount),
    );
    expect(compiled.parties.find((p) => p.id === payer.id)!.roles).toContain("payer");
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });
});
