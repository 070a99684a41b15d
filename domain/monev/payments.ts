import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import { recordSp2d } from "../budgeting";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { DomainError, Problems } from "../kernel/domain-error";
import { D, Money } from "../kernel/money";
import { addDays } from "./kurva-s";
import { emitImplementation } from "./publish";
import { assertPpkOf, loadMonevContract } from "./support";

import { PAYMENT_KINDS, type PaymentKind } from "./vocabulary";
export { PAYMENT_KINDS, type PaymentKind };
/** The largest advance (uang muka) as a share of the contract value (Perpres 16/2018 Pasal 53: up to 30% for small businesses). */
export const ADVANCE_MAX_SHARE = "0.30";

export interface PaymentInput {
  kind: PaymentKind;
  /** termin: the contract's payment term (contract_term.no). */
  termNo?: number | string | null;
  amount: string;
  /** The SP2D that pays it: its number and date. */
  sp2dNumber: string;
  paidOn: string;
  /**
   * The package's DPA lines it is charged to, with the amount on each (adding up to the payment). Omitted:
   * the lines in order, each up to what is left on it, the rest on the last line.
   */
  charges?: { lineKey: string; amount: string }[] | null;
}

async function paidOnContract(tx: EntityManager, contractId: string): Promise<Money> {
  const [r] = await tx.execute<{ s: string }[]>("select coalesce(sum(amount), 0)::numeric(20,2)::text as s from contract_payment where contract_id = ?", [contractId]);
  return Money.idr(r.s);
}

/**
 * A payment to the contractor, recorded when the BUD issues its SP2D (who: TAPD, budget.manage): the
 * advance (uang muka, at most ADVANCE_MAX_SHARE of the value, once, before any termin), a termin (one of the
 * contract's payment terms, once, not above its amount, and only when a verified report has reached the
 * term's progress), or the retention (retensi) after the FHO. All payments together stay within the
 * contract value; each is also an SP2D on the package's DPA lines through the budget's own use case
 * (recordSp2d), which refuses a payment beyond a line. Emits PaymentRecorded (→ OCDS implementation
 * transaction). Returns the payment's id.
 */
export async function recordPayment(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: PaymentInput): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  return transact(em, actor, clock, async (tx, record) => {
    const m = await loadMonevContract(tx, actor.tenant, contractId, true);
    const c = m.contract;
    const p = new Problems();
    const kind = input.kind;
    if (!PAYMENT_KINDS.includes(kind)) p.add("kind", "monev.payment.kind");
    const amount = p.check("amount", () => Money.idr(String(input.amount ?? "").trim()));
    if (amount && !amount.exceeds(Money.zero)) p.add("amount", "budget.sp2d.amountPositive");
    // The package's lines in the APBD in force, with what is left on each (budget − SP2D paid on it).
    const lines = await tx.execute<{ line_key: string; left: string }[]>(
      `select b.line_key::text as line_key, (b.amount - coalesce((select sum(s.amount) from sp2d s join budget_line x on x.id = s.budget_line_id where x.line_key = b.line_key), 0))::numeric(20,2)::text as left
         from proc_package_budget pb join budget_line b on b.line_key = pb.line_key
         join apbd a on a.id = b.apbd_id and a.status = 'adopted' and a.version_no = (select max(version_no) from apbd where tenant_code = a.tenant_code and fiscal_year = a.fiscal_year and status = 'adopted')
        where pb.package_id = ? order by b.position, b.line_key`,
      [m.pkg.id],
    );
    const charges: { lineKey: string; amount: Money }[] = [];
    if (input.charges?.length) {
      for (const [i, ch] of input.charges.entries()) {
        const a = p.check(`charges.${i}.amount`, () => Money.idr(String(ch.amount ?? "").trim()));
        if (!lines.some((l) => l.line_key === String(ch.lineKey))) p.add(`charges.${i}.lineKey`, "monev.payment.lineNotOfPackage");
        else if (a && a.exceeds(Money.zero)) charges.push({ lineKey: String(ch.lineKey), amount: a });
      }
      if (amount && !Money.sum(charges.map((c) => c.amount)).equals(amount)) p.add("charges", "monev.payment.chargesSum", { amount: amount.toString() });
    } else if (amount && lines.length) {
      let rest = amount;
      for (const [i, l] of lines.entries()) {
        const room = Money.idr(l.left);
        const take = i === lines.length - 1 || !rest.exceeds(room) ? rest : room.exceeds(Money.zero) ? room : Money.zero;
        if (take.exceeds(Money.zero)) charges.push({ lineKey: l.line_key, amount: take });
        rest = rest.minus(take);
        if (!rest.exceeds(Money.zero)) break;
      }
    }
    if (!lines.length) p.add("charges", "monev.payment.noLines");
    p.throwIfAny();
    const value = Money.idr(c.value);
    const paid = await paidOnContract(tx, c.id);
    let termNo: number | null = null;
    let reportId: string | null = null;
    const [fho] = await tx.execute<{ signed_on: string }[]>("select to_char(signed_on, 'YYYY-MM-DD') as signed_on from contract_handover where contract_id = ? and kind = 'fho'", [c.id]);
    if (kind === "retensi") {
      if (!fho) throw new DomainError("monev.payment.retentionBeforeFho");
    } else if (c.status !== "signed") throw new DomainError("monev.contract.notRunning", { status: c.status });
    if (kind === "uang_muka") {
      const [prior] = await tx.execute<{ kind: string }[]>("select kind from contract_payment where contract_id = ? and kind in ('uang_muka','termin') limit 1", [c.id]);
      if (prior) throw new DomainError(prior.kind === "uang_muka" ? "monev.payment.advanceTwice" : "monev.payment.advanceAfterTermin");
      const cap = value.times(ADVANCE_MAX_SHARE);
      if (amount!.exceeds(cap)) throw new DomainError("monev.payment.advanceTooLarge", { amount: amount!.toString(), cap: cap.toString() }, "invalid", "amount");
    }
    if (kind === "termin") {
      termNo = Number(String(input.termNo ?? "").trim());
      const [term] = Number.isInteger(termNo)
        ? await tx.execute<{ no: number; progress_percent: string; amount: string; description: string }[]>(
            "select no::int as no, progress_percent::text as progress_percent, amount::text as amount, description from contract_term where contract_id = ? and no = ?",
            [c.id, termNo],
          )
        : [];
      if (!term) throw new DomainError("monev.payment.termUnknown", {}, "invalid", "termNo");
      const [done] = await tx.execute<{ id: string }[]>("select id from contract_payment where contract_id = ? and term_no = ?", [c.id, termNo]);
      if (done) throw new DomainError("monev.payment.termPaid", { term: term.description }, "invalid", "termNo");
      const [latest] = await tx.execute<{ id: string; physical: string; period_no: number }[]>(
        "select id, physical::text as physical, period_no::int as period_no from progress_report where contract_id = ? and status = 'verified' order by period_no desc limit 1",
        [c.id],
      );
      if (!latest || new D(latest.physical).lt(term.progress_percent))
        throw new DomainError("monev.payment.progressNotReached", { term: term.description, needed: term.progress_percent, verified: latest?.physical ?? "0.00" }, "invalid", "termNo");
      if (amount!.exceeds(Money.idr(term.amount))) throw new DomainError("monev.payment.aboveTerm", { amount: amount!.toString(), term: term.amount }, "invalid", "amount");
      reportId = latest.id;
    }
    if (paid.plus(amount!).exceeds(value))
      throw new DomainError("monev.payment.beyondContract", { value: value.toString(), paid: paid.toString(), amount: amount!.toString() }, "invalid", "amount");
    // The SP2D, one row per line, through the budget's use case (in this transaction): refused beyond a DPA line.
    const sp2dIds: string[] = [];
    for (const ch of charges)
      sp2dIds.push(
        await recordSp2d(tx, actor, clock, {
          year: m.pkg.fiscal_year,
          lineKey: ch.lineKey,
          number: input.sp2dNumber,
          paidOn: input.paidOn,
          amount: ch.amount.toString(),
          description: `${kind === "uang_muka" ? "Uang muka" : kind === "retensi" ? "Retensi" : `Termin ${termNo}`} kontrak ${c.number ?? c.sppbj_number} — ${c.vendor_name}`,
        }),
      );
    const [{ no }] = await tx.execute<{ no: number }[]>("select coalesce(max(no), 0)::int + 1 as no from contract_payment where contract_id = ?", [c.id]);
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      "insert into contract_payment (id, tenant_code, contract_id, no, kind, term_no, report_id, amount, sp2d_number, paid_on, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [id, actor.tenant, c.id, no, kind, termNo, reportId, amount!.toString(), String(input.sp2dNumber).trim(), input.paidOn, now, actor.displayName],
    );
    for (const s of sp2dIds) await tx.execute("insert into contract_payment_charge (payment_id, sp2d_id) values (?, ?)", [id, s]);
    const total = paid.plus(amount!);
    // → OCDS: the contract's implementation with this payment as a transaction (payer the OPD, payee the vendor).
    await emitImplementation(tx, record, {
      tenant: actor.tenant,
      packageId: m.pkg.id,
      contractId: c.id,
      type: "PaymentRecorded",
      at: now,
      entityType: "Contract",
      entityId: c.id,
      details: { payment: id, no, kind, term: termNo, amount: amount!.toString(), sp2d: input.sp2dNumber, lines: charges.map((ch) => [ch.lineKey, ch.amount.toString()]), paidOn: input.paidOn, paidTotal: total.toString(), financialProgress: total.percentOf(value).toFixed(2) },
    });
    return id;
  });
}

export interface HandoverInput {
  number: string;
  signedOn: string;
  note?: string;
}

/**
 * Berita acara serah terima, by the PPK of the contract's OPD: the PHO (provisional handover) once a
 * verified report shows the work 100% complete; the FHO (final handover) after the maintenance period
 * from the PHO — which closes the contract (status completed; emits ContractCompleted). `expectedVersion` is
 * the contract's.
 */
export async function recordHandover(em: EntityManager, actor: Actor, clock: Clock, contractId: string, kind: "pho" | "fho", input: HandoverInput, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const m = await loadMonevContract(tx, actor.tenant, contractId, true);
    assertPpkOf(actor, m);
    const c = m.contract;
    if (c.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (c.status !== "signed") throw new DomainError("monev.contract.notRunning", { status: c.status });
    const p = new Problems();
    const number = String(input.number ?? "").trim().slice(0, 200);
    if (number.length < 3) p.add("number", "monev.handover.numberRequired");
    const signedOn = String(input.signedOn ?? "").trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(signedOn)) p.add("signedOn", "procure.dateFormat");
    if (kind !== "pho" && kind !== "fho") p.add("kind", "monev.handover.kind");
    p.throwIfAny();
    const done = await tx.execute<{ kind: string; signed_on: string }[]>("select kind, to_char(signed_on, 'YYYY-MM-DD') as signed_on from contract_handover where contract_id = ?", [c.id]);
    const pho = done.find((d) => d.kind === "pho");
    if (done.some((d) => d.kind === kind)) throw new DomainError("monev.handover.already", { kind });
    if (kind === "pho") {
      const [latest] = await tx.execute<{ physical: string }[]>("select physical::text as physical from progress_report where contract_id = ? and status = 'verified' order by period_no desc limit 1", [c.id]);
      if (!latest || new D(latest.physical).lt(100)) throw new DomainError("monev.handover.notComplete", { verified: latest?.physical ?? "0.00" });
    } else {
      if (!pho) throw new DomainError("monev.handover.phoFirst");
      const until = addDays(pho.signed_on, m.plan?.maintenance_days ?? 180);
      if (signedOn < until) throw new DomainError("monev.handover.maintenanceNotOver", { until }, "invalid", "signedOn");
    }
    const now = clock.now();
    await tx.execute("insert into contract_handover (contract_id, kind, number, signed_on, note, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?)", [
      c.id, kind, number, signedOn, String(input.note ?? "").trim().slice(0, 2000), now, actor.displayName,
    ]);
    await tx.execute(`update contract set ${kind === "fho" ? "status = 'completed', " : ""}version = version + 1, updated_at = ? where id = ?`, [now, c.id]);
    record({ type: kind === "pho" ? "ProvisionalHandoverSigned" : "FinalHandoverSigned", entityType: "Contract", entityId: c.id, after: { number, signedOn, ...(kind === "fho" ? { status: "completed" } : {}) } });
    // → OCDS: the FHO closes the contract (contractTermination, with its implementation).
    if (kind === "fho")
      await emitImplementation(tx, record, { tenant: actor.tenant, packageId: m.pkg.id, contractId: c.id, type: "ContractCompleted", at: now, entityType: "Contract", entityId: c.id, details: { number, signedOn } });
  });
}
