import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { DomainError, Problems } from "../kernel/domain-error";
import { NATIONAL } from "./support";
import { isWeekend } from "./working-days";

/**
 * The tenant admin's settings for citizen reports (/admin/pengaduan): the complaint categories with their SLA
 * in working days, and the tenant's own holidays (cuti bersama, libur daerah) the SLA is counted over.
 *
 * Categories: the national rows (tenant '*': ringan 2, normatif 5, non-pengawasan 14, investigasi 60) are
 * the defaults; saving a national category writes the tenant's own row over it (an override), which can
 * be reset to the national default; the tenant may add categories of its own, and switch any off. A report
 * keeps the due date and the SLA it was filed with: a change applies to new reports only.
 *
 * Holidays: the national calendar is read-only here (imports/oversight/data/hari-libur-nasional.csv, synced
 * at boot); the tenant adds, renames and removes its own days. Due dates already computed stay as they are.
 */

export const CATEGORY_CODE = /^[a-z_]{2,40}$/;
export const CATEGORY_NAME_MAX = 80;
export const SLA_MAX_DAYS = 365;
export const POSITION_MAX = 999;
export const HOLIDAY_NAME_MAX = 120;
/** The kinds of days a tenant adds itself (national days, libur_nasional, come from the shipped file). */
export const TENANT_HOLIDAY_KINDS = ["cuti_bersama", "libur_daerah"] as const;
export type TenantHolidayKind = (typeof TENANT_HOLIDAY_KINDS)[number];

export interface CategorySetting {
  code: string;
  name: string;
  slaDays: number;
  position: number;
  active: boolean;
  /** national: the default, untouched; override: the tenant's row over a national one; own: the tenant's alone. */
  origin: "national" | "override" | "own";
  /** The tenant row's version for optimistic locking; 0 when the tenant has no row (a national default). */
  version: number;
  /** The national default behind an override. */
  national: { name: string; slaDays: number; position: number; active: boolean } | null;
  /** Reports filed under this category (any status). */
  reports: number;
}

export interface HolidaySetting {
  day: string;
  name: string;
  kind: string;
  version: number;
}

type CategoryRow = { tenant_code: string; code: string; name: string; sla_days: number; position: number; active: boolean; version: number };

function settingsOf(rows: CategoryRow[], tenant: string, reports: Map<string, number>): CategorySetting[] {
  const codes = [...new Set(rows.map((r) => r.code))];
  return codes
    .map((code) => {
      const own = rows.find((r) => r.code === code && r.tenant_code === tenant);
      const nat = rows.find((r) => r.code === code && r.tenant_code === NATIONAL);
      const row = (own ?? nat)!;
      return {
        code,
        name: row.name,
        slaDays: Number(row.sla_days),
        position: Number(row.position),
        active: row.active,
        origin: own ? (nat ? "override" : "own") : "national",
        version: own ? Number(own.version) : 0,
        national: own && nat ? { name: nat.name, slaDays: Number(nat.sla_days), position: Number(nat.position), active: nat.active } : null,
        reports: reports.get(code) ?? 0,
      } satisfies CategorySetting;
    })
    .sort((a, b) => a.position - b.position || a.code.localeCompare(b.code));
}

async function categoryRows(em: EntityManager, tenant: string, code?: string, lock = false): Promise<CategoryRow[]> {
  return em.execute<CategoryRow[]>(
    `select tenant_code, code, name, sla_days, position, active, version from complaint_category
      where tenant_code in (?, ?)${code === undefined ? "" : " and code = ?"} order by code, tenant_code${lock ? " for update" : ""}`,
    code === undefined ? [tenant, NATIONAL] : [tenant, NATIONAL, code],
  );
}

/** What /admin/pengaduan shows: every category as the tenant sees it, the tenant's holidays and the year's national ones. */
export async function complaintSettings(
  em: EntityManager,
  actor: Actor,
  year: number,
): Promise<{ categories: CategorySetting[]; holidays: HolidaySetting[]; national: HolidaySetting[] }> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const tenant = actor.tenant;
  const counts = await em.execute<{ category: string; n: number }[]>("select category, count(*)::int as n from complaint where tenant_code = ? group by category", [tenant]);
  const days = (code: string, from: string, to: string) =>
    em.execute<{ day: string; name: string; kind: string; version: number }[]>(
      "select to_char(day, 'YYYY-MM-DD') as day, name, kind, version from holiday where tenant_code = ? and day between ?::date and ?::date order by day",
      [code, from, to],
    );
  const [holidays, national] = await Promise.all([days(tenant, `${year}-01-01`, `${year}-12-31`), days(NATIONAL, `${year}-01-01`, `${year}-12-31`)]);
  return {
    categories: settingsOf(await categoryRows(em, tenant), tenant, new Map(counts.map((c) => [c.category, Number(c.n)]))),
    holidays: holidays.map((h) => ({ ...h, version: Number(h.version) })),
    national: national.map((h) => ({ ...h, version: Number(h.version) })),
  };
}

/** The years the holiday list offers: the tenant's and the national calendar's, and the current one. */
export async function holidayYears(em: EntityManager, tenant: string, current: number): Promise<number[]> {
  const rows = await em.execute<{ y: number }[]>("select distinct extract(year from day)::int as y from holiday where tenant_code in (?, ?)", [tenant, NATIONAL]);
  return [...new Set([current, ...rows.map((r) => Number(r.y))])].sort((a, b) => a - b);
}

function wholeNumber(p: Problems, field: string, raw: unknown, min: number, max: number, key: string): number {
  const s = String(raw ?? "").trim();
  if (!/^\d{1,4}$/.test(s) || Number(s) < min || Number(s) > max) {
    p.add(field, key, { min, max });
    return min;
  }
  return Number(s);
}

function text(p: Problems, field: string, raw: unknown, max: number, requiredKey: string, tooLongKey: string): string {
  const s = String(raw ?? "")
    .trim()
    .replace(/\s+/g, " ");
  if (s.length < 2) p.add(field, requiredKey);
  else if (s.length > max) p.add(field, tooLongKey, { max });
  return s;
}

export interface CategoryInput {
  code: string;
  name: string;
  slaDays: string | number;
  position: string | number;
  active: boolean;
  /** The tenant row's version the form was rendered with; 0 when it showed a national default or a new category. */
  expectedVersion: number;
}

async function assertOneActive(tx: EntityManager, tenant: string): Promise<void> {
  const [{ n }] = await tx.execute<{ n: number }[]>(
    `select count(*)::int as n from (select distinct on (code) active from complaint_category
      where tenant_code in (?, ?) order by code, (tenant_code = ?) desc) k where k.active`,
    [tenant, NATIONAL, tenant],
  );
  if (Number(n) === 0) throw new DomainError("pengaduan.setting.lastActive", {}, "invalid", "active");
}

/**
 * Saves a category as the tenant sees it: updates the tenant's row (checking its version), or writes the
 * tenant's row over a national default, or adds a category of the tenant's own. At least one category stays
 * active. Reports already filed keep their due date and SLA. Emits ComplaintCategorySaved.
 */
export async function saveComplaintCategory(em: EntityManager, actor: Actor, clock: Clock, input: CategoryInput): Promise<CategorySetting> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const p = new Problems();
  const code = String(input.code ?? "").trim();
  if (!CATEGORY_CODE.test(code)) p.add("code", "pengaduan.setting.codeFormat");
  const name = text(p, "name", input.name, CATEGORY_NAME_MAX, "pengaduan.setting.nameRequired", "pengaduan.setting.nameTooLong");
  const slaDays = wholeNumber(p, "slaDays", input.slaDays, 1, SLA_MAX_DAYS, "pengaduan.setting.slaRange");
  const position = wholeNumber(p, "position", input.position, 0, POSITION_MAX, "pengaduan.setting.positionRange");
  const active = input.active === true;
  p.throwIfAny();
  const tenant = actor.tenant;
  return transact(em, actor, clock, async (tx, record) => {
    const rows = await categoryRows(tx, tenant, code, true);
    const own = rows.find((r) => r.tenant_code === tenant);
    const nat = rows.find((r) => r.tenant_code === NATIONAL);
    const before = own ?? nat;
    if (own) {
      if (Number(own.version) !== input.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
      await tx.execute("update complaint_category set name = ?, sla_days = ?, position = ?, active = ?, version = version + 1 where tenant_code = ? and code = ?", [
        name,
        slaDays,
        position,
        active,
        tenant,
        code,
      ]);
    } else {
      // A form showing the national default (or a new code) expects no tenant row; another admin's save in
      // between makes it stale, as does a new category whose code is taken (by a national row, say).
      if (input.expectedVersion !== 0) throw new DomainError("concurrency.stale", {}, "conflict");
      const inserted = await tx.execute<{ code: string }[]>(
        `insert into complaint_category (tenant_code, code, name, sla_days, position, active) values (?, ?, ?, ?, ?, ?)
         on conflict (tenant_code, code) do nothing returning code`,
        [tenant, code, name, slaDays, position, active],
      );
      if (inserted.length === 0) throw new DomainError("concurrency.stale", {}, "conflict");
    }
    await assertOneActive(tx, tenant);
    record({
      type: "ComplaintCategorySaved",
      entityType: "ComplaintCategory",
      entityId: `${tenant}:${code}`,
      before: before ? { name: before.name, slaDays: Number(before.sla_days), position: Number(before.position), active: before.active, national: before.tenant_code === NATIONAL } : null,
      after: { name, slaDays, position, active },
    });
    const [{ n }] = await tx.execute<{ n: number }[]>("select count(*)::int as n from complaint where tenant_code = ? and category = ?", [tenant, code]);
    return settingsOf(await categoryRows(tx, tenant, code), tenant, new Map([[code, Number(n)]]))[0];
  });
}

/**
 * Removes the tenant's row of a category: an override goes back to the national default; a category of the
 * tenant's own is deleted, but only while no report uses it (switch it off instead). Emits
 * ComplaintCategoryReset or ComplaintCategoryRemoved.
 */
export async function resetComplaintCategory(em: EntityManager, actor: Actor, clock: Clock, code: string, expectedVersion: number): Promise<void> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const tenant = actor.tenant;
  await transact(em, actor, clock, async (tx, record) => {
    const rows = await categoryRows(tx, tenant, String(code ?? ""), true);
    const own = rows.find((r) => r.tenant_code === tenant);
    const nat = rows.find((r) => r.tenant_code === NATIONAL);
    if (!own) throw new DomainError(nat ? "concurrency.stale" : "pengaduan.setting.categoryUnknown", {}, nat ? "conflict" : "notFound");
    if (Number(own.version) !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    if (!nat) {
      const used = await tx.execute("select 1 from complaint where tenant_code = ? and category = ? limit 1", [tenant, own.code]);
      if (used.length) throw new DomainError("pengaduan.setting.categoryInUse", { name: own.name }, "invalid", "code");
    }
    await tx.execute("delete from complaint_category where tenant_code = ? and code = ?", [tenant, own.code]);
    await assertOneActive(tx, tenant);
    record({
      type: nat ? "ComplaintCategoryReset" : "ComplaintCategoryRemoved",
      entityType: "ComplaintCategory",
      entityId: `${tenant}:${own.code}`,
      before: { name: own.name, slaDays: Number(own.sla_days), position: Number(own.position), active: own.active },
      after: nat ? { name: nat.name, slaDays: Number(nat.sla_days), position: Number(nat.position), active: nat.active, national: true } : null,
    });
  });
}

export interface HolidayInput {
  day: string;
  name: string;
  kind: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function holidayDay(p: Problems, raw: unknown): string {
  const day = String(raw ?? "").trim();
  const t = DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day || day < "2000-01-01" || day > "2100-12-31") {
    p.add("day", "pengaduan.holiday.dayFormat");
    return "";
  }
  if (isWeekend(day)) p.add("day", "pengaduan.holiday.weekend", { day });
  return day;
}

function holidayFields(p: Problems, input: { name: string; kind: string }): { name: string; kind: TenantHolidayKind } {
  const name = text(p, "name", input.name, HOLIDAY_NAME_MAX, "pengaduan.holiday.nameRequired", "pengaduan.holiday.nameTooLong");
  const kind = String(input.kind ?? "") as TenantHolidayKind;
  if (!TENANT_HOLIDAY_KINDS.includes(kind)) p.add("kind", "pengaduan.holiday.kind");
  return { name, kind };
}

/**
 * Adds one of the tenant's own holidays (cuti bersama, libur daerah such as the hari jadi). Refused on a
 * weekend, on a national holiday and on a day the tenant already has. Reports already filed keep their due
 * date; the day counts for new reports and for escalation. Emits HolidayAdded.
 */
export async function addHoliday(em: EntityManager, actor: Actor, clock: Clock, input: HolidayInput): Promise<void> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const p = new Problems();
  const day = holidayDay(p, input.day);
  const { name, kind } = holidayFields(p, input);
  p.throwIfAny();
  const tenant = actor.tenant;
  await transact(em, actor, clock, async (tx, record) => {
    const [nat] = await tx.execute<{ name: string }[]>("select name from holiday where tenant_code = ? and day = ?::date", [NATIONAL, day]);
    if (nat) throw new DomainError("pengaduan.holiday.national", { day, name: nat.name }, "invalid", "day");
    const inserted = await tx.execute<{ day: string }[]>(
      "insert into holiday (tenant_code, day, name, kind) values (?, ?::date, ?, ?) on conflict (tenant_code, day) do nothing returning day",
      [tenant, day, name, kind],
    );
    if (inserted.length === 0) throw new DomainError("pengaduan.holiday.exists", { day }, "invalid", "day");
    record({ type: "HolidayAdded", entityType: "Holiday", entityId: `${tenant}:${day}`, after: { day, name, kind } });
  });
}

async function lockHoliday(tx: EntityManager, tenant: string, day: string, expectedVersion: number) {
  const [h] = DAY.test(day)
    ? await tx.execute<{ name: string; kind: string; version: number }[]>("select name, kind, version from holiday where tenant_code = ? and day = ?::date for update", [tenant, day])
    : [];
  // Removed by another admin meanwhile, or edited: either way the form is stale.
  if (!h || Number(h.version) !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  return h;
}

/** Renames one of the tenant's holidays or changes its kind (optimistic lock). Emits HolidayChanged. */
export async function changeHoliday(em: EntityManager, actor: Actor, clock: Clock, input: HolidayInput & { expectedVersion: number }): Promise<void> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const p = new Problems();
  const { name, kind } = holidayFields(p, input);
  p.throwIfAny();
  const tenant = actor.tenant;
  const day = String(input.day ?? "").trim();
  await transact(em, actor, clock, async (tx, record) => {
    const h = await lockHoliday(tx, tenant, day, input.expectedVersion);
    await tx.execute("update holiday set name = ?, kind = ?, version = version + 1 where tenant_code = ? and day = ?::date", [name, kind, tenant, day]);
    record({ type: "HolidayChanged", entityType: "Holiday", entityId: `${tenant}:${day}`, before: { name: h.name, kind: h.kind }, after: { name, kind } });
  });
}

/** Removes one of the tenant's holidays (optimistic lock); due dates already computed stay. Emits HolidayRemoved. */
export async function removeHoliday(em: EntityManager, actor: Actor, clock: Clock, day: string, expectedVersion: number): Promise<void> {
  assertCan(actor, "oversight.configure", { tenant: actor.tenant });
  const tenant = actor.tenant;
  const d = String(day ?? "").trim();
  await transact(em, actor, clock, async (tx, record) => {
    const h = await lockHoliday(tx, tenant, d, expectedVersion);
    await tx.execute("delete from holiday where tenant_code = ? and day = ?::date", [tenant, d]);
    record({ type: "HolidayRemoved", entityType: "Holiday", entityId: `${tenant}:${d}`, before: { day: d, name: h.name, kind: h.kind }, after: null });
  });
}
