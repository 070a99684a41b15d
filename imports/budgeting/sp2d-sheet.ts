import type ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { assertCan } from "../../domain/identity/policy";
import { DomainError, ValidationErrors, type FieldProblem } from "../../domain/kernel/domain-error";
import { FiscalYear } from "../../domain/kernel/fiscal-year";
import { Money } from "../../domain/kernel/money";
import { apbdInForce, recordSp2d } from "../../domain/budgeting/apbd";
import { parseRupiah } from "../../domain/budgeting/prices";
import { parseCsv } from "../shared/csv";
import { cellText, columnLetterOf, readXlsx, sortSheetErrors, type SheetError } from "../shared/xlsx";

/**
 * Imports a treasury's SP2D register (exported from SIPD or the bank system, as Excel or CSV): one row
 * per SP2D detail — Nomor SP2D, Tanggal, Kode SKPD/OPD, Kode Sub Kegiatan, Kode Rekening, Nilai and
 * optionally Uraian. The header row is found among the first rows (a title above it is allowed), by its
 * names, Indonesian variants accepted; other columns are ignored, and so are rows with neither number
 * nor codes (a JUMLAH row).
 *
 * A row pays the spending lines of the APBD version in force with that OPD, sub-activity and account,
 * in position order, each up to what is left on it: one row may become several payments, one per line,
 * under the same number. Rows count in file order, so earlier rows use up what later rows may pay.
 * A row already recorded (the same number on those lines, same amount and date) is skipped and counted;
 * a different one under that number is refused, so a register uploaded twice never pays twice.
 *
 * Everything is checked inside one transaction with the lines concerned locked; every problem is
 * reported by row and column, and if there is any, nothing is recorded. Otherwise every payment goes
 * through `recordSp2d`, the form's use case (one Sp2dRecorded audit event each), in that transaction.
 */

type Key = "number" | "date" | "opd" | "sub" | "account" | "amount" | "description";

const HEADERS: Record<Key, RegExp> = {
  number: /^(nomor sp2d|no sp2d|nomer sp2d|nomor sp 2d|no sp 2d|sp2d|sp2d no|sp2d number|number)$/,
  date: /^(tanggal|tanggal sp2d|tgl|tgl sp2d|tanggal cair|tanggal pencairan|tanggal bayar|date|sp2d date)$/,
  opd: /^(kode skpd|kode opd|kode skpd opd|kode opd skpd|kode unit|kode unit skpd|kode perangkat daerah|skpd|opd|agency code|opd code)$/,
  sub: /^(kode sub kegiatan|kode subkegiatan|sub kegiatan|subkegiatan|kode sub|sub activity|sub activity code)$/,
  account: /^(kode rekening|kode rekening belanja|rekening|rekening belanja|kode akun|akun|account|account code)$/,
  amount: /^(nilai|nilai sp2d|nilai rp|nilai sp2d rp|jumlah|jumlah rp|nominal|nominal rp|nilai bruto|amount)$/,
  description: /^(uraian|uraian sp2d|keterangan|description)$/,
};
const REQUIRED: Key[] = ["number", "date", "opd", "sub", "account", "amount"];
const LABEL: Record<Key, string> = { number: "Nomor SP2D", date: "Tanggal", opd: "Kode SKPD/OPD", sub: "Kode Sub Kegiatan", account: "Kode Rekening", amount: "Nilai", description: "Uraian" };
/** How far down a title may push the header row. */
const HEADER_SEARCH_ROWS = 20;
export const MAX_SP2D_ROWS = 50_000;

/** "Nilai (Rp.)" → "nilai rp". */
const normalise = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** A cell: an Excel number kept as a number (amounts are read from it exactly), a date as YYYY-MM-DD, anything else as its text. */
type Cell = string | number;
const asText = (c: Cell | undefined) => (c === undefined ? "" : typeof c === "number" ? cellText(c) : c.trim());

function cellOf(v: ExcelJS.CellValue): Cell {
  const raw = v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v) ? (v.result as ExcelJS.CellValue) : v;
  return typeof raw === "number" ? raw : cellText(raw ?? null).trim();
}

const fileError = (key: string, params?: Record<string, unknown>): { ok: false; errors: SheetError[] } => ({ ok: false, errors: [{ row: 0, column: "", header: "", key, params }] });

/** The file as rows of cells, with each row's number as the user sees it. */
async function readTable(bytes: Uint8Array, filename: string): Promise<{ rows: { n: number; cells: Cell[] }[] } | { errors: SheetError[] }> {
  if (/\.(csv|txt)$/i.test(filename)) {
    const text = Buffer.from(bytes).toString("utf8");
    if (text.includes("\uFFFD")) return fileError("import.sp2d.unreadable");
    // Excel in an Indonesian locale saves CSV with semicolons: read it so when that finds more of the header.
    const numbered = (t: string[][]) => t.map((cells, i) => ({ n: i + 1, cells }));
    const found = (t: string[][]) => Object.keys(locate(numbered(t)).where).length;
    const comma = parseCsv(text);
    const semicolon = locate(numbered(comma)).found ? null : semicolonCsv(text);
    const table = semicolon && found(semicolon) > found(comma) ? semicolon : comma;
    if (table.length > MAX_SP2D_ROWS + HEADER_SEARCH_ROWS) return fileError("import.sp2d.tooManyRows", { max: MAX_SP2D_ROWS });
    return { rows: numbered(table) };
  }
  const wb = await readXlsx(bytes, { maxRows: MAX_SP2D_ROWS + HEADER_SEARCH_ROWS });
  if (wb === "tooLarge") return fileError("import.sp2d.tooManyRows", { max: MAX_SP2D_ROWS });
  if (wb === "unreadable") return fileError("import.sp2d.unreadable");
  const ws = wb.worksheets[0];
  const rows: { n: number; cells: Cell[] }[] = [];
  ws?.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (c, col) => (cells[col - 1] = cellOf(c.value)));
    rows.push({ n, cells: Array.from(cells, (c) => c ?? "") });
  });
  return { rows };
}

/** A semicolon-separated CSV through the comma reader: the two characters swapped before and after. */
function semicolonCsv(text: string): string[][] {
  const swap = (s: string) => s.replace(/[,;]/g, (c) => (c === "," ? ";" : ","));
  return parseCsv(swap(text)).map((r) => r.map(swap));
}

interface Located {
  found: boolean;
  at: number;
  where: Partial<Record<Key, number>>;
  errors: SheetError[];
}

/** The header row (index into rows) and where each known column is; or the errors that stop the import. */
function locate(rows: { n: number; cells: Cell[] }[]): Located {
  let best: { at: number; where: Partial<Record<Key, number>>; dup: SheetError[] } | null = null;
  for (let r = 0; r < Math.min(HEADER_SEARCH_ROWS, rows.length); r++) {
    const where: Partial<Record<Key, number>> = {};
    const dup: SheetError[] = [];
    rows[r].cells.forEach((cell, i) => {
      const h = normalise(asText(cell));
      if (!h) return;
      for (const [k, re] of Object.entries(HEADERS) as [Key, RegExp][])
        if (re.test(h)) {
          if (where[k] === undefined) where[k] = i;
          else dup.push({ row: rows[r].n, column: columnLetterOf(i), header: asText(cell), key: "import.header.duplicate", params: { header: asText(cell), first: columnLetterOf(where[k]!) } });
        }
    });
    if (Object.keys(where).length > Object.keys(best?.where ?? {}).length) best = { at: r, where, dup };
    if (REQUIRED.every((k) => where[k] !== undefined)) break;
  }
  const missingAll = (row: number): SheetError[] => REQUIRED.map((k) => ({ row, column: "", header: LABEL[k], key: "import.header.missing", params: { header: LABEL[k] } }));
  if (!best || Object.keys(best.where).length < 2) return { found: false, at: -1, where: {}, errors: missingAll(rows[0]?.n ?? 1) };
  const missing = REQUIRED.filter((k) => best.where[k] === undefined);
  const errors = [...best.dup, ...missing.map((k) => ({ row: rows[best.at].n, column: "", header: LABEL[k], key: "import.header.missing", params: { header: LABEL[k] } }))];
  return { found: errors.length === 0, at: best.at, where: best.where, errors };
}

/** A date as written: an Excel date (or its serial number), DD/MM/YYYY (also with - or .), or YYYY-MM-DD. */
export function parseSp2dDate(c: Cell): string | null {
  if (typeof c === "number") {
    if (!Number.isInteger(c) || c < 1 || c > 2_958_465) return null;
    return new Date(Date.UTC(1899, 11, 30) + c * 86_400_000).toISOString().slice(0, 10);
  }
  const t = c.trim();
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

/** parseRupiah's refusals, in the words of an SP2D amount. */
const AMOUNT_KEY: Record<string, string> = {
  "price.priceRequired": "import.sp2d.amountRequired",
  "price.priceFormat": "import.sp2d.amountFormat",
  "price.priceDecimals": "import.sp2d.amountDecimals",
  "price.priceNegative": "import.sp2d.amountPositive",
  "price.priceTooLarge": "import.sp2d.amountTooLarge",
};

interface LineRow {
  id: string;
  line_key: string;
  opd_code: string;
  opd_name: string;
  sub_code: string | null;
  account_code: string;
  position: number;
  amount: string;
  paid: string;
  has_dpa: boolean;
}

interface Payment {
  row: number;
  lineKey: string;
  number: string;
  paidOn: string;
  amount: string;
  description: string;
}

export type Sp2dImportResult = { ok: true; rows: number; recorded: number; alreadyRecorded: number; total: string } | { ok: false; errors: SheetError[] };

class Rollback extends Error {
  constructor(readonly errors: SheetError[]) {
    super("sp2d import refused");
  }
}

/** Where a use case's field problem shows in the sheet. */
const FIELD_COLUMN: Record<string, Key> = { number: "number", paidOn: "date", year: "date", amount: "amount", lineKey: "account" };

export async function importSp2dSheet(em: EntityManager, actor: Actor, clock: Clock, yearInput: number | string, bytes: Uint8Array, filename: string): Promise<Sp2dImportResult> {
  assertCan(actor, "budget.manage", { tenant: actor.tenant });
  const year = FiscalYear.of(yearInput).year;
  const read = await readTable(bytes, filename);
  if ("errors" in read) return { ok: false, errors: read.errors };
  const table = read.rows.filter((r) => r.cells.some((c) => asText(c) !== ""));
  if (!table.length) return fileError("import.sp2d.empty");
  const head = locate(table);
  if (!head.found) return { ok: false, errors: head.errors };
  const { where } = head;
  const place = (k: Key) => {
    const col = where[k] ?? where.number!;
    return { column: columnLetterOf(col), header: asText(table[head.at].cells[col]) || LABEL[k] };
  };
  const get = (r: { cells: Cell[] }, k: Key): Cell => (where[k] === undefined ? "" : r.cells[where[k]!] ?? "");
  const text = (r: { cells: Cell[] }, k: Key) => asText(get(r, k));
  // Data rows: a row with neither number nor codes, or a JUMLAH/TOTAL row without an OPD and sub-activity, is not one.
  const isTotal = (r: { cells: Cell[] }) => !text(r, "opd") && !text(r, "sub") && r.cells.some((c) => /^(jumlah|total|grand total|sub total|subtotal)\b/.test(normalise(asText(c))));
  const body = table.slice(head.at + 1).filter((r) => (["number", "opd", "sub", "account"] as Key[]).some((k) => text(r, k) !== "") && !isTotal(r));
  if (!body.length) return fileError("import.sp2d.empty");

  // What each row says, checked on its own.
  const errors: SheetError[] = [];
  const add = (row: number, k: Key, key: string, params?: Record<string, unknown>) => errors.push({ row, ...place(k), key, params });
  // A row with a problem is still checked against the budget (its codes), but pays nothing.
  type Parsed = { row: number; bad: boolean; number: string; date: string; opd: string; sub: string; account: string; amount: Money; description: string };
  const parsed: Parsed[] = [];
  for (const r of body) {
    const before = errors.length;
    const number = text(r, "number").slice(0, 100);
    if (number.length < 3) add(r.n, "number", "budget.sp2d.numberRequired");
    const dateCell = get(r, "date");
    const date = asText(dateCell) === "" ? null : parseSp2dDate(dateCell);
    if (asText(dateCell) === "") add(r.n, "date", "import.sp2d.dateRequired");
    else if (!date) add(r.n, "date", "import.sp2d.dateFormat", { value: asText(dateCell) });
    else if (Number(date.slice(0, 4)) !== year) add(r.n, "date", "import.sp2d.dateOutsideYear", { date, year });
    for (const k of ["opd", "sub", "account"] as const) if (!text(r, k)) add(r.n, k, `import.sp2d.${k}Required`);
    const p = parseRupiah(get(r, "amount"));
    let amount = Money.zero;
    if (!p.ok) add(r.n, "amount", AMOUNT_KEY[p.key] ?? "import.sp2d.amountFormat", { value: asText(get(r, "amount")), ...p.params });
    else if ((amount = Money.idr(p.value)).isZero()) add(r.n, "amount", "import.sp2d.amountPositive", { value: asText(get(r, "amount")) });
    const codes = text(r, "opd") !== "" && text(r, "sub") !== "" && text(r, "account") !== "";
    if (codes)
      parsed.push({
        row: r.n,
        bad: errors.length > before,
        number,
        date: date ?? "",
        opd: text(r, "opd"),
        sub: text(r, "sub"),
        account: text(r, "account"),
        amount,
        description: text(r, "description").slice(0, 500),
      });
  }

  try {
    return await em.transactional(
      async (tx) => {
        const apbd = await apbdInForce(tx, actor.tenant, year);
        if (!apbd) throw new Rollback(fileError("budget.dpa.noAdoptedApbd", { year }).errors);
        const opdCodes = [...new Set(body.map((r) => text(r, "opd")).filter(Boolean))];
        const known = await tx.execute<{ code: string; name: string }[]>("select code, name from opd where tenant_code = ? and code in (select json_array_elements_text(?::json))", [
          actor.tenant,
          JSON.stringify(opdCodes),
        ]);
        const opds = new Map(known.map((o) => [o.code, o.name]));
        // The spending lines of those OPDs in the version in force, locked until the import commits: what
        // is left on them cannot change between these checks and the payments.
        const lines = await tx.execute<LineRow[]>(
          `select b.id, b.line_key, o.code as opd_code, o.name as opd_name, s.sub_kegiatan_code as sub_code, b.account_code, b.position, b.amount::text as amount,
                  (select coalesce(sum(p.amount), 0)::numeric(20,2)::text from sp2d p join budget_line x on x.id = p.budget_line_id where p.tenant_code = b.tenant_code and x.line_key = b.line_key) as paid,
                  exists (select 1 from dpa d where d.apbd_id = b.apbd_id and d.opd_id = b.opd_id) as has_dpa
             from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
            where b.apbd_id = ? and b.kind = 'belanja' and o.code in (select json_array_elements_text(?::json))
            order by b.id for update of b`,
          [apbd.id, JSON.stringify(opdCodes)],
        );
        lines.sort((a, b) => a.position - b.position || a.line_key.localeCompare(b.line_key));
        const left = new Map(lines.map((l) => [l.line_key, Money.idr(l.amount).minus(Money.idr(l.paid))]));
        // What is recorded already under the file's numbers on those lines (in any version), by number and line.
        const recorded = await tx.execute<{ number: string; line_key: string; paid_on: string; amount: string }[]>(
          `select p.number, b.line_key, p.paid_on::text as paid_on, p.amount::text as amount from sp2d p join budget_line b on b.id = p.budget_line_id
            where p.tenant_code = ? and b.line_key in (select json_array_elements_text(?::json)::uuid) and p.number in (select json_array_elements_text(?::json))`,
          [actor.tenant, JSON.stringify(lines.map((l) => l.line_key)), JSON.stringify([...new Set(parsed.map((p) => p.number))])],
        );

        const payments: Payment[] = [];
        const seen = new Map<string, number>();
        let alreadyRecorded = 0;
        for (const r of parsed) {
          const name = opds.get(r.opd);
          if (name === undefined) {
            add(r.row, "opd", "import.sp2d.opdUnknown", { code: r.opd });
            continue;
          }
          const ofOpd = lines.filter((l) => l.opd_code === r.opd);
          if (!ofOpd.length) {
            add(r.row, "opd", "import.sp2d.opdNoBudget", { opd: name, year });
            continue;
          }
          if (!ofOpd[0].has_dpa) {
            add(r.row, "opd", "import.sp2d.noDpa", { opd: name, year });
            continue;
          }
          const ofSub = ofOpd.filter((l) => l.sub_code === r.sub);
          if (!ofSub.length) {
            add(r.row, "sub", "import.sp2d.subUnknown", { code: r.sub, opd: name });
            continue;
          }
          const matching = ofSub.filter((l) => l.account_code === r.account);
          if (!matching.length) {
            add(r.row, "account", "import.sp2d.accountUnknown", { code: r.account, sub: r.sub, opd: name });
            continue;
          }
          if (r.bad) continue;
          const key = `${r.number}\n${r.opd}\n${r.sub}\n${r.account}`;
          if (seen.has(key)) {
            add(r.row, "number", "import.sp2d.duplicateInFile", { number: r.number, first: seen.get(key) });
            continue;
          }
          seen.set(key, r.row);
          const keys = new Set(matching.map((l) => l.line_key));
          const already = recorded.filter((x) => x.number === r.number && keys.has(x.line_key));
          if (already.length) {
            const sum = Money.sum(already.map((x) => Money.idr(x.amount)));
            const dates = [...new Set(already.map((x) => x.paid_on))];
            if (sum.equals(r.amount) && dates.length === 1 && dates[0] === r.date) alreadyRecorded++;
            else
              add(r.row, sum.equals(r.amount) ? "date" : "amount", "import.sp2d.conflict", {
                number: r.number,
                recorded: sum.toString(),
                recordedOn: dates.join(", "),
                amount: r.amount.toString(),
                date: r.date,
              });
            continue;
          }
          // Fill the matching lines in position order, each up to what is left on it.
          const available = Money.sum(matching.map((l) => left.get(l.line_key)!));
          if (r.amount.exceeds(available)) {
            const budget = Money.sum(matching.map((l) => Money.idr(l.amount)));
            add(r.row, "amount", "import.sp2d.beyondLines", {
              amount: r.amount.toString(),
              lines: matching.length,
              budget: budget.toString(),
              paid: budget.minus(available).toString(),
              left: available.toString(),
            });
            continue;
          }
          let rest = r.amount;
          for (const l of matching) {
            if (rest.isZero()) break;
            const room = left.get(l.line_key)!;
            if (room.isZero() || room.isNegative()) continue;
            const part = rest.exceeds(room) ? room : rest;
            payments.push({ row: r.row, lineKey: l.line_key, number: r.number, paidOn: r.date, amount: part.toString(), description: r.description });
            left.set(l.line_key, room.minus(part));
            rest = rest.minus(part);
          }
        }
        if (errors.length) throw new Rollback(sortSheetErrors(errors));

        // Every payment through the form's use case, even after a failure, so that the report is complete.
        for (const p of payments)
          try {
            await recordSp2d(tx, actor, clock, { year, lineKey: p.lineKey, number: p.number, paidOn: p.paidOn, amount: p.amount, description: p.description });
          } catch (e) {
            if (!(e instanceof DomainError) || e.kind === "forbidden") throw e;
            const problems: FieldProblem[] = e instanceof ValidationErrors ? e.problems : [{ field: e.field ?? (e.key === "budget.sp2d.noDpa" ? "opd" : "number"), key: e.key, params: e.params }];
            for (const x of problems) {
              const at = place(FIELD_COLUMN[x.field] ?? (x.field === "opd" ? "opd" : "number"));
              if (!errors.some((y) => y.row === p.row && y.column === at.column && y.key === x.key)) errors.push({ row: p.row, ...at, key: x.key, params: x.params });
            }
          }
        if (errors.length) throw new Rollback(sortSheetErrors(errors));
        return { ok: true as const, rows: body.length, recorded: payments.length, alreadyRecorded, total: Money.sum(payments.map((p) => Money.idr(p.amount))).toString() };
      },
      { ignoreNestedTransactions: true },
    );
  } catch (e) {
    if (e instanceof Rollback) return { ok: false, errors: e.errors };
    throw e;
  }
}
