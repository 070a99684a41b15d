import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError, Problems } from "../kernel/domain-error";
import { D, Money } from "../kernel/money";
import { emitProcurement, traceToProposals } from "./events";
import { machineFor } from "./machines";
import { loadPackage } from "./packages";
import { assertNotBlacklisted } from "./vendors";
import { CONTRACT_TYPES, isIn } from "./vocabulary";

/** Added work may raise a contract's value by at most this share of its original value (Perpres 16/2018 Pasal 54). */
export const AMENDMENT_MAX_INCREASE = "0.10";

export interface ContractRow {
  id: string;
  tenant_code: string;
  package_id: string;
  tender_id: string | null;
  vendor_id: string;
  vendor_name: string;
  sppbj_number: string;
  sppbj_date: string;
  number: string | null;
  signed_on: string | null;
  type: string;
  original_value: string;
  value: string;
  start_date: string | null;
  end_date: string | null;
  performance_bond: string | null;
  spmk_number: string | null;
  spmk_date: string | null;
  status: "sppbj" | "signed" | "terminated" | "completed";
  termination_reason: string;
  version: number;
}

export async function loadContract(tx: EntityManager, tenant: string, id: string, lock = false): Promise<ContractRow> {
  if (!isUuid(id)) throw new DomainError("procure.contract.notFound", {}, "notFound");
  const [c] = await tx.execute<ContractRow[]>(
    `select c.*, v.name as vendor_name, c.original_value::text as original_value, c.value::text as value, c.performance_bond::text as performance_bond,
            to_char(c.sppbj_date, 'YYYY-MM-DD') as sppbj_date, to_char(c.signed_on, 'YYYY-MM-DD') as signed_on, to_char(c.start_date, 'YYYY-MM-DD') as start_date,
            to_char(c.end_date, 'YYYY-MM-DD') as end_date, to_char(c.spmk_date, 'YYYY-MM-DD') as spmk_date
       from contract c join vendor v on v.id = c.vendor_id where c.tenant_code = ? and c.id = ?${lock ? " for update of c" : ""}`,
    [tenant, id],
  );
  if (!c) throw new DomainError("procure.contract.notFound", {}, "notFound");
  return c;
}

export interface SignInput {
  number: string;
  signedOn: string;
  type: string;
  value?: string | null;
  startDate: string;
  endDate: string;
  performanceBond?: string | null;
  spmkNumber?: string | null;
  spmkDate?: string | null;
  /** Payment terms (termin): description, the progress that earns it, amount. They add up to the value. */
  terms?: { description: string; progressPercent: string; amount: string }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The PPK signs the contract prepared by the SPPBJ: number, date, type, period, performance bond, SPMK
 * and payment terms. The value may be negotiated down, never above the winning price nor the package's
 * DPA lines. Emits ContractSigned (→ OCDS contract).
 */
export async function signContract(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: SignInput, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const c = await loadContract(tx, actor.tenant, contractId, true);
    const pkg = await loadPackage(tx, actor.tenant, c.package_id);
    assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    if (c.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (c.status !== "sppbj") throw new DomainError("procure.contract.notSppbj");
    const p = new Problems();
    const number = String(input.number ?? "").trim();
    if (number.length < 3) p.add("number", "procure.contract.numberRequired");
    for (const f of ["signedOn", "startDate", "endDate"] as const) if (!DATE.test(input[f] ?? "")) p.add(f, "procure.dateFormat");
    if (DATE.test(input.startDate ?? "") && DATE.test(input.endDate ?? "") && input.endDate < input.startDate) p.add("endDate", "procure.package.endBeforeStart");
    if (!isIn(CONTRACT_TYPES, input.type)) p.add("type", "procure.contract.typeUnknown");
    const value = input.value ? p.check("value", () => Money.idr(String(input.value).trim())) : Money.idr(c.value);
    if (value && value.exceeds(Money.idr(c.value))) p.add("value", "procure.contract.aboveAward", { value: value.toString(), award: c.value });
    if (value && !value.exceeds(Money.zero)) p.add("value", "procure.contract.valuePositive");
    const bond = input.performanceBond ? p.check("performanceBond", () => Money.idr(String(input.performanceBond).trim())) : null;
    if (input.spmkDate && !DATE.test(input.spmkDate)) p.add("spmkDate", "procure.dateFormat");
    const terms = (input.terms ?? []).filter((t) => String(t.description ?? "").trim() || String(t.amount ?? "").trim());
    const termAmounts = terms.map((t, i) => {
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(String(t.progressPercent ?? "").trim()) || new D(t.progressPercent).gt(100)) p.add(`terms.${i}.progressPercent`, "procure.contract.termProgress");
      if (String(t.description ?? "").trim().length < 3) p.add(`terms.${i}.description`, "procure.contract.termDescription");
      return p.check(`terms.${i}.amount`, () => Money.idr(String(t.amount ?? "").trim()));
    });
    if (value && terms.length && termAmounts.every(Boolean) && !Money.sum(termAmounts as Money[]).equals(value))
      p.add("terms", "procure.contract.termsSum", { sum: Money.sum(termAmounts as Money[]).toString(), value: value.toString() });
    p.throwIfAny();
    const now = clock.now();
    await assertNotBlacklisted(tx, { id: c.vendor_id, name: c.vendor_name }, now);
    if (value!.exceeds(Money.idr(pkg.pagu))) throw new DomainError("procure.contract.abovePagu", { value: value!.toString(), pagu: pkg.pagu }, "invalid", "value");
    const [dup] = await tx.execute<{ id: string }[]>("select id from contract where tenant_code = ? and number = ? and id <> ?", [actor.tenant, number, c.id]);
    if (dup) throw new DomainError("procure.contract.numberTaken", { number }, "conflict", "number");
    if (c.tender_id) {
      const [t] = await tx.execute<{ id: string; status: string; method: string; code: string }[]>("select id, status, method, code from tender where id = ? for update", [c.tender_id]);
      const { to } = machineFor(t.method as never).fire(t.status as never, "signContract", actor, {} as never);
      await tx.execute("update tender set status = ?, version = version + 1, updated_at = ? where id = ?", [to, now, t.id]);
    }
    await tx.execute(
      `update contract set number = ?, signed_on = ?, type = ?, value = ?, original_value = ?, start_date = ?, end_date = ?, performance_bond = ?, spmk_number = ?, spmk_date = ?,
              status = 'signed', version = version + 1, updated_at = ? where id = ?`,
      [number, input.signedOn, input.type, value!.toString(), value!.toString(), input.startDate, input.endDate, bond?.toString() ?? null, String(input.spmkNumber ?? "").trim() || null, input.spmkDate || null, now, c.id],
    );
    await tx.execute("delete from contract_term where contract_id = ?", [c.id]);
    for (const [i, t] of terms.entries())
      await tx.execute("insert into contract_term (contract_id, no, description, progress_percent, amount) values (?, ?, ?, ?, ?)", [c.id, i + 1, String(t.description).trim(), String(t.progressPercent).trim(), termAmounts[i]!.toString()]);
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: pkg.id,
      type: "ContractSigned",
      at: now,
      entityType: "Contract",
      entityId: c.id,
      payload: { contract: c.id, number, signedOn: input.signedOn, type: input.type, value: value!.toString(), vendor: c.vendor_id, name: c.vendor_name, startDate: input.startDate, endDate: input.endDate, terms: terms.length },
    });
    await traceToProposals(tx, record, { tenant: actor.tenant, packageId: pkg.id, action: "contract", at: now, actorName: actor.displayName, details: { package: pkg.name, vendor: c.vendor_name, value: value!.toString(), contract: c.id, number } });
  });
}

export interface AmendInput {
  reason: string;
  signedOn: string;
  newValue?: string | null;
  newEndDate?: string | null;
  scope?: string;
}

/**
 * An amendment (adendum) to a signed contract: a new value, end date or scope, with its reason. Added
 * work may raise the value by at most AMENDMENT_MAX_INCREASE of the original value in total, and never
 * above the DPA lines behind the package. Emits ContractAmended (→ OCDS contractAmendment).
 */
export async function amendContract(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: AmendInput, expectedVersion: number): Promise<number> {
  return transact(em, actor, clock, async (tx, record) => {
    const c = await loadContract(tx, actor.tenant, contractId, true);
    const pkg = await loadPackage(tx, actor.tenant, c.package_id);
    assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    if (c.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (c.status !== "signed") throw new DomainError("procure.contract.notSigned");
    const p = new Problems();
    const reason = String(input.reason ?? "").trim();
    if (reason.length < 10) p.add("reason", "procure.reasonRequired");
    if (!DATE.test(input.signedOn ?? "")) p.add("signedOn", "procure.dateFormat");
    const newValue = input.newValue ? p.check("newValue", () => Money.idr(String(input.newValue).trim())) : null;
    if (newValue && !newValue.exceeds(Money.zero)) p.add("newValue", "procure.contract.valuePositive");
    const newEnd = String(input.newEndDate ?? "").trim() || null;
    if (newEnd && !DATE.test(newEnd)) p.add("newEndDate", "procure.dateFormat");
    else if (newEnd && c.start_date && newEnd < c.start_date) p.add("newEndDate", "procure.package.endBeforeStart");
    const scope = String(input.scope ?? "").trim();
    if (!newValue && !newEnd && !scope) p.add("newValue", "procure.contract.amendmentEmpty");
    p.throwIfAny();
    const original = Money.idr(c.original_value);
    if (newValue) {
      const cap = original.plus(original.times(AMENDMENT_MAX_INCREASE));
      if (newValue.exceeds(cap)) throw new DomainError("procure.contract.amendmentTooLarge", { value: newValue.toString(), cap: cap.toString(), original: original.toString() }, "invalid", "newValue");
      if (newValue.exceeds(Money.idr(pkg.pagu))) throw new DomainError("procure.contract.abovePagu", { value: newValue.toString(), pagu: pkg.pagu }, "invalid", "newValue");
    }
    const now = clock.now();
    const [{ no }] = await tx.execute<{ no: number }[]>("select coalesce(max(no), 0)::int + 1 as no from contract_amendment where contract_id = ?", [c.id]);
    const valueAfter = newValue ?? Money.idr(c.value);
    await tx.execute(
      "insert into contract_amendment (contract_id, no, reason, value_before, value_after, end_before, end_after, scope, signed_on, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [c.id, no, reason, c.value, valueAfter.toString(), c.end_date, newEnd ?? c.end_date, scope, input.signedOn, now, actor.displayName],
    );
    await tx.execute("update contract set value = ?, end_date = coalesce(?::date, end_date), version = version + 1, updated_at = ? where id = ?", [valueAfter.toString(), newEnd, now, c.id]);
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: pkg.id,
      type: "ContractAmended",
      at: now,
      entityType: "Contract",
      entityId: c.id,
      before: { value: c.value, endDate: c.end_date },
      payload: { contract: c.id, no, reason, signedOn: input.signedOn, valueBefore: c.value, valueAfter: valueAfter.toString(), endBefore: c.end_date, endAfter: newEnd ?? c.end_date, scope },
    });
    return no;
  });
}

/**
 * Terminates a signed contract (pemutusan kontrak) with its reason. Blacklisting the vendor is a separate
 * decision (blacklistVendor, with the PA/KPA's decree). Emits ContractTerminated.
 */
export async function terminateContract(em: EntityManager, actor: Actor, clock: Clock, contractId: string, reason: string, expectedVersion: number): Promise<void> {
  const why = String(reason ?? "").trim();
  if (why.length < 10) throw new DomainError("procure.reasonRequired", {}, "invalid", "reason");
  await transact(em, actor, clock, async (tx, record) => {
    const c = await loadContract(tx, actor.tenant, contractId, true);
    const pkg = await loadPackage(tx, actor.tenant, c.package_id);
    assertCan(actor, "procure.contract.manage", { tenant: actor.tenant, opd: pkg.opd_code });
    if (c.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (c.status !== "signed") throw new DomainError("procure.contract.notSigned");
    const now = clock.now();
    await tx.execute("update contract set status = 'terminated', termination_reason = ?, version = version + 1, updated_at = ? where id = ?", [why, now, c.id]);
    await emitProcurement(tx, record, { tenant: actor.tenant, packageId: pkg.id, type: "ContractTerminated", at: now, entityType: "Contract", entityId: c.id, payload: { contract: c.id, number: c.number, reason: why } });
  });
}
