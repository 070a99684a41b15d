import type { EntityManager } from "@mikro-orm/postgresql";
import type { Clock } from "../kernel/clock";
import { escalateOverdue } from "./complaints";

/**
 * Escalation of overdue reports as scheduled work: every tenant in the database, once at boot and then at a
 * fixed interval in the server process (app/schedule.server.ts), or once from the command line for cron in
 * multi-process deployments (`npm run pengaduan:escalate`). escalateOverdue is idempotent for a day and
 * skips reports another process holds (for update skip locked), so overlapping processes do no harm; within
 * one process a run never overlaps the previous one.
 */

export interface TenantEscalation {
  tenant: string;
  escalated: number;
  /** The error's message when this tenant's run failed (the other tenants still run). */
  error?: string;
}

/** One pass over every tenant. A tenant's failure is logged and reported, never thrown. */
export async function escalateAllTenants(fork: () => EntityManager, clock: Clock, log: (s: string) => void = () => {}): Promise<TenantEscalation[]> {
  const tenants = await fork().execute<{ code: string }[]>("select code from tenant order by code");
  const out: TenantEscalation[] = [];
  for (const { code } of tenants) {
    try {
      const escalated = await escalateOverdue(fork(), clock, code);
      if (escalated) log(`pengaduan: ${escalated} overdue report(s) escalated for tenant ${code}`);
      out.push({ tenant: code, escalated });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      log(`pengaduan: escalation failed for tenant ${code}: ${error}`);
      out.push({ tenant: code, escalated: 0, error });
    }
  }
  return out;
}

export interface EscalationSchedule {
  /** Runs a pass now, or joins the pass already running (runs never overlap). */
  runOnce(): Promise<TenantEscalation[]>;
  /** A pass now, then one every interval. */
  start(): void;
  /** No more passes; waits for the running one to finish. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/**
 * A timer that runs escalateAllTenants every `intervalMs`. A tick that comes while a pass is still running
 * is skipped. Errors are logged, never thrown: a failing database does not bring the server down. The timer
 * does not keep the process alive.
 */
export function escalationSchedule(opts: { fork: () => EntityManager | Promise<EntityManager>; clock: Clock; intervalMs: number; log: (s: string) => void }): EscalationSchedule {
  let current: Promise<TenantEscalation[]> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopped = false;
  const runOnce = () => {
    if (current) return current;
    current = (async () => {
      const em = await opts.fork();
      return escalateAllTenants(() => em.fork(), opts.clock, opts.log);
    })()
      .catch((e) => {
        opts.log(`pengaduan: escalation pass failed: ${e instanceof Error ? e.message : String(e)}`);
        return [] as TenantEscalation[];
      })
      .finally(() => {
        current = null;
      });
    return current;
  };
  return {
    runOnce,
    start() {
      if (timer || stopped) return;
      void runOnce();
      timer = setInterval(() => {
        if (current) opts.log("pengaduan: escalation still running, this tick skipped");
        else void runOnce();
      }, opts.intervalMs);
      timer.unref?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await current;
    },
    get running() {
      return current !== null;
    },
  };
}
