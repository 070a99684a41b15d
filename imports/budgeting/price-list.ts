import type ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { checkPriceListHeader, importPriceList, type PriceField, type PriceListHeader, type PriceRow } from "../../domain/budgeting/prices";
import { parseCsv } from "../shared/csv";
import { cellText, columnLetterOf, readXlsx, sortSheetErrors, type SheetError } from "../shared/xlsx";

/**
 * Reads a standard price list (SSH, HSPK, ASB, SBU) from CSV or Excel (first sheet). The header row is
 * found among the first rows (a title above it is allowed) by its column names, Indonesian first:
 * kode / kode barang / kode standar; nama / uraian / nama barang; spesifikasi / spek; satuan;
 * harga / harga satuan / harga (Rp); kode rekening / akun / rekening. Other columns (No, keterangan)
 * are ignored. Every problem comes back by row and column; the list is stored whole or not at all.
 */
const HEADERS: Record<PriceField, RegExp> = {
  code: /^(kode|kode barang|kode standar|kode standar harga|kode ssh|kode hspk|kode asb|kode sbu|kode komponen|kode item|code)$/,
  name: /^(nama|uraian|nama barang|uraian barang|nama komponen|uraian komponen|nama item|nama standar harga|name)$/,
  spec: /^(spesifikasi|spek|spesifikasi barang|spesifikasi komponen|spec|specification)$/,
  unit: /^(satuan|unit)$/,
  price: /^(harga|harga satuan|harga rp|harga satuan rp|price|unit price)$/,
  accounts: /^(kode rekening|akun|rekening|kode akun|rekening belanja|kode rekening belanja|akun belanja|accounts?)$/,
};

const REQUIRED: PriceField[] = ["code", "name", "unit", "price", "accounts"];
const LABEL: Record<PriceField, string> = { code: "Kode", name: "Nama", spec: "Spesifikasi", unit: "Satuan", price: "Harga", accounts: "Kode Rekening" };
/** How far down a title may push the header row. */
const HEADER_SEARCH_ROWS = 20;
export const MAX_PRICE_ROWS = 100_000;

/** "Harga Satuan (Rp.)" → "harga satuan rp". */
const normalise = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

type Cell = string | number;

/** A cell's value: an Excel number kept as a number (prices are read from it exactly), anything else as its text. */
function cellOf(v: ExcelJS.CellValue): Cell {
  const raw = v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v) ? (v.result as ExcelJS.CellValue) : v;
  return typeof raw === "number" ? raw : cellText(raw ?? null).trim();
}

const asText = (c: Cell | undefined) => (c === undefined ? "" : typeof c === "number" ? cellText(c) : c.trim());

export async function readPriceTable(bytes: Uint8Array, filename: string): Promise<{ table: Cell[][] } | { errors: SheetError[] }> {
  if (/\.csv$/i.test(filename)) {
    const text = Buffer.from(bytes).toString("utf8");
    if (text.includes("\uFFFD")) return { errors: [{ row: 0, column: "", header: "", key: "price.fileUnreadable" }] };
    const table = parseCsv(text);
    if (table.length > MAX_PRICE_ROWS + HEADER_SEARCH_ROWS) return { errors: [tooMany(table.length)] };
    return { table };
  }
  const wb = await readXlsx(bytes, { maxRows: MAX_PRICE_ROWS + HEADER_SEARCH_ROWS });
  if (wb === "tooLarge") return { errors: [tooMany(`> ${MAX_PRICE_ROWS}`)] };
  if (wb === "unreadable") return { errors: [{ row: 0, column: "", header: "", key: "price.fileUnreadable" }] };
  const ws = wb.worksheets[0];
  const table: Cell[][] = [];
  ws?.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (c, col) => (cells[col - 1] = cellOf(c.value)));
    table[n - 1] = Array.from(cells, (c) => c ?? "");
  });
  return { table: Array.from(table, (r) => r ?? []) };
}

const tooMany = (rows: number | string): SheetError => ({ row: 0, column: "", header: "", key: "import.file.tooManyRows", params: { rows, max: MAX_PRICE_ROWS } });

/** The header row (zero-based) and where each known column is; or the errors that stop the import. */
function locateHeader(table: Cell[][]): { at: number; where: Partial<Record<PriceField, number>> } | { errors: SheetError[] } {
  let best: { at: number; where: Partial<Record<PriceField, number>>; dup: SheetError[] } | null = null;
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, table.length); r++) {
    const where: Partial<Record<PriceField, number>> = {};
    const dup: SheetError[] = [];
    (table[r] ?? []).forEach((cell, i) => {
      const h = normalise(asText(cell));
      if (!h) return;
      for (const [k, re] of Object.entries(HEADERS) as [PriceField, RegExp][])
        if (re.test(h)) {
          if (where[k] === undefined) where[k] = i;
          else dup.push({ row: r + 1, column: columnLetterOf(i), header: asText(cell), key: "import.header.duplicate", params: { header: asText(cell), first: columnLetterOf(where[k]!) } });
        }
    });
    const found = Object.keys(where).length;
    if (found > Object.keys(best?.where ?? {}).length) best = { at: r, where, dup };
    if (REQUIRED.every((k) => where[k] !== undefined)) break;
  }
  if (!best || Object.keys(best.where).length < 2)
    return { errors: REQUIRED.map((k) => ({ row: 1, column: "", header: LABEL[k], key: "import.header.missing", params: { header: LABEL[k] } })) };
  const missing = REQUIRED.filter((k) => best.where[k] === undefined);
  const errors = [...best.dup, ...missing.map((k) => ({ row: best.at + 1, column: "", header: LABEL[k], key: "import.header.missing", params: { header: LABEL[k] } }))];
  return errors.length ? { errors } : { at: best.at, where: best.where };
}

/** The rows below the header, as the domain reads them (blank rows skipped). */
export function priceRows(table: Cell[][]): { rows: PriceRow[]; head: Cell[]; where: Partial<Record<PriceField, number>> } | { errors: SheetError[] } {
  const located = locateHeader(table);
  if ("errors" in located) return located;
  const { at, where } = located;
  const get = (r: Cell[], k: PriceField): Cell => (where[k] === undefined ? "" : (r[where[k]!] ?? ""));
  const rows: PriceRow[] = [];
  for (let i = at + 1; i < table.length; i++) {
    const r = table[i] ?? [];
    if (r.every((c) => asText(c) === "")) continue;
    const price = get(r, "price");
    rows.push({
      row: i + 1,
      code: asText(get(r, "code")),
      name: asText(get(r, "name")),
      spec: asText(get(r, "spec")),
      unit: asText(get(r, "unit")),
      price: typeof price === "number" ? price : price.trim(),
      accounts: asText(get(r, "accounts")),
    });
  }
  return { rows, head: table[at] ?? [], where };
}

/**
 * Imports a price list file: the header (kind, year, decree) is checked and the permission asserted
 * before the file is read; then every row is checked and the list stored in one transaction.
 */
export async function importPriceListFile(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  header: PriceListHeader,
  bytes: Uint8Array,
  filename: string,
): Promise<{ ok: true; count: number; listId: string } | { ok: false; errors: SheetError[] }> {
  checkPriceListHeader(actor, header);
  const read = await readPriceTable(bytes, filename);
  if ("errors" in read) return { ok: false, errors: read.errors };
  const parsed = priceRows(read.table);
  if ("errors" in parsed) return { ok: false, errors: parsed.errors };
  const out = await importPriceList(em, actor, clock, { ...header, source: header.source ?? filename }, parsed.rows);
  if (out.ok) return out;
  const { head, where } = parsed;
  return {
    ok: false,
    errors: sortSheetErrors(
      out.problems.map((p) => {
        const col = where[p.field] ?? where.code ?? 0;
        return { row: p.row, column: columnLetterOf(col), header: asText(head[col]), key: p.key, params: p.params };
      }),
    ),
  };
}
