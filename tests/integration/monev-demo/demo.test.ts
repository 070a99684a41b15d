import { useTestDatabase } from "../../support/db";
import { T } from "../../support/musrenbang";
import { seedDemo } from "../../../imports/demo/seed";
import { publicContract } from "../../../domain/monev/contract-page";
import { verifyAuditChain } from "../../../domain/audit/verify";
import { Money } from "../../../domain/kernel/money";
import { qualityReport } from "../../../exports/ocds/quality";
import { readOcdsText } from "../../../exports/ocds/read";
import type { JsonObject } from "../../../exports/ocds/schema";

/** The demo's e-Monev stage (imports/demo/monev.ts), as `npm start` serves it (template `monev`). */
const db = useTestDatabase("monev");

describe("the demo's e-Monev", () => {
  it("monitors the road contract: its schedule, a verified week, a week waiting for the PPK, the advance paid, a report answered", async () => {
    const [road] = await db.em().execute<{ id: string; value: string }[]>(
      "select c.id, c.value::text as value from contract c join monev_plan m on m.contract_id = c.id where c.tenant_code = ?",
      [T],
    );
    expect(road).toBeDefined();
    const reports = await db.em().execute<{ period_no: number; status: string; physical: string; planned: string }[]>(
      "select period_no::int as period_no, status, physical::text as physical, planned::text as planned from progress_report where contract_id = ? order by period_no",
      [road.id],
    );
    expect(reports.map((r) => [r.period_no, r.status])).toEqual([
      [1, "verified"],
      [2, "submitted"],
    ]);
    // The photos were taken at the site, after the contract started: no flag.
    const photos = await db.em().execute<{ far_from_site: boolean; before_start: boolean; lat: string | null }[]>(
      "select far_from_site, before_start, lat::text as lat from progress_photo p join progress_report r on r.id = p.report_id where r.contract_id = ?",
      [road.id],
    );
    expect(photos).toHaveLength(3);
    expect(photos.every((p) => p.lat !== null && !p.far_from_site && !p.before_start)).toBe(true);
    // The advance: 20% of the contract, recorded as an SP2D in the budget's realisation.
    const [paid] = await db.em().execute<{ amount: string; sp2d: string }[]>(
      `select (select sum(amount)::text from contract_payment where contract_id = ?) as amount,
              (select sum(amount)::text from sp2d where number = '0007/SP2D/LS/1.03/2027') as sp2d`,
      [road.id],
    );
    expect(Money.idr(paid.amount).toString()).toBe(Money.idr(road.value).times("0.2").toString());
    expect(Money.idr(paid.sp2d).toString()).toBe(Money.idr(paid.amount).toString());

    // The public page: the verified week only, the financial progress, the answered report without its reporter.
    const page = await publicContract(db.em(), T, road.id, "2027-01-20");
    expect(page).not.toBeNull();
    const text = JSON.stringify(page);
    expect(text).toContain("Tumpukan material timbunan");
    expect(text).toContain("Penyedia sudah diperintahkan memindahkan material");
    expect(text).not.toContain("demo-seed");
  });

  it("publishes the verified week and the payment as implementation releases that pass the quality report", async () => {
    const rows = await db.em().execute<{ data: JsonObject; tags: string[] }[]>(
      "select r.data, r.tags from ocds_release r join contract c on c.package_id = r.package_id join monev_plan m on m.contract_id = c.id order by r.seq",
    );
    expect(rows.filter((r) => r.tags.includes("implementation")).length).toBeGreaterThanOrEqual(2);
    const pkg = { uri: "https://example.org/demo", publishedDate: "2027-01-20T00:00:00Z", publisher: { name: "Jejak demo" }, version: "1.1", releases: rows.map((r) => r.data) };
    const report = qualityReport(readOcdsText(JSON.stringify(pkg), "demo"), { expectedPrefix: "ocds-jejakdemo-" });
    const serious = report.findings.filter((f) => f.severity !== "note" && f.check !== "ocidPrefix");
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
  });

  it("keeps the audit chain whole and is idempotent", async () => {
    expect((await verifyAuditChain(db.em(), T)).ok).toBe(true);
    const [before] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from audit_event");
    expect(await seedDemo(db.em(), { allowed: true })).toEqual({ created: false });
    const [after] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from audit_event");
    expect(after.n).toBe(before.n);
  });
});
