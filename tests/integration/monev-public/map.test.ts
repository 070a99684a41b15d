import { gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/db";
import { BASE, call } from "../../support/http";
import { cleanMapFilter, mapFeatures, mapItems, mapList, toFeatureCollection, type MapCollection, type MapItem } from "../../../domain/monev/map";
import { loader as apiLoader, action as apiAction } from "../../../app/routes/api.peta";
import { loader as pageLoader } from "../../../app/routes/peta._index";
import { monevWorld, SITE, T, YEAR } from "./world";

const db = useTestDatabase("full");
let world: Awaited<ReturnType<typeof monevWorld>>;

beforeAll(async () => {
  world = await monevWorld(db.em);
});

const inIndonesia = ([lng, lat]: [number, number]) => lng >= 94.5 && lng <= 141.5 && lat >= -11.5 && lat <= 6.5;

describe("the public map's GeoJSON (domain/monev/map.ts)", () => {
  it("is a FeatureCollection of points in [lng, lat] order, rounded to 5 decimals, every proposal with a point of the year and nothing else", async () => {
    const fc = await mapFeatures(db.em(), T, { year: YEAR });
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.length).toBeGreaterThan(10);
    for (const f of fc.features) {
      expect(f.type).toBe("Feature");
      expect(f.geometry.type).toBe("Point");
      expect(f.geometry.coordinates).toHaveLength(2);
      expect(inIndonesia(f.geometry.coordinates)).toBe(true);
      for (const c of f.geometry.coordinates) expect(Math.abs(c * 1e5 - Math.round(c * 1e5))).toBeLessThan(1e-6);
    }
    // Proposals: exactly those of the year with a point (withdrawn and merged ones are not on the map).
    const expected = await db.em().execute<{ id: string; lat: string; lng: string }[]>(
      "select code as id, round(lat, 5)::text as lat, round(lng, 5)::text as lng from proposal where tenant_code = ? and fiscal_year = ? and lat is not null and status not in ('withdrawn','merged')",
      [T, YEAR],
    );
    const proposals = fc.features.filter((f) => f.properties.k === "u");
    expect(proposals.map((f) => f.id).sort()).toEqual(expected.map((r) => r.id).sort());
    const one = expected[0];
    expect(proposals.find((f) => f.id === one.id)!.geometry.coordinates).toEqual([Number(one.lng), Number(one.lat)]);
    // Nothing from another year.
    const other = await mapFeatures(db.em(), T, { year: YEAR + 5 });
    expect(other.features).toEqual([]);
  });

  it("places the road contract at its site with its verified physical progress and the open kontrak kritis; its package is linked", async () => {
    expect(world.critical).toBe(true);
    const fc = await mapFeatures(db.em(), T, { year: YEAR });
    const road = fc.features.find((f) => f.id === world.road.id)!;
    expect(road.properties).toEqual({ k: "c", n: expect.any(String), s: "signed", f: "5.00", x: 1 });
    expect(road.geometry.coordinates).toEqual([SITE.lng, SITE.lat]);
    // A contract without a site is placed at the proposals behind its package's sub-activity, or listed without a point.
    const items = await mapItems(db.em(), T, { year: YEAR });
    const drainage = items.find((i) => i.id === world.drainage.id)!;
    expect(drainage).toMatchObject({ k: "c", physical: null, critical: false });
    const [centre] = await db.em().execute<{ lat: string | null; lng: string | null }[]>(
      `select round(avg(p.lat), 5)::text as lat, round(avg(p.lng), 5)::text as lng from proc_package pk join sub_activity_proposal sp on sp.sub_activity_id = pk.sub_activity_id
         join proposal p on p.id = sp.proposal_id where pk.id = ? and p.lat is not null`,
      [world.drainage.package_id],
    );
    expect({ lat: drainage.lat, lng: drainage.lng }).toEqual({ lat: centre.lat, lng: centre.lng });
    expect(fc.unlocated.c).toBe(items.filter((i) => i.k === "c" && i.lat === null).length);
  });

  it("gives each sub-activity its budget in the APBD in force and its absorption, reconciling with the SP2D recorded", async () => {
    const items = await mapItems(db.em(), T, { year: YEAR });
    const subs = items.filter((i) => i.k === "s");
    const [n] = await db.em().execute<{ n: number }[]>("select count(*)::int as n from sub_activity where tenant_code = ? and fiscal_year = ?", [T, YEAR]);
    expect(subs).toHaveLength(n.n);
    const [road] = await db.em().execute<{ sub: string; budget: string; paid: string }[]>(
      `select pk.sub_activity_id::text as sub,
              (select sum(b.amount)::numeric(20,2)::text from budget_line b where b.sub_activity_id = pk.sub_activity_id and b.kind = 'belanja'
                  and b.apbd_id = (select id from apbd where tenant_code = ? and fiscal_year = ? and status = 'adopted' order by version_no desc limit 1)) as budget,
              (select sum(s.amount)::numeric(20,2)::text from sp2d s join budget_line x on x.id = s.budget_line_id where x.sub_activity_id = pk.sub_activity_id) as paid
         from proc_package pk where pk.id = ?`,
      [T, YEAR, world.road.package_id],
    );
    const sub = subs.find((s) => s.id === road.sub)!;
    expect(sub).toMatchObject({ status: "budgeted", budget: road.budget, paid: "12345678.25" });
    expect(road.paid).toBe("12345678.25");
    expect(Number(sub.absorption)).toBeGreaterThan(0);
  });

  it("filters by OPD and by kecamatan", async () => {
    const all = await mapItems(db.em(), T, { year: YEAR });
    const pu = "1.03.0.00.0.00.01.0000";
    const byOpd = await mapItems(db.em(), T, { year: YEAR, opd: pu });
    expect(byOpd.length).toBeGreaterThan(0);
    expect(byOpd.length).toBeLessThan(all.length);
    expect(new Set(byOpd.map((i) => i.opd))).toEqual(new Set([pu]));
    expect(byOpd.map((i) => i.id).sort()).toEqual(all.filter((i) => i.opd === pu).map((i) => i.id).sort());

    const dander = "35.22.06";
    const byKec = await mapItems(db.em(), T, { year: YEAR, kecamatan: dander });
    const proposals = byKec.filter((i) => i.k === "u");
    const [n] = await db.em().execute<{ n: number }[]>(
      "select count(*)::int as n from proposal where tenant_code = ? and fiscal_year = ? and kecamatan_code = ? and status not in ('withdrawn','merged')",
      [T, YEAR, dander],
    );
    expect(proposals).toHaveLength(n.n);
    expect(byKec.length).toBeLessThan(all.length);
    // The road (Ruas Dander–Bojonegoro) is in Dander; a kecamatan without works has none of its contracts.
    expect(byKec.some((i) => i.id === world.road.id)).toBe(true);
    const elsewhere = await mapItems(db.em(), T, { year: YEAR, kecamatan: "35.22.01" });
    expect(elsewhere.some((i) => i.id === world.road.id)).toBe(false);
    // The page's list: the first items of each kind in the same order, with the counts.
    const list = await mapList(db.em(), T, { year: YEAR }, 2);
    for (const k of ["u", "s", "c"] as const) {
      expect(list.counts[k]).toBe(all.filter((i) => i.k === k).length);
      expect(list.items.filter((i) => i.k === k)).toEqual(all.filter((i) => i.k === k).slice(0, 2));
    }
    expect(list.unlocated).toBe(all.filter((i) => i.lat === null).length);
    // Malformed filters are dropped, never passed on.
    expect(cleanMapFilter({ tahun: "20x7", opd: "x' or 1=1 --", kecamatan: "35.22" }, YEAR)).toEqual({ year: YEAR, opd: null, kecamatan: null });
  });
});

describe("GET /api/peta", () => {
  it("answers GeoJSON with CORS, a strong ETag (304 when current), public fields only, and stays small", async () => {
    const r = await call(apiLoader, new Request(`${BASE}/api/peta?tahun=${YEAR}`));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("cache-control")).toMatch(/public/);
    const etag = r.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    const text = await r.text();
    const fc = JSON.parse(text) as MapCollection;
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.length).toBe((await mapFeatures(db.em(), T, { year: YEAR })).features.length);
    // Only the documented keys; no reporter, no bid price, no vendor tax number.
    const keys = new Set(fc.features.flatMap((f) => Object.keys(f.properties)));
    for (const k of keys) expect(["k", "n", "s", "a", "b", "f", "x"]).toContain(k);
    expect(text).not.toContain(world.reporter.name);
    expect(text).not.toContain(world.reporter.contact);
    const prices = await db.em().execute<{ price: string }[]>("select distinct price::text as price from bid where price is not null");
    for (const p of prices) expect(text).not.toContain(`"${p.price}"`);
    const npwps = await db.em().execute<{ npwp: string }[]>("select npwp from vendor");
    for (const v of npwps) expect(text).not.toContain(v.npwp);
    // Size: far under 1 MB for the demo year; compressed (as the server sends it), a few dozen bytes a point.
    expect(text.length).toBeLessThan(1_000_000);
    expect(gzipSync(text).length / fc.features.length).toBeLessThan(80);

    const again = await call(apiLoader, new Request(`${BASE}/api/peta?tahun=${YEAR}`, { headers: { "If-None-Match": etag } }));
    expect(again.status).toBe(304);
    // Compressed for clients that accept it: the same text.
    const zipped = await call(apiLoader, new Request(`${BASE}/api/peta?tahun=${YEAR}`, { headers: { "Accept-Encoding": "gzip, br" } }));
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("etag")).toBe(etag);
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(text);
    const filtered = await call(apiLoader, new Request(`${BASE}/api/peta?tahun=${YEAR}&kecamatan=35.22.06`));
    expect(filtered.headers.get("etag")).not.toBe(etag);
    expect(((await filtered.json()) as MapCollection).features.length).toBeLessThan(fc.features.length);
    const preflight = await call(apiAction, new Request(`${BASE}/api/peta`, { method: "OPTIONS" }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("GET /peta", () => {
  it("lists the same items under the map, rendered on the server, with the filters and links", async () => {
    const r = await call(pageLoader, new Request(`${BASE}/peta?tahun=${YEAR}&kecamatan=35.22.06`));
    expect(r.status).toBe(200);
    const page = (await r.json()) as {
      filter: { year: number; kecamatan: string | null };
      query: string;
      lists: Record<"u" | "s" | "c", { count: number; rows: { id: string; packageId: string | null; critical: boolean }[] }>;
      kecamatan: { code: string }[];
      opds: { code: string }[];
    };
    expect(page.filter).toMatchObject({ year: YEAR, kecamatan: "35.22.06" });
    expect(page.query).toBe(`tahun=${YEAR}&kecamatan=35.22.06`);
    const items = await mapItems(db.em(), T, { year: YEAR, kecamatan: "35.22.06" });
    expect(page.lists.u.count).toBe(items.filter((i) => i.k === "u").length);
    expect(page.lists.c.rows.find((c) => c.id === world.road.id)).toMatchObject({ packageId: world.road.package_id, critical: true });
    expect(page.kecamatan.some((k) => k.code === "35.22.06")).toBe(true);
    expect(page.opds.length).toBeGreaterThan(3);
  });
});

describe("the size of a large kabupaten's year", () => {
  it("stays under 1 MB compressed for 17,200 proposals, 4,000 sub-activities and 10,000 contracts with points", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
    const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const at = () => ({ lat: (-7.0 - rnd() * 0.5).toFixed(5), lng: (111.5 + rnd() * 0.7).toFixed(5) });
    const DESA = ["Ngunut", "Sumberarum", "Kalianyar", "Ngulanan", "Jatiblimbing", "Sumbertlaseh", "Mojoranu", "Ngraseh", "Prangi", "Somodikaran"];
    const WORKS = ["Pemasangan PJU tenaga surya", "Rehabilitasi jalan lingkungan", "Pembangunan saluran drainase", "Pengadaan sarana Posyandu", "Bantuan alat dan mesin pertanian untuk Poktan"];
    const item = (k: MapItem["k"], i: number): MapItem => ({
      k,
      id: uuid(),
      ref: k === "u" ? `2030-35.22.${String(1 + (i % 28)).padStart(2, "0")}.${2000 + (i % 17)}-${String(i % 40).padStart(3, "0")}` : null,
      name: `${WORKS[i % WORKS.length]} Desa ${DESA[Math.floor(rnd() * DESA.length)]} RT ${1 + (i % 9)}`,
      status: k === "u" ? ["not_prioritised", "adopted", "rejected", "accepted"][i % 4] : k === "s" ? "budgeted" : "signed",
      ...at(),
      opd: "1.03.0.00.0.00.01.0000",
      budget: k === "s" ? `${1000000 + Math.floor(rnd() * 9e8)}.00` : null,
      paid: null,
      absorption: k === "s" ? (rnd() * 100).toFixed(2) : null,
      physical: k === "c" ? (rnd() * 100).toFixed(2) : null,
      critical: k === "c" && rnd() < 0.05,
      packageId: k === "c" ? uuid() : null,
    });
    const items = [
      ...Array.from({ length: 17_200 }, (_, i) => item("u", i)),
      ...Array.from({ length: 4_000 }, (_, i) => item("s", i)),
      ...Array.from({ length: 10_000 }, (_, i) => item("c", i)),
    ];
    const text = JSON.stringify(toFeatureCollection(items, 2030));
    expect(gzipSync(text).length).toBeLessThan(1_000_000);
  });
});
