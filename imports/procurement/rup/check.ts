import type { EntityManager } from "@mikro-orm/postgresql";
import { apbdInForce } from "../../../domain/budgeting/apbd";
import type { Actor } from "../../../domain/identity/actor";
import { DomainError, ValidationErrors, type FieldProblem } from "../../../domain/kernel/domain-error";
import { Money } from "../../../domain/kernel/money";
import { pgArray } from "../../../domain/kernel/pg";
import { mayImportPackage, validPackage, type PackageInput, type PackageRow } from "../../../domain/procurement/packages";
import type { MethodRule } from "../../../domain/procurement/rules";
import { procurableAccount } from "../../../domain/procurement/vocabulary";
import { groupBy, ImportRefused, sortErrors } from "../sheet-tables";
import { columnOf, P_LABEL, type LK, type PK } from "./layout";
import { fail, type LineRead, type PackageRead, type PackageRowRead, type RupRead } from "./read";

/**
 * Checking a RUP file's rows against the database (rows → errors by sheet, row and column), inside the
 * import's transaction with the OPDs' DPA lines and the packages concerned locked: who may plan for each
 * OPD, which package each kode RUP updates, the budget lines resolved from their MAK to DPA lines (split
 * in line order up to what is left, rows counting in file order after the packages the file leaves as
 * they are), and each row as `validPackage` checks a form. Nothing is written here; any problem throws
 * ImportRefused with every problem found.
 */

/** A package as the import compares it (the columns of loadPackage's row it reads; kode RUP always set). */
export type ExistingPackage = Pick<
  PackageRow,
  | "id" | "opd_code" | "fiscal_year" | "status" | "name" | "description" | "volume" | "type" | "kind" | "method" | "swakelola_type" | "pagu" | "pdn" | "umk" | "planned_on"
  | "selection_start" | "selection_end" | "execution_start" | "execution_end" | "ppk_name" | "version"
> & { kode_rup: string };

export interface DpaLine {
  line_key: string;
  opd_id: string;
  sub_activity_id: string | null;
  sub_code: string | null;
  account_code: string;
  funding_source: string;
  position: number;
  amount: string;
}

export type Plan = {
  p: PackageRead;
  opd: { id: string; code: string; name: string };
  old: ExistingPackage | null;
  /** The DPA lines and amounts: the package's own when its budget lines are unchanged. */
  lines: { lineKey: string; amount: Money }[];
  /** Its budget lines are (re)allocated by this file rather than kept. */
  linesChanged: boolean;
  valid?: ReturnType<typeof validPackage>;
  /** The form the row amounts to, as importPackage takes it. */
  form: PackageInput;
  locations: { regionCode: string; detail: string }[];
  announce: boolean;
};

/** The plans of a checked file, in file order, with the packages' own lines and locations as they were. */
export interface RupChecked {
  plans: Plan[];
  linesOfPackage: (id: string) => { package_id: string; line_key: string; amount: string }[];
  locationsOfPackage: (id: string) => { package_id: string; region_code: string; detail: string }[];
}

const groupKey = (sub: string | null, account: string, funding: string) => `${sub ?? ""}|${account}|${funding.trim().toLowerCase()}`;

export async function checkRup(
  tx: EntityManager,
  actor: Actor,
  read: RupRead,
  ctx: { year: number; rules: readonly MethodRule[]; today: string },
): Promise<RupChecked> {
  const tenant = actor.tenant;
  const { year, rules, today } = ctx;
  const { packages, linesOf, errors, order } = read;
  const mayManage = (opd: string) => mayImportPackage(actor, opd);
  const apbd = await apbdInForce(tx, tenant, year);
  if (!apbd) throw new ImportRefused(fail("budget.dpa.noAdoptedApbd", { year }).errors);
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
  const taken = await tx.execute<{ package_id: string; line_key: string; amount: string }[]>(
    `select pb.package_id, pb.line_key, pb.amount::text as amount from proc_package_budget pb join proc_package p on p.id = pb.package_id
      where p.status <> 'cancelled' and pb.line_key in (select line_key from budget_line where apbd_id = ? and opd_id = any(?::uuid[]) and kind = 'belanja')`,
    [apbd.id, pgArray(opdIds)],
  );
  const plans: Plan[] = [];
  const resplit = new Set<string>();

  // First pass: who may, which package, and whether its budget lines change.
  const prepared: { p: PackageRead; opd: { id: string; code: string; name: string }; old: ExistingPackage | null; fileLines: LineRead[]; keep: boolean }[] = [];
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
        const k = columnOf(x.field);
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
    plans.push({ p, opd, old, lines: alloc, linesChanged: !keep, valid, form, locations: valid?.locations ?? [], announce });
  }
  if (regionCodes.size) {
    const known = new Set(
      (await tx.execute<{ code: string }[]>("select code from region where code = any(?::text[])", [pgArray([...regionCodes])])).map((r) => r.code),
    );
    for (const plan of plans)
      for (const l of plan.locations)
        if (!known.has(l.regionCode)) errors.push({ row: plan.p.row.n, ...plan.p.t.place("locations"), key: "procure.package.regionUnknown", params: { text: l.regionCode } });
  }
  if (errors.length || plans.some((x) => x.p.bad || !x.valid)) throw new ImportRefused(sortErrors(errors, order));
  return { plans, linesOfPackage, locationsOfPackage };
}

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
