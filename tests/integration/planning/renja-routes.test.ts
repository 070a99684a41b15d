import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { actorOf, clock, PU } from "../../support/musrenbang";
import { action as loginAction } from "../../../app/routes/login";
import { action as planAction, loader as planLoader } from "../../../app/routes/plan._index";
import { action as opdAction, loader as opdLoader } from "../../../app/routes/plan.opd.$kode";
import { action as renjaAction, loader as renjaLoader } from "../../../app/routes/plan.renja.$id";
import { action as forumPdAction, loader as forumPdLoader } from "../../../app/routes/plan.renja.$id_.forum-pd";
import { action as rpjmdListAction, loader as rpjmdListLoader } from "../../../app/routes/plan.rpjmd._index";
import { action as rpjmdAction, loader as rpjmdLoader } from "../../../app/routes/plan.rpjmd.$id";
import { loader as publicRpjmd } from "../../../app/routes/rpjmd._index";
import { importNomenclatureFile } from "../../../imports/nomenclature/list";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("demo");
const YEAR = new Date().getUTCFullYear() + 1;

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

describe("planning workspaces", () => {
  it("Bappeda sets a ceiling; the OPD opens its Renja and adds a sub-activity within it; others get 403", async () => {
    const list = "kode,nama,kinerja,indikator,satuan\n1,U,,,\n1.03,PU,,,\n1.03.10,Program Jalan (uji),,,\n1.03.10.2.01,Kegiatan Jalan (uji),,,\n1.03.10.2.01.0002,Rehabilitasi Jalan (uji),,Panjang jalan,km";
    const out = await importNomenclatureFile(db.em(), await actorOf(db.em(), "bappeda"), clock, { kind: "planning", decree: "Uji rute", appliesFrom: YEAR }, new TextEncoder().encode(list), "x.csv");
    expect(out.ok).toBe(true);
    const bappeda = await signedIn("bappeda");
    expect((await call(planAction, bappeda.post("/plan", { intent: "ceiling", year: String(YEAR), opd: PU, amount: "500000000" }))).status).toBe(200);
    const plan = await body<{ plan: { opds: { code: string; ceiling: string }[] } }>(await call(planLoader, bappeda.get(`/plan?tahun=${YEAR}`)));
    expect(plan.plan.opds.find((o) => o.code === PU)?.ceiling).toBe("500000000.00");

    const opd = await signedIn("opd.pu");
    expect((await call(opdAction, opd.post(`/plan/opd/${PU}`, { intent: "openRenja", year: String(YEAR) }), { kode: PU })).status).toBe(200);
    const page = await body<{ renjas: { id: string; fiscal_year: number }[] }>(await call(opdLoader, opd.get(`/plan/opd/${PU}`), { kode: PU }));
    const renjaId = page.renjas.find((r) => r.fiscal_year === YEAR)!.id;

    const editor = await body<{ edits: boolean; options: { subs: { code: string }[] } }>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    expect(editor.edits).toBe(true);
    expect(editor.options.subs.map((s) => s.code)).toEqual(["1.03.10.2.01.0002"]);
    const form = { intent: "add", subKegiatan: "1.03.10.2.01.0002", target: "2", unit: "", locations: "35.22.06.2001, 35.22.06", fundingSource: "DAU" };
    const over = await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { ...form, ceiling: "500000000.01" }), { id: renjaId });
    expect(over.status).toBe(400);
    expect((await body<{ fieldErrors: { ceiling: string } }>(over)).fieldErrors.ceiling).toContain("Melebihi pagu indikatif");
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { ...form, ceiling: "450000000" }), { id: renjaId })).status).toBe(200);
    const after = await body<{ planned: string; subs: { unit: string }[] }>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    expect(after.planned).toBe("450000000.00");
    expect(after.subs[0].unit).toBe("km");

    const stranger = await signedIn("fasil.desa");
    expect((await call(renjaLoader, stranger.get(`/plan/renja/${renjaId}`), { id: renjaId })).status).toBe(403);
    expect((await call(planLoader, opd.get("/plan"))).status).toBe(403);
  });

  it("the OPD edits and removes a sub-activity, reconciles proposals at its Forum PD; Bappeda revises after final and sees the diff", async () => {
    const opd = await signedIn("opd.pu");
    const page = await body<{ renjas: { id: string; fiscal_year: number }[] }>(await call(opdLoader, opd.get(`/plan/opd/${PU}`), { kode: PU }));
    const renjaId = page.renjas.find((r) => r.fiscal_year === YEAR)!.id;
    type Editor = { status?: number; planned: string; renja: { status: string; revision: number }; subs: { id: string; version: number; target: string }[]; diff: { rows: { code: string; change: string; delta: string }[] } | null };
    let ed = await body<Editor>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    const sub = ed.subs[0];
    const change = { intent: "update", sub: sub.id, version: String(sub.version), target: "3", unit: "km", locations: "35.22.06", ceiling: "400000000", fundingSource: "PAD" };
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, change), { id: renjaId })).status).toBe(200);
    // The same form again carries a stale version: refused, nothing overwritten.
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { ...change, ceiling: "1" }), { id: renjaId })).status).toBe(409);
    ed = await body<Editor>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    expect(ed).toMatchObject({ planned: "400000000.00", subs: [{ target: "3" }] });

    // Forum PD: the page lists the OPD's accepted proposals for the year and the sub-activities to place them in.
    type Fpd = { counts: { accepted: number; taken: number; pending: number }; subs: { id: string }[]; edits: boolean; rows: { id: string; state: string; subId: string | null }[] };
    const fpd = await body<Fpd>(await call(forumPdLoader, opd.get(`/plan/renja/${renjaId}/forum-pd`), { id: renjaId }));
    expect(fpd).toMatchObject({ edits: true, subs: [{ id: sub.id }], counts: { taken: 0 } });
    expect(fpd.counts.accepted).toBeGreaterThan(1);
    const [first] = fpd.rows;
    expect((await call(forumPdAction, opd.post(`/plan/renja/${renjaId}/forum-pd`, { intent: "link", sub: sub.id, proposal: first.id }), { id: renjaId })).status).toBe(200);
    const after = await body<Fpd>(await call(forumPdLoader, opd.get(`/plan/renja/${renjaId}/forum-pd`), { id: renjaId }));
    expect(after.counts).toMatchObject({ taken: 1, pending: fpd.counts.accepted - 1 });
    expect(after.rows.find((r) => r.id === first.id)).toMatchObject({ state: "taken", subId: sub.id });
    const bad = await call(forumPdAction, opd.post(`/plan/renja/${renjaId}/forum-pd`, { intent: "link", sub: sub.id, proposal: "00000000-0000-0000-0000-000000000000" }), { id: renjaId });
    expect(bad.status).toBe(400);
    expect((await call(forumPdLoader, (await signedIn("fasil.desa")).get(`/plan/renja/${renjaId}/forum-pd`), { id: renjaId })).status).toBe(403);

    // Submit, adopt, revise (Bappeda), change, re-adopt: the history shows what changed.
    const bappeda = await signedIn("bappeda");
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { intent: "submit" }), { id: renjaId })).status).toBe(200);
    expect((await call(renjaAction, bappeda.post(`/plan/renja/${renjaId}`, { intent: "adopt", reason: "Pagu tidak mencukupi untuk usulan lainnya" }), { id: renjaId })).status).toBe(200);
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { intent: "revise", reason: "Perubahan karena bencana" }), { id: renjaId })).status).toBe(403);
    expect((await call(renjaAction, bappeda.post(`/plan/renja/${renjaId}`, { intent: "revise", reason: "Perubahan karena bencana" }), { id: renjaId })).status).toBe(200);
    ed = await body<Editor>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    expect(ed.renja).toMatchObject({ status: "rancangan", revision: 1 });
    const v = ed.subs[0].version;
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { ...change, version: String(v), ceiling: "350000000" }), { id: renjaId })).status).toBe(200);
    ed = await body<Editor>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }));
    expect(ed.diff!.rows).toEqual([expect.objectContaining({ code: "1.03.10.2.01.0002", change: "changed", delta: "-50000000.00" })]);
    // Removal needs a reason; then the Renja is empty.
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { intent: "remove", sub: sub.id, version: String(v + 1), reason: "" }), { id: renjaId })).status).toBe(400);
    expect((await call(renjaAction, opd.post(`/plan/renja/${renjaId}`, { intent: "remove", sub: sub.id, version: String(v + 1), reason: "Ditangani provinsi" }), { id: renjaId })).status).toBe(200);
    expect((await body<Editor>(await call(renjaLoader, opd.get(`/plan/renja/${renjaId}`), { id: renjaId }))).subs).toEqual([]);
  });

  it("Bappeda drafts, completes and adopts an RPJMD in its workspace; the public page shows it; others get 403", async () => {
    const bappeda = await signedIn("bappeda");
    const opd = await signedIn("opd.pu");
    expect((await call(rpjmdListLoader, opd.get("/plan/rpjmd"))).status).toBe(403);
    expect((await call(rpjmdListAction, opd.post("/plan/rpjmd", { startYear: "2031", vision: "Visi", missions: "a" }))).status).toBe(403);
    const invalid = await call(rpjmdListAction, bappeda.post("/plan/rpjmd", { startYear: "2031", vision: "", missions: "" }));
    expect(invalid.status).toBe(400);
    const made = await call(rpjmdListAction, bappeda.post("/plan/rpjmd", { startYear: "2031", vision: "Bojonegoro maju dan sejahtera", missions: "Infrastruktur merata\nTata kelola baik", legalBasis: "" }));
    expect(made.status).toBe(302);
    const id = made.headers.get("location")!.split("/").pop()!;
    const post = (f: Record<string, string>) => call(rpjmdAction, bappeda.post(`/plan/rpjmd/${id}`, f), { id });
    expect((await post({ intent: "goal", mission: "1", code: "1.1", text: "Meningkatnya konektivitas" })).status).toBe(200);
    expect((await post({ intent: "goal", mission: "2", code: "2.1", text: "Meningkatnya akuntabilitas" })).status).toBe(200);
    let view = await body<{ r: { version: number; missions: { goals: { id: string }[] }[] } }>(await call(rpjmdLoader, bappeda.get(`/plan/rpjmd/${id}`), { id }));
    const goals = view.r.missions.map((m) => m.goals[0].id);
    const targets = { target2031: "70", target2032: "72", target2033: "74", target2034: "76", target2035: "78" };
    for (const g of goals) {
      expect((await post({ intent: "indicator", goal: g, name: "Indeks capaian", unit: "%", baseline: "68", ...targets })).status).toBe(200);
      expect((await post({ intent: "program", goal: g, program: "1.03.10" })).status).toBe(200);
    }
    const noBasis = await post({ intent: "adopt", version: String(view.r.version + 6), legalBasis: "" });
    expect(noBasis.status).toBe(400);
    view = await body(await call(rpjmdLoader, bappeda.get(`/plan/rpjmd/${id}`), { id }));
    expect((await post({ intent: "adopt", version: String(view.r.version), legalBasis: "Perda Kabupaten Bojonegoro Nomor 3 Tahun 2031" })).status).toBe(200);
    const pub = await body<{ views: { startYear: number; status: string; missions: { goals: { indicators: { targets: Record<string, string> }[] }[] }[] }[] }>(await call(publicRpjmd, new Browser().get("/rpjmd")));
    expect(pub.views[0]).toMatchObject({ startYear: 2031, status: "adopted" });
    expect(pub.views[0].missions[1].goals[0].indicators[0].targets).toEqual({ "2031": "70", "2032": "72", "2033": "74", "2034": "76", "2035": "78" });
  });
});
