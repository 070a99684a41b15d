import type { EntityManager } from "@mikro-orm/postgresql";
import { D } from "../kernel/money";
import { DomainError, Problems } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { FiscalYear } from "../kernel/fiscal-year";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertCan } from "../identity/policy";
import { findInForce } from "../nomenclature/sets";
import { isUuid } from "../kernel/codes";

/**
 * The RPJMD (Rencana Pembangunan Jangka Menengah Daerah, five years, set by Perda): a vision, numbered
 * missions, goals under each mission with indicators and a target for every year of the period, and the
 * programmes that serve each goal. Bappeda drafts it; once adopted it is locked, and from then on every
 * sub-activity planned in one of its years must sit under a programme that serves one of its goals.
 */

const text = (v: unknown, max = 2000) => String(v ?? "").trim().slice(0, max);

function decimal(v: unknown, key = "planning.rpjmd.numberFormat"): string {
  const t = String(v ?? "").trim().replace(",", ".");
  if (!/^-?\d{1,14}(\.\d{1,4})?$/.test(t)) throw new DomainError(key, { value: String(v ?? "") });
  return new D(t).toFixed(4);
}

interface RpjmdRow {
  id: string;
  tenant_code: string;
  start_year: number;
  end_year: number;
  vision: string;
  legal_basis: string;
  status: "draft" | "adopted";
  version: number;
}

async function loadRpjmd(tx: EntityManager, tenant: string, id: string, lock = false): Promise<RpjmdRow> {
  if (!isUuid(id)) throw new DomainError("planning.rpjmd.notFound", {}, "notFound");
  const [r] = await tx.execute<RpjmdRow[]>(`select * from rpjmd where tenant_code = ? and id = ?${lock ? " for update" : ""}`, [tenant, id]);
  if (!r) throw new DomainError("planning.rpjmd.notFound", {}, "notFound");
  return r;
}

async function editable(tx: EntityManager, actor: Actor, id: string, expectedVersion?: number): Promise<RpjmdRow> {
  assertCan(actor, "workspace.planning", { tenant: actor.tenant });
  const r = await loadRpjmd(tx, actor.tenant, id, true);
  if (r.status === "adopted") throw new DomainError("planning.rpjmd.locked");
  if (expectedVersion !== undefined && r.version !== expectedVersion) throw new DomainError("concurrency.stale", {}, "conflict");
  await tx.execute("update rpjmd set version = version + 1, updated_at = now() where id = ?", [id]);
  return r;
}

export interface RpjmdDraft {
  startYear: number | string;
  vision: string;
  legalBasis?: string;
  /** One mission per entry, numbered in order. */
  missions: string[];
}

/**
 * Drafts an RPJMD for five years from `startYear`. Refuses a period that overlaps another RPJMD of the
 * tenant. Who: Bappeda. Emits RpjmdDrafted.
 */
export async function draftRpjmd(em: EntityManager, actor: Actor, clock: Clock, input: RpjmdDraft): Promise<string> {
  assertCan(actor, "workspace.planning", { tenant: actor.tenant });
  const p = new Problems();
  const start = p.check("startYear", () => FiscalYear.of(input.startYear).year);
  const vision = text(input.vision);
  if (vision.length < 10) p.add("vision", "planning.rpjmd.visionRequired");
  const missions = input.missions.map((m) => text(m)).filter(Boolean);
  if (!missions.length) p.add("missions", "planning.rpjmd.missionRequired");
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    await tx.execute("select pg_advisory_xact_lock(hashtext('rpjmd:' || ?))", [actor.tenant]);
    const [overlap] = await tx.execute<{ start_year: number; end_year: number }[]>(
      "select start_year, end_year from rpjmd where tenant_code = ? and start_year <= ? and end_year >= ?",
      [actor.tenant, start! + 4, start!],
    );
    if (overlap) throw new DomainError("planning.rpjmd.overlap", { from: overlap.start_year, to: overlap.end_year }, "conflict", "startYear");
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute("insert into rpjmd (id, tenant_code, start_year, end_year, vision, legal_basis, status, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'draft', ?, ?)", [
      id, actor.tenant, start!, start! + 4, vision, text(input.legalBasis, 300), now, now,
    ]);
    for (const [i, m] of missions.entries()) await tx.execute("insert into rpjmd_mission (id, tenant_code, rpjmd_id, number, text) values (?, ?, ?, ?, ?)", [crypto.randomUUID(), actor.tenant, id, i + 1, m]);
    record({ type: "RpjmdDrafted", entityType: "Rpjmd", entityId: id, after: { from: start, to: start! + 4, vision, missions } });
    return id;
  });
}

/** Adds a goal (tujuan) under one of the draft RPJMD's missions. Who: Bappeda. Emits RpjmdGoalAdded. */
export async function addRpjmdGoal(em: EntityManager, actor: Actor, clock: Clock, rpjmdId: string, input: { mission: number | string; code: string; text: string }): Promise<string> {
  const code = text(input.code, 20);
  const goal = text(input.text);
  const p = new Problems();
  if (!/^\d{1,2}(\.\d{1,2}){0,2}$/.test(code)) p.add("code", "planning.rpjmd.goalCodeFormat", { code });
  if (goal.length < 5) p.add("text", "planning.rpjmd.goalRequired");
  p.throwIfAny();
  return transact(em, actor, clock, async (tx, record) => {
    const r = await editable(tx, actor, rpjmdId);
    const [mission] = await tx.execute<{ id: string }[]>("select id from rpjmd_mission where rpjmd_id = ? and number = ?", [r.id, Number(input.mission) || 0]);
    if (!mission) throw new DomainError("planning.rpjmd.missionUnknown", { mission: String(input.mission) }, "invalid", "mission");
    const [dup] = await tx.execute<{ n: number }[]>("select 1 as n from rpjmd_goal where rpjmd_id = ? and code = ?", [r.id, code]);
    if (dup) throw new DomainError("planning.rpjmd.goalExists", { code }, "conflict", "code");
    const id = crypto.randomUUID();
    await tx.execute("insert into rpjmd_goal (id, tenant_code, rpjmd_id, mission_id, code, text) values (?, ?, ?, ?, ?, ?)", [id, actor.tenant, r.id, mission.id, code, goal]);
    record({ type: "RpjmdGoalAdded", entityType: "Rpjmd", entityId: r.id, after: { goal: id, mission: Number(input.mission), code, text: goal } });
    return id;
  });
}

async function goalOf(tx: EntityManager, actor: Actor, goalId: string) {
  if (!isUuid(goalId)) throw new DomainError("planning.rpjmd.goalUnknown", {}, "invalid", "goal");
  const [g] = await tx.execute<{ id: string; rpjmd_id: string; code: string }[]>("select id, rpjmd_id, code from rpjmd_goal where tenant_code = ? and id = ?", [actor.tenant, goalId]);
  if (!g) throw new DomainError("planning.rpjmd.goalUnknown", {}, "invalid", "goal");
  return g;
}

/**
 * Adds a goal indicator with its unit, baseline and a target for each of the five years (all five are
 * required: a year without a target cannot be evaluated). Who: Bappeda. Emits RpjmdIndicatorAdded.
 */
export async function addRpjmdIndicator(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  goalId: string,
  input: { name: string; unit: string; baseline?: string; targets: Record<string, string> },
): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const g = await goalOf(tx, actor, goalId);
    const r = await editable(tx, actor, g.rpjmd_id);
    const p = new Problems();
    const name = text(input.name, 300);
    const unit = text(input.unit, 50);
    if (name.length < 3) p.add("name", "planning.rpjmd.indicatorRequired");
    if (!unit) p.add("unit", "planning.rpjmd.unitRequired");
    const baseline = String(input.baseline ?? "").trim() ? p.check("baseline", () => decimal(input.baseline)) : null;
    const targets: [number, string][] = [];
    for (let y = r.start_year; y <= r.end_year; y++) {
      const raw = String(input.targets[String(y)] ?? "").trim();
      if (!raw) p.add(`target${y}`, "planning.rpjmd.targetRequired", { year: y });
      else {
        const v = p.check(`target${y}`, () => decimal(raw));
        if (v) targets.push([y, v]);
      }
    }
    p.throwIfAny();
    const [dup] = await tx.execute<{ n: number }[]>("select 1 as n from rpjmd_indicator where goal_id = ? and name = ?", [g.id, name]);
    if (dup) throw new DomainError("planning.rpjmd.indicatorExists", { name }, "conflict", "name");
    const id = crypto.randomUUID();
    await tx.execute("insert into rpjmd_indicator (id, tenant_code, goal_id, name, unit, baseline) values (?, ?, ?, ?, ?, ?)", [id, actor.tenant, g.id, name, unit, baseline ?? null]);
    for (const [y, v] of targets) await tx.execute("insert into rpjmd_target (indicator_id, year, target) values (?, ?, ?)", [id, y, v]);
    record({ type: "RpjmdIndicatorAdded", entityType: "Rpjmd", entityId: r.id, after: { goal: g.code, name, unit, baseline, targets: Object.fromEntries(targets) } });
    return id;
  });
}

/**
 * Declares that a programme serves a goal. The programme must exist in the nomenclature in force for the
 * RPJMD's first year. Who: Bappeda. Emits RpjmdProgramLinked.
 */
export async function linkRpjmdProgram(em: EntityManager, actor: Actor, clock: Clock, goalId: string, programCode: string): Promise<void> {
  const code = text(programCode, 20);
  await transact(em, actor, clock, async (tx, record) => {
    const g = await goalOf(tx, actor, goalId);
    const r = await editable(tx, actor, g.rpjmd_id);
    const item = await findInForce(tx, r.start_year, code);
    if (!item || item.level !== "program") throw new DomainError("planning.rpjmd.programUnknown", { code, year: r.start_year }, "invalid", "program");
    const [dup] = await tx.execute<{ n: number }[]>("select 1 as n from rpjmd_program where goal_id = ? and program_code = ?", [g.id, code]);
    if (dup) throw new DomainError("planning.rpjmd.programLinked", { code }, "conflict", "program");
    await tx.execute("insert into rpjmd_program (tenant_code, goal_id, program_code) values (?, ?, ?)", [actor.tenant, g.id, code]);
    record({ type: "RpjmdProgramLinked", entityType: "Rpjmd", entityId: r.id, after: { goal: g.code, program: code } });
  });
}

/**
 * Adopts the RPJMD (Perda). Refuses one that is incomplete: every mission needs a goal, every goal an
 * indicator and a programme. Locks it. Who: Bappeda. Emits RpjmdAdopted.
 */
export async function adoptRpjmd(em: EntityManager, actor: Actor, clock: Clock, rpjmdId: string, expectedVersion: number, legalBasis: string): Promise<void> {
  const basis = text(legalBasis, 300);
  if (basis.length < 5) throw new DomainError("planning.rpjmd.legalBasisRequired", {}, "invalid", "legalBasis");
  await transact(em, actor, clock, async (tx, record) => {
    const r = await editable(tx, actor, rpjmdId, expectedVersion);
    const gaps = await tx.execute<{ what: string; code: string }[]>(
      `select 'mission' as what, m.number::text as code from rpjmd_mission m where m.rpjmd_id = ? and not exists (select 1 from rpjmd_goal g where g.mission_id = m.id)
       union all select 'indicator', g.code from rpjmd_goal g where g.rpjmd_id = ? and not exists (select 1 from rpjmd_indicator i where i.goal_id = g.id)
       union all select 'program', g.code from rpjmd_goal g where g.rpjmd_id = ? and not exists (select 1 from rpjmd_program x where x.goal_id = g.id)
       order by 1, 2`,
      [r.id, r.id, r.id],
    );
    if (gaps.length) throw new DomainError(`planning.rpjmd.incomplete.${gaps[0].what}`, { code: gaps[0].code, more: gaps.length - 1 });
    await tx.execute("update rpjmd set status = 'adopted', legal_basis = ?, updated_at = ? where id = ?", [basis, clock.now(), r.id]);
    record({ type: "RpjmdAdopted", entityType: "Rpjmd", entityId: r.id, before: { status: "draft" }, after: { status: "adopted", legalBasis: basis } });
  });
}

export interface RpjmdView {
  id: string;
  startYear: number;
  endYear: number;
  vision: string;
  legalBasis: string;
  status: "draft" | "adopted";
  version: number;
  missions: {
    number: number;
    text: string;
    goals: {
      id: string;
      code: string;
      text: string;
      indicators: { id: string; name: string; unit: string; baseline: string | null; targets: Record<string, string> }[];
      programs: { code: string; name: string }[];
    }[];
  }[];
}

/** An RPJMD whole, for its page and its JSON: missions → goals → indicators (with yearly targets) and programmes. */
export async function rpjmdView(em: EntityManager, tenant: string, id: string): Promise<RpjmdView> {
  const r = await loadRpjmd(em, tenant, id);
  const missions = await em.execute<{ id: string; number: number; text: string }[]>("select id, number, text from rpjmd_mission where rpjmd_id = ? order by number", [r.id]);
  const goals = await em.execute<{ id: string; mission_id: string; code: string; text: string }[]>(
    "select id, mission_id, code, text from rpjmd_goal where rpjmd_id = ? order by string_to_array(code, '.')::int[]",
    [r.id],
  );
  const indicators = await em.execute<{ id: string; goal_id: string; name: string; unit: string; baseline: string | null; targets: Record<string, string> | null }[]>(
    `select i.id, i.goal_id, i.name, i.unit, i.baseline::text as baseline,
            (select json_object_agg(t.year::text, t.target::text order by t.year) from rpjmd_target t where t.indicator_id = i.id) as targets
       from rpjmd_indicator i join rpjmd_goal g on g.id = i.goal_id where g.rpjmd_id = ? order by i.name`,
    [r.id],
  );
  const programs = await em.execute<{ goal_id: string; code: string; name: string | null }[]>(
    `select x.goal_id, x.program_code as code,
            (select i.name from nomenclature_item i join nomenclature_set s on s.id = i.set_id
              where s.kind = 'planning' and s.applies_from <= ? and i.code = x.program_code order by s.applies_from desc, s.imported_at desc limit 1) as name
       from rpjmd_program x join rpjmd_goal g on g.id = x.goal_id where g.rpjmd_id = ? order by x.program_code`,
    [r.start_year, r.id],
  );
  const n = (v: string | null) => (v === null ? null : new D(v).toFixed());
  return {
    id: r.id,
    startYear: r.start_year,
    endYear: r.end_year,
    vision: r.vision,
    legalBasis: r.legal_basis,
    status: r.status,
    version: r.version,
    missions: missions.map((m) => ({
      number: m.number,
      text: m.text,
      goals: goals
        .filter((g) => g.mission_id === m.id)
        .map((g) => ({
          id: g.id,
          code: g.code,
          text: g.text,
          indicators: indicators
            .filter((i) => i.goal_id === g.id)
            .map((i) => ({ id: i.id, name: i.name, unit: i.unit, baseline: n(i.baseline), targets: Object.fromEntries(Object.entries(i.targets ?? {}).map(([y, v]) => [y, n(v)!])) })),
          programs: programs.filter((x) => x.goal_id === g.id).map((x) => ({ code: x.code, name: x.name ?? "" })),
        })),
    })),
  };
}

/** Every RPJMD of the tenant, newest period first. */
export async function listRpjmd(em: EntityManager, tenant: string) {
  return em.execute<{ id: string; start_year: number; end_year: number; vision: string; status: string }[]>(
    "select id, start_year, end_year, vision, status from rpjmd where tenant_code = ? order by start_year desc",
    [tenant],
  );
}

/** The adopted RPJMD covering a year, if any. */
export async function rpjmdForYear(em: EntityManager, tenant: string, year: number): Promise<{ id: string; start_year: number; end_year: number } | null> {
  const [r] = await em.execute<{ id: string; start_year: number; end_year: number }[]>(
    "select id, start_year, end_year from rpjmd where tenant_code = ? and status = 'adopted' and start_year <= ? and end_year >= ?",
    [tenant, year, year],
  );
  return r ?? null;
}

/**
 * The RPJMD goal a sub-activity under `programCode` serves in `year`. With no adopted RPJMD covering the
 * year there is nothing to check (null). Otherwise the programme must serve a goal; `chosen` (a goal id)
 * picks among several and must be one of them; by default the first goal by code.
 */
export async function goalServed(tx: EntityManager, tenant: string, year: number, programCode: string, chosen?: string): Promise<string | null> {
  const r = await rpjmdForYear(tx, tenant, year);
  if (!r) return null;
  const goals = await tx.execute<{ id: string }[]>(
    `select g.id from rpjmd_goal g join rpjmd_program x on x.goal_id = g.id where g.rpjmd_id = ? and x.program_code = ? order by string_to_array(g.code, '.')::int[]`,
    [r.id, programCode],
  );
  if (!goals.length) throw new DomainError("planning.programNotInRpjmd", { program: programCode, from: r.start_year, to: r.end_year }, "invalid", "subKegiatan");
  if (chosen && chosen.trim()) {
    if (!goals.some((g) => g.id === chosen.trim())) throw new DomainError("planning.goalNotServed", { program: programCode }, "invalid", "goal");
    return chosen.trim();
  }
  return goals[0].id;
}
