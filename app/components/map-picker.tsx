import { useEffect, useRef } from "react";
import { useRoot, useT } from "~/hooks";

/**
 * Picks a point by tapping a map (Leaflet; tiles from MAP_TILE_URL). It fills the form's `lat` and
 * `lng` fields, which stay editable by hand, so the form works without the map or its tiles.
 */
export function MapPicker() {
  const ref = useRef<HTMLDivElement>(null);
  const { map } = useRoot();
  const t = useT();
  useEffect(() => {
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    import("leaflet").then((mod) => {
      const L = (mod as unknown as { default?: typeof mod }).default ?? mod;
      const el = ref.current;
      const form = el?.closest("form");
      if (cancelled || !el || !form) return;
      const lat = form.elements.namedItem("lat") as HTMLInputElement | null;
      const lng = form.elements.namedItem("lng") as HTMLInputElement | null;
      if (!lat || !lng) return;
      const has = lat.value.trim() !== "" && lng.value.trim() !== "";
      const start: [number, number] = has ? [Number(lat.value), Number(lng.value)] : map.center;
      const m = L.map(el, { zoomControl: true }).setView(start, has ? 16 : map.zoom);
      L.tileLayer(map.tileUrl, { maxZoom: 19, attribution: map.attribution }).addTo(m);
      let marker = has ? L.circleMarker(start, { radius: 8 }).addTo(m) : null;
      m.on("click", (e: { latlng: { lat: number; lng: number } }) => {
        lat.value = e.latlng.lat.toFixed(6);
        lng.value = e.latlng.lng.toFixed(6);
        marker?.remove();
        marker = L.circleMarker([e.latlng.lat, e.latlng.lng], { radius: 8 }).addTo(m);
      });
      cleanup = () => m.remove();
    });
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [map]);
  return <div ref={ref} className="map-picker" data-testid="map-picker" role="application" aria-label={t("mus.field.mapHelp")} />;
}
