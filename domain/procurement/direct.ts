import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { DomainError, Problems } from "../kernel/domain-error";
import { D, Money } from "../kernel/money";
import { loadContract } from "./contracts";
import { emitProcurement, traceToProposals } from "./events";
import { orderMachine, swakelolaMachine } from "./machines";
import { loadPackage } from "./packages";
import { assertNotBlacklisted, loadVendor, vendorOfActor } from "./vendors";

/** Procurement without a selection: e-purchasing orders from the catalogue, and swakelola. */

export interface OrderInput {
  vendorId: string;
  number: string;
  date: string;
  product: string;
  catalogueRef: string;
  quantity: string;
  unitPrice: string;
  shipping?: string;
  startDate: string;
  endDate: string;
}

/**
 * An e-purchasing order (surat pesanan) on an announced e_purchasing package: quantity × catalogue price
 * plus shipping, within the package's pagu, to a vendor not blacklisted. It waits for the vendor.
 * Who: the PPK. Emits Awarded (→ OCDS award).
 */
export async function placeOrder(em: EntityManager, actor: Actor, clock: Clock, packageId: string, input: OrderInput): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const pkg = await loadPackage(tx, actor.tenant, packageId, true);
    assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    if (pkg.method !== "e_purchasing" || pkg.status !== "announced") throw new DomainError("procure.order.notEpurchasing");
    const p = new Problems();
    const number = String(input.number ?? "").trim();
    if (number.length < 3) p.add("number", "procure.contract.numberRequired");
    for (const f of ["date", "startDate", "endDate"] as const) if (!/^\d{4}-\d{2}-\d{2}$/.test(input[f] ?? "")) p.add(f, "procure.dateFormat");
    if (String(input.product ?? "").trim().length < 3) p.add("product", "procure.order.productRequired");
    const qty = String(input.quantity ?? "").trim();
    if (!/^\d{1,9}(\.\d{1,4})?$/.test(qty) || new D(qty).lte(0)) p.add("quantity", "procure.order.quantity");
    const unit = p.check("unitPrice", () => Money.idr(String(input.unitPrice ?? "").trim()));
    const shipping = input.shipping ? p.check("shipping", () => Money.idr(String(input.shipping).trim())) : Money.zero;
    p.throwIfAny();
    const total = unit!.times(qty).plus(shipping!);
    if (total.exceeds(Money.idr(pkg.pagu))) throw new DomainError("procure.contract.abovePagu", { value: total.toString(), pagu: pkg.pagu }, "invalid", "quantity");
    const [live] = await tx.execute<{ s: string | null }[]>("select sum(value)::text as s from contract where package_id = ? and status in ('sppbj','signed')", [pkg.id]);
    if (Money.idr(live.s ?? "0").plus(total).exceeds(Money.idr(pkg.pagu))) throw new DomainError("procure.contract.abovePagu", { value: Money.idr(live.s ?? "0").plus(total).toString(), pagu: pkg.pagu }, "invalid", "quantity");
    const v = await loadVendor(tx, actor.tenant, input.vendorId);
    await assertNotBlacklisted(tx, v, clock.now());
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      `insert into contract (id, tenant_code, package_id, vendor_id, sppbj_number, sppbj_date, type, original_value, value, start_date, end_date, status, catalogue_ref, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'harga_satuan', ?, ?, ?, ?, 'sppbj', ?, ?, ?)`,
      [id, actor.tenant, pkg.id, v.id, number, input.date, total.toString(), total.toString(), input.startDate, input.endDate, `${String(input.catalogueRef ?? "").trim()} — ${String(input.product).trim()} × ${qty}`.slice(0, 300), now, now],
    );
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: pkg.id,
      type: "Awarded",
      at: now,
      entityType: "Contract",
      entityId: id,
      payload: { contract: id, order: number, date: input.date, vendor: v.id, name: v.name, npwp: v.npwp, value: total.toString(), product: input.product, catalogueRef: input.catalogueRef, quantity: qty, unitPrice: unit!.toString(), shipping: shipping!.toString() },
    });
    return id;
  });
}

/**
 * The vendor accepts (the order becomes the contract) or refuses an order; the PPK may withdraw it first.
 * Emits ContractSigned (→ OCDS contract, the award active) or OrderRefused / OrderWithdrawn (→ OCDS
 * awardCancellation: the award unsuccessful / cancelled).
 */
export async function answerOrder(em: EntityManager, actor: Actor, clock: Clock, contractId: string, action: "accept" | "refuse" | "withdraw", reason = ""): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const c = await loadContract(tx, actor.tenant, contractId, true);
    const pkg = await loadPackage(tx, actor.tenant, c.package_id);
    if (pkg.method !== "e_purchasing") throw new DomainError("procure.order.notEpurchasing");
    if (action === "withdraw") assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    else {
      const v = await vendorOfActor(tx, actor);
      if (v.id !== c.vendor_id) throw new DomainError("auth.forbidden", {}, "forbidden");
    }
    const { to, event } = orderMachine.fire(c.status as never, action, actor, {});
    const now = clock.now();
    await tx.execute("update contract set status = ?, number = case when ? = 'signed' then sppbj_number else number end, signed_on = case when ? = 'signed' then ?::date else signed_on end, termination_reason = ?, version = version + 1, updated_at = ? where id = ?", [
      to, to, to, now.toISOString().slice(0, 10), String(reason ?? "").trim(), now, c.id,
    ]);
    if (to === "signed") {
      await emitProcurement(tx, record, { tenant: actor.tenant, packageId: pkg.id, type: "ContractSigned", at: now, entityType: "Contract", entityId: c.id, payload: { contract: c.id, number: c.sppbj_number, value: c.value, vendor: c.vendor_id, name: c.vendor_name, startDate: c.start_date, endDate: c.end_date, epurchasing: true } });
      await traceToProposals(tx, record, { tenant: actor.tenant, packageId: pkg.id, action: "contract", at: now, actorName: actor.displayName, details: { package: pkg.name, vendor: c.vendor_name, value: c.value, contract: c.id, number: c.sppbj_number } });
    } else {
      // The order's award will not be made: published (OCDS awardCancellation), so it does not stay pending.
      await emitProcurement(tx, record, {
        tenant: actor.tenant,
        packageId: pkg.id,
        type: event === "OrderRefused" ? "OrderRefused" : "OrderWithdrawn",
        at: now,
        entityType: "Contract",
        entityId: c.id,
        before: { status: c.status },
        payload: { contract: c.id, order: c.sppbj_number, vendor: c.vendor_id, name: c.vendor_name, value: c.value, reason: String(reason ?? "").trim() },
      });
    }
  });
}

/**
 * Swakelola: the team is formed by decree and the work starts, then it is handed over. Who: the PPK.
 * Emits SwakelolaStarted / SwakelolaCompleted.
 */
export async function moveSwakelola(em: EntityManager, actor: Actor, clock: Clock, packageId: string, action: "start" | "complete", decree: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const pkg = await loadPackage(tx, actor.tenant, packageId, true);
    assertCan(actor, "procure.package.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    if (pkg.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (pkg.type !== "swakelola") throw new DomainError("procure.swakelola.notSwakelola");
    const d = String(decree ?? "").trim();
    if (action === "start" && d.length < 5) throw new DomainError("procure.swakelola.decreeRequired", {}, "invalid", "decree");
    const { to, event } = swakelolaMachine.fire(pkg.status as never, action, actor, {});
    await tx.execute("update proc_package set status = ?, swakelola_decree = case when ? <> '' then ? else swakelola_decree end, version = version + 1, updated_at = ? where id = ?", [to, d, d, clock.now(), pkg.id]);
    record({ type: event, entityType: "Package", entityId: pkg.id, before: { status: pkg.status }, after: { status: to, decree: d } });
  });
}
