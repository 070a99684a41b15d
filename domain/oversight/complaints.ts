import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { DomainError, Problems } from "../kernel/domain-error";
import type { ProcessedPhoto } from "../musrenbang/photos";
import { PHOTO_TYPES } from "../musrenbang/vocabulary";
import { complaintMachine, OPEN_STATUSES, REPORTER, type ComplaintAction, type ComplaintStatus } from "./complaint-machine";
import {
  ANSWER_MAX,
  CONTACT_MAX,
  IDENTITY_MODES,
  NAME_MAX,
  NOTE_MAX,
  PHOTO_MAX,
  PHOTO_MAX_BYTES,
  TARGET_KINDS,
  TEXT_MAX,
  TEXT_MIN,
  dailyLimits,
  moderationFlags,
  newTicket,
  normalizeTicket,
  ticketHash,
  type HeldReason,
  type IdentityMode,
  type TargetKind,
} from "./rules";
import { appendHistory, category, dueDay, holidays, loadComplaint, reporterActor, resolveTarget, REPORTER_LABEL, SYSTEM_LABEL, type ComplaintRow } from "./support";
import { wibDay, workingDaysBetween } from "./working-days";

export interface SubmitComplaint {
  targetKind: string;
  targetId?: string | null;
  lat?: string | null;
  lng?: string | null;
  regionCode?: string | null;
  category: string;
  text: string;
  identity: string;
  name?: string | null;
  contact?: string | null;
  photos?: ProcessedPhoto[];
  /** Where it came from, for the rate limit (hashed before storing; never in the audit trail). */
  sources: string[];
}

export interface Submitted {
  id: string;
  number: string;
  /** The reporter's key: shown once, stored only as a hash. */
  ticket: string;
  status: ComplaintStatus;
  slaDueOn: string;
}

/** Refuses more photos than a report takes, before the edge decodes any of them. */
export function assertPhotoCount(n: number): void {
  if (n > PHOTO_MAX) throw new DomainError("pengaduan.photoTooMany", { max: PHOTO_MAX }, "invalid", "photos");
}

const COORD = /^-?\d{1,3}(\.\d{1,8})?$/;

function coordinate(p: Problems, field: "lat" | "lng", raw: string | null | undefined, required: boolean): string | null {
  const s = String(raw ?? "").trim();
  if (!s) {
    if (required) p.add(field, "pengaduan.locationRequired");
    return null;
  }
  const [min, max] = field === "lat" ? [-11.5, 6.5] : [94.5, 141.5];
  if (!COORD.test(s) || Number(s) < min || Number(s) > max) {
    p.add(field, "pengaduan.locationOutside");
    return null;
  }
  return Number(s).toFixed(6);
}

/**
 * Counts one more report from each source today (WIB) and weighs the counts against each source's limits
 * (a browser's, or a client address's: see dailyLimits). Refuses past a hard limit, naming the device or
 * the address; returns whether a soft limit is passed (the report then waits for moderation).
 */
async function countSubmission(tx: EntityManager, tenant: string, sources: string[], day: string): Promise<{ throttled: boolean }> {
  let throttled = false;
  for (const source of [...new Set(sources)].sort()) {
    const [r] = await tx.execute<{ count: number }[]>(
      `insert into complaint_rate (tenant_code, source, day, count) values (?, ?, ?::date, 1)
       on conflict (tenant_code, source, day) do update set count = complaint_rate.count + 1 returning count`,
      [tenant, source, day],
    );
    const { soft, hard } = dailyLimits(source);
    if (Number(r.count) > hard) throw new DomainError(source.startsWith("ip:") ? "pengaduan.rateLimitedAddress" : "pengaduan.rateLimited", { max: hard }, "conflict");
    if (Number(r.count) > soft) throttled = true;
  }
  return { throttled };
}

/**
 * A citizen reports a problem with a contract, a proposal, a sub-activity or a point on the map. Anyone may,
 * signed in or not, named, anonymous or with their identity kept confidential. The report is routed to
 * the responsible OPD (see resolveTarget) and gets its SLA from its category, in working days. A report
 * with a link or a banned word, or from a source past its daily soft limit, waits in the moderation queue
 * and is not public; past the hard limit it is refused.
 *
 * Privacy: an anonymous report stores no name, contact or account; the audit trail of an anonymous or
 * confidential report records "anonim", never the account; the rate limit stores hashed sources.
 * Emits ComplaintSubmitted.
 */
export async function submitComplaint(em: EntityManager, actor: Actor, clock: Clock, input: SubmitComplaint): Promise<Submitted> {
  const p = new Problems();
  const kind = String(input.targetKind ?? "") as TargetKind;
  if (!TARGET_KINDS.includes(kind)) p.add("target", "pengaduan.targetNotFound");
  const identity = String(input.identity ?? "") as IdentityMode;
  if (!IDENTITY_MODES.includes(identity)) p.add("identity", "pengaduan.identityRequired");
  const text = String(input.text ?? "").trim();
  if (text.length < TEXT_MIN) p.add("text", "pengaduan.textTooShort", { min: TEXT_MIN });
  if (text.length > TEXT_MAX) p.add("text", "pengaduan.textTooLong", { max: TEXT_MAX });
  const name = identity === "anonymous" ? "" : String(input.name ?? "").trim();
  const contact = identity === "anonymous" ? "" : String(input.contact ?? "").trim();
  if (identity !== "anonymous" && name.length < 2) p.add("name", "pengaduan.nameRequired");
  if (name.length > NAME_MAX) p.add("name", "pengaduan.nameTooLong", { max: NAME_MAX });
  if (contact.length > CONTACT_MAX) p.add("contact", "pengaduan.contactTooLong", { max: CONTACT_MAX });
  const lat = coordinate(p, "lat", input.lat, kind === "point");
  const lng = coordinate(p, "lng", input.lng, kind === "point");
  const photos = input.photos ?? [];
  if (photos.length > PHOTO_MAX) p.add("photos", "pengaduan.photoTooMany", { max: PHOTO_MAX });
  const seen = new Set<string>();
  for (const ph of photos) {
    if (ph.size > PHOTO_MAX_BYTES) p.add("photos", "pengaduan.photoTooLarge", { name: ph.filename, maxMb: PHOTO_MAX_BYTES / 1024 / 1024 });
    else if (!PHOTO_TYPES.includes(ph.contentType)) p.add("photos", "pengaduan.photoType", { name: ph.filename });
    else if (seen.has(ph.sha256)) p.add("photos", "pengaduan.photoDuplicate", { name: ph.filename });
    seen.add(ph.sha256);
  }
  const tenant = actor.tenant;
  const cat = await category(em, tenant, String(input.category ?? ""));
  if (!cat) p.add("category", "pengaduan.categoryUnknown");
  p.throwIfAny();
  if (input.sources.length === 0) throw new Error("submitComplaint needs at least one source for the rate limit");

  // The audit trail names the account only when the reporter chose to be named.
  const auditActor = identity === "named" && actor.isAuthenticated ? actor : Actor.anonymous(tenant);
  return transact(em, auditActor, clock, async (tx, record) => {
    const now = clock.now();
    const today = wibDay(now);
    const target = await resolveTarget(tx, tenant, kind, input.targetId, input.regionCode);
    const { throttled } = await countSubmission(tx, tenant, input.sources, today);
    const held: HeldReason[] = moderationFlags(`${text}\n${name}`);
    if (throttled) held.push("throttled");
    const status: ComplaintStatus = held.length ? "held" : "received";
    const due = await dueDay(tx, tenant, today, cat!.slaDays);
    const id = crypto.randomUUID();
    const ticket = newTicket();
    const [{ n }] = await tx.execute<{ n: string }[]>("select nextval('complaint_number_seq')::text as n");
    const number = `ADU-${today.slice(0, 4)}-${n.padStart(6, "0")}`;
    await tx.execute(
      `insert into complaint (id, tenant_code, number, ticket_hash, target_kind, target_id, category, text, lat, lng, region_code, identity_mode, opd_id,
                              status, held_reasons, sla_started_on, sla_due_on, sla_days, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::date, ?::date, ?, ?, ?)`,
      [id, tenant, number, ticketHash(ticket), target.kind, target.id, cat!.code, text, lat, lng, target.regionCode, identity, target.opdId, status, `{${held.join(",")}}`, today, due, cat!.slaDays, now, now],
    );
    if (identity !== "anonymous")
      await tx.execute("insert into complaint_reporter (complaint_id, tenant_code, name, contact, user_id) values (?, ?, ?, ?, ?)", [id, tenant, name, contact, actor.userId]);
    for (const [i, ph] of photos.entries())
      await tx.execute(
        `insert into complaint_photo (id, tenant_code, complaint_id, no, filename, content_type, size, sha256, width, height, data, thumb, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [crypto.randomUUID(), tenant, id, i + 1, ph.filename.slice(0, 200), ph.contentType, ph.size, ph.sha256, ph.width, ph.height, ph.data, ph.thumb, now],
      );
    await appendHistory(tx, { id, tenant_code: tenant }, { at: now, action: "submit", from: null, to: status, by: REPORTER_LABEL, internalNote: held.length ? `moderasi: ${held.join(", ")}` : "" });
    record({
      type: "ComplaintSubmitted",
      entityType: "Complaint",
      entityId: id,
      after: { number, targetKind: target.kind, targetId: target.id, category: cat!.code, status, identity, photos: photos.length, held, slaDueOn: due },
    });
    return { id, number, ticket, status, slaDueOn: due };
  });
}

export interface OfficerInput {
  expectedVersion: number;
  /** Rejection, discard or reopen reason (public, except a discard's). */
  reason?: string;
  /** The OPD's answer (public). */
  answer?: string;
  /** Forward: the OPD's code. */
  opdCode?: string;
  /** Verify: a corrected category (the SLA is recomputed from the day received). */
  category?: string;
  /** A note for officers only. */
  note?: string;
}

function limited(p: Problems, field: string, text: string | undefined, max: number): string {
  const s = String(text ?? "").trim();
  if (s.length > max) p.add(field, "pengaduan.textTooLong", { max });
  return s;
}

const TRIAGE: readonly ComplaintAction[] = ["release", "discard", "verify", "reject", "forward", "close"];

/**
 * An officer acts on a report. The monev officer (tenant-wide) releases or discards held reports,
 * verifies or rejects received ones, forwards them to an OPD and closes answered ones; an OPD officer of
 * the OPD the report was forwarded to — and only of that OPD — takes it up and answers it. Emits the
 * machine's event (ComplaintVerified, ComplaintForwarded, ComplaintAnswered, …).
 */
export async function actOnComplaint(em: EntityManager, actor: Actor, clock: Clock, id: string, action: ComplaintAction, input: OfficerInput): Promise<void> {
  if (action === "reopen") throw new DomainError("auth.forbidden", { permission: "reporter" }, "forbidden");
  const p = new Problems();
  const reason = limited(p, "reason", input.reason, NOTE_MAX);
  const answer = limited(p, "answer", input.answer, ANSWER_MAX);
  const note = limited(p, "note", input.note, NOTE_MAX);
  p.throwIfAny();
  await transact(em, actor, clock, async (tx, record) => {
    const c = await loadComplaint(tx, actor.tenant, id, true);
    if (TRIAGE.includes(action)) assertCan(actor, "oversight.triage", { tenant: actor.tenant });
    else assertCan(actor, "oversight.respond", { tenant: actor.tenant, opd: c.opd_code });
    if (c.version !== input.expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    let opdId = c.opd_id;
    if (action === "forward") {
      const code = String(input.opdCode ?? "").trim();
      const [o] = code ? await tx.execute<{ id: string }[]>("select id from opd where tenant_code = ? and code = ?", [actor.tenant, code]) : [];
      if (code && !o) throw new DomainError("pengaduan.opdUnknown", { code }, "invalid", "opdCode");
      opdId = o?.id ?? null;
    }
    const { to, event } = complaintMachine.fire(c.status, action, actor, { reopenCount: c.reopen_count, reason, answer, opdId });
    const now = clock.now();
    let due = c.sla_due_on;
    let cat = c.category;
    let slaDays: number | null = null;
    if (action === "verify" && input.category && input.category !== c.category) {
      const next = await category(tx, actor.tenant, input.category);
      if (!next) throw new DomainError("pengaduan.categoryUnknown", {}, "invalid", "category");
      cat = next.code;
      slaDays = next.slaDays;
      due = await dueDay(tx, actor.tenant, c.sla_started_on, next.slaDays);
    }
    await tx.execute(
      `update complaint set status = ?, opd_id = ?, category = ?, sla_due_on = ?::date, sla_days = coalesce(?::smallint, sla_days),
              reason = case when ? <> '' then ? else reason end,
              answer = case when ? = 'answer' then ? else answer end,
              answered_at = case when ? = 'answer' then ? else answered_at end,
              version = version + 1, updated_at = ? where id = ?`,
      [to, opdId, cat, due, slaDays, ["reject", "discard"].includes(action) ? reason : "", reason, action, answer, action, now, now, c.id],
    );
    const publicNote = action === "reject" ? reason : action === "answer" ? answer : "";
    const internalNote = [action === "discard" ? reason : "", note].filter(Boolean).join(" — ");
    await appendHistory(tx, c, { at: now, action, from: c.status, to, by: actor.displayName, publicNote, internalNote });
    record({
      type: event,
      entityType: "Complaint",
      entityId: c.id,
      before: { status: c.status, opdId: c.opd_id, category: c.category, slaDueOn: c.sla_due_on },
      after: { status: to, opdId, category: cat, slaDueOn: due, ...(reason ? { reason } : {}), ...(answer ? { answer } : {}), ...(note ? { note } : {}) },
    });
  });
}

async function loadByTicket(tx: EntityManager, tenant: string, ticket: string): Promise<ComplaintRow> {
  const t = normalizeTicket(ticket);
  if (!t) throw new DomainError("pengaduan.ticketUnknown", {}, "notFound", "ticket");
  const [row] = await tx.execute<{ id: string }[]>("select id from complaint where tenant_code = ? and ticket_hash = ?", [tenant, ticketHash(t)]);
  if (!row) throw new DomainError("pengaduan.ticketUnknown", {}, "notFound", "ticket");
  return loadComplaint(tx, tenant, row.id, true);
}

/**
 * The reporter rates the answer (1–5) with the ticket; rating an answered report also closes it (the
 * reporter may still reopen it once). Audited as "pelapor", never as the person. Emits ComplaintRated.
 */
export async function rateComplaint(em: EntityManager, clock: Clock, tenant: string, ticket: string, rating: number): Promise<void> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new DomainError("pengaduan.ratingRange", {}, "invalid", "rating");
  const who = reporterActor(tenant);
  await transact(em, who, clock, async (tx, record) => {
    const c = await loadByTicket(tx, tenant, ticket);
    if (c.status !== "answered" && c.status !== "closed") throw new DomainError("pengaduan.notAnswered", {}, "invalid");
    const now = clock.now();
    const to = c.status === "answered" ? complaintMachine.fire(c.status, "close", REPORTER, { reopenCount: c.reopen_count }).to : c.status;
    await tx.execute("update complaint set rating = ?, status = ?, version = version + 1, updated_at = ? where id = ?", [rating, to, now, c.id]);
    await appendHistory(tx, c, { at: now, action: "rate", from: c.status, to, by: REPORTER_LABEL, publicNote: `${rating}/5` });
    record({ type: "ComplaintRated", entityType: "Complaint", entityId: c.id, before: { status: c.status, rating: c.rating }, after: { status: to, rating } });
  });
}

/**
 * The reporter reopens an answered or closed report once, with the ticket and a reason: it goes back to
 * the OPD (in progress) with a new SLA from today. Emits ComplaintReopened.
 */
export async function reopenComplaint(em: EntityManager, clock: Clock, tenant: string, ticket: string, reason: string): Promise<void> {
  const p = new Problems();
  const why = limited(p, "reason", reason, NOTE_MAX);
  p.throwIfAny();
  const who = reporterActor(tenant);
  await transact(em, who, clock, async (tx, record) => {
    const c = await loadByTicket(tx, tenant, ticket);
    const { to, event } = complaintMachine.fire(c.status, "reopen", REPORTER, { reopenCount: c.reopen_count, reason: why });
    const now = clock.now();
    const today = wibDay(now);
    // A new SLA cycle: the category's SLA as it is today (also when the category was switched off since).
    const slaDays = (await category(tx, tenant, c.category, { inactive: true }))?.slaDays ?? c.sla_days ?? 5;
    const due = await dueDay(tx, tenant, today, slaDays);
    await tx.execute(
      `update complaint set status = ?, reopen_count = reopen_count + 1, sla_started_on = ?::date, sla_due_on = ?::date, sla_days = ?, escalation_level = 0,
              version = version + 1, updated_at = ? where id = ?`,
      [to, today, due, slaDays, now, c.id],
    );
    await appendHistory(tx, c, { at: now, action: "reopen", from: c.status, to, by: REPORTER_LABEL, publicNote: why });
    record({ type: event, entityType: "Complaint", entityId: c.id, before: { status: c.status, slaDueOn: c.sla_due_on }, after: { status: to, slaDueOn: due, reason: why } });
  });
}

/** The escalation level an open report should be at on `today`: 1 once past due, 2 once late by a further full SLA. */
export function escalationTarget(due: string, today: string, slaDays: number, off: ReadonlySet<string>): number {
  if (today <= due) return 0;
  return workingDaysBetween(due, today, off) > slaDays ? 2 : 1;
}

/**
 * Raises the escalation level of every open report past its SLA (never lowers it). Callable from a
 * scheduled job and on reading the queue; idempotent for a given day. Audited as the system, one
 * ComplaintEscalated per report. Returns how many reports were escalated.
 */
export async function escalateOverdue(em: EntityManager, clock: Clock, tenant: string): Promise<number> {
  const system = Actor.system(tenant, "sistem");
  return transact(em, system, clock, async (tx, record) => {
    const now = clock.now();
    const today = wibDay(now);
    const rows = await tx.execute<{ id: string; tenant_code: string; status: ComplaintStatus; category: string; sla_due_on: string; sla_days: number | null; escalation_level: number }[]>(
      `select id, tenant_code, status, category, to_char(sla_due_on, 'YYYY-MM-DD') as sla_due_on, sla_days, escalation_level from complaint
        where tenant_code = ? and status in ('held','received','verified','forwarded','in_progress') and sla_due_on < ?::date and escalation_level < 2
        order by sla_due_on for update skip locked`,
      [tenant, today],
    );
    if (rows.length === 0) return 0;
    const oldest = rows[0].sla_due_on;
    const off = await holidays(tx, tenant, oldest, today);
    const sla = new Map<string, number>();
    let n = 0;
    for (const r of rows) {
      // The SLA the report was filed under; reports from before migration 0022 may lack it.
      if (r.sla_days == null && !sla.has(r.category)) sla.set(r.category, (await category(tx, tenant, r.category, { inactive: true }))?.slaDays ?? 5);
      const level = escalationTarget(r.sla_due_on, today, r.sla_days ?? sla.get(r.category)!, off);
      if (level <= r.escalation_level) continue;
      // Not a version bump: an escalation is the system's flag, and must not make an officer's open form stale.
      await tx.execute("update complaint set escalation_level = ? where id = ?", [level, r.id]);
      await appendHistory(tx, r, { at: now, action: "escalate", from: r.status, to: r.status, by: SYSTEM_LABEL, publicNote: String(level) });
      record({ type: "ComplaintEscalated", entityType: "Complaint", entityId: r.id, before: { escalationLevel: r.escalation_level }, after: { escalationLevel: level, slaDueOn: r.sla_due_on } });
      n++;
    }
    return n;
  });
}

export { OPEN_STATUSES };
