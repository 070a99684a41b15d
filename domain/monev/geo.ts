/** Distances on the earth for photo positions. Pure. */

/** The default distance (metres) beyond which a progress photo is flagged as far from the site. */
export const FAR_FROM_SITE_METRES = 500;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

export interface LatLng {
  lat: number;
  lng: number;
}

/** Great-circle distance in metres (haversine, mean earth radius). */
export function haversineMetres(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when the point is farther than `thresholdM` metres from the site (never when either is unknown). */
export function farFromSite(site: LatLng | null, point: LatLng | null, thresholdM = FAR_FROM_SITE_METRES): boolean {
  if (!site || !point) return false;
  return haversineMetres(site, point) > thresholdM;
}
