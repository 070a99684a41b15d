import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError, Problems } from "../kernel/domain-error";
import { D, Money } from "../kernel/money";
import { Percentage } from "../kernel/percentage";
import { wibDate } from "../kernel/rupiah-text";
import { PHOTO_MAX_BYTES, PHOTO_TYPES, type ProcessedPhoto } from "../musrenbang";
import { terminateContract } from "../procurement";
import { evaluateCritical } from "./critical";
import { emitImplementation } from "./publish";
import { readExif, sniffImageType } from "./exif";
import { FAR_FROM_SITE_METRES, haversineMetres } from "./geo";
import { PERIOD_KINDS, PHOTO_MILESTONES, type PhotoMilestone } from "./vocabulary";
export { PHOTO_MILESTONES, type PhotoMilestone };
import { deviation, periodsOf, plannedAt, weightedProgress, weightsByValue, type PeriodKind } from "./kurva-s";
import { criticalMachine, reportMachine, type CriticalAction, type CriticalStatus, type ReportStatus } from "./machines";
import { assertContractorOf, assertPpkOf, assertRunning, assertVerifierOf, loadMonevContract, type MonevContract } from "./support";

/** Photos per report. */
export const REPORT_PHOTO_MAX = 10;
/** The shortest correction reason, return note, minutes or termination reason accepted. */
const MIN_TEXT = 10;

export interface ScheduleInput {
  /** Empty: weekly for construction, monthly otherwise. */
  periodKind?: PeriodKind | "";
  /** The site (decimal degrees). Empty: the average of the Musrenbang proposals behind the package, if any. */
  siteLat?: string | null;
  siteLng?: string | null;
  /** Metres beyond which a photo is flagged as far from the site (default 500). */
  farThresholdM?: number | string | null;
  /** Masa pemeliharaan between PHO and FHO, in days (default 180). */
  maintenanceDays?: number | string | null;
  items: { division?: string; name: string; value: string; plannedStart: number | string; plannedEnd: number | string }[];
}

const intIn = (p: Problems, field: string, raw: unknown, min: number, max: number, fallback: number): number => {
  const t = String(raw ?? "").trim();
  if (t === "") return fallback;
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < min || n > max) {
    p.add(field, "monev.integerRange", { min, max });
    return fallback;
  }
  return n;
};

/**
 * The PPK sets the contract schedule (the basis of the kurva S): its work items per division with their
 * value — adding up to the contract value, weighted by value to exactly 100 — and the periods each is
 * planned in; the reporting period (weekly for construction by default), the site and the photo distance
 * threshold. Allowed until the first report is submitted (drafts are then discarded); `expectedVersion` is
 * the plan's version (0 when none is set yet).
 */
export async function setSchedule(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: ScheduleInput, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const m = await loadMonevContract(tx, actor.tenant, contractId, true);
    assertPpkOf(actor, m);
    assertRunning(m.contract);
    if ((m.plan?.version ?? 0) !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const [{ n }] = await tx.execute<{ n: number }[]>("select count(*)::int as n from progress_report where contract_id = ? and status <> 'draft'", [m.contract.id]);
    if (n > 0) throw new DomainError("monev.schedule.locked");
    const p = new Problems();
    // Weekly for construction, monthly otherwise, unless the PPK chooses.
    const kind = (String(input.periodKind ?? "").trim() || (m.pkg.kind === "konstruksi" ? "weekly" : "monthly")) as PeriodKind;
    if (!PERIOD_KINDS.includes(kind)) p.add("periodKind", "monev.schedule.periodKind");
    const periods = PERIOD_KINDS.includes(kind) ? periodsOf(kind, m.contract.start_date!, m.contract.end_date!).length : 0;
    const items = (input.items ?? []).filter((i) => String(i.name ?? "").trim() || String(i.value ?? "").trim());
    if (items.length === 0) p.add("items", "monev.schedule.noItems");
    const values = items.map((it, i) => {
      if (String(it.name ?? "").trim().length < 3) p.add(`items.${i}.name`, "monev.schedule.itemName");
      const v = p.check(`items.${i}.value`, () => Money.idr(String(it.value ?? "").trim()));
      if (v && !v.exceeds(Money.zero)) p.add(`items.${i}.value`, "monev.schedule.itemValue");
      const s = intIn(p, `items.${i}.plannedStart`, it.plannedStart, 1, Math.max(periods, 1), 0);
      const e = intIn(p, `items.${i}.plannedEnd`, it.plannedEnd, 1, Math.max(periods, 1), 0);
      if (s && e && e < s) p.add(`items.${i}.plannedEnd`, "monev.schedule.endBeforeStart");
      return v;
    });
    if (values.length && values.every((v) => v && v.exceeds(Money.zero)) && !Money.sum(values as Money[]).equals(Money.idr(m.contract.value)))
      p.add("items", "monev.schedule.sumNotValue", { sum: Money.sum(values as Money[]).toString(), value: m.contract.value });
    const far = intIn(p, "farThresholdM", input.farThresholdM, 10, 100000, FAR_FROM_SITE_METRES);
    const maintenance = intIn(p, "maintenanceDays", input.maintenanceDays, 0, 1825, 180);
    let lat = String(input.siteLat ?? "").trim().replace(",", ".");
    let lng = String(input.siteLng ?? "").trim().replace(",", ".");
    if (lat || lng) {
      if (!/^-?\d{1,2}(\.\d{1,8})?$/.test(lat) || new D(lat).lt(-11.5) || new D(lat).gt(6.5)) p.add("siteLat", "monev.schedule.siteLat");
      if (!/^\d{2,3}(\.\d{1,8})?$/.test(lng) || new D(lng).lt(94.5) || new D(lng).gt(141.5)) p.add("siteLng", "monev.schedule.siteLng");
    }
    p.throwIfAny();
    if (!lat) {
      // The site of the proposals the package took up (their points, averaged), when the PPK gives none.
      const [avg] = await tx.execute<{ lat: string | null; lng: string | null }[]>(
        `select avg(pr.lat)::numeric(9,6)::text as lat, avg(pr.lng)::numeric(9,6)::text as lng from proc_package_budget pb
           join budget_line b on b.line_key = pb.line_key join sub_activity_proposal x on x.sub_activity_id = b.sub_activity_id
           join proposal pr on pr.id = x.proposal_id where pb.package_id = ? and pr.lat is not null`,
        [m.pkg.id],
      );
      lat = avg?.lat ?? "";
      lng = avg?.lng ?? "";
    } else {
      lat = new D(lat).toDecimalPlaces(6).toString();
      lng = new D(lng).toDecimalPlaces(6).toString();
    }
    const weights = weightsByValue(values as Money[]);
    const now = clock.now();
    if (m.plan)
      await tx.execute(
        "update monev_plan set period_kind = ?, site_lat = ?, site_lng = ?, far_threshold_m = ?, maintenance_days = ?, version = version + 1, updated_at = ?, updated_by = ? where contract_id = ?",
        [kind, lat || null, lng || null, far, maintenance, now, actor.displayName, m.contract.id],
      );
    else
      await tx.execute(
        "insert into monev_plan (contract_id, tenant_code, period_kind, site_lat, site_lng, far_threshold_m, maintenance_days, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [m.contract.id, actor.tenant, kind, lat || null, lng || null, far, maintenance, now, actor.displayName],
      );
    await tx.execute("delete from progress_report_item where report_id in (select id from progress_report where contract_id = ?)", [m.contract.id]);
    await tx.execute("delete from progress_photo where report_id in (select id from progress_report where contract_id = ?)", [m.contract.id]);
    await tx.execute("delete from progress_report where contract_id = ?", [m.contract.id]);
    await tx.execute("delete from monev_work_item where contract_id = ?", [m.contract.id]);
    for (const [i, it] of items.entries())
      await tx.execute(
        "insert into monev_work_item (id, contract_id, no, division, name, value, weight, planned_start, planned_end) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [crypto.randomUUID(), m.contract.id, i + 1, String(it.division ?? "").trim().slice(0, 200), String(it.name).trim().slice(0, 300), values[i]!.toString(), weights[i].toFixed(2), Number(it.plannedStart), Number(it.plannedEnd)],
      );
    record({
      type: "ContractScheduleSet",
      entityType: "Contract",
      entityId: m.contract.id,
      after: { periodKind: kind, periods, items: items.length, weights: weights.map((w) => w.toFixed(2)), site: lat ? [lat, lng] : null, farThresholdM: far, maintenanceDays: maintenance },
    });
  });
}

/** A photo processed at the edge (imports/media: sniffed, checksummed, thumbnailed) with its tag. */
export interface ReportPhoto extends ProcessedPhoto {
  milestone: PhotoMilestone;
}

export interface ReportInput {
  periodNo: number | string;
  /** Cumulative physical progress per work item (by item number), percent with up to two decimals. */
  items: { no: number | string; physical: string }[];
  problems?: string;
  actions?: string;
  /** Required when the cumulative progress is lower than the previous report's. */
  correctionReason?: string;
  photos?: ReportPhoto[];
  /** true: submit for verification; false: keep as a draft. */
  submit: boolean;
}

interface ReportRow {
  id: string;
  contract_id: string;
  period_no: number;
  period_end: string;
  physical: string;
  planned: string;
  status: ReportStatus;
  version: number;
}

async function loadReport(tx: EntityManager, tenant: string, id: string, lock = false): Promise<ReportRow> {
  if (!isUuid(id)) throw new DomainError("monev.report.notFound", {}, "notFound");
  const [r] = await tx.execute<ReportRow[]>(
    `select id, contract_id, period_no::int as period_no, to_char(period_end, 'YYYY-MM-DD') as period_end, physical::text as physical, planned::text as planned, status, version
       from progress_report where tenant_code = ? and id = ?${lock ? " for update" : ""}`,
    [tenant, id],
  );
  if (!r) throw new DomainError("monev.report.notFound", {}, "notFound");
  return r;
}

/**
 * The contractor of the contract reports the progress of a period: the cumulative physical progress of each
 * work item (the overall figure is weighted by value), problems and actions taken, and photos — whose EXIF
 * position and capture time are read and flagged when far from the site or taken before the contract
 * started. Cumulative progress never goes down, overall or per item, unless the report gives a correction
 * reason (it then links the report it corrects). Saved as a draft or submitted; a returned report is
 * corrected and submitted again (`expectedVersion` is then its version). Returns the report's id.
 */
export async function submitReport(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: ReportInput, expectedVersion?: number): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const m = await loadMonevContract(tx, actor.tenant, contractId, true);
    await assertContractorOf(tx, actor, m.contract);
    assertRunning(m.contract);
    if (!m.plan || m.items.length === 0) throw new DomainError("monev.schedule.missing");
    const p = new Problems();
    const periodNo = intIn(p, "periodNo", input.periodNo, 1, m.periods.length, 0);
    const today = wibDate(clock.now());
    const period = m.periods[periodNo - 1];
    if (period && period.start > today) p.add("periodNo", "monev.report.periodNotStarted", { start: period.start });
    const given = new Map<number, string>();
    for (const it of input.items ?? []) given.set(Number(it.no), String(it.physical ?? "").trim());
    const physicals = m.items.map((it) => {
      const raw = given.get(it.no);
      if (raw === undefined || raw === "") {
        p.add(`items.${it.no}`, "monev.report.itemMissing", { item: it.name });
        return null;
      }
      return p.check(`items.${it.no}`, () => Percentage.of(raw))?.value ?? null;
    });
    const problems = String(input.problems ?? "").trim().slice(0, 4000);
    const actions = String(input.actions ?? "").trim().slice(0, 4000);
    const photos = input.photos ?? [];
    for (const ph of photos) if (!PHOTO_MILESTONES.includes(ph.milestone)) p.add("photos", "monev.photo.milestone", { name: ph.filename });
    p.throwIfAny();

    // The report of this period (to edit while a draft or returned), and the one before it.
    const [existing] = await tx.execute<ReportRow[]>(
      `select id, contract_id, period_no::int as period_no, to_char(period_end, 'YYYY-MM-DD') as period_end, physical::text as physical, planned::text as planned, status, version
         from progress_report where contract_id = ? and period_no = ? for update`,
      [m.contract.id, periodNo],
    );
    const from: ReportStatus = existing?.status ?? "draft";
    const { to, event } = reportMachine.fire(from, input.submit ? "submit" : "save", actor, { noNote: null });
    if (existing && existing.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const [later] = await tx.execute<{ period_no: number }[]>("select period_no::int as period_no from progress_report where contract_id = ? and period_no > ? and status <> 'draft' limit 1", [m.contract.id, periodNo]);
    if (later) throw new DomainError("monev.report.laterExists", { period: later.period_no }, "invalid", "periodNo");
    const [returned] = await tx.execute<{ period_no: number }[]>("select period_no::int as period_no from progress_report where contract_id = ? and period_no < ? and status = 'returned' limit 1", [m.contract.id, periodNo]);
    if (returned) throw new DomainError("monev.report.earlierReturned", { period: returned.period_no }, "invalid", "periodNo");
    const [prev] = await tx.execute<{ id: string; period_no: number; physical: string }[]>(
      "select id, period_no::int as period_no, physical::text as physical from progress_report where contract_id = ? and period_no < ? and status <> 'draft' order by period_no desc limit 1",
      [m.contract.id, periodNo],
    );
    const prevItems = prev
      ? new Map((await tx.execute<{ item_id: string; physical: string }[]>("select item_id, physical::text as physical from progress_report_item where report_id = ?", [prev.id])).map((r) => [r.item_id, r.physical]))
      : new Map<string, string>();
    const actual = weightedProgress(m.items.map((it, i) => ({ weight: it.weight, physical: physicals[i]! })));
    const lower = m.items.filter((it, i) => prevItems.has(it.id) && physicals[i]!.lt(prevItems.get(it.id)!)).map((it) => it.name);
    const goesDown = !!prev && (actual.lt(prev.physical) || lower.length > 0);
    const reason = String(input.correctionReason ?? "").trim().slice(0, 2000);
    if (goesDown && reason.length < MIN_TEXT)
      throw new DomainError("monev.report.cumulativeDecrease", { previous: prev!.physical, actual: actual.toFixed(2), items: lower.join(", ") || "-" }, "invalid", "correctionReason");
    const planned = plannedAt(m.curve, periodNo);
    const dev = deviation(actual, planned);
    const now = clock.now();
    const id = existing?.id ?? crypto.randomUUID();
    const values = [actual.toFixed(2), planned.toFixed(2), dev.toFixed(2), problems, actions, to, goesDown ? prev!.id : null, goesDown ? reason : ""];
    if (existing)
      await tx.execute(
        `update progress_report set physical = ?, planned = ?, deviation = ?, problems = ?, actions = ?, status = ?, corrects_id = ?, correction_reason = ?,
                submitted_at = ?, submitted_by = ?, version = version + 1, updated_at = ? where id = ?`,
        [...values, input.submit ? now : null, input.submit ? actor.displayName : null, now, id],
      );
    else
      await tx.execute(
        `insert into progress_report (id, tenant_code, contract_id, period_no, period_start, period_end, physical, planned, deviation, problems, actions, status, corrects_id, correction_reason,
                submitted_at, submitted_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, actor.tenant, m.contract.id, periodNo, period.start, period.end, ...values, input.submit ? now : null, input.submit ? actor.displayName : null, now, now],
      );
    await tx.execute("delete from progress_report_item where report_id = ?", [id]);
    for (const [i, it] of m.items.entries()) await tx.execute("insert into progress_report_item (report_id, item_id, physical) values (?, ?, ?)", [id, it.id, physicals[i]!.toFixed(2)]);
    const added = await attachPhotos(tx, actor, m, id, photos, now);
    record({
      type: event,
      entityType: "ProgressReport",
      entityId: id,
      after: { contract: m.contract.id, period: periodNo, physical: actual.toFixed(2), planned: planned.toFixed(2), deviation: dev.toFixed(2), corrects: goesDown ? prev!.id : null, correctionReason: goesDown ? reason : undefined, photos: added },
    });
    return id;
  });
}

/** Stores a report's photos with their EXIF position and capture time and the two flags. */
async function attachPhotos(tx: EntityManager, actor: Actor, m: MonevContract, reportId: string, photos: ReportPhoto[], now: Date) {
  const existing = await tx.execute<{ sha256: string }[]>("select sha256 from progress_photo where report_id = ?", [reportId]);
  if (existing.length + photos.length > REPORT_PHOTO_MAX) throw new DomainError("monev.photo.tooMany", { max: REPORT_PHOTO_MAX, have: existing.length }, "invalid", "photos");
  const seen = new Set(existing.map((e) => e.sha256));
  const site = m.plan?.site_lat && m.plan.site_lng ? { lat: Number(m.plan.site_lat), lng: Number(m.plan.site_lng) } : null;
  // The contract starts at 00:00 WIB of its start date.
  const startsAt = new Date(`${m.contract.start_date}T00:00:00+07:00`);
  const out: { id: string; sha256: string; lat: number | null; lng: number | null; takenAt: string | null; distanceM: number | null; farFromSite: boolean; beforeStart: boolean }[] = [];
  for (const ph of photos) {
    // Never trust the edge alone: the bytes must be the image type claimed, within the size limit.
    if (ph.data.length > PHOTO_MAX_BYTES || ph.size > PHOTO_MAX_BYTES) throw new DomainError("musrenbang.photo.tooLarge", { name: ph.filename, maxMb: 5 }, "invalid", "photos");
    if (!PHOTO_TYPES.includes(ph.contentType) || sniffImageType(ph.data) !== ph.contentType) throw new DomainError("musrenbang.photo.type", { name: ph.filename }, "invalid", "photos");
    const sha = createHash("sha256").update(ph.data).digest("hex");
    if (seen.has(sha)) throw new DomainError("musrenbang.photo.duplicate", { name: ph.filename }, "invalid", "photos");
    seen.add(sha);
    const exif = readExif(ph.data);
    const point = exif.lat !== null && exif.lng !== null ? { lat: exif.lat, lng: exif.lng } : null;
    const distance = site && point ? Math.round(haversineMetres(site, point)) : null;
    const far = distance !== null && distance > (m.plan?.far_threshold_m ?? FAR_FROM_SITE_METRES);
    const before = exif.takenAt !== null && exif.takenAt < startsAt;
    const id = crypto.randomUUID();
    await tx.execute(
      `insert into progress_photo (id, tenant_code, report_id, milestone, filename, content_type, size, sha256, width, height, data, thumb, lat, lng, taken_at, distance_m, far_from_site, before_start, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, actor.tenant, reportId, ph.milestone, ph.filename.slice(0, 200), ph.contentType, ph.data.length, sha, ph.width, ph.height, ph.data, ph.thumb, point?.lat ?? null, point?.lng ?? null, exif.takenAt, distance, far, before, now],
    );
    out.push({ id, sha256: sha, lat: point?.lat ?? null, lng: point?.lng ?? null, takenAt: exif.takenAt?.toISOString() ?? null, distanceM: distance, farFromSite: far, beforeStart: before });
  }
  return out;
}

/** The critical verdict of a report on its contract (LKPP 12/2021). */
function verdictOf(m: MonevContract, r: { physical: string; planned: string; period_end: string }) {
  return evaluateCritical({ planned: r.planned, actual: r.physical, start: m.contract.start_date!, asOf: r.period_end, fiscalYear: m.pkg.fiscal_year });
}

/**
 * The PPK of the contract's OPD, or the supervising consultant assigned to the contract (never the
 * contractor itself), verifies a submitted report; the report keeps in what capacity (verified_as). The
 * contract is then judged by the LKPP 12/2021 rule on this report: a critical contract without an open
 * case gets one (status "critical"); an open case whose contract is no longer critical is resolved. Emits
 * ProgressVerified (→ OCDS implementation: the verified reports as milestones).
 */
export async function verifyReport(em: EntityManager, actor: Actor, clock: Clock, reportId: string, expectedVersion: number): Promise<{ critical: boolean; caseId: string | null }> {
  return transact(em, actor, clock, async (tx, record) => {
    const r = await loadReport(tx, actor.tenant, reportId, true);
    const m = await loadMonevContract(tx, actor.tenant, r.contract_id, true);
    const as = await assertVerifierOf(tx, actor, m);
    if (r.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const { to, event } = reportMachine.fire(r.status, "verify", actor, { noNote: null });
    const now = clock.now();
    await tx.execute("update progress_report set status = ?, verified_at = ?, verified_by = ?, verified_as = ?, note = '', version = version + 1, updated_at = ? where id = ?", [
      to,
      now,
      actor.displayName,
      as,
      now,
      r.id,
    ]);
    record({ type: event, entityType: "ProgressReport", entityId: r.id, before: { status: r.status }, after: { status: to, contract: m.contract.id, period: r.period_no, verifiedAs: as } });
    // → OCDS: the contract's implementation with this report as a milestone.
    await emitImplementation(tx, record, {
      tenant: actor.tenant,
      packageId: m.pkg.id,
      contractId: m.contract.id,
      type: "ProgressVerified",
      at: now,
      entityType: "ProgressReport",
      entityId: r.id,
      details: { report: r.id, period: r.period_no, physical: r.physical, planned: r.planned },
    });
    const v = verdictOf(m, r);
    const [open] = await tx.execute<{ id: string; status: CriticalStatus }[]>("select id, status from critical_case where contract_id = ? and status not in ('terminated','resolved') for update", [m.contract.id]);
    if (v.critical && !open && m.contract.status === "signed") {
      const id = crypto.randomUUID();
      await tx.execute(
        "insert into critical_case (id, tenant_code, contract_id, report_id, opened_at, reason, planned, physical, status) values (?, ?, ?, ?, ?, ?, ?, ?, 'critical')",
        [id, actor.tenant, m.contract.id, r.id, now, v.reason, r.planned, r.physical],
      );
      record({ type: "ContractBecameCritical", entityType: "Contract", entityId: m.contract.id, after: { case: id, reason: v.reason, planned: r.planned, physical: r.physical, behind: v.behind.toFixed(2), projectedFinish: v.projectedFinish } });
      return { critical: true, caseId: id };
    }
    if (!v.critical && open) {
      const step = criticalMachine.fire(open.status, "resolve", actor, { noMinutes: null, noLetter: null, noReason: null, stillCritical: null });
      await addStep(tx, actor, open.id, "resolve", open.status, step.to, wibDate(now), { minutes: `Laporan periode ${r.period_no} terverifikasi: realisasi ${r.physical}% terhadap rencana ${r.planned}%.` }, now);
      await tx.execute("update critical_case set status = ?, closed_at = ?, version = version + 1 where id = ?", [step.to, now, open.id]);
      record({ type: step.event, entityType: "CriticalCase", entityId: open.id, before: { status: open.status }, after: { status: step.to, report: r.id } });
    }
    return { critical: v.critical, caseId: open?.id ?? null };
  });
}

/** The PPK, or the supervising consultant assigned to the contract, returns a submitted report to the contractor with a note saying what to fix. */
export async function returnReport(em: EntityManager, actor: Actor, clock: Clock, reportId: string, note: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const r = await loadReport(tx, actor.tenant, reportId, true);
    const m = await loadMonevContract(tx, actor.tenant, r.contract_id);
    const as = await assertVerifierOf(tx, actor, m);
    if (r.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const text = String(note ?? "").trim().slice(0, 2000);
    const { to, event } = reportMachine.fire(r.status, "return", actor, { noNote: text.length < MIN_TEXT ? "monev.report.noteRequired" : null });
    await tx.execute("update progress_report set status = ?, note = ?, version = version + 1, updated_at = ? where id = ?", [to, text, clock.now(), r.id]);
    record({ type: event, entityType: "ProgressReport", entityId: r.id, before: { status: r.status }, after: { status: to, note: text, returnedAs: as } });
  });
}

async function addStep(
  tx: EntityManager,
  actor: Actor,
  caseId: string,
  action: CriticalAction,
  from: CriticalStatus,
  to: CriticalStatus,
  onDate: string,
  x: { minutes?: string; deadline?: string | null; letterNumber?: string },
  now: Date,
) {
  const [{ no }] = await tx.execute<{ no: number }[]>("select coalesce(max(no), 0)::int + 1 as no from critical_step where case_id = ?", [caseId]);
  await tx.execute(
    "insert into critical_step (case_id, no, action, from_status, to_status, on_date, minutes, deadline, letter_number, recorded_at, recorded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [caseId, no, action, from, to, onDate, x.minutes ?? "", x.deadline ?? null, x.letterNumber ?? "", now, actor.displayName],
  );
  return no;
}

export interface CriticalStepInput {
  /** The day of the meeting, letter or decision (YYYY-MM-DD). */
  onDate: string;
  /** holdScm: the minutes; terminate: the reason; resolve: the grounds. */
  minutes?: string;
  /** holdScm / issueWarning: the deadline (test period) set. */
  deadline?: string;
  /** issueWarning: the letter's number. */
  letterNumber?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One step in the handling of a critical contract, by the PPK of its OPD: a show-cause meeting (SCM I–III,
 * with minutes and a deadline), a warning letter (number and deadline), the termination of the contract
 * (with its reason; the contract is terminated in the same transaction — ContractTerminated), or the
 * resolution once the latest verified report is no longer critical.
 */
export async function recordCriticalStep(em: EntityManager, actor: Actor, clock: Clock, caseId: string, action: CriticalAction, input: CriticalStepInput, expectedVersion: number): Promise<CriticalStatus> {
  return transact(em, actor, clock, async (tx, record) => {
    if (!isUuid(caseId)) throw new DomainError("monev.critical.notFound", {}, "notFound");
    const [c] = await tx.execute<{ id: string; contract_id: string; status: CriticalStatus; version: number }[]>(
      "select id, contract_id, status, version from critical_case where tenant_code = ? and id = ? for update",
      [actor.tenant, caseId],
    );
    if (!c) throw new DomainError("monev.critical.notFound", {}, "notFound");
    const m = await loadMonevContract(tx, actor.tenant, c.contract_id, true);
    assertPpkOf(actor, m);
    if (c.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const onDate = String(input.onDate ?? "").trim();
    if (!DATE.test(onDate)) throw new DomainError("procure.dateFormat", {}, "invalid", "onDate");
    const minutes = String(input.minutes ?? "").trim().slice(0, 8000);
    const deadline = String(input.deadline ?? "").trim();
    const letter = String(input.letterNumber ?? "").trim().slice(0, 200);
    const badDeadline = !DATE.test(deadline) || deadline < onDate;
    const [latest] = await tx.execute<{ physical: string; planned: string; period_end: string }[]>(
      "select physical::text as physical, planned::text as planned, to_char(period_end, 'YYYY-MM-DD') as period_end from progress_report where contract_id = ? and status = 'verified' order by period_no desc limit 1",
      [m.contract.id],
    );
    const ctx = {
      noMinutes: minutes.length < MIN_TEXT ? "monev.critical.minutesRequired" : badDeadline ? "monev.critical.deadlineRequired" : null,
      noLetter: letter.length < 3 ? "monev.critical.letterRequired" : badDeadline ? "monev.critical.deadlineRequired" : null,
      noReason: minutes.length < MIN_TEXT ? "procure.reasonRequired" : null,
      stillCritical: !latest || verdictOf(m, latest).critical ? "monev.critical.stillCritical" : null,
    };
    const { to, event } = criticalMachine.fire(c.status, action, actor, ctx);
    const now = clock.now();
    const no = await addStep(tx, actor, c.id, action, c.status, to, onDate, { minutes, deadline: action === "holdScm" || action === "issueWarning" ? deadline : null, letterNumber: letter }, now);
    const closed = to === "terminated" || to === "resolved";
    await tx.execute(`update critical_case set status = ?, ${closed ? "closed_at = ?, " : ""}version = version + 1 where id = ?`, closed ? [to, now, c.id] : [to, c.id]);
    record({ type: event, entityType: "CriticalCase", entityId: c.id, before: { status: c.status }, after: { status: to, step: no, onDate, deadline: deadline || null, letterNumber: letter || null } });
    if (to === "terminated") {
      // The contract itself: the same use case as a termination from the package page (nested: one transaction).
      await terminateContract(tx, actor, clock, m.contract.id, minutes, m.contract.version);
    }
    return to;
  });
}
