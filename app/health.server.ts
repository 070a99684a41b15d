import { getOrm } from "./db.server";

/**
 * For operators and load balancers (GET /healthz, served by server.ts ahead of Remix so that it stays
 * cheap): ok when the database answers within two seconds.
 */
export async function checkHealth(): Promise<{ status: 200 | 503; body: { status: string; database: string } }> {
  try {
    const orm = await getOrm();
    await Promise.race([
      orm.em.fork().execute("select 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
    ]);
    return { status: 200, body: { status: "ok", database: "ok" } };
  } catch {
    return { status: 503, body: { status: "error", database: "unavailable" } };
  }
}
