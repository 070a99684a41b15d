import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { Opd } from "../tenancy/opd.entity";
import { bidangOfOpdCode } from "./codes";

/** The bidang urusan each OPD carries out, by OPD code. */
export async function opdBidang(em: EntityManager, tenant: string): Promise<Record<string, string[]>> {
  const rows = await em.execute<{ code: string; bidang_code: string }[]>(
    "select o.code, b.bidang_code from opd_bidang b join opd o on o.id = b.opd_id where b.tenant_code = ? order by o.code, b.bidang_code",
    [tenant],
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.code] ??= []).push(r.bidang_code);
  return out;
}

/**
 * Sets the bidang urusan an OPD carries out (the planning rule: a sub-activity's code must belong to
 * one of them). Who: admin, Bappeda. Emits OpdBidangSet. Without a list, the bidang are read from the
 * OPD's eight-segment code.
 */
export async function setOpdBidang(em: EntityManager, actor: Actor, clock: Clock, opdCode: string, bidang?: string[]): Promise<string[]> {
  assertCan(actor, "nomenclature.manage", { tenant: actor.tenant });
  return transact(em, actor, clock, async (tx, record) => {
    const opd = await tx.findOne(Opd, { code: opdCode });
    if (!opd) throw new DomainError("opd.unknown", { code: opdCode }, "invalid", "opd");
    const wanted = [...new Set((bidang ?? bidangOfOpdCode(opd.code)).map((b) => b.trim()))].sort();
    for (const b of wanted) if (!/^\d\.\d{2}$/.test(b)) throw new DomainError("nomenclature.codeFormat", { code: b, width: 4 }, "invalid", "bidang");
    const before = (await tx.execute<{ bidang_code: string }[]>("select bidang_code from opd_bidang where opd_id = ? order by 1", [opd.id])).map((r) => r.bidang_code);
    await tx.execute("delete from opd_bidang where opd_id = ?", [opd.id]);
    for (const b of wanted) await tx.execute("insert into opd_bidang (tenant_code, opd_id, bidang_code) values (?, ?, ?)", [actor.tenant, opd.id, b]);
    record({ type: "OpdBidangSet", entityType: "Opd", entityId: opd.id, before: { bidang: before }, after: { bidang: wanted } });
    return wanted;
  });
}
