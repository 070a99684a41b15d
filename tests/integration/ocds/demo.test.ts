import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, body, call } from "../../support/http";
import { T } from "../../support/musrenbang";
import { registerProcurementPublisher } from "../../../domain/procurement/events";
import { seedDemo } from "../../../imports/demo/seed";
// This file's composition root: procurement events are published as OCDS releases.
import { ocdsPublisher } from "../../../exports/ocds/publish";
import { qualityReport } from "../../../exports/ocds/quality";
import { storedQualityReport } from "../../../exports/ocds/coherence";
import { readOcdsText } from "../../../exports/ocds/read";
import { validateRelease } from "../../../exports/ocds/validate";
import type { JsonObject } from "../../../exports/ocds/schema";
import { loader as releasesLoader } from "../../../app/routes/api.ocds.releases";
import { loader as recordLoader } from "../../../app/routes/api.ocds.records.$ocid";

/**
 * The demo as `npm start` serves it: the "adopted" template plus the demo's e-Procurement stage (the
 * stage the "full" template adds), played here through the use cases with the OCDS publisher registered,
 * so that every one of its procurement events is published.
 */
const db = useTestDatabase("adopted");
beforeAll(async () => {
  registerProcurementPublisher(ocdsPublisher);
  await seedDemo(db.em(), { allowed: true, upTo: "procurement" });
});

describe("the demo's open contracting data", () => {
  it("publishes one valid release per procurement event", async () => {
    const [{ events, releases, packages }] = await db
      .em()
      .execute<{ events: number; releases: number; packages: number }[]>(
        "select (select count(*) from procurement_event)::int as events, (select count(*) from ocds_release)::int as releases, (select count(*) from proc_package where announced_at is not null)::int as packages",
      );
    expect(events).toBeGreaterThan(10);
    expect(releases).toBe(events);
    const [{ unpublished }] = await db
      .em()
      .execute<{ unpublished: number }[]>("select count(*)::int as unpublished from procurement_event e where not exists (select 1 from ocds_release r where r.event_id = e.id)");
    expect(unpublished).toBe(0);
    const rows = await db.em().execute<{ data: JsonObject }[]>("select data from ocds_release order by seq");
    for (const r of rows) expect(validateRelease(r.data), String(r.data.id)).toEqual([]);
    const [{ ocids }] = await db.em().execute<{ ocids: number }[]>("select count(distinct ocid)::int as ocids from ocds_release");
    expect(ocids).toBe(packages);
  });

  it("passes the quality report through the API: no errors, no empty or unknown or deprecated fields, no missing ids", async () => {
    const releases: JsonObject[] = [];
    let next: string | null = `${BASE}/api/ocds/releases?limit=7`;
    let text = "";
    while (next) {
      const res = await call(releasesLoader, new Request(next));
      text = await res.clone().text();
      const p: { releases: JsonObject[]; links?: { next: string } } = await body(res);
      releases.push(...p.releases);
      next = p.links?.next ?? null;
    }
    const { links: _links, ...head } = JSON.parse(text) as JsonObject;
    const pkg = { ...head, releases };
    const report = qualityReport(readOcdsText(JSON.stringify(pkg), "api"), { expectedPrefix: "ocds-jejakdemo-" });
    const serious = report.findings.filter((f) => f.severity !== "note" && f.check !== "ocidPrefix");
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
    expect(report.errors).toBe(0);
    // The demo prefix is deliberately not a registrable one: the report says so, and nothing else.
    expect(report.findings.filter((f) => f.severity === "warning").map((f) => f.check)).toEqual(["ocidPrefix"]);

    // Every record compiles to a valid compiled release.
    for (const ocid of new Set(releases.map((r) => String(r.ocid)))) {
      const rec = await body<{ records: { compiledRelease: JsonObject }[] }>(await call(recordLoader, new Request(`${BASE}/api/ocds/records/${ocid}`), { ocid }));
      expect(validateRelease(rec.records[0].compiledRelease), ocid).toEqual([]);
    }
  });

  it("reads every process once in the stored quality report, whatever the page size and however the process numbers sort as text", async () => {
    // Numbers whose text order differs from their order (7, 14, 21, …: "14" sorts before "7").
    // (ocds_process is append-only: its trigger is set aside for this rewrite of the test's own copy.)
    await db.em().execute("set session_replication_role = replica; update ocds_process set seq = seq * 7 + 1000000; update ocds_process set seq = seq - 1000000; set session_replication_role = origin");
    expect((await db.em().execute<{ s: string }[]>("select string_agg(seq::text, ',' order by seq) as s from ocds_process"))[0].s).toMatch(/^7,14,/);
    const whole = await storedQualityReport(db.em(), T, { pageSize: 500 });
    expect(whole.ocids).toBeGreaterThan(2);
    for (const pageSize of [1, 2, 3]) {
      const paged = await storedQualityReport(db.em(), T, { pageSize });
      expect({ releases: paged.releases, ocids: paged.ocids, errors: paged.errors, warnings: paged.warnings }, `pages of ${pageSize}`).toEqual({
        releases: whole.releases,
        ocids: whole.ocids,
        errors: whole.errors,
        warnings: whole.warnings,
      });
    }
  });

  it("traces the road contract back to the Musrenbang proposals behind it", async () => {
    const [road] = await db.em().execute<{ id: string }[]>("select id from proc_package where tenant_code = ? and name like 'Rekonstruksi Jalan Ruas Dander%'", [T]);
    const ocid = `ocds-jejakdemo-${T}-${road.id}`;
    const rec = await body<{ records: { compiledRelease: JsonObject }[] }>(await call(recordLoader, new Request(`${BASE}/api/ocds/records/${ocid}`), { ocid }));
    const compiled = rec.records[0].compiledRelease as {
      planning: { musrenbangProposals: { id: string; relatedBudgetBreakdowns: string[] }[]; budget: { budgetBreakdown: { id: string }[] } };
      tender: JsonObject;
      awards: { status: string }[];
      contracts: { status: string; milestones: unknown[] }[];
    };
    expect(compiled.planning.musrenbangProposals.length).toBeGreaterThan(0);
    const lines = new Set(compiled.planning.budget.budgetBreakdown.map((b) => b.id));
    for (const u of compiled.planning.musrenbangProposals) for (const l of u.relatedBudgetBreakdowns) expect(lines.has(l)).toBe(true);
    expect(compiled.tender).toMatchObject({ status: "complete", procurementMethod: "open" });
    expect(compiled.awards.map((a) => a.status)).toEqual(["active"]);
    expect(compiled.contracts).toEqual([expect.objectContaining({ status: "active" })]);
    expect(compiled.contracts[0].milestones).toHaveLength(3);
  });
});
