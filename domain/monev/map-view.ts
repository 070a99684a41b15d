import type { MapCollection, MapKind } from "./map";

/**
 * The public map's answers (GET /api/peta), built per request from a year's points held in memory
 * (`mapPoints`, prepared once and shared), so that every answer stays under 1 MB as text however large
 * the year:
 *
 *   whole year    without bbox/zoom/cursor: every point, when their text is under FULL_BYTES (a small year,
 *                 up to about 4,000 points); else the overview: the year's points clustered at the zoom
 *                 that fits their extent in OVERVIEW_PX pixels, with a link (rel "items") to every point.
 *   viewport      `bbox=west,south,east,north` and/or `zoom=z`: the points inside the bbox (the year's
 *                 extent when absent), grouped on the grid below at `zoom` (fitted to the bbox when absent).
 *   pages         `cursor=` (empty for the first page): every point in a fixed order (kind then id, as the
 *                 strings `c:<uuid>`, `s:<uuid>`, `u:<proposal code>` compare), at most PAGE_MAX points and
 *                 PAGE_BYTES a page; the link rel "next" carries the last point's key as the next cursor
 *                 (keyset paging: no point is repeated or skipped when the year changes between pages).
 *
 * The grid — the one implementation, the client draws what it answers: Web-Mercator pixels at `zoom`
 * (a 256-pixel world at zoom 0, as Leaflet and web tiles count them) cut in CELL_PX × CELL_PX cells from
 * the world's top-left corner. A cell holding one point answers the point itself (the same Feature as in
 * the whole year); a cell holding more answers one cluster: a Point at the mean of its points with
 *   id          "g<zoom>/<cell x>/<cell y>"
 *   bbox        [west, south, east, north] of its points (RFC 7946 §5), where a click zooms to
 *   properties  { cluster: true, count, u, s, c (points per kind), x (contracts with an open kontrak kritis) }.
 * From MAX_CLUSTER_ZOOM on, points are never grouped. When an answer would still exceed ANSWER_BYTES (a
 * wide bbox at a high zoom), the grid is coarsened one zoom at a time until it fits; the collection's
 * `zoom` says which grid answered. Its `numberMatched` counts the points inside the bbox: the clusters'
 * counts plus the single points add up to it.
 */

export const TILE_PX = 256;
export const CELL_PX = 56;
export const MAX_CLUSTER_ZOOM = 18;
export const MAX_ZOOM = 22;
/** Every answer's text stays under this many bytes (UTF-8): under 1 MB with room for the collection's members. */
export const ANSWER_BYTES = 900_000;
/** The whole year is answered as points while their text is under this; above, the overview. */
export const FULL_BYTES = ANSWER_BYTES;
export const OVERVIEW_PX = 1024;
export const PAGE_MAX = 5_000;
export const PAGE_BYTES = ANSWER_BYTES;
/** An upper bound of a cluster Feature's text. */
const CLUSTER_BYTES = 320;
const MAX_LAT = 85.05112878;

export type BBox = [west: number, south: number, east: number, north: number];

export interface ClusterProperties {
  cluster: true;
  count: number;
  u: number;
  s: number;
  c: number;
  x: number;
}

export interface MapLink {
  rel: "items" | "next";
  href: string;
  type: "application/geo+json";
}

/** Web-Mercator x of a longitude, in pixels of the 256-pixel world at zoom 0. */
export function worldX(lng: number): number {
  return ((lng + 180) / 360) * TILE_PX;
}

/** Web-Mercator y of a latitude (downwards from the top), in pixels of the 256-pixel world at zoom 0. */
export function worldY(lat: number): number {
  const s = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180);
  return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE_PX;
}

/** The largest zoom (≤ MAX_CLUSTER_ZOOM) at which the bbox fits in `px` × `px` pixels. */
export function fitZoom(b: BBox, px = OVERVIEW_PX): number {
  const w = Math.max(worldX(b[2]) - worldX(b[0]), 1e-12);
  const h = Math.max(worldY(b[1]) - worldY(b[3]), 1e-12);
  const z = Math.floor(Math.log2(px / Math.max(w, h)));
  return Math.max(0, Math.min(MAX_CLUSTER_ZOOM, z));
}

/** The year's points, ready for answers: each feature's text once, in the paging order, with its projection. */
export interface MapPoints {
  year: number;
  unlocated: Record<MapKind, number>;
  /** `${k}:${id}` of each point, ascending (the paging order). */
  keys: string[];
  /** Each point's GeoJSON Feature text, in the same order. */
  json: string[];
  /** UTF-8 bytes of each text. */
  bytes: Int32Array;
  totalBytes: number;
  /** 0 u, 1 s, 2 c. */
  kind: Uint8Array;
  critical: Uint8Array;
  lng: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
  /** The points' bbox, null without points. */
  extent: BBox | null;
}

const KIND_INDEX: Record<MapKind, number> = { u: 0, s: 1, c: 2 };

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function mapPoints(fc: MapCollection): MapPoints {
  const order = fc.features.map((f) => ({ key: `${f.properties.k}:${f.id}`, f })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const n = order.length;
  const p: MapPoints = {
    year: fc.year,
    unlocated: { ...fc.unlocated },
    keys: new Array<string>(n),
    json: new Array<string>(n),
    bytes: new Int32Array(n),
    totalBytes: 0,
    kind: new Uint8Array(n),
    critical: new Uint8Array(n),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    extent: null,
  };
  let [w, s, e, no] = [Infinity, Infinity, -Infinity, -Infinity];
  order.forEach(({ key, f }, i) => {
    const [lng, lat] = f.geometry.coordinates;
    p.keys[i] = key;
    p.json[i] = JSON.stringify(f);
    p.bytes[i] = utf8Length(p.json[i]);
    p.totalBytes += p.bytes[i] + 1;
    p.kind[i] = KIND_INDEX[f.properties.k];
    p.critical[i] = f.properties.x ? 1 : 0;
    p.lng[i] = lng;
    p.lat[i] = lat;
    p.x[i] = worldX(lng);
    p.y[i] = worldY(lat);
    [w, s, e, no] = [Math.min(w, lng), Math.min(s, lat), Math.max(e, lng), Math.max(no, lat)];
  });
  if (n) p.extent = [w, s, e, no];
  return p;
}

/** What a request asks for (see the module's comment); `error` names the parameter in English, as the API's other errors do. */
export type MapRequest = { mode: "year" } | { mode: "view"; bbox: BBox | null; zoom: number | null } | { mode: "page"; cursor: string } | { mode: "error"; error: string };

const NUM = /^-?\d{1,3}(\.\d{1,12})?$/;

export function parseMapRequest(q: Record<string, string | undefined>): MapRequest {
  if (q.cursor !== undefined) {
    if (q.cursor !== "" && !/^[csu]:[^\s]{1,120}$/.test(q.cursor)) return { mode: "error", error: "cursor: expected the cursor of a rel=next link" };
    return { mode: "page", cursor: q.cursor };
  }
  if (q.bbox === undefined && q.zoom === undefined) return { mode: "year" };
  let zoom: number | null = null;
  if (q.zoom !== undefined) {
    if (!/^\d{1,2}$/.test(q.zoom) || Number(q.zoom) > MAX_ZOOM) return { mode: "error", error: `zoom: expected a whole number from 0 to ${MAX_ZOOM}` };
    zoom = Number(q.zoom);
  }
  let bbox: BBox | null = null;
  if (q.bbox !== undefined) {
    const parts = q.bbox.split(",");
    const v = parts.map(Number);
    const ok = parts.length === 4 && parts.every((x) => NUM.test(x.trim())) && v[0] <= v[2] && v[1] <= v[3] && v.every((x, i) => Math.abs(x) <= (i % 2 ? 90 : 180));
    if (!ok) return { mode: "error", error: "bbox: expected west,south,east,north in degrees, such as 111.5,-7.5,112.2,-7.0" };
    bbox = v as BBox;
  }
  return { mode: "view", bbox, zoom };
}

/** A request's normal form, for cache keys: equal requests, equal keys. */
export function mapRequestKey(r: MapRequest): string {
  if (r.mode === "view") return `view|${r.bbox?.join(",") ?? ""}|${r.zoom ?? ""}`;
  if (r.mode === "page") return `page|${r.cursor}`;
  return r.mode;
}

function collection(members: Record<string, unknown>, features: readonly string[]): string {
  const head = JSON.stringify({ type: "FeatureCollection", ...members });
  return `${head.slice(0, -1)},"features":[${features.join(",")}]}`;
}

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Groups the points `idx` on the grid at `zoom` (every point alone from MAX_CLUSTER_ZOOM on): cells in first-seen order. */
export function gridCells(p: Pick<MapPoints, "x" | "y">, idx: readonly number[], zoom: number): { cx: number; cy: number; members: number[] }[] {
  if (zoom >= MAX_CLUSTER_ZOOM) return idx.map((i) => ({ cx: -1, cy: -1, members: [i] }));
  const scale = 2 ** zoom / CELL_PX;
  const cells = new Map<number, { cx: number; cy: number; members: number[] }>();
  for (const i of idx) {
    const cx = Math.floor(p.x[i] * scale);
    const cy = Math.floor(p.y[i] * scale);
    const key = cx * 2 ** 26 + cy;
    const cell = cells.get(key);
    if (cell) cell.members.push(i);
    else cells.set(key, { cx, cy, members: [i] });
  }
  return [...cells.values()];
}

function clusterJson(p: MapPoints, zoom: number, cell: { cx: number; cy: number; members: number[] }): string {
  const props: ClusterProperties = { cluster: true, count: cell.members.length, u: 0, s: 0, c: 0, x: 0 };
  let [w, s, e, n, sumLng, sumLat] = [Infinity, Infinity, -Infinity, -Infinity, 0, 0];
  for (const i of cell.members) {
    props[(["u", "s", "c"] as const)[p.kind[i]]]++;
    props.x += p.critical[i];
    [w, s, e, n] = [Math.min(w, p.lng[i]), Math.min(s, p.lat[i]), Math.max(e, p.lng[i]), Math.max(n, p.lat[i])];
    sumLng += p.lng[i];
    sumLat += p.lat[i];
  }
  const centre = [round5(sumLng / cell.members.length), round5(sumLat / cell.members.length)];
  return JSON.stringify({ type: "Feature", id: `g${zoom}/${cell.cx}/${cell.cy}`, bbox: [w, s, e, n], geometry: { type: "Point", coordinates: centre }, properties: props });
}

/** Whether the whole year is small enough to answer as points (FULL_BYTES). */
export function isSmallYear(p: MapPoints): boolean {
  return p.totalBytes < FULL_BYTES;
}

/** The whole year as points (a small year: see isSmallYear). */
export function yearText(p: MapPoints): string {
  return collection({ year: p.year, unlocated: p.unlocated, ...(p.extent ? { bbox: p.extent } : {}), numberMatched: p.keys.length }, p.json);
}

/**
 * The points inside `bbox` (the year's extent when null) on the grid at `zoom` (fitted to the bbox when
 * null), coarsened while the answer would exceed ANSWER_BYTES. `links` go to the collection as they are.
 */
export function viewText(p: MapPoints, bbox: BBox | null, zoom: number | null, links: MapLink[]): string {
  const b = bbox ?? p.extent;
  const idx: number[] = [];
  if (b) for (let i = 0; i < p.keys.length; i++) if (p.lng[i] >= b[0] && p.lng[i] <= b[2] && p.lat[i] >= b[1] && p.lat[i] <= b[3]) idx.push(i);
  let z = zoom ?? (b ? fitZoom(b) : 0);
  let cells = gridCells(p, idx, z);
  const size = (cs: typeof cells) => cs.reduce((t, c) => t + 1 + (c.members.length === 1 ? p.bytes[c.members[0]] : CLUSTER_BYTES), 0);
  while (z > 0 && size(cells) > ANSWER_BYTES) cells = gridCells(p, idx, (z = Math.min(z, MAX_CLUSTER_ZOOM) - 1));
  const features = cells.map((c) => (c.members.length === 1 ? p.json[c.members[0]] : clusterJson(p, z, c)));
  return collection({ year: p.year, unlocated: p.unlocated, ...(b ? { bbox: b } : {}), zoom: z, cell: CELL_PX, numberMatched: idx.length, numberReturned: features.length, links }, features);
}

/** The first index whose key is after `cursor` (keys ascending). */
function after(keys: readonly string[], cursor: string): number {
  let [lo, hi] = [0, keys.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A page of every point after `cursor` ("" for the first); `next(cursor)` makes the href of the following page. */
export function pageText(p: MapPoints, cursor: string, next: (cursor: string) => string): string {
  const from = cursor === "" ? 0 : after(p.keys, cursor);
  let to = from;
  let bytes = 0;
  while (to < p.keys.length && to - from < PAGE_MAX && (to === from || bytes + p.bytes[to] + 1 <= PAGE_BYTES)) bytes += p.bytes[to++] + 1;
  const links: MapLink[] = to < p.keys.length ? [{ rel: "next", href: next(p.keys[to - 1]), type: "application/geo+json" }] : [];
  return collection({ year: p.year, unlocated: p.unlocated, numberMatched: p.keys.length, numberReturned: to - from, links }, p.json.slice(from, to));
}
