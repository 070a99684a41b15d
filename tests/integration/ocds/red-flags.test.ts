import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, body, call } from "../../support/http";
import { processFlags, processRedFlags, tenantRedFlags, type RedFlag } from "../../../exports/ocds/red-flags";
import { ocidOfPackage } from "../../../exports/ocds/publish";
import type { Json, JsonObject } from "../../../exports/ocds/schema";
import { loader as recordLoader } from "../../../app/routes/api.ocds.records.$ocid";

/**
 * The public red flags on the whole demo ("full" template), computed from the stored releases, and the
 * same flags recomputed by anyone from the public record API.
 */
const db = useTestDatabase("full");

const ocidOf = async (name: string) => {
  const [row] = await db.em().execute<{ id: string }[]>("select id from proc_package where tenant_code = ? and name like ?", [db.tenant, `${name}%`]);
  expect(row, name).toBeTruthy();
  return ocidOfPackage(db.tenant, row.id);
};

/** The value at a path such as "bids.details[1].value.amount". */
function at(o: Json, path: string): Json | undefined {
  let cur: Json | undefined = o;
  for (const part of path.split(/\.|(?=\[)/)) {
    const m = /^\[(\d+)\]$/.exec(part);
    if (cur === null || typeof cur !== "object") return undefined;
    cur = m ? (cur as Json[])[Number(m[1])] : (cur as JsonObject)[part];
  }
  return cur;
}

async function publicRecord(ocid: string): Promise<JsonObject> {
  const res = await call(recordLoader, new Request(`${BASE}/api/ocds/records/${encodeURIComponent(ocid)}`), { ocid });
  expect(res.status).toBe(200);
  return (await body<{ records: { compiledRelease: JsonObject }[] }>(res)).records[0].compiledRelease;
}

let road = "";
let drainage = "";
beforeAll(async () => {
  road = await ocidOf("Rekonstruksi Jalan Ruas Dander");
  drainage = await ocidOf("Pembangunan Saluran Drainase");
});

describe("the demo's red flags", () => {
  it("are one: the road tender's lowest bid (CV Sinar Dander) was disqualified", async () => {
    // Why only this one: the road tender had three bids and the lowest (CV Sinar Dander, 91.05 % of the HPS)
    // failed the technical and qualification evaluation, so PT Karya Bengawan Solo won at 93.12 % (corrected
    // price a little lower): not within 1 % of the HPS, two other valid bids, bids on time, a period of 11
    // days. The drainage and irrigation works are pengadaan langsung (no competition expected; one purchase
    // each from different vendors, under the Rp400 juta construction ceiling), and the road-marking tender's
    // only bid is still sealed (nothing about bids is public before opening). No contract was amended.
    const { processes, flags } = await tenantRedFlags(db.em(), db.tenant);
    const [{ n }] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from ocds_process where tenant_code = ?", [db.tenant]);
    expect(processes).toBe(n);
    expect(flags.map((f) => [f.code, f.ocid])).toEqual([["lowest-bid-disqualified", road]]);
    const [f] = flags;
    expect(f.title).toBe("Penawaran terendah digugurkan");
    expect(f.explanation).toMatch(/^Penawaran terendah, Rp[\d.]+,\d\d dari CV Sinar Dander, digugurkan, dan pemenangnya menawar Rp[\d.]+,\d\d\./);
    expect(f.evidence.map((e) => e.label)).toEqual(["Harga penawaran terendah", "Status penawaran terendah", "Keterangan penawaran (alasan)", "Harga penawaran pemenang"]);
    expect(f.evidence.find((e) => e.label === "Keterangan penawaran (alasan)")?.value).toMatch(/Metode pelaksanaan tidak mencantumkan tahapan pemadatan/);
  });

  it("are reproduced by anyone from the public record, whose values the evidence points at", async () => {
    const { flags } = await tenantRedFlags(db.em(), db.tenant);
    const [{ ocids }] = await db.em().execute<{ ocids: string[] }[]>("select array_agg(ocid order by seq) as ocids from ocds_process where tenant_code = ?", [db.tenant]);
    const fromApi: RedFlag[] = [];
    for (const ocid of ocids) {
      const compiled = await publicRecord(ocid);
      fromApi.push(...processFlags(compiled));
      for (const f of flags.filter((x) => x.ocid === ocid)) for (const e of f.evidence) expect(at(compiled, e.path), e.path).toEqual(e.value);
    }
    expect(fromApi).toEqual(flags);
  });

  it("are the same whatever the batch the processes are read in", async () => {
    const all = await tenantRedFlags(db.em(), db.tenant);
    expect(await tenantRedFlags(db.em(), db.tenant, { batch: 1 })).toEqual(all);
  });

  it("are given for one process's page, the road tender's flag only on it", async () => {
    expect((await processRedFlags(db.em(), db.tenant, road)).map((f) => f.code)).toEqual(["lowest-bid-disqualified"]);
    expect(await processRedFlags(db.em(), db.tenant, drainage)).toEqual([]);
    expect(await processRedFlags(db.em(), "35.99", road)).toEqual([]);
  });
});

describe("package splitting from the stored releases", () => {
  it("flags the drainage purchase once a second purchase from the same vendor by the same OPD brings the total above the ceiling", async () => {
    // A second process: the drainage process's releases published again under another ocid (as another
    // publisher's import would store them) — the same OPD, vendor and dates, so together twice the value.
    const em = db.em();
    const copy = ocidOfPackage(db.tenant, randomUUID());
    const rows = await em.execute<{ id: string; date: string; tags: string[]; data: string }[]>("select id, date, tags, data::text as data from ocds_release where ocid = ? order by seq", [drainage]);
    expect(rows.length).toBeGreaterThan(2);
    const [{ next }] = await em.execute<{ next: string }[]>("select (max(event_id) + 1000)::text as next from ocds_release");
    const packageId = copy.split(`${db.tenant}-`)[1];
    for (const [i, r] of rows.entries())
      await em.execute("insert into ocds_release (tenant_code, ocid, id, package_id, event_id, date, tags, data) values (?, ?, ?, ?, ?, ?, ?::text[], ?::json)", [
        db.tenant,
        copy,
        r.id.replace(drainage, copy),
        packageId,
        String(BigInt(next) + BigInt(i)),
        r.date,
        `{${r.tags.join(",")}}`,
        r.data.split(drainage).join(copy),
      ]);
    await em.execute("insert into ocds_process (ocid, tenant_code, package_id) values (?, ?, ?)", [copy, db.tenant, packageId]);

    const { flags } = await tenantRedFlags(db.em(), db.tenant);
    const splitting = flags.filter((f) => f.code === "package-splitting");
    expect(splitting.map((f) => [f.ocid, f.related])).toEqual(
      expect.arrayContaining([
        [drainage, [copy]],
        [copy, [drainage]],
      ]),
    );
    expect(splitting).toHaveLength(2);
    expect(splitting[0].explanation).toMatch(/^Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang membeli dari CV Sinar Dander lewat 2 pengadaan langsung pada 30 November 2026, seluruhnya Rp[\d.]+,\d\d: di atas batas pengadaan langsung Rp400\.000\.000,00 \(Perpres 46\/2025 Pasal 38 ayat \(3\)\)/);
    expect(splitting[0].evidence.find((e) => e.ocid === null)).toEqual({ ocid: null, path: "method-rules.csv#p46-pl-konstruksi", value: "400000000.00", label: "Batas pengadaan langsung" });
    // The page of the drainage works finds it too, reading only that OPD's pengadaan langsung processes.
    expect((await processRedFlags(db.em(), db.tenant, drainage)).map((f) => [f.code, f.related])).toEqual([["package-splitting", [copy]]]);
  });
});
