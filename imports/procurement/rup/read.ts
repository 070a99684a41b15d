import { Money } from "../../../domain/kernel/money";
import type { Kind, Method, PackageType } from "../../../domain/procurement/vocabulary";
import {
  asText,
  groupBy,
  locate,
  parseAmountCell,
  parseDateCell,
  parseFlag,
  readTables,
  reader,
  type Located,
  type ProcSheetError,
  type Row,
  type UploadedFile,
} from "../sheet-tables";
import { KNOWN, kindOf, L_LABEL, L_REQUIRED, L_SPEC, MAX_RUP_ROWS, methodOf, P_LABEL, P_REQUIRED, P_SPEC, swakelolaTypeOf, typeOf, type LK, type PK } from "./layout";

/**
 * Reading a RUP file (Excel → rows): the package and budget line tables found by their headers, each row
 * read cell by cell — every cell that cannot be read is an error at its sheet, row and column — and the
 * budget lines tied to their package rows by kode RUP. Nothing is looked up in the database here.
 */

export const fail = (key: string, params?: Record<string, unknown>, sheet = ""): { ok: false; errors: ProcSheetError[] } => ({ ok: false, errors: [{ sheet, row: 0, column: "", header: "", key, params }] });

/** One MAK: "1.03.10.2.01.0033.5.2.04.01.01.0003" (sub kegiatan + account), optionally after the satker code; or an account alone. */
export function parseMak(text: string, opdCode: string): { sub: string | null; account: string } | null {
  let t = text.trim().replace(/\s+/g, ".");
  if (opdCode && t.startsWith(`${opdCode}.`)) t = t.slice(opdCode.length + 1);
  const parts = t.split(".");
  if (parts.some((p) => !/^[0-9A-Za-z]{1,6}$/.test(p))) return null;
  if (parts.length === 6 && parts[0] === "5") return { sub: null, account: t };
  if (parts.length !== 12) return null;
  return { sub: parts.slice(0, 6).join("."), account: parts.slice(6).join(".") };
}

const LOCATION = /^(\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)(?:\s*:\s*(.*))?$/;

/** "35.22.06.2001: Ruas Dander–Ngunut; 35.22.01" → codes with details, or the part that is not one. */
export function parseLocations(text: string): { ok: true; value: { regionCode: string; detail: string }[] } | { ok: false; part: string } {
  const t = text.trim();
  if (!t) return { ok: true, value: [] };
  // A detail may hold a ";" of its own: split only before something that starts like a region code.
  const parts = t.split(/;\s*(?=\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?\s*(?::|;|$))/);
  const value: { regionCode: string; detail: string }[] = [];
  for (const part of parts) {
    const m = LOCATION.exec(part.trim());
    if (!m) return { ok: false, part: part.trim() };
    value.push({ regionCode: m[1], detail: (m[2] ?? "").trim() });
  }
  return { ok: true, value };
}

/** What a package row says, each field as read (undefined: the column is absent or the cell empty where that means "keep"). */
export interface PackageRowRead {
  row: Row;
  kode: string;
  opdCode: string;
  pagu: Money | null;
  method?: Method;
  kind?: Kind;
  type?: PackageType;
  swakelolaType?: string;
  pdn?: boolean;
  umk?: boolean;
  dates: Partial<Record<"selectionStart" | "selectionEnd" | "executionStart" | "executionEnd" | "plannedOn", string | null>>;
  locations?: { regionCode: string; detail: string }[];
  name: string;
  description?: string;
  volume?: string;
  ppkName?: string;
  /** The status column's word: true announced, false draft, undefined not given. */
  announce?: boolean;
  /** A cell of the row was refused: it is still checked against the database, but never written. */
  bad: boolean;
  /** One of its budget line rows was refused. */
  linesBad?: boolean;
}

export type PackageRead = PackageRowRead & { t: ReturnType<typeof reader<PK>> };
export type LineRead = LineRowRead & { t: ReturnType<typeof reader<LK>> };

export interface LineRowRead {
  row: Row;
  kode: string;
  mak: string;
  sub: string | null;
  account: string;
  funding: string;
  amount: Money;
}

/** A RUP file as read: its package rows, their budget line rows, and the cell errors found while reading. */
export interface RupRead {
  packages: PackageRead[];
  lines: LineRead[];
  /** The budget line rows of each kode RUP. */
  linesOf: Map<string, LineRead[]>;
  /** Rows of other OPDs than the one read for, skipped. */
  skipped: number;
  /** The tables in file order (errors are sorted by it). */
  order: string[];
  /** Cells that could not be read: reported with the checks' errors, all together. */
  errors: ProcSheetError[];
}

/** Reads the files: the tables found, their rows read; a file whose tables cannot be found is refused at once. */
export async function readRup(files: readonly UploadedFile[], year: number, onlyOpd: string | null): Promise<RupRead | { ok: false; errors: ProcSheetError[] }> {
  const read = await readTables(files, { maxRows: MAX_RUP_ROWS, known: KNOWN });
  if ("errors" in read) return { ok: false, errors: read.errors };
  const packageTables: Located<PK>[] = [];
  const lineTables: Located<LK>[] = [];
  for (const t of read.tables) {
    const p = locate(t, P_SPEC, P_REQUIRED, P_LABEL);
    if (p && p.where.name !== undefined) packageTables.push(p);
    else {
      const l = locate(t, L_SPEC, L_REQUIRED, L_LABEL);
      if (l && l.where.mak !== undefined) lineTables.push(l);
    }
  }
  if (!packageTables.length) return fail("import.rup.noPackageTable", { headers: P_REQUIRED.map((k) => P_LABEL[k]).join(", ") });
  if (!lineTables.length) return fail("import.rup.noLineTable", { headers: L_REQUIRED.map((k) => L_LABEL[k]).join(", ") });
  const headerErrors = [...packageTables, ...lineTables].flatMap((t) => t.errors);
  if (headerErrors.length) return { ok: false, errors: headerErrors };
  const order = [...packageTables, ...lineTables].map((t) => t.table.name);

  const errors: ProcSheetError[] = [];

  const { packages, skipped, skippedKodes } = readPackageRows(packageTables, errors, year, onlyOpd);
  const byKode = new Map(packages.filter((p) => p.kode).map((p) => [p.kode, p]));
  const lines = readLineRows(lineTables, errors, byKode, skippedKodes);
  const linesOf = groupBy(lines, (l) => l.kode);
  for (const p of packages) {
    if (!p.kode || linesOf.has(p.kode)) continue;
    // A package row whose lines were all refused has been reported already.
    if (!p.bad) errors.push({ row: p.row.n, ...p.t.place("kodeRup"), key: "import.rup.noLines", params: { kode: p.kode, sheet: lineTables[0].table.name } });
    p.bad = true;
  }
  if (!packages.length && !skipped) return fail("import.rup.empty");
  return { packages, lines, linesOf, skipped, order, errors };
}

/** Each package row on its own: every cell checked, nothing looked up yet. Rows of other OPDs than `onlyOpd` are skipped and counted. */
export function readPackageRows(packageTables: Located<PK>[], errors: ProcSheetError[], year: number, onlyOpd: string | null) {
  const packages: PackageRead[] = [];
  const seenKode = new Map<string, string>();
  let skipped = 0;
  const skippedKodes = new Set<string>();
  for (const pt of packageTables) {
    const r = reader<PK>(pt, P_LABEL, "kodeRup");
    for (const row of pt.body) {
      const before = errors.length;
      const add = (k: PK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
      const opdCode = r.text(row, "opdCode");
      if (onlyOpd && opdCode && opdCode !== onlyOpd) {
        skipped++;
        if (kode) skippedKodes.add(kode);
        continue;
      }
      if (!kode) add("kodeRup", "import.proc.required", { header: P_LABEL.kodeRup });
      else if (!/^\d{1,12}$/.test(kode)) add("kodeRup", "import.rup.kodeFormat", { value: kode });
      else if (seenKode.has(kode)) add("kodeRup", "import.rup.kodeTwice", { kode, first: seenKode.get(kode) });
      else seenKode.set(kode, `${pt.table.name}!${row.n}`);
      if (!opdCode) add("opdCode", "import.proc.required", { header: P_LABEL.opdCode });
      const yearText = r.text(row, "year");
      if (!yearText) add("year", "import.proc.required", { header: P_LABEL.year });
      else if (yearText !== String(year)) add("year", "import.rup.yearOther", { value: yearText, year });
      let pagu: Money | null = null;
      const paguParsed = parseAmountCell(r.cell(row, "pagu"));
      if (paguParsed.ok) pagu = Money.idr(paguParsed.value);
      else add("pagu", paguParsed.key, paguParsed.params);
      const methodText = r.text(row, "method");
      const method = methodOf(methodText);
      if (!methodText) add("method", "import.proc.required", { header: P_LABEL.method });
      else if (!method) add("method", "import.rup.methodUnknown", { value: methodText });
      const kindText = r.text(row, "kind");
      const kind = kindOf(kindText);
      if (!kindText) add("kind", "import.proc.required", { header: P_LABEL.kind });
      else if (!kind) add("kind", "import.rup.kindUnknown", { value: kindText });
      const typeText = r.text(row, "type");
      let type: PackageType | undefined = typeText ? (typeOf(typeText) ?? undefined) : undefined;
      if (typeText && !type) add("type", "import.rup.typeUnknown", { value: typeText });
      if (!typeText && method) type = method === "swakelola" ? "swakelola" : "penyedia";
      const flag = (k: "pdn" | "umk", yes: string[], no: string[]) => {
        const text = r.text(row, k);
        if (!text) return undefined;
        const f = parseFlag(text, { yes, no });
        if (f === null) add(k, "import.proc.flag", { value: text, yes: yes[0].toUpperCase(), no: no[0].replace(/\b\w/g, (c) => c.toUpperCase()) });
        return f ?? undefined;
      };
      const pdn = flag("pdn", ["pdn"], ["non pdn", "impor", "import"]);
      const umk = flag("umk", ["ukm", "umk", "umkm"], ["non ukm", "non umk", "non umkm"]);
      const dates: PackageRowRead["dates"] = {};
      for (const k of ["selectionStart", "selectionEnd", "executionStart", "executionEnd", "plannedOn"] as const) {
        if (!r.has(k)) continue;
        const c = r.cell(row, k);
        if (asText(c) === "") dates[k] = null;
        else {
          const d = parseDateCell(c);
          if (!d) add(k, "import.proc.dateFormat", { value: asText(c) });
          dates[k] = d;
        }
      }
      let locations: PackageRowRead["locations"];
      if (r.has("locations")) {
        const l = parseLocations(r.text(row, "locations"));
        if (l.ok) locations = l.value;
        else add("locations", "import.rup.locationFormat", { value: l.part });
      }
      let announce: boolean | undefined;
      const statusText = r.text(row, "status");
      if (statusText) {
        const f = parseFlag(statusText, { yes: ["terumumkan", "diumumkan", "umumkan", "announced", "aktif"], no: ["draf", "draft", "belum", "belum diumumkan", "belum terumumkan"] });
        if (f === null) add("status", "import.rup.statusFormat", { value: statusText });
        else announce = f;
      }
      packages.push({
        t: r,
        row,
        kode,
        opdCode,
        pagu,
        method: method ?? undefined,
        kind: kind ?? undefined,
        type,
        swakelolaType: r.has("swakelolaType") ? swakelolaTypeOf(r.text(row, "swakelolaType")) : undefined,
        pdn,
        umk,
        dates,
        locations,
        name: r.text(row, "name"),
        description: r.has("description") ? r.text(row, "description") : undefined,
        volume: r.has("volume") ? r.text(row, "volume") : undefined,
        ppkName: r.text(row, "ppkName") || undefined,
        announce,
        bad: errors.length > before,
      });
    }
  }
  return { packages, skipped, skippedKodes };
}

/** Each budget line row on its own, tied to its package row by kode RUP (a refused line marks its package). */
export function readLineRows(lineTables: Located<LK>[], errors: ProcSheetError[], byKode: Map<string, PackageRead>, skippedKodes: Set<string>) {
  const lines: LineRead[] = [];
  for (const lt of lineTables) {
    const r = reader<LK>(lt, L_LABEL, "kodeRup");
    for (const row of lt.body) {
      const add = (k: LK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
      if (skippedKodes.has(kode)) continue;
      const pkg = byKode.get(kode);
      if (!kode) add("kodeRup", "import.proc.required", { header: L_LABEL.kodeRup });
      else if (!pkg) {
        add("kodeRup", "import.rup.lineForUnknownPackage", { kode });
        continue;
      }
      const makText = r.text(row, "mak");
      const mak = makText ? parseMak(makText, pkg?.opdCode ?? "") : null;
      if (!makText) add("mak", "import.proc.required", { header: L_LABEL.mak });
      else if (!mak) add("mak", "import.rup.makFormat", { value: makText });
      const amount = parseAmountCell(r.cell(row, "amount"));
      if (!amount.ok) add("amount", amount.key, amount.params);
      if (!pkg || !mak || !amount.ok) {
        if (pkg) pkg.bad = pkg.linesBad = true;
        continue;
      }
      lines.push({ t: r, row, kode, mak: makText, sub: mak.sub, account: mak.account, funding: r.text(row, "fundingSource"), amount: Money.idr(amount.value) });
    }
  }
  return lines;
}
