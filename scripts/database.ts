import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../schema/embedded-postgres";

/**
 * The database for the server and the command-line tools: DATABASE_URL when set; otherwise the
 * embedded PostgreSQL under .data/pg (started here, or reused when a running server already started it).
 */
export async function openDatabase(opts: { log?: (s: string) => void } = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = opts.log ?? (() => {});
  if (process.env.DATABASE_URL) {
    log("using DATABASE_URL");
    return { url: process.env.DATABASE_URL, stop: async () => {} };
  }
  const dataRoot = path.resolve(process.env.JEJAK_DATA_DIR ?? ".data");
  const portFile = path.join(dataRoot, "pg.port");
  if (existsSync(portFile)) {
    const url = `postgres://postgres:jejak-local@127.0.0.1:${readFileSync(portFile, "utf8").trim()}/jejak`;
    if (await reachable(url)) {
      log(`using the embedded PostgreSQL already running (${url.replace(/:[^:@/]+@/, ":***@")})`);
      return { url, stop: async () => {} };
    }
  }
  mkdirSync(dataRoot, { recursive: true });
  const port = Number(process.env.PG_PORT ?? 0) || undefined;
  log("starting the embedded PostgreSQL in .data/pg …");
  const db = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, "pg"), port, persistent: true });
  await db.createDatabase("jejak");
  writeFileSync(portFile, String(db.port));
  return {
    url: db.url("jejak"),
    stop: async () => {
      await db.stop();
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
