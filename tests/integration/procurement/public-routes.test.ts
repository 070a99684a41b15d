import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import { anAnnouncedTender, clearProcurement, DAY, HOUR, PU, procurementWorld, tenderVersion, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { unseal } from "../../../domain/procurement/sealing";
import { Actor } from "../../../domain/identity/actor";
import { createUser } from "../../../domain/identity/users";
import { fixedClock, systemClock } from "../../../domain/kernel/clock";
import { Money } from "../../../domain/kernel/money";
import { proposalDetail } from "../../../domain/musrenbang";
import { translate } from "../../../app/i18n";
import { action as loginAction } from "../../../app/routes/login";
import { loader as listLoader } from "../../../app/routes/pengadaan._index";
import { loader as pageLoader } from "../../../app/routes/pengadaan.$id";
import { loader as apiList } from "../../../app/routes/api.pengadaan";
import { loader as apiOne } from "../../../app/routes/api.pengadaan.$id";
import { loader as homeLoader } from "../../../app/routes/vendor._index";
import { action as tenderAction, loader as tenderLoader } from "../../../app/routes/vendor.tender.$id";
import { loader as contractLoader } from "../../../app/routes/vendor.kontrak.$id";
import type { PackageListItem, PublicPackage, VendorHome, VendorTenderView } from "../../../domain/procurement/public";

/**
 * The public procurement pages and the contractor's workspace, through their routes as a browser calls
 * them (loaders and actions with real requests, cookies and CSRF tokens) on the full demo database.
 */
const db = useTestDatabase("adopted");
const PASSWORD = "penyedia-uji-2026";

let w: World;
/** The road tender, from announcement to contract. */
let road: { packageId: string; tenderId: string; deadline: Date; opening: Date; pagu: string };
/** A pengadaan langsung inviting vendor C only; an e-purchasing package in the RUP only; a draft package. */
const direct = { packageId: "", tenderId: "" };
let rupOnly = "";
let draft = "";
/** Signed-in browsers of vendors A, B and C (w.vendors[0..2]). */
let A: Browser, B: Browser, C: Browser;
let priceA = "";
let priceB = "";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: PASSWORD })));
  expect(b.cookies.has("jejak_session")).toBe(true);
  return b;
}

function multipart(b: Browser, path: string, fields: Record<string, string>, files: { name: string; bytes: Buffer; type: string }[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("_csrf", b.csrf);
  for (const f of files) form.append("documents", new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return new Request(`http://localhost${path}`, { method: "POST", body: form, headers: { cookie: b.header() } });
}

/** "2159936401.50" → "2.159.936.401,50" (as a contractor types it). */
const indonesian = (canonical: string) => {
  const [int, sen] = canonical.split(".");
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${sen}`;
};

const publicGet = async <T>(fn: Parameters<typeof call>[0], path: string, params: Record<string, string> = {}) => {
  const res = await call(fn, new Browser().get(path), params);
  return { res, data: await body<T>(res), text: await res.clone().text() };
};
const list = async (query: string) => (await publicGet<{ result: { total: number; items: PackageListItem[]; years: number[] } }>(listLoader, `/pengadaan?${query}`)).data.result;
const publicPage = async (id: string) => (await publicGet<{ p: PublicPackage }>(pageLoader, `/pengadaan/${id}`, { id })).data.p;

beforeAll(async () => {
  // The demo's own packages out of the way: these tests draw on the same DPA lines.
  await clearProcurement(db.em());
  w = await procurementWorld(db.em());
  const system = Actor.system(T, "test");
  for (const [i, v] of w.vendors.entries())
    await createUser(db.em(), system, systemClock, { username: `penyedia.uji${i}`, displayName: v.name, password: PASSWORD, assignments: [{ role: "contractor", scopeCode: v.npwp }] });
  // A contractor account whose NPWP no registered vendor has.
  await createUser(db.em(), system, systemClock, { username: "penyedia.lepas", displayName: "CV Belum Terdaftar", password: PASSWORD, assignments: [{ role: "contractor", scopeCode: "099999999999999" }] });
  [A, B, C] = await Promise.all([0, 1, 2].map((i) => signedIn(`penyedia.uji${i}`)));

  // The road tender runs on the real clock (the forms use it): bids close ten days from now.
  const clock = fixedClock(new Date());
  road = await anAnnouncedTender(db.em(), w, clock);
  priceA = Money.idr(road.pagu).times("0.90").toString();
  priceB = Money.idr(road.pagu).times("0.95").toString();

  // Three small packages on another of Dinas PU's procurable lines.
  const { lines } = await proc.procurableLines(db.em(), T, YEAR, PU);
  const other = lines.filter((l) => !w.roadLines.some((r) => r.line_key === l.line_key)).sort((a, b) => Money.idr(b.left).compare(Money.idr(a.left)))[0];
  expect(Money.idr(other.left).exceeds(Money.idr("100000000"))).toBe(true);
  const plan = (name: string, method: string, amount: string) =>
    proc.planPackage(db.em(), w.ppk, clock, {
      opdCode: PU, fiscalYear: YEAR, name, type: "penyedia", kind: "barang", method, selectionStart: "2026-12-01", selectionEnd: "2027-01-10",
      executionStart: "2027-01-15", executionEnd: "2027-03-31", lines: [{ lineKey: other.line_key, amount }],
    });
  const announce = async (id: string) => proc.announcePackage(db.em(), w.ppk, clock, id, (await proc.loadPackage(db.em(), T, id)).version);
  direct.packageId = await plan("Pengadaan Laptop Bidang Bina Marga", "pengadaan_langsung", "45000000.00");
  await announce(direct.packageId);
  rupOnly = await plan("Pembelian Alat Ukur Theodolit", "e_purchasing", "30000000.00");
  await announce(rupOnly);
  draft = await plan("Paket Draf Rahasia Belum Diumumkan", "e_purchasing", "10000000.00");
  const now = clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  direct.tenderId = await proc.createTender(db.em(), w.ppk, clock, direct.packageId, {
    hps: "44000000.00",
    evaluationMethod: "harga_terendah",
    invitedVendorId: w.vendors[2].id,
    schedule: {
      undangan: { startsAt: iso(now), endsAt: iso(now + DAY) },
      upload_penawaran: { startsAt: iso(now + HOUR), endsAt: iso(now + 5 * DAY) },
      pembukaan: { startsAt: iso(now + 5 * DAY + HOUR), endsAt: iso(now + 5 * DAY + 2 * HOUR) },
    },
  });
  await proc.assignPokja(db.em(), w.pokja[0], clock, direct.tenderId, [w.pokja[0].username]);
  await proc.announceTender(db.em(), w.pokja[0], clock, direct.tenderId, await tenderVersion(db.em(), direct.tenderId));
});

describe("bids through the contractor's form", () => {
  it("stores a multipart bid sealed: the price column stays null and the sealed bytes hold no price", async () => {
    const files = [
      { name: "penawaran.pdf", bytes: Buffer.from(`%PDF-1.4 surat penawaran ${priceA}`), type: "application/pdf" },
      { name: "rab.xlsx", bytes: Buffer.from("PK rincian anggaran biaya"), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    ];
    const res = await call(tenderAction, multipart(A, `/vendor/tender/${road.tenderId}`, { intent: "bid", price: indonesian(priceA), note: "Masa pelaksanaan 150 hari kalender" }, files), { id: road.tenderId });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/vendor/tender/${road.tenderId}`);
    const [row] = await db.em().execute<{ id: string; price: string | null; corrected_price: string | null; status: string; sealed: Buffer; vendor_id: string }[]>(
      "select id, price, corrected_price, status, sealed, vendor_id from bid where tender_id = ? and vendor_id = ?",
      [road.tenderId, w.vendors[0].id],
    );
    expect(row).toMatchObject({ price: null, corrected_price: null, status: "sealed" });
    for (const text of [priceA, priceA.split(".")[0], indonesian(priceA), "surat penawaran"]) expect(row.sealed.includes(Buffer.from(text))).toBe(false);
    // Only the tender's key opens it: the price is there, canonical, with both files.
    const contents = unseal({ tenderId: road.tenderId, vendorId: row.vendor_id, bidId: row.id }, row.sealed);
    expect(contents.price).toBe(priceA);
    expect(contents.documents.map((d) => d.name)).toEqual(["penawaran.pdf", "rab.xlsx"]);
    expect(contents.note).toBe("Masa pelaksanaan 150 hari kalender");
  });

  it("refuses a price that is not rupiah, keeping what was typed, and stores nothing", async () => {
    const res = await call(tenderAction, multipart(A, `/vendor/tender/${road.tenderId}`, { intent: "bid", price: "satu miliar", note: "catatan" }), { id: road.tenderId });
    expect(res.status).toBe(400);
    const data = await body<{ fieldErrors: Record<string, string>; values: { price: string; note: string } }>(res);
    expect(data.fieldErrors.price).toContain("satu miliar");
    expect(data.values).toMatchObject({ price: "satu miliar", note: "catatan" });
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from bid where tender_id = ?", [road.tenderId]);
    expect(n).toBe(1);
  });

  it("replaces a bid, withdraws one, and takes a question — all through the forms", async () => {
    // B bids twice: the first is replaced. C bids and withdraws. B asks a question.
    for (const price of [Money.idr(priceB).plus(Money.idr("1000000")).toString(), priceB])
      expect((await call(tenderAction, multipart(B, `/vendor/tender/${road.tenderId}`, { intent: "bid", price: indonesian(price) }), { id: road.tenderId })).status).toBe(302);
    expect((await call(tenderAction, multipart(C, `/vendor/tender/${road.tenderId}`, { intent: "bid", price: indonesian(priceB) }), { id: road.tenderId })).status).toBe(302);
    expect((await call(tenderAction, C.post(`/vendor/tender/${road.tenderId}`, { intent: "withdraw" }), { id: road.tenderId })).status).toBe(302);
    const asked = await call(tenderAction, B.post(`/vendor/tender/${road.tenderId}`, { intent: "ask", question: "Apakah SBU kualifikasi kecil dapat ikut paket ini?" }), { id: road.tenderId });
    expect(asked.status).toBe(302);
    const rows = await db.em().execute<{ vendor_id: string; status: string }[]>("select vendor_id, status from bid where tender_id = ? order by submitted_at", [road.tenderId]);
    const byVendor = (i: number) => rows.filter((r) => r.vendor_id === w.vendors[i].id).map((r) => r.status);
    expect(byVendor(0)).toEqual(["sealed"]);
    expect(byVendor(1)).toEqual(["replaced", "sealed"]);
    expect(byVendor(2)).toEqual(["withdrawn"]);
    // A forged or missing token changes nothing.
    const forged = await call(tenderAction, B.post(`/vendor/tender/${road.tenderId}`, { intent: "withdraw" }, { csrf: "palsu" }), { id: road.tenderId });
    expect(forged.status).toBe(403);
  });
});

describe("before the opening", () => {
  it("the public page and its JSON show the number of bids, never a bidder's name or price", async () => {
    for (const [fn, path] of [
      [pageLoader, `/pengadaan/${road.packageId}`],
      [apiOne, `/api/pengadaan/${road.packageId}`],
    ] as const) {
      const { res, text } = await publicGet(fn, path, { id: road.packageId });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("public");
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(text).not.toContain('"csrf"');
      for (const v of w.vendors) expect(text).not.toContain(v.name);
      for (const price of [priceA, priceB]) expect(text).not.toContain(price);
      expect(text).toContain("Apakah SBU kualifikasi kecil");
    }
    const p = await publicPage(road.packageId);
    expect(p.stage).toBe("tender");
    expect(p.tenders[0]).toMatchObject({ bidCount: 2, bids: null, winner: null, status: "announced" });
    expect(p.tenders[0].questions).toHaveLength(1);
    expect(p.lines.length).toBe(w.roadLines.length);
    expect(Money.sum(p.lines.map((l) => Money.idr(l.amount))).toString()).toBe(road.pagu);
    expect(p.subActivities.map((s) => s.code)).toContain("1.03.10.2.01.0033");
  });

  it("a contractor sees their own bid and never another vendor's", async () => {
    const res = await call(tenderLoader, A.get(`/vendor/tender/${road.tenderId}`), { id: road.tenderId });
    expect(res.status).toBe(200);
    const view = (await body<{ view: VendorTenderView }>(res)).view;
    const text = await res.clone().text();
    const [bidA] = await db.em().execute<{ id: string }[]>("select id from bid where tender_id = ? and vendor_id = ? and status = 'sealed'", [road.tenderId, w.vendors[0].id]);
    const others = await db.em().execute<{ id: string; sealed_sha256: string }[]>("select id, sealed_sha256 from bid where tender_id = ? and vendor_id <> ?", [road.tenderId, w.vendors[0].id]);
    expect(view.myBids.map((b) => b.id)).toEqual([bidA.id]);
    expect(view.tender.bids).toBeNull();
    for (const o of others) {
      expect(text).not.toContain(o.id);
      expect(text).not.toContain(o.sealed_sha256);
    }
    expect(text).not.toContain(w.vendors[1].name);
    expect(text).not.toContain(priceB);
    expect(view.can).toMatchObject({ bid: true, withdraw: true, ask: true, sanggah: false });
  });

  it("the workspace lists the selections open to each vendor: a pengadaan langsung only to the one it invites", async () => {
    const home = async (b: Browser) => (await body<{ home: VendorHome }>(await call(homeLoader, b.get("/vendor")))).home;
    const [a, c] = [await home(A), await home(C)];
    expect(a.open.map((o) => o.id)).toContain(road.tenderId);
    expect(a.open.map((o) => o.id)).not.toContain(direct.tenderId);
    expect(c.open.map((o) => o.id)).toEqual(expect.arrayContaining([road.tenderId, direct.tenderId]));
    expect(a.open.find((o) => o.id === road.tenderId)?.myBid).toBe(true);
    expect(a.bids.map((b) => b.status)).toEqual(["sealed"]);
    expect(a.bids[0].price).toBeNull();
    expect(c.bids.map((b) => b.status)).toEqual(["withdrawn"]);
    expect(a.blacklisted).toBeNull();
    expect(a.vendor.npwp).toBe("01.234.567.8-606.000");
    // The uninvited vendor cannot open the invitation.
    expect((await call(tenderLoader, A.get(`/vendor/tender/${direct.tenderId}`), { id: direct.tenderId })).status).toBe(403);
    expect((await call(tenderLoader, C.get(`/vendor/tender/${direct.tenderId}`), { id: direct.tenderId })).status).toBe(200);
    // An account linked to no registered vendor sees why, not an error.
    const res = await call(homeLoader, (await signedIn("penyedia.lepas")).get("/vendor"));
    expect(res.status).toBe(200);
    expect((await body<{ home: unknown; notice: string }>(res)).notice).toBe("procure.vendor.notRegistered");
  });
});

describe("GET /pengadaan and /api/pengadaan", () => {
  const ids = (items: PackageListItem[]) => items.map((i) => i.id);

  it("filters by year, OPD, method, kind, stage and text; drafts are never listed", async () => {
    const all = await list(`tahun=${YEAR}&per_page=100`);
    expect(ids(all.items)).toEqual(expect.arrayContaining([road.packageId, direct.packageId, rupOnly]));
    expect(ids(all.items)).not.toContain(draft);
    expect(all.years).toContain(YEAR);
    expect((await list("tahun=2031")).total).toBe(0);
    expect((await list("opd=1.02.0.00.0.00.01.0000&per_page=100")).items.every((i) => i.opd.code === "1.02.0.00.0.00.01.0000")).toBe(true);
    expect(ids((await list(`opd=${PU}&per_page=100`)).items)).toEqual(expect.arrayContaining([road.packageId, direct.packageId, rupOnly]));

    const pl = await list("metode=pengadaan_langsung&per_page=100");
    expect(ids(pl.items)).toContain(direct.packageId);
    expect(pl.items.every((i) => i.method === "pengadaan_langsung")).toBe(true);
    const kons = await list("jenis=konstruksi&per_page=100");
    expect(ids(kons.items)).toContain(road.packageId);
    expect(ids(kons.items)).not.toContain(rupOnly);

    const rup = await list("status=rup&per_page=100");
    expect(ids(rup.items)).toContain(rupOnly);
    expect(ids(rup.items)).not.toContain(road.packageId);
    expect(rup.items.every((i) => i.stage === "rup")).toBe(true);
    const taking = await list("status=tender&per_page=100");
    expect(ids(taking.items)).toEqual(expect.arrayContaining([road.packageId, direct.packageId]));
    expect(ids((await list("status=kontrak&per_page=100")).items)).not.toContain(road.packageId);

    // Words by prefix, in any order and case; a kode RUP; a tender code.
    expect(ids((await list("q=dander+REKONSTRUKSI")).items)).toEqual([road.packageId]);
    expect(ids((await list("q=theodo")).items)).toEqual([rupOnly]);
    const pkg = await proc.loadPackage(db.em(), T, road.packageId);
    const tender = await proc.loadTender(db.em(), T, road.tenderId);
    expect(ids((await list(`q=${pkg.kode_rup}`)).items)).toEqual([road.packageId]);
    expect(ids((await list(`q=${tender.code}`)).items)).toEqual([road.packageId]);
    expect((await list("q=Rahasia")).total).toBe(0);
    // Unknown filter values are dropped, not errors.
    expect((await list("metode=lelang&jenis=x&status=y&tahun=abc&per_page=100")).total).toBe(all.total);

    const item = all.items.find((i) => i.id === road.packageId)!;
    expect(item).toMatchObject({ pagu: road.pagu, stage: "tender", winner: null, contract: null, kind: "konstruksi", method: "tender" });
    expect(item.tender).toMatchObject({ id: road.tenderId, hps: road.pagu, status: "announced" });
  });

  it("pages with a total and links, for the page and the API alike", async () => {
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from proc_package where tenant_code = ? and fiscal_year = ? and announced_at is not null", [T, YEAR]);
    const api = async (q: string) => body<{ total: number; page: number; per_page: number; links: { next: string | null; prev: string | null }; data: (PackageListItem & { url: string })[] }>(await call(apiList, new Browser().get(`/api/pengadaan?${q}`)));
    const p1 = await api(`tahun=${YEAR}&per_page=1`);
    expect(p1).toMatchObject({ total: n, page: 1, per_page: 1 });
    expect(p1.data).toHaveLength(1);
    expect(p1.links.prev).toBeNull();
    expect(p1.links.next).toContain("page=2");
    expect(p1.data[0].url).toBe(`/pengadaan/${p1.data[0].id}`);
    const p2 = await api(`tahun=${YEAR}&per_page=1&page=2`);
    expect(p2.data[0].id).not.toBe(p1.data[0].id);
    expect(p2.links.prev).toContain("page=1");
    const last = await api(`tahun=${YEAR}&per_page=1&page=${n}`);
    expect(last.links.next).toBeNull();
    const beyond = await api(`tahun=${YEAR}&per_page=1&page=${n + 1}`);
    expect(beyond).toMatchObject({ total: n, data: [] });
    // Filters in the API as on the page.
    const pl = await api("metode=pengadaan_langsung&per_page=100");
    expect(pl.data.map((d) => d.id)).toContain(direct.packageId);
    expect(pl.data.every((d) => d.method === "pengadaan_langsung")).toBe(true);
    const page = await list(`tahun=${YEAR}&per_page=1&page=2`);
    expect(page.total).toBe(n);
    expect(ids(page.items)).toEqual([p2.data[0].id]);
  });

  it("404s an unknown or draft package, on the page and in the API", async () => {
    for (const id of [draft, "00000000-0000-4000-8000-000000000000", "bukan-uuid"]) {
      expect((await call(pageLoader, new Browser().get(`/pengadaan/${id}`), { id })).status).toBe(404);
      expect((await call(apiOne, new Browser().get(`/api/pengadaan/${id}`), { id })).status).toBe(404);
    }
  });
});

describe("after the opening, the award and the contract", () => {
  let contractId = "";

  beforeAll(async () => {
    const clock = fixedClock(new Date(road.opening.getTime() + 10 * 60_000));
    await proc.openTender(db.em(), w.pokja[0], clock, road.tenderId, await tenderVersion(db.em(), road.tenderId));
  });

  it("bidders and prices become public at the opening; results only with the winner", async () => {
    const p = await publicPage(road.packageId);
    expect(p.stage).toBe("evaluasi");
    const bids = p.tenders[0].bids!;
    expect(bids.map((b) => b.vendor).sort()).toEqual([w.vendors[0].name, w.vendors[1].name].sort());
    expect(bids.find((b) => b.vendor === w.vendors[0].name)?.price).toBe(priceA);
    expect(bids.every((b) => b.result === null)).toBe(true);
    // The withdrawn bid and the replaced one stay private.
    expect(bids).toHaveLength(2);
    expect(JSON.stringify(p)).not.toContain(w.vendors[2].name);
  });

  it("shows the winner, the results and the objections once announced, and the contract after it", async () => {
    const clock = fixedClock(new Date(road.opening.getTime() + DAY));
    const [p1, p2] = w.pokja;
    for (const m of [p1, p2]) await proc.signPakta(db.em(), m, clock, road.tenderId);
    const bids = await db.em().execute<{ id: string; vendor_id: string }[]>("select id, vendor_id from bid where tender_id = ? and status = 'opened'", [road.tenderId]);
    for (const b of bids) await proc.evaluateBid(db.em(), p1, clock, road.tenderId, b.id, { adminPass: true, techPass: true, qualPass: true });
    await proc.concludeEvaluation(db.em(), p1, clock, road.tenderId, await tenderVersion(db.em(), road.tenderId));
    await proc.announceWinner(db.em(), p1, clock, road.tenderId, await tenderVersion(db.em(), road.tenderId));

    // B objects through the form; its text and name are public, as is the Pokja's answer.
    const text = "Harga penawaran pemenang tidak wajar dan di bawah 80% HPS tanpa klarifikasi.";
    const filed = await call(tenderAction, B.post(`/vendor/tender/${road.tenderId}`, { intent: "sanggah", text }), { id: road.tenderId });
    expect(filed.status).toBe(302);
    const [s] = await db.em().execute<{ id: string }[]>("select id from sanggah where tender_id = ?", [road.tenderId]);
    clock.advance(HOUR);
    await proc.answerSanggah(db.em(), p1, clock, road.tenderId, s.id, { answer: "Harga telah diklarifikasi dan dinyatakan wajar oleh Pokja.", upheld: false });

    let p = await publicPage(road.packageId);
    expect(p.stage).toBe("pemenang");
    expect(p.tenders[0].winner).toEqual({ vendor: w.vendors[0].name, value: priceA });
    expect(p.tenders[0].bids!.find((b) => b.winner)?.vendor).toBe(w.vendors[0].name);
    expect(p.tenders[0].bids!.every((b) => b.result?.admin === true)).toBe(true);
    expect(p.tenders[0].sanggah).toMatchObject([{ kind: "sanggah", vendor: w.vendors[1].name, text, upheld: false }]);
    const winnerList = (await list(`q=dander+rekonstruksi`)).items[0];
    expect(winnerList.winner).toEqual({ name: w.vendors[0].name, value: priceA });

    // SPPBJ after the sanggah and banding periods, then the contract and an amendment.
    clock.advance(12 * DAY);
    contractId = await proc.issueSppbj(db.em(), w.ppk, clock, road.tenderId, { number: "027/SPPBJ/PU/2027", date: "2027-01-05" }, await tenderVersion(db.em(), road.tenderId));
    const version = async () => (await proc.loadContract(db.em(), T, contractId)).version;
    await proc.signContract(db.em(), w.ppk, clock, contractId, { number: "027/KONTRAK/PU/2027", signedOn: "2027-01-08", type: "harga_satuan", startDate: "2027-01-20", endDate: "2027-07-31" }, await version());
    const more = Money.idr(priceA).plus(Money.idr(priceA).times("0.05")).toString();
    await proc.amendContract(db.em(), w.ppk, clock, contractId, { reason: "Pekerjaan tambah drainase sepanjang 120 m", signedOn: "2027-04-01", newValue: more }, await version());

    p = await publicPage(road.packageId);
    expect(p.stage).toBe("kontrak");
    expect(p.contracts).toHaveLength(1);
    expect(p.contracts[0]).toMatchObject({ vendor: w.vendors[0].name, number: "027/KONTRAK/PU/2027", originalValue: priceA, value: more, status: "signed" });
    expect(p.contracts[0].amendments).toMatchObject([{ no: 1, valueBefore: priceA, valueAfter: more }]);
    const item = (await list("status=kontrak&per_page=100")).items.find((i) => i.id === road.packageId)!;
    expect(item.contract).toMatchObject({ id: contractId, value: more, vendor: w.vendors[0].name });
    const api = await body<PublicPackage>(await call(apiOne, new Browser().get(`/api/pengadaan/${road.packageId}`), { id: road.packageId }));
    expect(api.contracts[0].value).toBe(more);
  });

  it("a contractor opens their own contract and gets 403 on another vendor's", async () => {
    const mine = await call(contractLoader, A.get(`/vendor/kontrak/${contractId}`), { id: contractId });
    expect(mine.status).toBe(200);
    const view = (await body<{ view: { contract: { id: string; amendments: unknown[] } } }>(mine)).view;
    expect(view.contract.id).toBe(contractId);
    expect(view.contract.amendments).toHaveLength(1);
    const theirs = await call(contractLoader, B.get(`/vendor/kontrak/${contractId}`), { id: contractId });
    expect(theirs.status).toBe(403);
    expect(await theirs.clone().text()).not.toContain("027/KONTRAK/PU/2027");
    const anonymous = await call(contractLoader, new Browser().get(`/vendor/kontrak/${contractId}`), { id: contractId });
    expect(anonymous.status).toBe(302);
    const home = (await body<{ home: VendorHome }>(await call(homeLoader, A.get("/vendor")))).home;
    expect(home.contracts.map((c) => c.id)).toEqual([contractId]);
    expect(home.bids[0]).toMatchObject({ status: "opened", price: priceA, won: true });
    expect((await body<{ home: VendorHome }>(await call(homeLoader, B.get("/vendor")))).home.contracts).toEqual([]);
  });

  it("the proposals behind the package tell the tender and the contract on their public timeline", async () => {
    const p = await publicPage(road.packageId);
    if (p.proposals.length === 0) return; // the demo's road sub-activity takes up no proposal
    const d = await proposalDetail(db.em(), T, p.proposals[0].id);
    const steps = d!.timeline.filter((e) => (e.action === "tender" || e.action === "contract") && e.details.packageId === road.packageId);
    expect(steps.map((e) => e.action)).toEqual(["tender", "contract"]);
    const contract = steps[1];
    expect(translate("id", "mus.timeline.contract", contract.details)).toBe(`Dikontrakkan kepada ${w.vendors[0].name} senilai ${translate("id", "Rp{x}", { x: priceA })}`);
    expect(translate("id", "mus.timeline.tender", steps[0].details)).toContain("Ditenderkan sebagai paket Rekonstruksi Jalan Dander");
  });
});
