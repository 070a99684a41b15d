import type { EntityManager } from "@mikro-orm/postgresql";
import { D, Money } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { accountLevel } from "../nomenclature/codes";
import { findAccountInForce } from "../nomenclature/sets";
import { FUNDING_SOURCES } from "../planning/renja";
import { amountOf, kindOfAccount, TAX_RATES, volumeOf, type Factor } from "./lines";
import { ceilingOf } from "./kuappas";
import { parseRupiah, priceItem, type PriceItemView } from "./prices";
import { RKA_EDITABLE, rkaMachine, type RkaAction, type RkaStatus } from "./machines";
import { isUuid } from "../kernel/codes";

export type RkaKind = "belanja" | "pendapatan" | "pembiayaan";

interface RkaRow {
  id: string;
  tenant_code: string;
  fiscal_year: number;
  opd_id: string;
  opd_code: string;
  opd_name: string;
  sub_activity_id: string | null;
  kind: RkaKind;
  status: RkaStatus;
  version: number;
  return_note: string;
}

async function loadRka(tx: EntityManager, tenant: string, id: string, lock = false): Promise<RkaRow> {
  if (!isUuid(id)) throw new DomainError("budget.rka.notFound", {}, "notFound");
  const [r] = await tx.execute<RkaRow[]>(
    `select r.*, o.code as opd_code, o.name as opd_name from rka r join opd o on o.id = r.opd_id where r.tenant_code = ? and r.id = ?${lock ? " for update of r" : ""}`,
    [tenant, id],
  );
  if (!r) throw new DomainError("budget.rka.notFound", {}, "notFound");
  return r;
}

/** The RKA locked for a change by its OPD: the version the editor saw, and a status that allows edits. */
async function editableRka(tx: EntityManager, actor: Actor, id: string, expectedVersion: number): Promise<RkaRow> {
  const r = await loadRka(tx, actor.tenant, id, true);
  assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: r.opd_code });
  if (!RKA_EDITABLE.includes(r.status)) throw new DomainError("budget.rka.locked", { status: r.status });
  if (r.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return r;
}

async function bump(tx: EntityManager, id: string, clock: Clock) {
  await tx.execute("update rka set version = version + 1, updated_at = ? where id = ?", [clock.now(), id]);
}

/**
 * Opens the RKA of a sub-activity (belanja). The sub-activity must carry a KUA-PPAS ceiling for its year.
 * Who: the sub-activity's OPD. Emits RkaOpened. Returns the existing RKA's id when there is one.
 */
export async function openRka(em: EntityManager, actor: Actor, clock: Clock, subActivityId: string): Promise<string> {
  if (!isUuid(subActivityId)) throw new DomainError("planning.subActivityNotFound", {}, "notFound");
  return transact(em, actor, clock, async (tx, record) => {
    const [s] = await tx.execute<{ id: string; fiscal_year: number; opd_id: string; opd_code: string; code: string }[]>(
      "select s.id, s.fiscal_year, s.opd_id, o.code as opd_code, s.sub_kegiatan_code as code from sub_activity s join opd o on o.id = s.opd_id where s.tenant_code = ? and s.id = ? for update of s",
      [actor.tenant, subActivityId],
    );
    if (!s) throw new DomainError("planning.subActivityNotFound", {}, "notFound");
    assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: s.opd_code });
    const [have] = await tx.execute<{ id: string }[]>("select id from rka where tenant_code = ? and sub_activity_id = ?", [actor.tenant, s.id]);
    if (have) return have.id;
    if (!(await ceilingOf(tx, actor.tenant, s.fiscal_year, s.id))) throw new DomainError("budget.rka.noCeiling", { code: s.code, year: s.fiscal_year });
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute("insert into rka (id, tenant_code, fiscal_year, opd_id, sub_activity_id, kind, status, created_at, updated_at) values (?, ?, ?, ?, ?, 'belanja', 'draft', ?, ?)", [
      id, actor.tenant, s.fiscal_year, s.opd_id, s.id, now, now,
    ]);
    record({ type: "RkaOpened", entityType: "Rka", entityId: id, after: { subActivity: s.id, code: s.code, year: s.fiscal_year } });
    return id;
  });
}

/** Opens an OPD's revenue (pendapatan) or financing (pembiayaan) RKA for a year. Who: that OPD. Emits RkaOpened. */
export async function openOpdRka(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, opdCode: string, kind: "pendapatan" | "pembiayaan"): Promise<string> {
  const year = FiscalYear.of(yearInput).year;
  if (kind !== "pendapatan" && kind !== "pembiayaan") throw new DomainError("budget.rka.kindUnknown", { kind }, "invalid", "kind");
  assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: opdCode });
  return transact(em, actor, clock, async (tx, record) => {
    const [o] = await tx.execute<{ id: string }[]>("select id from opd where tenant_code = ? and code = ?", [actor.tenant, opdCode]);
    if (!o) throw new DomainError("opd.unknown", { code: opdCode }, "invalid", "opd");
    const [have] = await tx.execute<{ id: string }[]>("select id from rka where tenant_code = ? and fiscal_year = ? and opd_id = ? and kind = ? and sub_activity_id is null", [actor.tenant, year, o.id, kind]);
    if (have) return have.id;
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute("insert into rka (id, tenant_code, fiscal_year, opd_id, sub_activity_id, kind, status, created_at, updated_at) values (?, ?, ?, ?, null, ?, 'draft', ?, ?)", [
      id, actor.tenant, year, o.id, kind, now, now,
    ]);
    record({ type: "RkaOpened", entityType: "Rka", entityId: id, after: { opd: opdCode, kind, year } });
    return id;
  });
}

export interface LineInput {
  heading?: string;
  accountCode: string;
  description: string;
  spec?: string;
  factors: Factor[];
  /** The line's unit; default: the factors' units joined. */
  unit?: string;
  /** The standard price item (required for belanja). */
  priceItemId?: string;
  /** Default: the standard price. */
  unitPrice?: string;
  justification?: string;
  taxPercent?: string;
  fundingSource: string;
}

/**
 * Checks a line against the rules and computes its volume and amount: an account code of six levels that
 * exists in the account list in force and belongs to this kind of RKA; for belanja, a standard price item
 * that may be used with that account, and a unit price not above the standard (or, where the tenant
 * allows it, above it with a written justification); tax 0, 11 or 12%; a known funding source.
 */
async function checkLine(tx: EntityManager, r: RkaRow, input: LineInput) {
  const p = new Problems();
  const account = String(input.accountCode ?? "").trim();
  const description = String(input.description ?? "").trim().slice(0, 500);
  const heading = String(input.heading ?? "").trim().slice(0, 200);
  const spec = String(input.spec ?? "").trim().slice(0, 1000);
  const justification = String(input.justification ?? "").trim().slice(0, 2000);
  const tax = String(input.taxPercent ?? "0").trim() || "0";
  const problemsBefore = p.list.length;
  if (accountLevel(account) !== 6) p.add("accountCode", "budget.line.accountFormat", { code: account });
  else if (kindOfAccount(account) !== r.kind) p.add("accountCode", "budget.line.accountKind", { code: account, kind: r.kind });
  else if (!(await findAccountInForce(tx, r.fiscal_year, account))) p.add("accountCode", "budget.line.accountUnknown", { code: account, year: r.fiscal_year });
  const accountOk = p.list.length === problemsBefore;
  if (description.length < 3) p.add("description", "budget.line.descriptionRequired");
  if (!TAX_RATES.includes(tax as never)) p.add("taxPercent", "budget.line.taxUnknown", { value: tax });
  if (!FUNDING_SOURCES.includes(input.fundingSource as never)) p.add("fundingSource", "planning.fundingSourceUnknown", { value: input.fundingSource });
  const vol = volumeOf(input.factors ?? [], p);
  const unit = String(input.unit ?? "").trim().slice(0, 60) || vol.unit;
  let item: PriceItemView | null = null;
  let price: Money | undefined;
  const priceText = String(input.unitPrice ?? "").trim();
  if (priceText) {
    const parsed = parseRupiah(priceText);
    if (parsed.ok) price = Money.idr(parsed.value);
    else p.add("unitPrice", parsed.key, parsed.params);
  }
  if (r.kind === "belanja") {
    item = input.priceItemId ? await priceItem(tx, r.tenant_code, input.priceItemId) : null;
    if (item && item.fiscalYear > r.fiscal_year) item = null;
    if (!item) p.add("priceItem", "budget.line.priceItemRequired");
    else {
      if (accountOk && item.accounts.length && !item.accounts.includes(account)) p.add("accountCode", "budget.line.accountNotForItem", { code: account, item: item.code });
      const standard = item.price;
      price ??= standard;
      if (price.exceeds(standard)) {
        if ((await aboveStandardRule(tx, r.tenant_code)) !== "justify") p.add("unitPrice", "budget.line.aboveStandard", { standard: standard.toString() });
        else if (justification.length < 20) p.add("justification", "budget.line.justificationRequired", { standard: standard.toString() });
      }
    }
  } else if (!price) p.add("unitPrice", "budget.line.priceRequired");
  if (price?.isNegative()) p.add("unitPrice", "budget.line.priceRequired");
  p.throwIfAny();
  const amount = amountOf(vol.volume, price!, tax);
  return { account, description, heading, spec, justification, tax, unit, vol, item, price: price!, amount, fundingSource: input.fundingSource };
}

/**
 * Adds a line to an RKA the OPD may edit (draft or returned), at the end. Refuses a stale version.
 * Who: the RKA's OPD. Emits RkaLineAdded.
 */
export async function addLine(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, input: LineInput, expectedVersion: number): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const r = await editableRka(tx, actor, rkaId, expectedVersion);
    const l = await checkLine(tx, r, input);
    const [{ pos }] = await tx.execute<{ pos: number }[]>("select coalesce(max(position), 0) + 1 as pos from rka_line where rka_id = ?", [r.id]);
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      `insert into rka_line (id, tenant_code, rka_id, position, heading, account_code, description, spec, factors, volume, unit, price_item_id, unit_price, justification, tax_percent, amount, funding_source, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, actor.tenant, r.id, pos, l.heading, l.account, l.description, l.spec, JSON.stringify(l.vol.factors), l.vol.volume, l.unit, l.item?.id ?? null, l.price.toString(), l.justification, l.tax, l.amount.toString(), l.fundingSource, now, now],
    );
    await bump(tx, r.id, clock);
    record({ type: "RkaLineAdded", entityType: "Rka", entityId: r.id, after: { line: id, account: l.account, description: l.description, volume: l.vol.volume, unitPrice: l.price.toString(), tax: l.tax, amount: l.amount.toString(), priceItem: l.item?.code ?? null } });
    return id;
  });
}

/** Changes a line of an editable RKA. Refuses a stale version. Who: the RKA's OPD. Emits RkaLineChanged. */
export async function updateLine(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, lineId: string, input: LineInput, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const r = await editableRka(tx, actor, rkaId, expectedVersion);
    const [before] = await tx.execute<{ id: string; account_code: string; volume: string; unit_price: string; amount: string; description: string }[]>(
      "select id, account_code, volume::text as volume, unit_price::text as unit_price, amount::text as amount, description from rka_line where rka_id = ? and id::text = ?",
      [r.id, lineId],
    );
    if (!before) throw new DomainError("budget.line.notFound", {}, "notFound");
    const l = await checkLine(tx, r, input);
    await tx.execute(
      `update rka_line set heading = ?, account_code = ?, description = ?, spec = ?, factors = ?::jsonb, volume = ?, unit = ?, price_item_id = ?, unit_price = ?, justification = ?, tax_percent = ?, amount = ?, funding_source = ?,
              version = version + 1, updated_at = ? where id = ?`,
      [l.heading, l.account, l.description, l.spec, JSON.stringify(l.vol.factors), l.vol.volume, l.unit, l.item?.id ?? null, l.price.toString(), l.justification, l.tax, l.amount.toString(), l.fundingSource, clock.now(), before.id],
    );
    await bump(tx, r.id, clock);
    record({
      type: "RkaLineChanged",
      entityType: "Rka",
      entityId: r.id,
      before: { line: before.id, account: before.account_code, volume: before.volume, unitPrice: before.unit_price, amount: before.amount },
      after: { line: before.id, account: l.account, volume: l.vol.volume, unitPrice: l.price.toString(), amount: l.amount.toString() },
    });
  });
}

/** Removes a line of an editable RKA. Who: the RKA's OPD. Emits RkaLineRemoved. */
export async function removeLine(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, lineId: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const r = await editableRka(tx, actor, rkaId, expectedVersion);
    const [gone] = await tx.execute<{ id: string; description: string; amount: string }[]>(
      "delete from rka_line where rka_id = ? and id::text = ? returning id, description, amount::text as amount",
      [r.id, lineId],
    );
    if (!gone) throw new DomainError("budget.line.notFound", {}, "notFound");
    await bump(tx, r.id, clock);
    record({ type: "RkaLineRemoved", entityType: "Rka", entityId: r.id, before: { line: gone.id, description: gone.description, amount: gone.amount } });
  });
}

async function totalOf(tx: EntityManager, rkaId: string): Promise<Money> {
  const [t] = await tx.execute<{ s: string }[]>("select coalesce(sum(amount), 0)::text as s from rka_line where rka_id = ?", [rkaId]);
  return Money.fromDecimal(new D(t.s).toFixed(2));
}

/**
 * Moves an RKA through review. Submit (the OPD): it has lines and its total is within its agreed PPAS
 * ceiling — the RKA row is locked, so parallel requests cannot slip past the check. Verify, approve
 * (locks it) or return with a note (TAPD). Refuses a stale version. Emits RkaSubmitted / RkaVerified /
 * RkaApproved / RkaReturned.
 */
export async function moveRka(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, action: RkaAction, note: string, expectedVersion: number): Promise<void> {
  const text = String(note ?? "").trim().slice(0, 2000);
  await transact(em, actor, clock, async (tx, record) => {
    const r = await loadRka(tx, actor.tenant, rkaId, true);
    if (action === "submit") assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: r.opd_code });
    else assertCan(actor, "budget.rka.review", { tenant: actor.tenant });
    if (r.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    let blocker: string | null = null;
    let params: Record<string, unknown> = {};
    const total = await totalOf(tx, r.id);
    if (action === "submit" || action === "approve") {
      const [{ n }] = await tx.execute<{ n: number }[]>("select count(*)::int as n from rka_line where rka_id = ?", [r.id]);
      if (n === 0) blocker = "budget.rka.empty";
      else if (r.kind === "belanja") {
        const ceiling = await ceilingOf(tx, actor.tenant, r.fiscal_year, r.sub_activity_id!);
        if (!ceiling?.agreed) blocker = "budget.rka.kuaNotAgreed";
        else if (total.exceeds(ceiling.amount)) {
          blocker = "budget.rka.aboveCeiling";
          params = { total: total.toString(), ceiling: ceiling.amount.toString() };
        }
      }
    }
    if (action === "return" && text.length < 10) blocker = "budget.rka.returnNoteRequired";
    if (blocker && params.total) throw new DomainError(blocker, params);
    const { to, event } = rkaMachine.fire(r.status, action, actor, { blocker });
    await tx.execute("update rka set status = ?, return_note = ?, version = version + 1, updated_at = ? where id = ?", [to, action === "return" ? text : r.return_note, clock.now(), r.id]);
    if (text && action !== "submit")
      await tx.execute("insert into rka_line_note (tenant_code, rka_id, line_id, author, at, text) values (?, ?, null, ?, ?, ?)", [actor.tenant, r.id, actor.displayName, clock.now(), text]);
    record({ type: event, entityType: "Rka", entityId: r.id, before: { status: r.status }, after: { status: to, total: total.toString(), ...(text ? { note: text } : {}) } });
  });
}

/** TAPD's note on one line (or the whole RKA) while it is under review. Emits RkaNoted. */
export async function noteRka(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, lineId: string | null, note: string): Promise<void> {
  const text = String(note ?? "").trim().slice(0, 2000);
  if (text.length < 3) throw new DomainError("budget.rka.noteRequired", {}, "invalid", "note");
  await transact(em, actor, clock, async (tx, record) => {
    const r = await loadRka(tx, actor.tenant, rkaId, true);
    assertCan(actor, "budget.rka.review", { tenant: actor.tenant });
    if (r.status !== "submitted" && r.status !== "verified") throw new DomainError("budget.rka.notUnderReview");
    if (lineId) {
      const [l] = await tx.execute<{ id: string }[]>("select id from rka_line where rka_id = ? and id::text = ?", [r.id, lineId]);
      if (!l) throw new DomainError("budget.line.notFound", {}, "notFound");
    }
    await tx.execute("insert into rka_line_note (tenant_code, rka_id, line_id, author, at, text) values (?, ?, ?, ?, ?, ?)", [actor.tenant, r.id, lineId || null, actor.displayName, clock.now(), text]);
    record({ type: "RkaNoted", entityType: "Rka", entityId: r.id, after: { line: lineId, note: text } });
  });
}

export interface RkaLineView {
  id: string;
  position: number;
  heading: string;
  account_code: string;
  account_name: string | null;
  description: string;
  spec: string;
  factors: Factor[];
  volume: string;
  unit: string;
  price_item_id: string | null;
  price_item_code: string | null;
  standard_price: string | null;
  unit_price: string;
  justification: string;
  tax_percent: string;
  amount: string;
  funding_source: string;
  version: number;
}

/** A line as rkaView's statement sends it: RkaLineView's fields in their order. */
type LineTuple = [string, number, string, string, string | null, string, string, Factor[], string, string, string | null, string | null, string | null, string, string, string, string, string, number];

/** The lines of an RKA as rkaView gives them: one query, whatever their number. */
async function readLines(em: EntityManager, rkaId: string, year: number): Promise<RkaLineView[]> {
  // The lines come back as one JSON text of arrays, parsed at once: the driver's parsing of 300 rows of 19
  // columns cost the server about a millisecond per page (and JSON objects, keys repeated on every line,
  // cost the database as much again; arrays, a third of that).
  const [{ lines: linesJson }] = await em.execute<{ lines: string }[]>(
    `with l as (select * from rka_line where rka_id = ?),
          names as (select c.code, (select a.name from account_code a join nomenclature_set s on s.id = a.set_id
                                     where s.kind = 'account' and s.applies_from <= ? and a.code = c.code order by s.applies_from desc, s.imported_at desc limit 1) as name
                      from (select distinct account_code as code from l) c)
     select coalesce(json_agg(json_build_array(
              l.id, l.position, l.heading, l.account_code, n.name, l.description, l.spec, l.factors, trim_scale(l.volume)::text, l.unit,
              l.price_item_id, i.code, i.price::text, l.unit_price::text, l.justification, trim_scale(l.tax_percent)::text, l.amount::text,
              l.funding_source, l.version) order by l.position), '[]')::text as lines
       from l left join names n on n.code = l.account_code
       left join lateral (select i.code, i.price from price_item i where i.id = l.price_item_id limit 1) i on true`,
    [rkaId, year],
  );
  return (JSON.parse(linesJson) as LineTuple[]).map(
    ([id, position, heading, account_code, account_name, description, spec, factors, volume, unit, price_item_id, price_item_code, standard_price, unit_price, justification, tax_percent, amount, funding_source, version]): RkaLineView => ({
      id,
      position,
      heading,
      account_code,
      account_name,
      description,
      spec,
      factors,
      volume,
      unit,
      price_item_id,
      price_item_code,
      standard_price,
      unit_price,
      justification,
      tax_percent,
      amount,
      funding_source,
      version,
    }),
  );
}

/**
 * The lines of RKAs as rkaView read them lately, in this process, by RKA, version and account sets. What a
 * line shows changes only with its RKA's version (every change to a line goes through lockRka, which bumps
 * it, or through the import, which uses the same use cases), with the account names (a new account set —
 * sets are only ever added) and with its price item (price items are never changed, only added with new
 * lists): so an entry whose key is current is the lines as they are. The RKA editor reads an RKA of
 * hundreds of lines again and again between its changes (a TAPD review, the OPD's searches for items);
 * the entry spares it the lines' query, the heaviest part of the page. At most LINES_CACHE_SIZE RKAs,
 * the least recently read dropped first; the arrays are frozen, being shared.
 */
const LINES_CACHE_SIZE = 64;
const linesCache = new Map<string, readonly RkaLineView[]>();

function cachedLines(key: string): readonly RkaLineView[] | undefined {
  const hit = linesCache.get(key);
  if (hit) {
    linesCache.delete(key);
    linesCache.set(key, hit);
  }
  return hit;
}

function keepLines(key: string, lines: RkaLineView[]): readonly RkaLineView[] {
  for (const l of lines) Object.freeze(l);
  const frozen = Object.freeze(lines);
  linesCache.set(key, frozen);
  if (linesCache.size > LINES_CACHE_SIZE) linesCache.delete(linesCache.keys().next().value!);
  return frozen;
}

/**
 * An RKA with its lines (in order, with their standard price and account name), totals per heading, its
 * ceiling, TAPD's notes and the Musrenbang proposals behind its sub-activity.
 *
 * Two queries, whatever the number of lines (the editor opens RKAs of hundreds of lines): the RKA with
 * its sub-activity, ceiling (as ceilingOf reads it), proposals and notes; then the lines, each with its
 * account's name (looked up once per distinct code) and its price item (looked up by its key: a lateral
 * subquery, so that the planner never scans the whole price list to hash it).
 *
 * `reuse`: the lines may come from linesCache when its entry for the RKA's version is there (one query
 * then). Only for reads outside a transaction: inside one, the version read may be one that is never
 * committed. The lines read after the RKA are at least as new as the version (a later change commits a
 * higher one), so an entry is never older than its key.
 */
export async function rkaView(em: EntityManager, tenant: string, rkaId: string, opts: { reuse?: boolean } = {}) {
  if (!isUuid(rkaId)) throw new DomainError("budget.rka.notFound", {}, "notFound");
  const [r] = await em.execute<
    {
      id: string;
      fiscal_year: number;
      kind: RkaKind;
      status: RkaStatus;
      version: number;
      return_note: string;
      opd_code: string;
      opd_name: string;
      sub_activity_id: string | null;
      sub: { code: string; name: string; program_code: string; kegiatan_code: string; indicator: string; target: string; unit: string; funding_source: string; locations: string[] } | null;
      ceiling_amount: string | null;
      kua_status: string | null;
      proposals: { id: string; code: string; title: string }[];
      notes: { id: string; line_id: string | null; author: string; at: string; text: string }[];
      account_sets: number;
    }[]
  >(
    `select r.id, r.fiscal_year, r.kind, r.status, r.version, r.return_note, o.code as opd_code, o.name as opd_name, r.sub_activity_id,
            (select count(*)::int from nomenclature_set n where n.kind = 'account') as account_sets,
            (select json_build_object('code', s.sub_kegiatan_code, 'name', s.name, 'program_code', s.program_code, 'kegiatan_code', s.kegiatan_code, 'indicator', s.indicator,
                                      'target', s.target::text, 'unit', s.unit, 'funding_source', s.funding_source, 'locations', s.locations)
               from sub_activity s where s.id = r.sub_activity_id) as sub,
            c.amount::text as ceiling_amount, c.status as kua_status,
            coalesce((select json_agg(json_build_object('id', p.id, 'code', p.code, 'title', p.title) order by p.code)
                        from sub_activity_proposal x join proposal p on p.id = x.proposal_id where x.sub_activity_id = r.sub_activity_id), '[]') as proposals,
            coalesce((select json_agg(json_build_object('id', n.id::text, 'line_id', n.line_id, 'author', n.author, 'at', n.at, 'text', n.text) order by n.id)
                        from rka_line_note n where n.rka_id = r.id), '[]') as notes
       from rka r join opd o on o.id = r.opd_id
       left join lateral (select c.amount, k.status from ppas_ceiling c join kua_ppas k on k.id = c.kua_ppas_id
                           where k.tenant_code = r.tenant_code and k.fiscal_year = r.fiscal_year and c.sub_activity_id = r.sub_activity_id limit 1) c on true
      where r.tenant_code = ? and r.id = ?`,
    [tenant, rkaId],
  );
  if (!r) throw new DomainError("budget.rka.notFound", {}, "notFound");
  const key = `${tenant}/${r.id}/${r.version}/${r.account_sets}`;
  const lines = opts.reuse ? (cachedLines(key) ?? keepLines(key, await readLines(em, r.id, r.fiscal_year))) : await readLines(em, r.id, r.fiscal_year);
  const headings = new Map<string, Money>();
  for (const l of lines) headings.set(l.heading, (headings.get(l.heading) ?? Money.zero).plus(Money.idr(l.amount)));
  const total = Money.sum(headings.values());
  return {
    rka: { id: r.id, year: r.fiscal_year, kind: r.kind, status: r.status, version: r.version, returnNote: r.return_note, opdCode: r.opd_code, opdName: r.opd_name, subActivityId: r.sub_activity_id },
    sub: r.sub_activity_id ? r.sub : null,
    proposals: r.sub_activity_id ? r.proposals : [],
    lines,
    headings: [...headings].map(([heading, sum]) => ({ heading, total: sum.toString() })),
    notes: r.notes.map((n) => ({ ...n, at: new Date(n.at).toISOString() })),
    ceiling: r.sub_activity_id && r.ceiling_amount !== null ? { amount: Money.idr(r.ceiling_amount).toString(), agreed: r.kua_status === "agreed" } : null,
    total: total.toString(),
  };
}

/** An OPD's budget for a year: each sub-activity of its final Renja with its PPAS ceiling and RKA (status, total), plus its revenue/financing RKA. */
export async function opdBudget(em: EntityManager, tenant: string, year: number, opdCode: string) {
  const rows = await em.execute<{ sub_id: string; code: string; name: string; program_code: string; ceiling: string | null; rka_id: string | null; status: string | null; total: string | null }[]>(
    `select s.id as sub_id, s.sub_kegiatan_code as code, s.name, s.program_code, c.amount::text as ceiling, r.id as rka_id, r.status,
            (select coalesce(sum(l.amount), 0)::text from rka_line l where l.rka_id = r.id) as total
       from sub_activity s join opd o on o.id = s.opd_id
       left join kua_ppas k on k.tenant_code = s.tenant_code and k.fiscal_year = s.fiscal_year
       left join ppas_ceiling c on c.kua_ppas_id = k.id and c.sub_activity_id = s.id
       left join rka r on r.sub_activity_id = s.id
      where s.tenant_code = ? and s.fiscal_year = ? and o.code = ? and c.amount is not null
      order by s.sub_kegiatan_code`,
    [tenant, year, opdCode],
  );
  const other = await em.execute<{ id: string; kind: string; status: string; total: string }[]>(
    `select r.id, r.kind, r.status, (select coalesce(sum(l.amount), 0)::text from rka_line l where l.rka_id = r.id) as total
       from rka r join opd o on o.id = r.opd_id where r.tenant_code = ? and r.fiscal_year = ? and o.code = ? and r.sub_activity_id is null order by r.kind`,
    [tenant, year, opdCode],
  );
  const money = (v: string | null) => (v === null ? null : new D(v).toFixed(2));
  const subs = rows.map((r) => ({ ...r, ceiling: money(r.ceiling), total: r.rka_id ? money(r.total) : null }));
  return {
    subs,
    other: other.map((o) => ({ ...o, total: money(o.total)! })),
    ceiling: Money.sum(subs.map((s) => Money.idr(s.ceiling ?? "0"))).toString(),
    total: Money.sum(subs.map((s) => Money.idr(s.total ?? "0"))).toString(),
  };
}

/** TAPD's review queue: every RKA of the year that is submitted or verified, oldest first. */
export async function reviewQueue(em: EntityManager, tenant: string, year: number) {
  return em.execute<{ id: string; status: string; kind: string; opd_code: string; opd_name: string; code: string | null; name: string | null; total: string; updated_at: Date }[]>(
    `select r.id, r.status, r.kind, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as code, s.name,
            (select coalesce(sum(l.amount), 0)::numeric(20,2)::text from rka_line l where l.rka_id = r.id) as total, r.updated_at
       from rka r join opd o on o.id = r.opd_id left join sub_activity s on s.id = r.sub_activity_id
      where r.tenant_code = ? and r.fiscal_year = ? and r.status in ('submitted','verified') order by r.updated_at`,
    [tenant, year],
  );
}

/**
 * The tenant's rule for a unit price above the standard: "refuse", or "justify" (allowed with a written
 * justification). Who: TAPD. Emits BudgetPolicySet.
 */
export async function setAboveStandardRule(em: EntityManager, actor: Actor, clock: Clock, rule: string): Promise<void> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  if (rule !== "refuse" && rule !== "justify") throw new DomainError("budget.policy.unknown", { rule }, "invalid", "aboveStandard");
  await transact(em, actor, clock, async (tx, record) => {
    const [before] = await tx.execute<{ above_standard: string }[]>("select above_standard from budget_policy where tenant_code = ? for update", [actor.tenant]);
    await tx.execute(
      "insert into budget_policy (tenant_code, above_standard) values (?, ?) on conflict (tenant_code) do update set above_standard = excluded.above_standard, version = budget_policy.version + 1",
      [actor.tenant, rule],
    );
    record({ type: "BudgetPolicySet", entityType: "Tenant", entityId: actor.tenant, before: { aboveStandard: before?.above_standard ?? "refuse" }, after: { aboveStandard: rule } });
  });
}

export async function aboveStandardRule(em: EntityManager, tenant: string): Promise<"refuse" | "justify"> {
  const [r] = await em.execute<{ above_standard: "refuse" | "justify" }[]>("select above_standard from budget_policy where tenant_code = ?", [tenant]);
  return r?.above_standard ?? "refuse";
}
