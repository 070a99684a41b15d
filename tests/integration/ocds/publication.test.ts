import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../support/server";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { DECLARED_EXTENSIONS, extensionUrl } from "../../../exports/ocds/schema";
import { DEFAULT_OCDS_LICENSE, mappingOptions, ocdsConfig, publicUrlWarning } from "../../../exports/ocds/publish";
import type { QualityReport } from "../../../exports/ocds/quality";
import type { JsonObject } from "../../../exports/ocds/schema";

/**
 * The publication side of the open contracting data (issue #8, capabilities 3, 5 and 7), through real HTTP
 * against the built server (`npm run build` first) on a copy of the whole demo with its releases: the
 * /ocds publication policy, the public package page and its record (which links back to the page), the
 * admins' quality report (signed in with a real POST to /login), and the OpenAPI description.
 */
const CONTACT = "data@bojonegorokab.example";
let server: RunningServer;
let db: pg.Client;

beforeAll(async () => {
  server = await startServer({ env: { OCDS_CONTACT_EMAIL: CONTACT } });
  db = new pg.Client({ connectionString: server.dbUrl });
  await db.connect();
}, 180_000);
afterAll(async () => {
  await db?.end();
  await server?.stop();
}, 60_000);

const url = (path: string) => `${server.baseUrl}${path}`;
const query = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];

/** A browser without scripts: a cookie jar, and forms posted with the CSRF field the page carries. */
class Client {
  cookies = new Map<string, string>();
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url(path), { redirect: "manual", ...init, headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "), ...init.headers } });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const [k, v] = pair.split("=");
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(k.trim());
      else this.cookies.set(k.trim(), v);
    }
    return res;
  }
  async login(username: string, password = DEMO_PASSWORD): Promise<Response> {
    const form = await (await this.fetch("/login")).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
    expect(csrf, "the login form carries a CSRF field").toBeTruthy();
    const res = await this.fetch("/login", {
      method: "POST",
      body: new URLSearchParams({ username, password, _csrf: csrf! }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status, `login as ${username}`).toBe(302);
    expect(this.cookies.has("jejak_session")).toBe(true);
    return res;
  }
}

/** A route's loader data as Remix serves it to its own client (`?_data=`). */
async function loaderData<T>(c: Client, path: string, route: string): Promise<{ status: number; data: T }> {
  const res = await c.fetch(`${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route)}`);
  return { status: res.status, data: (res.status === 200 ? await res.json() : null) as T };
}

describe("/ocds, the publication policy", () => {
  it("is public and shareable, and states the licence, the ocid prefix, the extensions, the API, the bulk files and the contact", async () => {
    const res = await fetch(url("/ocds"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toMatch(/^public/);
    expect(res.headers.getSetCookie().filter((c) => !c.startsWith("jejak_csrf="))).toEqual([]);
    const html = await res.text();
    expect(html).toContain(`href="${DEFAULT_OCDS_LICENSE}"`);
    expect(html).toContain("CC BY 4.0");
    const { prefix } = ocdsConfig();
    expect(html).toContain(`<code>${prefix}</code>`);
    expect(html).toMatch(/prefiks demo yang sengaja tidak terdaftar/);
    for (const e of DECLARED_EXTENSIONS) {
      expect(html).toContain(`href="${extensionUrl(e)}"`);
      expect(html).toContain(`href="https://github.com/${e.repository}"`);
    }
    expect(html).toContain('href="/api/ocds/extension/extension.json"');
    expect(html).toContain('id="extension"');
    for (const path of ["/api/ocds/releases", "/api/ocds/records", "/api/ocds/openapi.json", "/ocds/bulk/full.jsonl.gz"]) expect(html).toContain(`href="${path}"`);
    const [{ year }] = await query<{ year: number }>("select max(fiscal_year) as year from proc_package where announced_at is not null");
    for (const file of [`${year}.jsonl.gz`, `${year}-releases.json.gz`, `${year}.xlsx`, `${year}-main.csv`, `${year}-contracts.csv`]) expect(html).toContain(`href="/ocds/bulk/${file}"`);
    expect(html).toMatch(/Data pribadi tidak pernah diterbitkan/);
    expect(html).toMatch(/\d+ rilis untuk \d+ proses pengadaan/);
    expect(html).toContain(`href="mailto:${CONTACT}"`);
  });
});

describe("a public procurement page and its record", () => {
  it("links its record's JSON, which answers with the same process and links back to the page", async () => {
    const [{ id }] = await query<{ id: string }>(
      "select p.id from proc_package p join contract c on c.package_id = p.id where p.announced_at is not null order by p.name limit 1",
    );
    const anonymous = new Client();
    const page = await anonymous.fetch(`/pengadaan/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const { data } = await loaderData<{ ocid: string }>(anonymous, `/pengadaan/${id}`, "routes/pengadaan.$id");
    const [{ tenant }] = await query<{ tenant: string }>("select tenant_code as tenant from proc_package where id = $1", [id]);
    expect(data.ocid).toBe(`${ocdsConfig().prefix}-${tenant}-${id}`);
    const href = `/api/ocds/records/${encodeURIComponent(data.ocid)}`;
    expect(html).toContain(`href="${href}"`);
    expect(html).toContain("Data terbuka (OCDS)");

    const rec = await fetch(url(href));
    expect(rec.status).toBe(200);
    const pkg = (await rec.json()) as { publicationPolicy: string; records: { ocid: string; compiledRelease: JsonObject }[] };
    expect(pkg.publicationPolicy).toBe(`${server.baseUrl}/ocds`);
    expect(pkg.records[0].ocid).toBe(data.ocid);
    const compiled = pkg.records[0].compiledRelease as { title: string; planning: { documents: JsonObject[] } };
    expect(html).toContain(compiled.title);
    // The record links back to the page. The demo's releases were published outside production without
    // PUBLIC_URL, so the link's address is http://localhost:<PORT or 3000> (exports/ocds/publish.ts).
    const back = compiled.planning.documents.find((d) => d.id === "halaman-publik")!;
    expect(back).toMatchObject({ documentType: "plannedProcurementNotice", language: "id", format: "text/html" });
    expect(new URL(back.url as string).pathname).toBe(`/pengadaan/${id}`);
  });

  it("shows the package's red flags with their explanation and data: the road tender's disqualified lowest bid", async () => {
    const rows = await query<{ id: string; name: string }>("select id, name from proc_package where announced_at is not null and name in ('Rekonstruksi Jalan Ruas Dander–Ngunut (900 m)', 'Pembangunan Saluran Drainase Jl. Untung Suropati (tahap I)')");
    const road = rows.find((r) => r.name.startsWith("Rekonstruksi"))!;
    const drainage = rows.find((r) => r.name.startsWith("Pembangunan"))!;
    const flagged = await (await fetch(url(`/pengadaan/${road.id}`))).text();
    expect(flagged).toContain("Tanda bahaya");
    expect(flagged).toContain('data-flag="lowest-bid-disqualified"');
    expect(flagged).toMatch(/Penawaran terendah, Rp[\d.]+,\d\d dari CV Sinar Dander, digugurkan/);
    expect(flagged).toContain("bids.details[1].status");
    const clean = await (await fetch(url(`/pengadaan/${drainage.id}`))).text();
    expect(clean).toContain("Tidak ada tanda bahaya pada data paket ini.");
    expect(clean).not.toContain("data-flag=");
  });
});

describe("/admin/ocds, the quality report", () => {
  it("is refused to a contractor", async () => {
    const c = new Client();
    await c.login("penyedia");
    expect((await c.fetch("/admin/ocds")).status).toBe(403);
  });

  it("sends an anonymous visitor to the login page", async () => {
    const res = await new Client().fetch("/admin/ocds");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
  });

  it("is clean on the demo for an admin: no errors, no warnings, the demo prefix only as an expected note", async () => {
    const c = new Client();
    await c.login("admin");
    const page = await c.fetch("/admin/ocds");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-verdict="clean"');
    expect(html).toContain("Bersih");

    const { status, data } = await loaderData<{ report: QualityReport; verdict: string }>(c, "/admin/ocds", "routes/admin.ocds");
    expect(status).toBe(200);
    const { report, verdict } = data;
    const serious = report.findings.filter((f) => f.severity !== "note");
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(0);
    expect(verdict).toBe("clean");
    const [{ releases, ocids }] = await query<{ releases: number; ocids: number }>("select count(*)::int as releases, count(distinct ocid)::int as ocids from ocds_release");
    expect(report.releases).toBe(releases);
    expect(report.ocids).toBe(ocids);
    expect(releases).toBeGreaterThan(10);
    expect(report.findings.filter((f) => f.check === "unregisteredPrefix").map((f) => f.severity)).toEqual(["note"]);
  });

  it("is open to an auditor", async () => {
    const c = new Client();
    await c.login("auditor");
    expect((await c.fetch("/admin/ocds")).status).toBe(200);
  });
});

describe("the address of the public pages releases link to", () => {
  it("is PUBLIC_URL; outside production without it the demo's localhost; in production without it none, with a boot warning", () => {
    const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;
    const link = (e: Record<string, string>) => mappingOptions(ocdsConfig(env(e))).publicUrl;
    expect(link({ PUBLIC_URL: "https://jejak.bojonegorokab.example/", NODE_ENV: "production" })).toBe("https://jejak.bojonegorokab.example");
    expect(link({})).toBe("http://localhost:3000");
    expect(link({ PORT: "8080", NODE_ENV: "development" })).toBe("http://localhost:8080");
    expect(link({ NODE_ENV: "production", JEJAK_NON_PRODUCTION: "1" })).toBe("http://localhost:3000");
    expect(link({ NODE_ENV: "production" })).toBeNull();
    expect(publicUrlWarning(env({ NODE_ENV: "production" }))).toMatch(/PUBLIC_URL is not set/);
    expect(publicUrlWarning(env({ NODE_ENV: "production", PUBLIC_URL: "https://jejak.bojonegorokab.example" }))).toBeNull();
    expect(publicUrlWarning(env({}))).toBeNull();
    // Package metadata keep falling back to the request's origin: only PUBLIC_URL overrides it.
    expect(ocdsConfig(env({})).publicUrl).toBeNull();
  });
});

describe("/api/ocds/releases over HTTP (the server hands it to its loader directly)", () => {
  it("pages with CORS, validators, 304, HEAD, gzip and JSON errors, as the route answers them", async () => {
    const res = await fetch(url("/api/ocds/releases?limit=2"), { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const etag = res.headers.get("etag")!;
    const page = (await res.json()) as { releases: { ocid: string }[]; links?: { next: string } };
    expect(page.releases).toHaveLength(2);
    const next = new URL(page.links!.next);
    const second = (await (await fetch(url(next.pathname + next.search))).json()) as { releases: { id: string }[] };
    expect(second.releases.length).toBeGreaterThan(0);
    expect((await fetch(url("/api/ocds/releases?limit=2"), { headers: { "If-None-Match": etag } })).status).toBe(304);
    const head = await fetch(url("/api/ocds/releases?limit=2"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");
    const bad = await fetch(url("/api/ocds/releases?limit=0"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("bad_request");
    // Conditional requests reach the routes through the microcache too (it serves none of them).
    const records = await fetch(url("/api/ocds/records?limit=2"));
    expect((await fetch(url("/api/ocds/records?limit=2"), { headers: { "If-None-Match": records.headers.get("etag")! } })).status).toBe(304);
    // A CORS preflight is answered with the CORS headers.
    const preflight = await fetch(url("/api/ocds/releases"), { method: "OPTIONS", headers: { origin: "https://data.example", "access-control-request-method": "GET" } });
    expect(preflight.ok).toBe(true);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
  });
});

describe("/api/ocds/openapi.json", () => {
  it("is an OpenAPI 3.0 description of the four endpoints and their parameters", async () => {
    const res = await fetch(url("/api/ocds/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const doc = (await res.json()) as { openapi: string; paths: Record<string, { get: { parameters: { $ref?: string; name?: string }[] } }>; components: { parameters: Record<string, { name: string }> } };
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/ocds/records", "/api/ocds/records/{ocid}", "/api/ocds/releases", "/api/ocds/releases/{ocid}/{id}"]);
    const names = (path: string) => doc.paths[path].get.parameters.map((p) => p.name ?? doc.components.parameters[p.$ref!.split("/").pop()!].name).sort();
    expect(names("/api/ocds/releases")).toEqual(["cursor", "limit", "ocid", "since", "until"]);
    expect(names("/api/ocds/records")).toEqual(["cursor", "limit", "since", "until"]);
    expect(names("/api/ocds/releases/{ocid}/{id}")).toEqual(["id", "ocid"]);
    expect(names("/api/ocds/records/{ocid}")).toEqual(["ocid"]);
  });
});

describe("the coherence checks", () => {
  it("find dates out of order, negative amounts, contracts without their award or above it, and overpayments", async () => {
    const { checkCoherence } = await import("../../../exports/ocds/coherence");
    const idr = (amount: number) => ({ amount, currency: "IDR" });
    const releases: JsonObject[] = [
      { ocid: "ocds-x", id: "r1", tender: { tenderPeriod: { startDate: "2027-01-10T10:00:00Z", endDate: "2027-01-05T10:00:00Z" }, value: idr(-5) } },
      { ocid: "ocds-x", id: "r2", awards: [{ id: "a1", status: "active", date: "2027-01-04T00:00:00+07:00", value: idr(100) }] },
      {
        ocid: "ocds-x",
        id: "r3",
        contracts: [
          { id: "c1", awardID: "a1", dateSigned: "2027-01-02T00:00:00+07:00", value: idr(150), implementation: { transactions: [{ id: "t1", value: idr(100) }, { id: "t2", value: idr(60) }] } },
          { id: "c2", awardID: "nope", value: idr(1) },
        ],
      },
    ];
    const compiled: JsonObject = { ocid: "ocds-x", id: "compiled", ...releases[0], awards: releases[1].awards!, contracts: releases[2].contracts! };
    const found: { check: string; path: string; example: string }[] = [];
    checkCoherence(compiled, releases, (check, path, _message, example) => found.push({ check, path, example }));
    const by = (check: string) => found.filter((f) => f.check === check);
    expect(by("dateOrder").map((f) => f.path).sort()).toEqual(["awards.date", "contracts.dateSigned", "tender.tenderPeriod"]);
    expect(by("dateOrder").find((f) => f.path === "contracts.dateSigned")!.example).toBe("ocds-x r3: /contracts/0/dateSigned");
    expect(by("negativeAmount").map((f) => f.example)).toEqual(["ocds-x r1: /tender/value/amount"]);
    expect(by("awardContract").map((f) => f.example)).toEqual(["ocds-x r3: /contracts/1/awardID"]);
    expect(by("contractValue").map((f) => f.path)).toEqual(["contracts.value"]);
    expect(by("paymentValue").map((f) => f.path)).toEqual(["contracts.implementation.transactions"]);
  });

  it("takes a calendar day as the whole day: an award and its contract signed the same day are in order", async () => {
    const { checkCoherence } = await import("../../../exports/ocds/coherence");
    const compiled: JsonObject = {
      ocid: "ocds-x",
      tender: { tenderPeriod: { startDate: "2027-01-01T01:00:00Z", endDate: "2027-01-05T03:00:00Z" } },
      awards: [{ id: "a1", status: "active", date: "2027-01-05T00:00:00+07:00" }],
      contracts: [{ id: "c1", awardID: "a1", dateSigned: "2027-01-05T00:00:00+07:00", period: { startDate: "2027-01-06T00:00:00+07:00", endDate: "2027-01-06T23:59:59+07:00" } }],
    };
    const found: string[] = [];
    checkCoherence(compiled, [compiled], (check) => found.push(check));
    expect(found).toEqual([]);
  });
});
