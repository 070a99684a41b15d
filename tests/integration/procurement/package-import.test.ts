import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { clearProcurement, PU, procurementWorld, storyClock, YEAR, type World } from "../../support/procurement";
import * as proc from "../../../domain/procurement";
import { Actor } from "../../../domain/identity/actor";
import { DomainError, ValidationErrors } from "../../../domain/kernel/domain-error";
import { Money } from "../../../domain/kernel/money";
import { validateRelease } from "../../../exports/ocds/validate";
import type { JsonObject } from "../../../exports/ocds/schema";

/**
 * importPackage: a RUP entry from SiRUP under its kode RUP, with planPackage's rules (form, method rules by
 * date, DPA lines of the version in force locked in key order), who may import it, and what it publishes
 * when an announced package changes (PackageAmended → OCDS planningUpdate).
 */

const db = useTestDatabase("adopted");
let w: World;
beforeAll(async () => {
  w = await procurementWorld(db.em());
});
beforeEach(async () => clearProcurement(db.em()));

const DINKES = "1.02.0.00.0.00.01.0000";
const dinkesPpk = () => new Actor(T, null, "ppk.dinkes", "PPK Dinkes", [{ role: "procurement_officer", scope: { kind: "opd", code: DINKES } }]);

/** The road line with the most left on it. */
const roomiest = () => [...w.roadLines].sort((a, b) => Money.idr(b.left).compare(Money.idr(a.left)))[0];

function entry(over: Partial<proc.ImportedPackageInput> = {}): proc.ImportedPackageInput {
  return {
    opdCode: PU,
    fiscalYear: YEAR,
    kodeRup: "81000001",
    announce: true,
    name: "Pemeliharaan berkala Jalan Ngunut (SiRUP)",
    type: "penyedia",
    kind: "konstruksi",
    method: "pengadaan_langsung",
    lines: [{ lineKey: roomiest().line_key, amount: "300000000.00" }],
    locations: [{ regionCode: "35.22.06.2001", detail: "Ruas Ngunut" }],
    selectionStart: "2026-12-01",
    selectionEnd: "2026-12-20",
    executionStart: "2027-01-04",
    executionEnd: "2027-04-30",
    plannedOn: "2026-11-20",
    ...over,
  };
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationErrors) return { key: e.problems[0].key, kind: e.kind, field: e.problems[0].field, params: e.problems[0].params };
    if (e instanceof DomainError) return { key: e.key, kind: e.kind, field: e.field, params: e.params };
    throw e;
  }
  throw new Error("expected a refusal");
}

const count = async (sql: string, params: unknown[] = []) => (await db.em().execute<{ n: number }[]>(sql, params))[0].n;
const events = (packageId: string) =>
  db.em().execute<{ id: string; type: string; payload: Record<string, unknown>; tags: string[]; data: JsonObject }[]>(
    "select e.id::text as id, e.type, e.payload, r.tags, r.data from procurement_event e join ocds_release r on r.event_id = e.id where e.package_id = ? order by e.id",
    [packageId],
  );

describe("importPackage: who may, and planPackage's rules", () => {
  it("lets the Pokja import for any OPD and the PPK for their own, refuses the others, and keeps the kode RUP ahead of Jejak's own", async () => {
    const em = db.em();
    expect(await refusal(proc.importPackage(em, dinkesPpk(), storyClock(), entry()))).toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    expect(await refusal(proc.importPackage(em, w.vendors[0].actor, storyClock(), entry()))).toMatchObject({ key: "auth.forbidden", kind: "forbidden" });
    expect(await count("select count(*)::int as n from proc_package")).toBe(0);

    const r = await proc.importPackage(em, w.pokja[0], storyClock(), entry());
    expect(r).toMatchObject({ outcome: "created", announced: true });
    const p = await proc.loadPackage(em, T, r.id);
    expect([p.kode_rup, p.status, p.source, p.pagu, p.planned_on, p.ppk_name]).toEqual(["81000001", "announced", "sirup", "300000000.00", "2026-11-20", w.pokja[0].displayName]);
    const published = await events(r.id);
    expect(published.map((e) => [e.type, e.tags])).toEqual([["PackagePlanned", ["planning"]]]);
    expect(published[0].payload).toMatchObject({ kodeRup: "81000001", source: "sirup", pagu: "300000000.00", method: "pengadaan_langsung", opd: PU });
    // A kode RUP Jejak hands out later comes after the one kept from SiRUP.
    const [{ last }] = await em.execute<{ last: string }[]>("select last_value::text as last from proc_package_kode_rup_seq");
    expect(BigInt(last) >= 81000001n).toBe(true);

    // The same entry again changes nothing: no version, no event, no audit.
    const audit = await count("select count(*)::int as n from audit_event");
    expect(await proc.importPackage(em, w.ppk, storyClock(), entry())).toEqual({ id: r.id, outcome: "unchanged", announced: false });
    expect((await proc.loadPackage(em, T, r.id)).version).toBe(p.version);
    expect(await count("select count(*)::int as n from procurement_event")).toBe(1);
    expect(await count("select count(*)::int as n from audit_event")).toBe(audit);
  });

  it("judges the method by the rules in force on the planning date and names the rule", async () => {
    const refused = await refusal(proc.importPackage(db.em(), w.ppk, storyClock(), entry({ plannedOn: "2024-03-01", lines: [{ lineKey: roomiest().line_key, amount: "250000000.00" }] })));
    expect(refused).toMatchObject({ key: "procure.rule.aboveMax", field: "method", params: { max: "200000000.00", rule: "Perpres 12/2021 Pasal 38 ayat (3)" } });
    // The same value planned under Perpres 46/2025 (construction up to Rp400 jt) is accepted.
    expect(await proc.importPackage(db.em(), w.ppk, storyClock(), entry({ lines: [{ lineKey: roomiest().line_key, amount: "250000000.00" }] }))).toMatchObject({ outcome: "created" });
  });

  it("never commits more than a DPA line holds, also when two imports run at once", async () => {
    const line = roomiest();
    // Each asks 60% of the line: either fits alone, both together do not.
    const share = Money.idr(line.left).times("0.6");
    const one = (kode: string) =>
      proc.importPackage(db.em().fork(), w.ppk, storyClock(), entry({ kodeRup: kode, name: `Paket paralel ${kode}`, method: "tender", lines: [{ lineKey: line.line_key, amount: share.toString() }] }));
    const results = await Promise.allSettled([one("81000011"), one("81000012")]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ValidationErrors);
    expect((rejected.reason as ValidationErrors).problems[0]).toMatchObject({ field: "lines.0.amount", key: "procure.package.overLine" });
    const [{ s }] = await db.em().execute<{ s: string }[]>("select coalesce(sum(amount), 0)::text as s from proc_package_budget where line_key = ?", [line.line_key]);
    expect(Money.idr(s).equals(share)).toBe(true);
    expect(Money.idr(line.left).minus(Money.idr(s)).isNegative()).toBe(false);
  });

  it("keeps a kode RUP with its OPD and does not revive a cancelled package", async () => {
    const em = db.em();
    const r = await proc.importPackage(em, w.pokja[0], storyClock(), entry());
    expect(await refusal(proc.importPackage(em, w.pokja[0], storyClock(), entry({ opdCode: DINKES })))).toMatchObject({ key: "procure.package.kodeRupOtherOpd", params: { kode: "81000001", opd: PU } });
    await proc.cancelPackage(em, w.ppk, storyClock(), r.id, "Kegiatan digabung dengan paket lain dalam revisi RUP", (await proc.loadPackage(em, T, r.id)).version);
    expect(await refusal(proc.importPackage(em, w.ppk, storyClock(), entry({ name: "Nama baru setelah pembatalan" })))).toMatchObject({ key: "procure.package.cancelled", kind: "conflict" });
  });
});

describe("importPackage: an announced package that changes", () => {
  it("publishes its new schedule and locations as PackageAmended (before and after, OCDS planningUpdate), and keeps its money and method", async () => {
    const em = db.em();
    const { id } = await proc.importPackage(em, w.ppk, storyClock(), entry());
    const changed = entry({
      selectionStart: "2026-12-08",
      selectionEnd: "2026-12-28",
      executionStart: "2027-01-11",
      locations: [{ regionCode: "35.22.06.2001", detail: "Ruas Ngunut" }, { regionCode: "35.22.06", detail: "" }],
    });
    expect(await proc.importPackage(em, w.ppk, storyClock(), changed)).toEqual({ id, outcome: "updated", announced: false });
    const p = await proc.loadPackage(em, T, id);
    expect([p.status, p.selection_start, p.selection_end, p.execution_start, p.pagu]).toEqual(["announced", "2026-12-08", "2026-12-28", "2027-01-11", "300000000.00"]);

    const published = await events(id);
    expect(published.map((e) => [e.type, e.tags])).toEqual([
      ["PackagePlanned", ["planning"]],
      ["PackageAmended", ["planningUpdate"]],
    ]);
    const amended = published[1];
    expect(amended.payload).toEqual({
      kodeRup: "81000001",
      source: "sirup",
      changes: {
        selectionStart: { before: "2026-12-01", after: "2026-12-08" },
        selectionEnd: { before: "2026-12-20", after: "2026-12-28" },
        executionStart: { before: "2027-01-04", after: "2027-01-11" },
        locations: {
          before: [{ regionCode: "35.22.06.2001", detail: "Ruas Ngunut" }],
          after: [{ regionCode: "35.22.06", detail: "" }, { regionCode: "35.22.06.2001", detail: "Ruas Ngunut" }],
        },
      },
    });
    // The release validates, carries the package as it is now and a notice of what changed.
    expect(validateRelease(amended.data)).toEqual([]);
    const release = amended.data as { planning: { documents: JsonObject[]; budget: { amount: { amount: number } } }; tender: JsonObject };
    expect(release.planning.budget.amount.amount).toBe(300000000);
    expect(release.planning.documents).toContainEqual(
      expect.objectContaining({
        id: `perubahan-rup-${amended.id}`,
        documentType: "plannedProcurementNotice",
        title: "Perubahan RUP 81000001",
        description:
          "Awal pemilihan dari 1 Desember 2026 menjadi 8 Desember 2026; akhir pemilihan dari 20 Desember 2026 menjadi 28 Desember 2026; " +
          "awal pelaksanaan dari 4 Januari 2027 menjadi 11 Januari 2027; lokasi dari 35.22.06.2001 (Ruas Ngunut) menjadi 35.22.06, 35.22.06.2001 (Ruas Ngunut).",
      }),
    );
    expect(release.tender).toMatchObject({ status: "planned", contractPeriod: { startDate: "2027-01-11T00:00:00+07:00" } });
    // The audit trail has the change with what it was.
    const [audit] = await em.execute<{ before: Record<string, unknown> }[]>("select before from audit_event where action = 'PackageAmended' and entity_id = ?", [id]);
    expect(audit.before).toMatchObject({ selectionStart: "2026-12-01", executionStart: "2027-01-04" });

    // Its pagu, lines, method and kind stay; it does not go back to draft.
    const v = (await proc.loadPackage(em, T, id)).version;
    for (const over of [{ lines: [{ lineKey: roomiest().line_key, amount: "250000000.00" }] }, { method: "penunjukan_langsung" }, { kind: "barang", method: "e_purchasing" }] as Partial<proc.ImportedPackageInput>[])
      expect(await refusal(proc.importPackage(em, w.ppk, storyClock(), { ...changed, ...over }))).toMatchObject({ key: "procure.package.announcedFixed", kind: "conflict" });
    expect(await refusal(proc.importPackage(em, w.ppk, storyClock(), { ...changed, announce: false }))).toMatchObject({ key: "procure.package.unannounce" });
    expect(await refusal(proc.importPackage(em, w.ppk, storyClock(), { ...changed, name: "Nama yang lain", expectedVersion: v - 1 }))).toMatchObject({ key: "concurrency.stale" });
    expect((await proc.loadPackage(em, T, id)).version).toBe(v);
    expect(await count("select count(*)::int as n from procurement_event where package_id = ?", [id])).toBe(2);
  });

  it("changes a draft entirely, in the audit trail only, and announces it when SiRUP says so", async () => {
    const em = db.em();
    const { id } = await proc.importPackage(em, w.ppk, storyClock(), entry({ announce: false }));
    const r = await proc.importPackage(em, w.ppk, storyClock(), entry({ announce: false, method: "tender", lines: [{ lineKey: roomiest().line_key, amount: "450000000.00" }] }));
    expect(r).toEqual({ id, outcome: "updated", announced: false });
    expect(await count("select count(*)::int as n from procurement_event where package_id = ?", [id])).toBe(0);
    const [audit] = await em.execute<{ before: Record<string, unknown>; after: Record<string, unknown> }[]>("select before, after from audit_event where action = 'PackageDraftChanged' and entity_id = ?", [id]);
    expect(audit.before).toMatchObject({ method: "pengadaan_langsung", pagu: "300000000.00" });
    expect(audit.after).toMatchObject({ method: "tender", pagu: "450000000.00" });
    expect(await proc.importPackage(em, w.ppk, storyClock(), entry({ method: "tender", lines: [{ lineKey: roomiest().line_key, amount: "450000000.00" }] }))).toEqual({ id, outcome: "unchanged", announced: true });
    expect((await events(id)).map((e) => e.type)).toEqual(["PackagePlanned"]);
  });
});
