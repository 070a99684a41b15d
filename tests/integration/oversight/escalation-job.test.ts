import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createOrm } from "../../../domain/persistence";
import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { Actor } from "../../../domain/identity/actor";
import { fixedClock, type Clock } from "../../../domain/kernel/clock";
import { submitComplaint } from "../../../domain/oversight/complaints";
import { escalateAllTenants, escalationSchedule } from "../../../domain/oversight/escalation-job";
import { sourceKey } from "../../../domain/oversight/rules";
import { syncNationalHolidays } from "../../../imports/oversight/holidays";

const db = useTestDatabase("full");

// Monday 1 February 2027, 10:00 WIB: a "ringan" report (2 working days) is due on Wednesday 3 February.
const filed = fixedClock("2027-02-01T03:00:00Z");
const thursday = fixedClock("2027-02-04T03:00:00Z");
const tuesdayAfter = fixedClock("2027-02-09T03:00:00Z");
let ip = 0;

async function aReport(clock: Clock) {
  return submitComplaint(db.em(), Actor.anonymous(T), clock, {
    targetKind: "point",
    lat: "-7.150000",
    lng: "111.880000",
    category: "ringan",
    text: "Jembatan kecil di ujung desa retak, kendaraan roda empat masih melintas setiap hari.",
    identity: "anonymous",
    sources: [sourceKey("ip", `10.8.0.${++ip}`)],
  });
}

async function state(id: string) {
  const [c] = await db.em().execute<{ escalation_level: number; version: number }[]>("select escalation_level, version from complaint where id = ?", [id]);
  const steps = await db.em().execute<{ action: string; actor_label: string; public_note: string }[]>(
    "select action, actor_label, public_note from complaint_event where complaint_id = ? and action = 'escalate' order by id",
    [id],
  );
  return { level: c.escalation_level, version: c.version, steps };
}

beforeAll(async () => {
  await syncNationalHolidays(db.em());
});

describe("scheduled escalation of overdue reports", () => {
  it("a pass over every tenant escalates an overdue report, once a day, as the system", async () => {
    const r = await aReport(filed);
    expect(r.slaDueOn).toBe("2027-02-03");
    const log: string[] = [];
    // Not yet overdue on its due day.
    expect(await escalateAllTenants(() => db.orm.em.fork(), fixedClock("2027-02-03T09:00:00Z"), (s) => log.push(s))).toContainEqual({ tenant: T, escalated: 0 });
    expect((await state(r.id)).level).toBe(0);

    const first = await escalateAllTenants(() => db.orm.em.fork(), thursday, (s) => log.push(s));
    expect(first).toContainEqual({ tenant: T, escalated: 1 });
    expect(await state(r.id)).toEqual({ level: 1, version: 1, steps: [{ action: "escalate", actor_label: "Sistem", public_note: "1" }] });
    expect(log.join("\n")).toContain(`1 overdue report(s) escalated for tenant ${T}`);

    // Idempotent within the day.
    expect(await escalateAllTenants(() => db.orm.em.fork(), thursday)).toContainEqual({ tenant: T, escalated: 0 });
    // Late by more than a further full SLA (2 working days after the 3rd: the 4th, 5th, 8th, 9th): level 2.
    expect(await escalateAllTenants(() => db.orm.em.fork(), tuesdayAfter)).toContainEqual({ tenant: T, escalated: 1 });
    expect((await state(r.id)).level).toBe(2);
    const [audit] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from audit_event where action = 'ComplaintEscalated' and entity_id = ?", [r.id]);
    expect(audit.n).toBe(2);
  });

  it("the timer runs a pass at start, never two at once, and stops cleanly", async () => {
    const r = await aReport(filed);
    const log: string[] = [];
    const schedule = escalationSchedule({ fork: () => db.orm.em.fork(), clock: thursday, intervalMs: 20, log: (s) => log.push(s) });
    // Two calls while a pass runs share it.
    const a = schedule.runOnce();
    const b = schedule.runOnce();
    expect(a).toBe(b);
    expect(schedule.running).toBe(true);
    expect(await a).toContainEqual({ tenant: T, escalated: 1 });
    expect(schedule.running).toBe(false);
    expect((await state(r.id)).level).toBe(1);

    const later = await aReport(filed);
    schedule.start();
    await expect.poll(async () => (await state(later.id)).level, { timeout: 10_000 }).toBe(1);
    await new Promise((done) => setTimeout(done, 100));
    await schedule.stop();
    expect(schedule.running).toBe(false);
    // Ticks after the first pass found nothing more to do on the same day.
    expect((await state(later.id)).steps).toHaveLength(1);
  });

  it("runs once from the command line (npm run pengaduan:escalate), for cron", async () => {
    // Filed on Thursday 1 October 2026: long overdue by the system clock the command runs on.
    const r = await aReport(fixedClock("2026-10-01T03:00:00Z"));
    const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/pengaduan-escalate.ts"], { env: { ...process.env, DATABASE_URL: db.url } });
    expect(stdout).toContain(`${T}: `);
    expect(stdout).not.toContain("FAILED");
    expect((await state(r.id)).level).toBe(2);
  });

  it("logs a failing database instead of throwing, and carries on at the next tick", async () => {
    // A database nobody listens for (port 9, discard): every query fails to connect.
    const broken = await createOrm("postgres://postgres:none@127.0.0.1:9/jejak", { pool: { min: 0, max: 1 } });
    const log: string[] = [];
    const schedule = escalationSchedule({ fork: () => broken.em.fork(), clock: thursday, intervalMs: 20, log: (s) => log.push(s) });
    expect(await schedule.runOnce()).toEqual([]);
    expect(log.join("\n")).toMatch(/escalation pass failed/);
    schedule.start();
    await expect.poll(() => log.filter((l) => /failed/.test(l)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    await schedule.stop();
    await broken.close(true);
  });
});
