import type { EntityManager } from "@mikro-orm/postgresql";
import { pgArray } from "../kernel/pg";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError, Problems } from "../kernel/domain-error";
import type { DomainEvent } from "../kernel/events";
import { D, Money } from "../kernel/money";
import { emitProcurement, traceToProposals } from "./events";
import { hasSanggah, machineFor, type TenderAction, type TenderCtx, type TenderStatus } from "./machines";
import { loadPackage, type PackageRow } from "./packages";
import { seal, sha256, unseal, type BidContents } from "./sealing";
import { assertNotBlacklisted, loadVendor, vendorOfActor } from "./vendors";
import { COMPETITIVE, EVALUATION_METHODS, isIn, type EvaluationMethod, type Method } from "./vocabulary";

/** The stages of each method's schedule (jadwal tahapan), in order. Bids close at the end of upload_penawaran. */
export const STAGES: Record<"tender" | "tender_cepat" | "direct", readonly string[]> = {
  tender: ["pengumuman", "download_dokumen", "aanwijzing", "upload_penawaran", "pembukaan", "evaluasi", "pengumuman_pemenang", "sanggah", "sanggah_banding", "sppbj"],
  tender_cepat: ["pengumuman", "upload_penawaran", "pembukaan", "evaluasi", "pengumuman_pemenang", "sppbj"],
  direct: ["undangan", "upload_penawaran", "pembukaan", "negosiasi", "sppbj"],
};
const REQUIRED_STAGES = ["upload_penawaran", "pembukaan"];
export const stagesOf = (method: Method) => (method === "tender_cepat" ? STAGES.tender_cepat : isIn(COMPETITIVE, method) ? STAGES.tender : STAGES.direct);

/** Days a winner may be objected to (sanggah), and a sanggah answer appealed (banding, construction only). Calendar days. */
export const SANGGAH_DAYS = 5;
export const BANDING_DAYS = 5;
/** An addendum this close to the bid deadline must move the deadline at least this far out. */
export const ADDENDUM_MIN_DAYS = 3;
/** Documents a bid may carry. */
export const BID_MAX_FILES = 5;
export const BID_MAX_BYTES = 5 * 1024 * 1024;

export interface TenderRow {
  id: string;
  tenant_code: string;
  package_id: string;
  attempt: number;
  method: Method;
  status: TenderStatus;
  code: string;
  hps: string;
  evaluation_method: EvaluationMethod;
  technical_weight: string | null;
  qualification: "pasca" | "pra";
  requirements: string;
  documents: { title: string; ref: string }[];
  bid_deadline: Date | null;
  opening_at: Date | null;
  sanggah_until: Date | null;
  banding_until: Date | null;
  winner_bid_id: string | null;
  invited_vendor_id: string | null;
  failure_reason: string;
  opened_at: Date | null;
  announced_at: Date | null;
  version: number;
}

export async function loadTender(tx: EntityManager, tenant: string, id: string, lock = false): Promise<TenderRow> {
  if (!isUuid(id)) throw new DomainError("procure.tender.notFound", {}, "notFound");
  const [t] = await tx.execute<TenderRow[]>(
    `select t.*, t.hps::text as hps, t.technical_weight::text as technical_weight from tender t where t.tenant_code = ? and t.id = ?${lock ? " for update" : ""}`,
    [tenant, id],
  );
  if (!t) throw new DomainError("procure.tender.notFound", {}, "notFound");
  for (const k of ["bid_deadline", "opening_at", "sanggah_until", "banding_until", "opened_at", "announced_at"] as const) t[k] = toDate(t[k]);
  return t;
}

/** Raw queries return timestamps as strings: moments are compared as Dates. */
export function toDate(x: Date | string | null | undefined): Date | null {
  return x == null ? null : x instanceof Date ? x : new Date(x);
}

const noCtx: TenderCtx = { notReady: null, pastDeadline: null, beforeOpening: null, evaluationIncomplete: null, noWinner: null, objectionsOpen: null, noReason: null };

/** Fires a transition of the tender's machine, writes the new status and its audit event. */
async function move(tx: EntityManager, actor: Actor, t: TenderRow, action: TenderAction, ctx: Partial<TenderCtx>, record: (e: DomainEvent) => void, now: Date, after: Record<string, unknown> = {}) {
  const { to, event } = machineFor(t.method).fire(t.status, action, actor, { ...noCtx, ...ctx });
  await tx.execute("update tender set status = ?, version = version + 1, updated_at = ? where id = ?", [to, now, t.id]);
  record({ type: event, entityType: "Tender", entityId: t.id, before: { status: t.status }, after: { status: to, code: t.code, ...after } });
  return { to, event };
}

async function assertPokja(tx: EntityManager, actor: Actor, t: TenderRow): Promise<void> {
  assertCan(actor, "procure.tender.run", { tenant: actor.tenant });
  const [m] = await tx.execute<{ n: number }[]>("select count(*)::int as n from tender_pokja where tender_id = ? and user_id = ?", [t.id, actor.userId]);
  if (!m.n) throw new DomainError("procure.tender.notPokja", {}, "forbidden");
}

async function assertPpk(actor: Actor, p: PackageRow, permission: "procure.package.manage" | "procure.contract.manage" = "procure.contract.manage") {
  assertCan(actor, permission, { tenant: actor.tenant, opd: p.opd_code });
}

export interface TenderInput {
  hps: string;
  evaluationMethod: string;
  technicalWeight?: string | null;
  qualification?: string;
  requirements?: string;
  documents?: { title: string; ref?: string }[];
  /** Stage → start and end (ISO date-times with an offset, or "yyyy-mm-ddThh:mm" taken as WIB). */
  schedule: Record<string, { startsAt: string; endsAt: string }>;
  /** Pengadaan langsung / penunjukan langsung: the vendor invited. */
  invitedVendorId?: string | null;
}

/** "2027-01-20T14:00" (WIB) or a full ISO date-time. */
export function parseMoment(text: string, field: string): Date {
  const t = String(text ?? "").trim();
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}+07:00` : t;
  const d = new Date(withZone);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t) || Number.isNaN(d.getTime())) throw new DomainError("procure.momentFormat", { text: t }, "invalid", field);
  return d;
}

function validSchedule(method: Method, schedule: TenderInput["schedule"], p: Problems) {
  const stages = stagesOf(method);
  const rows: { stage: string; position: number; startsAt: Date; endsAt: Date }[] = [];
  for (const [stage, v] of Object.entries(schedule ?? {})) {
    if (!stages.includes(stage)) {
      p.add(`schedule.${stage}`, "procure.tender.stageUnknown", { stage });
      continue;
    }
    if (!v?.startsAt && !v?.endsAt) continue;
    const startsAt = p.check(`schedule.${stage}.startsAt`, () => parseMoment(v.startsAt, `schedule.${stage}.startsAt`));
    const endsAt = p.check(`schedule.${stage}.endsAt`, () => parseMoment(v.endsAt, `schedule.${stage}.endsAt`));
    if (startsAt && endsAt && endsAt < startsAt) p.add(`schedule.${stage}.endsAt`, "procure.tender.stageEndsBeforeStart", { stage });
    if (startsAt && endsAt) rows.push({ stage, position: stages.indexOf(stage), startsAt, endsAt });
  }
  for (const s of REQUIRED_STAGES) if (!rows.some((r) => r.stage === s)) p.add(`schedule.${s}`, "procure.tender.stageRequired", { stage: s });
  rows.sort((a, b) => a.position - b.position);
  for (let i = 1; i < rows.length; i++)
    if (rows[i].startsAt < rows[i - 1].startsAt) p.add(`schedule.${rows[i].stage}.startsAt`, "procure.tender.stageOrder", { stage: rows[i].stage, before: rows[i - 1].stage });
  const deadline = rows.find((r) => r.stage === "upload_penawaran")?.endsAt ?? null;
  const opening = rows.find((r) => r.stage === "pembukaan")?.startsAt ?? null;
  if (deadline && opening && opening < deadline) p.add("schedule.pembukaan.startsAt", "procure.tender.openingBeforeDeadline");
  return { rows, deadline, opening };
}

async function writeSchedule(tx: EntityManager, tenderId: string, rows: { stage: string; position: number; startsAt: Date; endsAt: Date }[]) {
  await tx.execute("delete from tender_stage where tender_id = ?", [tenderId]);
  for (const r of rows) await tx.execute("insert into tender_stage (tender_id, stage, position, starts_at, ends_at) values (?, ?, ?, ?, ?)", [tenderId, r.stage, r.position, r.startsAt, r.endsAt]);
}

/**
 * The PPK hands a RUP package to the procurement unit: a tender (or, for pengadaan/penunjukan langsung,
 * an invitation) in draft, with its HPS (never above the pagu), evaluation method, qualification
 * requirements, documents and per-stage schedule. A package has one live selection at a time; after a
 * failed one this is the retender (attempt n+1). Who: the PPK of the package's OPD. Emits TenderDrafted.
 */
export async function createTender(em: EntityManager, actor: Actor, clock: Clock, packageId: string, input: TenderInput): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const pkg = await loadPackage(tx, actor.tenant, packageId, true);
    await assertPpk(actor, pkg, "procure.package.manage");
    if (pkg.status !== "announced") throw new DomainError("procure.tender.packageNotAnnounced");
    if (!isIn(COMPETITIVE, pkg.method) && pkg.method !== "pengadaan_langsung" && pkg.method !== "penunjukan_langsung")
      throw new DomainError("procure.tender.methodHasNoSelection", { method: pkg.method });
    const p = new Problems();
    const hps = p.check("hps", () => Money.idr(String(input.hps ?? "").trim()));
    if (hps && !hps.exceeds(Money.zero)) p.add("hps", "procure.tender.hpsPositive");
    if (hps && hps.exceeds(Money.idr(pkg.pagu))) p.add("hps", "procure.tender.hpsAbovePagu", { hps: hps.toString(), pagu: pkg.pagu });
    const evaluation = input.evaluationMethod;
    if (!isIn(EVALUATION_METHODS, evaluation)) p.add("evaluationMethod", "procure.tender.evaluationUnknown");
    let weight: string | null = null;
    if (evaluation === "kualitas_biaya") {
      const w = String(input.technicalWeight ?? "").trim();
      if (!/^\d{1,2}(\.\d{1,2})?$/.test(w) || new D(w).lt(60) || new D(w).gt(80)) p.add("technicalWeight", "procure.tender.technicalWeight");
      else weight = w;
    }
    const qualification = input.qualification ?? "pasca";
    if (qualification !== "pasca" && qualification !== "pra") p.add("qualification", "procure.tender.qualificationUnknown");
    const { rows, deadline, opening } = validSchedule(pkg.method, input.schedule, p);
    let invited: string | null = null;
    const direct = !isIn(COMPETITIVE, pkg.method);
    if (direct) {
      if (!isUuid(input.invitedVendorId)) p.add("invitedVendorId", "procure.tender.invitedRequired");
      else invited = input.invitedVendorId;
    }
    p.throwIfAny();
    if (invited) {
      const v = await loadVendor(tx, actor.tenant, invited);
      await assertNotBlacklisted(tx, v, clock.now());
    }
    const [live] = await tx.execute<{ n: number; attempts: number }[]>(
      "select count(*) filter (where status not in ('failed','cancelled'))::int as n, count(*)::int as attempts from tender where package_id = ?",
      [pkg.id],
    );
    if (live.n > 0) throw new DomainError("procure.tender.liveExists");
    const id = crypto.randomUUID();
    const now = clock.now();
    const [{ code }] = await tx.execute<{ code: string }[]>("select nextval('tender_code_seq')::text as code");
    const documents = (input.documents ?? []).map((d) => ({ title: String(d.title ?? "").trim().slice(0, 200), ref: String(d.ref ?? "").trim().slice(0, 300) })).filter((d) => d.title);
    await tx.execute(
      `insert into tender (id, tenant_code, package_id, attempt, method, status, code, hps, evaluation_method, technical_weight, qualification, requirements, documents, bid_deadline, opening_at, invited_vendor_id, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)`,
      [id, actor.tenant, pkg.id, live.attempts + 1, pkg.method, code, hps!.toString(), evaluation, weight, qualification, String(input.requirements ?? "").trim(), JSON.stringify(documents), deadline, opening, invited, now, now],
    );
    await writeSchedule(tx, id, rows);
    record({ type: "TenderDrafted", entityType: "Tender", entityId: id, after: { package: pkg.id, code, hps: hps!.toString(), attempt: live.attempts + 1, method: pkg.method } });
    return id;
  });
}

/** Names the Pokja members of a tender (users holding the Pokja role). Who: a Pokja member (UKPBJ). */
export async function assignPokja(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, usernames: string[]): Promise<void> {
  assertCan(actor, "procure.tender.run", { tenant: actor.tenant });
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    if (t.status !== "draft") throw new DomainError("procure.tender.notDraft");
    const users = await tx.execute<{ id: string; username: string; display_name: string }[]>(
      `select u.id, u.username, u.display_name from app_user u join role_assignment r on r.user_id = u.id
        where u.tenant_code = ? and u.username = any(?::text[]) and r.role = 'pokja_member' and u.active`,
      [actor.tenant, pgArray(usernames)],
    );
    const missing = usernames.filter((n) => !users.some((u) => u.username === n));
    if (missing.length || users.length === 0) throw new DomainError("procure.tender.pokjaUnknown", { names: missing.join(", ") }, "invalid", "pokja");
    await tx.execute("delete from tender_pokja where tender_id = ?", [t.id]);
    for (const u of users) await tx.execute("insert into tender_pokja (tender_id, user_id, name) values (?, ?, ?)", [t.id, u.id, u.display_name]);
    record({ type: "PokjaAssigned", entityType: "Tender", entityId: t.id, after: { members: users.map((u) => u.username) } });
  });
}

/**
 * Announces the tender (or sends the invitation): the package must be in the RUP, a Pokja named, and
 * the bid deadline still ahead. Who: a member of its Pokja. Emits TenderAnnounced (→ OCDS tender).
 */
export async function announceTender(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const pkg = await loadPackage(tx, actor.tenant, t.package_id);
    const now = clock.now();
    let notReady: string | null = null;
    if (pkg.status !== "announced") notReady = "procure.tender.packageNotAnnounced";
    else if (!t.bid_deadline || t.bid_deadline <= now) notReady = "procure.tender.deadlinePassed";
    const { event } = await move(tx, actor, t, "announce", { notReady }, () => {}, now);
    await tx.execute("update tender set announced_at = ? where id = ?", [now, t.id]);
    await emitProcurement(tx, record, { tenant: actor.tenant, packageId: pkg.id, type: "TenderAnnounced", at: now, entityType: "Tender", entityId: t.id, payload: { ...(await tenderPayload(tx, t)), event } });
    await traceToProposals(tx, record, { tenant: actor.tenant, packageId: pkg.id, action: "tender", at: now, actorName: actor.displayName, details: { package: pkg.name, kodeRup: pkg.kode_rup, method: t.method, code: t.code, hps: t.hps } });
  });
}

async function tenderPayload(tx: EntityManager, t: TenderRow) {
  const stages = await tx.execute<{ stage: string; starts_at: Date | string; ends_at: Date | string }[]>("select stage, starts_at, ends_at from tender_stage where tender_id = ? order by position", [t.id]);
  return {
    tender: t.id,
    code: t.code,
    attempt: t.attempt,
    method: t.method,
    hps: t.hps,
    evaluationMethod: t.evaluation_method,
    qualification: t.qualification,
    documents: t.documents,
    bidDeadline: t.bid_deadline?.toISOString() ?? null,
    schedule: stages.map((s) => ({ stage: s.stage, startsAt: toDate(s.starts_at)!.toISOString(), endsAt: toDate(s.ends_at)!.toISOString() })),
  };
}

/**
 * An addendum to the dokumen pemilihan, before the bid deadline. One issued fewer than ADDENDUM_MIN_DAYS
 * before the deadline must move the deadline so that at least that much time is left. Who: the Pokja.
 * Emits TenderAmended (→ OCDS tenderAmendment).
 */
export async function addAddendum(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, input: { description: string; newDeadline?: string | null }, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const now = clock.now();
    const description = String(input.description ?? "").trim();
    const p = new Problems();
    if (description.length < 10) p.add("description", "procure.tender.addendumDescription");
    const newDeadline = input.newDeadline ? p.check("newDeadline", () => parseMoment(input.newDeadline!, "newDeadline")) : null;
    const minimum = new Date(now.getTime() + ADDENDUM_MIN_DAYS * 86_400_000);
    const deadline = newDeadline ?? t.bid_deadline!;
    if (newDeadline && newDeadline < t.bid_deadline!) p.add("newDeadline", "procure.tender.deadlineEarlier");
    else if (deadline < minimum) p.add("newDeadline", "procure.tender.addendumNeedsTime", { days: ADDENDUM_MIN_DAYS });
    p.throwIfAny();
    await move(tx, actor, t, "amend", { pastDeadline: t.bid_deadline! <= now ? "procure.tender.deadlinePassed" : null }, () => {}, now);
    const [{ no }] = await tx.execute<{ no: number }[]>("select coalesce(max(no), 0)::int + 1 as no from tender_addendum where tender_id = ?", [t.id]);
    await tx.execute("insert into tender_addendum (tender_id, no, description, old_deadline, new_deadline, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?)", [
      t.id, no, description, t.bid_deadline, newDeadline, now, actor.displayName,
    ]);
    if (newDeadline) {
      const shift = newDeadline.getTime() - t.bid_deadline!.getTime();
      // Every stage from the bid upload on moves by the same amount.
      await tx.execute(
        `update tender_stage set ends_at = ends_at + (? || ' milliseconds')::interval,
                starts_at = case when stage = 'upload_penawaran' then starts_at else starts_at + (? || ' milliseconds')::interval end
          where tender_id = ? and position >= (select position from tender_stage where tender_id = ? and stage = 'upload_penawaran')`,
        [String(shift), String(shift), t.id, t.id],
      );
      await tx.execute("update tender set bid_deadline = ?, opening_at = opening_at + (? || ' milliseconds')::interval where id = ?", [newDeadline, String(shift), t.id]);
    }
    const fresh = await loadTender(tx, actor.tenant, t.id);
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: t.package_id,
      type: "TenderAmended",
      at: now,
      entityType: "Tender",
      entityId: t.id,
      payload: { ...(await tenderPayload(tx, fresh)), addendum: { no, description, oldDeadline: t.bid_deadline?.toISOString(), newDeadline: newDeadline?.toISOString() ?? null } },
    });
  });
}

/** A question in the aanwijzing, from a vendor, before the bid deadline (not in tender cepat). Emits TenderQuestionAsked. */
export async function askQuestion(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, question: string): Promise<string> {
  assertCan(actor, "procure.bid", { tenant: actor.tenant, vendor: actor.scopesFor("contractor")[0]?.code ?? "" });
  const q = String(question ?? "").trim();
  if (q.length < 10 || q.length > 2000) throw new DomainError("procure.tender.questionLength", {}, "invalid", "question");
  return transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId);
    const v = await vendorOfActor(tx, actor);
    const now = clock.now();
    if (t.status !== "announced" || t.method === "tender_cepat" || !t.bid_deadline || t.bid_deadline <= now) throw new DomainError("procure.tender.questionsClosed");
    if (t.invited_vendor_id && t.invited_vendor_id !== v.id) throw new DomainError("procure.tender.notInvited", {}, "forbidden");
    const id = crypto.randomUUID();
    await tx.execute("insert into tender_question (id, tender_id, vendor_id, question, asked_at) values (?, ?, ?, ?, ?)", [id, t.id, v.id, q, now]);
    record({ type: "TenderQuestionAsked", entityType: "Tender", entityId: t.id, after: { question: id } });
    return id;
  });
}

/** The Pokja's public answer to a question (the asker is never shown). Emits TenderQuestionAnswered. */
export async function answerQuestion(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, questionId: string, answer: string): Promise<void> {
  const a = String(answer ?? "").trim();
  if (a.length < 5) throw new DomainError("procure.tender.answerRequired", {}, "invalid", "answer");
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId);
    await assertPokja(tx, actor, t);
    if (!isUuid(questionId)) throw new DomainError("procure.tender.questionNotFound", {}, "notFound");
    const n = await tx.execute<{ id: string }[]>("update tender_question set answer = ?, answered_at = ?, answered_by = ? where id = ? and tender_id = ? returning id", [a, clock.now(), actor.displayName, questionId, t.id]);
    if (!n.length) throw new DomainError("procure.tender.questionNotFound", {}, "notFound");
    record({ type: "TenderQuestionAnswered", entityType: "Tender", entityId: t.id, after: { question: questionId } });
  });
}

export interface BidInput {
  price: string;
  note?: string;
  documents?: { name: string; type: string; bytes: Buffer }[];
}

/**
 * A vendor's bid (or offer, when invited): sealed with the tender's key before it touches the
 * database; refused at or after the deadline by the server clock, from a blacklisted vendor, or from a
 * non-small vendor on a package reserved for small businesses. A second bid replaces the first.
 * Who: a contractor of the vendor. Emits BidSubmitted (no price: it is sealed).
 */
export async function submitBid(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, input: BidInput): Promise<string> {
  assertCan(actor, "procure.bid", { tenant: actor.tenant, vendor: actor.scopesFor("contractor")[0]?.code ?? "" });
  const p = new Problems();
  const price = p.check("price", () => Money.idr(String(input.price ?? "").trim()));
  if (price && !price.exceeds(Money.zero)) p.add("price", "procure.bid.pricePositive");
  const docs = input.documents ?? [];
  if (docs.length > BID_MAX_FILES) p.add("documents", "procure.bid.tooManyFiles", { max: BID_MAX_FILES });
  docs.forEach((d, i) => {
    if (d.bytes.length > BID_MAX_BYTES) p.add(`documents.${i}`, "procure.bid.fileTooLarge", { name: d.name, max: "5 MB" });
  });
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    const v = await vendorOfActor(tx, actor);
    const now = clock.now();
    if (t.status !== "announced") throw new DomainError("procure.bid.notOpen");
    if (!t.bid_deadline || now.getTime() >= t.bid_deadline.getTime()) throw new DomainError("procure.bid.late", { deadline: t.bid_deadline?.toISOString() ?? "" });
    if (t.invited_vendor_id && t.invited_vendor_id !== v.id) throw new DomainError("procure.tender.notInvited", {}, "forbidden");
    await assertNotBlacklisted(tx, v, now);
    const pkg = await loadPackage(tx, actor.tenant, t.package_id);
    if (pkg.umk && v.qualification !== "kecil") throw new DomainError("procure.bid.reservedForSmall");
    const replaced = await tx.execute<{ id: string }[]>("update bid set status = 'replaced', version = version + 1 where tender_id = ? and vendor_id = ? and status = 'sealed' returning id", [t.id, v.id]);
    const id = crypto.randomUUID();
    const contents: BidContents = {
      price: price!.toString(),
      note: String(input.note ?? "").trim().slice(0, 2000),
      documents: docs.map((d) => ({ name: d.name.slice(0, 200), type: d.type, size: d.bytes.length, sha256: sha256(d.bytes), data: d.bytes.toString("base64") })),
    };
    const sealed = seal({ tenderId: t.id, vendorId: v.id, bidId: id }, contents);
    await tx.execute("insert into bid (id, tender_id, vendor_id, status, sealed, sealed_sha256, submitted_at) values (?, ?, ?, 'sealed', ?, ?, ?)", [id, t.id, v.id, sealed, sha256(sealed), now]);
    record({ type: replaced.length ? "BidReplaced" : "BidSubmitted", entityType: "Bid", entityId: id, after: { tender: t.id, vendor: v.id, sealedSha256: sha256(sealed), files: docs.length } });
    return id;
  });
}

/** Withdraws the vendor's sealed bid before the deadline. Emits BidWithdrawn. */
export async function withdrawBid(em: EntityManager, actor: Actor, clock: Clock, tenderId: string): Promise<void> {
  assertCan(actor, "procure.bid", { tenant: actor.tenant, vendor: actor.scopesFor("contractor")[0]?.code ?? "" });
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    const v = await vendorOfActor(tx, actor);
    if (t.status !== "announced" || !t.bid_deadline || clock.now().getTime() >= t.bid_deadline.getTime()) throw new DomainError("procure.bid.late", { deadline: t.bid_deadline?.toISOString() ?? "" });
    const rows = await tx.execute<{ id: string }[]>("update bid set status = 'withdrawn', version = version + 1 where tender_id = ? and vendor_id = ? and status = 'sealed' returning id", [t.id, v.id]);
    if (!rows.length) throw new DomainError("procure.bid.none", {}, "notFound");
    record({ type: "BidWithdrawn", entityType: "Bid", entityId: rows[0].id, after: { tender: t.id, vendor: v.id } });
  });
}

/** A Pokja member signs the pakta integritas for a tender (needed before evaluation). Emits PaktaIntegritasSigned. */
export async function signPakta(em: EntityManager, actor: Actor, clock: Clock, tenderId: string): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId);
    await assertPokja(tx, actor, t);
    await tx.execute("update tender_pokja set pakta_signed_at = coalesce(pakta_signed_at, ?) where tender_id = ? and user_id = ?", [clock.now(), t.id, actor.userId]);
    record({ type: "PaktaIntegritasSigned", entityType: "Tender", entityId: t.id, after: { member: actor.username } });
  });
}

/**
 * Opens the bids: only at or after the opening time (server clock). Every sealed bid is decrypted — each
 * decryption audited — and its price written in clear. Who: the Pokja. Emits TenderOpened (→ OCDS
 * tenderers and bids).
 */
export async function openTender(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, expectedVersion: number): Promise<{ bids: number }> {
  return transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const now = clock.now();
    const opening = t.opening_at ?? t.bid_deadline;
    const before = !opening || now.getTime() < opening.getTime() || (t.bid_deadline !== null && now.getTime() < t.bid_deadline.getTime());
    await move(tx, actor, t, "open", { beforeOpening: before ? "procure.tender.beforeOpening" : null }, record, now);
    const bids = await tx.execute<{ id: string; vendor_id: string; sealed: Buffer; name: string; npwp: string }[]>(
      "select b.id, b.vendor_id, b.sealed, v.name, v.npwp from bid b join vendor v on v.id = b.vendor_id where b.tender_id = ? and b.status = 'sealed' order by b.submitted_at",
      [t.id],
    );
    const opened: { bid: string; vendor: string; name: string; npwp: string; price: string }[] = [];
    for (const b of bids) {
      const c = unseal({ tenderId: t.id, vendorId: b.vendor_id, bidId: b.id }, b.sealed);
      await tx.execute("update bid set status = 'opened', price = ?, corrected_price = ?, version = version + 1 where id = ?", [c.price, c.price, b.id]);
      record({ type: "BidDecrypted", entityType: "Bid", entityId: b.id, after: { tender: t.id, vendor: b.vendor_id, price: c.price, by: actor.username } });
      opened.push({ bid: b.id, vendor: b.vendor_id, name: b.name, npwp: b.npwp, price: c.price });
    }
    await tx.execute("update tender set opened_at = ? where id = ?", [now, t.id]);
    await emitProcurement(tx, record, { tenant: actor.tenant, packageId: t.package_id, type: "TenderOpened", at: now, entityType: "Tender", entityId: t.id, payload: { tender: t.id, code: t.code, bids: opened } });
    return { bids: opened.length };
  });
}

/** A bid's documents, for the Pokja after the opening (each read audited). */
export async function bidDocuments(em: EntityManager, actor: Actor, clock: Clock, bidId: string) {
  return transact(em, actor, clock, async (tx, record) => {
    if (!isUuid(bidId)) throw new DomainError("procure.bid.none", {}, "notFound");
    const [b] = await tx.execute<{ id: string; tender_id: string; vendor_id: string; sealed: Buffer; status: string }[]>("select id, tender_id, vendor_id, sealed, status from bid where id = ?", [bidId]);
    if (!b) throw new DomainError("procure.bid.none", {}, "notFound");
    const t = await loadTender(tx, actor.tenant, b.tender_id);
    await assertPokja(tx, actor, t);
    if (b.status !== "opened") throw new DomainError("procure.tender.beforeOpening", {}, "forbidden");
    const c = unseal({ tenderId: t.id, vendorId: b.vendor_id, bidId: b.id }, b.sealed);
    record({ type: "BidDecrypted", entityType: "Bid", entityId: b.id, after: { tender: t.id, documents: c.documents.length, by: actor.username } });
    return { note: c.note, documents: c.documents.map((d) => ({ name: d.name, type: d.type, size: d.size, sha256: d.sha256, data: d.data })) };
  });
}

export interface BidEvaluation {
  adminPass: boolean;
  techPass: boolean;
  techScore?: string | null;
  /** The price after arithmetic correction (defaults to the bid price). */
  correctedPrice?: string | null;
  qualPass: boolean;
  reason?: string;
}

/**
 * Records the Pokja's result for one opened bid: administrasi, teknis (with a score for quality-based
 * methods), harga after arithmetic correction — a price above the HPS fails — and kualifikasi; a bid
 * that fails any stage needs a reason. Needs the member's pakta integritas. Emits BidEvaluated.
 */
export async function evaluateBid(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, bidId: string, input: BidEvaluation): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.status !== "opened") throw new DomainError("procure.tender.notOpened");
    const [signed] = await tx.execute<{ at: Date | null }[]>("select pakta_signed_at as at from tender_pokja where tender_id = ? and user_id = ?", [t.id, actor.userId]);
    if (!signed?.at) throw new DomainError("procure.tender.paktaRequired", {}, "forbidden");
    if (!isUuid(bidId)) throw new DomainError("procure.bid.none", {}, "notFound");
    const [b] = await tx.execute<{ id: string; price: string; vendor_id: string }[]>("select id, price::text as price, vendor_id from bid where id = ? and tender_id = ? and status = 'opened' for update", [bidId, t.id]);
    if (!b) throw new DomainError("procure.bid.none", {}, "notFound");
    const p = new Problems();
    const corrected = input.correctedPrice ? p.check("correctedPrice", () => Money.idr(String(input.correctedPrice).trim())) : Money.idr(b.price);
    let score: string | null = null;
    if (t.evaluation_method === "kualitas_biaya" || t.evaluation_method === "kualitas") {
      const s = String(input.techScore ?? "").trim();
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(s) || new D(s).gt(100)) p.add("techScore", "procure.bid.techScore");
      else score = s;
    }
    p.throwIfAny();
    const pricePass = !corrected!.exceeds(Money.idr(t.hps));
    const reasons = [String(input.reason ?? "").trim()].filter(Boolean);
    if (!pricePass) reasons.push("Harga terkoreksi melebihi HPS");
    const passes = input.adminPass && input.techPass && pricePass && input.qualPass;
    if (!passes && !String(input.reason ?? "").trim() && pricePass) throw new DomainError("procure.bid.reasonRequired", {}, "invalid", "reason");
    await tx.execute(
      "update bid set admin_pass = ?, tech_pass = ?, tech_score = ?, corrected_price = ?, price_pass = ?, qual_pass = ?, reason = ?, evaluated_at = ?, version = version + 1 where id = ?",
      [!!input.adminPass, !!input.techPass, score, corrected!.toString(), pricePass, !!input.qualPass, reasons.join("; "), clock.now(), b.id],
    );
    record({ type: "BidEvaluated", entityType: "Bid", entityId: b.id, after: { tender: t.id, admin: !!input.adminPass, tech: !!input.techPass, techScore: score, price: pricePass, correctedPrice: corrected!.toString(), qual: !!input.qualPass, reason: reasons.join("; ") } });
  });
}

/**
 * Concludes the evaluation: every Pokja member has signed the pakta and every opened bid has its result;
 * the passing bids are ranked — lowest corrected price (harga terendah, biaya terendah, pagu anggaran) or
 * highest combined score (kualitas dan biaya: technical weight × score + price weight × lowest ÷ price ×
 * 100; kualitas: technical score). Emits TenderEvaluated.
 */
export async function concludeEvaluation(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const [c] = await tx.execute<{ unsigned: number; pending: number }[]>(
      `select (select count(*) from tender_pokja where tender_id = ? and pakta_signed_at is null)::int as unsigned,
              (select count(*) from bid where tender_id = ? and status = 'opened' and evaluated_at is null)::int as pending`,
      [t.id, t.id],
    );
    const incomplete = c.unsigned > 0 ? "procure.tender.paktaMissing" : c.pending > 0 ? "procure.tender.bidsNotEvaluated" : null;
    const bids = await tx.execute<{ id: string; corrected_price: string; tech_score: string | null; pass: boolean }[]>(
      "select id, corrected_price::text as corrected_price, tech_score::text as tech_score, (admin_pass and tech_pass and price_pass and qual_pass) as pass from bid where tender_id = ? and status = 'opened'",
      [t.id],
    );
    const passing = bids.filter((b) => b.pass);
    const lowest = passing.reduce<InstanceType<typeof D> | null>((m, b) => (m === null || new D(b.corrected_price).lt(m) ? new D(b.corrected_price) : m), null);
    const scoreOf = (b: (typeof bids)[number]) => {
      if (t.evaluation_method === "kualitas") return new D(b.tech_score ?? 0);
      if (t.evaluation_method === "kualitas_biaya") {
        const w = new D(t.technical_weight ?? 70).div(100);
        return w.times(b.tech_score ?? 0).plus(new D(1).minus(w).times(lowest!.div(b.corrected_price).times(100)));
      }
      return new D(0).minus(b.corrected_price); // lower price, higher score
    };
    const ranked = passing.map((b) => ({ b, s: scoreOf(b) })).sort((x, y) => y.s.comparedTo(x.s) || new D(x.b.corrected_price).comparedTo(y.b.corrected_price));
    await move(tx, actor, t, "evaluate", { evaluationIncomplete: incomplete }, record, clock.now(), { passing: passing.length, bids: bids.length });
    await tx.execute("update bid set rank = null, total_score = null where tender_id = ?", [t.id]);
    for (const [i, r] of ranked.entries())
      await tx.execute("update bid set rank = ?, total_score = ? where id = ?", [i + 1, t.evaluation_method === "kualitas_biaya" || t.evaluation_method === "kualitas" ? r.s.toDecimalPlaces(4).toFixed(4) : null, r.b.id]);
  });
}

/**
 * Announces the winner (the first-ranked bid; its vendor not blacklisted) and opens the sanggah period
 * (SANGGAH_DAYS) where the method has one. Who: the Pokja. Emits WinnerAnnounced (→ OCDS award, pending).
 */
export async function announceWinner(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const [w] = await tx.execute<{ id: string; vendor_id: string; name: string; npwp: string; corrected_price: string }[]>(
      "select b.id, b.vendor_id, v.name, v.npwp, b.corrected_price::text as corrected_price from bid b join vendor v on v.id = b.vendor_id where b.tender_id = ? and b.rank = 1",
      [t.id],
    );
    const now = clock.now();
    if (w) await assertNotBlacklisted(tx, { id: w.vendor_id, name: w.name }, now);
    await move(tx, actor, t, "announceWinner", { noWinner: w ? null : "procure.tender.noPassingBid" }, () => {}, now);
    const until = hasSanggah(t.method) ? new Date(now.getTime() + SANGGAH_DAYS * 86_400_000) : null;
    await tx.execute("update tender set winner_bid_id = ?, sanggah_until = ? where id = ?", [w.id, until, t.id]);
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: t.package_id,
      type: "WinnerAnnounced",
      at: now,
      entityType: "Tender",
      entityId: t.id,
      payload: { tender: t.id, code: t.code, bid: w.id, vendor: w.vendor_id, name: w.name, npwp: w.npwp, value: w.corrected_price, sanggahUntil: until?.toISOString() ?? null },
    });
  });
}

/**
 * A sanggah from a vendor that bid, within the sanggah period; or a sanggah banding (construction only)
 * from a vendor whose sanggah was answered, within BANDING_DAYS of the answer. Emits SanggahFiled.
 */
export async function fileSanggah(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, kind: "sanggah" | "banding", text: string): Promise<string> {
  assertCan(actor, "procure.bid", { tenant: actor.tenant, vendor: actor.scopesFor("contractor")[0]?.code ?? "" });
  const body = String(text ?? "").trim();
  if (body.length < 20) throw new DomainError("procure.sanggah.textRequired", {}, "invalid", "text");
  return transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    const v = await vendorOfActor(tx, actor);
    const now = clock.now();
    const [bidder] = await tx.execute<{ n: number }[]>("select count(*)::int as n from bid where tender_id = ? and vendor_id = ? and status = 'opened'", [t.id, v.id]);
    if (!bidder.n) throw new DomainError("procure.sanggah.notBidder", {}, "forbidden");
    if (t.status !== "winner_announced" || !hasSanggah(t.method)) throw new DomainError("procure.sanggah.closed");
    if (kind === "sanggah") {
      if (!t.sanggah_until || now > t.sanggah_until) throw new DomainError("procure.sanggah.closed");
    } else {
      const pkg = await loadPackage(tx, actor.tenant, t.package_id);
      if (pkg.kind !== "konstruksi") throw new DomainError("procure.sanggah.bandingOnlyConstruction");
      const [answered] = await tx.execute<{ at: Date | null }[]>("select max(answered_at) as at from sanggah where tender_id = ? and vendor_id = ? and kind = 'sanggah' and answered_at is not null", [t.id, v.id]);
      if (!answered?.at || now.getTime() > toDate(answered.at)!.getTime() + BANDING_DAYS * 86_400_000) throw new DomainError("procure.sanggah.bandingClosed");
    }
    const id = crypto.randomUUID();
    await tx.execute("insert into sanggah (id, tender_id, vendor_id, kind, text, submitted_at) values (?, ?, ?, ?, ?, ?)", [id, t.id, v.id, kind, body, now]);
    if (kind === "banding") await tx.execute("update tender set banding_until = greatest(coalesce(banding_until, ?), ?) where id = ?", [now, now, t.id]);
    record({ type: kind === "sanggah" ? "SanggahFiled" : "SanggahBandingFiled", entityType: "Tender", entityId: t.id, after: { sanggah: id, vendor: v.id } });
    return id;
  });
}

/**
 * The answer to a sanggah (by the Pokja) or a sanggah banding (by the PA/KPA, here the PPK's office).
 * Upheld means the Pokja must re-evaluate or declare the tender failed. Emits SanggahAnswered.
 */
export async function answerSanggah(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, sanggahId: string, input: { answer: string; upheld: boolean }): Promise<void> {
  const answer = String(input.answer ?? "").trim();
  if (answer.length < 20) throw new DomainError("procure.sanggah.answerRequired", {}, "invalid", "answer");
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    if (!isUuid(sanggahId)) throw new DomainError("procure.sanggah.notFound", {}, "notFound");
    const [s] = await tx.execute<{ id: string; kind: string; answered_at: Date | null }[]>("select id, kind, answered_at from sanggah where id = ? and tender_id = ? for update", [sanggahId, t.id]);
    if (!s) throw new DomainError("procure.sanggah.notFound", {}, "notFound");
    if (s.kind === "sanggah") await assertPokja(tx, actor, t);
    else await assertPpk(actor, await loadPackage(tx, actor.tenant, t.package_id));
    if (s.answered_at) throw new DomainError("procure.sanggah.alreadyAnswered", {}, "conflict");
    await tx.execute("update sanggah set answer = ?, upheld = ?, answered_at = ?, answered_by = ? where id = ?", [answer, !!input.upheld, clock.now(), actor.displayName, s.id]);
    record({ type: "SanggahAnswered", entityType: "Tender", entityId: t.id, after: { sanggah: s.id, kind: s.kind, upheld: !!input.upheld } });
  });
}

/** Why the PPK may not issue the SPPBJ yet (sanggah/banding still open or upheld), or null. */
async function objectionsOpen(tx: EntityManager, t: TenderRow, pkg: PackageRow, now: Date): Promise<string | null> {
  if (!hasSanggah(t.method)) return null;
  if (t.sanggah_until && now <= t.sanggah_until) return "procure.sanggah.periodOpen";
  const [s] = await tx.execute<{ open: number; upheld: number; last_answer: Date | null }[]>(
    `select count(*) filter (where answered_at is null)::int as open, count(*) filter (where upheld)::int as upheld,
            max(answered_at) filter (where kind = 'sanggah') as last_answer from sanggah where tender_id = ?`,
    [t.id],
  );
  if (s.open > 0) return "procure.sanggah.unanswered";
  if (s.upheld > 0) return "procure.sanggah.upheld";
  if (pkg.kind === "konstruksi" && s.last_answer && now.getTime() <= toDate(s.last_answer)!.getTime() + BANDING_DAYS * 86_400_000) return "procure.sanggah.bandingPeriodOpen";
  return null;
}

/**
 * The PPK accepts the winner: SPPBJ (surat penunjukan penyedia), once the sanggah (and banding) period
 * is over with no open or upheld objection. The contract is prepared at the winning price.
 * Emits Awarded (→ OCDS award, active).
 */
export async function issueSppbj(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, input: { number: string; date: string }, expectedVersion: number): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    const pkg = await loadPackage(tx, actor.tenant, t.package_id);
    await assertPpk(actor, pkg);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const p = new Problems();
    const number = String(input.number ?? "").trim();
    if (number.length < 3) p.add("number", "procure.contract.numberRequired");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date ?? "")) p.add("date", "procure.dateFormat");
    p.throwIfAny();
    const now = clock.now();
    const [w] = await tx.execute<{ id: string; vendor_id: string; name: string; npwp: string; corrected_price: string }[]>(
      "select b.id, b.vendor_id, v.name, v.npwp, b.corrected_price::text as corrected_price from bid b join vendor v on v.id = b.vendor_id where b.id = ?",
      [t.winner_bid_id],
    );
    if (w) await assertNotBlacklisted(tx, { id: w.vendor_id, name: w.name }, now);
    await move(tx, actor, t, "issueSppbj", { objectionsOpen: await objectionsOpen(tx, t, pkg, now) }, () => {}, now);
    const [dup] = await tx.execute<{ id: string }[]>("select id from contract where tenant_code = ? and sppbj_number = ?", [actor.tenant, number]);
    if (dup) throw new DomainError("procure.contract.numberTaken", { number }, "conflict", "number");
    const id = crypto.randomUUID();
    const type = pkg.kind === "konstruksi" ? "harga_satuan" : "lump_sum";
    await tx.execute(
      `insert into contract (id, tenant_code, package_id, tender_id, vendor_id, sppbj_number, sppbj_date, type, original_value, value, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sppbj', ?, ?)`,
      [id, actor.tenant, pkg.id, t.id, w.vendor_id, number, input.date, type, w.corrected_price, w.corrected_price, now, now],
    );
    await emitProcurement(tx, record, {
      tenant: actor.tenant,
      packageId: pkg.id,
      type: "Awarded",
      at: now,
      entityType: "Contract",
      entityId: id,
      payload: { tender: t.id, code: t.code, contract: id, sppbj: number, date: input.date, vendor: w.vendor_id, name: w.name, npwp: w.npwp, value: w.corrected_price },
    });
    return id;
  });
}

/**
 * Ends a tender without a contract: failed (gagal: no bid passed, a sanggah upheld, …) by the Pokja, or
 * cancelled (batal) by the PPK or Pokja — each with its reason. The package stays in the RUP for a
 * retender. Emits TenderFailed or TenderCancelled (→ OCDS tenderCancellation / unsuccessful).
 */
export async function closeTender(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, action: "fail" | "cancel", reason: string, expectedVersion: number): Promise<void> {
  const why = String(reason ?? "").trim();
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    const pkg = await loadPackage(tx, actor.tenant, t.package_id);
    if (actor.hasRole("pokja_member")) await assertPokja(tx, actor, t);
    else await assertPpk(actor, pkg);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    const now = clock.now();
    await move(tx, actor, t, action, { noReason: why.length < 10 ? "procure.reasonRequired" : null }, () => {}, now);
    await tx.execute("update tender set failure_reason = ? where id = ?", [why, t.id]);
    await tx.execute("delete from contract where tender_id = ? and status = 'sppbj'", [t.id]);
    await emitProcurement(tx, record, { tenant: actor.tenant, packageId: pkg.id, type: action === "fail" ? "TenderFailed" : "TenderCancelled", at: now, entityType: "Tender", entityId: t.id, payload: { tender: t.id, code: t.code, reason: why } });
  });
}

/**
 * Sends a tender back to evaluation (after an upheld sanggah, or a mistake found before the winner is
 * named): results and ranks are cleared. Who: the Pokja. Emits TenderReevaluated.
 */
export async function reevaluate(em: EntityManager, actor: Actor, clock: Clock, tenderId: string, reason: string, expectedVersion: number): Promise<void> {
  const why = String(reason ?? "").trim();
  await transact(em, actor, clock, async (tx, record) => {
    const t = await loadTender(tx, actor.tenant, tenderId, true);
    await assertPokja(tx, actor, t);
    if (t.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
    await move(tx, actor, t, "reevaluate", { noReason: why.length < 10 ? "procure.reasonRequired" : null }, record, clock.now(), { reason: why });
    await tx.execute("update tender set winner_bid_id = null, sanggah_until = null, banding_until = null where id = ?", [t.id]);
    await tx.execute("update bid set evaluated_at = null, rank = null, total_score = null where tender_id = ? and status = 'opened'", [t.id]);
  });
}

/** The actions this actor may take on a tender now (drives the buttons). */
export function tenderActions(t: Pick<TenderRow, "method" | "status">, actor: Actor): TenderAction[] {
  return machineFor(t.method).available(t.status, actor, noCtx);
}

