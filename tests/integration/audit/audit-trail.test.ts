import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { useTestDatabase, adminQuery } from "../../support/db";
import { Actor } from "../../../domain/identity/actor";
import { appendAudit } from "../../../domain/audit/append";
import { transact } from "../../../domain/audit/transact";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { GENESIS_HASH } from "../../../domain/audit/hash";
import { fixedClock } from "../../../domain/kernel/clock";
import { Opd } from "../../../domain/tenancy/opd.entity";

const run = promisify(execFile);
const db = useTestDatabase("demo");
const T = "35.22";
const admin = new Actor(T, null, "tester", "Tester", [{ role: "admin", scope: { kind: "tenant", code: T } }]);
const clock = fixedClock("2026-03-01T02:00:00Z");

async function rows() {
  return db.em().execute<{ id: string; prev_hash: string; hash: string; action: string }[]>(
    "select id::text as id, prev_hash, hash, action from audit_event where tenant_code = ? order by audit_event.id",
    [T],
  );
}

describe("the audit trail", () => {
  it("is a hash chain from the genesis hash, written by the demo seed", async () => {
    const all = await rows();
    expect(all.length).toBeGreaterThan(10);
    expect(all[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i].prev_hash).toBe(all[i - 1].hash);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("commits a change and its audit event together, and neither when the work fails", async () => {
    const n = (await rows()).length;
    await transact(db.em(), admin, clock, async (tx, record) => {
      const opd = tx.create(Opd, { tenantCode: T, code: "9.99.0.00.0.00.01.0000", name: "Dinas Uji", shortName: "Uji" });
      record({ type: "OpdCreated", entityType: "Opd", entityId: opd.id, after: { code: opd.code } });
    });
    expect((await rows()).length).toBe(n + 1);
    await expect(
      transact(db.em(), admin, clock, async (tx, record) => {
        tx.create(Opd, { tenantCode: T, code: "9.98.0.00.0.00.01.0000", name: "Dinas Gagal", shortName: "Gagal" });
        record({ type: "OpdCreated", entityType: "Opd", entityId: "x", after: {} });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await rows()).length).toBe(n + 1);
    expect(await db.em().count(Opd, { code: "9.98.0.00.0.00.01.0000" })).toBe(0);
  });

  it("refuses to append outside a transaction", async () => {
    await expect(appendAudit(db.em(), admin, [{ type: "X", entityType: "Y", entityId: "z" }], new Date())).rejects.toThrow(/inside a transaction/);
  });

  it("stays one linear chain under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        transact(db.em(), admin, clock, async (_tx, record) => record({ type: "Concurrent", entityType: "Test", entityId: String(i), after: { i } })),
      ),
    );
    const report = await verifyAuditChain(db.em(), T);
    expect(report.ok).toBe(true);
    expect((await rows()).filter((r) => r.action === "Concurrent")).toHaveLength(12);
  });

  it("cannot be changed or removed: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await expect(db.em().execute("update audit_event set actor_name = 'mallory' where id = 1")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("delete from audit_event where id = 1")).rejects.toThrow(/append-only/);
    await expect(db.em().execute("truncate audit_event")).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
  });

  it("reports a removed row as a broken link (superuser, trigger disabled)", async () => {
    const all = await rows();
    const victim = all[all.length - 3];
    await adminQuery("alter table audit_event disable trigger audit_event_no_update", [], db.name);
    await adminQuery(`delete from audit_event where id = ${Number(victim.id)}`, [], db.name);
    await adminQuery("alter table audit_event enable trigger audit_event_no_update", [], db.name);
    const report = await verifyAuditChain(db.em(), T);
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ id: all[all.length - 2].id, reason: "link" });
  });

  it("reports the first tampered row when a superuser edits one with the trigger disabled", async () => {
    const target = (await rows())[5];
    await adminQuery("alter table audit_event disable trigger audit_event_no_update", [], db.name);
    await adminQuery(`update audit_event set after = '{"name":"diubah"}'::jsonb where id = ${Number(target.id)}`, [], db.name);
    await adminQuery("alter table audit_event enable trigger audit_event_no_update", [], db.name);
    const report = await verifyAuditChain(db.em(), T);
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ id: target.id, reason: "hash" });
    expect(report.checked).toBe(5);

    // The command operators run says the same, and exits non-zero.
    const cli = await run("npx", ["tsx", "scripts/audit-verify.ts", "--tenant", T], { env: { ...process.env, DATABASE_URL: db.url } }).catch((e) => e);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`BROKEN at event #${target.id} (content changed)`);
  });
});
