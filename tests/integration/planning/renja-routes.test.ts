import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { actorOf, clock, PU } from "../../support/musrenbang";
import { action as loginAction } from "../../../app/routes/login";
import { action as planAction, loader as planLoader } from "../../../app/routes/plan._index";
import { action as opdAction, loader as opdLoader } from "../../../app/routes/plan.opd.$kode";
import { action as renjaAction, loader as renjaLoader } from "../../../app/routes/plan.renja.$id";
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
});
