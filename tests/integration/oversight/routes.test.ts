import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { aJpeg } from "../../support/images";
import { PU, T } from "../../support/musrenbang";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { action as loginAction } from "../../../app/routes/login";
import { action as laporAction, loader as laporLoader } from "../../../app/routes/lapor._index";
import { action as ticketAction, loader as ticketLoader } from "../../../app/routes/lapor.$ticket";
import { loader as photoLoader } from "../../../app/routes/lapor.foto.$photoId";
import { action as queueAction, loader as queueLoader } from "../../../app/routes/monev.pengaduan";
import { loader as apiLoader } from "../../../app/routes/api.pengaduan";
import { loader as usulanLoader } from "../../../app/routes/usulan.$id";
import type { PublicComplaint, QueueItem } from "../../../domain/oversight/queries";

/** The citizen's report pages, the officers' queue and the open-data API, through their routes on the full demo. */
const db = useTestDatabase("full");
let proposalId = "";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  expect(b.cookies.has("jejak_session")).toBe(true);
  return b;
}

function multipart(b: Browser, path: string, fields: Record<string, string>, photos: Buffer[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("_csrf", b.csrf);
  photos.forEach((p, i) => form.append("photos", new Blob([new Uint8Array(p)], { type: "image/jpeg" }), `foto${i}.jpg`));
  return new Request(`http://localhost${path}`, { method: "POST", body: form, headers: { cookie: b.header() } });
}

async function act(b: Browser, item: { id: string; version: number }, intent: string, extra: Record<string, string> = {}) {
  const res = await call(queueAction, b.post("/monev/pengaduan", { intent, id: item.id, version: String(item.version), ...extra }));
  expect(res.status).toBe(302);
  b.take(res);
  const flash = decodeURIComponent(res.headers.getSetCookie().find((c) => c.startsWith("jejak_flash="))!.split(";")[0].slice("jejak_flash=".length));
  return JSON.parse(Buffer.from(flash, "base64url").toString("utf8")) as { kind: string; message: string };
}

async function queue(b: Browser, number: string) {
  const data = await body<{ items: QueueItem[] }>(await call(queueLoader, b.get("/monev/pengaduan")));
  return data.items.find((i) => i.number === number)!;
}

beforeAll(async () => {
  const em = db.em();
  [{ id: proposalId }] = await em.execute<{ id: string }[]>(
    "select p.id from proposal p join opd o on o.id = p.target_opd_id where p.tenant_code = ? and o.code = ? and p.status in ('accepted','adopted') order by p.code limit 1",
    [T, PU],
  );
});

describe("a citizen's report through the pages", () => {
  it("goes from the form to the PU officer's answer, shown on the proposal and in the API without the reporter", async () => {
    const citizen = new Browser();
    const form = await body<{ target: { label: string }; categories: { code: string }[]; csrf: string }>(await call(laporLoader, citizen.get(`/lapor?usulan=${proposalId}`)));
    expect(form.target.label).toMatch(/—/);
    expect(form.categories.map((c) => c.code)).toEqual(["ringan", "normatif", "non_pengawasan", "investigasi"]);
    expect(form.csrf).toBe(citizen.csrf);

    const fields = { targetKind: "proposal", targetId: proposalId, category: "normatif", identity: "confidential", name: "Bu Warsini Rahasia", contact: "0813-1111-2222", text: "Talud di samping jalan ini longsor sebagian sejak hujan minggu lalu; mohon segera dicek." };
    const four = await call(laporAction, multipart(citizen, "/lapor", fields, await Promise.all([1, 2, 3, 4].map((s) => aJpeg(32, 24, s)))));
    expect(four.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(four)).fieldErrors.photos).toBe("Foto paling banyak 3.");

    const sent = await call(laporAction, multipart(citizen, "/lapor", fields, [await aJpeg(640, 480, 7)]));
    expect(sent.status).toBe(200);
    const { done } = await body<{ done: { number: string; ticket: string; held: boolean } }>(sent);
    expect(done.held).toBe(false);

    const page = await call(ticketLoader, citizen.get(`/lapor/${done.ticket}`), { ticket: done.ticket });
    expect(page.headers.get("Cache-Control")).toContain("no-store");
    const { c } = await body<{ c: PublicComplaint & { canRate: boolean } }>(page);
    expect(c).toMatchObject({ status: "received", canRate: false, number: done.number });
    expect(c.photos).toHaveLength(1);
    const thumb = await call(photoLoader, new Browser().get(`/lapor/foto/${c.photos[0]}?asli=1`), { photoId: c.photos[0] });
    expect(thumb.headers.get("Content-Type")).toBe("image/webp"); // the public never gets the original bytes

    // The monev officer verifies and forwards; a citizen account cannot see the queue; the PU officer answers.
    const monev = await signedIn("monev");
    let item = await queue(monev, done.number);
    expect(item.reporter).toEqual({ name: "Bu Warsini Rahasia", contact: "0813-1111-2222" });
    expect(item.actions).toEqual(["verify", "reject"]);
    expect((await act(monev, item, "verify")).kind).toBe("ok");
    item = await queue(monev, done.number);
    expect((await act(monev, item, "forward", { opdCode: PU, note: "Cek lokasi bersama UPT." })).kind).toBe("ok");
    expect((await call(queueLoader, (await signedIn("warga")).get("/monev/pengaduan"))).status).toBe(403);
    expect((await call(queueLoader, new Browser().get("/monev/pengaduan"))).status).toBe(302);

    const pu = await signedIn("opd.pu");
    item = await queue(pu, done.number);
    expect(item.reporter).toBeNull(); // confidential: the OPD does not learn who reported
    expect(item.actions).toEqual(["take"]);
    await act(pu, item, "take");
    item = await queue(pu, done.number);
    expect((await act(pu, { ...item, version: item.version - 1 }, "answer", { answer: "x" })).kind).toBe("error"); // stale form
    const ANSWER = "Talud diperbaiki oleh UPT Jalan pada 10 Desember 2026.";
    expect((await act(pu, item, "answer", { answer: ANSWER })).kind).toBe("ok");

    const usulan = await body<{ complaints: PublicComplaint[] }>(await call(usulanLoader, new Browser().get(`/usulan/${proposalId}`), { id: proposalId }));
    expect(usulan.complaints.find((x) => x.number === done.number)?.answer).toBe(ANSWER);

    const api = await call(apiLoader, new Browser().get(`/api/pengaduan?status=answered&opd=${PU}&kategori=normatif`));
    const json = await api.clone().text();
    const data = await body<{ data: { number: string; answer: string }[] }>(api);
    expect(data.data.find((d) => d.number === done.number)?.answer).toBe(ANSWER);
    for (const secret of ["Warsini", "0813-1111-2222", "UPT.", done.ticket]) expect(json).not.toContain(secret);
    expect((await body<{ data: unknown[] }>(await call(apiLoader, new Browser().get("/api/pengaduan?status=held")))).data.length).toBeGreaterThan(0); // an unknown filter is dropped…
    const held = await body<{ data: { status: string }[] }>(await call(apiLoader, new Browser().get("/api/pengaduan?per_page=100")));
    expect(held.data.every((d) => d.status !== "held" && d.status !== "discarded")).toBe(true); // …and held reports never appear

    // The reporter rates with the ticket (closing it); the ticket page then offers one reopen.
    const rated = await call(ticketAction, citizen.post(`/lapor/${done.ticket}`, { intent: "rate", rating: "4" }), { ticket: done.ticket });
    expect(rated.status).toBe(200);
    const after = await body<{ c: PublicComplaint & { canReopen: boolean } }>(await call(ticketLoader, citizen.get(`/lapor/${done.ticket}`), { ticket: done.ticket }));
    expect(after.c).toMatchObject({ status: "closed", rating: 4, canReopen: true });
    expect((await call(ticketLoader, citizen.get("/lapor/AAAA-BBBB-CCCC"), { ticket: "AAAA-BBBB-CCCC" })).status).toBe(404);
  });
});
