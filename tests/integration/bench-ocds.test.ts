import { describe, expect, it } from "vitest";
import { adminQuery, useTestDatabase } from "../support/db";
import { ocidOf } from "../../exports/ocds/mapping";
import { loadSnapshot, ocdsConfig } from "../../exports/ocds/publish";
import type { JsonObject } from "../../exports/ocds/schema";
import { generateOcds, packageEvents, releasesOf, snapshotTimes } from "../bench/generate-ocds";

/**
 * The bench year's OCDS data (tests/bench/generate-ocds.ts) is what the real publisher writes: on the demo,
 * whose procurement and e-Monev stages ran through the use cases (every event published by
 * exports/ocds/publish.ts as it happened), rebuilding every release from the process as it stands now,
 * wound back to each event, gives back every stored release value for value; and the generator, run on
 * the same events with their publication removed, stores the same releases and the same records.
 */
const db = useTestDatabase("monev");

interface Stored {
  seq: string;
  ocid: string;
  id: string;
  package_id: string;
  event_id: string;
  date: string;
  tags: string[];
  data: string;
}

const storedReleases = () =>
  db
    .em()
    .execute<Stored[]>(
      "select r.seq::text as seq, r.ocid, r.id, r.package_id::text as package_id, r.event_id::text as event_id, r.date::text as date, r.tags, r.data::text as data from ocds_release r where r.tenant_code = ? order by r.seq",
      [db.tenant],
    );
const storedRecords = () =>
  db
    .em()
    .execute<{ ocid: string; package_id: string; compiled: string; latest_date: string; releases: number }[]>(
      "select ocid, package_id::text as package_id, compiled::text as compiled, latest_date::text as latest_date, releases from ocds_record where tenant_code = ? order by ocid",
      [db.tenant],
    );

describe("the bench's OCDS releases (generate-ocds)", () => {
  it("rebuilds every release the publisher stored for the demo, value for value, from the processes as they stand now", async () => {
    const stored = await storedReleases();
    const packages = [...new Set(stored.map((r) => r.package_id))];
    expect(packages.length).toBeGreaterThanOrEqual(4);
    const tags = new Set(stored.flatMap((r) => r.tags));
    // The demo covers the kinds of release the generators' events make.
    for (const t of ["planning", "tender", "tenderUpdate", "award", "contract", "implementation"]) expect(tags).toContain(t);
    const em = db.em();
    const events = await packageEvents(em, packages);
    const times = await snapshotTimes(em, packages);
    let compared = 0;
    for (const id of packages) {
      const final = await loadSnapshot(em, id, ocidOf(ocdsConfig().prefix, db.tenant, id));
      const own = events.filter((e) => e.package_id === id);
      const rebuilt = releasesOf(final, own, times, db.tenant);
      const mine = stored.filter((r) => r.package_id === id);
      expect(rebuilt.map((r) => r.event.id)).toEqual(mine.map((r) => r.event_id));
      rebuilt.forEach(({ release }, i) => {
        expect(release, `release ${mine[i].id} (${mine[i].tags.join(",")})`).toEqual(JSON.parse(mine[i].data) as JsonObject);
        compared++;
      });
    }
    expect(compared).toBe(stored.length);
  });

  it("stores the same releases and records when it publishes the demo's events itself", async () => {
    const before = await storedReleases();
    const records = await storedRecords();
    const [{ year }] = await db.em().execute<{ year: number }[]>(
      "select p.fiscal_year as year from ocds_release r join proc_package p on p.id = r.package_id where r.tenant_code = ? group by p.fiscal_year order by count(*) desc limit 1",
      [db.tenant],
    );
    const ofYear = await db.em().execute<{ package_id: string }[]>("select id::text as package_id from proc_package where tenant_code = ? and fiscal_year = ?", [db.tenant, year]);
    const inYear = new Set(ofYear.map((p) => p.package_id));
    // The publication removed (this throwaway database only: the tables refuse it otherwise).
    await adminQuery(
      `alter table ocds_release disable trigger user; alter table ocds_process disable trigger user;
       delete from ocds_release; delete from ocds_process; delete from ocds_record;
       alter table ocds_release enable trigger user; alter table ocds_process enable trigger user;`,
      [],
      db.name,
    );
    const g = await generateOcds(db.url, { year, tenant: db.tenant });
    const expected = before.filter((r) => inYear.has(r.package_id));
    expect(g.releases).toBe(expected.length);
    expect(g.validated).toBe(expected.length);
    expect(g.processes).toBe(new Set(expected.map((r) => r.ocid)).size);
    const after = await storedReleases();
    // Each event's release the same JSON with the same ocid, id, date and tags; published in time order (the
    // demo's seed published its processes' events in its own order, each process's in time order).
    const strip = ({ seq: _s, data, ...r }: Stored) => ({ ...r, data: JSON.parse(data) as unknown });
    const byEvent = (a: Stored, b: Stored) => Number(a.event_id) - Number(b.event_id);
    expect([...after].sort(byEvent).map(strip)).toEqual([...expected].sort(byEvent).map(strip));
    const dates = after.map((r) => Date.parse(r.date.replace(" ", "T").replace(/\+00$/, "Z")));
    expect(dates.every((d, i) => i === 0 || dates[i - 1] <= d)).toBe(true);
    const recs = await storedRecords();
    const want = records.filter((r) => inYear.has(r.package_id));
    expect(recs.map((r) => ({ ...r, compiled: JSON.parse(r.compiled) as unknown }))).toEqual(want.map((r) => ({ ...r, compiled: JSON.parse(r.compiled) as unknown })));
    // Nothing left to publish: run again, nothing is written.
    const again = await generateOcds(db.url, { year, tenant: db.tenant });
    expect(again.releases).toBe(0);
    expect((await storedReleases()).length).toBe(after.length);
  });
});
