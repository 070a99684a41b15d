/**
 * The in-process e-Procurement measurements of `npm run bench -- --only procurement` (tests/bench/run.ts),
 * on the data of tests/bench/generate-procurement.ts:
 *
 *   tenderWithBids   a tender on the package the generator spared, put out through the use cases (createTender,
 *                    assignPokja, announceTender), `bids` sealed bids sent through submitBid by as many vendors
 *                    (each with a 64 KiB document, sealed with the rest of the bid); then, timed: openTender
 *                    (every bid unsealed, its price written in clear, each decryption audited), the pakta
 *                    integritas of both Pokja members, evaluateBid for every bid (one call each, as the Pokja's
 *                    page sends them), concludeEvaluation (ranks) and announceWinner.
 *   rupExport        the RUP Excel download of the whole year (exports/xlsx/rup.ts streamRup, as GET
 *                    /unduh/rup/<year> streams it) written to a file in a FRESH process (this file again, with
 *                    --rup-child): wall time and that process's resident memory before and at its peak (sampled
 *                    every 10 ms, and the kernel's high-water mark, reset first where allowed). The workbook is
 *                    then read back with exceljs's streaming reader: its package and budget rows counted and
 *                    its pagu added up against the database, to the sen.
 *   rupLiveHeap      what the export keeps alive, in this process: the V8 heap after a full collection every few
 *                    chunks while the workbook streams, for one OPD's RUP and for the whole year (flat memory:
 *                    the figure must not grow with the packages).
 */
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync, statSync, writeFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import ExcelJS from "exceljs";
import type { EntityManager } from "@mikro-orm/postgresql";
import { createOrm } from "../../domain/persistence";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { fixedClock } from "../../domain/kernel/clock";
import { Money } from "../../domain/kernel/money";
import { loadPackage } from "../../domain/procurement/packages";
import { announceTender, announceWinner, assignPokja, concludeEvaluation, createTender, evaluateBid, loadTender, openTender, signPakta, submitBid, type BidEvaluation } from "../../domain/procurement/tenders";
import { RUP_SHEETS, streamRup } from "../../exports/xlsx/rup";
// The procurement use cases publish every event as an OCDS release: this process's publisher.
import "../../exports/ocds/publish";
import { DEMO_TENANT } from "../../imports/demo/bojonegoro";
import { prng } from "../../imports/shared/prng";

const T = DEMO_TENANT.code;

const emOf = (orm: Awaited<ReturnType<typeof createOrm>>) => (): EntityManager => {
  const e = orm.em.fork();
  e.setFilterParams("tenant", { tenant: T });
  return e;
};

export interface TenderBenchResult {
  tenderId: string;
  bids: number;
  sealedMiB: number;
  /** Sending the bids (setup, not part of the target): all of them, one after another. */
  submitMs: number;
  openMs: number;
  paktaMs: number;
  evaluateMs: number;
  concludeMs: number;
  winnerMs: number;
  /** openTender + the evaluations + concludeEvaluation (the target: under 2 s). */
  openAndEvaluateMs: number;
  passing: number;
  ranked: number;
}

/** A tender with `bids` sealed bids, opened and evaluated through the use cases (see the header). */
export async function tenderWithBids(url: string, opts: { year: number; packageId: string; opdCode: string; vendors: { npwp: string; name: string }[]; bids: number }): Promise<TenderBenchResult> {
  const orm = await createOrm(url, { pool: { min: 0, max: 4 } });
  const em = emOf(orm);
  const rnd = prng(opts.year * 31 + opts.bids);
  try {
    if (opts.vendors.length < opts.bids) throw new Error(`${opts.vendors.length} vendors cannot send ${opts.bids} bids`);
    const pkg = await loadPackage(em(), T, opts.packageId);
    const [pokjaUser, pokja2User] = await em().execute<{ id: string }[]>("select id from app_user where tenant_code = ? and username in ('pokja', 'pokja2') order by username", [T]);
    const pokja = (await loadActor(em(), T, pokjaUser.id))!;
    const pokja2 = (await loadActor(em(), T, pokja2User.id))!;
    const ppk = new Actor(T, null, "ppk.bench", "PPK (benchmark)", [{ role: "procurement_officer", scope: { kind: "opd", code: opts.opdCode } }]);
    // The schedule: announced on 2 June, bids until 16 June 10:00 WIB, opened at 11:00.
    const y = opts.year;
    const at = (md: string, hm: string) => `${y}-${md}T${hm}:00+07:00`;
    const hps = Money.idr(pkg.pagu).times("0.99");
    const tenderId = await createTender(em(), ppk, fixedClock(at("05-28", "09:00")), pkg.id, {
      hps: hps.toString(),
      evaluationMethod: "harga_terendah",
      qualification: "pasca",
      requirements: "NIB dengan KBLI yang sesuai; pengalaman pekerjaan sejenis dalam 4 tahun terakhir (benchmark).",
      documents: [{ title: "Dokumen Pemilihan (benchmark)", ref: `DP/BENCH/${y}/001` }],
      schedule: {
        pengumuman: { startsAt: at("06-02", "08:00"), endsAt: at("06-09", "23:59") },
        download_dokumen: { startsAt: at("06-02", "08:00"), endsAt: at("06-16", "09:59") },
        aanwijzing: { startsAt: at("06-04", "09:00"), endsAt: at("06-04", "12:00") },
        upload_penawaran: { startsAt: at("06-05", "08:00"), endsAt: at("06-16", "10:00") },
        pembukaan: { startsAt: at("06-16", "11:00"), endsAt: at("06-16", "15:00") },
        evaluasi: { startsAt: at("06-16", "15:00"), endsAt: at("06-19", "16:00") },
        pengumuman_pemenang: { startsAt: at("06-20", "08:00"), endsAt: at("06-20", "16:00") },
      },
    });
    await assignPokja(em(), pokja, fixedClock(at("05-28", "10:00")), tenderId, ["pokja", "pokja2"]);
    const version = async () => (await loadTender(em(), T, tenderId)).version;
    await announceTender(em(), pokja, fixedClock(at("06-02", "08:00")), tenderId, await version());

    // The bids, each with its offer letter and a 64 KiB document, sealed by submitBid.
    const doc = Buffer.alloc(64 * 1024);
    const clock = fixedClock(at("06-05", "08:30"));
    const ts = performance.now();
    for (let i = 0; i < opts.bids; i++) {
      const v = opts.vendors[i];
      for (let j = 0; j < doc.length; j += 4) doc.writeUInt32LE(Math.floor(rnd() * 2 ** 32), j);
      const vendor = new Actor(T, null, `penyedia.${v.npwp}`, v.name, [{ role: "contractor", scope: { kind: "vendor", code: v.npwp } }]);
      clock.advance(60_000 * 3);
      await submitBid(em(), vendor, clock, tenderId, {
        price: hps.times((0.8 + rnd() * 0.22).toFixed(4)).toString(),
        note: `Penawaran ${v.name} (benchmark).`,
        documents: [{ name: "penawaran-teknis.pdf", type: "application/pdf", bytes: Buffer.from(doc) }],
      });
    }
    const submitMs = performance.now() - ts;
    const [{ bytes }] = await em().execute<{ bytes: string }[]>("select sum(octet_length(sealed))::text as bytes from bid where tender_id = ?", [tenderId]);

    // Timed: the opening and the evaluation.
    const opening = fixedClock(at("06-16", "11:00"));
    const t1 = performance.now();
    const opened = await openTender(em(), pokja, opening, tenderId, await version());
    const openMs = performance.now() - t1;
    if (opened.bids !== opts.bids) throw new Error(`opened ${opened.bids} bids, expected ${opts.bids}`);
    const t2 = performance.now();
    await signPakta(em(), pokja, fixedClock(at("06-16", "13:00")), tenderId);
    await signPakta(em(), pokja2, fixedClock(at("06-16", "13:05")), tenderId);
    const paktaMs = performance.now() - t2;
    const bids = await em().execute<{ id: string; price: string }[]>("select id, price::text as price from bid where tender_id = ? and status = 'opened' order by submitted_at", [tenderId]);
    const inputs: [string, BidEvaluation][] = bids.map((b) => {
      const r = rnd();
      if (r < 0.06) return [b.id, { adminPass: false, techPass: false, qualPass: false, reason: "Surat penawaran tidak ditandatangani oleh pihak yang berwenang" }];
      if (r < 0.14) return [b.id, { adminPass: true, techPass: false, qualPass: true, reason: "Metode pelaksanaan tidak menggambarkan tahapan pekerjaan utama" }];
      if (r < 0.2) return [b.id, { adminPass: true, techPass: true, qualPass: false, reason: "Tidak memiliki pengalaman pekerjaan sejenis dalam 4 tahun terakhir" }];
      if (r < 0.3) return [b.id, { adminPass: true, techPass: true, qualPass: true, correctedPrice: Money.idr(b.price).minus(Money.idr("125000.00")).toString(), reason: "Koreksi aritmatik: volume × harga satuan." }];
      return [b.id, { adminPass: true, techPass: true, qualPass: true }];
    });
    const evalClock = fixedClock(at("06-17", "09:00"));
    const t3 = performance.now();
    for (const [bidId, input] of inputs) {
      evalClock.advance(60_000);
      await evaluateBid(em(), pokja, evalClock, tenderId, bidId, input);
    }
    const evaluateMs = performance.now() - t3;
    const t4 = performance.now();
    await concludeEvaluation(em(), pokja, fixedClock(at("06-19", "15:00")), tenderId, await version());
    const concludeMs = performance.now() - t4;
    const t5 = performance.now();
    await announceWinner(em(), pokja, fixedClock(at("06-20", "08:00")), tenderId, await version());
    const winnerMs = performance.now() - t5;
    const [check] = await em().execute<{ passing: number; ranked: number }[]>(
      "select count(*) filter (where admin_pass and tech_pass and price_pass and qual_pass)::int as passing, count(rank)::int as ranked from bid where tender_id = ? and status = 'opened'",
      [tenderId],
    );
    const r = Math.round;
    return {
      tenderId,
      bids: opts.bids,
      sealedMiB: Math.round((Number(bytes) / 2 ** 20) * 10) / 10,
      submitMs: r(submitMs),
      openMs: r(openMs),
      paktaMs: r(paktaMs),
      evaluateMs: r(evaluateMs),
      concludeMs: r(concludeMs),
      winnerMs: r(winnerMs),
      openAndEvaluateMs: r(openMs + evaluateMs + concludeMs),
      passing: check.passing,
      ranked: check.ranked,
    };
  } finally {
    await orm.close(true);
  }
}

const procStatus = () => {
  const text = readFileSync("/proc/self/status", "utf8");
  const kib = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
};
const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

export interface RupExportResult {
  ms: number;
  bytes: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  riseMiB: number;
  heapPeakMiB: number;
  packages: number;
  lineRows: number;
  /** The "Paket" sheet's pagu, added up, against the database's announced packages. */
  pagu: string;
  expectedPackages: number;
  expectedPagu: string;
  reconciles: boolean;
}

/** --rup-child: the export alone, in this (fresh) process, into `file`; prints one JSON line. */
async function rupChild(url: string, year: number, file: string) {
  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
  } catch {
    /* not allowed: the sampled peak still holds */
  }
  const before = procStatus();
  let peak = before.rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatus().rss);
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, 10);
  const t0 = performance.now();
  await pipeline(streamRup(emOf(orm)(), { tenant: T, year }), createWriteStream(file));
  const ms = Math.round(performance.now() - t0);
  clearInterval(timer);
  const after = procStatus();
  peak = Math.max(peak, after.rss, after.hwm);
  await orm.close(true);
  console.log(JSON.stringify({ ms, bytes: statSync(file).size, rssBeforeMiB: mib(before.rss), rssPeakMiB: mib(peak), riseMiB: mib(peak - before.rss), heapPeakMiB: Math.round((heap / 2 ** 20) * 10) / 10 }));
}

/** The RUP of the whole year, exported in a fresh process, then read back and reconciled (see the header). */
export async function rupExport(url: string, year: number, file: string): Promise<RupExportResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn("node_modules/.bin/tsx", [fileURLToPath(import.meta.url), "--rup-child", url, String(year), file], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    p.stdout.on("data", (c: Buffer) => (text += c.toString()));
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`RUP export process exited with ${code}`))));
  });
  const measured = JSON.parse(out.trim().split("\n").at(-1)!) as Pick<RupExportResult, "ms" | "bytes" | "rssBeforeMiB" | "rssPeakMiB" | "riseMiB" | "heapPeakMiB">;
  // Read back with the streaming reader.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: "emit", sharedStrings: "cache", styles: "ignore", hyperlinks: "ignore" });
  let packages = 0;
  let lineRows = 0;
  let pagu = Money.zero;
  for await (const ws of reader) {
    const name = (ws as unknown as { name: string }).name;
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      if (row.number === 1) continue;
      const v = row.values as unknown[];
      if (name === RUP_SHEETS.packages) {
        packages++;
        pagu = pagu.plus(Money.idr(String(v[6])));
      } else if (name === RUP_SHEETS.lines) lineRows++;
    }
  }
  const orm = await createOrm(url, { pool: { min: 0, max: 1 } });
  try {
    const [db] = await emOf(orm)().execute<{ n: number; pagu: string }[]>(
      "select count(*)::int as n, coalesce(sum(pagu), 0)::numeric(20,2)::text as pagu from proc_package where tenant_code = ? and fiscal_year = ? and status = 'announced'",
      [T, year],
    );
    return { ...measured, packages, lineRows, pagu: pagu.toString(), expectedPackages: db.n, expectedPagu: Money.idr(db.pagu).toString(), reconciles: packages === db.n && pagu.equals(Money.idr(db.pagu)) };
  } finally {
    await orm.close(true);
  }
}

/**
 * What the RUP export keeps alive, in this process: the V8 heap after a full collection every 5 chunks of the
 * stream, above the heap before it (MiB); `opd` for one OPD's RUP, else the whole year.
 */
export async function rupLiveHeap(url: string, year: number, opd: string | null): Promise<{ liveMiB: number; chunks: number; bytes: number }> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const orm = await createOrm(url, { pool: { min: 0, max: 2 } });
  try {
    gc();
    const base = process.memoryUsage().heapUsed;
    let live = 0;
    let chunks = 0;
    let bytes = 0;
    for await (const chunk of streamRup(emOf(orm)(), { tenant: T, year, opd })) {
      bytes += (chunk as Buffer).length;
      if (++chunks % 5 === 0) {
        gc();
        live = Math.max(live, process.memoryUsage().heapUsed - base);
      }
    }
    return { liveMiB: Math.round((live / 2 ** 20) * 10) / 10, chunks, bytes };
  } finally {
    await orm.close(true);
  }
}

const childAt = process.argv.indexOf("--rup-child");
if (childAt > 0) {
  await rupChild(process.argv[childAt + 1], Number(process.argv[childAt + 2]), process.argv[childAt + 3]);
  process.exit(0);
}
