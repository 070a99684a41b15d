import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, call } from "../../support/http";
import { loader as apiLoader } from "../../../app/routes/api.peta";
import type { MapFeature } from "../../../domain/monev/map";
import type { BBox, ClusterProperties } from "../../../domain/monev/map-view";
import { T } from "./world";

const db = useTestDatabase("demo");
/** A year of its own, made large: 9,000 proposals with points, a quarter of them crowded in a town. */
const BIG = 2031;
const N = 9_000;

interface Cluster {
  id: string;
  bbox: BBox;
  geometry: { coordinates: [number, number] };
  properties: ClusterProperties;
}
interface Answer {
  type: "FeatureCollection";
  features: (MapFeature | Cluster)[];
  numberMatched: number;
  numberReturned?: number;
  zoom?: number;
  bbox?: BBox;
  links?: { rel: string; href: string; type: string }[];
}
const isCluster = (f: MapFeature | Cluster): f is Cluster => "cluster" in f.properties;

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await call(apiLoader, new Request(BASE + path, { headers }));
  const text = r.status === 200 ? await r.text() : "";
  return { r, text, json: () => JSON.parse(text) as Answer };
}

/** The codes of the year's proposals inside a bbox, as the database has them (5 decimals). */
async function codesIn(b: BBox | null, kecamatan?: string): Promise<string[]> {
  const rows = await db.em().execute<{ code: string }[]>(
    `select code from proposal where tenant_code = ? and fiscal_year = ? and lat is not null and status not in ('withdrawn','merged')
        ${b ? "and round(lng, 5) between ? and ? and round(lat, 5) between ? and ?" : ""} ${kecamatan ? "and kecamatan_code = ?" : ""}`,
    [T, BIG, ...(b ? [b[0], b[2], b[1], b[3]] : []), ...(kecamatan ? [kecamatan] : [])],
  );
  return rows.map((r) => r.code);
}

beforeAll(async () => {
  // Copies of a demo proposal (its forum, OPD and desa), each at its own place.
  await db.em().execute(
    `insert into proposal (id, tenant_code, code, fiscal_year, source, origin_forum_id, current_forum_id, title, problem, kind, thematic_group, bidang_urusan,
                           target_opd_id, original_opd_id, desa_code, kecamatan_code, lat, lng, volume, unit, estimated_cost, beneficiaries, status, created_by)
     select gen_random_uuid(), p.tenant_code, '2031-UJI-' || lpad(g::text, 5, '0'), ?, p.source, p.origin_forum_id, p.current_forum_id,
            'Rehabilitasi jalan lingkungan Desa Uji nomor ' || g, 'Uji peta', p.kind, p.thematic_group, p.bidang_urusan, p.target_opd_id, p.original_opd_id,
            p.desa_code, case when g % 3 = 0 then '35.22.06' else p.kecamatan_code end,
            case when g % 4 = 0 then -7.15 - (g % 97) / 5000.0 else -7.0 - ((g * 7919) % 5000) / 10000.0 end,
            case when g % 4 = 0 then 111.88 + (g % 89) / 5000.0 else 111.5 + ((g * 104729) % 7000) / 10000.0 end,
            1, 'paket', 0, 0, 'adopted', 'test'
       from generate_series(1, ?) g, (select * from proposal where tenant_code = ? order by code limit 1) p`,
    [BIG, N, T],
  );
});

describe("GET /api/peta for a large year", () => {
  it("answers the overview, under 1 MB: clusters of the whole year whose counts add up to every point, and a link to every point", async () => {
    const { r, text, json } = await get(`/api/peta?tahun=${BIG}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
    const a = json();
    const all = await codesIn(null);
    expect(all).toHaveLength(N);
    expect(a.numberMatched).toBe(N);
    expect(a.features.filter(isCluster).length).toBeGreaterThan(0);
    const total = a.features.reduce((t, f) => t + (isCluster(f) ? f.properties.count : 1), 0);
    expect(total).toBe(N);
    expect(a.links).toEqual([{ rel: "items", href: `/api/peta?tahun=${BIG}&cursor=`, type: "application/geo+json" }]);
    // The extent of the points, where the map opens.
    const [{ w, s, e, n }] = await db.em().execute<{ w: string; s: string; e: string; n: string }[]>(
      "select min(round(lng, 5))::text as w, min(round(lat, 5))::text as s, max(round(lng, 5))::text as e, max(round(lat, 5))::text as n from proposal where fiscal_year = ?",
      [BIG],
    );
    expect(a.bbox).toEqual([w, s, e, n].map(Number));
  });

  it("pages every point through the links, each page under 1 MB, none twice, none missing", async () => {
    let href: string | undefined = (await get(`/api/peta?tahun=${BIG}`)).json().links![0].href;
    const seen: string[] = [];
    let pages = 0;
    while (href) {
      const { r, text, json } = await get(href);
      expect(r.status).toBe(200);
      expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
      const a = json();
      expect(a.numberMatched).toBe(N);
      expect(a.features.some(isCluster)).toBe(false);
      seen.push(...a.features.map((f) => String(f.id)));
      href = a.links?.find((l) => l.rel === "next")?.href;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual((await codesIn(null)).sort());
  });

  it("answers a viewport: clusters where points crowd, whose counts add up to the points inside the bbox; the points themselves where sparse", async () => {
    const town: BBox = [111.87, -7.175, 111.9, -7.145];
    const { text, json } = await get(`/api/peta?tahun=${BIG}&bbox=${town.join(",")}&zoom=13`);
    expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
    const a = json();
    const expected = await codesIn(town);
    expect(expected.length).toBeGreaterThan(N / 5);
    expect(a.numberMatched).toBe(expected.length);
    expect(a.zoom).toBe(13);
    const clusters = a.features.filter(isCluster);
    expect(clusters.length).toBeGreaterThan(0);
    const singles = a.features.filter((f): f is MapFeature => !isCluster(f));
    expect(clusters.reduce((t, c) => t + c.properties.count, 0) + singles.length).toBe(expected.length);
    for (const c of clusters) expect(c.properties.u).toBe(c.properties.count);
    for (const f of singles) expect(expected).toContain(f.id);
    // A countryside viewport at a street zoom: every point in it by itself, with its properties.
    const country: BBox = [111.6, -7.3, 111.62, -7.28];
    const near = (await get(`/api/peta?tahun=${BIG}&bbox=${country.join(",")}&zoom=17`)).json();
    const here = await codesIn(country);
    expect(here.length).toBeGreaterThan(0);
    expect(near.features.some(isCluster)).toBe(false);
    expect(near.features.map((f) => f.id).sort()).toEqual(here.sort());
    expect((near.features[0] as MapFeature).properties).toMatchObject({ k: "u", s: "adopted", n: expect.stringMatching(/^Rehabilitasi jalan lingkungan Desa Uji nomor \d+$/) });
  });

  it("keeps the filter in its answers and links, answers 304 to a current ETag, gzip, and 400 to a malformed bbox, zoom or cursor", async () => {
    const kec = "35.22.06";
    const a = (await get(`/api/peta?tahun=${BIG}&kecamatan=${kec}&zoom=9`)).json();
    const inKec = await codesIn(null, kec);
    expect(inKec.length).toBeGreaterThan(N / 4);
    expect(a.numberMatched).toBe(inKec.length);
    expect(a.links![0].href).toBe(`/api/peta?tahun=${BIG}&kecamatan=${kec}&cursor=`);

    const path = `/api/peta?tahun=${BIG}&bbox=111.5,-7.5,112.2,-7.0&zoom=12`;
    const first = await get(path);
    const etag = first.r.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    expect((await call(apiLoader, new Request(BASE + path, { headers: { "If-None-Match": etag } }))).status).toBe(304);
    const zipped = await call(apiLoader, new Request(BASE + path, { headers: { "Accept-Encoding": "gzip" } }));
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(first.text);
    // Another viewport, another answer.
    expect((await get(`/api/peta?tahun=${BIG}&bbox=111.5,-7.5,112.2,-7.0&zoom=11`)).r.headers.get("etag")).not.toBe(etag);

    for (const bad of ["bbox=112,-7,111,-6&zoom=3", "bbox=1,2,3&zoom=3", "zoom=40", "cursor=zz"]) {
      const r = await call(apiLoader, new Request(`${BASE}/api/peta?tahun=${BIG}&${bad}`));
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/^(bbox|zoom|cursor): /);
    }
  });
});
