import type ExcelJS from "exceljs";
import { parseRupiah } from "../../domain/budgeting/prices";
import { parseCsv } from "../shared/csv";
import { cellText, columnIndex, columnLetterOf, readXlsx, type SheetError } from "../shared/xlsx";

/**
 * Reading the tables the national systems export (SiRUP, SPSE): one or more files, each an Excel
 * workbook (every worksheet a table) or a CSV (one table, comma- or semicolon-separated). Each table is
 * recognised by its header row — found among its first rows, by column names in the systems' own
 * snake_case (`kd_rup`) or as people label them ("Kode RUP") — and every problem is located by table
 * (worksheet or file name), Excel row and column letter.
 */

/** A problem of an uploaded file: the worksheet (or CSV file) it is in, then Excel row and column. */
export interface ProcSheetError extends SheetError {
  sheet: string;
}

/** A cell: an Excel number kept as a number (amounts are read from it exactly); a date as YYYY-MM-DD; else its text. */
export type Cell = string | number;
export interface Row {
  n: number;
  cells: Cell[];
}
export interface Table {
  /** The worksheet's name, or the CSV file's name. */
  name: string;
  rows: Row[];
}
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** How far down a title may push the header row. */
const HEADER_SEARCH_ROWS = 20;

export const asText = (c: Cell | undefined): string => (c === undefined ? "" : typeof c === "number" ? cellText(c) : c.trim());

/** "Kode RUP", "kd_rup", "KD-RUP" → "kd rup" / "kode rup". */
export const normaliseHeader = (h: string): string =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

function cellOf(v: ExcelJS.CellValue): Cell {
  const raw = v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v) ? (v.result as ExcelJS.CellValue) : v;
  return typeof raw === "number" ? raw : cellText(raw ?? null).trim();
}

/** A semicolon-separated CSV through the comma reader: the two characters swapped before and after. */
function semicolonCsv(text: string): string[][] {
  const swap = (s: string) => s.replace(/[,;]/g, (c) => (c === "," ? ";" : ","));
  return parseCsv(swap(text)).map((r) => r.map(swap));
}

const fileError = (sheet: string, key: string, params?: Record<string, unknown>): ProcSheetError => ({ sheet, row: 0, column: "", header: "", key, params });

/**
 * Every table of the files, empty rows left out. `known` names the headers the caller recognises (already
 * normalised): a CSV is read as semicolon-separated when that finds more of them in its first rows.
 */
export async function readTables(files: readonly UploadedFile[], opts: { maxRows: number; known: ReadonlySet<string> }): Promise<{ tables: Table[] } | { errors: ProcSheetError[] }> {
  const tables: Table[] = [];
  const errors: ProcSheetError[] = [];
  if (!files.length) return { errors: [fileError("", "import.proc.noFile")] };
  for (const f of files) {
    if (/\.(csv|txt)$/i.test(f.name)) {
      const text = Buffer.from(f.bytes).toString("utf8");
      if (text.includes("\uFFFD")) {
        errors.push(fileError(f.name, "import.proc.unreadable", { file: f.name }));
        continue;
      }
      const hits = (t: string[][]) => t.slice(0, HEADER_SEARCH_ROWS).reduce((n, r) => Math.max(n, r.filter((c) => opts.known.has(normaliseHeader(c))).length), 0);
      const comma = parseCsv(text);
      const semicolon = semicolonCsv(text);
      const table = hits(semicolon) > hits(comma) ? semicolon : comma;
      if (table.length > opts.maxRows + HEADER_SEARCH_ROWS) {
        errors.push(fileError(f.name, "import.proc.tooManyRows", { file: f.name, max: opts.maxRows }));
        continue;
      }
      tables.push({ name: f.name, rows: table.map((cells, i) => ({ n: i + 1, cells: cells.map((c) => c.trim()) })).filter((r) => r.cells.some((c) => c !== "")) });
      continue;
    }
    const wb = await readXlsx(f.bytes, { maxRows: opts.maxRows + HEADER_SEARCH_ROWS });
    if (wb === "tooLarge") {
      errors.push(fileError(f.name, "import.proc.tooManyRows", { file: f.name, max: opts.maxRows }));
      continue;
    }
    if (wb === "unreadable") {
      errors.push(fileError(f.name, "import.proc.unreadable", { file: f.name }));
      continue;
    }
    for (const ws of wb.worksheets) {
      const rows: Row[] = [];
      ws.eachRow({ includeEmpty: false }, (row, n) => {
        const cells: Cell[] = [];
        row.eachCell({ includeEmpty: false }, (c, col) => (cells[col - 1] = cellOf(c.value)));
        const filled = Array.from(cells, (c) => c ?? "");
        if (filled.some((c) => asText(c) !== "")) rows.push({ n, cells: filled });
      });
      tables.push({ name: ws.name, rows });
    }
  }
  return errors.length ? { errors } : { tables };
}

/** A table's columns: each key with the normalised header names it goes by. */
export type HeaderSpec<K extends string> = Record<K, readonly string[]>;

export interface Located<K extends string> {
  table: Table;
  /** Index (into table.rows) of the header row. */
  at: number;
  where: Partial<Record<K, number>>;
  /** The data rows below the header. */
  body: Row[];
  /** Duplicate headers and missing required ones. */
  errors: ProcSheetError[];
}

/** The header row of a table for this spec (the top row naming most of its columns), or null when none names two. */
export function locate<K extends string>(table: Table, spec: HeaderSpec<K>, required: readonly K[], label: Record<K, string>): Located<K> | null {
  let best: { at: number; where: Partial<Record<K, number>>; dup: ProcSheetError[] } | null = null;
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, table.rows.length); r++) {
    const where: Partial<Record<K, number>> = {};
    const dup: ProcSheetError[] = [];
    table.rows[r].cells.forEach((cell, i) => {
      const h = normaliseHeader(asText(cell));
      if (!h) return;
      for (const k of Object.keys(spec) as K[])
        if (spec[k].includes(h)) {
          if (where[k] === undefined) where[k] = i;
          else dup.push({ sheet: table.name, row: table.rows[r].n, column: columnLetterOf(i), header: asText(cell), key: "import.header.duplicate", params: { header: asText(cell), first: columnLetterOf(where[k]!) } });
        }
    });
    if (Object.keys(where).length > Object.keys(best?.where ?? {}).length) best = { at: r, where, dup };
  }
  if (!best || Object.keys(best.where).length < 2) return null;
  const headerRow = table.rows[best.at].n;
  const missing = required.filter((k) => best.where[k] === undefined);
  return {
    table,
    at: best.at,
    where: best.where,
    body: table.rows.slice(best.at + 1),
    errors: [...best.dup, ...missing.map((k) => ({ sheet: table.name, row: headerRow, column: "", header: label[k], key: "import.header.missing", params: { header: label[k] } }))],
  };
}

/** Reading one located table: cells by key, and where to report a problem with a key's cell. */
export function reader<K extends string>(t: Located<K>, label: Record<K, string>, fallback: K) {
  const head = t.table.rows[t.at];
  return {
    has: (k: K) => t.where[k] !== undefined,
    cell: (r: Row, k: K): Cell => (t.where[k] === undefined ? "" : (r.cells[t.where[k]!] ?? "")),
    text: (r: Row, k: K): string => (t.where[k] === undefined ? "" : asText(r.cells[t.where[k]!])),
    place: (k: K) => {
      const col = t.where[k] ?? t.where[fallback] ?? 0;
      return { sheet: t.table.name, column: columnLetterOf(col), header: asText(head.cells[col]) || label[k] };
    },
  };
}

/**
 * A date as the systems and spreadsheets write it: an Excel date (or its serial number), YYYY-MM-DD or
 * DD/MM/YYYY (also with - or .), each optionally followed by a time, which is ignored. Null when not one.
 */
export function parseDateCell(c: Cell): string | null {
  if (typeof c === "number") {
    if (c < 1 || c > 2_958_465) return null;
    return new Date(Date.UTC(1899, 11, 30) + Math.floor(c) * 86_400_000).toISOString().slice(0, 10);
  }
  const t = c.trim().replace(/[T\s]+\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?(\s*(wib|z|[+-]\d{2}:?\d{2}))?$/i, "");
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let [y, mo, d] = m ? [m[1], m[2], m[3]] : ["", "", ""];
  if (!m) {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!m) return null;
    [d, mo, y] = [m[1], m[2], m[3]];
  }
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (at.getUTCFullYear() !== Number(y) || at.getUTCMonth() !== Number(mo) - 1 || at.getUTCDate() !== Number(d)) return null;
  return at.toISOString().slice(0, 10);
}

/** parseRupiah's refusals, in the words of an imported amount. */
const AMOUNT_KEY: Record<string, string> = {
  "price.priceRequired": "import.proc.amountRequired",
  "price.priceFormat": "import.proc.amountFormat",
  "price.priceDecimals": "import.proc.amountDecimals",
  "price.priceNegative": "import.proc.amountPositive",
  "price.priceTooLarge": "import.proc.amountTooLarge",
};

/** An amount in rupiah, positive: "1.250.000", "1250000.50", an Excel number; "1,250" is refused as ambiguous. */
export function parseAmountCell(c: Cell): { ok: true; value: string } | { ok: false; key: string; params: Record<string, unknown> } {
  const p = parseRupiah(c);
  if (!p.ok) return { ok: false, key: AMOUNT_KEY[p.key] ?? "import.proc.amountFormat", params: { value: asText(c), ...p.params } };
  if (/^0+(\.0+)?$/.test(p.value)) return { ok: false, key: "import.proc.amountPositive", params: { value: asText(c) } };
  return p;
}

const YES = new Set(["ya", "y", "yes", "true", "1", "benar", "v", "x", "pemenang", "menang"]);
const NO = new Set(["", "tidak", "t", "no", "n", "false", "0", "salah", "-"]);

/** A yes/no cell: Ya/Tidak, Y/N, 1/0, TRUE/FALSE, and the words given in `extra`. Null when neither. */
export function parseFlag(c: Cell, extra: { yes?: readonly string[]; no?: readonly string[] } = {}): boolean | null {
  const t = normaliseHeader(asText(c));
  if (YES.has(t) || extra.yes?.includes(t)) return true;
  if (NO.has(t) || extra.no?.includes(t)) return false;
  return null;
}

/** In reading order: by table, then row, then column. */
export function sortErrors(errors: ProcSheetError[], tableOrder: readonly string[] = []): ProcSheetError[] {
  const rank = (s: string) => {
    const i = tableOrder.indexOf(s);
    return i < 0 ? tableOrder.length : i;
  };
  return errors.sort((a, b) => rank(a.sheet) - rank(b.sheet) || a.sheet.localeCompare(b.sheet) || a.row - b.row || columnIndex(a.column) - columnIndex(b.column));
}

/**
 * Thrown inside an import's transaction when a check finds problems: the transaction rolls back and the
 * import returns the problems (sorted by `sortErrors`) instead of throwing.
 */
export class ImportRefused extends Error {
  constructor(readonly errors: ProcSheetError[]) {
    super("import refused");
  }
}

/** Items by key, each key's items in their order. */
export function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
