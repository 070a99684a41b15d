import type { EntityManager } from "@mikro-orm/postgresql";
import { Money } from "../kernel/money";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { kuaMachine, type KuaStatus } from "./machines";
import { isUuid } from "../kernel/codes";


interface KuaRow {
  id: string;
  fiscal_year: number;
  status: KuaStatus;
  version: number;
  agreement: string;
  priorities: string[];
}

async function loadKua(tx: EntityManager, tenant: string, id: string, lock = false): Promise<KuaRow> {
  if (!isUuid(id)) throw new DomainError("budget.kua.notFound", {}, "notFound");
  const [k] = await tx.execute<KuaRow[]>(`select * from kua_ppas where tenant_code = ? and id = ?${lock ? " for update" : ""}`, [tenant, id]);
  if (!k) throw new DomainError("budget.kua.notFound", {}, "notFound");
  return k;
}

/** Sub-activities of the year's final Renja that the KUA-PPAS does not carry yet. */
async function missingFinalSubs(tx: EntityManager, tenant: string, year: number, kuaId: string | null) {
  return tx.execute<{ id: string; opd_id: string; program_code: string; ceiling: string }[]>(
    `select s.id, s.opd_id, s.program_code, s.ceiling::text as ceiling from sub_activity s join renja r on r.id = s.renja_id
      where s.tenant_code = ? and s.fiscal_year = ? and r.status = 'final'
        ${kuaId ? "and not exists (select 1 from ppas_ceiling c where c.kua_ppas_id = ? and c.sub_activity_id = s.id)" : ""}
      order by s.sub_kegiatan_code`,
    kuaId ? [tenant, year, kuaId] : [tenant, year],
  );
}

/**
 * Drafts the year's KUA-PPAS from the final RKPD: its priorities, and a provisional ceiling for every
 * sub-activity of every final Renja (its indicative ceiling to start with), so that the ceilings of an
 * OPD and of a programme are the sums of their sub-activities'. Who: TAPD. Emits KuaPpasDrafted.
 */
export async function draftKuaPpas(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, priorities: string[]): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  const prio = priorities.map((p) => p.trim().slice(0, 300)).filter(Boolean);
  if (!prio.length) throw new DomainError("budget.kua.prioritiesRequired", {}, "invalid", "priorities");
  return transact(em, actor, clock, async (tx, record) => {
    const [dup] = await tx.execute<{ id: string }[]>("select id from kua_ppas where tenant_code = ? and fiscal_year = ? for update", [actor.tenant, year]);
    if (dup) throw new DomainError("budget.kua.exists", { year }, "conflict");
    const subs = await missingFinalSubs(tx, actor.tenant, year, null);
    if (!subs.length) throw new DomainError("budget.kua.noFinalRkpd", { year });
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute("insert into kua_ppas (id, tenant_code, fiscal_year, status, priorities, created_at, updated_at) values (?, ?, ?, 'draft', ?::jsonb, ?, ?)", [
      id, actor.tenant, year, JSON.stringify(prio), now, now,
    ]);
    await insertCeilings(tx, actor.tenant, id, subs);
    const total = Money.sum(subs.map((s) => Money.idr(s.ceiling)));
    record({ type: "KuaPpasDrafted", entityType: "KuaPpas", entityId: id, after: { year, priorities: prio, subActivities: subs.length, total: total.toString() } });
    return id;
  });
}

async function insertCeilings(tx: EntityManager, tenant: string, kuaId: string, subs: { id: string; opd_id: string; program_code: string; ceiling: string }[]) {
  for (let i = 0; i < subs.length; i += 500) {
    const part = subs.slice(i, i + 500);
    await tx.execute(
      `insert into ppas_ceiling (tenant_code, kua_ppas_id, sub_activity_id, opd_id, program_code, amount)
       select ?, ?, x.sub, x.opd, x.prog, x.amount from unnest(?::uuid[], ?::uuid[], ?::text[], ?::numeric[]) as x(sub, opd, prog, amount)`,
      [tenant, kuaId, `{${part.map((s) => s.id).join(",")}}`, `{${part.map((s) => s.opd_id).join(",")}}`, `{${part.map((s) => `"${s.program_code}"`).join(",")}}`, `{${part.map((s) => s.ceiling).join(",")}}`],
    );
  }
}

/**
 * While the KUA-PPAS is a draft: takes in sub-activities of Renja adopted since (refresh), or sets one
 * sub-activity's provisional ceiling. Refuses a stale version. Who: TAPD. Emits KuaPpasRefreshed /
 * PpasCeilingSet.
 */
export async function refreshKuaPpas(em: EntityManager, actor: Actor, clock: Clock, kuaId: string, expectedVersion: number): Promise<number> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  return transact(em, actor, clock, async (tx, record) => {
    const k = await editableKua(tx, actor, kuaId, expectedVersion);
    const subs = await missingFinalSubs(tx, actor.tenant, k.fiscal_year, k.id);
    await insertCeilings(tx, actor.tenant, k.id, subs);
    await tx.execute("update kua_ppas set version = version + 1, updated_at = ? where id = ?", [clock.now(), k.id]);
    record({ type: "KuaPpasRefreshed", entityType: "KuaPpas", entityId: k.id, after: { added: subs.length } });
    return subs.length;
  });
}

async function editableKua(tx: EntityManager, actor: Actor, kuaId: string, expectedVersion: number) {
  const k = await loadKua(tx, actor.tenant, kuaId, true);
  if (k.status !== "draft") throw new DomainError("budget.kua.locked");
  if (k.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return k;
}

export async function setPpasCeiling(em: EntityManager, actor: Actor, clock: Clock, kuaId: string, subActivityId: string, amountText: string, expectedVersion: number): Promise<void> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const amount = Money.idr(String(amountText ?? "").trim());
  if (amount.isNegative()) throw new DomainError("budget.kua.ceilingNegative", {}, "invalid", "amount");
  await transact(em, actor, clock, async (tx, record) => {
    const k = await editableKua(tx, actor, kuaId, expectedVersion);
    const [row] = await tx.execute<{ amount: string }[]>("select amount::text as amount from ppas_ceiling where kua_ppas_id = ? and sub_activity_id::text = ?", [k.id, subActivityId]);
    if (!row) throw new DomainError("budget.kua.subUnknown", {}, "invalid", "subActivity");
    await tx.execute("update ppas_ceiling set amount = ? where kua_ppas_id = ? and sub_activity_id = ?", [amount.toString(), k.id, subActivityId]);
    await tx.execute("update kua_ppas set version = version + 1, updated_at = ? where id = ?", [clock.now(), k.id]);
    record({ type: "PpasCeilingSet", entityType: "KuaPpas", entityId: k.id, before: { subActivity: subActivityId, amount: row.amount }, after: { subActivity: subActivityId, amount: amount.toString() } });
  });
}

/**
 * Moves the KUA-PPAS on: submit to DPRD, then agree (with the nota kesepakatan's number). Once agreed its
 * ceilings bind every RKA of the year. Who: TAPD. Emits KuaPpasSubmitted / KuaPpasAgreed.
 */
export async function moveKuaPpas(em: EntityManager, actor: Actor, clock: Clock, kuaId: string, action: "submit" | "agree", agreement: string, expectedVersion: number): Promise<void> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const text = String(agreement ?? "").trim().slice(0, 300);
  await transact(em, actor, clock, async (tx, record) => {
    const k = await loadKua(tx, actor.tenant, kuaId, true);
    if (k.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const { to, event } = kuaMachine.fire(k.status, action, actor, { blocker: action === "agree" && text.length < 5 ? "budget.kua.agreementRequired" : null });
    await tx.execute("update kua_ppas set status = ?, agreement = case when ? = 'agree' then ? else agreement end, version = version + 1, updated_at = ? where id = ?", [to, action, text, clock.now(), k.id]);
    record({ type: event, entityType: "KuaPpas", entityId: k.id, before: { status: k.status }, after: { status: to, ...(action === "agree" ? { agreement: text } : {}) } });
  });
}

/** The ceiling that binds a sub-activity's RKA: its PPAS ceiling, and whether the KUA-PPAS is agreed. */
export async function ceilingOf(tx: EntityManager, tenant: string, year: number, subActivityId: string): Promise<{ amount: Money; agreed: boolean } | null> {
  const [r] = await tx.execute<{ amount: string; status: string }[]>(
    "select c.amount::text as amount, k.status from ppas_ceiling c join kua_ppas k on k.id = c.kua_ppas_id where k.tenant_code = ? and k.fiscal_year = ? and c.sub_activity_id = ?",
    [tenant, year, subActivityId],
  );
  return r ? { amount: Money.idr(r.amount), agreed: r.status === "agreed" } : null;
}

/** The KUA-PPAS of a year: status, priorities, and ceilings per OPD → programme → sub-activity with their sums. */
export async function kuaPpasView(em: EntityManager, tenant: string, year: number) {
  const [k] = await em.execute<(KuaRow & { created_at: Date })[]>("select * from kua_ppas where tenant_code = ? and fiscal_year = ?", [tenant, year]);
  if (!k) return null;
  const rows = await em.execute<{ sub_id: string; opd_code: string; opd_name: string; program_code: string; program_name: string | null; code: string; name: string; indicative: string; amount: string }[]>(
    `select s.id as sub_id, o.code as opd_code, o.name as opd_name, c.program_code, pg.name as program_name, s.sub_kegiatan_code as code, s.name,
            s.ceiling::text as indicative, c.amount::text as amount
       from ppas_ceiling c join sub_activity s on s.id = c.sub_activity_id join opd o on o.id = c.opd_id
       left join nomenclature_item pg on pg.set_id = s.nomenclature_set_id and pg.code = c.program_code
      where c.kua_ppas_id = ? order by o.code, c.program_code, s.sub_kegiatan_code`,
    [k.id],
  );
  const opds: { code: string; name: string; total: string; programs: { code: string; name: string; total: string; subs: typeof rows }[] }[] = [];
  for (const r of rows) {
    let o = opds.at(-1);
    if (!o || o.code !== r.opd_code) opds.push((o = { code: r.opd_code, name: r.opd_name, total: "0", programs: [] }));
    let p = o.programs.at(-1);
    if (!p || p.code !== r.program_code) o.programs.push((p = { code: r.program_code, name: r.program_name ?? "", total: "0", subs: [] }));
    p.subs.push(r);
  }
  for (const o of opds) {
    for (const p of o.programs) p.total = Money.sum(p.subs.map((s) => Money.idr(s.amount))).toString();
    o.total = Money.sum(o.programs.map((p) => Money.idr(p.total))).toString();
  }
  return {
    id: k.id,
    year: k.fiscal_year,
    status: k.status,
    version: k.version,
    agreement: k.agreement,
    priorities: k.priorities,
    opds,
    total: Money.sum(opds.map((o) => Money.idr(o.total))).toString(),
  };
}
