import type { EntityManager } from "@mikro-orm/postgresql";
import { D } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { Money } from "../kernel/money";
import { parentKodeWilayah, parseKodeWilayah, wilayahWithin } from "../kernel/codes";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { Region } from "../regions/region.entity";
import { Opd } from "../tenancy/opd.entity";
import { Proposal } from "./entities";
import { assertRunsForum, kabupatenForum, loadForum, loadProposal, nextProposalCode, recordStep } from "./support";
import { BIDANG_URUSAN, KINDS, THEMATIC_GROUPS, type ProposalKind, type ThematicGroup } from "./vocabulary";

/** A proposal as a form or a spreadsheet row gives it: every value a string. */
export interface ProposalInput {
  title: string;
  problem: string;
  kind: string;
  thematicGroup: string;
  bidangUrusan: string;
  /** OPD code. */
  targetOpd: string;
  /** Kemendagri desa/kelurahan code; ignored at a desa forum (the forum's desa). */
  desa?: string;
  address?: string;
  rt?: string;
  rw?: string;
  lat?: string;
  lng?: string;
  volume: string;
  unit: string;
  estimatedCost: string;
  beneficiaries: string;
  /** For pokir: the DPRD member and fraksi. */
  proposer?: string;
}

export interface CleanProposal {
  title: string;
  problem: string;
  kind: ProposalKind;
  thematicGroup: ThematicGroup;
  bidangUrusan: string;
  targetOpdId: string;
  desaCode: string | null;
  address: string;
  rt: string;
  rw: string;
  lat: string | null;
  lng: string | null;
  volume: string;
  unit: string;
  estimatedCost: Money;
  beneficiaries: number;
  proposer: string;
}

const text = (v: unknown) => String(v ?? "").trim();

/** Accepts "1.250.000", "1250000", "1.250.000,50" and "1250000.50" (Indonesian or plain), never via a JS number. */
export function parseRupiah(input: string): Money {
  let t = text(input).replace(/^rp\.?\s*/i, "").replace(/\s/g, "");
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
  else if (/^\d+,\d{1,2}$/.test(t)) t = t.replace(",", ".");
  return Money.idr(t);
}

function parseDecimal(input: string, field: string, problems: Problems, opts: { places: number; min?: string; max?: string }): string | null {
  const t = text(input).replace(",", ".");
  if (!new RegExp(`^-?\\d{1,14}(\\.\\d{1,${opts.places}})?$`).test(t)) {
    problems.add(field, "musrenbang.usulan.numberFormat", { places: opts.places });
    return null;
  }
  const d = new D(t);
  if ((opts.min !== undefined && d.lt(opts.min)) || (opts.max !== undefined && d.gt(opts.max))) {
    problems.add(field, "musrenbang.usulan.numberRange", { min: opts.min ?? "", max: opts.max ?? "" });
    return null;
  }
  return d.toFixed(opts.places);
}

/**
 * Validates every field of a proposal and reports all problems together (field names are the input's).
 * Codes that need the database (OPD, desa) are checked here too, inside the tenant.
 */
export async function cleanProposal(em: EntityManager, tenant: string, input: ProposalInput, opts: { desaRequired: boolean }): Promise<CleanProposal> {
  const p = new Problems();
  const title = text(input.title);
  if (title.length < 5 || title.length > 200) p.add("title", "musrenbang.usulan.titleLength");
  const problem = text(input.problem);
  if (problem.length < 10 || problem.length > 4000) p.add("problem", "musrenbang.usulan.problemLength");
  const kind = KINDS.find((k) => k === text(input.kind).toLowerCase().replace(/[-\s]/g, ""));
  if (!kind) p.add("kind", "musrenbang.usulan.kindUnknown");
  const tg = THEMATIC_GROUPS.find((g) => g === text(input.thematicGroup).toLowerCase().replace(/[\s-]+/g, "_"));
  if (!tg) p.add("thematicGroup", "musrenbang.usulan.thematicUnknown");
  const bidang = text(input.bidangUrusan).split(/\s/)[0];
  if (!BIDANG_URUSAN[bidang]) p.add("bidangUrusan", "musrenbang.usulan.bidangUnknown", { code: bidang });
  const opdCode = text(input.targetOpd);
  const opd = opdCode ? await em.findOne(Opd, { code: opdCode }, { filters: { tenant: { tenant } } }) : null;
  if (!opd) p.add("targetOpd", opdCode ? "opd.unknown" : "musrenbang.usulan.opdRequired", { code: opdCode });
  let desaCode: string | null = null;
  if (opts.desaRequired) {
    const raw = text(input.desa);
    const parsed = p.check("desa", () => parseKodeWilayah(raw, "desa"));
    if (parsed) {
      if (parsed.level !== 4) p.add("desa", "user.scopeLevel", { code: raw, kind: "desa" });
      else if (!wilayahWithin(parsed.code, tenant)) p.add("desa", "region.outsideTenant", { code: raw });
      else if (!(await em.findOne(Region, { code: parsed.code }))) p.add("desa", "region.unknown", { code: raw });
      else desaCode = parsed.code;
    }
  }
  const address = text(input.address).slice(0, 300);
  const rt = text(input.rt);
  const rw = text(input.rw);
  if (rt && !/^\d{1,3}$/.test(rt)) p.add("rt", "musrenbang.usulan.rtRwFormat");
  if (rw && !/^\d{1,3}$/.test(rw)) p.add("rw", "musrenbang.usulan.rtRwFormat");
  let lat: string | null = null;
  let lng: string | null = null;
  if (text(input.lat) || text(input.lng)) {
    lat = parseDecimal(input.lat ?? "", "lat", p, { places: 6, min: "-11.5", max: "6.5" });
    lng = parseDecimal(input.lng ?? "", "lng", p, { places: 6, min: "94.5", max: "141.5" });
  }
  const volume = parseDecimal(input.volume, "volume", p, { places: 4, min: "0.0001" });
  const unit = text(input.unit).slice(0, 40);
  if (!unit) p.add("unit", "quantity.unitRequired");
  const cost = p.check("estimatedCost", () => parseRupiah(input.estimatedCost));
  if (cost?.isNegative()) p.add("estimatedCost", "musrenbang.usulan.costNegative");
  // "1.250" groups thousands the Indonesian way; "150.5" is not a whole number and is refused.
  const rawBen = text(input.beneficiaries);
  const ben = /^\d{1,3}(\.\d{3})+$/.test(rawBen) ? rawBen.replace(/\./g, "") : rawBen;
  if (!/^\d{1,7}$/.test(ben)) p.add("beneficiaries", "musrenbang.usulan.beneficiariesFormat");
  p.throwIfAny();
  return {
    title,
    problem,
    kind: kind!,
    thematicGroup: tg!,
    bidangUrusan: bidang,
    targetOpdId: opd!.id,
    desaCode,
    address,
    rt,
    rw,
    lat: lat && lng ? lat : null,
    lng: lat && lng ? lng : null,
    volume: volume!,
    unit,
    estimatedCost: cost!,
    beneficiaries: Number(ben),
    proposer: text(input.proposer).slice(0, 200),
  };
}

const EDITABLE = ["title", "problem", "kind", "thematicGroup", "bidangUrusan", "targetOpdId", "address", "rt", "rw", "lat", "lng", "volume", "unit", "estimatedCost", "beneficiaries"] as const;

function snapshot(p: Proposal): Record<string, unknown> {
  return Object.fromEntries(EDITABLE.map((k) => [k, k === "estimatedCost" ? String(p.estimatedCost) : (p[k] as unknown)]));
}

/**
 * Raises a proposal in an open desa/kelurahan forum. Who: that desa's facilitator. Emits
 * ProposalSubmitted (and the first step of its public timeline).
 */
export async function raiseProposal(em: EntityManager, actor: Actor, clock: Clock, forumId: string, input: ProposalInput): Promise<{ id: string; code: string }> {
  return transact(em, actor, clock, async (tx, record) => {
    const forum = await loadForum(tx, forumId, { lock: true });
    if (forum.level !== "desa") throw new DomainError("musrenbang.forum.notDesa");
    await assertRunsForum(tx, actor, forum);
    if (forum.status !== "open") throw new DomainError("musrenbang.forum.notOpen", { status: forum.status });
    const c = await cleanProposal(tx, actor.tenant, input, { desaRequired: false });
    const code = await nextProposalCode(tx, actor.tenant, forum.fiscalYear, forum.regionCode);
    const p = tx.create(Proposal, {
      tenantCode: actor.tenant,
      code,
      fiscalYear: forum.fiscalYear,
      source: "musrenbang",
      originForumId: forum.id,
      currentForumId: forum.id,
      ...c,
      desaCode: forum.regionCode,
      kecamatanCode: parentKodeWilayah(forum.regionCode)!,
      originalOpdId: c.targetOpdId,
      status: "submitted",
      createdBy: actor.username,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      mergedIntoId: null,
      reason: "",
      proposedSubKegiatan: "",
    });
    record({ ...recordStep(tx, p, { forum, action: "submit", from: null, event: "ProposalSubmitted", actor, at: clock.now() }), after: { code, ...snapshot(p) } });
    return { id: p.id, code };
  });
}

/**
 * Records a DPRD member's pokir at the kabupaten forum of its year; it goes straight to OPD review.
 * Who: Bappeda (on behalf of the DPRD secretariat). Emits PokirSubmitted.
 */
export async function raisePokir(em: EntityManager, actor: Actor, clock: Clock, fiscalYear: number, input: ProposalInput): Promise<{ id: string; code: string }> {
  assertCan(actor, "musrenbang.forum.kabupaten", { tenant: actor.tenant });
  return transact(em, actor, clock, async (tx, record) => {
    const found = await kabupatenForum(tx, actor.tenant, fiscalYear);
    if (!found) throw new DomainError("musrenbang.forum.nextMissing", { level: "kabupaten", year: fiscalYear });
    const forum = await loadForum(tx, found.id, { lock: true });
    if (forum.isLocked) throw new DomainError("musrenbang.forum.locked");
    const c = await cleanProposal(tx, actor.tenant, input, { desaRequired: true });
    if (!c.proposer) throw new DomainError("musrenbang.usulan.proposerRequired", {}, "invalid", "proposer");
    const code = await nextProposalCode(tx, actor.tenant, fiscalYear, "POKIR");
    const p = tx.create(Proposal, {
      tenantCode: actor.tenant,
      code,
      fiscalYear,
      source: "pokir",
      originForumId: forum.id,
      currentForumId: forum.id,
      ...c,
      desaCode: c.desaCode!,
      kecamatanCode: parentKodeWilayah(c.desaCode!)!,
      originalOpdId: c.targetOpdId,
      status: "opd_review",
      createdBy: actor.username,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      mergedIntoId: null,
      reason: "",
      proposedSubKegiatan: "",
    });
    record({ ...recordStep(tx, p, { forum, action: "pokir", from: null, event: "PokirSubmitted", actor, at: clock.now(), details: { proposer: c.proposer } }), after: { code, ...snapshot(p) } });
    return { id: p.id, code };
  });
}

/**
 * Edits a proposal while its desa forum is open. Who: that desa's facilitator. Emits ProposalEdited with
 * the fields changed; an edit that changes nothing writes nothing. Refuses a stale version (409).
 */
export async function editProposal(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  id: string,
  input: ProposalInput,
  expectedVersion: number,
): Promise<{ changed: string[] }> {
  return transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, id, expectedVersion);
    const forum = await loadForum(tx, p.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (p.status !== "submitted" || forum.id !== p.originForumId || forum.status !== "open")
      throw new DomainError("musrenbang.usulan.notEditable", { status: p.status, forum: forum.status });
    const c = await cleanProposal(tx, actor.tenant, input, { desaRequired: false });
    const before = snapshot(p);
    Object.assign(p, { ...c, desaCode: p.desaCode, proposer: p.proposer });
    const after = snapshot(p);
    const changed = EDITABLE.filter((k) => String(before[k] ?? "") !== String(after[k] ?? ""));
    if (changed.length === 0) return { changed };
    p.updatedAt = clock.now();
    record({
      type: "ProposalEdited",
      entityType: "Proposal",
      entityId: p.id,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    });
    return { changed };
  });
}

/** Withdraws a proposal while its desa forum is open, with a reason. Who: that desa's facilitator. */
export async function withdrawProposal(em: EntityManager, actor: Actor, clock: Clock, id: string, reason: string, expectedVersion: number): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, id, expectedVersion);
    const forum = await loadForum(tx, p.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (forum.status !== "open") throw new DomainError("musrenbang.forum.notOpen", { status: forum.status });
    const { event, from } = p.apply("withdraw", actor, { reason: text(reason), target: "" });
    record(recordStep(tx, p, { forum, action: "withdraw", from, event, actor, at: clock.now(), reason: text(reason) }));
  });
}

export { snapshot as proposalSnapshot };
