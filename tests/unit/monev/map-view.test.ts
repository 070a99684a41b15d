import { describe, expect, it } from "vitest";
import { toFeatureCollection, type MapFeature, type MapItem } from "../../../domain/monev/map";
import {
  CELL_PX,
  fitZoom,
  isSmallYear,
  mapPoints,
  MAX_CLUSTER_ZOOM,
  pageText,
  parseMapRequest,
  viewText,
  worldX,
  worldY,
  yearText,
  type BBox,
  type ClusterProperties,
  type MapPoints,
} from "../../../domain/monev/map-view";

interface Cluster {
  type: "Feature";
  id: string;
  bbox: BBox;
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: ClusterProperties;
}
type Answer = {
  type: "FeatureCollection";
  features: (MapFeature | Cluster)[];
  zoom?: number;
  numberMatched: number;
  numberReturned?: number;
  bbox?: BBox;
  links?: { rel: string; href: string }[];
  unlocated: Record<string, number>;
};
const isCluster = (f: MapFeature | Cluster): f is Cluster => "cluster" in f.properties;
const parse = (text: string) => {
  expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
  return JSON.parse(text) as Answer;
};

/** A large kabupaten's year (the bench's proportions), deterministic, some points sharing a place. */
function largeYear(): { items: MapItem[]; features: MapFeature[] } {
  let seed = 11;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const item = (k: MapItem["k"], i: number): MapItem => {
    // A dense town centre and a sparse countryside.
    const town = rnd() < 0.4;
    const lat = town ? -7.15 - rnd() * 0.02 : -7.0 - rnd() * 0.5;
    const lng = town ? 111.88 + rnd() * 0.02 : 111.5 + rnd() * 0.7;
    return {
      k,
      id: uuid(),
      ref: k === "u" ? `2030-35.22.${String(1 + (i % 28)).padStart(2, "0")}.${2000 + (i % 17)}-${String(i).padStart(5, "0")}` : null,
      name: `Pembangunan saluran drainase Desa Ngunut RT ${1 + (i % 9)} — “${i}”`,
      status: k === "u" ? "adopted" : k === "s" ? "budgeted" : "signed",
      lat: lat.toFixed(5),
      lng: lng.toFixed(5),
      opd: "1.03.0.00.0.00.01.0000",
      budget: k === "s" ? `${1000000 + Math.floor(rnd() * 9e8)}.00` : null,
      paid: null,
      absorption: k === "s" ? (rnd() * 100).toFixed(2) : null,
      physical: k === "c" ? (rnd() * 100).toFixed(2) : null,
      critical: k === "c" && rnd() < 0.05,
      packageId: null,
    };
  };
  const items = [...Array.from({ length: 17_200 }, (_, i) => item("u", i)), ...Array.from({ length: 4_000 }, (_, i) => item("s", i)), ...Array.from({ length: 10_000 }, (_, i) => item("c", i))];
  // A few at exactly the same place (a sub-activity at its only proposal's point).
  for (let i = 0; i < 50; i++) Object.assign(items[17_200 + i], { lat: items[i].lat, lng: items[i].lng });
  items.push({ ...item("u", 99_999), lat: null, lng: null });
  return { items, features: toFeatureCollection(items, 2030).features };
}

const large = largeYear();
const points: MapPoints = mapPoints(toFeatureCollection(large.items, 2030));
const byId = new Map(large.features.map((f) => [`${f.properties.k}:${f.id}`, f]));
const inside = (b: BBox) => large.features.filter((f) => f.geometry.coordinates[0] >= b[0] && f.geometry.coordinates[0] <= b[2] && f.geometry.coordinates[1] >= b[1] && f.geometry.coordinates[1] <= b[3]);

/** Checks an answer against the points inside its bbox: every point once, in a cluster or alone. */
function checkView(a: Answer, b: BBox) {
  const expected = inside(b);
  expect(a.numberMatched).toBe(expected.length);
  expect(a.numberReturned).toBe(a.features.length);
  let total = 0;
  let critical = 0;
  const singles = new Set<string>();
  for (const f of a.features) {
    if (isCluster(f)) {
      const p = f.properties;
      expect(p.count).toBeGreaterThan(1);
      expect(p.u + p.s + p.c).toBe(p.count);
      const [w, s, e, n] = f.bbox;
      const [lng, lat] = f.geometry.coordinates;
      expect(lng >= w - 1e-9 && lng <= e + 1e-9 && lat >= s - 1e-9 && lat <= n + 1e-9).toBe(true);
      expect(f.id).toMatch(new RegExp(`^g${a.zoom}/\\d+/\\d+$`));
      total += p.count;
      critical += p.x;
    } else {
      // A single point is the very feature of the whole year.
      const key = `${f.properties.k}:${f.id}`;
      expect(singles.has(key)).toBe(false);
      singles.add(key);
      expect(f).toEqual(byId.get(key));
      total += 1;
      critical += f.properties.x ?? 0;
    }
  }
  expect(total).toBe(expected.length);
  expect(critical).toBe(expected.filter((f) => f.properties.x).length);
}

describe("the map's grid (domain/monev/map-view.ts)", () => {
  it("projects as Web Mercator in pixels of the 256-pixel world at zoom 0 (as Leaflet and tiles count)", () => {
    expect(worldX(-180)).toBe(0);
    expect(worldX(0)).toBe(128);
    expect(worldX(180)).toBe(256);
    expect(worldY(0)).toBeCloseTo(128, 9);
    expect(worldY(85.0511287798)).toBeCloseTo(0, 6);
    expect(worldY(-85.0511287798)).toBeCloseTo(256, 6);
    // The tile of a place (OpenStreetMap's slippy-map formula) is the pixel ÷ 256.
    for (const [lat, lng, z] of [[-7.15, 111.88, 12], [-7.4321, 111.501, 16], [5.5, 95.3, 9]]) {
      const r = (lat * Math.PI) / 180;
      const tx = Math.floor(((lng + 180) / 360) * 2 ** z);
      const ty = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
      expect([Math.floor((worldX(lng) * 2 ** z) / 256), Math.floor((worldY(lat) * 2 ** z) / 256)]).toEqual([tx, ty]);
    }
  });

  it("groups the points of one 56-pixel cell at the zoom, keeps points of other cells apart, never groups from zoom 18", () => {
    // Two points 20 px apart at zoom 14 inside one cell, a third two cells away, a fourth alone far away.
    const z = 14;
    const scale = 2 ** z;
    const cellLeft = Math.floor((worldX(111.88) * scale) / CELL_PX) * CELL_PX;
    const top = Math.floor((worldY(-7.15) * scale) / CELL_PX) * CELL_PX;
    const lngAt = (px: number) => ((px / scale) * 360) / 256 - 180;
    const latAt = (py: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / scale / 256))) * 180) / Math.PI;
    const at = (px: number, py: number) => ({ lat: latAt(py).toFixed(5), lng: lngAt(px).toFixed(5) });
    const base = large.items.slice(0, 4).map((i) => ({ ...i, critical: false }));
    // The third is in the neighbouring cell that shares the first two's cell one zoom out.
    const beside = (cellLeft / CELL_PX) % 2 === 0 ? CELL_PX : -CELL_PX;
    const items: MapItem[] = [
      { ...base[0], ...at(cellLeft + 10, top + 10) },
      { ...base[1], ...at(cellLeft + 30, top + 30) },
      { ...base[2], ...at(cellLeft + 10 + beside, top + 10) },
      { ...base[3], ...at(cellLeft + 10, top + 10 + 40 * CELL_PX) },
    ];
    const p = mapPoints(toFeatureCollection(items, 2030));
    const a = parse(viewText(p, p.extent, z, []));
    expect(a.zoom).toBe(z);
    const clusters = a.features.filter(isCluster);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].properties).toEqual({ cluster: true, count: 2, u: 2, s: 0, c: 0, x: 0 });
    expect(clusters[0].id).toBe(`g${z}/${cellLeft / CELL_PX}/${top / CELL_PX}`);
    expect(clusters[0].bbox).toEqual([Number(items[0].lng), Number(items[1].lat), Number(items[1].lng), Number(items[0].lat)]);
    expect(a.features.filter((f) => !isCluster(f)).map((f) => f.id).sort()).toEqual([items[2].ref, items[3].ref].sort());
    // One zoom out, the first three share a cell; at zoom 18 nothing is grouped.
    expect(parse(viewText(p, p.extent, z - 1, [])).features.filter(isCluster)[0].properties.count).toBe(3);
    expect(parse(viewText(p, p.extent, MAX_CLUSTER_ZOOM, [])).features.some(isCluster)).toBe(false);
  });

  it("fits a bbox's zoom to 1024 pixels", () => {
    const b: BBox = [111.5, -7.5, 112.2, -7.0];
    const z = fitZoom(b);
    const span = (zz: number) => Math.max(worldX(b[2]) - worldX(b[0]), worldY(b[1]) - worldY(b[3])) * 2 ** zz;
    expect(span(z)).toBeLessThanOrEqual(1024);
    expect(span(z + 1)).toBeGreaterThan(1024);
  });

  it("reads bbox, zoom and cursor, and refuses malformed ones", () => {
    expect(parseMapRequest({ tahun: "2030" })).toEqual({ mode: "year" });
    expect(parseMapRequest({ bbox: "111.5,-7.5,112.2,-7.0", zoom: "12" })).toEqual({ mode: "view", bbox: [111.5, -7.5, 112.2, -7], zoom: 12 });
    expect(parseMapRequest({ zoom: "3" })).toEqual({ mode: "view", bbox: null, zoom: 3 });
    expect(parseMapRequest({ cursor: "" })).toEqual({ mode: "page", cursor: "" });
    expect(parseMapRequest({ cursor: "u:2030-35.22.01" })).toEqual({ mode: "page", cursor: "u:2030-35.22.01" });
    for (const q of [{ bbox: "1,2,3" }, { bbox: "112,-7,111,-6" }, { bbox: "a,b,c,d" }, { bbox: "0,-95,1,0" }, { zoom: "23" }, { zoom: "1.5" }, { cursor: "x:1" }, { cursor: "u:a b" }])
      expect(parseMapRequest(q).mode).toBe("error");
  });
});

describe("a large year's answers (31,200 points)", () => {
  it("is too large for one answer of points: the overview clusters the whole extent, links to every point, and counts them all", () => {
    expect(Buffer.byteLength(yearText(points))).toBeGreaterThan(1_000_000);
    expect(isSmallYear(points)).toBe(false);
    const a = parse(viewText(points, null, null, [{ rel: "items", href: "/api/peta?tahun=2030&cursor=", type: "application/geo+json" }]));
    expect(a.links).toEqual([{ rel: "items", href: "/api/peta?tahun=2030&cursor=", type: "application/geo+json" }]);
    expect(a.bbox).toEqual(points.extent);
    expect(a.unlocated).toEqual({ u: 1, s: 0, c: 0 });
    expect(a.zoom).toBe(fitZoom(points.extent!));
    expect(a.features.some(isCluster)).toBe(true);
    checkView(a, points.extent!);
    expect(a.numberMatched).toBe(31_200);
  });

  it("answers any viewport at any zoom under 1 MB, every point inside it once (in a cluster or alone), single points where sparse", () => {
    const [w, s, e, n] = points.extent!;
    const town: BBox = [111.875, -7.175, 111.905, -7.145];
    const views: BBox[] = [points.extent!, town, [w, s, (w + e) / 2, (s + n) / 2], [111.6, -7.3, 111.7, -7.2], [111.8801, -7.1601, 111.8851, -7.1551], [0, -10, 1, -9]];
    for (const b of views)
      for (const z of [0, 9, 12, 14, 16, 18, 22]) {
        const a = parse(viewText(points, b, z, []));
        expect(a.zoom).toBeLessThanOrEqual(z);
        checkView(a, b);
      }
    // The town at its own zoom: clusters; a countryside viewport at a street zoom: points only.
    expect(parse(viewText(points, town, 14, [])).features.some(isCluster)).toBe(true);
    const country: BBox = [111.6, -7.3, 111.61, -7.29];
    const sparse = parse(viewText(points, country, 16, []));
    expect(sparse.features.length).toBeGreaterThan(0);
    // Few points far apart: they come as themselves (a cluster only where some share a cell).
    expect(sparse.features.filter((f) => !isCluster(f)).length).toBeGreaterThanOrEqual(0.8 * sparse.numberMatched);
    // The whole year asked at a street zoom would be every point (several MB): the grid is coarsened to fit.
    const wide = parse(viewText(points, points.extent!, 19, []));
    expect(wide.zoom).toBeLessThan(19);
  }, 60_000);

  it("pages every point under 1 MB each, in keyset order, without a point twice or missing, even when the year changes between pages", () => {
    const seen = new Set<string>();
    let cursor = "";
    let pages = 0;
    for (;;) {
      const a = parse(pageText(points, cursor, (c) => `/api/peta?tahun=2030&cursor=${encodeURIComponent(c)}`));
      pages++;
      expect(a.numberMatched).toBe(31_200);
      expect(a.numberReturned).toBe(a.features.length);
      for (const f of a.features) {
        const key = `${(f as MapFeature).properties.k}:${f.id}`;
        expect(seen.has(key)).toBe(false);
        expect(f).toEqual(byId.get(key));
        seen.add(key);
      }
      const next = a.links?.find((l) => l.rel === "next");
      if (!next) break;
      cursor = new URL(next.href, "http://x").searchParams.get("cursor")!;
      expect(cursor).toBe(`${(a.features.at(-1) as MapFeature).properties.k}:${a.features.at(-1)!.id}`);
    }
    expect(pages).toBeGreaterThan(4);
    expect(seen).toEqual(new Set(byId.keys()));
    // A cursor from before a change still continues after the same point: the points after it, once.
    const first = JSON.parse(pageText(points, "", (c) => c)) as Answer;
    const cut = first.links![0].href;
    const fewer = mapPoints(toFeatureCollection(large.items.filter((_, i) => i % 3 !== 0), 2030));
    const rest = JSON.parse(pageText(fewer, cut, (c) => c)) as Answer;
    const firstIds = new Set(first.features.map((f) => f.id));
    expect(rest.features.some((f) => firstIds.has(f.id))).toBe(false);
    expect(rest.features.every((f) => `${(f as MapFeature).properties.k}:${f.id}` > cut)).toBe(true);
  }, 60_000);

  it("answers a small year as every point at once, as before", () => {
    const small = mapPoints(toFeatureCollection(large.items.slice(0, 300), 2030));
    expect(isSmallYear(small)).toBe(true);
    const a = JSON.parse(yearText(small)) as Answer;
    expect(a.features).toHaveLength(300);
    expect(a.numberMatched).toBe(300);
    expect(a.features.some(isCluster)).toBe(false);
    expect(a.bbox).toEqual(small.extent);
  });
});
