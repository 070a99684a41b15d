import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { actorOf, PU, T } from "../../support/musrenbang";
import { ROAD_SUB } from "../../support/procurement";
import { photo, progress, roadItems, SITE, tagged } from "../monev/world";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock } from "../../../domain/kernel/clock";
import { Money } from "../../../domain/kernel/money";
import * as monev from "../../../domain/monev";
import { proposalDetail } from "../../../domain/musrenbang";
import { actOnComplaint, submitComplaint } from "../../../domain/oversight/complaints";
import { sourceKey } from "../../../domain/oversight/rules";
import type { PublicContractPage } from "../../../domain/monev/contract-page";
import { loader as pageLoader } from "../../../app/routes/kontrak.$id";
import { action as apiAction, loader as apiLoader } from "../../../app/routes/api.kontrak.$id";
import { loader as photoLoader } from "../../../app/routes/monev.foto.$photoId";
import { KurvaSChart, KurvaSTable } from "../../../app/components/kurva-s";

/**
 * The public page of a contract (/kontrak/<id>) and its open data (/api/kontrak/<id>), through their
 * loaders as a browser calls them, on the full demo: the road contract of Dinas PU (PT Karya Bengawan
 * Solo, signed 5 January 2027, works 6 January – 30 June). Progress, photos, the kontrak kritis case,
 * payments and a citizen's report are made through their own use cases.
 */
const db = useTestDatabase("full");

let road: { id: string; package_id: string; value: string; npwp: string };
/** The proposals behind the road's sub-activity, as the planning tables link them. */
let expectedProposals: { id: string; code: string; desa: string }[];

const anon = () => new Browser();
const page = async (id: string) => {
  const res = await call(pageLoader, anon().get(`/kontrak/${id}`), { id });
  return { res, text: await res.clone().text() };
};
const pageData = async (id: string) => {
  const { res, text } = await page(id);
  expect(res.status).toBe(200);
  return { ...(await body<{ c: PublicContractPage; ocid: string }>(res)), text };
};
const api = (id: string, headers: Record<string, string> = {}) => call(apiLoader, anon().get(`/api/kontrak/${id}`, headers), { id });
const photoGet = (id: string, thumb: boolean) => call(photoLoader, anon().get(`/monev/foto/${id}${thumb ? "?kecil=1" : ""}`), { photoId: id });

/** A contractor's report for a period, submitted; verified by the PPK when asked. Returns its id. */
async function report(period: number, items: string[], at: string, opts: { verify: boolean; photos?: monev.ReportPhoto[]; problems?: string; version?: number }) {
  const contractor = await actorOf(db.em(), "penyedia2");
  const input = { periodNo: period, items: progress(...items), submit: true, photos: opts.photos, problems: opts.problems };
  const id = await monev.submitReport(db.em(), contractor, fixedClock(at), road.id, input, opts.version);
  if (opts.verify) {
    const [r] = await db.em().execute<{ version: number }[]>("select version from progress_report where id = ?", [id]);
    await monev.verifyReport(db.em(), await actorOf(db.em(), "ppk.pu"), fixedClock(at), id, r.version);
  }
  return id;
}

beforeAll(async () => {
  [road] = await db.em().execute<{ id: string; package_id: string; value: string; npwp: string }[]>(
    `select c.id, c.package_id, c.value::text as value, v.npwp from contract c join vendor v on v.id = c.vendor_id
      where c.tenant_code = ? and c.number = '600/001/KONTRAK/412.201/2027'`,
    [T],
  );
  expect(road).toBeDefined();
  expectedProposals = await db.em().execute<{ id: string; code: string; desa: string }[]>(
    `select distinct pr.id, pr.code, d.name as desa from proc_package_budget pb
       join budget_line b on b.line_key = pb.line_key join sub_activity_proposal x on x.sub_activity_id = b.sub_activity_id
       join proposal pr on pr.id = x.proposal_id join region d on d.code = pr.desa_code
      where pb.package_id = ? order by pr.code`,
    [road.package_id],
  );
});

describe("the contract's public page before any progress", () => {
  it("shows the chain back to the proposals, the selection and the contract, with empty progress, payments and complaints", async () => {
    const { c, ocid, text } = await pageData(road.id);
    expect(c.id).toBe(road.id);
    expect(c.number).toBe("600/001/KONTRAK/412.201/2027");
    expect(c.signedOn).toBe("2027-01-05");
    expect(c.startDate).toBe("2027-01-06");
    expect(c.value).toBe(road.value);
    // The chain back: package, sub-activity with its RKPD code, DPA lines with kode rekening, the proposals with their village.
    expect(c.package.id).toBe(road.package_id);
    expect(c.package.opd.code).toBe(PU);
    expect(c.subActivities.map((s) => s.code)).toContain(ROAD_SUB);
    expect(c.lines.length).toBeGreaterThan(0);
    for (const l of c.lines) {
      expect(l.accountCode).toMatch(/^5\./);
      expect(l.dpaNumber).toBeTruthy();
      expect(Money.idr(l.amount).exceeds(Money.zero)).toBe(true);
    }
    expect(expectedProposals.length).toBeGreaterThan(0);
    expect(c.proposals.map((p) => [p.id, p.code, p.desa])).toEqual(expectedProposals.map((p) => [p.id, p.code, p.desa]));
    // The selection: the winner's value once announced; no other bid's price.
    expect(c.selection).toMatchObject({ method: "tender", status: "contracted" });
    expect(c.selection!.bidCount).toBeGreaterThan(1);
    expect(c.selection!.winnerValue).toBe(c.originalValue);
    expect(c.terms.map((x) => x.progressPercent)).toEqual(["30.00", "70.00", "100.00"]);
    // The vendor by name; the NPWP masked, never in full.
    expect(c.vendor).toEqual({ name: "PT Karya Bengawan Solo", npwp: "02.***.***.*-***.000" });
    expect(text).not.toContain(road.npwp);
    expect(text).not.toContain(road.npwp.slice(0, 9));
    // Empty states.
    expect(c.schedule).toBeNull();
    expect(c.series).toEqual([]);
    expect(c.reports).toEqual([]);
    expect(c.physical).toBeNull();
    expect(c.financial).toEqual({ value: road.value, paid: "0.00", percent: "0.00" });
    expect(c.critical).toEqual({ verdict: null, openStatus: null, cases: [] });
    expect(c.payments).toEqual([]);
    expect(c.handovers).toEqual([]);
    expect(c.complaints).toEqual([]);
    expect(ocid).toMatch(new RegExp(`-${road.package_id}$`));
    // The proposals' own timelines know the contract (their "contracted" step links to this page).
    const proposal = await proposalDetail(db.em(), T, expectedProposals[0].id);
    expect(proposal!.timeline.filter((e) => e.action === "contract").map((e) => e.details.contract)).toContain(road.id);
  });

  it("answers 404 for an unknown contract and for an id that is not a UUID, on the page and in the API", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "bukan-uuid", "1; drop table contract"]) {
      expect((await page(id)).res.status).toBe(404);
      const r = await api(id);
      expect(r.status).toBe(404);
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
      expect(await body(r)).toMatchObject({ error: "not_found" });
    }
  });
});

describe("the contract's public page as the works go on", () => {
  let verifiedPhotos: string[] = [];
  let pendingPhoto = "";
  const NAME = "Sutrisno Wibowo Pelapor";
  const CONTACT = "0812-9876-5432";
  const INTERNAL = "Catatan internal: cek dulu ke PPK sebelum dijawab.";
  const ANSWER = "Lubang di STA 0+350 sudah ditambal penyedia pada 12 Februari 2027 atas perintah PPK.";
  const MINUTES = "Notulen SCM I: penyedia menambah dua unit alat berat (tidak dipublikasikan).";
  const RETURN_NOTE = "Foto 50% belum ada, mohon dilengkapi oleh penyedia.";

  beforeAll(async () => {
    const ppk = await actorOf(db.em(), "ppk.pu");
    await monev.setSchedule(db.em(), ppk, fixedClock("2027-01-06T02:00:00Z"), road.id, { periodKind: "monthly", siteLat: String(SITE.lat), siteLng: String(SITE.lng), items: roadItems(road.value) }, 0);
    // Period 1, verified: 5.00% against 17.50% planned — 12.5 points behind, critical (LKPP 12/2021, period I).
    const onSite = await photo("lokasi.jpg", { at: { lat: SITE.lat + 0.001, lng: SITE.lng }, taken: "2027:01:20 08:30:00", seed: 7 });
    const far = await photo("jauh.jpg", { at: { lat: -7.150975, lng: 111.881645 }, taken: "2027:02:01 09:00:00", seed: 8 });
    const early = await photo("awal.jpg", { at: { lat: SITE.lat, lng: SITE.lng }, taken: "2027:01:05 16:59:00", seed: 9 });
    await report(1, ["100", "0", "0", "0", "0"], "2027-02-06T02:00:00Z", {
      verify: true,
      photos: [tagged(onSite, "0"), tagged(far, "periodic"), tagged(early, "periodic")],
      problems: "Hujan deras dua minggu terakhir.",
    });
    // The PPK holds the first show-cause meeting; its minutes stay with the officers.
    const [k] = await db.em().execute<{ id: string; version: number }[]>("select id, version from critical_case where contract_id = ?", [road.id]);
    await monev.recordCriticalStep(db.em(), ppk, fixedClock("2027-02-08T02:00:00Z"), k.id, "holdScm", { onDate: "2027-02-08", minutes: MINUTES, deadline: "2027-02-22" }, k.version);
    // Period 2: submitted, returned with a note, submitted again — not verified, so not public.
    const p2 = await report(2, ["100", "100", "6.25", "0", "0"], "2027-03-06T02:00:00Z", { verify: false, photos: [tagged(await photo("belum.jpg", { seed: 10 }), "periodic")] });
    const [r2] = await db.em().execute<{ version: number }[]>("select version from progress_report where id = ?", [p2]);
    await monev.returnReport(db.em(), ppk, fixedClock("2027-03-06T03:00:00Z"), p2, RETURN_NOTE, r2.version);
    const [returned] = await db.em().execute<{ version: number }[]>("select version from progress_report where id = ?", [p2]);
    await report(2, ["100", "100", "6.25", "0", "0"], "2027-03-06T04:00:00Z", { verify: false, version: returned.version });
    verifiedPhotos = (await db.em().execute<{ id: string }[]>("select ph.id from progress_photo ph join progress_report r on r.id = ph.report_id where r.contract_id = ? and r.period_no = 1", [road.id])).map((r) => r.id);
    [{ id: pendingPhoto }] = await db.em().execute<{ id: string }[]>("select ph.id from progress_photo ph join progress_report r on r.id = ph.report_id where r.contract_id = ? and r.period_no = 2", [road.id]);
    // The advance (uang muka, 20%), recorded by the BUD as an SP2D.
    await monev.recordPayment(db.em(), await actorOf(db.em(), "tapd"), fixedClock("2027-01-20T03:00:00Z"), road.id, {
      kind: "uang_muka",
      amount: Money.idr(road.value).times("0.20").toString(),
      sp2dNumber: "0101/SP2D/LS/2027",
      paidOn: "2027-01-20",
    });
    // A citizen's named report, verified and forwarded (with an internal note), answered by Dinas PU.
    const clock = fixedClock("2027-02-10T03:00:00Z");
    const sub = await submitComplaint(db.em(), Actor.anonymous(T), clock, {
      targetKind: "contract",
      targetId: road.id,
      category: "normatif",
      text: "Aspal di depan balai desa sudah berlubang padahal baru dikerjakan bulan lalu.",
      identity: "named",
      name: NAME,
      contact: CONTACT,
      sources: [sourceKey("ip", "10.9.0.1")],
    });
    const monevOfficer = await actorOf(db.em(), "monev");
    const opd = await actorOf(db.em(), "opd.pu");
    await actOnComplaint(db.em(), monevOfficer, clock, sub.id, "verify", { expectedVersion: 1 });
    await actOnComplaint(db.em(), monevOfficer, clock, sub.id, "forward", { expectedVersion: 2, opdCode: PU, note: INTERNAL });
    await actOnComplaint(db.em(), opd, clock, sub.id, "take", { expectedVersion: 3 });
    await actOnComplaint(db.em(), opd, clock, sub.id, "answer", { expectedVersion: 4, answer: ANSWER });
    // A report held for moderation (it carries a link) is not public.
    await submitComplaint(db.em(), Actor.anonymous(T), clock, {
      targetKind: "contract",
      targetId: road.id,
      category: "normatif",
      text: "Lihat buktinya di http://contoh.example/bukti jalan ini rusak parah.",
      identity: "anonymous",
      sources: [sourceKey("ip", "10.9.0.2")],
    });
  });

  it("shows the kurva S from verified reports only, the latest verified progress and the financial progress", async () => {
    const { c } = await pageData(road.id);
    expect(c.schedule?.periodKind).toBe("monthly");
    expect(c.series.map((s) => s.planned)).toEqual(["17.50", "43.33", "56.67", "82.50", "95.00", "100.00"]);
    // Period 2 is submitted but not verified: no actual figure for it.
    expect(c.series.map((s) => s.actual)).toEqual(["5.00", null, null, null, null, null]);
    expect(c.series[0]).toMatchObject({ no: 1, start: "2027-01-06", end: "2027-02-05", deviation: "-12.50" });
    expect(c.reports.map((r) => r.period)).toEqual([1]);
    expect(c.reports[0]).toMatchObject({ physical: "5.00", planned: "17.50", problems: "Hujan deras dua minggu terakhir." });
    expect(c.physical).toEqual({ period: 1, actual: "5.00", planned: "17.50", deviation: "-12.50", asOf: "2027-02-05" });
    const advance = Money.idr(road.value).times("0.20");
    expect(c.payments).toEqual([{ no: 1, kind: "uang_muka", termNo: null, amount: advance.toString(), paidOn: "2027-01-20" }]);
    expect(c.financial).toEqual({ value: road.value, paid: advance.toString(), percent: "20.00" });
  });

  it("shows the critical status and the step taken with its date, but not the minutes", async () => {
    const { c, text } = await pageData(road.id);
    expect(c.critical.verdict).toMatchObject({ critical: true, reason: "behind_period1", behind: "12.50" });
    expect(c.critical.openStatus).toBe("scm1");
    expect(c.critical.cases).toHaveLength(1);
    expect(c.critical.cases[0]).toMatchObject({ status: "scm1", reason: "behind_period1", planned: "17.50", physical: "5.00", closedAt: null });
    expect(c.critical.cases[0].steps).toEqual([{ no: 1, action: "holdScm", toStatus: "scm1", onDate: "2027-02-08" }]);
    expect(text).not.toContain("Notulen SCM I");
    expect(text).not.toContain("2027-02-22");
  });

  it("lists the verified report's photos with their EXIF flags, and serves only those", async () => {
    const { c, text } = await pageData(road.id);
    const photos = c.reports[0].photos;
    expect(photos.map((p) => p.id).sort()).toEqual([...verifiedPhotos].sort());
    expect(text).not.toContain(pendingPhoto);
    const flags = photos.map((p) => [p.milestone, p.farFromSite, p.beforeStart]).sort();
    expect(flags).toEqual([
      ["0", false, false],
      ["periodic", false, true],
      ["periodic", true, false],
    ]);
    expect(photos.find((p) => p.farFromSite)!.distanceM).toBeGreaterThan(10_000);
    // Anyone gets a verified report's photo (thumbnail and image); nobody without a login gets an unverified one.
    const thumb = await photoGet(verifiedPhotos[0], true);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(thumb.headers.get("x-content-type-options")).toBe("nosniff");
    expect(thumb.headers.get("cache-control")).toMatch(/^public/);
    expect((await thumb.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const full = await photoGet(verifiedPhotos[0], false);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("image/jpeg");
    expect((await photoGet(pendingPhoto, true)).status).toBe(404);
    expect((await photoGet(pendingPhoto, false)).status).toBe(404);
  });

  it("shows a citizen's report and its answer, never the reporter, the internal notes or a held report", async () => {
    const { c, text } = await pageData(road.id);
    expect(c.complaints).toHaveLength(1);
    expect(c.complaints[0]).toMatchObject({ status: "answered", targetKind: "contract", targetId: road.id, answer: ANSWER });
    expect(c.complaints[0].opd?.code).toBe(PU);
    for (const secret of [NAME, "Sutrisno", CONTACT, INTERNAL, "contoh.example", RETURN_NOTE, "ticket", "identity"]) expect(text).not.toContain(secret);
  });

  it("gives the same document as open data with URLs, CORS and an ETag", async () => {
    const res = await api(road.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const text = await res.clone().text();
    const doc = JSON.parse(text) as Omit<PublicContractPage, "proposals" | "reports"> & { url: string; links: Record<string, string>; proposals: { url: string }[]; reports: { photos: { url: string; thumbnail: string }[] }[] };
    const { c } = await pageData(road.id);
    expect(doc.series).toEqual(c.series);
    expect(doc.critical).toEqual(c.critical);
    expect(doc.payments).toEqual(c.payments);
    expect(doc.complaints.map((k) => k.answer)).toEqual([ANSWER]);
    expect(doc.url).toBe(`/kontrak/${road.id}`);
    expect(doc.links.package).toBe(`/pengadaan/${road.package_id}`);
    expect(doc.links.ocdsRecord).toMatch(/^\/api\/ocds\/records\//);
    expect(doc.links.report).toBe(`/lapor?kontrak=${road.id}`);
    expect(doc.proposals.map((p) => p.url)).toEqual(expectedProposals.map((p) => `/usulan/${p.id}`));
    expect(doc.reports[0].photos.map((p) => p.thumbnail).sort()).toEqual(verifiedPhotos.map((id) => `/monev/foto/${id}?kecil=1`).sort());
    for (const secret of [NAME, CONTACT, INTERNAL, "Notulen SCM I", RETURN_NOTE, road.npwp]) expect(text).not.toContain(secret);
    // The client's copy is current: 304 without a body; a changed document gets a new ETag.
    const again = await api(road.id, { "If-None-Match": etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const [r2] = await db.em().execute<{ id: string; version: number }[]>("select id, version from progress_report where contract_id = ? and period_no = 2", [road.id]);
    await monev.verifyReport(db.em(), await actorOf(db.em(), "ppk.pu"), fixedClock("2027-03-07T02:00:00Z"), r2.id, r2.version);
    const changed = await api(road.id, { "If-None-Match": etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await body<PublicContractPage>(changed)).series.map((s) => s.actual)).toEqual(["5.00", "32.50", null, null, null, null]);
    // A preflight is answered; writing is refused.
    const pre = await call(apiAction, new Request(`http://localhost/api/kontrak/${road.id}`, { method: "OPTIONS" }), { id: road.id });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toContain("GET");
    expect((await call(apiAction, new Request(`http://localhost/api/kontrak/${road.id}`, { method: "POST" }), { id: road.id })).status).toBe(405);
  });

  it("draws the kurva S on the server: the planned line over every period, the actual over the verified ones, and the table behind it", async () => {
    const { c } = await pageData(road.id);
    const labels = { title: "Kurva S", planned: "Rencana", actual: "Realisasi", period: "Periode", dates: "Tanggal", deviation: "Deviasi" };
    const svg = renderToStaticMarkup(createElement(KurvaSChart, { series: c.series, labels }));
    const points = (name: string) => (svg.match(new RegExp(`data-series="${name}" points="([^"]+)"`))?.[1] ?? "").split(" ");
    // The origin, then one point per period; y grows downwards: 100% is above 0%.
    expect(points("planned")).toHaveLength(7);
    expect(points("actual")).toHaveLength(3);
    const ys = points("planned").map((p) => Number(p.split(",")[1]));
    expect(ys.every((y, i) => i === 0 || y <= ys[i - 1])).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain("<title");
    const table = renderToStaticMarkup(createElement(KurvaSTable, { series: c.series, labels, lang: "id" }));
    expect(table).toContain("17,50%");
    expect(table).toContain("32,50%");
    expect(table.match(/<tr data-period=/g)).toHaveLength(6);
  });
});
