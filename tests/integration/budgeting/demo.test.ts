import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { kuaPpasView, opdBudget, reviewQueue, rkaView } from "../../../domain/budgeting";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";
import { seedDemoBudgeting, DEMO_UNBUDGETED_SUB, KUA_PRIORITIES } from "../../../imports/demo/budgeting";

const db = useTestDatabase("budgeted"); // before the APBD: DPMD's RKA still in TAPD's queue
const YEAR = 2027;
const PU = "1.03.0.00.0.00.01.0000";
const DINKES = "1.02.0.00.0.00.01.0000";
const DPMD = "2.13.0.00.0.00.01.0000";

type RkaRow = { id: string; kind: string; status: string; opd: string; code: string | null; created_at: Date; updated_at: Date };
const allRka = () =>
  db.em().execute<RkaRow[]>(
    `select r.id, r.kind, r.status, o.code as opd, s.sub_kegiatan_code as code, r.created_at, r.updated_at
       from rka r join opd o on o.id = r.opd_id left join sub_activity s on s.id = r.sub_activity_id where r.tenant_code = ? and r.fiscal_year = ? order by o.code, s.sub_kegiatan_code`,
    [T, YEAR],
  );

describe("the demo's e-Budgeting 2027 (what npm start serves)", () => {
  it("has an agreed KUA-PPAS 2027 with its priorities, trimmed ceilings and the (illustrative) nota kesepakatan", async () => {
    const kua = (await kuaPpasView(db.em(), T, YEAR))!;
    expect(kua).toMatchObject({ status: "agreed", priorities: KUA_PRIORITIES });
    expect(kua.agreement).toMatch(/Nota Kesepakatan.*contoh demo/);
    expect(kua.opds).toHaveLength(8);
    const subs = kua.opds.flatMap((o) => o.programs.flatMap((p) => p.subs));
    const trimmed = subs.filter((s) => Money.idr(s.indicative).exceeds(Money.idr(s.amount)));
    expect(trimmed.map((s) => s.code).sort()).toEqual(["1.03.10.2.01.0033", "2.15.02.2.02.0002", "3.27.03.2.02.0003"]);
    expect(subs.find((s) => s.code === "1.03.10.2.01.0033")!.amount).toBe("2400000000.00");
    expect(kua.total).toBe(Money.sum(kua.opds.map((o) => Money.idr(o.total))).toString());
  });

  it("has RKAs within their ceilings whose totals reconcile with their lines, in the statuses of the story", async () => {
    const rkas = await allRka();
    const by = (status: string) => rkas.filter((r) => r.status === status);
    expect(by("approved")).toHaveLength(12);
    expect(by("submitted").map((r) => [r.opd, r.code])).toEqual([[DPMD, "2.13.05.2.01.0005"]]);
    expect(by("draft").length + by("returned").length + by("verified").length).toBe(0);
    for (const r of rkas) {
      const v = await rkaView(db.em(), T, r.id);
      expect(v.lines.length).toBeGreaterThan(1);
      expect(Money.sum(v.lines.map((l) => Money.idr(l.amount))).toString()).toBe(v.total);
      const headings = new Set(v.lines.map((l) => l.heading));
      expect([...headings].every((h) => h.length > 3)).toBe(true);
      expect(Money.sum(v.headings.map((h) => Money.idr(h.total))).toString()).toBe(v.total);
      if (r.kind === "belanja") {
        expect(v.ceiling!.agreed).toBe(true);
        expect(Money.idr(v.total).exceeds(Money.idr(v.ceiling!.amount))).toBe(false);
        for (const l of v.lines) {
          expect(l.price_item_id).toBeTruthy();
          expect(l.unit_price).toBe(l.standard_price);
          if (l.price_item_code!.startsWith("SBU.01")) expect(l.tax_percent).toBe("0"); // honoraria
          if (l.price_item_code!.startsWith("HSPK")) expect(["11", "12"]).toContain(l.tax_percent); // works by a contractor
        }
      }
      // The rows carry the story's moments.
      expect(new Date(r.created_at).getUTCFullYear()).toBe(2026);
      expect(new Date(r.updated_at) >= new Date(r.created_at)).toBe(true);
    }
    // Dinas Kesehatan's revenue RKA: retribusi pelayanan kesehatan at 36 puskesmas, approved.
    const revenue = rkas.find((r) => r.kind === "pendapatan")!;
    expect(revenue).toMatchObject({ opd: DINKES, status: "approved" });
    const rv = await rkaView(db.em(), T, revenue.id);
    expect(rv.lines.map((l) => l.account_code)).toEqual(["4.1.02.01.01.0006", "4.1.02.01.01.0006"]);
    expect(rv.total).toBe("1771200000.00");
    // Dinas PU leaves its Rehabilitasi Jalan without an RKA (the browser test drafts it); salaries are not budgeted.
    const pu = await opdBudget(db.em(), T, YEAR, PU);
    const open = pu.subs.filter((s) => !s.rka_id).map((s) => s.code);
    expect(open).toContain(DEMO_UNBUDGETED_SUB);
    expect(open.filter((c) => c !== DEMO_UNBUDGETED_SUB).every((c) => c.startsWith("1.03.01.2.02"))).toBe(true);
  });

  it("reconciles per OPD: the OPD's total is the sum of its RKAs' lines, within its KUA-PPAS ceiling", async () => {
    const kua = (await kuaPpasView(db.em(), T, YEAR))!;
    for (const o of kua.opds) {
      const b = await opdBudget(db.em(), T, YEAR, o.code);
      expect(b.ceiling).toBe(o.total);
      const [{ s }] = await db.em().execute<{ s: string }[]>(
        `select coalesce(sum(l.amount), 0)::numeric(20,2)::text as s from rka_line l join rka r on r.id = l.rka_id join opd x on x.id = r.opd_id
          where r.tenant_code = ? and r.fiscal_year = ? and x.code = ? and r.kind = 'belanja'`,
        [T, YEAR, o.code],
      );
      expect(b.total).toBe(Money.idr(s).toString());
      expect(Money.idr(b.total).exceeds(Money.idr(b.ceiling))).toBe(false);
    }
  });

  it("keeps the review's history: one RKA returned with a line note, fixed and approved; one waiting in TAPD's queue", async () => {
    const [gizi] = (await allRka()).filter((r) => r.code === "1.02.02.2.02.0015");
    const v = await rkaView(db.em(), T, gizi.id);
    expect(v.rka.status).toBe("approved");
    expect(v.notes.some((n) => n.line_id === v.lines[0].id && /nasi kotak/.test(n.text))).toBe(true);
    expect(v.notes.some((n) => n.line_id === null && /sesuaikan/.test(n.text))).toBe(true);
    expect(v.lines[0].price_item_code).toBe("SSH.05.01.0001");
    const events = await db.em().execute<{ action: string }[]>("select action from audit_event where tenant_code = ? and entity_type = 'Rka' and entity_id = ? order by id", [T, gizi.id]);
    const actions = events.map((e) => e.action);
    expect(actions.indexOf("RkaReturned")).toBeGreaterThan(actions.indexOf("RkaNoted"));
    expect(actions.slice(actions.indexOf("RkaReturned"))).toEqual(["RkaReturned", "RkaLineChanged", "RkaSubmitted", "RkaVerified", "RkaApproved"]);
    const queue = await reviewQueue(db.em(), T, YEAR);
    expect(queue.map((q) => [q.opd_code, q.code, q.status])).toEqual([[DPMD, "2.13.05.2.01.0005", "submitted"]]);
    // The audit events run in the story's order.
    const times = await db.em().execute<{ at: Date }[]>(
      "select at from audit_event where tenant_code = ? and entity_type in ('KuaPpas','Rka') order by id",
      [T],
    );
    const ts = times.map((t) => new Date(t.at).getTime());
    expect(ts.filter((t, i) => i > 0 && t < ts[i - 1]).map((t) => new Date(t).toISOString())).toEqual([]);
    expect(new Date(ts[0]).toISOString().slice(0, 7)).toBe("2026-08");
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await allRka();
    expect(await seedDemoBudgeting(db.em())).toEqual({ created: false, rkas: 0 });
    expect(await allRka()).toEqual(before);
  });
});
