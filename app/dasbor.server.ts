import type { Dashboard, publicYears } from "~/domain.server";
import { sharedAnswers } from "~/shared-answer.server";

/**
 * The dashboard's figures aggregate the whole year (every budget line, contract and complaint: some 180 ms of
 * database time at a large kabupaten's scale), the same for every visitor: prepared once per tenant and year
 * every DASHBOARD_SECONDS (default 30) and shared, the previous figures served while fresh ones are prepared.
 */
const maxAgeMs = () => Number(process.env.DASHBOARD_SECONDS ?? 30) * 1000;
export const dashboards = sharedAnswers<Dashboard>({ label: "/dasbor", maxAgeMs });
export const yearLists = sharedAnswers<Awaited<ReturnType<typeof publicYears>>>({ label: "/dasbor years", maxAgeMs });
