import type ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { assertCan } from "../../domain/identity/policy";
import { DomainError, ValidationErrors, type FieldProblem } from "../../domain/kernel/domain-error";
import { D } from "../../domain/kernel/money";
import { normaliseQty } from "../../domain/budgeting/lines";
import { RKA_EDITABLE, type RkaStatus } from "../../domain/budgeting/machines";
import { parseRupiah, priceListsInForce } from "../../domain/budgeting/prices";
import { addLine, rkaView, updateLine, type LineInput, type RkaLineView } from "../../domain/budgeting/rka";
import { RKA_COLUMNS, RKA_SHEET, type RkaColumnKey } from "../../exports/xlsx/rka";
import { cellText, columnLetterOf, readXlsx, sortSheetErrors, type SheetError } from "../shared/xlsx";

/**
 * Reads an RKA back from its Excel layout (exports/xlsx/rka.ts) and applies it, all or nothing.
 *
 * The file must name this RKA (the "ID RKA" cell of its header block) and carry the table's header
 * row (columns found by their headers, in any order). Rows with a No are the RKA's lines at that
 * position: unchanged ones are left alone (no write, no audit event), changed ones go through
 * `updateLine`; rows without a No are new lines, appended through `addLine`. Group rows (rekening,
 * [#] kelompok), the JUMLAH row and empty rows are skipped; Jumlah is recomputed, never read. Lines of
 * the RKA that are not in the file are kept, never removed: a row deleted by mistake costs nothing,
 * and the result lists them.
 *
 * Everything runs in one transaction with the RKA row locked, through the same use cases as the
 * editor, so that their rules apply unchanged; every row is tried even after a failure, every problem
 * is reported by row and column, and if there is any, the transaction is rolled back. A changed row
 * whose line was edited in the application since the download (the hidden Ref column) is refused
 * rather than overwriting that edit.
 */

type Key = RkaColumnKey;
const MAX_ROWS = 20_000;

const MATCH: Record<Key, RegExp> = {
  no: /^no\.?$/i,
  heading: /^kelompok$/i,
  account: /^kode rekening$/i,
  item: /^kode komponen$/i,
  description: /^uraian$/i,
  spec: /^spesifikasi$/i,
  q1: /^koefisien 1$/i,
  u1: /^satuan 1$/i,
  q2: /^koefisien 2$/i,
  u2: /^satuan 2$/i,
  q3: /^koefisien 3$/i,
  u3: /^satuan 3$/i,
  q4: /^koefisien 4$/i,
  u4: /^satuan 4$/i,
  unit: /^satuan$/i,
  price: /^harga satuan( \(rp\))?$/i,
  tax: /^ppn( \(?%\)?)?$/i,
  funding: /^sumber dana$/i,
  amount: /^jumlah( \(rp\))?$/i,
  justification: /^justifikasi( harga)?$/i,
  ref: /^ref$/i,
};
/** Columns the file may leave out: Jumlah is recomputed; without Justifikasi a line keeps its own; without Ref no staleness check. */
const OPTIONAL: Key[] = ["amount", "justification", "ref"];
const REQUIRED = RKA_COLUMNS.map((c) => c.key).filter((k) => !OPTIONAL.includes(k));
const HEADER_OF = Object.fromEntries(RKA_COLUMNS.map((c) => [c.key, c.header])) as Record<Key, string>;
/** A row with none of these is a group, total or note row. */
const LINE_VALUES: Key[] = ["item", "spec", "q1", "u1", "q2", "u2", "q3", "u3", "q4", "u4", "unit", "price", "tax", "funding", "justification"];

/** Where a use case's field problem shows in the sheet. */
const FIELD_COLUMN: Record<string, Key> = {
  heading: "heading",
  accountCode: "account",
  description: "description",
  spec: "spec",
  factor1: "q1",
  factor2: "q2",
  factor3: "q3",
  factor4: "q4",
  factor5: "q4",
  unit: "unit",
  priceItem: "item",
  unitPrice: "price",
  justification: "justification",
  taxPercent: "tax",
  fundingSource: "funding",
};

interface Cell {
  value: ExcelJS.CellValue;
  numFmt?: string;
}

/** A number as Excel shows it: exact up to 15 significant digits, so 0.1 × 3 reads 0.3, not 0.30000000000000004. */
export function excelNumberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const shortest = new D(n);
  return (shortest.sd(true) <= 15 ? shortest : new D(n.toPrecision(15))).toFixed();
}

const resultOf = (v: ExcelJS.CellValue): ExcelJS.CellValue =>
  v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v) ? ((v.result ?? null) as ExcelJS.CellValue) : v;

function textOf(c: Cell | undefined): string {
  const v = resultOf(c?.value ?? null);
  return (typeof v === "number" ? excelNumberText(v) : cellText(v)).trim();
}

const decEq = (a: string, b: string) => {
  try {
    return new D(a).eq(new D(b));
  } catch {
    return false;
  }
};

export type RkaImportResult =
  | { ok: true; added: number; changed: number; unchanged: number; kept: number[] }
  | { ok: false; errors: SheetError[] };

class Rollback extends Error {
  constructor(readonly errors: SheetError[]) {
    super("rka import refused");
  }
}

const fileError = (key: string, params?: Record<string, unknown>): { ok: false; errors: SheetError[] } => ({ ok: false, errors: [{ row: 0, column: "", header: "", key, params }] });

export async function importRkaSheet(em: EntityManager, actor: Actor, clock: Clock, rkaId: string, bytes: Uint8Array, filename: string): Promise<RkaImportResult> {
  const before = await rkaView(em, actor.tenant, rkaId);
  assertCan(actor, "budget.rka.edit", { tenant: actor.tenant, opd: before.rka.opdCode });
  if (!RKA_EDITABLE.includes(before.rka.status as RkaStatus)) return fileError("budget.rka.locked", { status: before.rka.status });
  if (filename && !/\.xlsx$/i.test(filename)) return fileError("import.rka.unreadable");
  const wb = await readXlsx(bytes, { maxRows: MAX_ROWS });
  if (wb === "unreadable") return fileError("import.rka.unreadable");
  if (wb === "tooLarge") return fileError("import.rka.tooManyRows", { max: MAX_ROWS });
  const ws = wb.getWorksheet(RKA_SHEET.name) ?? wb.worksheets[0];
  if (!ws) return fileError("import.rka.unreadable");

  const rows: { n: number; cells: Cell[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (c, col) => (cells[col - 1] = { value: c.value, numFmt: c.numFmt }));
    rows.push({ n, cells });
  });

  // The header row: the one of the top rows that names the most of our columns.
  let head: { n: number; cells: Cell[]; at: Partial<Record<Key, number>>; found: number; duplicates: SheetError[] } | null = null;
  for (const r of rows.slice(0, 40)) {
    const at: Partial<Record<Key, number>> = {};
    const duplicates: SheetError[] = [];
    r.cells.forEach((c, i) => {
      const h = textOf(c).replace(/\s+/g, " ");
      const k = (Object.keys(MATCH) as Key[]).find((key) => MATCH[key].test(h));
      if (!k) return;
      if (at[k] !== undefined) duplicates.push({ row: r.n, column: columnLetterOf(i), header: h, key: "import.header.duplicate", params: { header: h, first: columnLetterOf(at[k]!) } });
      else at[k] = i;
    });
    const found = Object.keys(at).length;
    if (found > (head?.found ?? 0)) head = { ...r, at, found, duplicates };
  }
  if (!head) return fileError("import.rka.noHeader", { headers: REQUIRED.map((k) => HEADER_OF[k]).join(", ") });
  const missing = REQUIRED.filter((k) => head!.at[k] === undefined);
  if (missing.length || head.duplicates.length)
    return {
      ok: false,
      errors: [...head.duplicates, ...missing.map((k) => ({ row: head!.n, column: "", header: HEADER_OF[k], key: "import.header.missing", params: { header: HEADER_OF[k] } }))],
    };
  const { at } = head;
  const headerRow = head.n;

  // The RKA the file belongs to: the cell after the "ID RKA" label in the block above the table.
  let fileId: { value: string; row: number; col: number } | null = null;
  for (const r of rows.filter((x) => x.n < headerRow)) {
    const label = r.cells.findIndex((c) => /^id rka/i.test(textOf(c)));
    if (label < 0) continue;
    const col = r.cells.findIndex((c, i) => i > label && textOf(c) !== "");
    fileId = { value: col < 0 ? "" : textOf(r.cells[col]), row: r.n, col: col < 0 ? label + 1 : col };
    break;
  }
  if (!fileId || !fileId.value) return fileError("import.rka.idMissing", { label: RKA_SHEET.idLabel });
  if (fileId.value.toLowerCase() !== rkaId.toLowerCase())
    return { ok: false, errors: [{ row: fileId.row, column: columnLetterOf(fileId.col), header: RKA_SHEET.idLabel, key: "import.rka.wrongRka", params: { found: fileId.value } }] };

  const where = (k: Key) => {
    const col = at[k] ?? at.no!;
    return { column: columnLetterOf(col), header: textOf(head!.cells[col]) || HEADER_OF[k] };
  };
  const body = rows.filter((r) => r.n > headerRow);

  try {
    return await em.transactional(
      async (tx) => {
        // The RKA is locked until the import commits: no edit can slip between the checks and the changes.
        const [locked] = await tx.execute<{ version: number; status: RkaStatus }[]>("select version, status from rka where tenant_code = ? and id = ? for update", [actor.tenant, rkaId]);
        if (!RKA_EDITABLE.includes(locked.status)) throw new Rollback([{ row: 0, column: "", header: "", key: "budget.rka.locked", params: { status: locked.status } }]);
        let version = locked.version;
        const view = await rkaView(tx, actor.tenant, rkaId);
        const belanja = view.rka.kind === "belanja";
        const byPosition = new Map(view.lines.map((l) => [l.position, l]));

        const errors: SheetError[] = [];
        const add = (row: number, k: Key, key: string, params?: Record<string, unknown>) => errors.push({ row, ...where(k), key, params });
        const get = (r: { cells: Cell[] }, k: Key) => (at[k] === undefined ? "" : textOf(r.cells[at[k]!]));
        const cell = (r: { cells: Cell[] }, k: Key) => (at[k] === undefined ? undefined : r.cells[at[k]!]);

        const lineRows = body.filter((r) => LINE_VALUES.some((k) => get(r, k) !== "") || get(r, "no") !== "");
        const items = await itemsInForce(tx, actor.tenant, view.rka.year, belanja ? [...new Set(lineRows.map((r) => get(r, "item")).filter(Boolean))] : []);

        type Step = { row: number; input: LineInput; line?: RkaLineView };
        const steps: Step[] = [];
        const seen = new Map<number, number>();
        let unchanged = 0;
        for (const r of lineRows) {
          const errorsBefore = errors.length;
          // No: the position of an existing line, or empty for a new one.
          const noText = get(r, "no");
          let line: RkaLineView | undefined;
          if (noText) {
            const no = /^\d{1,9}$/.test(noText) ? Number(noText) : NaN;
            if (!Number.isInteger(no)) add(r.n, "no", "import.rka.noFormat", { value: noText });
            else if (seen.has(no)) add(r.n, "no", "import.rka.noDuplicate", { no, first: seen.get(no) });
            else if (!byPosition.has(no)) add(r.n, "no", "import.rka.noUnknown", { no });
            else {
              seen.set(no, r.n);
              line = byPosition.get(no);
            }
            if (!line) continue;
          }
          // The component: the line's own item when the code is unchanged, else the item of that code in the lists in force.
          const code = get(r, "item");
          let priceItemId = "";
          if (code && !belanja) add(r.n, "item", "import.rka.componentNotUsed", { kind: view.rka.kind });
          else if (code && line && code === line.price_item_code) priceItemId = line.price_item_id ?? "";
          else if (code) {
            const found = items.get(code) ?? [];
            if (found.length === 1) priceItemId = found[0];
            else if (found.length === 0) add(r.n, "item", "import.rka.componentUnknown", { code, year: view.rka.year });
            else add(r.n, "item", "import.rka.componentAmbiguous", { code, count: found.length });
          }
          let unitPrice: string | undefined;
          const priceCell = cell(r, "price");
          const priceValue = resultOf(priceCell?.value ?? null);
          if (get(r, "price") !== "") {
            const p = parseRupiah(typeof priceValue === "number" ? priceValue : get(r, "price"));
            if (p.ok) unitPrice = p.value;
            else add(r.n, "price", p.key, p.params);
          }
          const input: LineInput = {
            heading: get(r, "heading"),
            accountCode: get(r, "account"),
            description: get(r, "description"),
            spec: get(r, "spec"),
            factors: ([1, 2, 3, 4] as const).map((i) => ({ qty: get(r, `q${i}`), unit: get(r, `u${i}`) })),
            unit: get(r, "unit"),
            priceItemId,
            unitPrice,
            justification: at.justification === undefined ? (line?.justification ?? "") : get(r, "justification"),
            taxPercent: taxText(cell(r, "tax")),
            fundingSource: get(r, "funding"),
          };
          if (line && errors.length === errorsBefore && sameAsLine(line, input, code)) {
            unchanged++;
            continue;
          }
          if (line && at.ref !== undefined) {
            const ref = get(r, "ref");
            if (ref && ref !== `${line.id}/${line.version}`) {
              add(r.n, "no", "import.rka.lineStale", { no: line.position });
              continue;
            }
          }
          steps.push({ row: r.n, input, line });
        }

        // Every row through the use cases, even after a failure, so that the report is complete.
        let added = 0;
        let changed = 0;
        for (const s of steps) {
          try {
            if (s.line) {
              await updateLine(tx, actor, clock, rkaId, s.line.id, s.input, version);
              changed++;
            } else {
              await addLine(tx, actor, clock, rkaId, s.input, version);
              added++;
            }
            version++;
          } catch (e) {
            if (!(e instanceof DomainError) || e.kind !== "invalid") throw e;
            const problems: FieldProblem[] = e instanceof ValidationErrors ? e.problems : [{ field: e.field ?? "", key: e.key, params: e.params }];
            for (const p of problems) {
              let k: Key = FIELD_COLUMN[p.field] ?? "no";
              if (at[k] === undefined) k = k === "justification" ? "price" : "no";
              const place = where(k);
              // A cell the reader already refused (an unknown component, an unreadable price) is reported once.
              if (errors.some((x) => x.row === s.row && x.column === place.column)) continue;
              errors.push({ row: s.row, ...place, key: p.key, params: p.params });
            }
          }
        }
        if (errors.length) throw new Rollback(sortSheetErrors(errors));
        const inFile = new Set(seen.keys());
        const kept = view.lines.filter((l) => !inFile.has(l.position)).map((l) => l.position);
        return { ok: true as const, added, changed, unchanged, kept };
      },
      { ignoreNestedTransactions: true },
    );
  } catch (e) {
    if (e instanceof Rollback) return { ok: false, errors: e.errors };
    throw e;
  }
}

/** PPN as written: 11, "11", "11%", "11,0", or 0.11 in a percent-formatted cell; empty is 0. */
function taxText(c: Cell | undefined): string {
  const v = resultOf(c?.value ?? null);
  if (typeof v === "number") {
    const d = new D(excelNumberText(v));
    return (c?.numFmt?.includes("%") ? d.times(100) : d).toFixed();
  }
  const t = cellText(v).replace(/[%\s]/g, "").replace(",", ".");
  if (!t) return "0";
  return /^\d+(\.\d+)?$/.test(t) ? new D(t).toFixed() : t;
}

/** Whether a row says exactly what the line already holds (as the use case would store it). */
function sameAsLine(l: RkaLineView, input: LineInput, itemCode: string): boolean {
  const s = (x: unknown, max = 10_000) => String(x ?? "").trim().slice(0, max);
  if (s(input.heading, 200) !== l.heading || s(input.accountCode) !== l.account_code || itemCode !== (l.price_item_code ?? "")) return false;
  if (s(input.description, 500) !== l.description || s(input.spec, 1000) !== l.spec) return false;
  const used = input.factors.filter((f) => s(f.qty) !== "" || s(f.unit) !== "");
  if (used.length !== l.factors.length) return false;
  if (used.some((f, i) => !decEq(normaliseQty(f.qty), l.factors[i].qty) || s(f.unit, 40) !== l.factors[i].unit)) return false;
  if ((s(input.unit, 60) || l.factors.map((f) => f.unit).join(" × ")) !== l.unit) return false;
  const price = input.unitPrice ?? l.standard_price;
  if (!price || !decEq(price, l.unit_price)) return false;
  if (!decEq(input.taxPercent || "0", l.tax_percent)) return false;
  return input.fundingSource === l.funding_source && s(input.justification, 2000) === l.justification;
}

/** The ids of the items with these codes in the price lists in force for the year, by code. */
async function itemsInForce(em: EntityManager, tenant: string, year: number, codes: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!codes.length) return out;
  const lists = await priceListsInForce(em, tenant, year);
  if (!lists.length) return out;
  const found = await em.execute<{ id: string; code: string }[]>(
    `select id, code from price_item
      where tenant_code = ? and list_id in (select json_array_elements_text(?::json)::uuid) and code in (select json_array_elements_text(?::json))`,
    [tenant, JSON.stringify(lists.map((l) => l.id)), JSON.stringify(codes)],
  );
  for (const f of found) out.set(f.code, [...(out.get(f.code) ?? []), f.id]);
  return out;
}
