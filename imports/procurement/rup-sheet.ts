import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../../domain/audit/transact";
import { apbdInForce } from "../../domain/budgeting/apbd";
import type { Actor } from "../../domain/identity/actor";
import { can, canSomewhere } from "../../domain/identity/policy";
import type { Clock } from "../../domain/kernel/clock";
import type { DomainEvent } from "../../domain/kernel/events";
import { DomainError, ValidationErrors, type FieldProblem } from "../../domain/kernel/domain-error";
import { FiscalYear } from "../../domain/kernel/fiscal-year";
import { Money } from "../../domain/kernel/money";
import { pgArray } from "../../domain/kernel/pg";
import { emitProcurement, wibDate } from "../../domain/procurement/events";
import { lockAndCheckLines, methodRules, validPackage, type PackageInput, type PackageRow } from "../../domain/procurement/packages";
import { KINDS, METHODS, procurableAccount, type Kind, type Method, type PackageType } from "../../domain/procurement/vocabulary";
import { formatLocations, RUP_LINE_COLUMNS, RUP_PACKAGE_COLUMNS, SIRUP_KIND, SIRUP_METHOD, type RupLineKey, type RupPackageKey } from "../../exports/xlsx/rup";
import {
  asText,
  locate,
  normaliseHeader,
  parseAmountCell,
  parseDateCell,
  parseFlag,
  readTables,
  reader,
  sortErrors,
  type HeaderSpec,
  type Located,
  type ProcSheetError,
  type Row,
  type UploadedFile,
} from "./sheet-tables";

/**
 * Imports a RUP in SiRUP's layout (exports/xlsx/rup.ts): a table of packages ("Paket": kd_rup, nama_paket,
 * kd_satker, tahun_anggaran, pagu, metode_pengadaan, jenis_pengadaan, …) and a table of their budget lines
 * ("Anggaran": kd_rup, mak, sumber_dana, pagu) — the two worksheets of one workbook, or two CSV files. The
 * columns are found by their names (SiRUP's, or as people label them), in any order.
 *
 * Each package row is checked as `planPackage` checks a form (`validPackage`: names, schedule, locations,
 * the method against the rules in force on its planning date — tgl_buat_paket, else today), and its
 * budget lines are resolved from their MAK (sub kegiatan code + account code, optionally after the
 * satker code) to the OPD's DPA lines in the APBD version in force: when a MAK (and sumber dana) matches
 * several lines, the amount is split over them in DPA line order, each up to what is left on it. Rows
 * count in file order, after the lines of the packages the file leaves as they are.
 *
 * The kode RUP is kept. A kode RUP Jejak already holds updates that package rather than duplicating it:
 * a draft entirely; an announced one only in its non-financial fields — a change of its pagu, budget
 * lines, method, kind or type is refused naming the row. A row equal to the package changes nothing (an
 * unchanged export read back is a no-op). New packages are recorded with source 'sirup'; a package whose
 * status_umumkan_rup says it is announced (Terumumkan) is announced, with the PackagePlanned event of
 * `announcePackage` (an announced package whose fields changed gets a new one, marked `update`).
 *
 * Who: a PPK (procure.package.manage) for their OPD's packages, or the Pokja of the UKPBJ for every OPD.
 * With `opd`, rows of other OPDs are skipped and counted (a pemda-wide SiRUP file, read for one OPD).
 *
 * Everything is checked in one transaction with the DPA lines of the OPDs concerned locked; every problem
 * is reported by table, row and column, and if there is any, nothing is written. Otherwise every package is
 * written in that transaction, each through `lockAndCheckLines`, so the over-commitment rule holds.
 */

type PK = RupPackageKey;
type LK = RupLineKey;

export const MAX_RUP_ROWS = 60_000;

const P_SPEC: HeaderSpec<PK> = {
  kodeRup: ["kd rup", "kode rup", "id rup", "kd rup paket"],
  name: ["nama paket"],
  opdCode: ["kd satker", "kode satker", "kode satuan kerja", "kode opd", "kode skpd", "kode perangkat daerah"],
  opdName: ["nama satker", "nama satuan kerja", "nama opd", "nama skpd", "nama perangkat daerah"],
  year: ["tahun anggaran", "tahun", "ta"],
  pagu: ["pagu", "pagu rp", "pagu paket", "total pagu"],
  method: ["metode pengadaan", "metode pemilihan", "mtd pemilihan", "metode"],
  kind: ["jenis pengadaan"],
  type: ["tipe", "tipe paket", "jenis paket", "cara pengadaan"],
  swakelolaType: ["tipe swakelola"],
  pdn: ["status pdn", "pdn"],
  umk: ["status ukm", "status umk", "ukm", "umk"],
  selectionStart: ["tgl awal pemilihan", "tanggal awal pemilihan"],
  selectionEnd: ["tgl akhir pemilihan", "tanggal akhir pemilihan"],
  executionStart: ["tgl awal pelaksanaan", "tanggal awal pelaksanaan", "tgl awal kontrak", "tgl awal pelaksanaan kontrak"],
  executionEnd: ["tgl akhir pelaksanaan", "tanggal akhir pelaksanaan", "tgl akhir kontrak", "tgl akhir pelaksanaan kontrak"],
  locations: ["lokasi", "lokasi pekerjaan"],
  description: ["uraian pekerjaan", "uraian"],
  volume: ["volume pekerjaan", "volume"],
  ppkName: ["nama ppk"],
  plannedOn: ["tgl buat paket", "tanggal buat paket", "tgl perencanaan"],
  status: ["status umumkan rup", "status umumkan", "status pengumuman"],
};
const P_REQUIRED: PK[] = ["kodeRup", "name", "opdCode", "year", "pagu", "method", "kind"];
const P_LABEL = Object.fromEntries(RUP_PACKAGE_COLUMNS.map((c) => [c.key, c.header])) as Record<PK, string>;

const L_SPEC: HeaderSpec<LK> = {
  kodeRup: P_SPEC.kodeRup,
  mak: ["mak", "kode mak", "kode anggaran", "kd mak"],
  fundingSource: ["sumber dana"],
  amount: ["pagu", "pagu rp", "nilai", "jumlah"],
};
const L_REQUIRED: LK[] = ["kodeRup", "mak", "amount"];
const L_LABEL = Object.fromEntries(RUP_LINE_COLUMNS.map((c) => [c.key, c.header])) as Record<LK, string>;

const KNOWN = new Set([...Object.values(P_SPEC), ...Object.values(L_SPEC)].flat());

/** Where a `validPackage` problem shows in the package row. */
const FIELD_COLUMN: Record<string, PK> = {
  fiscalYear: "year",
  name: "name",
  type: "type",
  kind: "kind",
  method: "method",
  swakelolaType: "swakelolaType",
  lines: "pagu",
  selectionStart: "selectionStart",
  selectionEnd: "selectionEnd",
  executionStart: "executionStart",
  executionEnd: "executionEnd",
  plannedOn: "plannedOn",
  kodeRup: "kodeRup",
};

/** SiRUP's labels (and Jejak's codes) → the vocabulary. */
const byLabel = <T extends string>(codes: readonly T[], labels: Record<T, string>, extra: Record<string, T> = {}) => {
  const m = new Map<string, T>();
  for (const c of codes) {
    m.set(normaliseHeader(c), c);
    m.set(normaliseHeader(labels[c]), c);
  }
  for (const [k, v] of Object.entries(extra)) m.set(normaliseHeader(k), v);
  return (text: string): T | null => m.get(normaliseHeader(text)) ?? null;
};
const methodOf = byLabel(METHODS, SIRUP_METHOD, { "e purchasing": "e_purchasing", epurchasing: "e_purchasing", "e katalog": "e_purchasing", "pengadaan langsung": "pengadaan_langsung" });
const kindOf = byLabel(KINDS, SIRUP_KIND, { konstruksi: "konstruksi", "jasa konsultansi badan usaha": "konsultansi", "jasa konsultansi perorangan": "konsultansi", "jasa lain": "jasa_lainnya" });
const typeOf = (text: string): PackageType | null => {
  const t = normaliseHeader(text);
  if (["penyedia", "melalui penyedia", "paket penyedia"].includes(t)) return "penyedia";
  if (["swakelola", "paket swakelola"].includes(t)) return "swakelola";
  return null;
};
const ROMAN: Record<string, string> = { i: "1", ii: "2", iii: "3", iv: "4" };
const swakelolaTypeOf = (text: string) => {
  const t = normaliseHeader(text).replace(/^tipe /, "");
  return ROMAN[t] ?? t;
};

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
interface PackageRowRead {
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

type PackageRead = PackageRowRead & { t: ReturnType<typeof reader<PK>> };
type LineRead = LineRowRead & { t: ReturnType<typeof reader<LK>> };

interface LineRowRead {
  row: Row;
  kode: string;
  mak: string;
  sub: string | null;
  account: string;
  funding: string;
  amount: Money;
}

/** A package as the import compares it (the columns of loadPackage's row it reads; kode RUP always set). */
type ExistingPackage = Pick<
  PackageRow,
  | "id" | "opd_code" | "fiscal_year" | "status" | "name" | "description" | "volume" | "type" | "kind" | "method" | "swakelola_type" | "pagu" | "pdn" | "umk" | "planned_on"
  | "selection_start" | "selection_end" | "execution_start" | "execution_end" | "ppk_name" | "version"
> & { kode_rup: string };

interface DpaLine {
  line_key: string;
  opd_id: string;
  sub_activity_id: string | null;
  sub_code: string | null;
  account_code: string;
  funding_source: string;
  position: number;
  amount: string;
}

export type RupImportResult =
  | { ok: true; rows: number; created: number; updated: number; unchanged: number; announced: number; skipped: number }
  | { ok: false; errors: ProcSheetError[] };

class Rollback extends Error {
  constructor(readonly errors: ProcSheetError[]) {
    super("rup import refused");
  }
}

const fail = (key: string, params?: Record<string, unknown>, sheet = ""): { ok: false; errors: ProcSheetError[] } => ({ ok: false, errors: [{ sheet, row: 0, column: "", header: "", key, params }] });
const groupKey = (sub: string | null, account: string, funding: string) => `${sub ?? ""}|${account}|${funding.trim().toLowerCase()}`;

export async function importRupSheet(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  input: { year: number | string; files: readonly UploadedFile[]; opd?: string | null },
): Promise<RupImportResult> {
  const tenant = actor.tenant;
  const pokja = can(actor, "procure.tender.run", { tenant });
  const mayManage = (opd: string) => pokja || can(actor, "procure.package.manage", { tenant, opd });
  if (!pokja && !canSomewhere(actor, "procure.package.manage")) throw new DomainError("auth.forbidden", { permission: "procure.package.manage" }, "forbidden");
  const onlyOpd = String(input.opd ?? "").trim() || null;
  if (onlyOpd && !mayManage(onlyOpd)) throw new DomainError("auth.forbidden", { permission: "procure.package.manage" }, "forbidden");
  const year = FiscalYear.of(input.year).year;

  const read = await readTables(input.files, { maxRows: MAX_RUP_ROWS, known: KNOWN });
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

  const rules = await methodRules(em);
  const today = wibDate(clock.now());

  try {
    return await transact(em, actor, clock, async (tx, record) => {
      const apbd = await apbdInForce(tx, tenant, year);
      if (!apbd) throw new Rollback(fail("budget.dpa.noAdoptedApbd", { year }).errors);
      const opdCodes = [...new Set(packages.map((p) => p.opdCode).filter(Boolean))];
      const opds = new Map(
        (
          await tx.execute<{ id: string; code: string; name: string; has_dpa: boolean }[]>(
            "select o.id, o.code, o.name, exists (select 1 from dpa d where d.apbd_id = ? and d.opd_id = o.id) as has_dpa from opd o where o.tenant_code = ? and o.code = any(?::text[])",
            [apbd.id, tenant, pgArray(opdCodes)],
          )
        ).map((o) => [o.code, o]),
      );
      const kodes = packages.map((p) => p.kode).filter((k) => /^\d{1,12}$/.test(k));
      const existing = new Map(
        (
          await tx.execute<ExistingPackage[]>(
            `select p.id, p.kode_rup::text as kode_rup, o.code as opd_code, p.fiscal_year, p.status, p.name, p.description, p.volume, p.type, p.kind, p.method, p.swakelola_type,
                    p.pagu::text as pagu, p.pdn, p.umk, to_char(p.planned_on, 'YYYY-MM-DD') as planned_on, to_char(p.selection_start, 'YYYY-MM-DD') as selection_start,
                    to_char(p.selection_end, 'YYYY-MM-DD') as selection_end, to_char(p.execution_start, 'YYYY-MM-DD') as execution_start,
                    to_char(p.execution_end, 'YYYY-MM-DD') as execution_end, p.ppk_name, p.version
               from proc_package p join opd o on o.id = p.opd_id where p.tenant_code = ? and p.kode_rup = any(?::bigint[]) order by p.id for update of p`,
            [tenant, pgArray(kodes)],
          )
        ).map((p) => [p.kode_rup, p]),
      );
      const existingIds = [...existing.values()].map((p) => p.id);
      const existingLineRows = await tx.execute<{ package_id: string; line_key: string; amount: string }[]>(
        "select package_id, line_key, amount::text as amount from proc_package_budget where package_id = any(?::uuid[])",
        [pgArray(existingIds)],
      );
      const existingLocationRows = await tx.execute<{ package_id: string; region_code: string; detail: string }[]>(
        "select package_id, region_code, detail from proc_package_location where package_id = any(?::uuid[]) order by region_code",
        [pgArray(existingIds)],
      );
      // The OPDs' spending lines in the version in force, locked in key order (as lockAndCheckLines locks
      // them) until the import commits; then what live packages take from each.
      const opdIds = [...opds.values()].map((o) => o.id);
      const dpaLines = await tx.execute<DpaLine[]>(
        `select b.line_key, b.opd_id, b.sub_activity_id, s.sub_kegiatan_code as sub_code, b.account_code, b.funding_source, b.position, b.amount::text as amount
           from budget_line b left join sub_activity s on s.id = b.sub_activity_id
          where b.apbd_id = ? and b.opd_id = any(?::uuid[]) and b.kind = 'belanja' order by b.line_key for update of b`,
        [apbd.id, pgArray(opdIds)],
      );
      dpaLines.sort((a, b) => a.position - b.position || a.line_key.localeCompare(b.line_key));
      const lineByKey = new Map(dpaLines.map((l) => [l.line_key, l]));
      // By OPD and MAK, in DPA line order; the packages' own lines and locations by package.
      const linesOfMak = groupBy(dpaLines, (l) => `${l.opd_id}|${l.sub_code ?? ""}|${l.account_code}`);
      const ownLines = groupBy(existingLineRows, (x) => x.package_id);
      const linesOfPackage = (id: string) => ownLines.get(id) ?? [];
      const ownLocations = groupBy(existingLocationRows, (x) => x.package_id);
      const locationsOfPackage = (id: string) => ownLocations.get(id) ?? [];
      const eventLines = (ls: { lineKey: string; amount: Money }[]) =>
        [...ls]
          .sort((x, y) => (lineByKey.get(x.lineKey)?.position ?? 0) - (lineByKey.get(y.lineKey)?.position ?? 0))
          .map((l) => ({ lineKey: l.lineKey, amount: l.amount.toString(), account: lineByKey.get(l.lineKey)?.account_code ?? "", subKegiatan: lineByKey.get(l.lineKey)?.sub_code ?? null }));
      const taken = await tx.execute<{ package_id: string; line_key: string; amount: string }[]>(
        `select pb.package_id, pb.line_key, pb.amount::text as amount from proc_package_budget pb join proc_package p on p.id = pb.package_id
          where p.status <> 'cancelled' and pb.line_key in (select line_key from budget_line where apbd_id = ? and opd_id = any(?::uuid[]) and kind = 'belanja')`,
        [apbd.id, pgArray(opdIds)],
      );

      type Plan = {
        p: (typeof packages)[number];
        opd: { id: string; code: string; name: string };
        old: ExistingPackage | null;
        /** The DPA lines and amounts: the package's own when its budget lines are unchanged. */
        lines: { lineKey: string; amount: Money }[];
        linesChanged: boolean;
        valid?: ReturnType<typeof validPackage>;
        locations: { regionCode: string; detail: string }[];
        announce: boolean;
      };
      const plans: Plan[] = [];
      const resplit = new Set<string>();

      // First pass: who may, which package, and whether its budget lines change.
      const prepared: { p: (typeof packages)[number]; opd: { id: string; code: string; name: string }; old: ExistingPackage | null; fileLines: typeof lines; keep: boolean }[] = [];
      for (const p of packages) {
        const add = (k: PK, key: string, params?: Record<string, unknown>) => errors.push({ row: p.row.n, ...p.t.place(k), key, params });
        const opd = opds.get(p.opdCode);
        if (!p.opdCode) continue;
        if (!opd) {
          add("opdCode", "import.rup.opdUnknown", { code: p.opdCode });
          continue;
        }
        if (!mayManage(opd.code)) {
          add("opdCode", "import.rup.opdNotYours", { opd: opd.name });
          continue;
        }
        if (!opd.has_dpa) {
          add("opdCode", "import.rup.noDpa", { opd: opd.name, year });
          continue;
        }
        const old = existing.get(p.kode) ?? null;
        if (old && old.opd_code !== opd.code) {
          add("opdCode", "import.rup.otherOpd", { kode: p.kode, opd: old.opd_code });
          continue;
        }
        if (old && old.fiscal_year !== year) {
          add("year", "import.rup.kodeOtherYear", { kode: p.kode, year: old.fiscal_year });
          continue;
        }
        if (old && old.status === "cancelled") {
          add("kodeRup", "import.rup.cancelled", { kode: p.kode });
          continue;
        }
        const fileLines = linesOf.get(p.kode) ?? [];
        // A package without budget lines has been reported (noLines, or its line rows refused).
        if (!fileLines.length) continue;
        let keep = false;
        if (old) {
          // Unchanged budget lines: the same amount per MAK (and sumber dana, when the file gives it for every line).
          const withFunding = fileLines.every((l) => l.funding !== "");
          const sums = (items: { sub: string | null; account: string; funding: string; amount: Money }[]) => {
            const m = new Map<string, Money>();
            for (const i of items) {
              const k = groupKey(i.sub, i.account, withFunding ? i.funding : "");
              m.set(k, (m.get(k) ?? Money.zero).plus(i.amount));
            }
            return m;
          };
          const had = linesOfPackage(old.id).map((x) => {
              const l = lineByKey.get(x.line_key);
              return { sub: l?.sub_code ?? null, account: l?.account_code ?? `?${x.line_key}`, funding: l?.funding_source ?? "", amount: Money.idr(x.amount) };
            });
          const a = sums(had);
          const b = sums(fileLines);
          keep = a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v) === true);
          if (old.status !== "draft") {
            if (p.pagu && !p.pagu.equals(Money.idr(old.pagu))) {
              add("pagu", "import.rup.announcedPagu", { kode: p.kode, value: p.pagu.toString(), pagu: old.pagu });
              continue;
            }
            if (!keep && !p.bad) {
              const l = fileLines[0];
              errors.push({ row: l.row.n, ...l.t.place("mak"), key: "import.rup.announcedLines", params: { kode: p.kode } });
              continue;
            }
          }
        }
        if (!keep && old) resplit.add(old.id);
        prepared.push({ p, opd, old, fileLines, keep });
      }

      // What is left on each line for the packages whose lines are (re)allocated here.
      const left = new Map(dpaLines.map((l) => [l.line_key, Money.idr(l.amount)]));
      for (const x of taken) if (!resplit.has(x.package_id) && left.has(x.line_key)) left.set(x.line_key, left.get(x.line_key)!.minus(Money.idr(x.amount)));

      const regionCodes = new Set<string>();
      for (const { p, opd, old, fileLines, keep } of prepared) {
        const add = (k: PK, key: string, params?: Record<string, unknown>) => errors.push({ row: p.row.n, ...p.t.place(k), key, params });
        const errorsBefore = errors.length;
        const sum = Money.sum(fileLines.map((l) => l.amount));
        if (p.pagu && fileLines.length && !p.linesBad && !p.pagu.equals(sum)) add("pagu", "import.rup.paguNotSum", { pagu: p.pagu.toString(), sum: sum.toString(), sheet: fileLines[0].t.place("amount").sheet });
        // The DPA lines behind each MAK, split in line order up to what is left on each.
        let alloc: { lineKey: string; amount: Money }[] = [];
        if (keep && old) alloc = linesOfPackage(old.id).map((x) => ({ lineKey: x.line_key, amount: Money.idr(x.amount) }));
        else {
          const groups = groupBy(fileLines, (l) => groupKey(l.sub, l.account, l.funding));
          for (const g of groups.values()) {
            const first = g[0];
            const addLine = (k: LK, key: string, params?: Record<string, unknown>) => errors.push({ row: first.row.n, ...first.t.place(k), key, params });
            const ofMak = linesOfMak.get(`${opd.id}|${first.sub ?? ""}|${first.account}`) ?? [];
            if (!ofMak.length) {
              addLine("mak", "import.rup.makUnknown", { mak: first.mak, opd: opd.name, year });
              continue;
            }
            if (!procurableAccount(first.account)) {
              addLine("mak", "procure.package.lineNotProcurable", { account: first.account });
              continue;
            }
            const candidates = first.funding ? ofMak.filter((l) => l.funding_source.trim().toLowerCase() === first.funding.trim().toLowerCase()) : ofMak;
            if (!candidates.length) {
              addLine("fundingSource", "import.rup.fundingOther", { funding: first.funding, mak: first.mak, available: [...new Set(ofMak.map((l) => l.funding_source))].join(", ") });
              continue;
            }
            const amount = Money.sum(g.map((l) => l.amount));
            const available = Money.sum(candidates.map((l) => (left.get(l.line_key)!.isNegative() ? Money.zero : left.get(l.line_key)!)));
            if (amount.exceeds(available)) {
              const dpa = Money.sum(candidates.map((l) => Money.idr(l.amount)));
              errors.push({ row: g[g.length - 1].row.n, ...first.t.place("amount"), key: "import.rup.overLine", params: { mak: first.mak, amount: amount.toString(), left: available.toString(), dpa: dpa.toString(), lines: candidates.length } });
              continue;
            }
            let rest = amount;
            for (const l of candidates) {
              if (rest.isZero()) break;
              const room = left.get(l.line_key)!;
              if (!room.exceeds(Money.zero)) continue;
              const part = rest.exceeds(room) ? room : rest;
              const at = alloc.find((a) => a.lineKey === l.line_key);
              if (at) at.amount = at.amount.plus(part);
              else alloc.push({ lineKey: l.line_key, amount: part });
              left.set(l.line_key, room.minus(part));
              rest = rest.minus(part);
            }
          }
        }
        const lineProblems = errors.length > errorsBefore;
        // The form's checks, on the row merged over the package it updates. Lines that could not be
        // resolved stand in at their declared amounts, so the method is still judged on the right value.
        const form = packageInput(p, old, opd.code, year, lineProblems || p.linesBad ? fileLines.map((l) => ({ lineKey: crypto.randomUUID(), amount: l.amount.toString() })) : alloc.map((a) => ({ lineKey: a.lineKey, amount: a.amount.toString() })), old ? locationsOfPackage(old.id) : []);
        let valid: ReturnType<typeof validPackage> | undefined;
        try {
          valid = validPackage(form, rules, today);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          const problems: FieldProblem[] = e instanceof ValidationErrors ? e.problems : [{ field: e.field ?? "kodeRup", key: e.key, params: e.params }];
          for (const x of problems) {
            const k: PK = x.field.startsWith("locations.") ? "locations" : (FIELD_COLUMN[x.field.split(".")[0]] ?? "kodeRup");
            const place = p.t.place(k);
            if (!errors.some((y) => y.sheet === place.sheet && y.row === p.row.n && y.column === place.column)) add(k, x.key, x.params);
          }
        }
        const announce = p.announce ?? (old !== null && old.status !== "draft");
        if (old && old.status !== "draft" && !announce) add("status", "import.rup.unannounce", { kode: p.kode });
        if (old && old.status !== "draft" && valid) {
          for (const [k, was, now] of [
            ["method", old.method, valid.method],
            ["kind", old.kind, valid.kind],
            ["type", old.type, valid.type],
            ["swakelolaType", old.swakelola_type, valid.swakelolaType],
          ] as const)
            if (String(was ?? "") !== String(now ?? "")) add(k, "import.rup.announcedField", { kode: p.kode, header: P_LABEL[k] });
        }
        if (valid) for (const l of valid.locations) regionCodes.add(l.regionCode);
        plans.push({ p, opd, old, lines: alloc, linesChanged: !keep, valid, locations: valid?.locations ?? [], announce });
      }
      if (regionCodes.size) {
        const known = new Set(
          (await tx.execute<{ code: string }[]>("select code from region where code = any(?::text[])", [pgArray([...regionCodes])])).map((r) => r.code),
        );
        for (const plan of plans)
          for (const l of plan.locations)
            if (!known.has(l.regionCode)) errors.push({ row: plan.p.row.n, ...plan.p.t.place("locations"), key: "procure.package.regionUnknown", params: { text: l.regionCode } });
      }
      if (errors.length || plans.some((x) => x.p.bad || !x.valid)) throw new Rollback(sortErrors(errors, order));

      // ---- Apply, in file order.
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      let announced = 0;
      const now = clock.now();
      for (const plan of plans) {
        const v = plan.valid!;
        const { old, opd } = plan;
        const lineInput = plan.lines.map((l) => ({ lineKey: l.lineKey, amount: l.amount }));
        try {
          if (plan.linesChanged) await lockAndCheckLines(tx, tenant, year, opd.id, lineInput, old?.id ?? null);
        } catch (e) {
          // Cannot happen after the checks above (same transaction, lines locked); reported, not thrown, if it does.
          if (!(e instanceof DomainError) || e.kind === "forbidden") throw e;
          const first = (linesOf.get(plan.p.kode) ?? [])[0];
          errors.push({ row: first?.row.n ?? plan.p.row.n, ...(first ? first.t.place("amount") : plan.p.t.place("pagu")), key: e instanceof ValidationErrors ? e.problems[0].key : e.key, params: e instanceof ValidationErrors ? e.problems[0].params : e.params });
          continue;
        }
        const sub = plan.lines.map((l) => lineByKey.get(l.lineKey)?.sub_activity_id).find(Boolean) ?? null;
        const ppk = v.ppkName || old?.ppk_name || actor.displayName;
        const fields = {
          name: v.name,
          description: v.description,
          volume: v.volume,
          type: v.type,
          kind: v.kind,
          method: v.method,
          swakelola_type: v.swakelolaType,
          pagu: v.pagu.toString(),
          pdn: v.pdn,
          umk: v.umk,
          planned_on: v.plannedOn,
          selection_start: v.selectionStart,
          selection_end: v.selectionEnd,
          execution_start: v.executionStart,
          execution_end: v.executionEnd,
          ppk_name: ppk,
        };
        let id: string;
        if (!old) {
          id = crypto.randomUUID();
          await tx.execute(
            `insert into proc_package (id, tenant_code, fiscal_year, opd_id, sub_activity_id, kode_rup, name, description, volume, type, kind, method, swakelola_type, pagu, pdn, umk, planned_on,
                                       selection_start, selection_end, execution_start, execution_end, ppk_name, status, source, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 'sirup', ?, ?)`,
            [
              id, tenant, year, opd.id, sub, plan.p.kode, fields.name, fields.description, fields.volume, fields.type, fields.kind, fields.method, fields.swakelola_type, fields.pagu, fields.pdn, fields.umk,
              fields.planned_on, fields.selection_start, fields.selection_end, fields.execution_start, fields.execution_end, fields.ppk_name, now, now,
            ],
          );
          for (const l of plan.lines) await tx.execute("insert into proc_package_budget (package_id, line_key, amount) values (?, ?, ?)", [id, l.lineKey, l.amount.toString()]);
          for (const l of plan.locations) await tx.execute("insert into proc_package_location (package_id, region_code, detail) values (?, ?, ?)", [id, l.regionCode, l.detail]);
          record({ type: "PackageDrafted", entityType: "Package", entityId: id, after: { source: "sirup", kodeRup: plan.p.kode, opd: opd.code, ...fields, lines: plan.lines.map((l) => ({ lineKey: l.lineKey, amount: l.amount.toString() })) } });
          created++;
        } else {
          id = old.id;
          const before = pick(old);
          const changedFields = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => !same(before[k], fields[k]));
          const oldLocations = locationsOfPackage(old.id).map((l) => ({ regionCode: l.region_code, detail: l.detail }));
          const locationsChanged = formatLocations(sortLocations(oldLocations)) !== formatLocations(sortLocations(plan.locations));
          const toAnnounce = plan.announce && old.status === "draft";
          if (!changedFields.length && !locationsChanged && !plan.linesChanged && !toAnnounce) {
            unchanged++;
            continue;
          }
          if (changedFields.length || locationsChanged || plan.linesChanged) {
            await tx.execute(
              `update proc_package set name = ?, description = ?, volume = ?, type = ?, kind = ?, method = ?, swakelola_type = ?, pagu = ?, pdn = ?, umk = ?, planned_on = ?,
                      selection_start = ?, selection_end = ?, execution_start = ?, execution_end = ?, ppk_name = ?, sub_activity_id = coalesce(?, sub_activity_id),
                      version = version + 1, updated_at = ? where id = ?`,
              [
                fields.name, fields.description, fields.volume, fields.type, fields.kind, fields.method, fields.swakelola_type, fields.pagu, fields.pdn, fields.umk, fields.planned_on,
                fields.selection_start, fields.selection_end, fields.execution_start, fields.execution_end, fields.ppk_name, plan.linesChanged ? sub : null, now, id,
              ],
            );
            if (plan.linesChanged) {
              await tx.execute("delete from proc_package_budget where package_id = ?", [id]);
              for (const l of plan.lines) await tx.execute("insert into proc_package_budget (package_id, line_key, amount) values (?, ?, ?)", [id, l.lineKey, l.amount.toString()]);
            }
            if (locationsChanged) {
              await tx.execute("delete from proc_package_location where package_id = ?", [id]);
              for (const l of plan.locations) await tx.execute("insert into proc_package_location (package_id, region_code, detail) values (?, ?, ?)", [id, l.regionCode, l.detail]);
            }
            const changes: Record<string, unknown> = Object.fromEntries(changedFields.map((k) => [k, fields[k]]));
            const was: Record<string, unknown> = Object.fromEntries(changedFields.map((k) => [k, before[k]]));
            if (locationsChanged) {
              changes.locations = formatLocations(plan.locations);
              was.locations = formatLocations(oldLocations);
            }
            if (plan.linesChanged) changes.lines = plan.lines.map((l) => ({ lineKey: l.lineKey, amount: l.amount.toString() }));
            if (old.status === "draft") record({ type: "PackageDraftChanged", entityType: "Package", entityId: id, before: was, after: { source: "sirup", kodeRup: plan.p.kode, ...changes } });
            else await announceEvent(tx, record, { tenant, id, kode: plan.p.kode, fields, opd: opd.code, year, now, lines: eventLines(plan.lines), update: true, before: was });
          }
          updated++;
        }
        if (plan.announce && (!old || old.status === "draft")) {
          await tx.execute("update proc_package set status = 'announced', announced_at = ?, version = version + 1, updated_at = ? where id = ?", [now, now, id]);
          await announceEvent(tx, record, { tenant, id, kode: plan.p.kode, fields, opd: opd.code, year, now, lines: eventLines(plan.lines), update: false });
          announced++;
        }
      }
      if (errors.length) throw new Rollback(sortErrors(errors, order));
      // Kode RUP Jejak hands out itself (announcePackage) come after every kode it has kept from SiRUP.
      const highest = plans.filter((x) => !x.old).reduce((m, x) => (BigInt(x.p.kode) > m ? BigInt(x.p.kode) : m), 0n);
      if (highest > 0n)
        await tx.execute("select setval('proc_package_kode_rup_seq', greatest(?::bigint, (select last_value from proc_package_kode_rup_seq)))", [highest.toString()]);
      return { ok: true as const, rows: packages.length, created, updated, unchanged, announced, skipped };
    });
  } catch (e) {
    if (e instanceof Rollback) return { ok: false, errors: e.errors };
    throw e;
  }
}

/** Each package row on its own: every cell checked, nothing looked up yet. Rows of other OPDs than `onlyOpd` are skipped and counted. */
function readPackageRows(packageTables: Located<PK>[], errors: ProcSheetError[], year: number, onlyOpd: string | null) {
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
function readLineRows(lineTables: Located<LK>[], errors: ProcSheetError[], byKode: Map<string, PackageRead>, skippedKodes: Set<string>) {
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

/** Emits PackagePlanned as `announcePackage` does (with the package's DPA lines, as the version in force has them), marked as coming from SiRUP. */
async function announceEvent(
  tx: EntityManager,
  record: (e: DomainEvent) => void,
  e: {
    tenant: string;
    id: string;
    kode: string;
    fields: { name: string; pagu: string; method: string; kind: string; type: string };
    opd: string;
    year: number;
    now: Date;
    lines: { lineKey: string; amount: string; account: string; subKegiatan: string | null }[];
    update: boolean;
    before?: Record<string, unknown>;
  },
) {  await emitProcurement(tx, record, {
    tenant: e.tenant,
    packageId: e.id,
    type: "PackagePlanned",
    at: e.now,
    entityType: "Package",
    entityId: e.id,
    before: e.before,
    payload: {
      kodeRup: e.kode,
      name: e.fields.name,
      pagu: e.fields.pagu,
      method: e.fields.method,
      kind: e.fields.kind,
      type: e.fields.type,
      year: e.year,
      opd: e.opd,
      lines: e.lines,
      source: "sirup",
      ...(e.update ? { update: true } : {}),
    },
  });
}

function pick(p: ExistingPackage) {
  return {
    name: p.name,
    description: p.description,
    volume: p.volume,
    type: p.type as string,
    kind: p.kind as string,
    method: p.method as string,
    swakelola_type: p.swakelola_type,
    pagu: p.pagu,
    pdn: p.pdn,
    umk: p.umk,
    planned_on: p.planned_on,
    selection_start: p.selection_start,
    selection_end: p.selection_end,
    execution_start: p.execution_start,
    execution_end: p.execution_end,
    ppk_name: p.ppk_name,
  } as Record<string, unknown>;
}

/** Field values as stored (amounts canonical, dates YYYY-MM-DD, numbers and booleans as themselves). */
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || (a != null && b != null && String(a) === String(b));

function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

const sortLocations = (l: { regionCode: string; detail: string }[]) => [...l].sort((a, b) => a.regionCode.localeCompare(b.regionCode));

/** The form a row amounts to: each field from the file, or — where the file leaves it out — the package's own (or the form's default). */
function packageInput(
  p: PackageRowRead,
  old: ExistingPackage | null,
  opdCode: string,
  year: number,
  lines: { lineKey: string; amount: string }[],
  oldLocations: { region_code: string; detail: string }[],
): PackageInput {
  const keep = <T>(v: T | undefined, was: T | undefined): T | undefined => (v === undefined ? was : v);
  const date = (k: keyof PackageRowRead["dates"], was: string | null | undefined) => (k in p.dates ? p.dates[k] : was);
  return {
    opdCode,
    fiscalYear: year,
    name: p.name,
    description: keep(p.description, old?.description),
    volume: keep(p.volume, old?.volume),
    type: p.type ?? old?.type ?? "",
    kind: p.kind ?? "",
    method: p.method ?? "",
    swakelolaType: p.swakelolaType === undefined || p.swakelolaType === "" ? (old?.swakelola_type ?? null) : p.swakelolaType,
    pdn: keep(p.pdn, old?.pdn),
    umk: keep(p.umk, old?.umk),
    lines,
    locations: p.locations ?? oldLocations.map((l) => ({ regionCode: l.region_code, detail: l.detail })),
    selectionStart: date("selectionStart", old?.selection_start),
    selectionEnd: date("selectionEnd", old?.selection_end),
    executionStart: date("executionStart", old?.execution_start),
    executionEnd: date("executionEnd", old?.execution_end),
    ppkName: p.ppkName ?? old?.ppk_name ?? "",
    plannedOn: date("plannedOn", old?.planned_on) ?? old?.planned_on ?? undefined,
    kodeRup: p.kode,
  };
}
