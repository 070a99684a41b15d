import { config } from "./config.server";
import { em } from "./db.server";
import { tenantName } from "../domain/tenancy/queries";

/** The tenant's name changes rarely: cached for a minute per process. */
let cached: { at: number; value: { code: string; name: string } } | null = null;

export async function tenantInfo(): Promise<{ code: string; name: string }> {
  const now = Date.now();
  if (cached && now - cached.at < 60_000) return cached.value;
  const code = config().tenant;
  const name = (await tenantName(await em(), code)) ?? code;
  cached = { at: now, value: { code, name } };
  return cached.value;
}
