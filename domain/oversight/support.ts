import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import { isKodeWilayah, isUuid, wilayahWithin } from "../kernel/codes";
import { Actor } from "../identity/actor";
import type { ComplaintStatus } from "./complaint-machine";
import type { TargetKind } from "./rules";
import { addWorkingDays, nextDay, type Day } from "./working-days";

/** The national calendar and default categories are stored under this tenant code, for every tenant. */
export const NATIONAL = "*";

export interface Category {
  code: string;
  name: string;
  slaDays: number;
  /** The name is the national default's (the interface may then show its translation); false for a name the tenant set. */
  nationalName: boolean;
}

/**
 * The tenant's complaint categories as reports see them: for each code its own row, else the national
 * default (2/5/14/60 working days), ordered by position. Only the active ones unless `inactive` is asked
 * for (a report filed under a category switched off later keeps it).
 */
export async function categories(em: EntityManager, tenant: string, opts: { inactive?: boolean } = {}): Promise<Category[]> {
  const rows = await em.execute<{ tenant_code: string; code: string; name: string; sla_days: number; position: number; active: boolean }[]>(
    "select tenant_code, code, name, sla_days, position, active from complaint_category where tenant_code in (?, ?)",
    [tenant, NATIONAL],
  );
  const national = new Map(rows.filter((r) => r.tenant_code === NATIONAL).map((r) => [r.code, r]));
  const effective = new Map(national);
  for (const r of rows) if (r.tenant_code !== NATIONAL) effective.set(r.code, r);
  return [...effective.values()]
    .filter((r) => opts.inactive || r.active)
    .sort((a, b) => a.position - b.position || a.code.localeCompare(b.code))
    .map((r) => ({ code: r.code, name: r.name, slaDays: Number(r.sla_days), nationalName: national.get(r.code)?.name === r.name }));
}

/** One of the tenant's categories by code: an active one, or any when `inactive` is asked for. */
export async function category(em: EntityManager, tenant: string, code: string, opts: { inactive?: boolean } = {}): Promise<Category | null> {
  return (await categories(em, tenant, opts)).find((c) => c.code === code) ?? null;
}

/** The holidays (national and the tenant's own) between two days, inclusive. */
export async function holidays(em: EntityManager, tenant: string, from: Day, to: Day): Promise<Set<Day>> {
  const rows = await em.execute<{ day: string }[]>(
    "select to_char(day, 'YYYY-MM-DD') as day from holiday where tenant_code in (?, ?) and day between ?::date and ?::date",
    [tenant, NATIONAL, from, to],
  );
  return new Set(rows.map((r) => r.day));
}

/** The SLA due day: `slaDays` working days after `start`, over the tenant's calendar. */
export async function dueDay(em: EntityManager, tenant: string, start: Day, slaDays: number): Promise<Day> {
  // A year of calendar days is enough room for 60 working days and their holidays; widen for longer SLAs.
  const span = Math.max(400, slaDays * 3);
  return addWorkingDays(start, slaDays, await holidays(em, tenant, start, nextDay(start, span)));
}

export interface ComplaintRow {
  id: string;
  tenant_code: string;
  number: string;
  target_kind: TargetKind;
  target_id: string | null;
  category: string;
  status: ComplaintStatus;
  opd_id: string | null;
  opd_code: string | null;
  sla_started_on: string;
  sla_due_on: string;
  sla_days: number | null;
  escalation_level: number;
  reopen_count: number;
  rating: number | null;
  version: number;
}

export async function loadComplaint(tx: EntityManager, tenant: string, id: string, lock = false): Promise<ComplaintRow> {
  if (!isUuid(id)) throw new DomainError("pengaduan.notFound", {}, "notFound");
  const [c] = await tx.execute<ComplaintRow[]>(
    `select c.id, c.tenant_code, c.number, c.target_kind, c.target_id, c.category, c.status, c.opd_id, o.code as opd_code,
            to_char(c.sla_started_on, 'YYYY-MM-DD') as sla_started_on, to_char(c.sla_due_on, 'YYYY-MM-DD') as sla_due_on, c.sla_days,
            c.escalation_level, c.reopen_count, c.rating, c.version
       from complaint c left join opd o on o.id = c.opd_id
      where c.tenant_code = ? and c.id = ?${lock ? " for update of c" : ""}`,
    [tenant, id],
  );
  if (!c) throw new DomainError("pengaduan.notFound", {}, "notFound");
  return c;
}

/** Who the history names for a reporter, and who the audit trail records: never the person. */
export const reporterActor = (tenant: string) => new Actor(tenant, null, "pelapor", "Pelapor", []);
export const REPORTER_LABEL = "Pelapor";
export const SYSTEM_LABEL = "Sistem";

export async function appendHistory(
  tx: EntityManager,
  c: { id: string; tenant_code: string },
  step: { at: Date; action: string; from: ComplaintStatus | null; to: ComplaintStatus; by: string; publicNote?: string; internalNote?: string },
): Promise<void> {
  await tx.execute(
    `insert into complaint_event (tenant_code, complaint_id, at, action, from_status, to_status, actor_label, public_note, internal_note)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.tenant_code, c.id, step.at, step.action, step.from, step.to, step.by, step.publicNote ?? "", step.internalNote ?? ""],
  );
}

export interface ResolvedTarget {
  kind: TargetKind;
  id: string | null;
  opdId: string | null;
  regionCode: string | null;
}

/** The tenant's Bappeda: proposals no OPD has taken up yet are routed to it. */
async function bappeda(tx: EntityManager, tenant: string): Promise<string | null> {
  const [o] = await tx.execute<{ id: string }[]>(
    "select id from opd where tenant_code = ? and (lower(short_name) like 'bappeda%' or code like '5.01.%') order by code limit 1",
    [tenant],
  );
  return o?.id ?? null;
}

/** Proposal statuses in which an OPD holds the proposal (it reviewed, accepted or adopted it). */
const OPD_HELD = ["opd_review", "accepted", "adopted", "not_adopted"];

/**
 * Finds what a report is about and the OPD it is routed to: a contract → its package's OPD; a
 * sub-activity → its OPD; a proposal → the OPD holding it, else Bappeda; a map point → no OPD (the monev
 * officer's triage queue).
 */
export async function resolveTarget(tx: EntityManager, tenant: string, kind: TargetKind, id: string | null | undefined, regionCode: string | null | undefined): Promise<ResolvedTarget> {
  if (kind === "point") {
    let region: string | null = null;
    const code = String(regionCode ?? "").trim();
    if (code) {
      if (!isKodeWilayah(code) || !wilayahWithin(code, tenant)) throw new DomainError("pengaduan.regionOutside", { code }, "invalid", "regionCode");
      const [r] = await tx.execute<{ code: string }[]>("select code from region where code = ?", [code]);
      if (!r) throw new DomainError("pengaduan.regionOutside", { code }, "invalid", "regionCode");
      region = code;
    }
    return { kind, id: null, opdId: null, regionCode: region };
  }
  if (!isUuid(id)) throw new DomainError("pengaduan.targetNotFound", {}, "invalid", "target");
  if (kind === "contract") {
    const [c] = await tx.execute<{ opd_id: string; region: string | null }[]>(
      `select p.opd_id, (select l.region_code from proc_package_location l where l.package_id = p.id order by l.region_code limit 1) as region
         from contract c join proc_package p on p.id = c.package_id where c.tenant_code = ? and c.id = ?`,
      [tenant, id],
    );
    if (!c) throw new DomainError("pengaduan.targetNotFound", {}, "invalid", "target");
    return { kind, id, opdId: c.opd_id, regionCode: c.region };
  }
  if (kind === "sub_activity") {
    const [s] = await tx.execute<{ opd_id: string }[]>("select opd_id from sub_activity where tenant_code = ? and id = ?", [tenant, id]);
    if (!s) throw new DomainError("pengaduan.targetNotFound", {}, "invalid", "target");
    return { kind, id, opdId: s.opd_id, regionCode: null };
  }
  const [p] = await tx.execute<{ target_opd_id: string; status: string; desa_code: string }[]>(
    "select target_opd_id, status, desa_code from proposal where tenant_code = ? and id = ?",
    [tenant, id],
  );
  if (!p) throw new DomainError("pengaduan.targetNotFound", {}, "invalid", "target");
  return { kind, id, opdId: OPD_HELD.includes(p.status) ? p.target_opd_id : await bappeda(tx, tenant), regionCode: p.desa_code };
}
