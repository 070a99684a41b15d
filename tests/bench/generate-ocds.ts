/**
 * Scale data for open contracting (issue #8): the OCDS releases and stored records of a generated year, as
 * the publisher (exports/ocds/publish.ts) would have written them had the generators' events gone through
 * the use cases (tests/bench/generate-procurement.ts and generate-monev.ts write `procurement_event` rows
 * only, in bulk).
 *
 *   releases   one per procurement event of the year that has none yet, in the events' time order (their
 *              publication order): built by the real mapping (`buildRelease`, exports/ocds/mapping.ts) from
 *              the event and its process as it stood right after it. That snapshot is the process as the
 *              publisher's own loader reads it now (`loadSnapshot`, one statement per package), wound back to
 *              the event from the process's events: selections only once announced, their status as of the
 *              event (announced → opened → winner announced → SPPBJ → contracted, or failed), bids only once
 *              opened, their corrected prices once evaluated and their results once public, addenda and
 *              questions made by then, the winners named by then; contracts only once awarded, unsigned
 *              (no number, dates or terms) until signed, their value, end date and amendments as of the
 *              event, terminated or refused only from that event on, paid once a payment was recorded; the
 *              package cancelled only from its cancellation; the previous release of the process (what an
 *              amendment amends), an addendum's moved deadline and schedule only from the addendum on.
 *              tests/integration/bench-ocds.test.ts and bench-ocds-story.test.ts check that this gives back,
 *              value for value, every release the real publisher stored — the demo's processes, and stories
 *              run through the use cases for what the demo lacks (addenda, failed tenders, cancelled packages,
 *              amended and terminated contracts, refused and withdrawn orders). Not wound back, as the
 *              generators make none of them: a RUP re-import's changes to a package (PackageAmended), a
 *              re-evaluation (reevaluate), a sanggah upheld.
 *   validation every release (or every `validateEvery`-th) against the patched release schema, strictly
 *              (`validateRelease`), as the publisher does before storing: an invalid one stops the generator.
 *   storage    `ocds_release` (data: the release's JSON text, as the publisher stores it), `ocds_process`
 *              (in order of first release) and `ocds_record`: each process's compiled release from all its
 *              releases (exports/ocds/records.ts `compileTexts`, what the publisher's incremental merges give),
 *              with its latest release and count. A process that already had releases (generated before, e.g.
 *              procurement, then e-Monev's implementation events) is compiled again from all of them; the new
 *              releases are numbered after the stored ones (publication order), in their events' time order.
 *
 * Cost: one loadSnapshot statement per process dominates (17,100 processes: 60–130 s on the shared 2 cores at
 * load 6–9); building, validating every release and compiling the records take another 20–70 s, the inserts
 * 25–60 s.
 *
 * No audit events (nobody published these through a use case). Deterministic given the events.
 *
 * Standalone: `tsx tests/bench/generate-ocds.ts --year 2030 [--validate-every N]` against DATABASE_URL or the
 * embedded database, after generate-procurement (and generate-monev) for that year.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import { insertRows } from "./bulk";
import { createOrm } from "../../domain/persistence";
import { pgArray } from "../../domain/kernel/pg";
import { buildRelease, ocidOf, releaseIdOf, type ProcessSnapshot, type ReleaseEvent } from "../../exports/ocds/mapping";
import type { SnapshotContract, SnapshotTender } from "../../exports/ocds/mapping/snapshot";
import { loadSnapshot, mappingOptions, ocdsConfig } from "../../exports/ocds/publish";
import { compileTexts, merger } from "../../exports/ocds/records";
import type { JsonObject } from "../../exports/ocds/schema";
import { validateRelease } from "../../exports/ocds/validate";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { runStandalone } from "./standalone";

export interface GenerateOcdsOptions {
  year: number;
  tenant?: string;
  /** Validate every n-th release (default 1: all of them). */
  validateEvery?: number;
  /** Snapshots loaded at once (default 3). */
  concurrency?: number;
}

export interface GenerateOcdsResult {
  year: number;
  releases: number;
  byTag: Record<string, number>;
  /** Processes with new releases; of which new (their first release). */
  processes: number;
  newProcesses: number;
  validated: number;
  /** Bytes of release JSON written, and of the processes' compiled releases. */
  releaseBytes: number;
  compiledBytes: number;
  insertMs: Record<string, number>;
  ms: { read: number; snapshots: number; build: number; validate: number; compile: number; insert: number; analyze: number; total: number };
}

/** An event as procurement_event holds it. */
export interface StoredEvent {
  id: string;
  package_id: string;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

/** What the snapshot does not carry but winding it back needs: when each question was asked, each payment recorded. */
export interface SnapshotTimes {
  questions: Map<string, number[]>;
  payments: Map<string, number[]>;
}

const PUBLIC_RESULTS = new Set(["winner_announced", "sppbj", "contracted", "failed", "cancelled"]);
const WINNER_NAMED = new Set(["winner_announced", "sppbj", "contracted"]);

/**
 * The process as it stood right after `events[upTo]` (events: the package's, in publication order), from its
 * snapshot now (`final`, as loadSnapshot reads it) — see the header for what is wound back.
 */
export function snapshotAsOf(final: ProcessSnapshot, events: readonly StoredEvent[], upTo: number, times: SnapshotTimes, previousReleaseId: string | null): ProcessSnapshot {
  const at = Date.parse(events[upTo].at);
  const tenderStatus = new Map<string, SnapshotTender["status"]>();
  const contractStatus = new Map<string, SnapshotContract["status"]>();
  const amendments = new Map<string, number>();
  let cancelled = false;
  const tenderOfContract = new Map(final.contracts.map((c) => [c.id, c.tenderId]));
  for (let i = 0; i <= upTo; i++) {
    const e = events[i];
    const tender = typeof e.payload.tender === "string" ? e.payload.tender : null;
    const contract = typeof e.payload.contract === "string" ? e.payload.contract : null;
    switch (e.type) {
      case "PackageCancelled":
        cancelled = true;
        break;
      case "TenderAnnounced":
        tenderStatus.set(tender!, "announced");
        break;
      case "TenderOpened":
        tenderStatus.set(tender!, "opened");
        break;
      case "WinnerAnnounced":
        tenderStatus.set(tender!, "winner_announced");
        break;
      case "TenderFailed":
        tenderStatus.set(tender!, "failed");
        break;
      case "TenderCancelled":
        tenderStatus.set(tender!, "cancelled");
        break;
      case "Awarded":
        contractStatus.set(contract!, "sppbj");
        if (tender) tenderStatus.set(tender, "sppbj");
        break;
      case "ContractSigned": {
        contractStatus.set(contract!, "signed");
        const t = tenderOfContract.get(contract!);
        if (t) tenderStatus.set(t, "contracted");
        break;
      }
      case "ContractAmended":
        amendments.set(contract!, Math.max(amendments.get(contract!) ?? 0, Number(e.payload.no)));
        break;
      case "ContractTerminated":
        contractStatus.set(contract!, "terminated");
        break;
      case "ContractCompleted":
        contractStatus.set(contract!, "completed");
        break;
      case "OrderRefused":
      case "OrderWithdrawn":
        contractStatus.set(contract!, "cancelled");
        break;
    }
  }
  const tenders = final.tenders
    .filter((t) => tenderStatus.has(t.id))
    .map((t): SnapshotTender => {
      const status = tenderStatus.get(t.id)!;
      const opened = status !== "announced";
      const evaluated = status !== "announced" && status !== "opened";
      const resultsPublic = PUBLIC_RESULTS.has(status);
      // An addendum made later that moved the deadline moved every stage from the bid upload on (addAddendum): moved back.
      const shift = t.addenda.filter((a) => Date.parse(a.createdAt) > at && a.newDeadline && a.oldDeadline).reduce((s, a) => s + Date.parse(a.newDeadline!) - Date.parse(a.oldDeadline!), 0);
      const upload = t.stages.findIndex((st) => st.stage === "upload_penawaran");
      const back = (x: string) => new Date(Date.parse(x) - shift).toISOString();
      return {
        ...t,
        status,
        bidDeadline: shift && t.bidDeadline ? back(t.bidDeadline) : t.bidDeadline,
        stages: shift && upload >= 0 ? t.stages.map((st, i) => (i < upload ? st : { ...st, startsAt: i === upload ? st.startsAt : back(st.startsAt), endsAt: back(st.endsAt) })) : t.stages,
        openedAt: opened ? t.openedAt : null,
        winnerBidId: WINNER_NAMED.has(status) ? t.winnerBidId : null,
        failureReason: status === "failed" || status === "cancelled" ? t.failureReason : "",
        questions: (times.questions.get(t.id) ?? []).filter((q) => q <= at).length,
        resultsPublic,
        addenda: t.addenda.filter((a) => Date.parse(a.createdAt) <= at),
        bids: opened ? t.bids.map((b) => ({ ...b, correctedPrice: evaluated ? b.correctedPrice : b.price, result: resultsPublic ? b.result : null })) : [],
      };
    });
  const contracts = final.contracts
    .filter((c) => contractStatus.has(c.id))
    .map((c): SnapshotContract => {
      const status = contractStatus.get(c.id)!;
      const signed = status !== "sppbj" && !(status === "cancelled" && !c.signedOn);
      const made = c.amendments.filter((a) => a.no <= (amendments.get(c.id) ?? 0));
      const last = made.at(-1);
      const endSigned = c.amendments.length ? c.amendments[0].endBefore : c.endDate;
      return {
        ...c,
        status,
        number: signed ? c.number : null,
        signedOn: signed ? c.signedOn : null,
        startDate: signed || !c.tenderId ? c.startDate : null,
        endDate: signed ? (last ? last.endAfter : endSigned) : c.tenderId ? null : c.endDate,
        value: last ? last.valueAfter : c.originalValue,
        terminationReason: status === "terminated" || status === "cancelled" ? c.terminationReason : "",
        paid: (times.payments.get(c.id) ?? []).some((p) => p <= at),
        amendments: made,
        terms: signed ? c.terms : [],
      };
    });
  return {
    ...final,
    package: { ...final.package, status: cancelled ? "cancelled" : final.package.status === "cancelled" ? "announced" : final.package.status },
    tenders,
    contracts,
    winners: final.winners.filter((w) => Date.parse(w.at) <= at),
    previousReleaseId,
  };
}

/**
 * The releases of a package's events (all its events, in time order) that are not published yet (`skip`: ids
 * of events that are), each built from the process wound back to its event; the previous release of each is
 * its preceding event's (release ids are the ocid and the event's id), as publishing in time order gives.
 */
export function releasesOf(final: ProcessSnapshot, events: readonly StoredEvent[], times: SnapshotTimes, tenant: string, skip: ReadonlySet<string> = new Set()): { event: StoredEvent; release: JsonObject }[] {
  const options = mappingOptions(ocdsConfig());
  const ocid = ocidOf(options.prefix, tenant, final.package.id);
  const out: { event: StoredEvent; release: JsonObject }[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (skip.has(e.id)) continue;
    const event: ReleaseEvent = { id: e.id, type: e.type, at: new Date(e.at), entityType: "", entityId: String(e.payload.contract ?? e.payload.tender ?? e.package_id), payload: e.payload };
    const release = buildRelease(event, snapshotAsOf(final, events, i, times, i > 0 ? releaseIdOf(ocid, events[i - 1].id) : null), options);
    if (release.ocid !== ocid) throw new Error(`release ${String(release.id)} has the ocid of another process`);
    out.push({ event: e, release });
  }
  return out;
}

/** The question and payment moments of these packages' selections and contracts. */
export async function snapshotTimes(em: EntityManager, packageIds: readonly string[]): Promise<SnapshotTimes> {
  const rows = await em.execute<{ kind: "q" | "p"; key: string; at: string }[]>(
    `select 'q' as kind, q.tender_id::text as key, to_char(q.asked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
       from tender_question q join tender t on t.id = q.tender_id where t.package_id = any(?::uuid[])
     union all
     select 'p', cp.contract_id::text, to_char(cp.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       from contract_payment cp join contract c on c.id = cp.contract_id where c.package_id = any(?::uuid[])`,
    [pgArray([...packageIds]), pgArray([...packageIds])],
  );
  const times: SnapshotTimes = { questions: new Map(), payments: new Map() };
  for (const r of rows) {
    const m = r.kind === "q" ? times.questions : times.payments;
    const list = m.get(r.key);
    if (list) list.push(Date.parse(r.at));
    else m.set(r.key, [Date.parse(r.at)]);
  }
  return times;
}

/** A package's events as stored, in publication order (time, then id). */
export async function packageEvents(em: EntityManager, packageIds: readonly string[]): Promise<StoredEvent[]> {
  return em.execute<StoredEvent[]>(
    `select e.id::text as id, e.package_id::text as package_id, e.type, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, e.payload
       from procurement_event e where e.package_id = any(?::uuid[]) order by e.at, e.id`,
    [pgArray([...packageIds])],
  );
}

export async function generateOcds(url: string, opts: GenerateOcdsOptions): Promise<GenerateOcdsResult> {
  const t0 = performance.now();
  const year = opts.year;
  const tenant = opts.tenant ?? DEMO_TENANT.code;
  const every = Math.max(1, opts.validateEvery ?? 1);
  const config = ocdsConfig();
  const orm = await createOrm(url, { pool: { min: 0, max: Math.max(2, opts.concurrency ?? 3) } });
  try {
    const db = orm.em.fork();
    const tr = performance.now();
    // The year's packages with events still unpublished, and all their events (published ones too: winding back needs them).
    const pending = await db.execute<{ package_id: string }[]>(
      `select distinct e.package_id::text as package_id from procurement_event e join proc_package p on p.id = e.package_id
        where p.tenant_code = ? and p.fiscal_year = ? and not exists (select 1 from ocds_release r where r.event_id = e.id) order by 1`,
      [tenant, year],
    );
    const ids = pending.map((p) => p.package_id);
    const events = ids.length ? await packageEvents(db, ids) : [];
    const published = ids.length
      ? await db.execute<{ event_id: string; package_id: string; id: string; data: string }[]>(
          "select r.event_id::text as event_id, r.package_id::text as package_id, r.id, r.data::text as data from ocds_release r where r.package_id = any(?::uuid[]) order by r.seq",
          [pgArray(ids)],
        )
      : [];
    const times = ids.length ? await snapshotTimes(db, ids) : { questions: new Map(), payments: new Map() };
    const byPackage = new Map<string, StoredEvent[]>();
    for (const e of events) {
      const list = byPackage.get(e.package_id);
      if (list) list.push(e);
      else byPackage.set(e.package_id, [e]);
    }
    const publishedBy = new Map<string, { event_id: string; id: string; data: string }[]>();
    for (const r of published) {
      const list = publishedBy.get(r.package_id);
      if (list) list.push(r);
      else publishedBy.set(r.package_id, [r]);
    }
    const read = performance.now() - tr;

    // The processes as they stand now, through the publisher's own loader, a few at a time.
    const ts = performance.now();
    const finals = new Map<string, ProcessSnapshot>();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, opts.concurrency ?? 3) }, async () => {
        const em = orm.em.fork();
        while (next < ids.length) {
          const id = ids[next++];
          finals.set(id, await loadSnapshot(em, id, ocidOf(config.prefix, tenant, id)));
        }
      }),
    );
    const snapshots = performance.now() - ts;

    // Releases, validated; each process's compiled release.
    let buildMs = 0;
    let validateMs = 0;
    let compileMs = 0;
    let validated = 0;
    let releaseBytes = 0;
    let compiledBytes = 0;
    let newProcesses = 0;
    let releaseCount = 0;
    const byTag: Record<string, number> = {};
    const releaseRows: { tenant_code: string; ocid: string; id: string; package_id: string; event_id: string; date: string; tags: string[]; data: string; at: number; order: number }[] = [];
    const processFirst: { ocid: string; package_id: string; at: number; order: number }[] = [];
    const records: { ocid: string; package_id: string; compiled: string; latest_date: string; releases: number }[] = [];
    const m = merger();
    for (const id of ids) {
      const evs = byPackage.get(id)!;
      const done = publishedBy.get(id) ?? [];
      const tb = performance.now();
      const built = releasesOf(finals.get(id)!, evs, times, tenant, new Set(done.map((r) => r.event_id)));
      finals.delete(id);
      buildMs += performance.now() - tb;
      const texts = built.map((b) => JSON.stringify(b.release));
      const tv = performance.now();
      for (const { release } of built) {
        if (releaseCount++ % every !== 0) continue;
        const issues = validateRelease(release);
        validated++;
        if (issues.length) throw new Error(`the OCDS release ${String(release.id)} does not validate: ${issues.map((x) => `${x.path || "/"} ${x.message}`).join("; ")}`);
      }
      validateMs += performance.now() - tv;
      const ocid = ocidOf(config.prefix, tenant, id);
      built.forEach(({ event: e, release: r }, i) => {
        const tags = r.tag as string[];
        for (const t of tags) byTag[t] = (byTag[t] ?? 0) + 1;
        releaseBytes += Buffer.byteLength(texts[i]);
        releaseRows.push({ tenant_code: tenant, ocid, id: String(r.id), package_id: id, event_id: e.id, date: String(r.date), tags, data: texts[i], at: Date.parse(e.at), order: Number(e.id) });
      });
      if (!done.length) {
        newProcesses++;
        processFirst.push({ ocid, package_id: id, at: Date.parse(evs[0].at), order: Number(evs[0].id) });
      }
      const tc = performance.now();
      const compiled = compileTexts(m, [...done.map((r) => r.data), ...texts]);
      compileMs += performance.now() - tc;
      const text = JSON.stringify(compiled);
      compiledBytes += Buffer.byteLength(text);
      records.push({ ocid, package_id: id, compiled: text, latest_date: String(compiled.date), releases: done.length + built.length });
    }
    // Publication order: the events' time order across processes, as the publisher would have published them.
    const byTime = (a: { at: number; order: number }, b: { at: number; order: number }) => a.at - b.at || a.order - b.order;
    releaseRows.sort(byTime);
    processFirst.sort(byTime);

    const ti = performance.now();
    const insertMs: Record<string, number> = {};
    const timed = async <X>(what: string, fn: () => Promise<X>): Promise<X> => {
      const t = performance.now();
      const x = await fn();
      insertMs[what] = Math.round(performance.now() - t);
      return x;
    };
    await orm.em.fork().transactional(async (tx) => {
      await timed("ocds_process", () => insertRows(tx, "ocds_process", "ocid text, tenant_code text, package_id uuid", processFirst.map((p) => ({ ocid: p.ocid, tenant_code: tenant, package_id: p.package_id })), { chunk: 5000 }));
      await timed("ocds_release", () => insertRows(
        tx,
        "ocds_release",
        "tenant_code text, ocid text, id text, package_id uuid, event_id bigint, date timestamptz, tags text[], data text",
        releaseRows.map(({ at: _a, order: _o, ...r }) => r),
        { exprs: { data: "data::json" }, chunk: 1000 },
      ));
      const ocids = records.map((r) => r.ocid);
      await timed("delete", () => tx.execute("delete from ocds_record where ocid = any(?::text[])", [pgArray(ocids)]));
      // Each record with its process's number and its latest release's, read back from what was just stored.
      const seqs = await timed("seqs", () => tx.execute<{ ocid: string; seq: string; latest: string }[]>(
        `with latest as (select r.ocid, max(r.seq) as seq from ocds_release r where r.ocid = any(?::text[]) group by r.ocid)
         select p.ocid, p.seq::text as seq, l.seq::text as latest from ocds_process p join latest l on l.ocid = p.ocid`,
        [pgArray(ocids)],
      ));
      const seqOf = new Map(seqs.map((s) => [s.ocid, s]));
      await timed("ocds_record", () => insertRows(
        tx,
        "ocds_record",
        "ocid text, tenant_code text, package_id uuid, seq bigint, compiled text, latest_seq bigint, latest_date timestamptz, releases int",
        records.map((r) => ({ ocid: r.ocid, tenant_code: tenant, package_id: r.package_id, seq: seqOf.get(r.ocid)!.seq, compiled: r.compiled, latest_seq: seqOf.get(r.ocid)!.latest, latest_date: r.latest_date, releases: r.releases })),
        { exprs: { compiled: "compiled::json" }, chunk: 500 },
      ));
    });
    const insert = performance.now() - ti;
    const tz = performance.now();
    await db.execute("analyze ocds_release, ocds_process, ocds_record");
    const analyze = performance.now() - tz;
    return {
      year,
      releases: releaseRows.length,
      byTag,
      processes: records.length,
      newProcesses,
      validated,
      releaseBytes,
      compiledBytes,
      insertMs,
      ms: {
        read: Math.round(read),
        snapshots: Math.round(snapshots),
        build: Math.round(buildMs),
        validate: Math.round(validateMs),
        compile: Math.round(compileMs),
        insert: Math.round(insert),
        analyze: Math.round(analyze),
        total: Math.round(performance.now() - t0),
      },
    };
  } finally {
    await orm.close(true);
  }
}

// Standalone: tsx tests/bench/generate-ocds.ts --year 2030 [--validate-every N]
await runStandalone(import.meta.url, "generate-ocds.ts", ["validate-every"], async (url, year, num) => generateOcds(url, { year, validateEvery: num("validate-every") }));
