import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { downloadOcdsSchema, OcdsDownloadError } from "../../../exports/ocds/download";
import { DECLARED_EXTENSIONS, loadOcdsSchemas, OCDS_SCHEMA_FILES, type JsonObject } from "../../../exports/ocds/schema";
import { ocdsValidators } from "../../../exports/ocds/validate";
import { OCDS_DIR } from "./helpers";

/**
 * `schema:download` against a local server that serves ../shared/ocds in the URL layout of the real
 * sources: the standard's site (`/schema/1__1__5/<file>`, `/schema/1__1__5/codelists/<file>`) and
 * raw.githubusercontent.com (`/<owner>/<repo>/<ref>/<file>` for each declared extension).
 */
let server: Server;
let origin: string;
const requests: string[] = [];
const missing = new Set<string>();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ocds-download-"));
  server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(url);
    let file: string | null = null;
    const core = /^\/schema\/1__1__5\/((?:codelists\/)?[^/]+)$/.exec(url);
    if (core) file = path.join(OCDS_DIR, "1.1", core[1]);
    for (const e of DECLARED_EXTENSIONS) {
      const prefix = `/gh/${e.repository}/${e.ref}/`;
      if (url.startsWith(prefix)) file = path.join(OCDS_DIR, "extensions", e.name, url.slice(prefix.length));
    }
    if (!file || missing.has(url) || !existsSync(file) || file.includes("..")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const options = (dest: string) => ({ base: `${origin}/schema/1__1__5/`, extensionBase: `${origin}/gh/{repository}/{ref}/`, dest });

/** A release using the declared extensions: a budget breakdown with its source party, a process title. */
const extended: JsonObject = {
  ocid: "ocds-abcdef-1",
  id: "1",
  date: "2027-01-01T00:00:00Z",
  tag: ["planning"],
  initiationType: "tender",
  title: "Peningkatan Jalan Ngraho",
  parties: [{ id: "apbd", name: "APBD Kabupaten", roles: ["sourceParty"] }],
  planning: { budget: { budgetBreakdown: [{ id: "1", amount: { amount: 1000000, currency: "IDR" }, sourceParty: { id: "apbd", name: "APBD Kabupaten" } }] } },
};

/** The same without blocking this process: the child fetches from this process's server. */
function ocdsAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/ocds.ts", ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function ocds(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ocds.ts", ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run ocds -- schema:download", () => {
  it("fetches the schema, the release schema's codelists and the declared extensions in the layout schema.ts reads", async () => {
    const dest = path.join(dir, "cache");
    const r = await downloadOcdsSchema(options(dest));
    expect(r.dest).toBe(dest);
    for (const f of Object.values(OCDS_SCHEMA_FILES)) expect(readFileSync(path.join(dest, "1.1", f))).toEqual(readFileSync(path.join(OCDS_DIR, "1.1", f)));
    expect(readdirSync(path.join(dest, "1.1", "codelists")).sort()).toEqual(readdirSync(path.join(OCDS_DIR, "1.1", "codelists")).sort());
    for (const e of DECLARED_EXTENSIONS) {
      expect(readFileSync(path.join(dest, "extensions", e.name, "release-schema.json"))).toEqual(readFileSync(path.join(OCDS_DIR, "extensions", e.name, "release-schema.json")));
      const listed = (JSON.parse(readFileSync(path.join(OCDS_DIR, "extensions", e.name, "extension.json"), "utf8")) as { codelists?: string[] }).codelists ?? [];
      for (const c of listed) expect(readFileSync(path.join(dest, "extensions", e.name, "codelists", c))).toEqual(readFileSync(path.join(OCDS_DIR, "extensions", e.name, "codelists", c)));
    }
    expect(requests).toContain("/gh/open-contracting-extensions/ocds_budget_breakdown_extension/master/codelists/+partyRole.csv");
    expect(readdirSync(dir).filter((f) => f !== "cache")).toEqual([]); // no temporary folder left

    // The downloaded folder is a complete standard: the extended release validates with it, a broken one does not.
    const schemas = loadOcdsSchemas({ dir: dest });
    expect(schemas.codelists.get("partyRole.csv")?.codes.has("sourceParty")).toBe(true);
    const { release } = ocdsValidators(schemas);
    expect(release(extended)).toEqual([]);
    expect(release({ ...extended, date: 5 }).map((e) => e.path)).toEqual(["/date"]);
  });

  it("is what `validate` reads with OCDS_SCHEMA_DIR (child process)", () => {
    const dest = path.join(dir, "cache");
    const good = path.join(dir, "extended.json");
    writeFileSync(good, JSON.stringify(extended));
    const ok = ocds({ OCDS_SCHEMA_DIR: dest }, "validate", good);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/0 errors · 0 warnings · 0 notes/);
    expect(ok.code).toBe(0);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...extended, tag: "planning" }));
    expect(ocds({ OCDS_SCHEMA_DIR: dest }, "validate", bad).code).toBe(1);
    // An empty folder is refused, never a silent fallback to ../shared.
    const empty = mkdtempSync(path.join(dir, "empty-"));
    const none = ocds({ OCDS_SCHEMA_DIR: empty }, "validate", good);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/OCDS_SCHEMA_DIR points to a folder without them/);
    rmSync(empty, { recursive: true });
  }, 60_000);

  it("a 404 leaves the previous cache untouched and names the URL that failed", async () => {
    const dest = path.join(dir, "cache");
    writeFileSync(path.join(dest, "MARKER"), "the old cache");
    const source = readFileSync(path.join(dest, "SOURCE.json"), "utf8");
    const failing = "/gh/open-contracting-extensions/ocds_bid_extension/master/codelists/bidStatus.csv";
    missing.add(failing);
    try {
      const err = await downloadOcdsSchema(options(dest)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OcdsDownloadError);
      expect((err as Error).message).toBe(`${origin}${failing}: HTTP 404 Not Found`);
      expect(readFileSync(path.join(dest, "MARKER"), "utf8")).toBe("the old cache");
      expect(readFileSync(path.join(dest, "SOURCE.json"), "utf8")).toBe(source);
      expect(readdirSync(dir).filter((f) => f.startsWith("cache."))).toEqual([]);

      // The same from the command line: exit code 1, the URL on stderr, no stack trace.
      const out = await ocdsAsync("schema:download", "--base", `${origin}/schema/1__1__5/`, "--extension-base", `${origin}/gh/{repository}/{ref}/`, "--dest", dest);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`ocds: ${origin}${failing}: HTTP 404 Not Found`);
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(path.join(dest, "MARKER"), "utf8")).toBe("the old cache");
    } finally {
      missing.delete(failing);
    }
    // A base that does not answer at all: the URL is named too.
    const down = await downloadOcdsSchema({ ...options(dest), base: "http://127.0.0.1:9/schema/" }).catch((e: unknown) => e);
    expect((down as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:9\/schema\/release-schema\.json: could not be fetched/);
    expect(readFileSync(path.join(dest, "MARKER"), "utf8")).toBe("the old cache");

    // Once the server is whole again, the new download replaces the old cache (the marker goes).
    await downloadOcdsSchema(options(dest));
    expect(existsSync(path.join(dest, "MARKER"))).toBe(false);
  }, 60_000);
});
