import { Money } from "../../../domain/kernel/money";
import { parseNpwp } from "../../../domain/procurement/vendors";
import type { ContractType, EvaluationMethod, Qualification } from "../../../domain/procurement/vocabulary";
import {
  asText,
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
import { C_LABEL, C_REQUIRED, C_SPEC, contractTypeOf, evaluationOf, KNOWN, MAX_SPSE_ROWS, qualificationOf, T_LABEL, T_REQUIRED, T_SPEC, type CK, type TK } from "./layout";

/**
 * Reading SPSE's exports (Excel → rows): the tender result and contract tables found by their headers,
 * each row read cell by cell — every cell that cannot be read is an error at its sheet, row and column —,
 * participants grouped by kd_tender and contract versions by no_kontrak. Nothing is looked up in the
 * database here.
 */

export const fail = (key: string, params?: Record<string, unknown>): { ok: false; errors: ProcSheetError[] } => ({ ok: false, errors: [{ sheet: "", row: 0, column: "", header: "", key, params }] });

export type TReader = ReturnType<typeof reader<TK>>;
export type CReader = ReturnType<typeof reader<CK>>;

export interface BidRead {
  row: Row;
  t: TReader;
  npwp: string;
  name: string;
  price: Money;
  corrected: Money;
  winner: boolean;
  winnerDate: string | null;
  qualification: Qualification | null;
}
export interface TenderRead {
  code: string;
  kode: string;
  hps: Money | null;
  evaluation: EvaluationMethod | null;
  announcedOn: string | null;
  first: { row: Row; t: TReader };
  bids: BidRead[];
  bad: boolean;
}
export interface ContractBase {
  row: Row;
  t: CReader;
  kode: string;
  tenderCode: string;
  signedOn: string;
  value: Money;
  npwp: string;
  name: string;
  startDate: string;
  endDate: string;
  type: ContractType;
  sppbjNumber: string;
  sppbjDate: string;
  qualification: Qualification | null;
}
export interface AmendmentRead {
  row: Row;
  t: CReader;
  no: number;
  reason: string;
  value: Money | null;
  endDate: string | null;
  signedOn: string;
}
export interface ContractRead {
  number: string;
  base: ContractBase | null;
  amendments: AmendmentRead[];
  first: { row: Row; t: CReader };
  bad: boolean;
}

/** SPSE files as read: tenders by kd_tender, contracts by no_kontrak, vendor names by NPWP, and the cell errors. */
export interface SpseRead {
  tenders: Map<string, TenderRead>;
  contracts: Map<string, ContractRead>;
  names: Map<string, string>;
  /** The tables in file order (errors are sorted by it). */
  order: string[];
  /** Cells that could not be read: reported with the checks' errors, all together. */
  errors: ProcSheetError[];
}

/** Reads the files: the tables found, their rows read; files whose tables cannot be found are refused at once. */
export async function readSpse(files: readonly UploadedFile[]): Promise<SpseRead | { ok: false; errors: ProcSheetError[] }> {
  const read = await readTables(files, { maxRows: MAX_SPSE_ROWS, known: KNOWN });
  if ("errors" in read) return { ok: false, errors: read.errors };
  const tenderTables: Located<TK>[] = [];
  const contractTables: Located<CK>[] = [];
  for (const t of read.tables) {
    const c = locate(t, C_SPEC, C_REQUIRED, C_LABEL);
    if (c && c.where.number !== undefined) {
      contractTables.push(c);
      continue;
    }
    const tr = locate(t, T_SPEC, T_REQUIRED, T_LABEL);
    if (tr && tr.where.price !== undefined) tenderTables.push(tr);
  }
  if (!tenderTables.length && !contractTables.length) return fail("import.spse.noTable", { tender: T_REQUIRED.map((k) => T_LABEL[k]).join(", "), contract: C_REQUIRED.map((k) => C_LABEL[k]).join(", ") });
  const headerErrors = [...tenderTables, ...contractTables].flatMap((t) => t.errors);
  for (const ct of contractTables)
    if (ct.where.kodeRup === undefined && ct.where.tenderCode === undefined)
      headerErrors.push({ sheet: ct.table.name, row: ct.table.rows[ct.at].n, column: "", header: C_LABEL.kodeRup, key: "import.header.missing", params: { header: `${C_LABEL.kodeRup} / ${C_LABEL.tenderCode}` } });
  if (headerErrors.length) return { ok: false, errors: headerErrors };
  const order = [...tenderTables, ...contractTables].map((t) => t.table.name);
  const errors: ProcSheetError[] = [];

  const names = new Map<string, string>();
  const tenders = readTenders(tenderTables, errors, names);
  const contracts = readContracts(contractTables, errors, names);
  if (!tenders.size && !contracts.size) return fail("import.spse.empty");
  return { tenders, contracts, names, order, errors };
}

/** Tender result rows, grouped by kd_tender; each cell checked on its own. Vendor names by NPWP go to `names`. */
export function readTenders(tenderTables: Located<TK>[], errors: ProcSheetError[], names: Map<string, string>): Map<string, TenderRead> {
  const tenders = new Map<string, TenderRead>();
  for (const tt of tenderTables) {
    const r = reader<TK>(tt, T_LABEL, "tenderCode");
    for (const row of tt.body) {
      const before = errors.length;
      const add = (k: TK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const code = r.text(row, "tenderCode").replace(/\.0+$/, "");
      const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
      if (!code) add("tenderCode", "import.proc.required", { header: T_LABEL.tenderCode });
      else if (!/^\d{1,15}$/.test(code)) add("tenderCode", "import.spse.tenderCodeFormat", { value: code });
      if (!kode) add("kodeRup", "import.proc.required", { header: T_LABEL.kodeRup });
      else if (!/^\d{1,12}$/.test(kode)) add("kodeRup", "import.rup.kodeFormat", { value: kode });
      const hps = parseAmountCell(r.cell(row, "hps"));
      if (!hps.ok) add("hps", hps.key, hps.params);
      const npwp = npwpOf(r.text(row, "npwp"));
      if (!npwp) add("npwp", "procure.vendor.npwpFormat", { text: r.text(row, "npwp") });
      const name = r.text(row, "vendorName");
      if (name.length < 3) add("vendorName", "procure.vendor.nameRequired");
      const price = parseAmountCell(r.cell(row, "price"));
      if (!price.ok) add("price", price.key, price.params);
      const correctedCell = r.cell(row, "corrected");
      const corrected = asText(correctedCell) === "" ? price : parseAmountCell(correctedCell);
      if (!corrected.ok && asText(correctedCell) !== "") add("corrected", corrected.key, corrected.params);
      const winnerText = r.text(row, "winner");
      const winner = parseFlag(winnerText);
      if (winner === null) add("winner", "import.proc.flag", { value: winnerText, yes: "Ya", no: "Tidak" });
      const dateText = r.text(row, "winnerDate");
      const winnerDate = dateText ? parseDateCell(r.cell(row, "winnerDate")) : null;
      if (dateText && !winnerDate) add("winnerDate", "import.proc.dateFormat", { value: dateText });
      if (winner && !dateText) add("winnerDate", "import.spse.winnerDateRequired");
      const evaluationText = r.text(row, "evaluation");
      const evaluation = evaluationText ? evaluationOf(evaluationText) : null;
      if (evaluationText && !evaluation) add("evaluation", "import.spse.evaluationUnknown", { value: evaluationText });
      const qualificationText = r.text(row, "qualification");
      const qualification = qualificationText ? qualificationOf(qualificationText) : null;
      if (qualificationText && !qualification) add("qualification", "import.spse.qualificationUnknown", { value: qualificationText });
      const announcedText = r.text(row, "announcedOn");
      const announcedOn = announcedText ? parseDateCell(r.cell(row, "announcedOn")) : null;
      if (announcedText && !announcedOn) add("announcedOn", "import.proc.dateFormat", { value: announcedText });
      if (!code || !/^\d{1,15}$/.test(code)) continue;
      let t = tenders.get(code);
      if (!t) {
        t = { code, kode, hps: hps.ok ? Money.idr(hps.value) : null, evaluation, announcedOn, first: { row, t: r }, bids: [], bad: false };
        tenders.set(code, t);
      } else {
        // One tender, one package and one HPS: every participant's row must say the same.
        const first = `${t.first.t.place("tenderCode").sheet}!${t.first.row.n}`;
        if (kode && t.kode && kode !== t.kode) add("kodeRup", "import.spse.tenderOtherRup", { code, kode: t.kode, first });
        if (hps.ok && t.hps && !Money.idr(hps.value).equals(t.hps)) add("hps", "import.spse.hpsDiffers", { code, hps: t.hps.toString(), first });
        t.evaluation ??= evaluation;
        t.announcedOn ??= announcedOn;
      }
      if (npwp && t.bids.some((b) => b.npwp === npwp)) add("npwp", "import.spse.npwpTwice", { npwp: r.text(row, "npwp"), code });
      if (winner && t.bids.some((b) => b.winner)) add("winner", "import.spse.twoWinners", { code, first: `${t.first.t.place("winner").sheet}!${t.bids.find((b) => b.winner)!.row.n}` });
      if (errors.length > before || !npwp || !price.ok || !corrected.ok) {
        t.bad = true;
        continue;
      }
      if (name) names.set(npwp, name);
      t.bids.push({ row, t: r, npwp, name, price: Money.idr(price.value), corrected: Money.idr(corrected.value), winner: !!winner, winnerDate, qualification });
    }
  }
  return tenders;
}

/** Contract rows, grouped by no_kontrak: version 0 is the contract, 1, 2, … its addenda. */
export function readContracts(contractTables: Located<CK>[], errors: ProcSheetError[], names: Map<string, string>): Map<string, ContractRead> {
  const contracts = new Map<string, ContractRead>();
  for (const ct of contractTables) {
    const r = reader<CK>(ct, C_LABEL, "number");
    for (const row of ct.body) {
      const before = errors.length;
      const add = (k: CK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const number = r.text(row, "number").slice(0, 200);
      if (number.length < 3) add("number", "procure.contract.numberRequired");
      const versionText = r.text(row, "version");
      const no = versionText === "" ? 0 : /^\d{1,3}$/.test(versionText.replace(/\.0+$/, "")) ? Number(versionText.replace(/\.0+$/, "")) : NaN;
      if (Number.isNaN(no)) add("version", "import.spse.versionFormat", { value: versionText });
      const date = (k: CK, required: boolean): string | null => {
        const text = r.text(row, k);
        if (!text) {
          if (required) add(k, "import.proc.required", { header: C_LABEL[k] });
          return null;
        }
        const d = parseDateCell(r.cell(row, k));
        if (!d) add(k, "import.proc.dateFormat", { value: text });
        return d;
      };
      if (number.length < 3 || Number.isNaN(no)) continue;
      let c = contracts.get(number);
      if (!c) contracts.set(number, (c = { number, base: null, amendments: [], first: { row, t: r }, bad: false }));
      const firstOf = (n: Row) => `${r.place("number").sheet}!${n.n}`;
      if (no === 0) {
        if (c.base) {
          add("version", "import.spse.versionTwice", { number, no, first: firstOf(c.base.row) });
          continue;
        }
        const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
        const tenderCode = r.text(row, "tenderCode").replace(/\.0+$/, "");
        if (!kode && !tenderCode) add(r.has("kodeRup") ? "kodeRup" : "tenderCode", "import.spse.packageRequired");
        if (kode && !/^\d{1,12}$/.test(kode)) add("kodeRup", "import.rup.kodeFormat", { value: kode });
        if (tenderCode && !/^\d{1,15}$/.test(tenderCode)) add("tenderCode", "import.spse.tenderCodeFormat", { value: tenderCode });
        const signedOn = date("signedOn", true);
        const value = parseAmountCell(r.cell(row, "value"));
        if (!value.ok) add("value", value.key, value.params);
        const npwp = npwpOf(r.text(row, "npwp"));
        if (!npwp) add("npwp", "procure.vendor.npwpFormat", { text: r.text(row, "npwp") });
        const name = r.text(row, "vendorName");
        const startDate = date("startDate", true);
        const endDate = date("endDate", true);
        if (startDate && endDate && endDate < startDate) add("endDate", "procure.package.endBeforeStart");
        const typeText = r.text(row, "type");
        const type = typeText ? contractTypeOf(typeText) : null;
        if (!type) add("type", typeText ? "import.spse.contractTypeUnknown" : "import.proc.required", { value: typeText, header: C_LABEL.type });
        const sppbjDate = r.text(row, "sppbjDate") ? date("sppbjDate", false) : signedOn;
        const qualificationText = r.text(row, "qualification");
        const qualification = qualificationText ? qualificationOf(qualificationText) : null;
        if (qualificationText && !qualification) add("qualification", "import.spse.qualificationUnknown", { value: qualificationText });
        if (errors.length > before) {
          c.bad = true;
          continue;
        }
        if (name) names.set(npwp!, name);
        c.base = {
          row,
          t: r,
          kode,
          tenderCode,
          signedOn: signedOn!,
          value: Money.idr((value as { value: string }).value),
          npwp: npwp!,
          name,
          startDate: startDate!,
          endDate: endDate!,
          type: type!,
          sppbjNumber: r.text(row, "sppbjNumber").slice(0, 200) || number,
          sppbjDate: sppbjDate!,
          qualification,
        };
      } else {
        const seen = c.amendments.find((a) => a.no === no);
        if (seen) {
          add("version", "import.spse.versionTwice", { number, no, first: firstOf(seen.row) });
          continue;
        }
        const reason = r.text(row, "reason");
        if (reason.length < 10) add("reason", "procure.reasonRequired");
        const valueCell = r.has("amendedValue") ? r.cell(row, "amendedValue") : "";
        const value = asText(valueCell) === "" ? null : parseAmountCell(valueCell);
        if (value && !value.ok) add("amendedValue", value.key, value.params);
        const endDate = r.text(row, "endDate") ? date("endDate", false) : null;
        const signedOn = r.text(row, "amendedOn") ? date("amendedOn", false) : date("signedOn", true);
        if (errors.length > before) {
          c.bad = true;
          continue;
        }
        c.amendments.push({ row, t: r, no, reason, value: value && value.ok ? Money.idr(value.value) : null, endDate, signedOn: signedOn! });
      }
    }
  }
  return contracts;
}

/** NPWP digits, or null when the cell is not one (15 or 16 digits, dots, dashes and spaces ignored). */
function npwpOf(text: string): string | null {
  try {
    return parseNpwp(text);
  } catch {
    return null;
  }
}
