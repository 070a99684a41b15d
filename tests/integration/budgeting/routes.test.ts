import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { PU } from "../../support/musrenbang";
import { aPriceList } from "../../support/budgeting";
import { action as loginAction } from "../../../app/routes/login";
import { action as budgetAction, loader as budgetLoader } from "../../../app/routes/budget._index";
import { action as kuaAction, loader as kuaLoader } from "../../../app/routes/budget.kua.$year";
import { action as opdAction, loader as opdLoader } from "../../../app/routes/budget.opd.$kode";
import { action as rkaAction, loader as rkaLoader } from "../../../app/routes/budget.rka.$id";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("planned");
/** The RKA's first line (the editor's rows reach its component outside the loader data: render-data.tsx). */
const firstLine = async (rkaId: string) => (await db.em().execute<{ id: string }[]>("select id from rka_line where rka_id = ? order by position limit 1", [rkaId]))[0].id;
const YEAR = 2027;

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

type Kua = { kua: { id: string; version: number; status: string; total: string; opds: { code: string; programs: { subs: { sub_id: string; code: string; amount: string }[] }[] }[] } | null };
type Rka = { rka: { id: string; version: number; status: string }; lineCount: number; total: string; hits: { id: string; code: string }[]; chosen: { id: string; accounts: string[] } | null; edits: boolean; reviews: boolean };

describe("e-Budgeting workspaces", () => {
  it("TAPD agrees the KUA-PPAS; the OPD drafts an RKA from the price list; TAPD returns it, then approves", async () => {
    const prices = await aPriceList(db.em());
    const tapd = await signedIn("tapd");
    const opd = await signedIn("opd.pu");
    expect((await call(budgetLoader, opd.get("/budget"))).status).toBe(403);
    expect((await call(budgetAction, tapd.post("/budget", { intent: "draft", year: String(YEAR), priorities: "" }))).status).toBe(400);
    expect((await call(budgetAction, tapd.post("/budget", { intent: "draft", year: String(YEAR), priorities: "Infrastruktur jalan\nPenurunan stunting" }))).status).toBe(200);
    let kua = (await body<Kua>(await call(budgetLoader, tapd.get(`/budget?tahun=${YEAR}`)))).kua!;
    const sub = kua.opds.find((o) => o.code === PU)!.programs.flatMap((p) => p.subs).find((s) => s.code === "1.03.10.2.01.0033")!;
    // TAPD trims one ceiling on the KUA-PPAS page.
    const ceilingForm = { kua: kua.id, sub: sub.sub_id, amount: "1000000000", version: String(kua.version) };
    expect((await call(kuaAction, tapd.post(`/budget/kua/${YEAR}`, ceilingForm), { year: String(YEAR) })).status).toBe(200);
    expect((await call(kuaAction, tapd.post(`/budget/kua/${YEAR}`, ceilingForm), { year: String(YEAR) })).status).toBe(409);
    kua = (await body<Kua>(await call(kuaLoader, tapd.get(`/budget/kua/${YEAR}`), { year: String(YEAR) }))).kua!;
    expect(kua.opds.find((o) => o.code === PU)!.programs.flatMap((p) => p.subs).find((s) => s.sub_id === sub.sub_id)!.amount).toBe("1000000000.00");
    for (const [intent, agreement] of [["submit", ""], ["agree", "Nota Kesepakatan Nomor 900/01/2026"]]) {
      kua = (await body<Kua>(await call(budgetLoader, tapd.get(`/budget?tahun=${YEAR}`)))).kua!;
      expect((await call(budgetAction, tapd.post("/budget", { intent, kua: kua.id, version: String(kua.version), agreement }))).status).toBe(200);
    }

    // The OPD opens the RKA of its road sub-activity and lands in its editor.
    const page = await body<{ subs: { sub_id: string; rka_id: string | null }[]; edits: boolean }>(await call(opdLoader, opd.get(`/budget/opd/${PU}?tahun=${YEAR}`), { kode: PU }));
    expect(page.edits).toBe(true);
    expect(page.subs.find((s) => s.sub_id === sub.sub_id)!.rka_id).toBeNull();
    const opened = await call(opdAction, opd.post(`/budget/opd/${PU}?tahun=${YEAR}`, { sub: sub.sub_id }), { kode: PU });
    expect(opened.status).toBe(302);
    const rkaId = opened.headers.get("location")!.split("/").pop()!;
    expect((await call(opdLoader, (await signedIn("fasil.desa")).get(`/budget/opd/${PU}`), { kode: PU })).status).toBe(403);

    // Searching the price list, choosing an item, adding a line.
    let r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}?q=aspal`), { id: rkaId }));
    expect(r.hits.map((h) => h.code)).toContain("1.1.7.01.03.02.005");
    r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}?item=${prices["1.1.7.01.03.02.005"]}`), { id: rkaId }));
    expect(r.chosen!.accounts).toEqual(["5.2.04.01.01.0003"]);
    const line = {
      intent: "add",
      version: String(r.rka.version),
      priceItemId: prices["1.1.7.01.03.02.005"],
      heading: "Pekerjaan Aspal",
      accountCode: "5.2.04.01.01.0003",
      description: "Aspal curah penetrasi 60/70",
      q1: "12.500",
      u1: "kg",
      q2: "",
      u2: "",
      unit: "kg",
      unitPrice: "",
      taxPercent: "11",
      fundingSource: "DAK Fisik",
    };
    const bad = await call(rkaAction, opd.post(`/budget/rka/${rkaId}`, { ...line, q1: "abc" }), { id: rkaId });
    expect(bad.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(bad)).fieldErrors.factor1).toContain("Koefisien");
    expect((await call(rkaAction, opd.post(`/budget/rka/${rkaId}`, line), { id: rkaId })).status).toBe(200);
    r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}`), { id: rkaId }));
    // 12.500 kg × Rp14.333,33 × 1,11 = Rp198.874.953,75
    expect(r.total).toBe("198874953.75");
    expect((await call(rkaAction, opd.post(`/budget/rka/${rkaId}`, { intent: "submit", version: String(r.rka.version) }), { id: rkaId })).status).toBe(200);

    // TAPD: the queue shows it; return with a note; the OPD fixes it and resubmits; TAPD verifies and approves.
    const queue = await body<{ queue: { id: string }[] }>(await call(budgetLoader, tapd.get(`/budget?tahun=${YEAR}`)));
    expect(queue.queue.map((q) => q.id)).toContain(rkaId);
    r = await body<Rka>(await call(rkaLoader, tapd.get(`/budget/rka/${rkaId}`), { id: rkaId }));
    expect(r).toMatchObject({ reviews: true, edits: false });
    expect((await call(rkaAction, tapd.post(`/budget/rka/${rkaId}`, { intent: "note", line: await firstLine(rkaId), note: "Volume aspal tidak sesuai RAB" }), { id: rkaId })).status).toBe(200);
    expect((await call(rkaAction, tapd.post(`/budget/rka/${rkaId}`, { intent: "return", note: "Sesuaikan volume dengan RAB", version: String(r.rka.version) }), { id: rkaId })).status).toBe(200);
    r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}`), { id: rkaId }));
    expect(r.rka.status).toBe("returned");
    expect((await call(rkaAction, opd.post(`/budget/rka/${rkaId}`, { ...line, intent: "update", line: await firstLine(rkaId), q1: "10.000", version: String(r.rka.version) }), { id: rkaId })).status).toBe(200);
    r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}`), { id: rkaId }));
    expect(r.total).toBe("159099963.00");
    for (const [who, intent] of [[opd, "submit"], [tapd, "verify"], [tapd, "approve"]] as const) {
      r = await body<Rka>(await call(rkaLoader, who.get(`/budget/rka/${rkaId}`), { id: rkaId }));
      expect((await call(rkaAction, who.post(`/budget/rka/${rkaId}`, { intent, version: String(r.rka.version), note: "" }), { id: rkaId })).status).toBe(200);
    }
    r = await body<Rka>(await call(rkaLoader, opd.get(`/budget/rka/${rkaId}`), { id: rkaId }));
    expect(r).toMatchObject({ rka: { status: "approved" }, edits: false });
  });
});
