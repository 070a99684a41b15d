import type { EntityManager } from "@mikro-orm/postgresql";
import { D } from "../../domain/kernel/money";
import { pgArray } from "../../domain/kernel/pg";
import { amountDecimal } from "./mapping/values";
import { mergerFor } from "./merge";
import { QualityCollector, type Check, type QualityOptions, type QualityReport } from "./quality";
import type { Json, JsonObject } from "./schema";

/**
 * Coherence checks (issue #8, capability 3) — what the schema cannot say, checked on a process's compiled
 * release (a contract's award is usually in an earlier release than the contract):
 *
 *   dateOrder       every period starts no later than it ends; an award (neither cancelled nor unsuccessful) is dated no earlier
 *                   than the end of the tender period; a contract is signed no earlier than its award.
 *   negativeAmount  every amount (a Value: `amount` with a `currency`) is ≥ 0.
 *   awardContract   a contract's `awardID` names an award of the process.
 *   contractValue   a contract's value is within its award's value, unless the contract has been amended
 *                   (OCDS amendments carry no value: an amended contract may legitimately exceed it).
 *   paymentValue    the transactions of a contract's implementation add up to no more than its value.
 *
 * Calendar dates are published as the start (00:00:00) or end (23:59:59) of a day: such a value stands for
 * the whole day, so an award and a contract signed the same day are in order.
 *
 * Each finding's example names the ocid, the release that last set the field and the JSON pointer in the
 * compiled release.
 *
 * `storedQualityReport` is the report over every stored release of a tenant (the /admin/ocds page):
 * processes are read in pages by their publication number (`ocds_process.seq`, a keyset), each page's
 * releases in publication order; each release goes through the quality checks, each process's compiled
 * release through the coherence checks — never more than a page of processes in memory.
 */

export type Report = (check: Check, path: string, message: string, example: string, key?: string) => void;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** A step into a compiled release: a field name, or an array element identified by its `id` (and index). */
type Step = { key: string } | { id: string; index: number };

const DAY_MS = 86_400_000;

/** The span of instants a date-time stands for: a day's start or end stands for the whole day. */
function span(text: Json | undefined): [number, number] | null {
  if (typeof text !== "string") return null;
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  if (/T00:00:00(\.0+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return [t, t + DAY_MS - 1];
  if (/T23:59:59(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return [t - DAY_MS + 1000, t + 999];
  return [t, t];
}

/** True when `a` is certainly later than `b` (a must not be after b). */
const after = (a: Json | undefined, b: Json | undefined) => {
  const x = span(a);
  const y = span(b);
  return x !== null && y !== null && x[0] > y[1];
};

const amountOf = (v: Json | undefined): { amount: number; currency: string | null } | null =>
  isObject(v) && typeof v.amount === "number" ? { amount: v.amount, currency: typeof v.currency === "string" ? v.currency : null } : null;

const pointerOf = (steps: Step[]) => steps.map((s) => `/${"key" in s ? s.key.replace(/~/g, "~0").replace(/\//g, "~1") : s.index}`).join("");
const pathOf = (steps: Step[]) =>
  steps
    .filter((s): s is { key: string } => "key" in s)
    .map((s) => s.key)
    .join(".");

/** The id of the last release (in merge order) that carries the field the steps lead to. */
function sourceRelease(releases: readonly JsonObject[], steps: Step[]): string | null {
  for (let i = releases.length - 1; i >= 0; i--) {
    let cur: Json | undefined = releases[i];
    for (const s of steps) {
      if ("key" in s) cur = isObject(cur) ? cur[s.key] : undefined;
      else cur = Array.isArray(cur) ? cur.find((x) => isObject(x) && String(x.id) === s.id) : undefined;
      if (cur === undefined) break;
    }
    if (cur !== undefined) return String(releases[i].id ?? "(no id)");
  }
  return null;
}

/**
 * The coherence checks of one process: its compiled release, and its releases in merge order (to name
 * the release behind each finding).
 */
export function checkCoherence(compiled: JsonObject, releases: readonly JsonObject[], report: Report): void {
  const ocid = typeof compiled.ocid === "string" ? compiled.ocid : "(no ocid)";
  const found = (check: Check, steps: Step[], message: string, key?: string) =>
    report(check, pathOf(steps), message, `${ocid} ${sourceRelease(releases, steps) ?? "(compiled)"}: ${pointerOf(steps) || "/"}`, key);

  // Every period in order, every amount ≥ 0, wherever they are.
  const visit = (v: Json | undefined, steps: Step[]) => {
    if (Array.isArray(v)) {
      v.forEach((x, index) => visit(x, [...steps, isObject(x) && x.id !== undefined ? { id: String(x.id), index } : { id: `\u0000${index}`, index }]));
      return;
    }
    if (!isObject(v)) return;
    const last = steps[steps.length - 1];
    const name = last && "key" in last ? last.key : "";
    if ((name === "period" || /Period$/.test(name)) && after(v.startDate, v.endDate)) {
      found("dateOrder", steps, `${name} starts (${String(v.startDate)}) after it ends (${String(v.endDate)})`, "period");
    }
    const money = amountOf(v);
    if (money && money.amount < 0 && "currency" in v) found("negativeAmount", [...steps, { key: "amount" }], "a negative amount", "amount");
    for (const [k, child] of Object.entries(v)) visit(child, [...steps, { key: k }]);
  };
  visit(compiled, []);

  const tender = isObject(compiled.tender) ? compiled.tender : null;
  const tenderEnd = tender && isObject(tender.tenderPeriod) ? tender.tenderPeriod.endDate : undefined;
  const awards = Array.isArray(compiled.awards) ? compiled.awards.filter(isObject) : [];
  const awardsById = new Map(awards.map((a) => [String(a.id), a]));
  const awardStep = (a: JsonObject): Step[] => [{ key: "awards" }, { id: String(a.id), index: awards.indexOf(a) }];
  for (const a of awards) {
    if (a.status !== "cancelled" && a.status !== "unsuccessful" && after(tenderEnd, a.date)) {
      found("dateOrder", [...awardStep(a), { key: "date" }], `the award is dated (${String(a.date)}) before the tender period ends (${String(tenderEnd)})`);
    }
  }

  const contracts = Array.isArray(compiled.contracts) ? compiled.contracts.filter(isObject) : [];
  contracts.forEach((c, index) => {
    const at: Step[] = [{ key: "contracts" }, { id: String(c.id), index }];
    const award = c.awardID !== undefined ? awardsById.get(String(c.awardID)) : undefined;
    if (!award) {
      found("awardContract", [...at, { key: "awardID" }], c.awardID === undefined ? "a contract without an awardID" : `the contract's awardID ${JSON.stringify(c.awardID)} names no award of the process`);
    } else {
      if (after(award.date, c.dateSigned)) found("dateOrder", [...at, { key: "dateSigned" }], `the contract is signed (${String(c.dateSigned)}) before its award's date (${String(award.date)})`);
      const value = amountOf(c.value);
      const awarded = amountOf(award.value);
      const amended = Array.isArray(c.amendments) && c.amendments.length > 0;
      if (value && awarded && value.currency === awarded.currency && amountDecimal(value.amount).gt(amountDecimal(awarded.amount)) && !amended) {
        found("contractValue", [...at, { key: "value" }], "the contract's value exceeds its award's value, with no amendment to account for it");
      }
    }
    const value = amountOf(c.value);
    const implementation = isObject(c.implementation) ? c.implementation : null;
    const transactions = implementation && Array.isArray(implementation.transactions) ? implementation.transactions.filter(isObject) : [];
    if (value && transactions.length) {
      let paid = new D(0);
      for (const t of transactions) {
        const v = amountOf(t.value) ?? amountOf(t.amount);
        if (v && v.currency === value.currency) paid = paid.plus(amountDecimal(v.amount));
      }
      if (paid.gt(amountDecimal(value.amount))) {
        found("paymentValue", [...at, { key: "implementation" }, { key: "transactions" }], "the contract's payments add up to more than its value");
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The report over stored releases

export interface StoredReportOptions extends QualityOptions {
  /** Processes read per page (default 200). */
  pageSize?: number;
}

/**
 * The quality report (quality.ts) and the coherence checks over every stored release of a tenant, read in
 * pages of processes (keyset on `ocds_process.seq`).
 */
export async function storedQualityReport(em: EntityManager, tenant: string, options: StoredReportOptions = {}): Promise<QualityReport> {
  const q = new QualityCollector(options);
  const merger = mergerFor(q.schemas.release);
  const add: Report = (check, path, message, example, key) => q.add(check, path, message, example, key);
  const pageSize = options.pageSize ?? 200;
  let after = "0";
  for (;;) {
    const processes = await em.execute<{ ocid: string; seq: string }[]>(
      // Ordered by the column, not by the text output of the same name (which sorts "10" before "9").
      "select p.ocid, p.seq::text as seq from ocds_process p where p.tenant_code = ? and p.seq > ?::bigint order by p.seq limit ?",
      [tenant, after, pageSize],
    );
    if (!processes.length) break;
    after = processes[processes.length - 1].seq;
    const rows = await em.execute<{ ocid: string; data: string }[]>(
      "select ocid, data::text as data from ocds_release where tenant_code = ? and ocid = any(?::text[]) order by ocid, seq",
      [tenant, pgArray(processes.map((p) => p.ocid))],
    );
    let i = 0;
    while (i < rows.length) {
      const ocid = rows[i].ocid;
      const releases: JsonObject[] = [];
      for (; i < rows.length && rows[i].ocid === ocid; i++) {
        const release = JSON.parse(rows[i].data) as JsonObject;
        q.addRelease(release, `ocds_release ${String(release.id)}`);
        releases.push(release);
      }
      const record = merger.record(releases);
      checkCoherence(record.compiledRelease as JsonObject, record.releases as JsonObject[], add);
    }
    if (processes.length < pageSize) break;
  }
  return q.report(["stored releases"]);
}
