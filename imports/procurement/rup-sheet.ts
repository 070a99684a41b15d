import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../../domain/audit/transact";
import type { Actor } from "../../domain/identity/actor";
import { can, canSomewhere } from "../../domain/identity/policy";
import type { Clock } from "../../domain/kernel/clock";
import { DomainError } from "../../domain/kernel/domain-error";
import { FiscalYear } from "../../domain/kernel/fiscal-year";
import { wibDate } from "../../domain/procurement/events";
import { mayImportPackage, methodRules } from "../../domain/procurement/packages";
import { applyRup } from "./rup/apply";
import { checkRup } from "./rup/check";
import { readRup } from "./rup/read";
import { ImportRefused, type ProcSheetError, type UploadedFile } from "./sheet-tables";

export { MAX_RUP_ROWS } from "./rup/layout";
export { parseLocations, parseMak } from "./rup/read";

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
 * `announcePackage`; an announced package whose fields changed emits PackageAmended (before and after).
 *
 * Who: a PPK (procure.package.manage) for their OPD's packages, or the Pokja of the UKPBJ for every OPD.
 * With `opd`, rows of other OPDs are skipped and counted (a pemda-wide SiRUP file, read for one OPD).
 *
 * Everything is checked in one transaction with the DPA lines of the OPDs concerned locked; every problem
 * is reported by table, row and column, and if there is any, nothing is written. Otherwise every new or
 * changed package is written in that transaction through the domain's `importPackage` (the rules of
 * `planPackage`, the lines locked and checked again), so the file is applied by the same use case and
 * rules as any other RUP entry.
 *
 * In three steps, each its own module: rup/read.ts (Excel or CSV → rows, cell errors), rup/check.ts (rows
 * → errors by sheet, row and column against the database, and the plan of each row), rup/apply.ts (the
 * plans → importPackage); rup/layout.ts holds the columns and SiRUP's words.
 */

export type RupImportResult =
  | { ok: true; rows: number; created: number; updated: number; unchanged: number; announced: number; skipped: number }
  | { ok: false; errors: ProcSheetError[] };

export async function importRupSheet(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  input: { year: number | string; files: readonly UploadedFile[]; opd?: string | null },
): Promise<RupImportResult> {
  const tenant = actor.tenant;
  if (!can(actor, "procure.tender.run", { tenant }) && !canSomewhere(actor, "procure.package.manage")) throw new DomainError("auth.forbidden", { permission: "procure.package.manage" }, "forbidden");
  const onlyOpd = String(input.opd ?? "").trim() || null;
  if (onlyOpd && !mayImportPackage(actor, onlyOpd)) throw new DomainError("auth.forbidden", { permission: "procure.package.manage" }, "forbidden");
  const year = FiscalYear.of(input.year).year;

  const read = await readRup(input.files, year, onlyOpd);
  if ("ok" in read) return read;
  const rules = await methodRules(em);
  const today = wibDate(clock.now());
  try {
    return await transact(em, actor, clock, async (tx) => {
      const checked = await checkRup(tx, actor, read, { year, rules, today });
      const applied = await applyRup(tx, actor, clock, read, checked);
      return { ok: true as const, rows: read.packages.length, ...applied, skipped: read.skipped };
    });
  } catch (e) {
    if (e instanceof ImportRefused) return { ok: false, errors: e.errors };
    throw e;
  }
}
