import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../kernel/pg";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError, Problems } from "../kernel/domain-error";
import { wibDate } from "./events";
import { isIn, QUALIFICATIONS, type Qualification } from "./vocabulary";

/**
 * NPWP: 15 digits (the old 99.999.999.9-999.999 form) or 16 (the NIK-based form since 2024). Dots,
 * dashes and spaces are ignored. Returns the digits, or throws naming the field.
 */
export function parseNpwp(text: string, field = "npwp"): string {
  const digits = String(text ?? "").replace(/[.\-\s]/g, "");
  if (!/^\d{15,16}$/.test(digits) || /^0+$/.test(digits)) throw new DomainError("procure.vendor.npwpFormat", { text: String(text ?? "").trim() }, "invalid", field);
  return digits;
}

/** "01.234.567.8-901.000" for 15 digits; 16 digits are shown grouped by four. */
export function formatNpwp(digits: string): string {
  if (digits.length === 15) return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}.${digits.slice(8, 9)}-${digits.slice(9, 12)}.${digits.slice(12)}`;
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export interface VendorInput {
  npwp: string;
  nib?: string;
  name: string;
  address?: string;
  bankName?: string;
  bankAccount?: string;
  bankHolder?: string;
  qualification: string;
  kbli?: string[] | string;
}

function validVendor(input: VendorInput) {
  const p = new Problems();
  const npwp = p.check("npwp", () => parseNpwp(input.npwp));
  const name = String(input.name ?? "").trim();
  if (name.length < 3) p.add("name", "procure.vendor.nameRequired");
  const nib = String(input.nib ?? "").replace(/\s/g, "");
  if (nib && !/^\d{13}$/.test(nib)) p.add("nib", "procure.vendor.nibFormat", { text: nib });
  const qualification = input.qualification;
  if (!isIn(QUALIFICATIONS, qualification)) p.add("qualification", "procure.vendor.qualificationUnknown");
  const kbliList = (Array.isArray(input.kbli) ? input.kbli : String(input.kbli ?? "").split(/[,;\s]+/)).map((k) => k.trim()).filter(Boolean);
  for (const k of kbliList) if (!/^\d{5}$/.test(k)) p.add("kbli", "procure.vendor.kbliFormat", { text: k });
  const bankAccount = String(input.bankAccount ?? "").replace(/[\s.-]/g, "");
  if (bankAccount && !/^\d{6,20}$/.test(bankAccount)) p.add("bankAccount", "procure.vendor.bankAccountFormat");
  p.throwIfAny();
  return {
    npwp: npwp!,
    nib,
    name,
    address: String(input.address ?? "").trim(),
    bankName: String(input.bankName ?? "").trim(),
    bankAccount,
    bankHolder: String(input.bankHolder ?? "").trim(),
    qualification: qualification as Qualification,
    kbli: [...new Set(kbliList)],
  };
}

/** Registers a vendor (penyedia). The NPWP is unique in the tenant. Who: Pokja/UKPBJ or admin. Emits VendorRegistered. */
export async function registerVendor(em: EntityManager, actor: Actor, clock: Clock, input: VendorInput): Promise<string> {
  assertCan(actor, "procure.vendor.manage", { tenant: actor.tenant });
  const v = validVendor(input);
  return transact(em, actor, clock, async (tx, record) => {
    const [dup] = await tx.execute<{ name: string }[]>("select name from vendor where tenant_code = ? and npwp = ?", [actor.tenant, v.npwp]);
    if (dup) throw new DomainError("procure.vendor.npwpTaken", { name: dup.name }, "conflict", "npwp");
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      `insert into vendor (id, tenant_code, npwp, nib, name, address, bank_name, bank_account, bank_holder, qualification, kbli, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?)`,
      [id, actor.tenant, v.npwp, v.nib, v.name, v.address, v.bankName, v.bankAccount, v.bankHolder, v.qualification, pgArray(v.kbli), now, now],
    );
    record({ type: "VendorRegistered", entityType: "Vendor", entityId: id, after: { npwp: v.npwp, name: v.name, qualification: v.qualification } });
    return id;
  });
}

/** Changes a vendor's data with an optimistic lock. Emits VendorChanged. */
export async function updateVendor(em: EntityManager, actor: Actor, clock: Clock, vendorId: string, input: VendorInput, expectedVersion: number): Promise<void> {
  assertCan(actor, "procure.vendor.manage", { tenant: actor.tenant });
  const v = validVendor(input);
  await transact(em, actor, clock, async (tx, record) => {
    const before = await loadVendor(tx, actor.tenant, vendorId, true);
    if (before.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (before.npwp !== v.npwp) {
      const [dup] = await tx.execute<{ name: string }[]>("select name from vendor where tenant_code = ? and npwp = ? and id <> ?", [actor.tenant, v.npwp, vendorId]);
      if (dup) throw new DomainError("procure.vendor.npwpTaken", { name: dup.name }, "conflict", "npwp");
    }
    await tx.execute(
      `update vendor set npwp = ?, nib = ?, name = ?, address = ?, bank_name = ?, bank_account = ?, bank_holder = ?, qualification = ?, kbli = ?::text[], version = version + 1, updated_at = ? where id = ?`,
      [v.npwp, v.nib, v.name, v.address, v.bankName, v.bankAccount, v.bankHolder, v.qualification, pgArray(v.kbli), clock.now(), vendorId],
    );
    record({ type: "VendorChanged", entityType: "Vendor", entityId: vendorId, before: { npwp: before.npwp, name: before.name, qualification: before.qualification }, after: { npwp: v.npwp, name: v.name, qualification: v.qualification } });
  });
}

export interface VendorRow {
  id: string;
  npwp: string;
  nib: string;
  name: string;
  address: string;
  bank_name: string;
  bank_account: string;
  bank_holder: string;
  qualification: Qualification;
  kbli: string[];
  version: number;
}

export async function loadVendor(tx: EntityManager, tenant: string, vendorId: string, lock = false): Promise<VendorRow> {
  if (!isUuid(vendorId)) throw new DomainError("procure.vendor.notFound", {}, "notFound");
  const [v] = await tx.execute<VendorRow[]>(`select * from vendor where tenant_code = ? and id = ?${lock ? " for update" : ""}`, [tenant, vendorId]);
  if (!v) throw new DomainError("procure.vendor.notFound", {}, "notFound");
  return v;
}

/**
 * Puts a vendor on the blacklist (daftar hitam) for a period, with its reason and legal basis
 * (e.g. the PA/KPA's decree after a termination). Who: Pokja/UKPBJ or admin. Emits VendorBlacklisted.
 */
export async function blacklistVendor(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  vendorId: string,
  input: { startsOn: string; endsOn: string; reason: string; legalBasis: string; contractId?: string | null },
): Promise<void> {
  assertCan(actor, "procure.vendor.manage", { tenant: actor.tenant });
  const p = new Problems();
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(input.startsOn ?? "")) p.add("startsOn", "procure.dateFormat");
  if (!date.test(input.endsOn ?? "")) p.add("endsOn", "procure.dateFormat");
  else if (date.test(input.startsOn ?? "") && input.endsOn < input.startsOn) p.add("endsOn", "procure.vendor.sanctionEndsBeforeStart");
  const reason = String(input.reason ?? "").trim();
  const basis = String(input.legalBasis ?? "").trim();
  if (reason.length < 10) p.add("reason", "procure.reasonRequired");
  if (basis.length < 5) p.add("legalBasis", "procure.legalBasisRequired");
  p.throwIfAny();
  await transact(em, actor, clock, async (tx, record) => {
    const v = await loadVendor(tx, actor.tenant, vendorId, true);
    const id = crypto.randomUUID();
    await tx.execute(
      "insert into vendor_sanction (id, tenant_code, vendor_id, starts_on, ends_on, reason, legal_basis, contract_id, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [id, actor.tenant, v.id, input.startsOn, input.endsOn, reason, basis, input.contractId ?? null, clock.now(), actor.displayName],
    );
    record({ type: "VendorBlacklisted", entityType: "Vendor", entityId: v.id, after: { npwp: v.npwp, startsOn: input.startsOn, endsOn: input.endsOn, reason, legalBasis: basis } });
  });
}

/** The sanction in force on a date (WIB), if any. */
export async function sanctionOn(tx: EntityManager, vendorId: string, on: Date): Promise<{ ends_on: string; reason: string } | null> {
  const [s] = await tx.execute<{ ends_on: string; reason: string }[]>(
    "select to_char(ends_on, 'YYYY-MM-DD') as ends_on, reason from vendor_sanction where vendor_id = ? and starts_on <= ?::date and ends_on >= ?::date order by ends_on desc limit 1",
    [vendorId, wibDate(on), wibDate(on)],
  );
  return s ?? null;
}

/** Refuses a blacklisted vendor (bidding, award, contract). */
export async function assertNotBlacklisted(tx: EntityManager, vendor: { id: string; name: string }, on: Date): Promise<void> {
  const s = await sanctionOn(tx, vendor.id, on);
  if (s) throw new DomainError("procure.vendor.blacklisted", { name: vendor.name, until: s.ends_on }, "forbidden");
}

/** The vendor a contractor acts for: their assignment's scope is the vendor's NPWP. */
export async function vendorOfActor(tx: EntityManager, actor: Actor): Promise<VendorRow> {
  const npwps = actor.scopesFor("contractor").map((s) => s.code);
  if (npwps.length === 0) throw new DomainError("auth.roleRequired", { action: "bid" }, "forbidden");
  const [v] = await tx.execute<VendorRow[]>("select * from vendor where tenant_code = ? and npwp = any(?::text[]) order by name limit 1", [actor.tenant, pgArray(npwps)]);
  if (!v) throw new DomainError("procure.vendor.notRegistered", {}, "forbidden");
  return v;
}

export async function vendorList(em: EntityManager, tenant: string, q = "", on: Date = new Date()) {
  const text = String(q ?? "").trim();
  return em.execute<(VendorRow & { blacklisted_until: string | null })[]>(
    `select v.*, (select to_char(max(s.ends_on), 'YYYY-MM-DD') from vendor_sanction s where s.vendor_id = v.id and ?::date between s.starts_on and s.ends_on) as blacklisted_until
       from vendor v where v.tenant_code = ? and (? = '' or v.name ilike '%' || ? || '%' or v.npwp like ? || '%') order by v.name limit 200`,
    [wibDate(on), tenant, text, text, text.replace(/\D/g, "") || "-"],
  );
}
