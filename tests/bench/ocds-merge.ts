/**
 * tsx tests/bench/ocds-merge.ts — the OCDS core library's speed on a year of generated procurement
 * releases (no database): --processes N (default 10,000) processes of six releases each (planning, tender,
 * tender amendment, award, contract, implementation → 60,000 releases), with the declared extensions
 * (budget breakdown, bids, locations, process title) and Jejak's (Musrenbang proposals, kode RUP).
 *
 *   merge:    every record compiled (compiledRelease and versionedRelease, rules derived from the patched
 *             schema), in releases per second; target ≥ 60,000/s (twenty times the reference Python
 *             implementation's ~3,000/s). Also the compiled and the versioned release alone.
 *   validate: every release against the patched release schema (Ajv, strict); target 60,000 under 10 s.
 *             Every generated release must be valid: the generator is checked by the same schema.
 *
 * Two kinds of releases are generated (--style snapshot,delta): "snapshot", every release the whole process
 * as known at its date (8 KiB; the heaviest case), and "delta", every release what its event adds or
 * changes. Times are the best of --rounds, in wall time and in CPU time of this process (on a shared
 * machine the CPU time is the figure to compare).
 *
 * --url URL --year Y: the generated year of a bench database instead (`npm run bench -- --only monev --keep`
 * prints its URL): every release tests/bench/generate-ocds.ts stored for the year's processes, built by the
 * real mapping from the procurement and e-Monev generators' events (about 17,100 processes, 71,000
 * releases), read once, grouped by ocid in publication order and parsed, then measured the same way.
 *
 * Options: --processes N, --rounds N (default 3), --seed N, --style snapshot,delta; --url URL --year Y.
 */
import { pathToFileURL } from "node:url";
import pg from "pg";
import { loadOcdsSchemas, type JsonObject } from "../../exports/ocds/schema";
import { mergerFor } from "../../exports/ocds/merge";
import { ocdsValidators } from "../../exports/ocds/validate";
import { prng } from "../../imports/shared/prng";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * One process's six releases (ids stable across releases): "snapshot", each the whole process as known at
 * its date (the heaviest case for merging), or "delta", each what its event adds or changes.
 */
export function generateProcess(n: number, rnd: () => number, style: "snapshot" | "delta" = "snapshot"): JsonObject[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const money = (lo: number, hi: number) => ({ amount: int(lo, hi) * 1000, currency: "IDR" });
  const ocid = `ocds-xxxxxx-demo-${String(n).padStart(6, "0")}`;
  const start = Date.UTC(2027, 0, 5) + int(0, 200) * DAY;
  const opd = { id: `ID-OPD-${int(1, 45)}`, name: `Dinas ${pick(["Pekerjaan Umum", "Pendidikan", "Kesehatan", "Pertanian", "Perhubungan"])}` };
  const vendors = Array.from({ length: int(3, 7) }, (_, i) => ({ id: `ID-NPWP-${n}${i}`, name: `CV Maju ${n}-${i}` }));
  const winner = vendors[0];
  const hps = money(200_000, 5_000_000);
  const items = Array.from({ length: int(3, 8) }, (_, i) => ({
    id: `item-${i + 1}`,
    description: `Pekerjaan ${pick(["galian", "beton", "aspal", "saluran", "pagar"])} ruas ${i + 1}`,
    classification: { scheme: "CPV", id: pick(["45233140", "45232452", "45112500"]), description: "Pekerjaan jalan" },
    quantity: int(1, 500),
    unit: { name: pick(["m2", "m3", "unit", "ls"]), value: money(10, 900) },
    deliveryLocations: [{ description: `Desa ${int(1, 400)}`, geometry: { type: "Point", coordinates: [111.8 + rnd(), -7.2 - rnd()] }, gazetteer: { scheme: "GEONAMES", identifiers: [String(int(1_000_000, 9_999_999))] } }],
  }));
  const parties = [
    { ...opd, roles: ["buyer", "procuringEntity", "payer"], address: { locality: "Bojonegoro", region: "Jawa Timur", countryName: "Indonesia" } },
    { id: "ID-BKAD", name: "Badan Keuangan dan Aset Daerah", roles: ["sourceParty"] },
    ...vendors.map((v) => ({ ...v, roles: v === winner ? ["tenderer", "supplier", "payee"] : ["tenderer"], identifier: { scheme: "ID-NPWP", id: v.id.slice(8) } })),
  ];
  const planning = {
    rationale: "Usulan Musrenbang kecamatan, diterima dalam RKPD",
    rupCode: String(40_000_000 + n),
    budget: {
      id: `DPA-${n}`,
      description: "DPA-SKPD 2027",
      amount: hps,
      budgetBreakdown: Array.from({ length: int(1, 3) }, (_, i) => ({
        id: `dpa-line-${n}-${i}`,
        description: `1.03.10.2.01.0001 5.1.02.01.01.00${i + 1}`,
        amount: money(50_000, 2_000_000),
        sourceParty: { id: "ID-BKAD", name: "Badan Keuangan dan Aset Daerah" },
        period: { startDate: "2027-01-01T00:00:00Z", endDate: "2027-12-31T23:59:59Z" },
      })),
    },
    musrenbangProposals: Array.from({ length: int(1, 4) }, (_, i) => ({
      id: `usulan-${n}-${i}`,
      title: `Perbaikan jalan desa ${i + 1}`,
      source: pick(["musrenbang", "pokir"] as const),
      forumLevel: "kabupaten",
      regionCode: `35.22.${String(int(1, 28)).padStart(2, "0")}.2001`,
      estimatedCost: money(50_000, 900_000),
      beneficiaries: int(50, 3000),
    })),
  };
  const tenderPeriod = { startDate: iso(start + 10 * DAY), endDate: iso(start + 24 * DAY) };
  const tender = {
    id: `tender-${n}`,
    title: `Rehabilitasi jalan paket ${n}`,
    status: "active",
    procuringEntity: opd,
    value: hps,
    procurementMethod: "open",
    procurementMethodDetails: "Tender",
    mainProcurementCategory: "works",
    submissionMethod: ["electronicSubmission"],
    tenderPeriod,
    enquiryPeriod: { startDate: tenderPeriod.startDate, endDate: iso(start + 17 * DAY) },
    items,
    documents: Array.from({ length: 3 }, (_, i) => ({ id: `doc-${i}`, documentType: pick(["tenderNotice", "biddingDocuments", "technicalSpecifications"]), title: `Dokumen ${i}`, url: `https://jejak.example.org/dok/${n}/${i}`, datePublished: tenderPeriod.startDate, format: "application/pdf" })),
    milestones: ["pengumuman", "aanwijzing", "pembukaan", "evaluasi"].map((t, i) => ({ id: `stage-${i}`, title: t, type: "engagement", dueDate: iso(start + (10 + i * 5) * DAY), status: "scheduled" })),
  };
  const rel = (k: number, tag: string, date: number, body: JsonObject): JsonObject => ({
    ocid,
    id: `${ocid}-${k}-${tag}`,
    date: iso(date),
    tag: [tag],
    initiationType: "tender",
    language: "id",
    title: tender.title,
    parties: parties as unknown as JsonObject[],
    buyer: opd,
    ...body,
  });
  const bids = { statistics: [{ id: "bids", measure: "bids", value: vendors.length }], details: vendors.map((v, i) => ({ id: `bid-${i}`, date: iso(start + 24 * DAY), status: i === 0 ? "valid" : pick(["valid", "disqualified"]), tenderers: [v], value: money(150_000, 5_000_000) })) };
  const award = { id: `award-${n}`, title: "Penetapan pemenang", status: "active", date: iso(start + 40 * DAY), value: bids.details[0].value, suppliers: [winner], items, relatedBids: ["bid-0"] };
  const contract = {
    id: `contract-${n}`,
    awardID: award.id,
    title: `Kontrak ${tender.title}`,
    status: "active",
    value: award.value,
    dateSigned: iso(start + 50 * DAY),
    period: { startDate: iso(start + 51 * DAY), endDate: iso(start + 150 * DAY) },
    items,
    milestones: [1, 2, 3].map((t) => ({ id: `termin-${t}`, title: `Termin ${t}`, type: "payment", dueDate: iso(start + (60 + t * 30) * DAY), status: "scheduled" })),
  };
  const done = { ...tender, status: "complete", tenderers: vendors, milestones: tender.milestones.map((m) => ({ ...m, status: "met", dateMet: m.dueDate })) };
  const paid = [1, 2].map((t) => ({ id: `sp2d-${n}-${t}`, source: "https://jejak.example.org/sp2d", date: iso(start + (90 + t * 30) * DAY), value: money(10_000, 900_000), payer: opd, payee: winner, uri: `https://jejak.example.org/sp2d/${n}/${t}` }));
  if (style === "snapshot") {
    return [
      rel(1, "planning", start, { planning, tender: { id: tender.id, title: tender.title, status: "planned", value: hps } }),
      rel(2, "tender", start + 10 * DAY, { planning, tender }),
      rel(3, "tenderAmendment", start + 15 * DAY, { planning, tender: { ...tender, tenderPeriod: { ...tenderPeriod, endDate: iso(start + 27 * DAY) }, amendments: [{ id: "amd-1", date: iso(start + 15 * DAY), rationale: "Perpanjangan jadwal" }] } }),
      rel(4, "award", start + 40 * DAY, { planning, tender: done, bids, awards: [award] }),
      rel(5, "contract", start + 50 * DAY, { planning, tender: done, bids, awards: [award], contracts: [contract] }),
      rel(6, "implementation", start + 150 * DAY, {
        planning,
        tender: done,
        bids,
        awards: [award],
        contracts: [{ ...contract, milestones: contract.milestones.map((m, i) => (i < 2 ? { ...m, status: "met", dateMet: m.dueDate } : m)), implementation: { transactions: paid, milestones: [{ id: "progress-50", title: "Progres fisik 50%", type: "delivery", status: "met", dateMet: iso(start + 120 * DAY) }] } }],
      }),
    ];
  }
  // Deltas: each release carries what its event adds or changes, and the parties it names.
  const [buyer, source, ...bidders] = parties;
  const partiesOf = (...list: unknown[]) => ({ parties: list as JsonObject[] });
  return [
    rel(1, "planning", start, { ...partiesOf(buyer, source), planning, tender: { id: tender.id, title: tender.title, status: "planned", value: hps } }),
    rel(2, "tender", start + 10 * DAY, { ...partiesOf(buyer), tender }),
    rel(3, "tenderAmendment", start + 15 * DAY, { ...partiesOf(buyer), tender: { id: tender.id, tenderPeriod: { ...tenderPeriod, endDate: iso(start + 27 * DAY) }, amendments: [{ id: "amd-1", date: iso(start + 15 * DAY), rationale: "Perpanjangan jadwal" }] } }),
    rel(4, "award", start + 40 * DAY, { ...partiesOf(buyer, ...bidders), tender: { id: tender.id, status: "complete", tenderers: vendors, milestones: done.milestones }, bids, awards: [award] }),
    rel(5, "contract", start + 50 * DAY, { ...partiesOf(buyer, bidders[0]), contracts: [contract] }),
    rel(6, "implementation", start + 150 * DAY, {
      ...partiesOf(buyer, bidders[0]),
      contracts: [{ id: contract.id, awardID: award.id, milestones: contract.milestones.slice(0, 2).map((m) => ({ id: m.id, status: "met", dateMet: m.dueDate })), implementation: { transactions: paid, milestones: [{ id: "progress-50", title: "Progres fisik 50%", type: "delivery", status: "met", dateMet: iso(start + 120 * DAY) }] } }],
    }),
  ];
}

/** A year's stored releases, grouped by process (ocid), each process's in publication order, parsed. */
async function storedYear(url: string, year: number, tenant = "35.22"): Promise<JsonObject[][]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ ocid: string; data: string }>(
      `select r.ocid, r.data::text as data from ocds_release r
        where r.tenant_code = $1 and r.package_id in (select k.id from proc_package k where k.tenant_code = $1 and k.fiscal_year = $2) order by r.ocid, r.seq`,
      [tenant, year],
    );
    const out: JsonObject[][] = [];
    let last = "";
    for (const r of rows) {
      if (r.ocid !== last) out.push([]);
      out[out.length - 1].push(JSON.parse(r.data) as JsonObject);
      last = r.ocid;
    }
    return out;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const processes = Number(arg("processes", "10000"));
  const rounds = Number(arg("rounds", "3"));
  const url = arg("url", "");
  const styles = (url ? ["generated"] : arg("style", "snapshot,delta").split(",")) as ("snapshot" | "delta" | "generated")[];
  const schemas = loadOcdsSchemas();
  let t0 = performance.now();
  const merger = mergerFor(schemas.release);
  console.log(`merge rules derived from the patched schema: ${merger.rules.table.size} paths in ${(performance.now() - t0).toFixed(1)} ms`);
  let ok = true;

  for (const style of styles) {
    const rnd = prng(Number(arg("seed", "2027")));
    // As the releases would arrive from storage or a file: parsed JSON, not shared objects.
    const records =
      style === "generated"
        ? await storedYear(url, Number(arg("year", "2030")))
        : Array.from({ length: processes }, (_, i) => JSON.parse(JSON.stringify(generateProcess(i + 1, rnd, style))) as JsonObject[]);
    const total = records.reduce((s, r) => s + r.length, 0);
    const bytes = records.reduce((s, r) => s + JSON.stringify(r).length, 0);
    console.log(`\n${style === "generated" ? `the generated year ${arg("year", "2030")}'s` : style} releases: ${records.length} processes, ${total} releases, ${(bytes / total / 1024).toFixed(1)} KiB per release on average`);

    // Best of the rounds, in wall time and in this process's CPU time (the machine may be shared).
    const best = (what: string, fn: () => void) => {
      let wall = Infinity;
      let cpu = Infinity;
      for (let r = 0; r < rounds; r++) {
        const c = process.cpuUsage();
        const t = performance.now();
        fn();
        wall = Math.min(wall, performance.now() - t);
        const used = process.cpuUsage(c);
        cpu = Math.min(cpu, (used.user + used.system) / 1000);
      }
      const rate = (ms: number) => Math.round((total / ms) * 1000).toLocaleString("en");
      console.log(`  ${what}: ${Math.round(wall)} ms wall (${rate(wall)} releases/s), ${Math.round(cpu)} ms CPU (${rate(cpu)} releases/s)`);
      return (total / cpu) * 1000;
    };
    const both = best("records (compiled + versioned)", () => {
      for (const rs of records) merger.record(rs);
    });
    best("compiled releases alone", () => {
      for (const rs of records) merger.compiledRelease(rs);
    });
    best("versioned releases alone", () => {
      for (const rs of records) merger.versionedRelease(rs);
    });

    t0 = performance.now();
    const validators = ocdsValidators(schemas);
    const compileMs = performance.now() - t0;
    let invalid = 0;
    let firstError = "";
    const c = process.cpuUsage();
    t0 = performance.now();
    for (const rs of records) {
      for (const r of rs) {
        const errors = validators.release(r);
        if (errors.length > 0) {
          invalid++;
          firstError ||= `${String(r.id)}: ${errors[0].path} ${errors[0].message}`;
        }
      }
    }
    const validateMs = performance.now() - t0;
    const used = process.cpuUsage(c);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(
      `  validation: schema compiled in ${Math.round(compileMs)} ms; ${total} releases in ${Math.round(validateMs)} ms wall, ${Math.round(cpuMs)} ms CPU (${((cpuMs / total) * 1000).toFixed(1)} µs each); ${invalid} invalid${firstError ? ` (first: ${firstError})` : ""}`,
    );
    const met = both >= 60_000 && cpuMs < 10_000 && invalid === 0;
    console.log(`  ${met ? "targets met" : "TARGETS MISSED"} (≥ 60,000 records' releases/s, 60,000 validations < 10 s, all valid; CPU time)`);
    ok &&= met;
  }
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
