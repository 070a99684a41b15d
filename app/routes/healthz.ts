import { json } from "@remix-run/node";
import { checkHealth } from "~/health.server";

/** The same check when the app runs without server.ts in front (server.ts answers /healthz itself). */
export async function loader() {
  const h = await checkHealth();
  return json(h.body, { status: h.status, headers: { "Cache-Control": "no-store" } });
}
