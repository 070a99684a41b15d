import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { D, Money } from "../kernel/money";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { accountLevel } from "../nomenclature/codes";
import { setInForce } from "../nomenclature/sets";
import { isUuid } from "../kernel/codes";

/**
 * Standard prices (standar harga): the lists the kepala daerah adopts each year and every RKA line is
 * priced against — SSH (standar satuan harga: goods and services), HSPK (harga satuan pokok kegiatan:
 * composite unit rates for works), ASB (analisis standar belanja) and SBU (standar biaya umum:
 * honoraria, travel, meetings). Each list is imported whole from the decree's spreadsheet; each item
 * names the belanja accounts it may be budgeted under.
 */
export const PRICE_KINDS = ["SSH", "HSPK", "ASB", "SBU"] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

export function isPriceKind(x: unknown): x is PriceKind {
  return typeof x === "string" && (PRICE_KINDS as readonly string[]).includes(x);
}

// ---------------------------------------------------------------------------------------------------
// Rupiah as people write it in a price list

export type RupiahParse = { ok: true; value: string } | { ok: false; key: string; params: Record<string, unknown> };

const ID_GROUPED = /^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/; // 1.250.000 · 1.250.000,50 · 1.250
const ID_DECIMAL = /^\d+,\d+$/; // 1250000,50
const EN_GROUPED = /^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/; // 1,250,000 · 1,250,000.50
const PLAIN = /^\d+(\.\d+)?$/; // 1250000 · 1250000.50

/**
 * A price as written in a cell, to the canonical "1250000.00", or why not. Indonesian first:
 * "1.250.000", "1.250.000,50", "Rp 1.250.000,-", "1250000,5"; also plain "1250000.50" (a dot followed
 * by one or two digits is a decimal point) and "1,250,000.50". A dot followed by three digits groups
 * thousands ("1.250" is 1250). More than two decimals is refused, never rounded: "1,250" (ambiguous
 * between 1.25 and 1250) is refused too. Negative prices are refused.
 *
 * A number (an Excel numeric cell) is read through its shortest decimal form; float noise from a
 * formula (0.1 × 3 = 0.30000000000000004) is cut at Excel's 15 significant digits, as Excel shows it.
 */
export function parseRupiah(input: string | number): RupiahParse {
  if (typeof input === "number") return rupiahFromNumber(input);
  const shown = String(input ?? "").trim();
  let t = shown.replace(/[\s\u00a0\u202f]/g, "");
  if (!t) return { ok: false, key: "price.priceRequired", params: {} };
  let negative = false;
  if (/^-|^\(.*\)$/.test(t)) {
    negative = true;
    t = t.replace(/^-|^\(|\)$/g, "");
  }
  t = t.replace(/^(rp\.?|idr)/i, "").replace(/[.,]-$/, "");
  if (t.startsWith("-")) {
    negative = true;
    t = t.slice(1);
  }
  let int: string;
  let frac = "";
  if (ID_GROUPED.test(t)) {
    [int, frac = ""] = t.split(",");
    int = int.replaceAll(".", "");
  } else if (ID_DECIMAL.test(t)) [int, frac] = t.split(",");
  else if (PLAIN.test(t)) [int, frac = ""] = t.split(".");
  else if (EN_GROUPED.test(t)) [int, frac = ""] = t.replaceAll(",", "").split(".");
  else return { ok: false, key: "price.priceFormat", params: { value: shown } };
  if (frac.length > 2) return { ok: false, key: "price.priceDecimals", params: { value: shown } };
  if (negative) return { ok: false, key: "price.priceNegative", params: { value: shown } };
  const digits = int.replace(/^0+(?=\d)/, "");
  if (digits.length > 18) return { ok: false, key: "price.priceTooLarge", params: { value: shown } };
  return { ok: true, value: Money.idr(frac ? `${digits}.${frac}` : digits).toString() };
}

function rupiahFromNumber(n: number): RupiahParse {
  if (!Number.isFinite(n)) return { ok: false, key: "price.priceFormat", params: { value: String(n) } };
  if (n < 0) return { ok: false, key: "price.priceNegative", params: { value: String(n) } };
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) return { ok: false, key: "price.priceTooLarge", params: { value: String(n) } };
    return { ok: true, value: Money.idr(BigInt(n).toString()).toString() };
  }
  const shortest = new D(n);
  const exact = shortest.decimalPlaces() <= 2 ? shortest : new D(n.toPrecision(15));
  if (exact.decimalPlaces() > 2) return { ok: false, key: "price.priceDecimals", params: { value: shortest.toFixed() } };
  return { ok: true, value: Money.fromDecimal(exact).toString() };
}

/** The account codes of a cell: separated by commas, semicolons, spaces or line breaks. */
export function splitAccounts(text: string): string[] {
  return String(text ?? "")
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------
// Import

/** One row of a price list as read from the file; `price` is the cell (text, or an Excel number). */
export interface PriceRow {
  /** The spreadsheet row (as the user sees it), for error messages. */
  row: number;
  code: string;
  name: string;
  spec?: string;
  unit: string;
  price: string | number;
  /** The account cell (codes separated by commas, semicolons or line breaks) or the codes already split. */
  accounts: string | string[];
}

export type PriceField = "code" | "name" | "spec" | "unit" | "price" | "accounts";

export interface PriceRowProblem {
  row: number;
  field: PriceField;
  key: string;
  params?: Record<string, unknown>;
}

export interface PriceListHeader {
  kind: string;
  fiscalYear: number | string;
  decree: string;
  /** Where the list came from (the uploaded file's name). */
  source?: string;
}

export interface CheckedPriceItem {
  row: number;
  code: string;
  name: string;
  spec: string;
  unit: string;
  /** Canonical "1250000.00". */
  price: string;
  accounts: string[];
}

const MAX = { code: 100, name: 1000, spec: 4000, unit: 100 } as const;

/**
 * Checks every row on its own and against the others: a code, unique in the file; a name and unit; a
 * price that is an exact rupiah amount ≥ 0; at least one account, each a six-level belanja (5.…) code.
 * Whether the accounts exist in the nomenclature in force is checked by `importPriceList`.
 */
export function checkPriceRows(rows: readonly PriceRow[]): { items: CheckedPriceItem[]; problems: PriceRowProblem[] } {
  const problems: PriceRowProblem[] = [];
  const items: CheckedPriceItem[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const before = problems.length;
    const add = (field: PriceField, key: string, params?: Record<string, unknown>) => problems.push({ row: r.row, field, key, params });
    const text = (v: unknown) => String(v ?? "").replace(/\s+/g, " ").trim();
    const code = text(r.code);
    const name = text(r.name);
    const spec = text(r.spec);
    const unit = text(r.unit);
    if (!code) add("code", "price.codeRequired");
    else if (code.length > MAX.code) add("code", "price.tooLong", { max: MAX.code });
    else if (seen.has(code)) add("code", "price.codeDuplicate", { code, first: seen.get(code) });
    else seen.set(code, r.row);
    if (!name) add("name", "price.nameRequired", { code });
    else if (name.length > MAX.name) add("name", "price.tooLong", { max: MAX.name });
    if (spec.length > MAX.spec) add("spec", "price.tooLong", { max: MAX.spec });
    if (!unit) add("unit", "price.unitRequired", { code });
    else if (unit.length > MAX.unit) add("unit", "price.tooLong", { max: MAX.unit });
    const price = parseRupiah(r.price);
    if (!price.ok) add("price", price.key, price.params);
    const accounts = [...new Set(Array.isArray(r.accounts) ? r.accounts.map((a) => a.trim()).filter(Boolean) : splitAccounts(r.accounts))];
    if (accounts.length === 0) add("accounts", "price.accountRequired", { code });
    for (const a of accounts) {
      if (accountLevel(a) !== 6) add("accounts", "price.accountFormat", { account: a });
      else if (!a.startsWith("5.")) add("accounts", "price.accountNotBelanja", { account: a });
    }
    if (problems.length === before && price.ok) items.push({ row: r.row, code, name, spec, unit, price: price.value, accounts });
  }
  return { items, problems };
}

/** Rows per INSERT statement. */
const BATCH = 5000;

/**
 * Stores a price list whole, or reports every bad row and stores nothing. Who: TAPD, admin. Emits one
 * PriceListImported for the whole list. Refuses: an unknown kind, a bad year, no decree, a list of the
 * same kind, year and decree already imported, an empty file; and (as row problems) everything
 * `checkPriceRows` finds plus accounts missing from the account codes in force for the year.
 */
export async function importPriceList(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  header: PriceListHeader,
  rows: readonly PriceRow[],
): Promise<{ ok: true; listId: string; count: number } | { ok: false; problems: PriceRowProblem[] }> {
  const h = checkPriceListHeader(actor, header);
  await refuseDuplicate(em, actor.tenant, h);
  const { items, problems } = checkPriceRows(rows);
  problems.push(...(await unknownAccounts(em, h.year, items)));
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.row - b.row) };
  if (items.length === 0) throw new DomainError("price.empty", {}, "invalid", "file");
  return transact(em, actor, clock, async (tx, record) => {
    await refuseDuplicate(tx, actor.tenant, h);
    const listId = crypto.randomUUID();
    await tx.execute(
      `insert into price_list (id, tenant_code, kind, fiscal_year, decree, source, item_count, imported_at, imported_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [listId, actor.tenant, h.kind, h.year, h.decree, h.source, items.length, clock.now(), actor.username],
    );
    for (let i = 0; i < items.length; i += BATCH) {
      const json = JSON.stringify(items.slice(i, i + BATCH).map((it) => ({ c: it.code, n: it.name, s: it.spec, u: it.unit, p: it.price, a: it.accounts })));
      await tx.execute(
        `insert into price_item (id, tenant_code, list_id, code, name, spec, unit, price, accounts)
         select gen_random_uuid(), ?, ?, c, n, s, u, p, a from json_to_recordset(?::json) as x(c text, n text, s text, u text, p numeric, a text[])`,
        [actor.tenant, listId, json],
      );
    }
    const accounts = new Set(items.flatMap((it) => it.accounts)).size;
    record({ type: "PriceListImported", entityType: "PriceList", entityId: listId, after: { kind: h.kind, fiscalYear: h.year, decree: h.decree, source: h.source, items: items.length, accounts } });
    return { ok: true as const, listId, count: items.length };
  });
}

interface Header {
  kind: PriceKind;
  year: number;
  decree: string;
  source: string;
}

/** Who may import, and the list's kind, year and decree. Called before a file is even read. */
export function checkPriceListHeader(actor: Actor, header: PriceListHeader): Header {
  assertCan(actor, "budget.prices.manage", { tenant: actor.tenant });
  if (!isPriceKind(header.kind)) throw new DomainError("price.kindInvalid", { kind: String(header.kind ?? "") }, "invalid", "kind");
  let year: number;
  try {
    year = FiscalYear.of(header.fiscalYear).year;
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.key, e.params, "invalid", "year");
    throw e;
  }
  const decree = String(header.decree ?? "").replace(/\s+/g, " ").trim();
  if (!decree) throw new DomainError("price.decreeRequired", {}, "invalid", "decree");
  if (decree.length > 300) throw new DomainError("price.decreeTooLong", { max: 300 }, "invalid", "decree");
  return { kind: header.kind, year, decree, source: String(header.source ?? "").slice(0, 300) };
}

async function refuseDuplicate(em: EntityManager, tenant: string, h: Header) {
  const [dup] = await em.execute<{ id: string }[]>("select id from price_list where tenant_code = ? and kind = ? and fiscal_year = ? and decree = ?", [tenant, h.kind, h.year, h.decree]);
  if (dup) throw new DomainError("price.listExists", { kind: h.kind, year: h.year, decree: h.decree }, "conflict", "decree");
}

/** Accounts of well-formed rows that the account codes in force for the year lack (none checked when no list is in force). */
async function unknownAccounts(em: EntityManager, year: number, items: CheckedPriceItem[]): Promise<PriceRowProblem[]> {
  const set = await setInForce(em, "account", year);
  if (!set || items.length === 0) return [];
  const used = [...new Set(items.flatMap((i) => i.accounts))];
  const found = await em.execute<{ code: string }[]>(
    "select code from account_code where set_id = ? and code in (select json_array_elements_text(?::json))",
    [set.id, JSON.stringify(used)],
  );
  const known = new Set(found.map((f) => f.code));
  const problems: PriceRowProblem[] = [];
  for (const it of items)
    for (const a of it.accounts)
      if (!known.has(a)) problems.push({ row: it.row, field: "accounts", key: "price.accountUnknown", params: { account: a, year, decree: set.decree } });
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Queries

export interface PriceListRow {
  id: string;
  kind: PriceKind;
  fiscalYear: number;
  decree: string;
  source: string;
  itemCount: number;
  importedAt: Date;
  importedBy: string;
}

/** The tenant's price lists, newest year first, then by kind and import time. */
export async function listPriceLists(em: EntityManager, tenant: string): Promise<PriceListRow[]> {
  const rows = await em.execute<{ id: string; kind: PriceKind; fiscal_year: number; decree: string; source: string; item_count: number; imported_at: Date; imported_by: string }[]>(
    `select id, kind, fiscal_year, decree, source, item_count, imported_at, imported_by
       from price_list where tenant_code = ? order by fiscal_year desc, kind, imported_at desc`,
    [tenant],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, fiscalYear: r.fiscal_year, decree: r.decree, source: r.source, itemCount: r.item_count, importedAt: r.imported_at, importedBy: r.imported_by }));
}

/**
 * The lists in force for a fiscal year, one per kind: the latest imported for that year, or else for
 * the latest earlier year that has one.
 */
const IN_FORCE = `select distinct on (kind) id, kind, fiscal_year, decree from price_list
                   where tenant_code = ? and fiscal_year <= ? order by kind, fiscal_year desc, imported_at desc`;

export async function priceListsInForce(em: EntityManager, tenant: string, year: number) {
  const rows = await em.execute<{ id: string; kind: PriceKind; fiscal_year: number; decree: string }[]>(IN_FORCE, [tenant, year]);
  return rows.map((r) => ({ id: r.id, kind: r.kind, fiscalYear: r.fiscal_year, decree: r.decree }));
}

export interface PriceSearch {
  q?: string;
  year: number;
  /** A six-level account code: only items that may be budgeted under it. */
  account?: string | null;
  /** At most 50 (the default 20). */
  limit?: number;
}

export interface PriceHit {
  id: string;
  code: string;
  name: string;
  spec: string;
  unit: string;
  /** Canonical "1250000.00". */
  price: string;
  accounts: string[];
  kind: PriceKind;
  fiscalYear: number;
}

export const MAX_PRICE_RESULTS = 50;

/**
 * Search-as-you-type over the lists in force for the year: a code prefix ("1.1.7.01"), or words that
 * all occur in the name or specification ("semen 50"); optionally only items allowed under an account.
 * Best first: exact code, code prefix, name starting with the words, then shorter (more specific)
 * names. When fewer than `limit` items contain every word, near spellings ("semen portlan") fill the
 * rest, closest first. Uses the trigram index on name+spec and the GIN index on accounts.
 */
export async function searchPrices(em: EntityManager, tenant: string, s: PriceSearch): Promise<PriceHit[]> {
  const exact = priceSearchQuery(tenant, s);
  const hits = (await em.execute<RawHit[]>(exact.sql, exact.params)).map(toHit);
  const fuzzy = hits.length < exact.limit ? priceSearchQuery(tenant, s, "fuzzy", exact.limit - hits.length) : null;
  if (!fuzzy?.sql) return hits;
  const seen = new Set(hits.map((h) => h.id));
  return [...hits, ...(await em.execute<RawHit[]>(fuzzy.sql, fuzzy.params)).map(toHit).filter((h) => !seen.has(h.id))];
}

/**
 * The SQL `searchPrices` runs (exported so the benchmark can EXPLAIN it): the items containing every
 * word (or, with `mode` "fuzzy", those that only resemble the words; sql is "" when there is nothing
 * to resemble).
 */
export function priceSearchQuery(tenant: string, s: PriceSearch, mode: "exact" | "fuzzy" = "exact", fill?: number): { sql: string; params: unknown[]; limit: number } {
  const limit = Math.min(MAX_PRICE_RESULTS, Math.max(1, Math.trunc(Number(s.limit) || 20)));
  const year = FiscalYear.of(s.year).year;
  const q = String(s.q ?? "").replace(/\s+/g, " ").trim().slice(0, 100);
  const account = String(s.account ?? "").trim();
  if (account && accountLevel(account) === null) throw new DomainError("price.accountFilterFormat", { account }, "invalid", "akun");
  const accountCond = account ? " and i.accounts @> array[?]::text[]" : "";
  const accountParams = account ? [account] : [];
  const select = `select i.id, i.code, i.name, i.spec, i.unit, i.price::text as price, i.accounts, l.kind, l.fiscal_year
                    from price_item i join lists l on l.id = i.list_id`;
  if (!q)
    return {
      sql: mode === "fuzzy" ? "" : `with lists as (${IN_FORCE}) ${select} where i.tenant_code = ?${accountCond} order by i.code limit ?`,
      params: [tenant, year, tenant, ...accountParams, limit],
      limit,
    };
  const like = (t: string) => t.replace(/[\\%_]/g, "\\$&");
  const text = "(i.name || ' ' || i.spec)";
  const terms = [...new Set(q.split(" "))].slice(0, 8);
  // Words of three characters or more are found through the trigram index; shorter ones ("4", "K")
  // have no trigram, so they are checked on the rows found (strpos, which the index does not take).
  const long = terms.filter((t) => t.replace(/[^\p{L}\p{N}]/gu, "").length >= 3);
  const short = terms.filter((t) => !long.includes(t));
  const allWords = [...long.map(() => `${text} ilike ?`), ...short.map(() => `strpos(lower(${text}), lower(?)) > 0`)].join(" and ");
  const wordParams = [...long.map((t) => `%${like(t)}%`), ...short];
  if (mode === "fuzzy") {
    if (!long.length) return { sql: "", params: [], limit };
    return {
      sql: `with lists as (${IN_FORCE})
            ${select}
             where i.tenant_code = ? and ? <<% ${text} and not (${allWords})${accountCond}
             order by strict_word_similarity(?, ${text}) desc, i.name, i.code limit ?`,
      params: [tenant, year, tenant, q, ...wordParams, ...accountParams, q, fill ?? limit],
      limit,
    };
  }
  // A code is typed without spaces and has digits or separators in it ("1.1.7.01", "SSH.01.02", "K-225").
  const codeLike = !q.includes(" ") && /[\d.\-/]/.test(q);
  return {
    sql: `with lists as (${IN_FORCE}),
          hits as (
            ${codeLike ? `select i.id from price_item i join lists l on l.id = i.list_id where i.tenant_code = ? and (i.code like ? or i.code like ?)${accountCond} union ` : ""}
            select i.id from price_item i join lists l on l.id = i.list_id where i.tenant_code = ? and ${allWords}${accountCond}
          )
          ${select} join hits h on h.id = i.id
           order by case when lower(i.code) = ? then 0 when starts_with(lower(i.code), ?) then 1 when starts_with(lower(i.name), ?) then 2 else 3 end, length(i.name), i.name, i.code
           limit ?`,
    params: [
      tenant,
      year,
      ...(codeLike ? [tenant, `${like(q)}%`, `${like(q.toUpperCase())}%`, ...accountParams] : []),
      tenant,
      ...wordParams,
      ...accountParams,
      q.toLowerCase(),
      q.toLowerCase(),
      q.toLowerCase(),
      limit,
    ],
    limit,
  };
}

interface RawHit {
  id: string;
  code: string;
  name: string;
  spec: string;
  unit: string;
  price: string;
  accounts: string[];
  kind: PriceKind;
  fiscal_year: number;
}

const toHit = (r: RawHit): PriceHit => ({
  id: r.id,
  code: r.code,
  name: r.name,
  spec: r.spec,
  unit: r.unit,
  price: Money.idr(r.price).toString(),
  accounts: r.accounts,
  kind: r.kind,
  fiscalYear: r.fiscal_year,
});

export interface PriceItemView extends Omit<PriceHit, "price"> {
  /** The standard unit price: an RKA line's unit price may not exceed it. */
  price: Money;
  listId: string;
  decree: string;
}

/** One price item with its list's kind, year and decree, or null (also for another tenant's item). */
export async function priceItem(em: EntityManager, tenant: string, id: string): Promise<PriceItemView | null> {
  if (!isUuid(String(id))) return null;
  const [r] = await em.execute<(RawHit & { list_id: string; decree: string })[]>(
    `select i.id, i.code, i.name, i.spec, i.unit, i.price::text as price, i.accounts, i.list_id, l.kind, l.fiscal_year, l.decree
       from price_item i join price_list l on l.id = i.list_id where i.id = ? and i.tenant_code = ? and l.tenant_code = ?`,
    [id, tenant, tenant],
  );
  return r ? { ...toHit(r), price: Money.idr(r.price), listId: r.list_id, decree: r.decree } : null;
}
