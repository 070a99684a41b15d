import type { EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";
import { DomainError, Problems, ValidationErrors } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { ProposalEvent } from "../musrenbang/entities";
import { amountOf, kindOfAccount, TAX_RATES } from "./lines";
import { accountLevel } from "../nomenclature/codes";
import { findAccountInForce } from "../nomenclature/sets";
import { FUNDING_SOURCES } from "../planning/renja";
import { apbdMachine, type ApbdAction, type ApbdStatus } from "./machines";
import { isUuid } from "../kernel/codes";

/**
 * The APBD in versions. Version 1 (murni) is assembled from the approved RKAs: each of its budget lines is
 * a snapshot of an RKA line, keyed by a line_key that stays the same in every later version (pergeseran,
 * perubahan), so versions compare line by line and payments follow a line across versions. Adopted
 * versions are locked; the version in force is the latest adopted one.
 */

export type ApbdKind = "murni" | "pergeseran" | "perubahan";

interface ApbdRow {
  id: string;
  tenant_code: string;
  fiscal_year: number;
  version_no: number;
  kind: ApbdKind;
  status: ApbdStatus;
  parent_id: string | null;
  legal_basis: string;
  reason: string;
  version: number;
}

async function loadApbd(tx: EntityManager, tenant: string, id: string, lock = false): Promise<ApbdRow> {
  if (!isUuid(id)) throw new DomainError("budget.apbd.notFound", {}, "notFound");
  const [a] = await tx.execute<ApbdRow[]>(`select * from apbd where tenant_code = ? and id = ?${lock ? " for update" : ""}`, [tenant, id]);
  if (!a) throw new DomainError("budget.apbd.notFound", {}, "notFound");
  return a;
}

/** The latest adopted version of a year's APBD (the one in force), if any. */
export async function apbdInForce(em: EntityManager, tenant: string, year: number): Promise<ApbdRow | null> {
  const [a] = await em.execute<ApbdRow[]>("select * from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1", [tenant, year]);
  return a ?? null;
}

const LINE_COLUMNS = "line_key, opd_id, sub_activity_id, kind, position, heading, account_code, description, spec, volume, unit, unit_price, tax_percent, amount, funding_source";

/**
 * Assembles the year's APBD (murni, version 1) from every approved RKA — or, while it is still a rancangan,
 * assembles it again from the RKAs approved since. RKAs not approved are left out and counted.
 * Who: TAPD. Emits ApbdAssembled.
 */
export async function assembleApbd(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string): Promise<{ id: string; lines: number; notApproved: number }> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  return transact(em, actor, clock, async (tx, record) => {
    await tx.execute("select pg_advisory_xact_lock(hashtext('apbd:' || ? || ':' || ?))", [actor.tenant, year]);
    const versions = await tx.execute<ApbdRow[]>("select * from apbd where tenant_code = ? and fiscal_year = ? order by version_no", [actor.tenant, year]);
    if (versions.length > 1 || (versions[0] && versions[0].status !== "rancangan")) throw new DomainError("budget.apbd.alreadyAgreed", { year });
    const id = versions[0]?.id ?? crypto.randomUUID();
    const now = clock.now();
    if (versions[0]) {
      await tx.execute("delete from budget_line where apbd_id = ?", [id]);
      await tx.execute("update apbd set version = version + 1, updated_at = ? where id = ?", [now, id]);
    } else
      await tx.execute("insert into apbd (id, tenant_code, fiscal_year, version_no, kind, status, created_at, updated_at) values (?, ?, ?, 1, 'murni', 'rancangan', ?, ?)", [
        id, actor.tenant, year, now, now,
      ]);
    await tx.execute(
      `insert into budget_line (id, tenant_code, apbd_id, ${LINE_COLUMNS})
       select gen_random_uuid(), r.tenant_code, ?, l.id, r.opd_id, r.sub_activity_id, r.kind, l.position, l.heading, l.account_code, l.description, l.spec, l.volume, l.unit, l.unit_price, l.tax_percent, l.amount, l.funding_source
         from rka_line l join rka r on r.id = l.rka_id where r.tenant_code = ? and r.fiscal_year = ? and r.status = 'approved'`,
      [id, actor.tenant, year],
    );
    const [{ lines }] = await tx.execute<{ lines: number }[]>("select count(*)::int as lines from budget_line where apbd_id = ?", [id]);
    if (lines === 0) throw new DomainError("budget.apbd.noApprovedRka", { year });
    const [{ pending }] = await tx.execute<{ pending: number }[]>("select count(*)::int as pending from rka where tenant_code = ? and fiscal_year = ? and status <> 'approved'", [actor.tenant, year]);
    const s = await sums(tx, id);
    record({ type: "ApbdAssembled", entityType: "Apbd", entityId: id, after: { year, lines, notApproved: pending, ...s } });
    return { id, lines, notApproved: pending };
  });
}

async function sums(tx: EntityManager, apbdId: string) {
  const rows = await tx.execute<{ kind: string; s: string }[]>("select kind, sum(amount)::text as s from budget_line where apbd_id = ? group by kind", [apbdId]);
  const get = (k: string) => new D(rows.find((r) => r.kind === k)?.s ?? "0").toFixed(2);
  return { pendapatan: get("pendapatan"), belanja: get("belanja"), pembiayaan: get("pembiayaan") };
}

/**
 * Moves an APBD version on: agree (persetujuan bersama with the DPRD), evaluate (the governor's
 * evaluation), adopt (Perda, with its number) — or enact a pergeseran (Perkada) straight from rancangan,
 * when its shifts keep every sub-activity's total. Refuses a stale version. Who: TAPD. Emits ApbdAgreed /
 * ApbdEvaluated / ApbdAdopted / ApbdShiftEnacted.
 */
export async function moveApbd(em: EntityManager, actor: Actor, clock: Clock, apbdId: string, action: ApbdAction, legalBasis: string, expectedVersion: number): Promise<void> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const basis = String(legalBasis ?? "").trim().slice(0, 300);
  await transact(em, actor, clock, async (tx, record) => {
    const a = await loadApbd(tx, actor.tenant, apbdId, true);
    if (a.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    let blocker: string | null = null;
    if ((action === "adopt" || action === "enact") && basis.length < 5) blocker = "budget.apbd.legalBasisRequired";
    if (!blocker && action === "enact") blocker = await shiftProblem(tx, a);
    const { to, event } = apbdMachine.fire(a.status, action, actor, { blocker, pergeseran: a.kind === "pergeseran" });
    await tx.execute("update apbd set status = ?, legal_basis = case when ? <> '' then ? else legal_basis end, version = version + 1, updated_at = ? where id = ?", [to, basis, basis, clock.now(), a.id]);
    record({ type: event, entityType: "Apbd", entityId: a.id, before: { status: a.status }, after: { status: to, versionNo: a.version_no, kind: a.kind, ...(basis ? { legalBasis: basis } : {}), ...(await sums(tx, a.id)) } });
  });
}

/** A pergeseran moves money between lines of a sub-activity: each sub-activity's (and OPD-level RKA's) total stays as its parent had it. */
async function shiftProblem(tx: EntityManager, a: ApbdRow): Promise<string | null> {
  const [bad] = await tx.execute<{ n: number }[]>(
    `with x as (select opd_id, sub_activity_id, kind, sum(amount) as s from budget_line where apbd_id = ? group by 1, 2, 3),
          y as (select opd_id, sub_activity_id, kind, sum(amount) as s from budget_line where apbd_id = ? group by 1, 2, 3)
     select count(*)::int as n from x full join y on x.opd_id = y.opd_id and x.kind = y.kind and x.sub_activity_id is not distinct from y.sub_activity_id
      where coalesce(x.s, 0) <> coalesce(y.s, 0)`,
    [a.id, a.parent_id],
  );
  return bad.n > 0 ? "budget.apbd.shiftChangesTotals" : null;
}

/**
 * Opens a revision of the version in force: a pergeseran (shifts within a sub-activity, Perkada) or the
 * perubahan (APBD-P, totals may change, Perda). Its lines start as copies, with the same line keys.
 * Who: TAPD. Emits ApbdRevisionOpened.
 */
export async function reviseApbd(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, kind: "pergeseran" | "perubahan", reason: string): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  const why = String(reason ?? "").trim().slice(0, 2000);
  if (kind !== "pergeseran" && kind !== "perubahan") throw new DomainError("budget.apbd.kindUnknown", { kind }, "invalid", "kind");
  if (why.length < 10) throw new DomainError("budget.apbd.reasonRequired", {}, "invalid", "reason");
  return transact(em, actor, clock, async (tx, record) => {
    await tx.execute("select pg_advisory_xact_lock(hashtext('apbd:' || ? || ':' || ?))", [actor.tenant, year]);
    const versions = await tx.execute<ApbdRow[]>("select * from apbd where tenant_code = ? and fiscal_year = ? order by version_no", [actor.tenant, year]);
    const last = versions.at(-1);
    if (!last || last.status !== "adopted") throw new DomainError("budget.apbd.revisionNeedsAdopted", { year });
    if (kind === "perubahan" && versions.some((v) => v.kind === "perubahan")) throw new DomainError("budget.apbd.perubahanOnce", { year });
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute("insert into apbd (id, tenant_code, fiscal_year, version_no, kind, status, parent_id, reason, created_at, updated_at) values (?, ?, ?, ?, ?, 'rancangan', ?, ?, ?, ?)", [
      id, actor.tenant, year, last.version_no + 1, kind, last.id, why, now, now,
    ]);
    await tx.execute(`insert into budget_line (id, tenant_code, apbd_id, ${LINE_COLUMNS}) select gen_random_uuid(), tenant_code, ?, ${LINE_COLUMNS} from budget_line where apbd_id = ?`, [id, last.id]);
    record({ type: "ApbdRevisionOpened", entityType: "Apbd", entityId: id, after: { year, versionNo: last.version_no + 1, kind, reason: why, parent: last.id } });
    return id;
  });
}

/** What has been paid (SP2D) on a line, across every version it has been in. */
async function paidOn(tx: EntityManager, tenant: string, lineKey: string): Promise<Money> {
  const [r] = await tx.execute<{ s: string }[]>(
    "select coalesce(sum(p.amount), 0)::text as s from sp2d p join budget_line b on b.id = p.budget_line_id where p.tenant_code = ? and b.line_key = ?",
    [tenant, lineKey],
  );
  return Money.fromDecimal(new D(r.s).toFixed(2));
}

/**
 * Changes a line of an APBD revision that is still a rancangan: its volume and unit price (the amount is
 * recomputed). Never below what has been paid on it. Who: TAPD. Emits BudgetLineChanged.
 */
export async function changeBudgetLine(em: EntityManager, actor: Actor, clock: Clock, apbdId: string, lineKey: string, input: { volume: string; unitPrice: string }, expectedVersion: number): Promise<void> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const p = new Problems();
  const volume = p.check("volume", () => {
    const v = String(input.volume ?? "").trim().replace(",", ".");
    if (!/^\d{1,14}(\.\d{1,8})?$/.test(v)) throw new DomainError("budget.line.factorFormat", { value: input.volume });
    return new D(v).toFixed();
  });
  const price = p.check("unitPrice", () => Money.idr(String(input.unitPrice ?? "").trim()));
  p.throwIfAny();
  await transact(em, actor, clock, async (tx, record) => {
    const a = await loadApbd(tx, actor.tenant, apbdId, true);
    if (a.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (a.status !== "rancangan" || a.version_no === 1) throw new DomainError("budget.apbd.lineNotEditable");
    const [line] = await tx.execute<{ id: string; volume: string; unit_price: string; tax_percent: string; amount: string; description: string }[]>(
      "select id, volume::text as volume, unit_price::text as unit_price, tax_percent::text as tax_percent, amount::text as amount, description from budget_line where apbd_id = ? and line_key::text = ? for update",
      [a.id, lineKey],
    );
    if (!line) throw new DomainError("budget.line.notFound", {}, "notFound");
    const amount = new D(volume!).isZero() ? Money.zero : amountOf(volume!, price!, new D(line.tax_percent).toFixed());
    const paid = await paidOn(tx, actor.tenant, lineKey);
    if (paid.exceeds(amount)) throw new DomainError("budget.apbd.belowPaid", { paid: paid.toString(), amount: amount.toString() }, "invalid", "volume");
    await tx.execute("update budget_line set volume = ?, unit_price = ?, amount = ? where id = ?", [volume!, price!.toString(), amount.toString(), line.id]);
    await tx.execute("update apbd set version = version + 1, updated_at = ? where id = ?", [clock.now(), a.id]);
    record({ type: "BudgetLineChanged", entityType: "Apbd", entityId: a.id, before: { line: lineKey, volume: line.volume, unitPrice: line.unit_price, amount: line.amount }, after: { line: lineKey, volume, unitPrice: price!.toString(), amount: amount.toString() } });
  });
}

export interface BudgetLineRow {
  line_key: string;
  opd_code: string;
  opd_name: string;
  sub_code: string | null;
  sub_name: string | null;
  program_code: string | null;
  kind: string;
  account_code: string;
  description: string;
  volume: string;
  unit: string;
  unit_price: string;
  amount: string;
  funding_source: string;
}

async function linesOf(em: EntityManager, apbdId: string): Promise<BudgetLineRow[]> {
  return em.execute<BudgetLineRow[]>(
    `select b.line_key, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as sub_code, s.name as sub_name, s.program_code, b.kind, b.account_code, b.description,
            b.volume::text as volume, b.unit, b.unit_price::text as unit_price, b.amount::text as amount, b.funding_source
       from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
      where b.apbd_id = ? order by o.code, s.sub_kegiatan_code nulls first, b.kind, b.position`,
    [apbdId],
  );
}

/**
 * The line-level difference between two versions of a year's APBD (any two): each line added, removed,
 * changed or the same, its amount before and after and the change; totals that reconcile with the rows.
 */
export async function diffApbd(em: EntityManager, tenant: string, fromId: string, toId: string) {
  const [a, b] = [await loadApbd(em, tenant, fromId), await loadApbd(em, tenant, toId)];
  if (a.fiscal_year !== b.fiscal_year) throw new DomainError("budget.apbd.differentYears");
  const [x, y] = [await linesOf(em, a.id), await linesOf(em, b.id)];
  const before = new Map(x.map((l) => [l.line_key, l]));
  const after = new Map(y.map((l) => [l.line_key, l]));
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const rows = keys.map((k) => {
    const p = before.get(k) ?? null;
    const q = after.get(k) ?? null;
    const change = !p ? "added" : !q ? "removed" : p.amount !== q.amount || p.volume !== q.volume || p.unit_price !== q.unit_price ? "changed" : "same";
    const delta = Money.idr(q?.amount ?? "0").minus(Money.idr(p?.amount ?? "0"));
    return { lineKey: k, line: (q ?? p)!, change, before: p?.amount ?? null, after: q?.amount ?? null, delta: delta.toString() };
  });
  const total = (ls: BudgetLineRow[]) => Money.sum(ls.map((l) => Money.idr(l.amount)));
  return {
    from: { id: a.id, versionNo: a.version_no, kind: a.kind },
    to: { id: b.id, versionNo: b.version_no, kind: b.kind },
    rows,
    totalBefore: total(x).toString(),
    totalAfter: total(y).toString(),
    delta: total(y).minus(total(x)).toString(),
  };
}

/** Every version of a year's APBD, oldest first. */
export async function apbdVersions(em: EntityManager, tenant: string, year: number) {
  return em.execute<(ApbdRow & { total: string })[]>(
    `select a.*, (select coalesce(sum(amount), 0)::numeric(20,2)::text from budget_line b where b.apbd_id = a.id and b.kind = 'belanja') as total
       from apbd a where a.tenant_code = ? and a.fiscal_year = ? order by a.version_no`,
    [tenant, year],
  );
}

/**
 * The standard summary tables of an APBD version, each summed exactly from its lines: revenue, spending
 * and financing with the surplus/deficit and net financing; by OPD; by account group (akun, kelompok,
 * jenis); by urusan/bidang and programme; by funding source.
 */
export async function apbdSummary(em: EntityManager, tenant: string, apbdId: string) {
  const a = await loadApbd(em, tenant, apbdId);
  const q = (sql: string) => em.execute<{ code: string; name: string | null; kind: string; total: string }[]>(sql, [a.fiscal_year, a.id]);
  const accountName = (expr: string) =>
    `(select c.name from account_code c join nomenclature_set s on s.id = c.set_id where s.kind = 'account' and s.applies_from <= ? and c.code = ${expr} order by s.applies_from desc, s.imported_at desc limit 1)`;
  const byGroup = await q(
    `select g.code, ${accountName("g.code")} as name, g.kind, g.total from (
       select array_to_string((string_to_array(account_code, '.'))[1:3], '.') as code, kind, sum(amount)::numeric(20,2)::text as total from budget_line where apbd_id = ? group by 1, 2) g order by g.code`,
  );
  const byOpd = await em.execute<{ code: string; name: string; kind: string; total: string }[]>(
    "select o.code, o.name, b.kind, sum(b.amount)::numeric(20,2)::text as total from budget_line b join opd o on o.id = b.opd_id where b.apbd_id = ? group by 1, 2, 3 order by 1, 3",
    [a.id],
  );
  const planningName = (expr: string) =>
    `(select i.name from nomenclature_item i join nomenclature_set ns on ns.id = i.set_id where ns.kind = 'planning' and ns.applies_from <= ? and i.code = ${expr} order by ns.applies_from desc, ns.imported_at desc limit 1)`;
  const byPlan = (codeExpr: string) =>
    em.execute<{ code: string; name: string | null; total: string }[]>(
      `select g.code, ${planningName("g.code")} as name, g.total from (
         select ${codeExpr} as code, sum(b.amount)::numeric(20,2)::text as total from budget_line b join sub_activity s on s.id = b.sub_activity_id where b.apbd_id = ? group by 1) g order by 1`,
      [a.fiscal_year, a.id],
    );
  const byProgram = await byPlan("s.program_code");
  const byBidang = await byPlan("substring(s.program_code from 1 for 4)");
  const byFunding = await em.execute<{ code: string; kind: string; total: string }[]>(
    "select funding_source as code, kind, sum(amount)::numeric(20,2)::text as total from budget_line where apbd_id = ? group by 1, 2 order by 2, 1",
    [a.id],
  );
  const s = await sums(em, a.id);
  const [fin] = await em.execute<{ receipts: string; spending: string }[]>(
    `select coalesce(sum(amount) filter (where account_code like '6.1%'), 0)::numeric(20,2)::text as receipts,
            coalesce(sum(amount) filter (where account_code like '6.2%'), 0)::numeric(20,2)::text as spending
       from budget_line where apbd_id = ? and kind = 'pembiayaan'`,
    [a.id],
  );
  const surplus = Money.idr(s.pendapatan).minus(Money.idr(s.belanja));
  const netFinancing = Money.idr(fin.receipts).minus(Money.idr(fin.spending));
  return {
    apbd: { id: a.id, year: a.fiscal_year, versionNo: a.version_no, kind: a.kind, status: a.status, legalBasis: a.legal_basis, version: a.version, reason: a.reason },
    totals: {
      ...s,
      financingReceipts: fin.receipts,
      financingSpending: fin.spending,
      surplus: surplus.toString(),
      netFinancing: netFinancing.toString(),
      silpa: surplus.plus(netFinancing).toString(),
    },
    byGroup,
    byOpd,
    byBidang,
    byProgram,
    byFunding,
  };
}

/**
 * Issues an OPD's DPA from the adopted version in force: its total is the OPD's spending lines. Re-issued
 * (a new DPA row) for each later adopted version. The proposals behind the OPD's sub-activities then show
 * on their public timeline how much the DPA gives the sub-activity that took them up.
 * Who: TAPD (PPKD). Emits DpaIssued and ProposalBudgeted per proposal.
 */
export async function issueDpa(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, opdCode: string): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  return transact(em, actor, clock, async (tx, record) => {
    const a = await apbdInForce(tx, actor.tenant, year);
    if (!a) throw new DomainError("budget.dpa.noAdoptedApbd", { year });
    const [o] = await tx.execute<{ id: string; name: string; short_name: string }[]>("select id, name, short_name from opd where tenant_code = ? and code = ?", [actor.tenant, opdCode]);
    if (!o) throw new DomainError("opd.unknown", { code: opdCode }, "invalid", "opd");
    const [dup] = await tx.execute<{ id: string }[]>("select id from dpa where apbd_id = ? and opd_id = ?", [a.id, o.id]);
    if (dup) throw new DomainError("budget.dpa.exists", { opd: o.name }, "conflict");
    const [t] = await tx.execute<{ s: string | null; n: number }[]>("select sum(amount)::text as s, count(*)::int as n from budget_line where apbd_id = ? and opd_id = ? and kind = 'belanja'", [a.id, o.id]);
    if (!t.n) throw new DomainError("budget.dpa.noLines", { opd: o.name });
    const total = Money.fromDecimal(new D(t.s!).toFixed(2));
    const id = crypto.randomUUID();
    const number = `DPA-${a.version_no > 1 ? "P" : ""}SKPD/${opdCode}/${year}${a.version_no > 1 ? `/V${a.version_no}` : ""}`;
    const now = clock.now();
    await tx.execute("insert into dpa (id, tenant_code, apbd_id, opd_id, number, total, issued_at, issued_by) values (?, ?, ?, ?, ?, ?, ?, ?)", [id, actor.tenant, a.id, o.id, number, total.toString(), now, actor.displayName]);
    record({ type: "DpaIssued", entityType: "Dpa", entityId: id, after: { number, opd: opdCode, year, versionNo: a.version_no, total: total.toString() } });
    const linked = await tx.execute<{ proposal_id: string; status: string; sub_code: string; sub_name: string; amount: string }[]>(
      `select x.proposal_id, p.status, s.sub_kegiatan_code as sub_code, s.name as sub_name,
              (select coalesce(sum(b.amount), 0)::numeric(20,2)::text from budget_line b where b.apbd_id = ? and b.sub_activity_id = s.id) as amount
         from sub_activity s join sub_activity_proposal x on x.sub_activity_id = s.id join proposal p on p.id = x.proposal_id
        where s.tenant_code = ? and s.fiscal_year = ? and s.opd_id = ?`,
      [a.id, actor.tenant, year, o.id],
    );
    for (const l of linked) {
      if (new D(l.amount).isZero()) continue;
      tx.create(ProposalEvent, {
        tenantCode: actor.tenant,
        proposalId: l.proposal_id,
        forumId: null,
        at: now,
        level: "kabupaten",
        action: "budget",
        fromStatus: l.status,
        toStatus: l.status,
        actorName: actor.displayName,
        reason: "",
        details: { amount: l.amount, opd: o.name, dpa: number, subKegiatan: `${l.sub_code} ${l.sub_name}`, year },
      });
      record({ type: "ProposalBudgeted", entityType: "Proposal", entityId: l.proposal_id, after: { dpa: number, amount: l.amount } });
    }
    return id;
  });
}

/** The periods a DPA's cash plan (anggaran kas) is set in: per month (12 amounts) or per quarter (4). */
export const CASH_PLAN_PERIODS = ["bulan", "triwulan"] as const;
export type CashPlanPeriod = (typeof CASH_PLAN_PERIODS)[number];

export function isCashPlanPeriod(x: unknown): x is CashPlanPeriod {
  return CASH_PLAN_PERIODS.includes(x as CashPlanPeriod);
}

/** How many amounts a plan in this period has. */
export function periodCount(period: CashPlanPeriod): number {
  return period === "triwulan" ? 4 : 12;
}

/**
 * The month a period's amount is stored on in dpa_cash_plan: the month itself, or the last month of the
 * quarter (triwulan n → month 3n), so that any reader adding up months stays right (migration 0009).
 */
export function monthOfPeriod(period: CashPlanPeriod, n: number): number {
  return period === "triwulan" ? n * 3 : n;
}

/**
 * The amounts of one sub-activity's cash plan as `wanted` shows them, from its stored rows (month,
 * amount) written in period `stored`. Quarters are the sums of their months; a quarterly plan shown by
 * month spreads each quarter evenly over its three months (exact to the sen). Without rows: an even split
 * of `total` over the periods, to start from. `set` is true when the rows are a plan in the period wanted.
 */
export function cashPlanAmounts(rows: readonly { month: number; amount: string }[], stored: CashPlanPeriod, wanted: CashPlanPeriod, total: Money): { amounts: string[]; set: boolean } {
  if (!rows.length) return { amounts: total.allocate(Array(periodCount(wanted)).fill(1)).map((m) => m.toString()), set: false };
  const months = Array.from({ length: 12 }, (_, i) => Money.sum(rows.filter((r) => r.month === i + 1).map((r) => Money.idr(new D(r.amount).toFixed(2)))));
  const quarters = [0, 1, 2, 3].map((q) => Money.sum(months.slice(q * 3, q * 3 + 3)));
  const amounts = wanted === "triwulan" ? quarters : stored === "bulan" ? months : quarters.flatMap((q) => q.allocate([1, 1, 1]));
  return { amounts: amounts.map((m) => m.toString()), set: stored === wanted };
}

/**
 * Sets a DPA's cash plan (anggaran kas): its period — per month (12 amounts) or per quarter (4) — and, for
 * each sub-activity (or the OPD's other spending), an amount per period, which must add up exactly to what
 * the DPA gives it. Replaces the whole plan at once (switching the period replaces it too). A quarter's
 * amount is stored on the last month of the quarter (see monthOfPeriod). Every problem is reported by
 * field: `period`, `plan.<sub kegiatan code>` (count, sum) and `plan.<code>.<n>` (one amount).
 * Who: the OPD or TAPD. Emits CashPlanSet.
 */
export async function setCashPlan(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  dpaId: string,
  input: { period: string; plan: { subActivityId: string | null; amounts: string[] }[] },
): Promise<void> {
  if (!isUuid(dpaId)) throw new DomainError("budget.dpa.notFound", {}, "notFound");
  const period = String(input.period ?? "").trim();
  if (!isCashPlanPeriod(period)) throw new ValidationErrors([{ field: "period", key: "budget.cash.periodUnknown", params: { value: period } }]);
  const count = periodCount(period);
  await transact(em, actor, clock, async (tx, record) => {
    const [d] = await tx.execute<{ id: string; apbd_id: string; opd_id: string; opd_code: string; number: string; cash_plan_period: CashPlanPeriod }[]>(
      "select d.id, d.apbd_id, d.opd_id, o.code as opd_code, d.number, d.cash_plan_period from dpa d join opd o on o.id = d.opd_id where d.tenant_code = ? and d.id = ? for update of d",
      [actor.tenant, dpaId],
    );
    if (!d) throw new DomainError("budget.dpa.notFound", {}, "notFound");
    if (!actor.hasRole("tapd_member")) assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: d.opd_code });
    const budget = await tx.execute<{ sub: string | null; code: string | null; s: string }[]>(
      `select b.sub_activity_id as sub, s.sub_kegiatan_code as code, sum(b.amount)::numeric(20,2)::text as s from budget_line b left join sub_activity s on s.id = b.sub_activity_id
        where b.apbd_id = ? and b.opd_id = ? and b.kind = 'belanja' group by 1, 2 order by 2`,
      [d.apbd_id, d.opd_id],
    );
    const p = new Problems();
    const rows: [string | null, number, string][] = [];
    const plan: Record<string, string[]> = {};
    for (const b of budget) {
      const entry = (input.plan ?? []).find((x) => (x.subActivityId || null) === b.sub);
      const field = `plan.${b.code ?? "opd"}`;
      if (!entry || !Array.isArray(entry.amounts) || entry.amounts.length !== count) {
        p.add(field, period === "triwulan" ? "budget.cash.quartersRequired" : "budget.cash.monthsRequired", { code: b.code ?? "", count: entry?.amounts?.length ?? 0 });
        continue;
      }
      const amounts = entry.amounts.map((m, i) => {
        const amount = p.check(`${field}.${i + 1}`, () => Money.idr(String(m ?? "").trim() || "0"));
        if (amount?.isNegative()) p.add(`${field}.${i + 1}`, "budget.cash.amountNegative", { code: b.code ?? "", n: i + 1 });
        return amount;
      });
      if (amounts.some((m) => !m || m.isNegative())) continue;
      const sum = Money.sum(amounts as Money[]);
      if (!sum.equals(Money.idr(b.s))) p.add(field, "budget.cash.sumMismatch", { code: b.code ?? "", sum: sum.toString(), budget: b.s });
      amounts.forEach((m, i) => rows.push([b.sub, monthOfPeriod(period, i + 1), m!.toString()]));
      plan[b.code ?? "opd"] = amounts.map((m) => m!.toString());
    }
    p.throwIfAny();
    await tx.execute("delete from dpa_cash_plan where dpa_id = ?", [d.id]);
    if (d.cash_plan_period !== period) await tx.execute("update dpa set cash_plan_period = ? where id = ?", [period, d.id]);
    for (const [sub, month, amount] of rows)
      await tx.execute("insert into dpa_cash_plan (dpa_id, sub_activity_id, kind, period, month, amount) values (?, ?, 'belanja', ?, ?, ?)", [d.id, sub, period, month, amount]);
    record({ type: "CashPlanSet", entityType: "Dpa", entityId: d.id, before: { period: d.cash_plan_period }, after: { number: d.number, period, rows: rows.length, plan } });
  });
}

/**
 * Records a payment (SP2D) against a line of the DPA in force: the OPD's DPA must be issued for the
 * version in force; the line is locked, and what has been paid on it across versions plus this payment
 * never exceeds its amount. Who: TAPD (BUD). Emits Sp2dRecorded.
 */
export async function recordSp2d(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  input: { year: number | string; lineKey: string; number: string; paidOn: string; amount: string; description?: string },
): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const p = new Problems();
  const year = p.check("year", () => FiscalYear.of(input.year).year);
  const number = String(input.number ?? "").trim().slice(0, 100);
  if (number.length < 3) p.add("number", "budget.sp2d.numberRequired");
  const paidOnDate = String(input.paidOn ?? "").trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOnDate) || Number.isNaN(Date.parse(paidOnDate))) p.add("paidOn", "budget.sp2d.dateFormat");
  else if (year && Number(paidOnDate.slice(0, 4)) !== year) p.add("paidOn", "budget.sp2d.dateOutsideYear", { year });
  const amount = p.check("amount", () => Money.idr(String(input.amount ?? "").trim()));
  if (amount && (amount.isZero() || amount.isNegative())) p.add("amount", "budget.sp2d.amountPositive");
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    const a = await apbdInForce(tx, actor.tenant, year!);
    if (!a) throw new DomainError("budget.dpa.noAdoptedApbd", { year });
    const [line] = await tx.execute<{ id: string; opd_id: string; amount: string; kind: string; description: string }[]>(
      "select id, opd_id, amount::text as amount, kind, description from budget_line where apbd_id = ? and line_key::text = ? for update",
      [a.id, String(input.lineKey)],
    );
    if (!line || line.kind !== "belanja") throw new DomainError("budget.sp2d.lineUnknown", {}, "invalid", "lineKey");
    const [dpa] = await tx.execute<{ id: string }[]>("select id from dpa where apbd_id = ? and opd_id = ?", [a.id, line.opd_id]);
    if (!dpa) throw new DomainError("budget.sp2d.noDpa");
    const paid = await paidOn(tx, actor.tenant, String(input.lineKey));
    const ceiling = Money.idr(line.amount);
    if (paid.plus(amount!).exceeds(ceiling)) throw new DomainError("budget.sp2d.beyondLine", { line: ceiling.toString(), paid: paid.toString(), amount: amount!.toString() }, "invalid", "amount");
    const id = crypto.randomUUID();
    await tx.execute("insert into sp2d (id, tenant_code, number, paid_on, budget_line_id, amount, description, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
      id, actor.tenant, number, paidOnDate, line.id, amount!.toString(), String(input.description ?? "").trim().slice(0, 500), clock.now(), actor.displayName,
    ]);
    record({ type: "Sp2dRecorded", entityType: "BudgetLine", entityId: String(input.lineKey), after: { number, paidOn: paidOnDate, amount: amount!.toString(), paidBefore: paid.toString(), line: ceiling.toString() } });
    return id;
  });
}

/** Absorption (realisasi) of the version in force: per line, per sub-activity and per OPD — budget, paid and the share paid. */
export async function absorption(em: EntityManager, tenant: string, year: number, opdCode?: string) {
  const a = await apbdInForce(em, tenant, year);
  if (!a) return null;
  const lines = await em.execute<{ line_key: string; opd_code: string; opd_name: string; sub_code: string | null; sub_name: string | null; account_code: string; description: string; budget: string; paid: string }[]>(
    `select b.line_key, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as sub_code, s.name as sub_name, b.account_code, b.description, b.amount::text as budget,
            (select coalesce(sum(p.amount), 0)::numeric(20,2)::text from sp2d p join budget_line x on x.id = p.budget_line_id where x.line_key = b.line_key) as paid
       from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
      where b.apbd_id = ? and b.kind = 'belanja' ${opdCode ? "and o.code = ?" : ""} order by o.code, s.sub_kegiatan_code, b.position`,
    opdCode ? [a.id, opdCode] : [a.id],
  );
  const pct = (paid: Money, budget: Money) => paid.percentOf(budget).toFixed(2);
  const group = <K extends string>(key: (l: (typeof lines)[number]) => K) => {
    const m = new Map<K, { budget: Money; paid: Money }>();
    for (const l of lines) {
      const g = m.get(key(l)) ?? { budget: Money.zero, paid: Money.zero };
      m.set(key(l), { budget: g.budget.plus(Money.idr(l.budget)), paid: g.paid.plus(Money.idr(l.paid)) });
    }
    return [...m].map(([k, v]) => ({ key: k, budget: v.budget.toString(), paid: v.paid.toString(), percent: pct(v.paid, v.budget) }));
  };
  const budget = Money.sum(lines.map((l) => Money.idr(l.budget)));
  const paid = Money.sum(lines.map((l) => Money.idr(l.paid)));
  return {
    apbd: { id: a.id, versionNo: a.version_no, kind: a.kind },
    lines: lines.map((l) => ({ ...l, percent: pct(Money.idr(l.paid), Money.idr(l.budget)) })),
    bySub: group((l) => `${l.opd_code}|${l.sub_code ?? ""}|${l.sub_name ?? ""}`),
    byOpd: group((l) => `${l.opd_code}|${l.opd_name}`),
    total: { budget: budget.toString(), paid: paid.toString(), percent: pct(paid, budget) },
  };
}

/**
 * A DPA: its OPD, version, total (with what has been paid), its spending lines per sub-activity with what
 * each has been paid, and the cash plan per sub-activity in the DPA's period (per month or per quarter) —
 * or, when none is set yet, an even split to start from (exact to the sen). `period` asks for the plan in
 * another period (the form switching between months and quarters): the stored plan converted to it (see
 * cashPlanAmounts), not yet set.
 */
export async function dpaView(em: EntityManager, tenant: string, dpaId: string, opts: { period?: CashPlanPeriod } = {}) {
  if (!isUuid(dpaId)) throw new DomainError("budget.dpa.notFound", {}, "notFound");
  const [d] = await em.execute<{ id: string; number: string; total: string; issued_at: Date; issued_by: string; apbd_id: string; opd_id: string; opd_code: string; opd_name: string; version_no: number; kind: string; year: number; in_force: boolean; cash_plan_period: CashPlanPeriod }[]>(
    `select d.id, d.number, d.total::text as total, d.issued_at, d.issued_by, d.apbd_id, d.opd_id, o.code as opd_code, o.name as opd_name, a.version_no, a.kind, a.fiscal_year as year, d.cash_plan_period,
            a.id = (select x.id from apbd x where x.tenant_code = a.tenant_code and x.fiscal_year = a.fiscal_year and x.status = 'adopted' order by x.version_no desc limit 1) as in_force
       from dpa d join opd o on o.id = d.opd_id join apbd a on a.id = d.apbd_id where d.tenant_code = ? and d.id = ?`,
    [tenant, dpaId],
  );
  if (!d) throw new DomainError("budget.dpa.notFound", {}, "notFound");
  const lines = await em.execute<{ line_key: string; sub_id: string | null; sub_code: string | null; sub_name: string | null; account_code: string; description: string; volume: string; unit: string; unit_price: string; amount: string; funding_source: string; paid: string }[]>(
    `select b.line_key, b.sub_activity_id as sub_id, s.sub_kegiatan_code as sub_code, s.name as sub_name, b.account_code, b.description, b.volume::text as volume, b.unit,
            b.unit_price::text as unit_price, b.amount::text as amount, b.funding_source,
            (select coalesce(sum(p.amount), 0)::numeric(20,2)::text from sp2d p join budget_line x on x.id = p.budget_line_id where x.line_key = b.line_key) as paid
       from budget_line b left join sub_activity s on s.id = b.sub_activity_id
      where b.apbd_id = ? and b.opd_id = ? and b.kind = 'belanja' order by s.sub_kegiatan_code, b.position`,
    [d.apbd_id, d.opd_id],
  );
  const plan = await em.execute<{ sub_id: string | null; month: number; amount: string }[]>("select sub_activity_id as sub_id, month, amount::text as amount from dpa_cash_plan where dpa_id = ? order by month", [d.id]);
  const subs = new Map<string, { subId: string | null; code: string | null; name: string | null; amount: Money; paid: Money }>();
  for (const l of lines) {
    const k = l.sub_id ?? "";
    const g = subs.get(k) ?? { subId: l.sub_id, code: l.sub_code, name: l.sub_name, amount: Money.zero, paid: Money.zero };
    subs.set(k, { ...g, amount: g.amount.plus(Money.idr(l.amount)), paid: g.paid.plus(Money.idr(l.paid)) });
  }
  const period = opts.period && isCashPlanPeriod(opts.period) ? opts.period : d.cash_plan_period;
  const cash = [...subs.values()].map((s) => {
    const rows = plan.filter((p) => (p.sub_id ?? null) === s.subId);
    const { amounts, set } = cashPlanAmounts(rows, d.cash_plan_period, period, s.amount);
    return { subId: s.subId, code: s.code, name: s.name, amount: s.amount.toString(), paid: s.paid.toString(), amounts, set };
  });
  const paid = Money.sum(lines.map((l) => Money.idr(l.paid)));
  return {
    dpa: { id: d.id, number: d.number, total: d.total, paid: paid.toString(), issuedAt: new Date(d.issued_at).toISOString(), issuedBy: d.issued_by, opdCode: d.opd_code, opdName: d.opd_name, versionNo: d.version_no, kind: d.kind, year: d.year, inForce: d.in_force, cashPlanPeriod: d.cash_plan_period },
    lines,
    /** The period the cash plan below is in (the DPA's own, unless another was asked for). */
    period,
    cash,
  };
}

/** The DPAs issued for an APBD version, by OPD. */
export async function dpasOf(em: EntityManager, apbdId: string) {
  return em.execute<{ id: string; number: string; opd_code: string; total: string }[]>(
    "select d.id, d.number, o.code as opd_code, d.total::text as total from dpa d join opd o on o.id = d.opd_id where d.apbd_id = ? order by o.code",
    [apbdId],
  );
}

/**
 * Adds a line to an APBD-P (perubahan) that is still a rancangan: new spending on a sub-activity of the
 * year's final RKPD, or an OPD's new revenue or financing line. The account must exist in the account list
 * in force and belong to the kind; the amount is volume × price × (1 + tax), exact to the sen. A pergeseran
 * cannot add lines (it only moves money). Who: TAPD. Emits BudgetLineAdded.
 */
export async function addBudgetLine(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  apbdId: string,
  input: { opdCode: string; subActivityId?: string; accountCode: string; description: string; volume: string; unit: string; unitPrice: string; taxPercent?: string; fundingSource: string },
  expectedVersion: number,
): Promise<string> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const p = new Problems();
  const account = String(input.accountCode ?? "").trim();
  const kind = kindOfAccount(account);
  if (accountLevel(account) !== 6 || !kind) p.add("accountCode", "budget.line.accountFormat", { code: account });
  const description = String(input.description ?? "").trim().slice(0, 500);
  if (description.length < 3) p.add("description", "budget.line.descriptionRequired");
  const volume = p.check("volume", () => {
    const v = String(input.volume ?? "").trim().replace(",", ".");
    if (!/^\d{1,14}(\.\d{1,8})?$/.test(v) || new D(v).lte(0)) throw new DomainError("budget.line.factorFormat", { value: input.volume });
    return new D(v).toFixed();
  });
  const unit = String(input.unit ?? "").trim().slice(0, 60);
  if (!unit) p.add("unit", "budget.line.factorUnit");
  const price = p.check("unitPrice", () => Money.idr(String(input.unitPrice ?? "").trim()));
  const tax = String(input.taxPercent ?? "0").trim() || "0";
  if (!TAX_RATES.includes(tax as never)) p.add("taxPercent", "budget.line.taxUnknown", { value: tax });
  if (!FUNDING_SOURCES.includes(input.fundingSource as never)) p.add("fundingSource", "planning.fundingSourceUnknown", { value: input.fundingSource });
  const sub = String(input.subActivityId ?? "").trim();
  if (kind === "belanja" && !isUuid(sub)) p.add("subActivity", "budget.apbd.subActivityRequired");
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    const a = await loadApbd(tx, actor.tenant, apbdId, true);
    if (a.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (a.status !== "rancangan" || a.kind !== "perubahan") throw new DomainError("budget.apbd.addOnlyPerubahan");
    if (!(await findAccountInForce(tx, a.fiscal_year, account))) throw new DomainError("budget.line.accountUnknown", { code: account, year: a.fiscal_year }, "invalid", "accountCode");
    const [o] = await tx.execute<{ id: string }[]>("select id from opd where tenant_code = ? and code = ?", [actor.tenant, input.opdCode]);
    if (!o) throw new DomainError("opd.unknown", { code: input.opdCode }, "invalid", "opd");
    if (kind === "belanja") {
      const [s] = await tx.execute<{ id: string }[]>(
        "select s.id from sub_activity s join renja r on r.id = s.renja_id where s.tenant_code = ? and s.id = ? and s.opd_id = ? and s.fiscal_year = ? and r.status = 'final'",
        [actor.tenant, sub, o.id, a.fiscal_year],
      );
      if (!s) throw new DomainError("budget.apbd.subActivityRequired", {}, "invalid", "subActivity");
    }
    const amount = amountOf(volume!, price!, tax);
    const [{ pos }] = await tx.execute<{ pos: number }[]>("select coalesce(max(position), 0) + 1 as pos from budget_line where apbd_id = ? and opd_id = ?", [a.id, o.id]);
    const key = crypto.randomUUID();
    await tx.execute(
      `insert into budget_line (id, tenant_code, apbd_id, line_key, opd_id, sub_activity_id, kind, position, heading, account_code, description, spec, volume, unit, unit_price, tax_percent, amount, funding_source)
       values (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, ?, ?, ?, ?, ?)`,
      [crypto.randomUUID(), actor.tenant, a.id, key, o.id, kind === "belanja" ? sub : null, kind, pos, account, description, volume!, unit, price!.toString(), tax, amount.toString(), input.fundingSource],
    );
    await tx.execute("update apbd set version = version + 1, updated_at = ? where id = ?", [clock.now(), a.id]);
    record({ type: "BudgetLineAdded", entityType: "Apbd", entityId: a.id, after: { line: key, opd: input.opdCode, account, description, volume, unitPrice: price!.toString(), tax, amount: amount.toString() } });
    return key;
  });
}

/** An OPD's lines in an APBD version, for editing a revision; and the sub-activities of its final Renja a new APBD-P line may go to. */
export async function revisionLines(em: EntityManager, apbdId: string, opdCode: string) {
  const lines = await em.execute<{ line_key: string; sub_code: string | null; account_code: string; description: string; volume: string; unit_price: string; amount: string }[]>(
    `select b.line_key, s.sub_kegiatan_code as sub_code, b.account_code, b.description, b.volume::text as volume, b.unit_price::text as unit_price, b.amount::text as amount
       from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id where b.apbd_id = ? and o.code = ? order by s.sub_kegiatan_code, b.position`,
    [apbdId, opdCode],
  );
  const subs = await em.execute<{ id: string; code: string; name: string }[]>(
    `select s.id, s.sub_kegiatan_code as code, s.name from sub_activity s join renja r on r.id = s.renja_id join opd o on o.id = s.opd_id
      where o.code = ? and r.status = 'final' and s.fiscal_year = (select fiscal_year from apbd where id = ?) order by s.sub_kegiatan_code`,
    [opdCode, apbdId],
  );
  return { lines, subs };
}
