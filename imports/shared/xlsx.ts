import ExcelJS from "exceljs";
import { D } from "../../domain/kernel/money";

/**
 * Reading spreadsheets people filled in: the workbook (or why not), each cell as the text the user
 * sees, and problems located the way Excel shows them.
 */

/** One problem, where the user finds it: Excel row number (0 = the file itself) and column letter. */
export interface SheetError {
  row: number;
  column: string;
  header: string;
  /** i18n message key; the parameters fill its placeholders. */
  key: string;
  params?: Record<string, unknown>;
}

/** Sheet parts an import never needs; dataValidations over whole columns would cost millions of objects. */
const IGNORED_NODES = ["dataValidations", "conditionalFormatting", "hyperlinks", "drawing", "picture", "tableParts", "extLst", "headerFooter", "rowBreaks"];

/** Loads an .xlsx; anything else (random bytes, .xls, .csv, a damaged zip) is "unreadable", never a crash. */
export async function readXlsx(bytes: Uint8Array | ArrayBuffer, opts: { maxRows: number }): Promise<ExcelJS.Workbook | "unreadable" | "tooLarge"> {
  const wb = new ExcelJS.Workbook();
  try {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_NODES, maxRows: opts.maxRows } as Partial<ExcelJS.XlsxReadOptions>);
    return wb;
  } catch (e) {
    // why: JSZip and exceljs throw plain Errors for whatever is not a well-formed xlsx.
    return /Max row count/i.test(String(e)) ? "tooLarge" : "unreadable";
  }
}

/** A cell as the text a user sees in it; numbers exactly, never in exponent notation. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? new D(v).toFixed() : String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10);
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("formula" in v || "sharedFormula" in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  if ("hyperlink" in v) return cellText(v.text as ExcelJS.CellValue);
  if ("error" in v) return v.error;
  return "";
}

/** 0 → "A", 26 → "AA": the letter Excel shows for a zero-based column index. */
export function columnLetterOf(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" → 1, "AA" → 27. */
export const columnIndex = (letter: string) => [...letter].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** In reading order: by row, then by column. */
export function sortSheetErrors(errors: SheetError[]): SheetError[] {
  return errors.sort((a, b) => a.row - b.row || columnIndex(a.column) - columnIndex(b.column));
}
