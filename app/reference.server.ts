import { config } from "./config.server";
import { em } from "./db.server";
import { childRegions, listOpds } from "./domain.server";

/**
 * Reference lists that public pages show on every request and that change rarely (regions only on a
 * re-import, OPDs when the admin edits them): kept per process for a minute.
 */
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

function remember<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load().catch((e) => {
    cache.delete(key);
    throw e;
  });
  cache.set(key, { at: Date.now(), value });
  return value;
}

export const regionChildren = (code: string) => remember(`regions:${code}`, async () => childRegions(await em(), code));
export const tenantOpds = () => remember(`opds:${config().tenant}`, async () => listOpds(await em()));
