import { describe, expect, it } from "vitest";
import { farFromSite, haversineMetres } from "../../../domain/monev/geo";

describe("distance from the site", () => {
  it("measures great-circle distances in metres", () => {
    // one degree of latitude ≈ 111.2 km
    expect(haversineMetres({ lat: -7, lng: 111.9 }, { lat: -8, lng: 111.9 })).toBeCloseTo(111_195, -1);
    // Bojonegoro alun-alun to Dander (≈ 9.6 km)
    const d = haversineMetres({ lat: -7.150975, lng: 111.881645 }, { lat: -7.236, lng: 111.84 });
    expect(d).toBeGreaterThan(10_000);
    expect(d).toBeLessThan(11_000);
    expect(haversineMetres({ lat: -7.2, lng: 111.8 }, { lat: -7.2, lng: 111.8 })).toBe(0);
  });
  it("flags a point beyond the threshold (default 500 m), never when a position is unknown", () => {
    const site = { lat: -7.2, lng: 111.8 };
    expect(farFromSite(site, { lat: -7.204, lng: 111.8 })).toBe(false); // ≈ 445 m
    expect(farFromSite(site, { lat: -7.205, lng: 111.8 })).toBe(true); // ≈ 556 m
    expect(farFromSite(site, { lat: -7.205, lng: 111.8 }, 600)).toBe(false);
    expect(farFromSite(null, { lat: 0, lng: 0 })).toBe(false);
    expect(farFromSite(site, null)).toBe(false);
  });
});
