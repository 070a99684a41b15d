import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { aProposal, actorOf, clock, DANDER, NGUNUT, PU, T } from "../../support/musrenbang";
import { aJpeg } from "../../support/images";
import { action as loginAction } from "../../../app/routes/login";
import { action as newProposalAction } from "../../../app/routes/forum.$id_.usulan.baru";
import { action as decideAction } from "../../../app/routes/usulan.$id_.tindak";
import { loader as forumLoader } from "../../../app/routes/forum.$id";
import { loader as apiList } from "../../../app/routes/api.usulan";
import { loader as apiOne } from "../../../app/routes/api.usulan.$id";
import { loader as photoLoader } from "../../../app/routes/usulan.foto.$photoId";
import { loader as trackerLoader } from "../../../app/routes/usulan._index";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { likelyDuplicates, moveForum, raiseProposal, scheduleForum, keepBothProposals, mergeProposal, proposalDetail } from "../../../domain/musrenbang";
import { Forum, Proposal } from "../../../domain/musrenbang/entities";

const db = useTestDatabase("demo");
const YEAR = 2031;
let desaForum = "";
let kecForum = "";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

function multipart(b: Browser, path: string, fields: Record<string, string>, photos: { name: string; bytes: Buffer; type: string }[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("_csrf", b.csrf);
  for (const p of photos) form.append("photos", new Blob([new Uint8Array(p.bytes)], { type: p.type }), p.name);
  return new Request(`http://localhost${path}`, { method: "POST", body: form, headers: { cookie: b.header() } });
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.em().execute<{ n: string }[]>(sql, params as never[]))[0].n);

beforeAll(async () => {
  const bappeda = await actorOf(db.em(), "bappeda");
  const window = { opensAt: new Date("2030-01-05T01:00:00Z"), closesAt: new Date("2030-01-25T09:00:00Z") };
  desaForum = await scheduleForum(db.em(), bappeda, clock, { fiscalYear: YEAR, level: "desa", scope: NGUNUT, ...window });
  kecForum = await scheduleForum(db.em(), bappeda, clock, { fiscalYear: YEAR, level: "kecamatan", scope: DANDER, ...window });
  await scheduleForum(db.em(), bappeda, clock, { fiscalYear: YEAR, level: "kabupaten", scope: T, ...window });
  const fasil = await actorOf(db.em(), "fasil.desa");
  const f = await db.em().findOneOrFail(Forum, { id: desaForum });
  await moveForum(db.em(), fasil, clock, desaForum, "open", f.version);
});

describe("proposal photos through the form", () => {
  const fields = (title: string) => ({ ...aProposal({ title }), desa: "" }) as unknown as Record<string, string>;

  it("saves a proposal with two photos, checksummed, with thumbnails served by the public", async () => {
    const b = await signedIn("fasil.desa");
    const res = await call(
      newProposalAction,
      multipart(b, `/forum/${desaForum}/usulan/baru`, fields("Jalan usaha tani Ngunut foto"), [
        { name: "a.jpg", bytes: await aJpeg(800, 600, 1), type: "image/jpeg" },
        { name: "b.jpg", bytes: await aJpeg(600, 800, 2), type: "image/jpeg" },
      ]),
      { id: desaForum },
    );
    expect(res.status).toBe(302);
    const [{ id }] = await db.em().execute<{ id: string }[]>("select id from proposal where title = 'Jalan usaha tani Ngunut foto'");
    const d = await proposalDetail(db.em(), T, id);
    expect(d!.photos).toHaveLength(2);
    expect(d!.photos[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d!.photos[0]).toMatchObject({ width: 800, height: 600 });
    const thumb = await call(photoLoader, new Browser().get(`/usulan/foto/${d!.photos[0].id}?kecil=1`), { photoId: d!.photos[0].id });
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const full = await call(photoLoader, new Browser().get(`/usulan/foto/${d!.photos[0].id}`), { photoId: d!.photos[0].id });
    expect(full.headers.get("content-type")).toBe("image/jpeg");
    expect((await full.arrayBuffer()).byteLength).toBe(d!.photos[0].size);
  });

  it.each([
    ["a text file named .jpg", [{ name: "bukan-foto.jpg", bytes: Buffer.from("ini bukan gambar sama sekali".repeat(20)), type: "image/jpeg" }], "bukan foto JPEG, PNG atau WebP"],
    ["a photo over 5 MB", [{ name: "besar.jpg", bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024 + 10)]), type: "image/jpeg" }], "lebih dari 5 MB"],
    ["six photos", [], "Paling banyak 5 foto"],
  ])("refuses %s with a clear message and saves nothing, keeping what was typed", async (_label, photos, message) => {
    const b = await signedIn("fasil.desa");
    const six = photos.length ? photos : await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => ({ name: `f${i}.jpg`, bytes: await aJpeg(64, 48, i), type: "image/jpeg" })));
    const before = await count("select count(*)::text n from proposal");
    const res = await call(newProposalAction, multipart(b, `/forum/${desaForum}/usulan/baru`, fields("Usulan dengan foto bermasalah"), six), { id: desaForum });
    expect(res.status).toBe(400);
    const data = await body<{ fieldErrors: Record<string, string>; values: { title: string } }>(res);
    expect(data.fieldErrors.photos).toContain(message);
    expect(data.values.title).toBe("Usulan dengan foto bermasalah");
    expect(await count("select count(*)::text n from proposal")).toBe(before);
  });

  it("refuses an upload beyond the request limit before reading it", async () => {
    const b = await signedIn("fasil.desa");
    const req = new Request(`http://localhost/forum/${desaForum}/usulan/baru`, {
      method: "POST",
      body: "x",
      headers: { cookie: b.header(), "content-type": "multipart/form-data; boundary=x", "content-length": String(40 * 1024 * 1024) },
    });
    expect((await call(newProposalAction, req, { id: desaForum })).status).toBe(413);
  });
});

describe("decisions through /usulan/<id>/tindak", () => {
  it("refuses a desa facilitator's verify at the kecamatan, and a foreign OPD's accept, without changing anything", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const { id } = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal());
    const b = await signedIn("fasil.desa");
    const res = await call(decideAction, b.post(`/usulan/${id}/tindak`, { intent: "verify", back: `/forum/${desaForum}` }, { headers: { accept: "application/json" } }), { id });
    expect(res.status).toBe(422);
    const other = await signedIn("opd.pu");
    const res2 = await call(decideAction, other.post(`/usulan/${id}/tindak`, { intent: "accept", subKegiatan: "x" }, { headers: { accept: "application/json" } }), { id });
    expect([403, 422]).toContain(res2.status);
    expect((await db.em().findOneOrFail(Proposal, { id })).status).toBe("submitted");
  });

  it("redirects back with a one-time notice (never a message in the URL)", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const { id } = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal());
    const b = await signedIn("fasil.desa");
    const res = await call(decideAction, b.post(`/usulan/${id}/tindak`, { intent: "withdraw", reason: "pendek", back: `/forum/${desaForum}` }), { id });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/forum/${desaForum}`);
    expect(res.headers.get("set-cookie")).toMatch(/^jejak_flash=/);
    const ok = await call(decideAction, b.post(`/usulan/${id}/tindak`, { intent: "withdraw", reason: "Sudah dibiayai Dana Desa tahun ini", back: `/forum/${desaForum}` }), { id });
    expect(ok.status).toBe(302);
    expect((await db.em().findOneOrFail(Proposal, { id })).status).toBe("withdrawn");
  });

  it("the forum workspace is closed to other desa (403) and shows the facilitator their proposals", async () => {
    expect((await call(forumLoader, (await signedIn("fasil.desa")).get(`/forum/${desaForum}`), { id: desaForum })).status).toBe(200);
    const outsider = await signedIn("opd.pu");
    expect((await call(forumLoader, outsider.get(`/forum/${desaForum}`), { id: desaForum })).status).toBe(403);
    expect((await call(forumLoader, new Browser().get(`/forum/${desaForum}`), { id: desaForum })).status).toBe(302);
    expect((await call(forumLoader, outsider.get("/forum/00000000-0000-0000-0000-000000000000"), { id: "00000000-0000-0000-0000-000000000000" })).status).toBe(404);
  });
});

describe("duplicate detection", () => {
  it("flags similar titles or nearby points in the kecamatan forum; 'keep both' and 'merge' settle them", async () => {
    const fasil = await actorOf(db.em(), "fasil.desa");
    const p1 = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal({ title: "Perbaikan jembatan Kali Pacal dusun Krajan" }));
    const p2 = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal({ title: "Perbaikan jembatan kali Pacal Krajan" }));
    const p3 = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal({ title: "Pelatihan menjahit ibu PKK", lat: "-7.215300", lng: "111.884200" }));
    const p4 = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal({ title: "Lampu penerangan jalan", lat: "-7.215900", lng: "111.884700" }));
    const p5 = await raiseProposal(db.em(), fasil, clock, desaForum, aProposal({ title: "Pengadaan bibit jagung hibrida" }));
    const pairs = (await likelyDuplicates(db.em(), desaForum)).map((d) => [d.a_code, d.b_code].sort().join("~"));
    const code = async (id: string) => (await db.em().findOneOrFail(Proposal, { id })).code;
    expect(pairs).toContain([await code(p1.id), await code(p2.id)].sort().join("~"));
    expect(pairs).toContain([await code(p3.id), await code(p4.id)].sort().join("~")); // ~85 m apart
    const c5 = await code(p5.id);
    expect(pairs.some((p) => p.includes(c5))).toBe(false);

    // The kecamatan facilitator keeps the lamp and the training apart, and merges the bridge.
    await db.em().execute("update proposal set status = 'escalated', current_forum_id = ? where id in (?, ?, ?, ?)", [kecForum, p1.id, p2.id, p3.id, p4.id]);
    const kf = await db.em().findOneOrFail(Forum, { id: kecForum });
    const kecFasil = await actorOf(db.em(), "fasil.kecamatan");
    await moveForum(db.em(), kecFasil, clock, kecForum, "open", kf.version);
    await keepBothProposals(db.em(), kecFasil, clock, p3.id, p4.id);
    const v = (await db.em().findOneOrFail(Proposal, { id: p2.id })).version;
    await mergeProposal(db.em(), kecFasil, clock, p2.id, p1.id, "Usulan yang sama dari dua RT", v);
    expect(await likelyDuplicates(db.em(), kecForum)).toEqual([]);
    const merged = await proposalDetail(db.em(), T, p2.id);
    const kept = await proposalDetail(db.em(), T, p1.id);
    expect(merged!.status).toBe("merged");
    expect(merged!.mergedInto?.id).toBe(p1.id);
    expect(merged!.timeline.map((e) => e.action)).toEqual(["submit", "merge"]);
    expect(kept!.timeline.map((e) => e.action)).toEqual(["submit", "absorb"]);
    expect(kept!.absorbed.map((a) => a.id)).toEqual([p2.id]);
  });
});

describe("public tracker and open-data API", () => {
  it("filters by desa, kecamatan, status, OPD and text, pages, and answers JSON with CORS", async () => {
    const res = await call(apiList, new Browser().get(`/api/usulan?kecamatan=${DANDER}&opd=${PU}&per_page=2`));
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const data = await body<{ total: number; per_page: number; data: { desa: { code: string }; opd: { code: string } }[]; links: { next: string | null } }>(res);
    expect(data.total).toBeGreaterThan(2);
    expect(data.data).toHaveLength(2);
    expect(data.links.next).toMatch(/page=2/);
    expect(data.data.every((p) => p.desa.code.startsWith(`${DANDER}.`) && p.opd.code === PU)).toBe(true);
    const byStatus = await body<{ data: { status: string }[] }>(await call(apiList, new Browser().get(`/api/usulan?desa=${NGUNUT}&status=merged`)));
    expect(byStatus.data.map((d) => d.status)).toEqual(["merged"]);
    const byText = await body<{ data: { title: string }[] }>(await call(apiList, new Browser().get("/api/usulan?q=jembatan")));
    expect(byText.data.every((d) => /jembatan/i.test(d.title))).toBe(true);
    const junk = await body<{ total: number }>(await call(apiList, new Browser().get("/api/usulan?kecamatan=xx&status=nope&page=-3")));
    expect(junk.total).toBeGreaterThan(0);
    const page = await body<{ result: { total: number } }>(await call(trackerLoader, new Browser().get(`/usulan?kecamatan=${DANDER}`)));
    expect(page.result.total).toBeGreaterThan(0);
  });

  it("one proposal with its timeline; 404 JSON for an unknown id", async () => {
    const [{ id }] = await db.em().execute<{ id: string }[]>("select id from proposal where title = 'Perbaikan jembatan kali Pacal Krajan'");
    const one = await body<{ status: string; timeline: { action: string; reason: string }[]; mergedInto: { code: string } }>(await call(apiOne, new Browser().get(`/api/usulan/${id}`), { id }));
    expect(one.status).toBe("merged");
    expect(one.timeline[1]).toMatchObject({ action: "merge", reason: "Usulan yang sama dari dua RT" });
    const missing = await call(apiOne, new Browser().get("/api/usulan/nope"), { id: "nope" });
    expect(missing.status).toBe(404);
  });
});
