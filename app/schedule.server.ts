import { getOrm } from "./db.server";
import { serverClock } from "./clock.server";
import { escalationSchedule, type EscalationSchedule } from "../domain/oversight/escalation-job";

/**
 * Background work of the server process, started by server.ts once it listens: the escalation of overdue
 * citizen reports for every tenant, at boot and every ESCALATION_MINUTES (default 15; 0 turns it off, as
 * the browser tests do, and as deployments do that run `npm run pengaduan:escalate` from cron instead).
 */
export function escalationMinutes(raw = process.env.ESCALATION_MINUTES): number {
  const s = (raw ?? "").trim();
  if (s === "") return 15;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) throw new Error(`ESCALATION_MINUTES must be a number of minutes ≥ 0, got "${raw}"`);
  return n;
}

let escalation: EscalationSchedule | null = null;

export function startSchedules(opts: { log: (s: string) => void }): { escalationMinutes: number } {
  const minutes = escalationMinutes();
  if (minutes > 0 && !escalation) {
    escalation = escalationSchedule({
      fork: async () => (await getOrm()).em.fork(),
      clock: serverClock,
      intervalMs: minutes * 60_000,
      log: opts.log,
    });
    escalation.start();
  }
  return { escalationMinutes: minutes };
}

/** Stops the timers and waits for a running pass, before the ORM is closed. */
export async function stopSchedules(): Promise<void> {
  await escalation?.stop();
  escalation = null;
}
