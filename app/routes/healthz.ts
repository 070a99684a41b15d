import { json } from "@remix-run/node";
import { getOrm } from "~/db.server";

/** For operators and load balancers: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  try {
    const orm = await getOrm();
    await Promise.race([
      orm.em.fork().execute("select 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
    ]);
    return json({ status: "ok", database: "ok" }, { headers });
  } catch {
    return json({ status: "error", database: "unavailable" }, { status: 503, headers });
  }
}
