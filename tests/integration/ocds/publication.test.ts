import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, Browser, body, call } from "../../support/http";
import { DEMO_PASSWORD } from "../../../imports/demo/bojonegoro";
import { DECLARED_EXTENSIONS, extensionUrl } from "../../../exports/ocds/schema";
import { DEFAULT_OCDS_LICENSE, ocdsConfig } from "../../../exports/ocds/publish";
import type { QualityReport } from "../../../exports/ocds/quality";
import type { JsonObject } from "../../../exports/ocds/schema";
import { action as loginAction } from "../../../app/routes/login";
import OcdsPolicy, { loader as policyLoader } from "../../../app/routes/ocds._index";
import OcdsQuality, { loader as qualityLoader } from "../../../app/routes/admin.ocds";
import PackagePage, { loader as packageLoader } from "../../../app/routes/pengadaan.$id";
import { loader as openApiLoader } from "../../../app/routes/api.ocds.openapi[.json]";
import { loader as recordLoader } from "../../../app/routes/api.ocds.records.$ocid";

/**
 * The publication side of the open contracting data (issue #8, capabilities 3, 5 and 7) on the whole demo
 * with its releases: the /ocds publication policy, the public package page's link to its record, the
 * admins' quality report, and the OpenAPI description. Pages are rendered from their loaders' data (the
 * Remix hooks give the component what the loader returned, in Bahasa Indonesia).
 */
const rendered: { data: unknown } = { data: null };
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof import("@remix-run/react")>()),
  useLoaderData: () => rendered.data,
  useRouteLoaderData: () => undefined,
  useMatches: () => [],
  Link: ({ to, children, ...rest }: { to: string; children?: ReactNode }) => createElement("a", { href: to, ...rest }, children),
}));

async function render(component: ComponentType, res: Response): Promise<string> {
  rendered.data = await body(res);
  return renderToStaticMarkup(createElement(component));
}

const db = useTestDatabase("full");

async function signedIn(username: string) {
  const b = new Browser();
  b.take(await call(loginAction, b.post("/login", { username, password: DEMO_PASSWORD })));
  expect(b.cookies.has("jejak_session")).toBe(true);
  return b;
}

let packageId = "";
beforeAll(async () => {
  const [row] = await db
    .em()
    .execute<{ id: string }[]>("select p.id from proc_package p join contract c on c.package_id = p.id where p.tenant_code = ? and p.announced_at is not null order by p.name limit 1", [db.tenant]);
  packageId = row.id;
});

describe("/ocds, the publication policy", () => {
  it("is public and shareable, and states the licence, the ocid prefix, the extensions, the API and the bulk files", async () => {
    const res = await call(policyLoader, new Request(`${BASE}/ocds`));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toMatch(/^public/);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const html = await render(OcdsPolicy, res);
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
    const [{ year }] = await db.em().execute<{ year: number }[]>("select max(fiscal_year) as year from proc_package where announced_at is not null");
    for (const file of [`${year}.jsonl.gz`, `${year}-releases.json.gz`, `${year}.xlsx`, `${year}-main.csv`, `${year}-contracts.csv`]) expect(html).toContain(`href="/ocds/bulk/${file}"`);
    expect(html).toMatch(/Data pribadi tidak pernah diterbitkan/);
    expect(html).toMatch(/\d+ rilis untuk \d+ proses pengadaan/);
  });

  it("gives the contact address when one is configured", async () => {
    process.env.OCDS_CONTACT_EMAIL = "data@bojonegorokab.example";
    try {
      const html = await render(OcdsPolicy, await call(policyLoader, new Request(`${BASE}/ocds`)));
      expect(html).toContain('href="mailto:data@bojonegorokab.example"');
    } finally {
      delete process.env.OCDS_CONTACT_EMAIL;
    }
  });
});

describe("a public procurement page and its record", () => {
  it("links its record's JSON, which answers with the same process", async () => {
    const res = await call(packageLoader, new Request(`${BASE}/pengadaan/${packageId}`), { id: packageId });
    expect(res.status).toBe(200);
    const data = await body<{ ocid: string; p: { name: string } }>(res);
    expect(data.ocid).toBe(`${ocdsConfig().prefix}-${db.tenant}-${packageId}`);
    const html = await render(PackagePage, res);
    const href = `/api/ocds/records/${encodeURIComponent(data.ocid)}`;
    expect(html).toContain(`href="${href}"`);
    expect(html).toContain("Data terbuka (OCDS)");

    const rec = await call(recordLoader, new Request(`${BASE}${href}`), { ocid: data.ocid });
    expect(rec.status).toBe(200);
    const pkg = await body<{ publicationPolicy: string; records: { ocid: string; compiledRelease: JsonObject }[] }>(rec);
    expect(pkg.publicationPolicy).toBe(`${BASE}/ocds`);
    expect(pkg.records[0].ocid).toBe(data.ocid);
    expect((pkg.records[0].compiledRelease.tender as JsonObject).title ?? (pkg.records[0].compiledRelease as { title?: string }).title).toBeTruthy();
  });
});

describe("/admin/ocds, the quality report", () => {
  it("is refused to a contractor", async () => {
    const b = await signedIn("penyedia");
    const res = await call(qualityLoader, b.get("/admin/ocds"));
    expect(res.status).toBe(403);
  });

  it("is clean on the demo for an admin: no errors, no warnings, the demo prefix only as an expected note", async () => {
    const b = await signedIn("admin");
    const res = await call(qualityLoader, b.get("/admin/ocds"));
    expect(res.status).toBe(200);
    const { report, verdict } = await body<{ report: QualityReport; verdict: string }>(res);
    const serious = report.findings.filter((f) => f.severity !== "note");
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(0);
    expect(verdict).toBe("clean");
    const [{ releases, ocids }] = await db.em().execute<{ releases: number; ocids: number }[]>("select count(*)::int as releases, count(distinct ocid)::int as ocids from ocds_release where tenant_code = ?", [db.tenant]);
    expect(report.releases).toBe(releases);
    expect(report.ocids).toBe(ocids);
    expect(releases).toBeGreaterThan(10);
    expect(report.findings.filter((f) => f.check === "unregisteredPrefix").map((f) => f.severity)).toEqual(["note"]);
    const html = await render(OcdsQuality, res);
    expect(html).toContain('data-verdict="clean"');
    expect(html).toContain("Bersih");
  });

  it("is open to an auditor", async () => {
    const b = await signedIn("auditor");
    expect((await call(qualityLoader, b.get("/admin/ocds"))).status).toBe(200);
  });
});

describe("/api/ocds/openapi.json", () => {
  it("is an OpenAPI 3.0 description of the four endpoints and their parameters", async () => {
    const res = await call(openApiLoader, new Request(`${BASE}/api/ocds/openapi.json`));
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const doc = JSON.parse(await res.text()) as { openapi: string; paths: Record<string, { get: { parameters: { $ref?: string; name?: string }[] } }>; components: { parameters: Record<string, { name: string }> } };
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
