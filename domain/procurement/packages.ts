import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../kernel/pg";
import { transact } from "../audit/transact";
import { apbdInForce } from "../budgeting/apbd";
import type { Actor } from "../identity/actor";
import { assertCan, can } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { isKodeWilayah, isUuid } from "../kernel/codes";
import { DomainError, Problems } from "../kernel/domain-error";
import { FiscalYear } from "../kernel/fiscal-year";
import { D, Money } from "../kernel/money";
import { emitProcurement, wibDate } from "./events";
import { judgeMethod, type MethodRule } from "./rules";
import { isIn, KINDS, METHODS, PACKAGE_TYPES, procurableAccount, type Kind, type Method, type PackageType } from "./vocabulary";

export interface PackageInput {
  opdCode: string;
  fiscalYear: number | string;
  name: string;
  description?: string;
  volume?: string;
  type: string;
  kind: string;
  method: string;
  swakelolaType?: number | string | null;
  pdn?: boolean;
  umk?: boolean;
  /** The DPA lines the package draws on (by their stable line key) and how much from each. */
  lines: { lineKey: string; amount: string }[];
  /** Desa or kecamatan codes (Kemendagri), with an optional detail (street, dusun). */
  locations?: { regionCode: string; detail?: string }[];
  selectionStart?: string | null;
  selectionEnd?: string | null;
  executionStart?: string | null;
  executionEnd?: string | null;
  ppkName?: string;
  /** The planning date whose method rules apply (default: today, WIB). */
  plannedOn?: string;
  /** Kept when the package comes from SiRUP. */
  kodeRup?: string | number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the method rules from `method_rule` (loaded from the shipped table at boot). */
export async function methodRules(em: EntityManager): Promise<MethodRule[]> {
  const rows = await em.execute<
    { id: string; regulation: string; article: string; effective_from: string; effective_to: string | null; method: Method; kind: Kind; min_value: string | null; max_value: string | null; note: string }[]
  >(
    `select id, regulation, article, to_char(effective_from, 'YYYY-MM-DD') as effective_from, to_char(effective_to, 'YYYY-MM-DD') as effective_to, method, kind,
            min_value::text as min_value, max_value::text as max_value, note from method_rule order by method, kind, effective_from`,
  );
  if (rows.length === 0) throw new Error("method_rule is empty: run the boot (syncMethodRules) first");
  return rows.map((r) => ({
    id: r.id,
    regulation: r.regulation,
    article: r.article,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    method: r.method,
    kind: r.kind,
    minValue: r.min_value,
    maxValue: r.max_value,
    note: r.note,
  }));
}

export interface ValidPackage {
  year: number;
  name: string;
  description: string;
  volume: string;
  type: PackageType;
  kind: Kind;
  method: Method;
  swakelolaType: number | null;
  pdn: boolean;
  umk: boolean;
  lines: { lineKey: string; amount: Money }[];
  pagu: Money;
  locations: { regionCode: string; detail: string }[];
  selectionStart: string | null;
  selectionEnd: string | null;
  executionStart: string | null;
  executionEnd: string | null;
  ppkName: string;
  plannedOn: string;
  kodeRup: string | null;
}

/** Checks the form (every field at once), then the method against the rules in force on the planning date. */
export function validPackage(input: PackageInput, rules: readonly MethodRule[], today: string): ValidPackage {
  const p = new Problems();
  const year = p.check("fiscalYear", () => FiscalYear.of(input.fiscalYear).year);
  const name = String(input.name ?? "").trim();
  if (name.length < 5) p.add("name", "procure.package.nameRequired");
  const type = input.type;
  if (!isIn(PACKAGE_TYPES, type)) p.add("type", "procure.package.typeUnknown");
  const kind = input.kind;
  if (!isIn(KINDS, kind)) p.add("kind", "procure.package.kindUnknown");
  const method = input.method;
  if (!isIn(METHODS, method)) p.add("method", "procure.package.methodUnknown");
  else if ((type === "swakelola") !== (method === "swakelola")) p.add("method", "procure.package.methodForType", { type: String(type) });
  let swakelolaType: number | null = null;
  if (type === "swakelola") {
    swakelolaType = Number(input.swakelolaType);
    if (![1, 2, 3, 4].includes(swakelolaType)) p.add("swakelolaType", "procure.package.swakelolaType");
  }
  const lines: { lineKey: string; amount: Money }[] = [];
  const seen = new Set<string>();
  (input.lines ?? []).forEach((l, i) => {
    if (!isUuid(l.lineKey)) p.add(`lines.${i}.lineKey`, "procure.package.lineUnknown");
    else if (seen.has(l.lineKey)) p.add(`lines.${i}.lineKey`, "procure.package.lineTwice");
    seen.add(l.lineKey);
    const amount = p.check(`lines.${i}.amount`, () => Money.idr(String(l.amount ?? "").trim()));
    if (amount && !amount.exceeds(Money.zero)) p.add(`lines.${i}.amount`, "procure.package.amountPositive");
    if (amount && isUuid(l.lineKey)) lines.push({ lineKey: l.lineKey, amount });
  });
  if ((input.lines ?? []).length === 0) p.add("lines", "procure.package.linesRequired");
  const locations = (input.locations ?? [])
    .map((l, i) => ({ regionCode: String(l.regionCode ?? "").trim(), detail: String(l.detail ?? "").trim().slice(0, 200), i }))
    .filter((l, i, all) => l.regionCode !== "" && all.findIndex((x) => x.regionCode === l.regionCode) === i);
  for (const l of locations) if (!isKodeWilayah(l.regionCode)) p.add(`locations.${l.i}.regionCode`, "procure.package.regionFormat", { text: l.regionCode });
  const dates = { selectionStart: input.selectionStart, selectionEnd: input.selectionEnd, executionStart: input.executionStart, executionEnd: input.executionEnd, plannedOn: input.plannedOn };
  const d: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(dates)) {
    const t = String(v ?? "").trim();
    if (t && !DATE.test(t)) p.add(k, "procure.dateFormat");
    d[k] = t && DATE.test(t) ? t : null;
  }
  if (d.selectionStart && d.selectionEnd && d.selectionEnd < d.selectionStart) p.add("selectionEnd", "procure.package.endBeforeStart");
  if (d.executionStart && d.executionEnd && d.executionEnd < d.executionStart) p.add("executionEnd", "procure.package.endBeforeStart");
  if (d.selectionEnd && d.executionStart && d.executionStart < d.selectionEnd) p.add("executionStart", "procure.package.executionBeforeSelection");
  if (type === "penyedia" && !d.selectionStart) p.add("selectionStart", "procure.package.scheduleRequired");
  if (!d.executionStart) p.add("executionStart", "procure.package.scheduleRequired");
  if (!d.executionEnd) p.add("executionEnd", "procure.package.scheduleRequired");
  const kode = String(input.kodeRup ?? "").trim();
  if (kode && !/^\d{1,12}$/.test(kode)) p.add("kodeRup", "procure.package.kodeRupFormat");
  p.throwIfAny();
  const pagu = Money.sum(lines.map((l) => l.amount));
  const plannedOn = d.plannedOn ?? today;
  try {
    judgeMethod(rules, { method: method as Method, kind: kind as Kind, value: pagu, on: plannedOn });
  } catch (e) {
    if (e instanceof DomainError) p.add("method", e.key, e.params);
    else throw e;
  }
  p.throwIfAny();
  return {
    year: year!,
    name,
    description: String(input.description ?? "").trim(),
    volume: String(input.volume ?? "").trim().slice(0, 200),
    type: type as PackageType,
    kind: kind as Kind,
    method: method as Method,
    swakelolaType,
    pdn: input.pdn !== false,
    umk: !!input.umk,
    lines,
    pagu,
    locations: locations.map(({ regionCode, detail }) => ({ regionCode, detail })),
    selectionStart: d.selectionStart,
    selectionEnd: d.selectionEnd,
    executionStart: d.executionStart,
    executionEnd: d.executionEnd,
    ppkName: String(input.ppkName ?? "").trim(),
    plannedOn,
    kodeRup: kode || null,
  };
}

interface LockedLine {
  line_key: string;
  amount: string;
  opd_id: string;
  sub_activity_id: string | null;
  account_code: string;
  kind: string;
  description: string;
}

/**
 * Locks the DPA lines (of the APBD version in force) a package draws on, in key order so that parallel
 * requests queue instead of deadlocking, and checks that what all live packages take from each line —
 * with this one — never exceeds it. Returns the lines.
 */
export async function lockAndCheckLines(tx: EntityManager, tenant: string, year: number, opdId: string, lines: { lineKey: string; amount: Money }[], excludePackage: string | null): Promise<LockedLine[]> {
  const a = await apbdInForce(tx, tenant, year);
  if (!a) throw new DomainError("procure.package.noDpa", { year }, "invalid", "lines");
  const keys = lines.map((l) => l.lineKey).sort();
  const locked = await tx.execute<LockedLine[]>(
    `select b.line_key, b.amount::text as amount, b.opd_id, b.sub_activity_id, b.account_code, b.kind, b.description
       from budget_line b where b.apbd_id = ? and b.line_key = any(?::uuid[]) order by b.line_key for update`,
    [a.id, pgArray(keys)],
  );
  const [dpa] = await tx.execute<{ id: string }[]>("select id from dpa where apbd_id = ? and opd_id = ?", [a.id, opdId]);
  const committed = new Map(
    (
      await tx.execute<{ line_key: string; s: string }[]>(
        `select pb.line_key, sum(pb.amount)::text as s from proc_package_budget pb join proc_package p on p.id = pb.package_id
          where pb.line_key = any(?::uuid[]) and p.status <> 'cancelled' and (?::uuid is null or p.id <> ?::uuid) group by 1`,
        [pgArray(keys), excludePackage, excludePackage],
      )
    ).map((r) => [r.line_key, Money.idr(r.s)]),
  );
  const p = new Problems();
  lines.forEach((l, i) => {
    const line = locked.find((x) => x.line_key === l.lineKey);
    if (!line || line.kind !== "belanja" || line.opd_id !== opdId) return p.add(`lines.${i}.lineKey`, "procure.package.lineUnknown");
    if (!procurableAccount(line.account_code)) return p.add(`lines.${i}.lineKey`, "procure.package.lineNotProcurable", { account: line.account_code });
    if (!dpa) return p.add(`lines.${i}.lineKey`, "procure.package.noDpa", { year });
    const taken = committed.get(l.lineKey) ?? Money.zero;
    const left = Money.idr(line.amount).minus(taken);
    if (l.amount.exceeds(left))
      p.add(`lines.${i}.amount`, "procure.package.overLine", { line: `${line.account_code} ${line.description}`, amount: l.amount.toString(), left: left.toString(), dpa: line.amount, committed: taken.toString() });
  });
  p.throwIfAny();
  return locked;
}

async function opdOf(tx: EntityManager, tenant: string, opdCode: string) {
  const [o] = await tx.execute<{ id: string; code: string; name: string }[]>("select id, code, name from opd where tenant_code = ? and code = ?", [tenant, opdCode]);
  if (!o) throw new DomainError("opd.unknown", { code: opdCode }, "invalid", "opdCode");
  return o;
}

/**
 * Plans a procurement package (a RUP entry, still a draft) for the PPK's OPD, drawn from one or more of
 * its DPA lines. The method must fit the package's kind and value under the rules in force on its
 * planning date, and the DPA lines are never over-committed, also under parallel requests.
 * Who: the PPK of the OPD. Emits PackageDrafted (audit only: a draft is not yet published).
 */
export async function planPackage(em: EntityManager, actor: Actor, clock: Clock, input: PackageInput): Promise<string> {
  assertCan(actor, "procure.package.manage", { tenant: actor.tenant, opd: input.opdCode });
  const v = validPackage(input, await methodRules(em), wibDate(clock.now()));
  return transact(em, actor, clock, async (tx, record) => {
    const o = await opdOf(tx, actor.tenant, input.opdCode);
    const locked = await lockAndCheckLines(tx, actor.tenant, v.year, o.id, v.lines, null);
    if (v.locations.length) {
      const known = await tx.execute<{ code: string }[]>("select code from region where code = any(?::text[])", [pgArray(v.locations.map((l) => l.regionCode))]);
      const p = new Problems();
      v.locations.forEach((l, i) => {
        if (!known.some((k) => k.code === l.regionCode)) p.add(`locations.${i}.regionCode`, "procure.package.regionUnknown", { text: l.regionCode });
      });
      p.throwIfAny();
    }
    if (v.kodeRup) {
      const [dup] = await tx.execute<{ id: string }[]>("select id from proc_package where tenant_code = ? and kode_rup = ?", [actor.tenant, v.kodeRup]);
      if (dup) throw new DomainError("procure.package.kodeRupTaken", { kode: v.kodeRup }, "conflict", "kodeRup");
    }
    const id = crypto.randomUUID();
    const now = clock.now();
    const sub = locked.find((l) => l.sub_activity_id)?.sub_activity_id ?? null;
    await tx.execute(
      `insert into proc_package (id, tenant_code, fiscal_year, opd_id, sub_activity_id, kode_rup, name, description, volume, type, kind, method, swakelola_type, pagu, pdn, umk, planned_on,
                                 selection_start, selection_end, execution_start, execution_end, ppk_name, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
      [
        id, actor.tenant, v.year, o.id, sub, v.kodeRup, v.name, v.description, v.volume, v.type, v.kind, v.method, v.swakelolaType, v.pagu.toString(), v.pdn, v.umk, v.plannedOn,
        v.selectionStart, v.selectionEnd, v.executionStart, v.executionEnd, v.ppkName || actor.displayName, now, now,
      ],
    );
    for (const l of v.lines) await tx.execute("insert into proc_package_budget (package_id, line_key, amount) values (?, ?, ?)", [id, l.lineKey, l.amount.toString()]);
    for (const l of v.locations) await tx.execute("insert into proc_package_location (package_id, region_code, detail) values (?, ?, ?)", [id, l.regionCode, l.detail]);
    record({ type: "PackageDrafted", entityType: "Package", entityId: id, after: { opd: o.code, name: v.name, pagu: v.pagu.toString(), method: v.method, kind: v.kind, lines: v.lines.map((l) => ({ lineKey: l.lineKey, amount: l.amount.toString() })) } });
    return id;
  });
}

export interface PackageRow {
  id: string;
  tenant_code: string;
  fiscal_year: number;
  opd_id: string;
  opd_code: string;
  opd_name: string;
  sub_activity_id: string | null;
  kode_rup: string | null;
  name: string;
  description: string;
  volume: string;
  type: PackageType;
  kind: Kind;
  method: Method;
  swakelola_type: number | null;
  pagu: string;
  pdn: boolean;
  umk: boolean;
  planned_on: string;
  selection_start: string | null;
  selection_end: string | null;
  execution_start: string | null;
  execution_end: string | null;
  ppk_name: string;
  status: "draft" | "announced" | "executing" | "completed" | "cancelled";
  announced_at: Date | null;
  cancel_reason: string;
  source: string;
  version: number;
}

export async function loadPackage(tx: EntityManager, tenant: string, id: string, lock = false): Promise<PackageRow> {
  if (!isUuid(id)) throw new DomainError("procure.package.notFound", {}, "notFound");
  const [p] = await tx.execute<PackageRow[]>(
    `select p.*, p.pagu::text as pagu, p.kode_rup::text as kode_rup, to_char(p.planned_on, 'YYYY-MM-DD') as planned_on,
            to_char(p.selection_start, 'YYYY-MM-DD') as selection_start, to_char(p.selection_end, 'YYYY-MM-DD') as selection_end,
            to_char(p.execution_start, 'YYYY-MM-DD') as execution_start, to_char(p.execution_end, 'YYYY-MM-DD') as execution_end,
            o.code as opd_code, o.name as opd_name
       from proc_package p join opd o on o.id = p.opd_id where p.tenant_code = ? and p.id = ?${lock ? " for update of p" : ""}`,
    [tenant, id],
  );
  if (!p) throw new DomainError("procure.package.notFound", {}, "notFound");
  return p;
}

/** The package's DPA lines with what it takes from each. */
export async function packageLines(em: EntityManager, packageId: string) {
  return em.execute<{ line_key: string; amount: string; account_code: string; description: string; sub_code: string | null; sub_name: string | null; funding_source: string; line_amount: string }[]>(
    `select pb.line_key, pb.amount::text as amount, b.account_code, b.description, s.sub_kegiatan_code as sub_code, s.name as sub_name, b.funding_source, b.amount::text as line_amount
       from proc_package_budget pb join proc_package p on p.id = pb.package_id
       join lateral (select bl.* from budget_line bl join apbd a on a.id = bl.apbd_id
                      where bl.line_key = pb.line_key and a.status = 'adopted' order by a.version_no desc limit 1) b on true
       left join sub_activity s on s.id = b.sub_activity_id
      where pb.package_id = ? order by b.account_code, b.description`,
    [packageId],
  );
}

/**
 * Announces a package in the RUP: it gets its kode RUP (kept when it came from SiRUP) and becomes
 * public. Who: the PPK. Emits PackagePlanned (→ OCDS planning).
 */
export async function announcePackage(em: EntityManager, actor: Actor, clock: Clock, packageId: string, expectedVersion: number): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const p = await loadPackage(tx, actor.tenant, packageId, true);
    assertCan(actor, "procure.package.manage", { tenant: actor.tenant, opd: p.opd_code });
    if (p.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (p.status !== "draft") throw new DomainError("procure.package.notDraft");
    const [{ kode }] = await tx.execute<{ kode: string }[]>("select coalesce(?::bigint, nextval('proc_package_kode_rup_seq'))::text as kode", [p.kode_rup]);
    const now = clock.now();
    await tx.execute("update proc_package set status = 'announced', kode_rup = ?, announced_at = ?, version = version + 1, updated_at = ? where id = ?", [kode, now, now, p.id]);
    const lines = await packageLines(tx, p.id);
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: p.id,
      type: "PackagePlanned",
      at: now,
      entityType: "Package",
      entityId: p.id,
      payload: { kodeRup: kode, name: p.name, pagu: p.pagu, method: p.method, kind: p.kind, type: p.type, year: p.fiscal_year, opd: p.opd_code, lines: lines.map((l) => ({ lineKey: l.line_key, amount: l.amount, account: l.account_code, subKegiatan: l.sub_code })) },
    });
    return kode;
  });
}

/**
 * Cancels a package that has no live tender or contract; its DPA lines are free again. Who: the PPK.
 * Emits PackageCancelled.
 */
export async function cancelPackage(em: EntityManager, actor: Actor, clock: Clock, packageId: string, reason: string, expectedVersion: number): Promise<void> {
  const why = String(reason ?? "").trim();
  if (why.length < 10) throw new DomainError("procure.reasonRequired", {}, "invalid", "reason");
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadPackage(tx, actor.tenant, packageId, true);
    assertCan(actor, "procure.package.manage", { tenant: actor.tenant, opd: p.opd_code });
    if (p.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (p.status === "cancelled") throw new DomainError("procure.package.cancelled");
    const [live] = await tx.execute<{ n: number }[]>(
      `select (select count(*) from tender where package_id = ? and status not in ('failed','cancelled'))::int + (select count(*) from contract where package_id = ? and status <> 'terminated')::int as n`,
      [p.id, p.id],
    );
    if (live.n > 0) throw new DomainError("procure.package.hasLiveTender");
    const now = clock.now();
    await tx.execute("update proc_package set status = 'cancelled', cancel_reason = ?, version = version + 1, updated_at = ? where id = ?", [why, now, p.id]);
    if (p.status === "announced")
      await emitProcurement(tx, record, { tenant: actor.tenant, packageId: p.id, type: "PackageCancelled", at: now, entityType: "Package", entityId: p.id, payload: { reason: why, kodeRup: p.kode_rup } });
    else record({ type: "PackageDraftCancelled", entityType: "Package", entityId: p.id, after: { reason: why } });
  });
}

/** The fields of a package the RUP carries, as stored (amounts canonical, dates yyyy-mm-dd), with its lines and locations. */
export interface PackageState {
  name: string;
  description: string;
  volume: string;
  type: string;
  kind: string;
  method: string;
  swakelolaType: number | null;
  pagu: string;
  pdn: boolean;
  umk: boolean;
  plannedOn: string;
  selectionStart: string | null;
  selectionEnd: string | null;
  executionStart: string | null;
  executionEnd: string | null;
  ppkName: string;
  lines: { lineKey: string; amount: string }[];
  locations: { regionCode: string; detail: string }[];
}
export type PackageChanges = Partial<{ [K in keyof PackageState]: { before: PackageState[K]; after: PackageState[K] } }>;

/** What an announced package may not change (its money and how it is procured): cancel it and plan anew instead. */
const FIXED_ONCE_ANNOUNCED = ["pagu", "lines", "method", "kind", "type", "swakelolaType"] as const;

const sortedLines = (ls: PackageState["lines"]) => [...ls].map((l) => ({ lineKey: l.lineKey, amount: Money.idr(l.amount).toString() })).sort((a, b) => a.lineKey.localeCompare(b.lineKey));
const sortedLocations = (ls: PackageState["locations"]) => [...ls].map((l) => ({ regionCode: l.regionCode, detail: l.detail })).sort((a, b) => a.regionCode.localeCompare(b.regionCode));

/** The fields that differ between two states of a package, each with its value before and after (lines and locations as sets). */
export function packageChanges(before: PackageState, after: PackageState): PackageChanges {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of Object.keys(after) as (keyof PackageState)[]) {
    if (k === "lines" || k === "locations") {
      const norm = k === "lines" ? (x: PackageState) => sortedLines(x.lines) : (x: PackageState) => sortedLocations(x.locations);
      if (JSON.stringify(norm(before)) !== JSON.stringify(norm(after))) out[k] = { before: norm(before), after: norm(after) };
      continue;
    }
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    const same = k === "pagu" ? a !== null && b !== null && Money.idr(String(a)).equals(Money.idr(String(b))) : a === b || (a !== null && b !== null && String(a) === String(b));
    if (!same) out[k] = { before: a, after: b };
  }
  return out as PackageChanges;
}

/** A package as `packageChanges` compares it, from a stored row with its lines and locations. */
export function packageStateOf(
  p: Pick<PackageRow, "name" | "description" | "volume" | "type" | "kind" | "method" | "swakelola_type" | "pagu" | "pdn" | "umk" | "planned_on" | "selection_start" | "selection_end" | "execution_start" | "execution_end" | "ppk_name">,
  lines: { line_key: string; amount: string }[],
  locations: { region_code: string; detail: string }[],
): PackageState {
  return {
    name: p.name,
    description: p.description,
    volume: p.volume,
    type: p.type,
    kind: p.kind,
    method: p.method,
    swakelolaType: p.swakelola_type,
    pagu: Money.idr(p.pagu).toString(),
    pdn: p.pdn,
    umk: p.umk,
    plannedOn: p.planned_on,
    selectionStart: p.selection_start,
    selectionEnd: p.selection_end,
    executionStart: p.execution_start,
    executionEnd: p.execution_end,
    ppkName: p.ppk_name,
    lines: lines.map((l) => ({ lineKey: l.line_key, amount: Money.idr(l.amount).toString() })),
    locations: locations.map((l) => ({ regionCode: l.region_code, detail: l.detail })),
  };
}

/** A checked form as `packageChanges` compares it (the PPK's name defaulting as the import stores it). */
export function packageStateOfForm(v: ValidPackage, ppkName: string): PackageState {
  return {
    name: v.name,
    description: v.description,
    volume: v.volume,
    type: v.type,
    kind: v.kind,
    method: v.method,
    swakelolaType: v.swakelolaType,
    pagu: v.pagu.toString(),
    pdn: v.pdn,
    umk: v.umk,
    plannedOn: v.plannedOn,
    selectionStart: v.selectionStart,
    selectionEnd: v.selectionEnd,
    executionStart: v.executionStart,
    executionEnd: v.executionEnd,
    ppkName,
    lines: v.lines.map((l) => ({ lineKey: l.lineKey, amount: l.amount.toString() })),
    locations: v.locations,
  };
}

/**
 * Who may import a RUP entry for an OPD: its PPK (procure.package.manage), or the Pokja of the UKPBJ
 * (procure.tender.run, pemda-wide), which loads SiRUP's RUP for every OPD.
 */
export function mayImportPackage(actor: Actor, opdCode: string): boolean {
  return can(actor, "procure.tender.run", { tenant: actor.tenant }) || can(actor, "procure.package.manage", { tenant: actor.tenant, opd: opdCode });
}

export interface ImportedPackageInput extends PackageInput {
  /** SiRUP's kode RUP: it identifies the package across imports. */
  kodeRup: string;
  /** SiRUP says the package is announced (Terumumkan). */
  announce: boolean;
  /** The version the caller compared against, when it updates a package it has read. */
  expectedVersion?: number;
}

export interface ImportedPackage {
  id: string;
  outcome: "created" | "updated" | "unchanged";
  /** The import announced it (it was new or a draft). */
  announced: boolean;
}

/**
 * Records a RUP entry from SiRUP under its kode RUP: a new package (source 'sirup'), or an update of the
 * package that already holds the kode. The rules are planPackage's — the form (`validPackage`), the
 * method against the rules in force on its planning date with the rule named, DPA lines of the APBD
 * version in force on procurable accounts of the package's OPD, locked in key order so that what live
 * packages take never exceeds a line —, and:
 *
 *   - the kode stays with its OPD and fiscal year; a cancelled package is not revived;
 *   - a draft changes entirely; an announced package keeps its pagu, DPA lines, method, kind and type
 *     (cancel it and plan anew) and never goes back to draft;
 *   - a package SiRUP says is announced is announced (PackagePlanned, as `announcePackage` publishes it);
 *   - an announced package whose published fields change (value, schedule, locations, name, …) emits
 *     PackageAmended with each change before and after (→ OCDS planningUpdate);
 *   - the same content changes nothing (no version, no audit, no event).
 *
 * Who: the PPK of the package's OPD, or the Pokja of the UKPBJ for every OPD.
 */
export async function importPackage(em: EntityManager, actor: Actor, clock: Clock, input: ImportedPackageInput): Promise<ImportedPackage> {
  if (!actor.isAuthenticated && actor.assignments.length === 0) throw new DomainError("auth.loginRequired", { permission: "procure.package.manage" }, "forbidden");
  if (!mayImportPackage(actor, input.opdCode)) throw new DomainError("auth.forbidden", { permission: "procure.package.manage" }, "forbidden");
  const kode = String(input.kodeRup ?? "").trim();
  if (!/^\d{1,12}$/.test(kode)) throw new DomainError("procure.package.kodeRupFormat", {}, "invalid", "kodeRup");
  const v = validPackage({ ...input, kodeRup: kode }, await methodRules(em), wibDate(clock.now()));
  return transact(em, actor, clock, async (tx, record) => {
    const tenant = actor.tenant;
    const o = await opdOf(tx, tenant, input.opdCode);
    const [old] = await tx.execute<PackageRow[]>(
      `select p.*, p.pagu::text as pagu, p.kode_rup::text as kode_rup, to_char(p.planned_on, 'YYYY-MM-DD') as planned_on,
              to_char(p.selection_start, 'YYYY-MM-DD') as selection_start, to_char(p.selection_end, 'YYYY-MM-DD') as selection_end,
              to_char(p.execution_start, 'YYYY-MM-DD') as execution_start, to_char(p.execution_end, 'YYYY-MM-DD') as execution_end, o.code as opd_code, o.name as opd_name
         from proc_package p join opd o on o.id = p.opd_id where p.tenant_code = ? and p.kode_rup = ? for update of p`,
      [tenant, kode],
    );
    if (old) {
      if (old.opd_code !== o.code) throw new DomainError("procure.package.kodeRupOtherOpd", { kode, opd: old.opd_code }, "conflict", "opdCode");
      if (old.fiscal_year !== v.year) throw new DomainError("procure.package.kodeRupOtherYear", { kode, year: old.fiscal_year }, "conflict", "fiscalYear");
      if (old.status === "cancelled") throw new DomainError("procure.package.cancelled", { kode }, "conflict", "kodeRup");
      if (input.expectedVersion !== undefined && old.version !== input.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    }
    const oldLines = old ? await tx.execute<{ line_key: string; amount: string }[]>("select line_key, amount::text as amount from proc_package_budget where package_id = ?", [old.id]) : [];
    const oldLocations = old
      ? await tx.execute<{ region_code: string; detail: string }[]>("select region_code, detail from proc_package_location where package_id = ? order by region_code", [old.id])
      : [];
    const before = old ? packageStateOf(old, oldLines, oldLocations) : null;
    const after = packageStateOfForm(v, v.ppkName || old?.ppk_name || actor.displayName);
    const changes = before ? packageChanges(before, after) : {};
    const announced = old !== undefined && old.status !== "draft";
    if (announced) {
      const fixed = FIXED_ONCE_ANNOUNCED.find((k) => k in changes);
      if (fixed) throw new DomainError("procure.package.announcedFixed", { kode, field: fixed }, "conflict", fixed === "lines" ? "lines" : fixed);
      if (!input.announce) throw new DomainError("procure.package.unannounce", { kode }, "conflict", "kodeRup");
    }
    const linesChanged = !old || "lines" in changes;
    const locked = linesChanged ? await lockAndCheckLines(tx, tenant, v.year, o.id, v.lines, old?.id ?? null) : [];
    if (v.locations.length && (!old || "locations" in changes)) {
      const known = await tx.execute<{ code: string }[]>("select code from region where code = any(?::text[])", [pgArray(v.locations.map((l) => l.regionCode))]);
      const p = new Problems();
      v.locations.forEach((l, i) => {
        if (!known.some((k) => k.code === l.regionCode)) p.add(`locations.${i}.regionCode`, "procure.package.regionUnknown", { text: l.regionCode });
      });
      p.throwIfAny();
    }
    const now = clock.now();
    const sub = locked.find((l) => l.sub_activity_id)?.sub_activity_id ?? null;
    const toAnnounce = input.announce && (!old || old.status === "draft");
    let id: string;
    let outcome: ImportedPackage["outcome"];
    if (!old) {
      id = crypto.randomUUID();
      await tx.execute(
        `insert into proc_package (id, tenant_code, fiscal_year, opd_id, sub_activity_id, kode_rup, name, description, volume, type, kind, method, swakelola_type, pagu, pdn, umk, planned_on,
                                   selection_start, selection_end, execution_start, execution_end, ppk_name, status, source, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 'sirup', ?, ?)`,
        [
          id, tenant, v.year, o.id, sub, kode, v.name, v.description, v.volume, v.type, v.kind, v.method, v.swakelolaType, v.pagu.toString(), v.pdn, v.umk, v.plannedOn,
          v.selectionStart, v.selectionEnd, v.executionStart, v.executionEnd, after.ppkName, now, now,
        ],
      );
      await writeLinesAndLocations(tx, id, v.lines, v.locations);
      // Kode RUP Jejak hands out itself (announcePackage) come after every kode it has kept from SiRUP.
      await tx.execute("select setval('proc_package_kode_rup_seq', greatest(?::bigint, (select last_value from proc_package_kode_rup_seq)))", [kode]);
      record({ type: "PackageDrafted", entityType: "Package", entityId: id, after: { source: "sirup", kodeRup: kode, opd: o.code, ...after } });
      outcome = "created";
    } else {
      id = old.id;
      const changed = Object.keys(changes).length > 0;
      outcome = changed ? "updated" : "unchanged";
      if (changed) {
        await tx.execute(
          `update proc_package set name = ?, description = ?, volume = ?, type = ?, kind = ?, method = ?, swakelola_type = ?, pagu = ?, pdn = ?, umk = ?, planned_on = ?,
                  selection_start = ?, selection_end = ?, execution_start = ?, execution_end = ?, ppk_name = ?, sub_activity_id = coalesce(?, sub_activity_id),
                  version = version + 1, updated_at = ? where id = ?`,
          [
            v.name, v.description, v.volume, v.type, v.kind, v.method, v.swakelolaType, v.pagu.toString(), v.pdn, v.umk, v.plannedOn,
            v.selectionStart, v.selectionEnd, v.executionStart, v.executionEnd, after.ppkName, sub, now, id,
          ],
        );
        if ("lines" in changes) await tx.execute("delete from proc_package_budget where package_id = ?", [id]);
        if ("locations" in changes) await tx.execute("delete from proc_package_location where package_id = ?", [id]);
        await writeLinesAndLocations(tx, id, "lines" in changes ? v.lines : [], "locations" in changes ? v.locations : []);
        const was = Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.before]));
        const became = Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.after]));
        if (!announced) record({ type: "PackageDraftChanged", entityType: "Package", entityId: id, before: was, after: { source: "sirup", kodeRup: kode, ...became } });
        else
          await emitProcurement(tx, record, { tenant, packageId: id, type: "PackageAmended", at: now, entityType: "Package", entityId: id, before: was, payload: { kodeRup: kode, source: "sirup", changes } });
      }
    }
    if (toAnnounce) {
      await tx.execute("update proc_package set status = 'announced', announced_at = ?, version = version + 1, updated_at = ? where id = ?", [now, now, id]);
      const lines = await packageLines(tx, id);
      await emitProcurement(tx, record, {
        tenant,
        packageId: id,
        type: "PackagePlanned",
        at: now,
        entityType: "Package",
        entityId: id,
        payload: { kodeRup: kode, name: v.name, pagu: v.pagu.toString(), method: v.method, kind: v.kind, type: v.type, year: v.year, opd: o.code, lines: lines.map((l) => ({ lineKey: l.line_key, amount: l.amount, account: l.account_code, subKegiatan: l.sub_code })), source: "sirup" },
      });
    }
    return { id, outcome, announced: toAnnounce };
  });
}

async function writeLinesAndLocations(tx: EntityManager, id: string, lines: { lineKey: string; amount: Money }[], locations: { regionCode: string; detail: string }[]) {
  for (const l of lines) await tx.execute("insert into proc_package_budget (package_id, line_key, amount) values (?, ?, ?)", [id, l.lineKey, l.amount.toString()]);
  for (const l of locations) await tx.execute("insert into proc_package_location (package_id, region_code, detail) values (?, ?, ?)", [id, l.regionCode, l.detail]);
}

/**
 * The OPD's DPA lines a package may draw on (goods and services, capital), with what live packages
 * already take and what is left — the PPK's picking list.
 */
export async function procurableLines(em: EntityManager, tenant: string, year: number, opdCode: string) {
  const a = await apbdInForce(em, tenant, year);
  if (!a) return { apbd: null, lines: [] };
  const lines = await em.execute<{ line_key: string; account_code: string; description: string; spec: string; amount: string; committed: string; sub_code: string | null; sub_name: string | null; funding_source: string }[]>(
    `select b.line_key, b.account_code, b.description, b.spec, b.amount::text as amount, s.sub_kegiatan_code as sub_code, s.name as sub_name, b.funding_source,
            coalesce((select sum(pb.amount) from proc_package_budget pb join proc_package p on p.id = pb.package_id where pb.line_key = b.line_key and p.status <> 'cancelled'), 0)::numeric(20,2)::text as committed
       from budget_line b join opd o on o.id = b.opd_id left join sub_activity s on s.id = b.sub_activity_id
      where b.apbd_id = ? and o.code = ? and b.kind = 'belanja' and (b.account_code like '5.1.02.%' or b.account_code like '5.2.%')
      order by s.sub_kegiatan_code nulls last, b.position`,
    [a.id, opdCode],
  );
  return { apbd: { id: a.id, versionNo: a.version_no }, lines: lines.map((l) => ({ ...l, left: new D(l.amount).minus(l.committed).toFixed(2) })) };
}

/**
 * RUP coverage per OPD: the pagu of its procurable DPA lines (goods and services, capital) against what
 * its announced packages take, split by provider and swakelola.
 */
export async function rupCoverage(em: EntityManager, tenant: string, year: number) {
  const a = await apbdInForce(em, tenant, year);
  if (!a) return [];
  const rows = await em.execute<{ opd_code: string; opd_name: string; pagu: string; penyedia: string; swakelola: string; draft: string; packages: number }[]>(
    `with lines as (select b.opd_id, sum(b.amount) as pagu from budget_line b where b.apbd_id = ? and b.kind = 'belanja' and (b.account_code like '5.1.02.%' or b.account_code like '5.2.%') group by 1),
          pk as (select p.opd_id, count(*) filter (where p.status = 'announced')::int as packages,
                        coalesce(sum(p.pagu) filter (where p.status = 'announced' and p.type = 'penyedia'), 0) as penyedia,
                        coalesce(sum(p.pagu) filter (where p.status = 'announced' and p.type = 'swakelola'), 0) as swakelola,
                        coalesce(sum(p.pagu) filter (where p.status = 'draft'), 0) as draft
                   from proc_package p where p.tenant_code = ? and p.fiscal_year = ? group by 1)
     select o.code as opd_code, o.name as opd_name, l.pagu::numeric(20,2)::text as pagu, coalesce(pk.penyedia, 0)::numeric(20,2)::text as penyedia,
            coalesce(pk.swakelola, 0)::numeric(20,2)::text as swakelola, coalesce(pk.draft, 0)::numeric(20,2)::text as draft, coalesce(pk.packages, 0) as packages
       from lines l join opd o on o.id = l.opd_id left join pk on pk.opd_id = l.opd_id order by o.code`,
    [a.id, tenant, year],
  );
  return rows.map((r) => {
    const announced = Money.idr(r.penyedia).plus(Money.idr(r.swakelola));
    return { ...r, announced: announced.toString(), percent: announced.percentOf(Money.idr(r.pagu), 1).toFixed(1) };
  });
}
