import type { EntityManager } from "@mikro-orm/postgresql";
import { em } from "~/db.server";
import { serverClock } from "~/clock.server";
import { RED_FLAG_TITLES, redFlagCountsByYear, type Dashboard, type publicYears, type RedFlagCode } from "~/domain.server";
import { sharedAnswers } from "~/shared-answer.server";

/**
 * The dashboard's figures aggregate the whole year (every budget line, contract and complaint: some 180 ms of
 * database time at a large kabupaten's scale), the same for every visitor: prepared once per tenant and year
 * every DASHBOARD_SECONDS (default 30) and shared, the previous figures served while fresh ones are prepared.
 */
const maxAgeMs = () => Number(process.env.DASHBOARD_SECONDS ?? 30) * 1000;
export const dashboards = sharedAnswers<Dashboard>({ label: "/dasbor", maxAgeMs });
export const yearLists = sharedAnswers<Awaited<ReturnType<typeof publicYears>>>({ label: "/dasbor years", maxAgeMs });

/**
 * Red flags come from compiling every process's OCDS releases (exports/ocds/red-flags.ts), far too slow for
 * a page request at scale: they are computed in the background when the tenant's releases changed (the
 * last sequence number: releases are append-only), at most once every REFRESH_MS, a page of records at a
 * time so the server keeps answering meanwhile; the page shows the last result — "segera" until the first.
 */
const REFRESH_MS = 10 * 60_000;
interface FlagSnapshot {
  key: string;
  at: string;
  computed: number;
  byYear: Map<number, Map<RedFlagCode, number>>;
}
const flagCache = new Map<string, FlagSnapshot>();
const flagRuns = new Map<string, Promise<void>>();

async function computeFlags(db: EntityManager, tenant: string, key: string): Promise<void> {
  const byYear = await redFlagCountsByYear(db, tenant);
  flagCache.set(tenant, { key, at: serverClock.now().toISOString(), computed: Date.now(), byYear });
}

/** The year's red flag counts (null while the first computation runs), waiting at most `waitMs` for a fresh one. */
export async function redFlagCounts(db: EntityManager, tenant: string, year: number, waitMs: number) {
  // Ordered by the column (the primary key, read backwards), not by its text output: that sorted the whole table.
  const [last] = await db.execute<{ seq: string }[]>("select r.seq::text as seq from ocds_release r where r.tenant_code = ? order by r.seq desc limit 1", [tenant]);
  const key = last?.seq ?? "";
  let snap = flagCache.get(tenant);
  if (!snap || (snap.key !== key && Date.now() - snap.computed >= REFRESH_MS)) {
    let run = flagRuns.get(tenant);
    if (!run) {
      run = (async () => computeFlags(await em(), tenant, key))()
        .catch((e) => console.error("red flags for the dashboard:", e))
        .finally(() => flagRuns.delete(tenant));
      flagRuns.set(tenant, run);
    }
    await Promise.race([run, new Promise((r) => setTimeout(r, waitMs))]);
    snap = flagCache.get(tenant);
  }
  if (!snap) return null;
  const counts = snap.byYear.get(year) ?? new Map<RedFlagCode, number>();
  return {
    at: snap.at,
    rows: [...counts].map(([code, count]) => ({ code, title: RED_FLAG_TITLES[code] ?? code, count })).sort((a, b) => b.count - a.count || a.title.localeCompare(b.title)),
  };
}

