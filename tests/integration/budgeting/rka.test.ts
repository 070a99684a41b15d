import { useTestDatabase } from "../../support/db";
import { actorOf, actorWith, clock, PU, T } from "../../support/musrenbang";
import { aPriceList } from "../../support/budgeting";
import { addLine, setAboveStandardRule, draftKuaPpas, kuaPpasView, moveKuaPpas, moveRka, noteRka, openOpdRka, openRka, opdBudget, removeLine, reviewQueue, rkaView, setPpasCeiling, updateLine, type LineInput } from "../../../domain/budgeting";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { importNomenclature } from "../../../domain/nomenclature/sets";

const db = useTestDatabase("planned");
const YEAR = 2027;
const code = (e: unknown) => (e instanceof DomainError ? e.key : String(e));
const fields = (e: unknown) => (e instanceof ValidationErrors ? Object.fromEntries(e.problems.map((p) => [p.field, p.key])) : {});

let prices: Record<string, string> = {};
let kua = "";
let sub = ""; // a final Renja's sub-activity: Dinas Kesehatan (final in the demo)
let rka = "";
const DINKES = "1.02.0.00.0.00.01.0000";

const rapat = (over: Partial<LineInput> = {}): LineInput => ({
  heading: "Belanja Makanan dan Minuman",
  accountCode: "5.1.02.01.01.0052",
  description: "Nasi kotak rapat koordinasi posyandu",
  factors: [
    { qty: "40", unit: "orang" },
    { qty: "3", unit: "kali" },
  ],
  unit: "kotak",
  priceItemId: prices["1.1.12.01.03.01.001"],
  fundingSource: "DAK Non-Fisik",
  ...over,
});

describe("KUA-PPAS and the RKA of a sub-activity", () => {
  beforeAll(async () => {
    prices = await aPriceList(db.em());
    const [s] = await db.em().execute<{ id: string }[]>(
      "select s.id from sub_activity s join opd o on o.id = s.opd_id where o.code = ? and s.fiscal_year = ? and s.sub_kegiatan_code = '1.02.02.2.02.0004'",
      [DINKES, YEAR],
    );
    sub = s.id;
  });

  it("TAPD drafts KUA-PPAS from the final RKPD; ceilings per OPD and programme are sums of sub-activities'; agreed locks it", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    expect(code(await draftKuaPpas(db.em(), await actorOf(db.em(), "opd.pu"), clock, YEAR, ["x"]).catch((e) => e))).toBe("auth.forbidden");
    expect(code(await draftKuaPpas(db.em(), tapd, clock, 2031, ["Infrastruktur"]).catch((e) => e))).toBe("budget.kua.noFinalRkpd");
    kua = await draftKuaPpas(db.em(), tapd, clock, YEAR, ["Infrastruktur jalan dan irigasi", "Penurunan stunting"]);
    let view = (await kuaPpasView(db.em(), T, YEAR))!;
    // Every final Renja is in it (Dinas PU's after its revision), and nothing else.
    expect(view.opds.map((o) => o.code)).toContain(PU);
    expect(view.opds).toHaveLength(8);
    expect(view.opds.find((o) => o.code === DINKES)).toBeTruthy();
    const dinkes = view.opds.find((o) => o.code === DINKES)!;
    const balita = dinkes.programs.flatMap((p) => p.subs).find((s) => s.sub_id === sub)!;
    expect(balita.amount).toBe(balita.indicative);
    await setPpasCeiling(db.em(), tapd, clock, kua, sub, "15000000", view.version);
    expect(code(await setPpasCeiling(db.em(), tapd, clock, kua, sub, "1", view.version).catch((e) => e))).toBe("concurrency.stale");
    view = (await kuaPpasView(db.em(), T, YEAR))!;
    const d2 = view.opds.find((o) => o.code === DINKES)!;
    expect(d2.total).toBe(d2.programs.reduce((s, p) => s + Number(p.total), 0).toFixed(2)); // a sum, exactly (small numbers here)
    // RKA drafting may start before agreement, but submission waits for it.
    const opdDinkes = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    rka = await openRka(db.em(), opdDinkes, clock, sub);
    expect(await openRka(db.em(), opdDinkes, clock, sub)).toBe(rka);
    await addLine(db.em(), opdDinkes, clock, rka, rapat(), 1);
    expect(code(await moveRka(db.em(), opdDinkes, clock, rka, "submit", "", 2).catch((e) => e))).toBe("budget.rka.kuaNotAgreed");
    await moveKuaPpas(db.em(), tapd, clock, kua, "submit", "", view.version);
    expect(code(await moveKuaPpas(db.em(), tapd, clock, kua, "agree", "", view.version + 1).catch((e) => e))).toBe("budget.kua.agreementRequired");
    await moveKuaPpas(db.em(), tapd, clock, kua, "agree", "Nota Kesepakatan No. 050/12/412.11/2026", view.version + 1);
    expect(code(await setPpasCeiling(db.em(), tapd, clock, kua, sub, "1", view.version + 2).catch((e) => e))).toBe("budget.kua.locked");
  });

  it("lines: volume × price exact, standard prices enforced, errors per field, stale edits refused", async () => {
    const opd = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    let v = (await rkaView(db.em(), T, rka)).rka.version;
    // 40 × 3 × Rp35.000 = Rp4.200.000 (the first line).
    expect((await rkaView(db.em(), T, rka)).total).toBe("4200000.00");
    // Awkward decimals and tax: 2,5 × 7 kg × Rp14.333,33 × 1,11 = Rp278.424,94 (278424.93525 half-up).
    const aspal = await addLine(db.em(), opd, clock, rka, rapat({ heading: "Belanja Bahan", accountCode: "5.2.04.01.01.0003", description: "Aspal untuk tambal", factors: [{ qty: "2,5", unit: "drum" }, { qty: "7", unit: "kg" }], unit: "kg", priceItemId: prices["1.1.7.01.03.02.005"], taxPercent: "11" }), v);
    v++;
    let view = await rkaView(db.em(), T, rka);
    expect(view.lines.find((l) => l.id === aspal)).toMatchObject({ volume: "17.5", amount: "278424.94", unit_price: "14333.33", tax_percent: "11" });
    expect(view.total).toBe("4478424.94");
    // Above the standard price: refused (the tenant's rule is "refuse").
    const above = await addLine(db.em(), opd, clock, rka, rapat({ unitPrice: "35000.01" }), v).catch((e) => e);
    expect(fields(above)).toEqual({ unitPrice: "budget.line.aboveStandard" });
    // Many problems at once, each on its field.
    const bad = await addLine(db.em(), opd, clock, rka, { accountCode: "5.1.02.99", description: "", factors: [{ qty: "-1", unit: "x" }], priceItemId: "", fundingSource: "Entah", taxPercent: "10" }, v).catch((e) => e);
    expect(fields(bad)).toEqual({
      accountCode: "budget.line.accountFormat",
      description: "budget.line.descriptionRequired",
      taxPercent: "budget.line.taxUnknown",
      fundingSource: "planning.fundingSourceUnknown",
      factor1: "budget.line.factorFormat",
      priceItem: "budget.line.priceItemRequired",
    });
    // An account the price item is not for; a revenue account on a spending RKA.
    expect(fields(await addLine(db.em(), opd, clock, rka, rapat({ accountCode: "5.1.02.01.01.0024" }), v).catch((e) => e))).toEqual({ accountCode: "budget.line.accountNotForItem" });
    expect(fields(await addLine(db.em(), opd, clock, rka, rapat({ accountCode: "4.1.02.01.01.0006" }), v).catch((e) => e))).toEqual({ accountCode: "budget.line.accountKind" });
    // A stale version is refused and changes nothing.
    expect(code(await updateLine(db.em(), opd, clock, rka, aspal, rapat({ description: "x".repeat(5) }), v - 1).catch((e) => e))).toBe("concurrency.stale");
    await updateLine(db.em(), opd, clock, rka, aspal, rapat({ heading: "Belanja Bahan", accountCode: "5.2.04.01.01.0003", description: "Aspal untuk tambal", factors: [{ qty: "3", unit: "kg" }], priceItemId: prices["1.1.7.01.03.02.005"] }), v);
    v++;
    view = await rkaView(db.em(), T, rka);
    expect(view.lines.find((l) => l.id === aspal)).toMatchObject({ volume: "3", amount: "42999.99" });
    expect(view.headings).toEqual([
      { heading: "Belanja Makanan dan Minuman", total: "4200000.00" },
      { heading: "Belanja Bahan", total: "42999.99" },
    ]);
    // Another OPD's officer cannot touch it.
    expect(code(await addLine(db.em(), await actorOf(db.em(), "opd.pu"), clock, rka, rapat(), v).catch((e) => e))).toBe("auth.forbidden");
  });

  it("the editor reuses an RKA's lines while they are unchanged, and sees every change, and a new account set, at once", async () => {
    const opd = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    const fresh = async () => (await rkaView(db.em(), T, rka)).lines;
    const reused = async () => (await rkaView(db.em(), T, rka, { reuse: true })).lines;
    const first = await reused();
    expect(await reused()).toBe(first); // the same lines, not read again
    expect(first).toEqual(await fresh());
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    let v = (await rkaView(db.em(), T, rka)).rka.version;
    // A refused change (a stale version) changes nothing: the lines are still the same.
    expect(code(await addLine(db.em(), opd, clock, rka, rapat(), v - 1).catch((e) => e))).toBe("concurrency.stale");
    expect(await reused()).toBe(first);
    // Added, changed, removed: each seen on the next read, as a fresh read gives it.
    const added = await addLine(db.em(), opd, clock, rka, rapat({ description: "Snack rapat evaluasi" }), v++);
    const afterAdd = await reused();
    expect(afterAdd).not.toBe(first);
    expect(afterAdd.map((l) => l.id)).toContain(added);
    expect(afterAdd).toEqual(await fresh());
    await updateLine(db.em(), opd, clock, rka, added, rapat({ description: "Snack rapat evaluasi triwulan", factors: [{ qty: "12", unit: "orang" }] }), v++);
    expect((await reused()).find((l) => l.id === added)).toMatchObject({ description: "Snack rapat evaluasi triwulan", volume: "12" });
    expect(await reused()).toEqual(await fresh());
    await removeLine(db.em(), opd, clock, rka, added, v++);
    expect((await reused()).map((l) => l.id)).not.toContain(added);
    expect(await reused()).toEqual(await fresh());
    // A new account set names the accounts anew: the lines show the new names.
    const account = first[0].account_code;
    const [current] = await db.em().execute<{ id: string; applies_from: number }[]>(
      "select id, applies_from from nomenclature_set where kind = 'account' and applies_from <= ? order by applies_from desc, imported_at desc limit 1",
      [YEAR],
    );
    expect(current.applies_from).toBeLessThan(YEAR); // so that the new set, from YEAR, is the one in force
    const codes = await db.em().execute<{ code: string; name: string }[]>("select code, name from account_code where set_id = ? order by code", [current.id]);
    const admin = actorWith("admin", "tenant", T, "Admin");
    const imported = await importNomenclature(
      db.em(),
      admin,
      clock,
      { kind: "account", decree: "Kepmendagri (uji) perubahan nama akun", appliesFrom: YEAR },
      codes.map((c, i) => ({ row: i + 2, code: c.code, name: c.code === account ? `${c.name} (nama baru)` : c.name })),
    );
    expect(imported.ok).toBe(true);
    const renamed = await reused();
    expect(renamed.filter((l) => l.account_code === account).every((l) => l.account_name?.endsWith("(nama baru)"))).toBe(true);
    expect(renamed).toEqual(await fresh());
  });

  it("never submitted above the ceiling, also with parallel requests; TAPD returns with notes, the OPD fixes and resubmits, TAPD approves and it locks", async () => {
    const opd = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    const tapd = await actorOf(db.em(), "tapd");
    let v = (await rkaView(db.em(), T, rka)).rka.version;
    // Ceiling Rp15.000.000; planned 4.242.999,99. Two parallel additions of Rp6.000.000 each fit one by one, and
    // both go in (drafts may exceed); then submission is refused with the amounts.
    const big = (n: number) => rapat({ description: `Honor narasumber ${n}`, accountCode: "5.1.02.02.01.0003", heading: "Honorarium", factors: [{ qty: "6,666", unit: "OJ" }], unit: "OJ", priceItemId: prices["1.1.12.02.01.01.002"] });
    const both = await Promise.allSettled([addLine(db.em(), opd, clock, rka, big(1), v), addLine(db.em(), opd, clock, rka, big(2), v)]);
    expect(both.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect(code((both.find((x) => x.status === "rejected") as PromiseRejectedResult).reason)).toBe("concurrency.stale");
    v++;
    await addLine(db.em(), opd, clock, rka, big(2), v);
    v++;
    const over = await moveRka(db.em(), opd, clock, rka, "submit", "", v).catch((e) => e);
    expect(code(over)).toBe("budget.rka.aboveCeiling");
    expect((over as DomainError).params).toEqual({ total: "16241799.99", ceiling: "15000000.00" });
    const lines = (await rkaView(db.em(), T, rka)).lines;
    await removeLine(db.em(), opd, clock, rka, lines[lines.length - 1].id, v);
    v++;
    // Two submissions at once: exactly one succeeds.
    const subs = await Promise.allSettled([moveRka(db.em(), opd, clock, rka, "submit", "", v), moveRka(db.em(), opd, clock, rka, "submit", "", v)]);
    expect(subs.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    v++;
    expect(code(await addLine(db.em(), opd, clock, rka, rapat(), v).catch((e) => e))).toBe("budget.rka.locked");
    expect((await reviewQueue(db.em(), T, YEAR)).map((q) => q.id)).toContain(rka);
    // TAPD notes a line and returns the RKA.
    await noteRka(db.em(), tapd, clock, rka, lines[0].id, "Frekuensi rapat terlalu banyak, cukup 2 kali");
    expect(code(await moveRka(db.em(), tapd, clock, rka, "return", "pendek", v).catch((e) => e))).toBe("budget.rka.returnNoteRequired");
    await moveRka(db.em(), tapd, clock, rka, "return", "Sesuaikan frekuensi rapat dengan catatan per baris", v);
    v++;
    let view = await rkaView(db.em(), T, rka);
    expect(view.rka).toMatchObject({ status: "returned", returnNote: "Sesuaikan frekuensi rapat dengan catatan per baris" });
    expect(view.notes.map((n) => [n.line_id, n.text])).toEqual([
      [lines[0].id, "Frekuensi rapat terlalu banyak, cukup 2 kali"],
      [null, "Sesuaikan frekuensi rapat dengan catatan per baris"],
    ]);
    await updateLine(db.em(), opd, clock, rka, lines[0].id, rapat({ factors: [{ qty: "40", unit: "orang" }, { qty: "2", unit: "kali" }] }), v);
    v++;
    await moveRka(db.em(), opd, clock, rka, "submit", "", v);
    v++;
    expect(code(await moveRka(db.em(), opd, clock, rka, "verify", "", v).catch((e) => e))).toBe("auth.forbidden");
    await moveRka(db.em(), tapd, clock, rka, "verify", "", v);
    v++;
    await moveRka(db.em(), tapd, clock, rka, "approve", "", v);
    v++;
    view = await rkaView(db.em(), T, rka);
    expect(view.rka.status).toBe("approved");
    expect(code(await removeLine(db.em(), opd, clock, rka, lines[0].id, v).catch((e) => e))).toBe("budget.rka.locked");
    const budget = await opdBudget(db.em(), T, YEAR, DINKES);
    expect(budget.subs.find((s) => s.sub_id === sub)).toMatchObject({ status: "approved", total: view.total, ceiling: "15000000.00" });
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("revenue RKA lines use 4.x accounts without a price item", async () => {
    const opd = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    const rev = await openOpdRka(db.em(), opd, clock, YEAR, DINKES, "pendapatan");
    await addLine(db.em(), opd, clock, rev, { accountCode: "4.1.02.01.01.0006", description: "Retribusi pelayanan puskesmas", factors: [{ qty: "12", unit: "bulan" }], unitPrice: "41.666.666,67", fundingSource: "PAD" }, 1);
    expect((await rkaView(db.em(), T, rev)).total).toBe("500000000.04");
    expect(fields(await addLine(db.em(), opd, clock, rev, { accountCode: "5.1.02.01.01.0052", description: "Salah akun", factors: [{ qty: "1", unit: "x" }], unitPrice: "1", fundingSource: "PAD" }, 2).catch((e) => e))).toEqual({ accountCode: "budget.line.accountKind" });
  });

  it("where the tenant allows it, a price above the standard needs a written justification", async () => {
    const tapd = await actorOf(db.em(), "tapd");
    const opd = actorWith("opd_officer", "opd", DINKES, "Perencana Dinkes");
    expect(code(await setAboveStandardRule(db.em(), opd, clock, "justify").catch((e) => e))).toBe("auth.forbidden");
    await setAboveStandardRule(db.em(), tapd, clock, "justify");
    const rev = await openOpdRka(db.em(), opd, clock, YEAR, DINKES, "pembiayaan").catch(() => "");
    expect(rev).not.toBe("");
    const [s2] = await db.em().execute<{ id: string }[]>(
      "select s.id from sub_activity s join opd o on o.id = s.opd_id where o.code = ? and s.fiscal_year = ? and s.id <> ? and exists (select 1 from ppas_ceiling c where c.sub_activity_id = s.id) order by s.sub_kegiatan_code limit 1",
      [DINKES, YEAR, sub],
    );
    const other = await openRka(db.em(), opd, clock, s2.id);
    const short = await addLine(db.em(), opd, clock, other, rapat({ unitPrice: "40000", justification: "mahal" }), 1).catch((e) => e);
    expect(fields(short)).toEqual({ justification: "budget.line.justificationRequired" });
    await addLine(db.em(), opd, clock, other, rapat({ unitPrice: "40000", justification: "Harga pasar di kecamatan terpencil lebih tinggi (survei 3 penyedia)" }), 1);
    expect((await rkaView(db.em(), T, other)).total).toBe("4800000.00");
  });
});
