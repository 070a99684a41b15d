import { useEffect, useRef, useState } from "react";
import { useRoot } from "~/hooks";
import type { BBox, ClusterProperties } from "../../domain/monev/map-view";

/**
 * The public map (/peta): Leaflet with the configured tiles and what /api/peta answers for the view: the
 * map opens on the year's extent (the collection's `bbox`), then asks for its viewport (`bbox` and `zoom`,
 * again after every move, debounced) and draws the answer — single points, and clusters where points are
 * dense, grouped on the server's grid (domain/monev/map-view.ts), each a numbered circle that zooms to its
 * points when tapped (ringed red when it holds a contract with an open kontrak kritis). Shapes tell the
 * kind (circle proposal, square sub-activity, triangle contract); colours the status and progress (see
 * `colorOf` and the legend on the page). A point's popup links to its page and to the complaint form at
 * that place. Everything the map shows is also in the list under it, rendered on the server.
 */

interface Feature {
  id: string;
  geometry: { coordinates: [number, number] };
  properties: { k: "u" | "s" | "c"; n: string; s: string; a?: string; b?: string; f?: string; x?: 1 };
}
interface ClusterFeature {
  id: string;
  bbox: BBox;
  geometry: { coordinates: [number, number] };
  properties: ClusterProperties;
}
interface Answer {
  features: (Feature | ClusterFeature)[];
  bbox?: BBox;
}
const isCluster = (f: Feature | ClusterFeature): f is ClusterFeature => "cluster" in f.properties;

export interface PetaLabels {
  kinds: Record<"u" | "s" | "c", string>;
  status: Record<string, string>;
  detail: string;
  report: string;
  absorption: string;
  physical: string;
  physicalNone: string;
  critical: string;
  loading: string;
  failed: string;
  label: string;
}

export const PETA_COLORS = { green: "#0b7a5f", blue: "#2f6db5", amber: "#c98a00", red: "#c0392b", grey: "#8a949c" } as const;

/** The colour of a point: by status for proposals, by absorption for sub-activities, by progress for contracts. */
export function colorOf(p: Feature["properties"]): string {
  if (p.k === "u") return ["adopted", "accepted"].includes(p.s) ? PETA_COLORS.green : ["not_prioritised", "rejected", "not_adopted"].includes(p.s) ? PETA_COLORS.grey : PETA_COLORS.blue;
  if (p.k === "s") return p.a === undefined ? PETA_COLORS.grey : Number(p.a) >= 50 ? PETA_COLORS.green : PETA_COLORS.amber;
  if (p.x) return PETA_COLORS.red;
  if (p.s === "completed") return PETA_COLORS.blue;
  if (p.s === "terminated") return PETA_COLORS.grey;
  return Number(p.f ?? 0) >= 50 ? PETA_COLORS.green : PETA_COLORS.amber;
}

export function shapeSvg(k: "u" | "s" | "c", color: string): string {
  const stroke = 'stroke="#fff" stroke-width="2"';
  if (k === "u") return `<svg width="18" height="18" viewBox="0 0 18 18"><circle cx="9" cy="9" r="7" fill="${color}" ${stroke}/></svg>`;
  if (k === "s") return `<svg width="18" height="18" viewBox="0 0 18 18"><rect x="2" y="2" width="14" height="14" rx="2" fill="${color}" ${stroke}/></svg>`;
  return `<svg width="20" height="18" viewBox="0 0 20 18"><path d="M10 1 L19 17 L1 17 Z" fill="${color}" ${stroke}/></svg>`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function popupHtml(f: Feature, l: PetaLabels, year: number): string {
  const p = f.properties;
  const [lng, lat] = f.geometry.coordinates;
  const detail = p.k === "u" ? `/usulan/${encodeURIComponent(f.id)}` : p.k === "c" ? `/kontrak/${f.id}` : `/rkpd/${year}`;
  const status = l.status[`${p.k}.${p.s}`] ?? p.s;
  const lines = [`<strong>${esc(p.n)}</strong>`, `<span>${esc(l.kinds[p.k])} · ${esc(status)}</span>`];
  if (p.k === "s" && p.a !== undefined) lines.push(`<span>${esc(l.absorption.replace("{percent}", `${p.a}%`))}</span>`);
  if (p.k === "c") {
    lines.push(`<span>${esc(p.f !== undefined ? l.physical.replace("{percent}", `${p.f}%`) : l.physicalNone)}</span>`);
    if (p.x) lines.push(`<strong style="color:${PETA_COLORS.red}">${esc(l.critical)}</strong>`);
  }
  lines.push(`<a href="${detail}" data-testid="popup-detail">${esc(l.detail)}</a>`);
  // A contract's report is about the contract itself (it then shows on the contract's page); elsewhere about the place.
  lines.push(`<a href="${p.k === "c" ? `/lapor?kontrak=${encodeURIComponent(f.id)}` : `/lapor?lat=${lat}&amp;lng=${lng}`}">${esc(l.report)}</a>`);
  return `<div class="peta-popup" style="display:flex;flex-direction:column;gap:4px">${lines.join("")}</div>`;
}

export function PetaMap({ query, labels, year }: { query: string; labels: PetaLabels; year: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const { map } = useRoot();
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  useEffect(() => {
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    const get = (q: string, signal?: AbortSignal) => fetch(`/api/peta?${q}`, { signal }).then((r) => (r.ok ? (r.json() as Promise<Answer>) : Promise.reject(new Error(String(r.status)))));
    // The first answer (the whole year, or a large year's overview) only tells where the points are.
    Promise.all([import("leaflet"), get(query)])
      .then(([mod, first]) => {
        const L = (mod as unknown as { default?: typeof mod }).default ?? mod;
        const el = ref.current;
        if (cancelled || !el) return;
        const m = L.map(el, { zoomControl: true });
        L.tileLayer(map.tileUrl, { maxZoom: 19, attribution: map.attribution }).addTo(m);
        // Opens on the points (without animation, so that the first drawing is at the final zoom), else where maps open.
        const b = first.bbox;
        if (b) m.fitBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]).pad(0.05), { maxZoom: 15, animate: false });
        else m.setView(map.center, map.zoom);
        // Clusters are redrawn at every answer; single markers are kept while they stay single, so that an
        // open popup (whose auto-pan moves the map) is not closed under the reader.
        const clusters = L.layerGroup().addTo(m);
        const singles = new Map<string, ReturnType<typeof L.marker>>();
        const draw = (features: Answer["features"]) => {
          clusters.clearLayers();
          const keep = new Set<string>();
          for (const f of features) {
            const at = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
            if (!isCluster(f)) {
              const key = `${f.properties.k}:${f.id}`;
              keep.add(key);
              if (singles.has(key)) continue;
              const icon = L.divIcon({ html: shapeSvg(f.properties.k, colorOf(f.properties)), className: "peta-marker", iconSize: [20, 18], iconAnchor: [10, 9] });
              singles.set(key, L.marker(at, { icon, title: f.properties.n, alt: f.properties.n, keyboard: true }).bindPopup(popupHtml(f, labels, year)).addTo(m));
              continue;
            }
            const n = f.properties.count;
            const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
            const ring = f.properties.x ? PETA_COLORS.red : "#fff";
            const icon = L.divIcon({
              html: `<span data-u="${f.properties.u}" data-s="${f.properties.s}" data-c="${f.properties.c}" style="display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px;border-radius:50%;background:rgba(11,93,75,.85);color:#fff;font-weight:600;font-size:12px;border:2px solid ${ring}">${n}</span>`,
              className: "peta-cluster",
              iconSize: [size, size],
              iconAnchor: [size / 2, size / 2],
            });
            const [w, s, e, no] = f.bbox;
            const title = `${n}: ${(["u", "s", "c"] as const).map((k) => `${labels.kinds[k]} ${f.properties[k]}`).join(", ")}`;
            L.marker(at, { icon, title, keyboard: true })
              .on("click", () => m.fitBounds(L.latLngBounds([s, w], [no, e]).pad(0.1), { maxZoom: Math.min(m.getZoom() + 3, 19) }))
              .addTo(clusters);
          }
          for (const [key, marker] of singles) {
            if (keep.has(key)) continue;
            marker.remove();
            singles.delete(key);
          }
        };
        // The view's answer: its bounds padded by a fifth (points just outside are drawn too, for panning).
        let timer: ReturnType<typeof setTimeout> | undefined;
        let inflight: AbortController | null = null;
        let drawn = false;
        const refresh = () => {
          inflight?.abort();
          const ctl = (inflight = new AbortController());
          const v = m.getBounds().pad(0.2);
          const clamp = (x: number, lim: number) => Math.max(-lim, Math.min(lim, x)).toFixed(5);
          const bbox = [clamp(v.getWest(), 180), clamp(v.getSouth(), 85), clamp(v.getEast(), 180), clamp(v.getNorth(), 85)].join(",");
          el.dataset.busy = "1";
          get(`${query}&bbox=${bbox}&zoom=${Math.max(0, Math.min(22, Math.round(m.getZoom())))}`, ctl.signal)
            .then((a) => {
              if (cancelled || ctl.signal.aborted) return;
              draw(a.features);
              el.dataset.busy = "0";
              if (!drawn) setState("ready");
              drawn = true;
            })
            .catch(() => {
              if (cancelled || ctl.signal.aborted) return;
              el.dataset.busy = "0";
              if (!drawn) setState("failed");
            });
        };
        m.on("moveend", () => {
          clearTimeout(timer);
          timer = setTimeout(refresh, 150);
        });
        refresh();
        cleanup = () => {
          clearTimeout(timer);
          inflight?.abort();
          m.remove();
        };
      })
      .catch(() => {
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [map, query, labels, year]);
  return (
    <>
      <div ref={ref} className="peta-map" data-testid="peta-map" data-state={state} role="region" aria-label={labels.label} style={{ height: 420, borderRadius: 6, border: "1px solid var(--line)", background: "#e8eef0" }} />
      {state === "loading" ? (
        <p className="muted" role="status">
          {labels.loading}
        </p>
      ) : state === "failed" ? (
        <p className="muted" role="status">
          {labels.failed}
        </p>
      ) : null}
    </>
  );
}
