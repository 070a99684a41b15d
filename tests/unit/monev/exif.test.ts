import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readExif } from "../../../domain/monev/exif";
import { aJpeg } from "../../support/images";

/** A real JPEG with GPS and capture time written by libvips (sharp), as a phone camera would. */
async function withGps(format: "jpeg" | "png" | "webp", lat: string, lng: string, refs = ["S", "E"], when = "2027:02:01 10:15:30", offset?: string) {
  const img = sharp(await aJpeg(96, 64)).withExif({
    IFD0: { Make: "Uji", DateTime: "2027:02:02 08:00:00" },
    IFD2: { DateTimeOriginal: when, ...(offset ? { OffsetTimeOriginal: offset } : {}) },
    IFD3: { GPSLatitudeRef: refs[0], GPSLatitude: lat, GPSLongitudeRef: refs[1], GPSLongitude: lng },
  });
  return img[format]().toBuffer();
}

describe("EXIF of progress photos", () => {
  it("reads GPS position and capture time (WIB when the camera gives no zone) from a JPEG", async () => {
    const e = readExif(await withGps("jpeg", "7/1 14/1 1296/100", "111/1 50/1 2400/100"));
    expect(e.lat).toBeCloseTo(-(7 + 14 / 60 + 12.96 / 3600), 6);
    expect(e.lng).toBeCloseTo(111 + 50 / 60 + 24 / 3600, 6);
    expect(e.takenAt?.toISOString()).toBe("2027-02-01T03:15:30.000Z");
  });
  it("honours the camera's zone offset and the N/W references", async () => {
    const e = readExif(await withGps("jpeg", "1/1 30/1 0/1", "120/1 0/1 0/1", ["N", "W"], "2027:03:01 12:00:00", "+08:00"));
    expect(e).toMatchObject({ lat: 1.5, lng: -120 });
    expect(e.takenAt?.toISOString()).toBe("2027-03-01T04:00:00.000Z");
  });
  it("reads the same from PNG and WebP files", async () => {
    for (const f of ["png", "webp"] as const) {
      const e = readExif(await withGps(f, "7/1 0/1 0/1", "112/1 0/1 0/1"));
      expect([f, e.lat, e.lng]).toEqual([f, -7, 112]);
      expect(e.takenAt?.toISOString()).toBe("2027-02-01T03:15:30.000Z");
    }
  });
  it("gives nulls for a photo without EXIF or GPS, and for garbage", async () => {
    expect(readExif(await aJpeg(64, 48))).toEqual({ lat: null, lng: null, takenAt: null });
    const noGps = await sharp(await aJpeg(64, 48)).withExif({ IFD0: { DateTime: "2027:01:10 07:00:00" } }).jpeg().toBuffer();
    expect(readExif(noGps)).toMatchObject({ lat: null, lng: null });
    expect(readExif(noGps).takenAt?.toISOString()).toBe("2027-01-10T00:00:00.000Z");
    expect(readExif(Buffer.from("not an image at all"))).toEqual({ lat: null, lng: null, takenAt: null });
    const cut = await withGps("jpeg", "7/1 0/1 0/1", "112/1 0/1 0/1");
    expect(() => readExif(cut.subarray(0, 60))).not.toThrow();
  });
});
