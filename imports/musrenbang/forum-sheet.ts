import type ExcelJS from "exceljs";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { DomainError, ValidationErrors } from "../../domain/kernel/domain-error";
import {
  Forum,
  Proposal,
  SCORED_STATUS,
  checkScore,
  cleanProposal,
  editProposal,
  forumWorkspace,
  proposalSnapshot,
  raiseProposal,
  scoreProposal,
  type CleanProposal,
  type ProposalInput,
  type ScoredLevel,
} from "../../domain/musrenbang";
import { FORUM_COLUMNS, FORUM_SHEET, columnLetter, type ForumColumnKey } from "../../exports/xlsx/musrenbang";
import { forumRunBy } from "../../exports/xlsx/musrenbang-data";
import { importView } from "./import-view";
import { cellText, readXlsx, sortSheetErrors, type SheetError } from "../shared/xlsx";
import { isUuid } from "../../domain/kernel/codes";

/**
 * Reads an offline forum's Excel file (the template of exports/xlsx/musrenbang.ts) back into its forum.
 * Verifies everything first — the file, its Meta sheet, the header row, every cell of every row, the
 * proposals the rows name and what the forum's state allows — and reports every problem by Excel row
 * and column letter. Only a clean file is applied: in one transaction, through the forms' use cases
 * (raiseProposal for new rows, editProposal for changed rows, scoreProposal for changed scores). An
 * untouched file changes nothing and writes no audit event.
 *
 * Who: the forum's own facilitators. Throws DomainError 404 (unknown forum) and 403 (anyone else)
 * before reading the file; everything about the file is returned as errors.
 */

export type { SheetError };
export { cellText };

export type ForumSheetResult =
  | { ok: true; created: number; updated: number; scored: number; unchanged: number }
  | { ok: false; errors: SheetError[] };

/** Proposal rows accepted in one upload. */
export const MAX_ROWS = 5000;
/** Rows exceljs parses in any sheet before giving up: a guard against huge files. */
const PARSE_LIMIT = 50_000;

interface Meta {
  forumId: string;
  criteria: { code: string; header: string }[];
  /** Each proposal's version when the template was made, by code. */
  versions: Map<string, number>;
}
interface Located {
  col: number;
  letter: string;
  header: string;
}
interface Layout {
  columns: Map<ForumColumnKey, Located>;
  scores: Map<string, Located>;
  /** Where a field (ProposalInput or entity name) or a criterion (`score:<code>`) sits in this file. */
  where(key: string): { column: string; header: string };
}
interface Row {
  number: number;
  get(key: ForumColumnKey): ExcelJS.CellValue;
  score(code: string): string;
}
interface Step {
  row: number;
  raise?: ProposalInput;
  edit?: { id: string; version: number; input: ProposalInput };
  score?: { id: string; scores: Record<string, number> };
}
type Workspace = Awaited<ReturnType<typeof forumWorkspace>>;

const fail = (errors: SheetError[]): ForumSheetResult => ({ ok: false, errors: sortSheetErrors(errors) });
const fileError = (key: string, params?: Record<string, unknown>): SheetError => ({ row: 0, column: "", header: "", key, ...(params ? { params } : {}) });
const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * Imports an offline forum's file into the forum `forumId`: either every problem and no change, or
 * the whole file applied in one transaction with what it did counted.
 */
export async function importForumSheet(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  forumId: string,
  buffer: Uint8Array | ArrayBuffer,
): Promise<ForumSheetResult> {
  const read = em.fork();
  read.setFilterParams("tenant", { tenant: actor.tenant });
  const forum = await forumRunBy(read, actor, forumId);

  const wb = await readXlsx(buffer, { maxRows: PARSE_LIMIT });
  if (wb === "unreadable") return fail([fileError("import.file.unreadable")]);
  if (wb === "tooLarge") return fail([fileError("import.file.tooManyRows", { rows: `> ${PARSE_LIMIT}`, max: MAX_ROWS })]);
  const meta = readMeta(wb);
  if ("key" in meta) return fail([meta]);
  if (meta.forumId !== forum.id) {
    const other = isUuid(meta.forumId) ? await read.findOne(Forum, { id: meta.forumId }) : null;
    return fail([fileError("import.meta.wrongForum", { forum: other ? `${other.name} ${other.fiscalYear}` : meta.forumId })]);
  }
  const sheet = wb.getWorksheet(FORUM_SHEET.usulan);
  if (!sheet) return fail([fileError("import.sheet.missing", { sheet: FORUM_SHEET.usulan })]);

  const workspace = await forumWorkspace(read, actor, forum.id);
  const was = meta.criteria.map((c) => c.code);
  const now = workspace.criteria.map((c) => c.code);
  const gone = meta.criteria.find((c) => !now.includes(c.code))?.header ?? workspace.criteria.find((c) => !was.includes(c.code))?.name;
  if (gone !== undefined) return fail([fileError("import.meta.criteriaChanged", { header: gone })]);

  const errors: SheetError[] = [];
  const layout = readHeader(sheet, meta, errors);
  const rows = readRows(sheet, layout, now);
  if (rows.length > MAX_ROWS) return fail([fileError("import.file.tooManyRows", { rows: rows.length, max: MAX_ROWS })]);
  const { plan, unchanged } = await checkRows(read, actor, forum, workspace, meta, layout, rows, errors);
  if (errors.length) return fail(errors);
  if (!plan.length) return { ok: true, created: 0, updated: 0, scored: 0, unchanged };
  return apply(em, actor, clock, forum, plan, unchanged, layout);
}

function readMeta(wb: ExcelJS.Workbook): Meta | SheetError {
  const sheet = wb.getWorksheet(FORUM_SHEET.meta);
  if (!sheet) return fileError("import.meta.missing");
  const kv = new Map<string, string>();
  const criteria: Meta["criteria"] = [];
  const versions = new Map<string, number>();
  sheet.eachRow((row) => {
    const [k, a, b] = [1, 2, 3].map((i) => cellText(row.getCell(i).value).trim());
    if (k === "criterion") criteria.push({ code: a, header: b });
    else if (k === "proposal") versions.set(a, Number(b));
    else if (k) kv.set(k, a);
  });
  if (kv.get("format") !== FORUM_SHEET.format || !kv.get("forumId")) return fileError("import.meta.missing");
  if (kv.get("version") !== String(FORUM_SHEET.version)) return fileError("import.meta.version", { version: kv.get("version") ?? "", supported: FORUM_SHEET.version });
  return { forumId: kv.get("forumId")!, criteria, versions };
}

/** The header row: every fixed column and every score column exactly once, nothing unknown. */
function readHeader(sheet: ExcelJS.Worksheet, meta: Meta, errors: SheetError[]): Layout {
  const columns = new Map<ForumColumnKey, Located>();
  const scores = new Map<string, Located>();
  const seen = new Map<string, string>();
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    const header = cellText(cell.value).trim();
    if (!header) return;
    const letter = columnLetter(col);
    const key = norm(header);
    if (seen.has(key)) return errors.push({ row: 1, column: letter, header, key: "import.header.duplicate", params: { header, first: seen.get(key) } });
    seen.set(key, letter);
    const fixed = FORUM_COLUMNS.find((c) => norm(c.header) === key);
    const criterion = meta.criteria.find((c) => norm(c.header) === key);
    if (fixed) columns.set(fixed.key, { col, letter, header: fixed.header });
    else if (criterion) scores.set(criterion.code, { col, letter, header: criterion.header });
    else errors.push({ row: 1, column: letter, header, key: "import.header.unknown", params: { header } });
  });
  // A missing column is named where the template had it.
  const expected = [
    ...FORUM_COLUMNS.map((c) => ({ key: c.key as string, header: c.header, found: columns.has(c.key) })),
    ...meta.criteria.map((c) => ({ key: `score:${c.code}`, header: c.header, found: scores.has(c.code) })),
  ];
  expected.forEach((c, i) => {
    if (!c.found) errors.push({ row: 1, column: columnLetter(i + 1), header: c.header, key: "import.header.missing", params: { header: c.header } });
  });
  return {
    columns,
    scores,
    where(key) {
      const k = key === "targetOpdId" ? "targetOpd" : key;
      const c = k.startsWith("score:") ? scores.get(k.slice(6)) : columns.get(k as ForumColumnKey);
      if (c) return { column: c.letter, header: c.header };
      const i = expected.findIndex((e) => e.key === k);
      return i >= 0 ? { column: columnLetter(i + 1), header: expected[i].header } : { column: "", header: "" };
    },
  };
}

/** The rows below the header that carry anything. */
function readRows(sheet: ExcelJS.Worksheet, layout: Layout, criteria: string[]): Row[] {
  const rows: Row[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const r: Row = {
      number,
      get: (key) => {
        const c = layout.columns.get(key);
        return c ? row.getCell(c.col).value : null;
      },
      score: (code) => {
        const c = layout.scores.get(code);
        return c ? cellText(row.getCell(c.col).value).trim() : "";
      },
    };
    if ([...layout.columns.keys()].some((k) => cellText(r.get(k)).trim() !== "") || criteria.some((c) => r.score(c) !== "")) rows.push(r);
  });
  return rows;
}

/** A row's fields as the form would send them; the OPD list offers "code — name", the code counts. */
function inputOf(r: Row): { input: ProposalInput; fractional: string | null } {
  const text = (key: ForumColumnKey) => cellText(r.get(key)).trim();
  const b = r.get("beneficiaries");
  // why: cleanProposal reads "1.500" as fifteen hundred, so 150.5 from a number cell would become 1505.
  const fractional = typeof b === "number" && !Number.isInteger(b) ? cellText(b) : null;
  return {
    fractional,
    input: {
      title: text("title"),
      problem: text("problem"),
      kind: text("kind"),
      thematicGroup: text("thematicGroup"),
      bidangUrusan: text("bidangUrusan"),
      targetOpd: text("targetOpd").split(/\s/)[0],
      address: text("address"),
      rt: text("rt"),
      rw: text("rw"),
      lat: text("lat"),
      lng: text("lng"),
      volume: text("volume"),
      unit: text("unit"),
      estimatedCost: text("estimatedCost"),
      beneficiaries: fractional === null ? text("beneficiaries") : "0",
    },
  };
}

/**
 * Every row against the form's rules and the forum's state. Returns what to do; every problem goes to
 * `errors`, located.
 */
async function checkRows(
  read: EntityManager,
  actor: Actor,
  forum: Forum,
  workspace: Workspace,
  meta: Meta,
  layout: Layout,
  rows: Row[],
  errors: SheetError[],
): Promise<{ plan: Step[]; unchanged: number }> {
  const criteria = workspace.criteria;
  const byCode = new Map((await read.find(Proposal, { currentForumId: forum.id })).map((p) => [p.code, p]));
  const scoredStatus = criteria.length ? SCORED_STATUS[forum.level as ScoredLevel] : null;
  const lookups = importView(read, { codes: false });
  const firstRowOf = new Map<string, number>();
  const plan: Step[] = [];
  let unchanged = 0;

  for (const r of rows) {
    const at = (key: string, errKey: string, params?: Record<string, unknown>) => errors.push({ row: r.number, ...layout.where(key), key: errKey, ...(params ? { params } : {}) });
    const { input, fractional } = inputOf(r);
    if (fractional !== null) at("beneficiaries", "import.row.wholeNumber", { value: fractional });
    let clean: CleanProposal | null = null;
    try {
      clean = await cleanProposal(lookups, actor.tenant, input, { desaRequired: false });
    } catch (e) {
      if (e instanceof ValidationErrors) {
        // A missing column was reported once, on the header row; a fractional count just above.
        for (const p of e.problems)
          if (!(p.field === "beneficiaries" && fractional !== null) && (layout.columns.has(p.field as ForumColumnKey) || !FORUM_COLUMNS.some((c) => c.key === p.field))) at(p.field, p.key, p.params);
      } else if (e instanceof DomainError) at(e.field ?? "", e.key, e.params);
      else throw e;
    }

    const code = cellText(r.get("code")).trim();
    const p = code ? byCode.get(code) : undefined;
    const step: Step = { row: r.number };
    if (code) {
      if (firstRowOf.has(code)) at("code", "import.row.duplicateCode", { code, first: firstRowOf.get(code) });
      else firstRowOf.set(code, r.number);
      if (!p) at("code", "import.row.unknownCode", { code });
    } else if (forum.level !== "desa") at("code", "import.forum.notDesa");
    else if (forum.status !== "open") at("code", "import.forum.notOpen", { status: forum.status });
    else if (clean) step.raise = input;

    if (p && clean) {
      // The same comparison editProposal makes: only a real change is an edit.
      const before = proposalSnapshot(p);
      const after: Record<string, unknown> = { ...clean, estimatedCost: String(clean.estimatedCost) };
      const changed = Object.keys(before).filter((k) => String(before[k] ?? "") !== String(after[k] ?? ""));
      if (changed.length) {
        const editable = p.status === "submitted" && p.originForumId === forum.id && forum.status === "open";
        if (!editable) for (const k of changed) at(k, "import.row.notEditable", { code, status: p.status, forum: forum.status });
        else if ((meta.versions.get(code) ?? p.version) !== p.version) at("code", "import.row.stale", { code });
        else step.edit = { id: p.id, version: p.version, input };
      }
    }

    if (criteria.length) {
      const had = p ? (workspace.scores[p.id] ?? {}) : {};
      const given: Record<string, number | null> = {};
      let bad = false;
      for (const c of criteria) {
        const t = r.score(c.code);
        try {
          given[c.code] = t ? checkScore(t, `score.${c.code}`) : null;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          at(`score:${c.code}`, e.key, e.params);
          bad = true;
        }
      }
      const differs = criteria.filter((c) => layout.scores.has(c.code) && (given[c.code] ?? null) !== (had[c.code] ?? null));
      if (!bad && differs.length && (p || (!code && forum.status === "open"))) {
        const first = `score:${differs[0].code}`;
        if (forum.status !== "scoring") at(first, "musrenbang.forum.notScoring", { status: forum.status });
        else if (!p || p.status !== scoredStatus) at(first, "musrenbang.score.notCandidate", { code });
        else {
          const blank = criteria.filter((c) => given[c.code] === null);
          for (const c of blank) at(`score:${c.code}`, "musrenbang.score.missing", { criterion: c.name });
          if (!blank.length) step.score = { id: p.id, scores: given as Record<string, number> };
        }
      }
    }
    if (step.raise || step.edit || step.score) plan.push(step);
    else unchanged++;
  }
  return { plan, unchanged };
}

class RowFailure extends Error {
  constructor(
    readonly row: number,
    readonly error: DomainError,
  ) {
    super(error.message);
  }
}

/** Every planned step in one transaction, through the forms' use cases. Any refusal undoes the whole file. */
async function apply(em: EntityManager, actor: Actor, clock: Clock, forum: Forum, plan: Step[], unchanged: number, layout: Layout): Promise<ForumSheetResult> {
  const base = em.fork();
  base.setFilterParams("tenant", { tenant: actor.tenant });
  const counts = { created: 0, updated: 0, scored: 0 };
  try {
    await base.transactional(
      async (outer) => {
        const tx = importView(outer, { codes: true });
        // The plan was checked against this status; hold it until the file is in.
        const now = await tx.findOne(Forum, { id: forum.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!now || now.status !== forum.status) throw new RowFailure(0, new DomainError("concurrency.stale", {}, "conflict"));
        for (const s of plan) {
          try {
            if (s.raise) {
              await raiseProposal(tx, actor, clock, forum.id, s.raise);
              counts.created++;
            }
            if (s.edit && (await editProposal(tx, actor, clock, s.edit.id, s.edit.input, s.edit.version)).changed.length) counts.updated++;
            if (s.score) {
              await scoreProposal(tx, actor, clock, forum.id, s.score.id, s.score.scores);
              counts.scored++;
            }
          } catch (e) {
            if (e instanceof DomainError) throw new RowFailure(s.row, e);
            throw e;
          }
          // why: what a use case loaded stays in tx; left there, every later flush would re-check it all.
          tx.clear();
        }
      },
      // why: the file is all or nothing, so the use cases' own transactions join this one instead of
      // each opening a savepoint (two more round trips and an identity-map copy per row).
      { ignoreNestedTransactions: true },
    );
  } catch (e) {
    if (!(e instanceof RowFailure)) throw e;
    const { row, error } = e;
    const located = (field: string | undefined, key: string, params?: Record<string, unknown>): SheetError => ({
      row,
      ...(row > 0 && field ? layout.where(field.replace(/^score\./, "score:")) : { column: "", header: "" }),
      key,
      ...(params ? { params } : {}),
    });
    return fail(error instanceof ValidationErrors ? error.problems.map((p) => located(p.field, p.key, p.params)) : [located(error.field, error.key, error.params)]);
  }
  return { ok: true, ...counts, unchanged: unchanged + plan.length - counts.created - counts.updated - counts.scored };
}
