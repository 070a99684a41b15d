import { D } from "../../domain/kernel/money";
import { amountDecimal } from "./mapping/values";
import type { Json, JsonObject } from "./schema";

/**
 * Flattened OCDS (issue #8, capability 6): a compiled release as rows of a few tables, one table per
 * array, as the OCP Data Registry's CSV and Excel downloads give them — for spreadsheets and for people
 * who do not read JSON. The bulk files (bulk.ts) write these tables as CSV (one file per table) and as one
 * Excel workbook (one sheet per table).
 *
 *   main          one row per contracting process: its identifiers, buyer, budget, tender, and the totals of
 *                 its awards (active ones) and contracts (all but cancelled ones), with their counts.
 *   parties       parties[]                                  (ocid, id)
 *   budget        planning.budget.budgetBreakdown[]          (ocid, id)
 *   items         tender.items[]                             (ocid, tenderID, id)
 *   tenderers     tender.tenderers[]                         (ocid, tenderID, id → parties)
 *   bids          bids.details[]                             (ocid, id; tenderers → parties)
 *   awards        awards[]                                   (ocid, id; suppliers → parties)
 *   contracts     contracts[]                                (ocid, id, awardID → awards)
 *   amendments    tender.amendments[] and contracts[].amendments[]   (ocid, parent, parentID, id)
 *   transactions  contracts[].implementation.transactions[]  (ocid, contractID, id)
 *
 * Every row starts with the process's `ocid`, the key to the main table; rows of nested arrays also carry
 * the id of the object they belong to (tenderID, contractID, parent/parentID), so that any two tables join.
 * Column headers are the fields' OCDS paths within the row's object ("value/amount"), as Flatten Tool
 * names them, without array indexes. A field holding a list of references or strings (roles, suppliers,
 * relatedBids) is one cell, its values separated by ";". Amounts stay numbers.
 */

export type Cell = string | number | boolean | null;

export interface FlatColumn {
  header: string;
  width: number;
  /** Excel number format, for amounts and counts. */
  numFmt?: string;
}

export interface FlatTable {
  name: FlatTableName;
  /** What the table holds, for the publication page. */
  title: string;
  columns: readonly FlatColumn[];
  rows(release: JsonObject): Cell[][];
}

export const FLAT_TABLE_NAMES = ["main", "parties", "budget", "items", "tenderers", "bids", "awards", "contracts", "amendments", "transactions"] as const;
export type FlatTableName = (typeof FLAT_TABLE_NAMES)[number];

// ---------------------------------------------------------------------------------------------------
// Reading a compiled release defensively: any field may be missing, or (in data from elsewhere) of
// another type than the schema says.

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const objects = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The value at a "/"-separated path, or undefined. */
function at(o: unknown, path: string): Json | undefined {
  let v: unknown = o;
  for (const k of path.split("/")) {
    if (!isObject(v)) return undefined;
    v = v[k];
  }
  return v as Json | undefined;
}

/** A scalar cell: strings, numbers and booleans as they are; anything else (an object, a list) as JSON. */
function cell(v: Json | undefined): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(";");
  return JSON.stringify(v);
}

/** A list of references (organizations) as "id;id", or their names. */
function refs(v: Json | undefined, field: "id" | "name"): Cell {
  const list = objects(v)
    .map((r) => r[field])
    .filter((x): x is string | number => typeof x === "string" || typeof x === "number");
  return list.length ? list.join(";") : null;
}

/** The sum of some values' amounts, added exactly as decimals, or null when none (a number again: a cell). */
function total(values: (Json | undefined)[]): number | null {
  let sum = new D(0);
  let any = false;
  for (const v of values) {
    const a = at(v, "amount");
    if (typeof a !== "number" || !Number.isFinite(a)) continue;
    sum = sum.plus(amountDecimal(a));
    any = true;
  }
  return any ? sum.toNumber() : null;
}

/** The currency of some values when they all share one, else null. */
function currency(values: (Json | undefined)[]): string | null {
  const set = new Set(values.map((v) => at(v, "currency")).filter((c): c is string => typeof c === "string"));
  return set.size === 1 ? [...set][0] : null;
}

const MONEY = "#,##0.00";
const COUNT = "0";

/** A column reading a path of the row's object. */
interface Field {
  header: string;
  width?: number;
  numFmt?: string;
  get: (o: JsonObject) => Cell;
}
const path = (p: string, width = 16, numFmt?: string): Field => ({ header: p, width, numFmt, get: (o) => cell(at(o, p)) });
const money = (p: string): Field[] => [path(`${p}/amount`, 18, MONEY), path(`${p}/currency`, 8)];

function table(name: FlatTableName, title: string, keys: Field[], fields: Field[], rows: (r: JsonObject) => { keys: Cell[]; object: JsonObject }[]): FlatTable {
  const all = [...keys, ...fields];
  return {
    name,
    title,
    columns: all.map((f) => ({ header: f.header, width: f.width ?? 16, ...(f.numFmt ? { numFmt: f.numFmt } : {}) })),
    rows: (r) => rows(r).map(({ keys: k, object }) => [...k, ...fields.map((f) => f.get(object))]),
  };
}

const key = (header: string, width = 24): Field => ({ header, width, get: () => null });
const ocidOf = (r: JsonObject): Cell => cell(at(r, "ocid"));

const main = table(
  "main",
  "One row per contracting process",
  [],
  [
    path("ocid", 40),
    path("id", 48),
    path("date", 22),
    path("tag", 10),
    path("initiationType", 10),
    path("language", 6),
    path("buyer/id", 30),
    path("buyer/name", 36),
    path("planning/rupCode", 14),
    path("planning/budget/projectID", 20),
    path("planning/budget/project", 36),
    ...money("planning/budget/amount"),
    path("tender/id", 20),
    path("tender/title", 48),
    path("tender/status", 12),
    ...money("tender/value"),
    path("tender/procurementMethod", 12),
    path("tender/procurementMethodDetails", 24),
    path("tender/mainProcurementCategory", 12),
    path("tender/numberOfTenderers", 10, COUNT),
    path("tender/tenderPeriod/startDate", 22),
    path("tender/tenderPeriod/endDate", 22),
    { header: "awards/count", width: 8, numFmt: COUNT, get: (o) => objects(o.awards).length },
    { header: "awards/active/value/amount", width: 18, numFmt: MONEY, get: (o) => total(activeAwards(o).map((a) => a.value)) },
    { header: "awards/active/value/currency", width: 8, get: (o) => currency(activeAwards(o).map((a) => a.value)) },
    { header: "contracts/count", width: 8, numFmt: COUNT, get: (o) => objects(o.contracts).length },
    { header: "contracts/value/amount", width: 18, numFmt: MONEY, get: (o) => total(liveContracts(o).map((c) => c.value)) },
    { header: "contracts/value/currency", width: 8, get: (o) => currency(liveContracts(o).map((c) => c.value)) },
  ],
  (r) => [{ keys: [], object: r }],
);
const activeAwards = (r: JsonObject) => objects(r.awards).filter((a) => a.status === "active");
const liveContracts = (r: JsonObject) => objects(r.contracts).filter((c) => c.status !== "cancelled");

const parties = table(
  "parties",
  "The organizations of each process and their roles",
  [key("ocid", 40)],
  [
    path("id", 30),
    path("name", 40),
    path("roles", 30),
    path("identifier/scheme", 14),
    path("identifier/id", 24),
    path("identifier/legalName", 40),
    path("address/streetAddress", 40),
    path("address/locality", 20),
    path("address/region", 20),
    path("address/countryName", 12),
  ],
  (r) => objects(r.parties).map((p) => ({ keys: [ocidOf(r)], object: p })),
);

const budget = table(
  "budget",
  "The budget lines (DPA) behind each process: planning.budget.budgetBreakdown",
  [key("ocid", 40)],
  [
    path("id", 36),
    path("description", 60),
    ...money("amount"),
    path("sourceParty/id", 24),
    path("sourceParty/name", 36),
    path("period/startDate", 22),
    path("period/endDate", 22),
    path("classifications/subKegiatan", 20),
    path("classifications/kodeRekening", 20),
    path("classifications/sumberDana", 14),
  ],
  (r) => objects(at(r, "planning/budget/budgetBreakdown")).map((b) => ({ keys: [ocidOf(r)], object: b })),
);

const items = table(
  "items",
  "What is procured: tender.items",
  [key("ocid", 40), key("tenderID", 20)],
  [path("id", 8), path("description", 48), path("classification/scheme", 10), path("classification/id", 14), path("classification/description", 36), path("quantity", 10), path("unit/name", 10), ...money("unit/value")],
  (r) => objects(at(r, "tender/items")).map((i) => ({ keys: [ocidOf(r), cell(at(r, "tender/id"))], object: i })),
);

const tenderers = table(
  "tenderers",
  "Who bid: tender.tenderers (details in parties)",
  [key("ocid", 40), key("tenderID", 20)],
  [path("id", 30), path("name", 40)],
  (r) => objects(at(r, "tender/tenderers")).map((t) => ({ keys: [ocidOf(r), cell(at(r, "tender/id"))], object: t })),
);

const bids = table(
  "bids",
  "The bids opened: bids.details",
  [key("ocid", 40)],
  [
    path("id", 36),
    path("date", 22),
    path("status", 12),
    { header: "tenderers/id", width: 30, get: (o) => refs(o.tenderers, "id") },
    { header: "tenderers/name", width: 40, get: (o) => refs(o.tenderers, "name") },
    ...money("value"),
    path("rank", 6, COUNT),
    path("description", 48),
  ],
  (r) => objects(at(r, "bids/details")).map((b) => ({ keys: [ocidOf(r)], object: b })),
);

const awards = table(
  "awards",
  "Awards: awards",
  [key("ocid", 40)],
  [
    path("id", 36),
    path("status", 12),
    path("date", 22),
    path("title", 36),
    path("description", 48),
    ...money("value"),
    { header: "suppliers/id", width: 30, get: (o) => refs(o.suppliers, "id") },
    { header: "suppliers/name", width: 40, get: (o) => refs(o.suppliers, "name") },
    path("relatedBids", 36),
  ],
  (r) => objects(r.awards).map((a) => ({ keys: [ocidOf(r)], object: a })),
);

const contracts = table(
  "contracts",
  "Contracts: contracts",
  [key("ocid", 40)],
  [
    path("id", 36),
    path("awardID", 36),
    path("title", 36),
    path("status", 12),
    path("dateSigned", 22),
    path("period/startDate", 22),
    path("period/endDate", 22),
    ...money("value"),
    { header: "amendments/count", width: 8, numFmt: COUNT, get: (o) => objects(o.amendments).length },
    { header: "transactions/count", width: 8, numFmt: COUNT, get: (o) => objects(at(o, "implementation/transactions")).length },
  ],
  (r) => objects(r.contracts).map((c) => ({ keys: [ocidOf(r)], object: c })),
);

const amendments = table(
  "amendments",
  "Amendments of tenders (addenda) and of contracts",
  [key("ocid", 40), key("parent", 10), key("parentID", 36)],
  [path("id", 20), path("date", 22), path("rationale", 40), path("description", 60), path("amendsReleaseID", 36), path("releaseID", 36)],
  (r) => [
    ...objects(at(r, "tender/amendments")).map((a) => ({ keys: [ocidOf(r), "tender", cell(at(r, "tender/id"))], object: a })),
    ...objects(r.contracts).flatMap((c) => objects(c.amendments).map((a) => ({ keys: [ocidOf(r), "contract", cell(c.id)], object: a }))),
  ],
);

const transactions = table(
  "transactions",
  "Payments under contracts: contracts.implementation.transactions",
  [key("ocid", 40), key("contractID", 36)],
  [path("id", 20), path("date", 22), path("source", 30), ...money("value"), path("payer/id", 24), path("payer/name", 36), path("payee/id", 24), path("payee/name", 36), path("uri", 30)],
  (r) => objects(r.contracts).flatMap((c) => objects(at(c, "implementation/transactions")).map((t) => ({ keys: [ocidOf(r), cell(c.id)], object: t }))),
);

export const FLAT_TABLES: Record<FlatTableName, FlatTable> = { main, parties, budget, items, tenderers, bids, awards, contracts, amendments, transactions };

export const isFlatTableName = (s: string): s is FlatTableName => (FLAT_TABLE_NAMES as readonly string[]).includes(s);

// ---------------------------------------------------------------------------------------------------
// CSV

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(v: Cell): string {
  if (v === null) return "";
  const s = typeof v === "string" ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line, CRLF-terminated as RFC 4180 (and Flatten Tool) write them. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(",")}\r\n`;
