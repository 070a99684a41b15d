import { useTestDatabase } from "../../support/db";
import { Browser, body, call } from "../../support/http";
import { anApprovedRka } from "../../support/budgeting";
import { action as loginAction } from "../../../app/routes/login";
import { action as apbdAction, loader as apbdLoader } from "../../../app/routes/budget.apbd.$year";
import { action as dpaAction, loader as dpaLoader } from "../../../app/routes/budget.dpa.$id";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";

const db = useTestDatabase("planned");
const DINKES = "1.02.0.00.0.00.01.0000";

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  return b;
}

type Ws = {
  versions: { id: string; versionNo: number; kind: string; status: string; version: number }[];
  summary: { totals: { belanja: string } } | null;
  dpas: { id: string; opd_code: string }[];
  diff: { rows: { change: string; delta: string }[]; delta: string } | null;
  editable: { line_key: string; description: string }[];
};

describe("APBD workspace and DPA page", () => {
  it("TAPD assembles, adopts, issues a DPA; the DPA page sets its cash plan and records an SP2D; a pergeseran is enacted and compared", async () => {
    await anApprovedRka(db.em());
    const tapd = await signedIn("tapd");
    const y = { year: "2027" };
    const post = (form: Record<string, string>) => call(apbdAction, tapd.post("/budget/apbd/2027", form), y);
    const ws = async () => body<Ws>(await call(apbdLoader, tapd.get("/budget/apbd/2027"), y));
    expect((await call(apbdLoader, (await signedIn("opd.pu")).get("/budget/apbd/2027"), y)).status).toBe(403);
    expect((await post({ intent: "assemble" })).status).toBe(200);
    let w = await ws();
    expect(w.summary!.totals.belanja).toBe("7800000.00");
    for (const [intent, legalBasis] of [["agree", ""], ["evaluate", ""], ["adopt", "Perda Kabupaten Bojonegoro Nomor 9 Tahun 2026"]]) {
      const v = (await ws()).versions[0];
      expect((await post({ intent, apbd: v.id, version: String(v.version), legalBasis })).status).toBe(200);
    }
    expect((await post({ intent: "dpa", opd: DINKES })).status).toBe(200);
    w = await ws();
    const dpaId = w.dpas.find((d) => d.opd_code === DINKES)!.id;

    // The DPA page: total in words; the even split is offered; a plan that does not add up is refused.
    type DpaPage = { words: string; period: string; dpa: { cashPlanPeriod: string }; cash: { subId: string; code: string; amounts: string[]; set: boolean }[]; lines: { line_key: string }[]; pays: boolean };
    const dpaPage = async (query = "") => body<DpaPage>(await call(dpaLoader, tapd.get(`/budget/dpa/${dpaId}${query}`), { id: dpaId }));
    const cash = (form: Record<string, string>) => call(dpaAction, tapd.post(`/budget/dpa/${dpaId}`, { intent: "cash", ...form }), { id: dpaId });
    const page = await dpaPage();
    expect(page.words).toBe("tujuh juta delapan ratus ribu rupiah");
    expect(page.period).toBe("bulan");
    expect(page.cash[0].amounts.slice(0, 2)).toEqual(["650000.00", "650000.00"]);
    const inputs = (amounts: string[]) => Object.fromEntries(amounts.map((m, i) => [`cash-${page.cash[0].subId}-${i + 1}`, m]));
    const months = (last: string) => inputs(page.cash[0].amounts.map((m, i) => (i === 11 ? last : m)));
    expect((await cash({ period: "bulan", ...months("1") })).status).toBe(400);
    expect((await cash({ period: "bulan", ...months("650000.00") })).status).toBe(200);

    // Per quarter: the form shows four amounts (the monthly plan's quarters); a plan that does not add up, or
    // an unknown period, is refused by field; saved, it replaces the monthly plan.
    const quarters = await dpaPage("?periode=triwulan");
    expect(quarters).toMatchObject({ period: "triwulan", dpa: { cashPlanPeriod: "bulan" } });
    expect(quarters.cash[0]).toMatchObject({ amounts: ["1950000.00", "1950000.00", "1950000.00", "1950000.00"], set: false });
    const short = await cash({ period: "triwulan", ...inputs(["1950000", "1950000", "1950000"]) });
    expect(short.status).toBe(400);
    expect((await body<{ fieldErrors: Record<string, string> }>(short)).fieldErrors).toEqual({ [`plan.${page.cash[0].code}`]: `Anggaran kas ${page.cash[0].code} berjumlah Rp5.850.000,00, padahal DPA-nya Rp7.800.000,00.` });
    const unknown = await cash({ period: "semester", ...inputs(["7800000"]) });
    expect((await body<{ fieldErrors: Record<string, string> }>(unknown)).fieldErrors).toEqual({ period: "Pilih periode anggaran kas: per bulan atau per triwulan." });
    expect((await cash({ period: "triwulan", ...inputs(["1000000", "2000000", "2000000", "2800000"]) })).status).toBe(200);
    const saved = await dpaPage();
    expect(saved).toMatchObject({ period: "triwulan", dpa: { cashPlanPeriod: "triwulan" } });
    expect(saved.cash[0]).toMatchObject({ amounts: ["1000000.00", "2000000.00", "2000000.00", "2800000.00"], set: true });
    const sp2d = { intent: "sp2d", line: page.lines[0].line_key, number: "SP2D/0001/2027", paidOn: "2027-02-14", amount: "1000000", description: "Termin 1" };
    expect((await call(dpaAction, tapd.post(`/budget/dpa/${dpaId}`, sp2d), { id: dpaId })).status).toBe(200);
    const over = await call(dpaAction, tapd.post(`/budget/dpa/${dpaId}`, { ...sp2d, number: "SP2D/0002/2027", amount: "999999999" }), { id: dpaId });
    expect(over.status).toBe(400);
    expect((await body<{ fieldErrors: { amount: string } }>(over)).fieldErrors.amount).toContain("Melebihi pagu baris DPA");
    expect((await call(dpaLoader, (await signedIn("opd.pu")).get(`/budget/dpa/${dpaId}`), { id: dpaId })).status).toBe(403);

    // A pergeseran: lines of the OPD are editable in the draft; enacted once balanced; the diff shows it.
    expect((await post({ intent: "revise", kind: "pergeseran", reason: "Pergeseran antarobjek belanja triwulan II" })).status).toBe(200);
    w = await body<Ws>(await call(apbdLoader, tapd.get(`/budget/apbd/2027?opd=${DINKES}`), y));
    const draft = w.versions[1];
    const [meals, honor] = [w.editable.find((l) => l.description.startsWith("Nasi"))!, w.editable.find((l) => l.description.startsWith("Honor"))!];
    expect((await post({ intent: "line", apbd: draft.id, line: meals.line_key, volume: "100", unitPrice: "35000", version: String(draft.version) })).status).toBe(200);
    expect((await post({ intent: "line", apbd: draft.id, line: honor.line_key, volume: "1", unitPrice: "4300000", version: String(draft.version + 1) })).status).toBe(200);
    expect((await post({ intent: "enact", apbd: draft.id, version: String(draft.version + 2), legalBasis: "Perkada Nomor 12 Tahun 2027" })).status).toBe(200);
    w = await ws();
    expect(w.versions.map((v) => [v.kind, v.status])).toEqual([
      ["murni", "adopted"],
      ["pergeseran", "adopted"],
    ]);
    expect(w.diff!.rows.map((r) => [r.change, r.delta])).toEqual([
      ["changed", "-700000.00"],
      ["changed", "700000.00"],
    ]);
    expect(w.diff!.delta).toBe("0.00");

    // The APBD-P adds a line to a sub-activity of the OPD.
    expect((await post({ intent: "revise", kind: "perubahan", reason: "APBD Perubahan 2027: tambahan PAD" })).status).toBe(200);
    const withSubs = await body<Ws & { subs: { id: string; code: string }[] }>(await call(apbdLoader, tapd.get(`/budget/apbd/2027?opd=${DINKES}`), y));
    const p = withSubs.versions[2];
    const add = { intent: "addLine", apbd: p.id, opd: DINKES, sub: withSubs.subs[0].id, accountCode: "5.1.02.01.01.0024", description: "Alat tulis kantor", volume: "10", unit: "rim", unitPrice: "55000", taxPercent: "0", fundingSource: "PAD", version: String(p.version) };
    expect((await post({ ...add, unit: "" })).status).toBe(400);
    expect((await post(add)).status).toBe(200);
    expect((await ws()).summary!.totals.belanja).toBe("8350000.00");
  });
});
