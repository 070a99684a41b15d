import { rmSync, writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { PU, procurementWorld, type World } from "../../support/procurement";
import { T } from "../../support/musrenbang";
import { Actor } from "../../../domain/identity/actor";
import { createUser } from "../../../domain/identity/users";
import { systemClock } from "../../../domain/kernel/clock";
import { D, Money } from "../../../domain/kernel/money";
import { submitBid } from "../../../domain/procurement";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { action as procureAction, loader as procureLoader } from "../../../app/routes/procure._index";
import { action as packageAction, loader as packageLoader } from "../../../app/routes/procure.paket.$id";
import { action as pokjaAction, loader as pokjaLoader } from "../../../app/routes/procure.pokja._index";
import { action as tenderAction, loader as tenderLoader } from "../../../app/routes/procure.tender.$id";
import { loader as vendorsLoader } from "../../../app/routes/procure.penyedia";
import { loader as bahpLoader } from "../../../app/routes/procure.tender.$id_.bahp";
import { loader as printLoader } from "../../../app/routes/procure.kontrak.$id.cetak";
import { loader as resultsLoader } from "../../../app/routes/unduh.tender.$id";

// why: the routes act on the server clock (app/clock.server.ts), which outside production may be shifted by
// the milliseconds in JEJAK_CLOCK_FILE — read when the module loads, so it is set before any import.
const clockFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? "/tmp"}/jejak-workspace-clock-${process.pid}`;
  process.env.JEJAK_CLOCK_FILE = file;
  return file;
});

const db = useTestDatabase("adopted");
const DINKES = "1.02.0.00.0.00.01.0000";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POKJA_PASSWORD = "pokja-uji-2026!";

let w: World;
beforeAll(async () => {
  writeFileSync(clockFile, "0");
  w = await procurementWorld(db.em());
  await createUser(db.em(), Actor.system(T, "test"), systemClock, {
    username: "ppk.dinkes",
    displayName: "PPK Dinas Kesehatan",
    password: "ppk-dinkes-2026!",
    assignments: [{ role: "procurement_officer", scopeCode: DINKES }],
  });
});

afterAll(() => rmSync(clockFile, { force: true }));

/** Moves the server clock forward (from the real now) by `ms`. */
const shiftClock = (ms: number) => writeFileSync(clockFile, String(ms));

async function signedIn(username: string, password = DEMO_PASSWORD) {
  const b = new Browser();
  const r = await call(loginAction, b.post("/login", { username, password }));
  expect(r.status).toBe(302);
  b.take(r);
  return b;
}

/** "yyyy-mm-ddThh:mm" in WIB, as a datetime-local input sends it. */
const wib = (ms: number) => new Date(ms + 7 * HOUR).toISOString().slice(0, 16);
const count = async (sql: string) => Number((await db.em().execute<{ n: string }[]>(sql))[0].n);

type Workspace = { opd: { code: string }; year: number; lines: { line_key: string; left: string; sub_code: string | null }[]; packages: { id: string; status: string; tender_status: string | null }[]; coverage: { percent: string } | null };
type PackagePage = {
  pkg: { id: string; status: string; version: number; kode_rup: string | null; pagu: string };
  current: { id: string; status: string; version: number } | null;
  contracts: { id: string; status: string; version: number; value: string; amendments: { no: number }[] }[];
  can: Record<string, boolean>;
  stageNames: string[];
};
type TenderPage = {
  tender: { id: string; status: string; version: number; hps: string };
  bidCount: number;
  bids: { id: string; vendor_name: string; price: string; rank: number | null }[];
  pokja: { username: string; pakta_signed_at: string | null }[];
  candidates: { username: string }[];
  can: Record<string, boolean>;
};
type Failure = { fieldErrors: Record<string, string>; message: string };

describe("the PPK's and the Pokja's workspaces", () => {
  it("a package is planned, announced and tendered through the forms; the Pokja runs the tender to a contract; results download as Excel", async () => {
    shiftClock(0);
    const ppk = await signedIn("ppk.pu");
    const ws = await body<Workspace>(await call(procureLoader, ppk.get(`/procure?opd=${encodeURIComponent(PU)}`)));
    expect(ws.opd.code).toBe(PU);
    expect(ws.year).toBe(2027);
    expect(ws.packages).toEqual([]);
    const road = ws.lines.filter((l) => w.roadLines.some((r) => r.line_key === l.line_key));
    expect(road.length).toBe(w.roadLines.length);

    // A form with errors: 400, every message by its field, in Indonesian, next to the line it is about; nothing written.
    const now = Date.now();
    const form = {
      opd: PU,
      year: "2027",
      name: "Rekonstruksi Jalan Dander–Ngunut",
      description: "Rekonstruksi perkerasan hotmix",
      volume: "900 m",
      type: "penyedia",
      kind: "konstruksi",
      method: "tender",
      swakelolaType: "",
      pdn: "on",
      "locations.0.regionCode": "35.22.06.2001",
      "locations.0.detail": "Ruas Dander–Ngunut",
      selectionStart: "2026-12-01",
      selectionEnd: "2027-01-15",
      executionStart: "2027-01-20",
      executionEnd: "2027-07-31",
      ...Object.fromEntries(road.map((l) => [`line.${l.line_key}`, l.left])),
    };
    const bad = await call(procureAction, ppk.post("/procure", { ...form, name: "Jl", executionEnd: "2027-01-01", "locations.1.regionCode": "35.22.6" }));
    expect(bad.status).toBe(400);
    const badBody = await body<Failure & { values: Record<string, string> }>(bad);
    expect(badBody.fieldErrors).toMatchObject({
      name: "Isi nama paket (sedikitnya 5 karakter).",
      executionEnd: "Tanggal akhir tidak boleh sebelum tanggal mulai.",
      "locations.1.regionCode": 'Kode wilayah "35.22.6" tidak sah.',
    });
    expect(badBody.values.name).toBe("Jl");
    const [first] = road;
    const over = await call(procureAction, ppk.post("/procure", { ...form, [`line.${first.line_key}`]: Money.idr(first.left).plus(Money.idr("1")).toString() }));
    expect(over.status).toBe(400);
    expect((await body<Failure>(over)).fieldErrors[`line.${first.line_key}`]).toMatch(/^Baris .*: sisa pagu Rp/);
    expect(await count("select count(*)::int as n from proc_package")).toBe(0);

    const planned = await call(procureAction, ppk.post("/procure", form));
    expect(planned.status).toBe(302);
    const packageId = planned.headers.get("location")!.split("/").pop()!;
    const pkgPath = `/procure/paket/${packageId}`;
    const page = async (b: Browser = ppk) => body<PackagePage>(await call(packageLoader, b.get(pkgPath), { id: packageId }));
    const post = (fields: Record<string, string>, b: Browser = ppk) => call(packageAction, b.post(pkgPath, fields), { id: packageId });
    let p = await page();
    expect(p.pkg).toMatchObject({ status: "draft", kode_rup: null });
    expect(p.can.announce).toBe(true);
    expect((await body<Workspace>(await call(procureLoader, ppk.get(`/procure?opd=${encodeURIComponent(PU)}&tahun=2027`)))).packages.map((x) => x.id)).toEqual([packageId]);

    // Another OPD's PPK and a contractor are refused — the page and its actions.
    const dinkes = await signedIn("ppk.dinkes", "ppk-dinkes-2026!");
    expect((await call(packageLoader, dinkes.get(pkgPath), { id: packageId })).status).toBe(403);
    expect((await post({ intent: "announce", version: String(p.pkg.version) }, dinkes)).status).toBe(403);
    expect((await post({ intent: "cancel", reason: "Dibatalkan oleh OPD lain", version: String(p.pkg.version) }, dinkes)).status).toBe(403);
    expect((await call(procureLoader, dinkes.get(`/procure?opd=${encodeURIComponent(PU)}`))).status).toBe(403);
    const contractor = await signedIn("penyedia");
    expect((await call(procureLoader, contractor.get("/procure"))).status).toBe(403);
    expect((await call(packageLoader, contractor.get(pkgPath), { id: packageId })).status).toBe(403);
    expect((await post({ intent: "announce", version: String(p.pkg.version) }, contractor)).status).toBe(403);
    expect((await call(pokjaLoader, contractor.get("/procure/pokja"))).status).toBe(403);
    expect((await call(vendorsLoader, contractor.get("/procure/penyedia"))).status).toBe(403);

    // Announced in the RUP (a stale version is refused); then the tender is created from the schedule form.
    expect((await post({ intent: "announce", version: String(p.pkg.version) })).status).toBe(200);
    expect((await post({ intent: "announce", version: String(p.pkg.version) })).status).toBe(409);
    p = await page();
    expect(p.pkg.status).toBe("announced");
    expect(p.pkg.kode_rup).toMatch(/^\d+$/);
    expect(p.can.tender).toBe(true);
    expect(p.stageNames).toContain("upload_penawaran");
    // A round HPS (whole millions under 95% of the pagu), so that every bid below is in whole rupiah.
    const hps = new D(p.pkg.pagu).times("0.95").div(1_000_000).floor().times(1_000_000).toFixed(2);
    const deadline = now + 3 * DAY;
    const tender = {
      intent: "tender",
      hps,
      evaluationMethod: "harga_terendah",
      technicalWeight: "",
      qualification: "pasca",
      requirements: "SBU konstruksi jalan kualifikasi menengah",
      "documents.0.title": "Dokumen Pemilihan",
      "documents.0.ref": "DP-PU-2027-007",
      "schedule.pengumuman.startsAt": wib(now + HOUR),
      "schedule.pengumuman.endsAt": wib(now + 2 * DAY),
      "schedule.upload_penawaran.startsAt": wib(now + 2 * HOUR),
      "schedule.upload_penawaran.endsAt": wib(deadline),
      "schedule.pembukaan.startsAt": wib(deadline + HOUR),
      "schedule.pembukaan.endsAt": wib(deadline + 2 * HOUR),
      "schedule.evaluasi.startsAt": wib(deadline + 2 * HOUR),
      "schedule.evaluasi.endsAt": wib(deadline + 5 * DAY),
    };
    const tooHigh = await post({ ...tender, hps: Money.idr(p.pkg.pagu).plus(Money.idr("1")).toString(), "schedule.pembukaan.startsAt": wib(deadline - HOUR) });
    expect(tooHigh.status).toBe(400);
    expect((await body<Failure>(tooHigh)).fieldErrors).toMatchObject({
      hps: expect.stringMatching(/^HPS Rp.* melebihi pagu paket Rp/),
      "schedule.pembukaan.startsAt": "Pembukaan penawaran tidak boleh sebelum batas akhir pemasukan penawaran.",
    });
    expect(await count("select count(*)::int as n from tender")).toBe(0);
    expect((await post(tender)).status).toBe(200);
    p = await page();
    expect(p.current).toMatchObject({ status: "draft" });
    const tenderId = p.current!.id;
    const tenderPath = `/procure/tender/${tenderId}`;

    // The Pokja takes the draft, names a second member and announces it.
    const pokja1 = await signedIn(w.pokja[0].username, POKJA_PASSWORD);
    const pokja2 = await signedIn(w.pokja[1].username, POKJA_PASSWORD);
    type PokjaList = { tenders: { id: string; mine: boolean }[] };
    expect((await body<PokjaList>(await call(pokjaLoader, pokja1.get("/procure/pokja")))).tenders).toEqual([expect.objectContaining({ id: tenderId, mine: false })]);
    const taken = await call(pokjaAction, pokja1.post("/procure/pokja", { tender: tenderId }));
    expect(taken.status).toBe(302);
    expect(taken.headers.get("location")).toBe(tenderPath);
    expect((await body<PokjaList>(await call(pokjaLoader, pokja1.get("/procure/pokja")))).tenders).toEqual([expect.objectContaining({ id: tenderId, mine: true })]);
    const tpage = async (b: Browser = pokja1) => body<TenderPage>(await call(tenderLoader, b.get(tenderPath), { id: tenderId }));
    const tpost = (fields: Record<string, string>, b: Browser = pokja1) => call(tenderAction, b.post(tenderPath, fields), { id: tenderId });
    let t = await tpage();
    expect(t.can.assign).toBe(true);
    expect(t.candidates.map((c) => c.username)).toEqual(expect.arrayContaining(w.pokja.map((x) => x.username)));
    const assign = new URLSearchParams({ intent: "assign", _csrf: pokja1.csrf });
    for (const x of w.pokja) assign.append("pokja", x.username);
    const assigned = await call(tenderAction, new Request(`http://localhost${tenderPath}`, { method: "POST", body: assign, headers: { cookie: pokja1.header(), "content-type": "application/x-www-form-urlencoded" } }), { id: tenderId });
    expect(assigned.status).toBe(200);
    // The PPK cannot run the Pokja's steps.
    expect((await tpost({ intent: "announce", version: String(t.tender.version) }, ppk)).status).toBe(403);
    t = await tpage();
    expect(t.pokja.map((m) => m.username).sort()).toEqual(w.pokja.map((x) => x.username).sort());
    expect(t.can.announce).toBe(true);
    expect((await tpost({ intent: "announce", version: String(t.tender.version) })).status).toBe(200);
    t = await tpage();
    expect(t.tender.status).toBe("announced");
    expect((await page()).current!.status).toBe("announced");

    // Three sealed bids; before the opening the page knows only how many — no price, no bidder — and opening is refused.
    const prices = ["0.90", "0.85", "1.02"].map((f) => Money.idr(hps).times(f).toString());
    for (const [i, v] of w.vendors.entries()) await submitBid(db.em(), v.actor, systemClock, tenderId, { price: prices[i], note: "Penawaran uji" });
    const sealedRes = await call(tenderLoader, pokja1.get(tenderPath), { id: tenderId });
    const sealedText = await sealedRes.clone().text();
    t = JSON.parse(sealedText) as TenderPage;
    expect(t.bidCount).toBe(3);
    expect(t.bids).toEqual([]);
    expect(t.can.open).toBe(false);
    for (const price of prices) expect(sealedText).not.toContain(price.replace(/\.00$/, ""));
    for (const v of w.vendors) expect(sealedText).not.toContain(v.name);
    expect((await tpost({ intent: "open", version: String(t.tender.version) })).status).toBe(422);
    expect((await call(resultsLoader, pokja1.get(`/unduh/tender/${tenderId}`), { id: tenderId })).status).toBe(409);

    // After the opening time: opened, pakta signed by both, each bid evaluated, concluded.
    shiftClock(deadline + 90 * 60_000 - Date.now());
    t = await tpage();
    expect(t.can.open).toBe(true);
    expect((await tpost({ intent: "open", version: String(t.tender.version) })).status).toBe(200);
    t = await tpage();
    expect(t.bids.map((b) => b.price).sort()).toEqual([...prices].sort());
    for (const b of [pokja1, pokja2]) expect((await tpost({ intent: "pakta" }, b)).status).toBe(200);
    for (const b of t.bids) expect((await tpost({ intent: "evaluate", bid: b.id, adminPass: "on", techPass: "on", qualPass: "on", correctedPrice: b.price, reason: "" })).status).toBe(200);
    t = await tpage();
    expect((await tpost({ intent: "conclude", version: String(t.tender.version) })).status).toBe(200);
    t = await tpage();
    expect(t.tender.status).toBe("evaluated");
    expect(t.bids.map((b) => [b.price, b.rank])).toEqual([
      [prices[1], 1],
      [prices[0], 2],
      [prices[2], null],
    ]);

    // The results as Excel: bidders, prices, corrected prices, per-stage results and rank.
    const xlsx = await call(resultsLoader, ppk.get(`/unduh/tender/${tenderId}`), { id: tenderId });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("Hasil Pemilihan")!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const header = rows.findIndex((r) => r.includes("Harga Terkoreksi (Rp)"));
    expect(header).toBeGreaterThan(0);
    const table = rows.slice(header + 1, header + 4).map((r) => [r[2], r[5], r[9], r[12]]);
    expect(table).toEqual([
      [w.vendors[1].name, Number(prices[1]), "Lulus", 1],
      [w.vendors[0].name, Number(prices[0]), "Lulus", 2],
      [w.vendors[2].name, Number(prices[2]), "Gugur", "—"],
    ]);
    expect((await call(resultsLoader, contractor.get(`/unduh/tender/${tenderId}`), { id: tenderId })).status).toBe(403);

    // The winner is announced; after the sanggah period the PPK issues the SPPBJ and signs the contract.
    t = await tpage();
    expect((await tpost({ intent: "winner", version: String(t.tender.version) })).status).toBe(200);
    const bahp = await body<{ winner: { vendor_name: string }; words: { winner: string }; final: boolean }>(await call(bahpLoader, ppk.get(`${tenderPath}/bahp`), { id: tenderId }));
    expect(bahp).toMatchObject({ final: true, winner: { vendor_name: w.vendors[1].name } });
    expect(bahp.words.winner).toMatch(/ rupiah$/);
    p = await page();
    expect(p.can).toMatchObject({ sppbj: true, sppbjWaits: true });
    expect((await post({ intent: "sppbj", number: "027/SPPBJ/PU/2027", date: "2027-01-10", version: String(p.current!.version) })).status).toBe(422);
    shiftClock(deadline + 7 * DAY - Date.now());
    p = await page();
    expect(p.can.sppbjWaits).toBe(false);
    expect((await post({ intent: "sppbj", number: "027/SPPBJ/PU/2027", date: "2027-01-10", version: String(p.current!.version) })).status).toBe(200);
    p = await page();
    const c = p.contracts[0];
    expect(c).toMatchObject({ status: "sppbj", value: prices[1] });
    const half = Money.idr(c.value).times("0.5");
    const sign = {
      intent: "sign",
      contract: c.id,
      version: String(c.version),
      number: "027/KONTRAK/PU/2027",
      signedOn: "2027-01-15",
      type: "harga_satuan",
      value: "",
      startDate: "2027-01-20",
      endDate: "2027-07-31",
      performanceBond: Money.idr(c.value).times("0.05").toString(),
      "terms.0.description": "Termin I",
      "terms.0.progressPercent": "50",
      "terms.0.amount": half.toString(),
      "terms.2.description": "Termin II (serah terima)",
      "terms.2.progressPercent": "100",
      "terms.2.amount": Money.idr(c.value).minus(half).plus(Money.idr("1")).toString(),
    };
    const unbalanced = await post(sign);
    expect(unbalanced.status).toBe(400);
    expect((await body<Failure>(unbalanced)).fieldErrors.terms).toMatch(/^Jumlah termin Rp.* harus sama dengan nilai kontrak Rp/);
    const badTerm = await post({ ...sign, "terms.2.progressPercent": "120" });
    expect((await body<Failure>(badTerm)).fieldErrors["terms.2.progressPercent"]).toBe("Prestasi pekerjaan termin 0–100 (persen).");
    expect((await post({ ...sign, "terms.2.amount": Money.idr(c.value).minus(half).toString() })).status).toBe(200);
    p = await page();
    expect(p.contracts[0].status).toBe("signed");
    expect((await post({ intent: "amend", contract: c.id, version: String(p.contracts[0].version), reason: "Perpanjangan waktu karena cuaca ekstrem", signedOn: "2027-06-01", newEndDate: "2027-08-31" })).status).toBe(200);
    expect((await page()).contracts[0].amendments.map((a) => a.no)).toEqual([1]);
    const print = await body<{ contract: { number: string }; words: { value: string } }>(await call(printLoader, ppk.get(`/procure/kontrak/${c.id}/cetak`), { id: c.id }));
    expect(print.contract.number).toBe("027/KONTRAK/PU/2027");
    expect(print.words.value).toMatch(/ rupiah$/);
    expect((await call(printLoader, dinkes.get(`/procure/kontrak/${c.id}/cetak`), { id: c.id })).status).toBe(403);
    const after = await body<Workspace>(await call(procureLoader, ppk.get(`/procure?opd=${encodeURIComponent(PU)}&tahun=2027`)));
    expect(after.packages[0]).toMatchObject({ id: packageId, status: "announced", tender_status: "contracted" });
  });
});
