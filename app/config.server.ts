import { randomBytes } from "node:crypto";

/** Configuration read once from the environment; documented in the README. */
function readConfig() {
  const tenant = (process.env.TENANT ?? "35.22").trim();
  if (!/^\d{2}(\.\d{2})?$/.test(tenant)) throw new Error(`TENANT must be a provinsi or kabupaten/kota code, got "${tenant}"`);
  return {
    tenant,
    /** Secret for CSRF tokens; when unset, a random one per server start (server.ts shares it with its workers; forms then expire on restart). */
    secret: process.env.SESSION_SECRET || randomBytes(32).toString("hex"),
    /** "auto" (Secure on https requests), "1" always, "0" never. */
    cookieSecure: (process.env.COOKIE_SECURE ?? "auto") as "auto" | "1" | "0",
    sessionIdleHours: Number(process.env.SESSION_IDLE_HOURS ?? 8),
    sessionMaxHours: Number(process.env.SESSION_MAX_HOURS ?? 24),
    /** Map tiles (OpenStreetMap by default) and where maps open; pages work without the tiles. */
    map: {
      tileUrl: process.env.MAP_TILE_URL ?? "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      attribution: process.env.MAP_ATTRIBUTION ?? "© OpenStreetMap contributors",
      center: (process.env.MAP_CENTER ?? "-7.2500,111.8800").split(",").map(Number) as [number, number],
      zoom: Number(process.env.MAP_ZOOM ?? 11),
    },
  };
}

type Config = ReturnType<typeof readConfig>;
const g = globalThis as unknown as { __jejakConfig?: Config };
export function config(): Config {
  return (g.__jejakConfig ??= readConfig());
}
