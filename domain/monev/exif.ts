/**
 * Reads the few EXIF fields a progress photo is checked by — GPS latitude/longitude and the capture time —
 * from the bytes of a JPEG (APP1 "Exif"), PNG (eXIf chunk) or WebP (EXIF chunk). Pure and defensive: a
 * missing, truncated or malformed block yields nulls, never an exception.
 */

export interface PhotoExif {
  lat: number | null;
  lng: number | null;
  /** Capture time (DateTimeOriginal, else DateTime), with OffsetTimeOriginal when present, else `defaultOffset`. */
  takenAt: Date | null;
}

const NONE: PhotoExif = { lat: null, lng: null, takenAt: null };

/** Finds the TIFF block (starting "II*\0" or "MM\0*") inside an image's bytes. */
export function tiffBlock(b: Buffer): Buffer | null {
  // JPEG: markers after SOI until the start of scan.
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length && b[i] === 0xff) {
      const marker = b[i + 1];
      if (marker === 0xda || marker === 0xd9) break;
      const len = b.readUInt16BE(i + 2);
      if (len < 2) break;
      if (marker === 0xe1 && b.toString("latin1", i + 4, i + 10) === "Exif\0\0") return b.subarray(i + 10, Math.min(b.length, i + 2 + len));
      i += 2 + len;
    }
    return null;
  }
  // PNG: length, type, data, crc.
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504e47) {
    let i = 8;
    while (i + 8 <= b.length) {
      const len = b.readUInt32BE(i);
      const type = b.toString("latin1", i + 4, i + 8);
      if (type === "eXIf") return stripExifHeader(b.subarray(i + 8, Math.min(b.length, i + 8 + len)));
      if (type === "IEND") break;
      i += 12 + len;
    }
    return null;
  }
  // WebP: RIFF container of chunks, padded to even sizes.
  if (b.length > 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
    let i = 12;
    while (i + 8 <= b.length) {
      const type = b.toString("latin1", i, i + 4);
      const len = b.readUInt32LE(i + 4);
      if (type === "EXIF") return stripExifHeader(b.subarray(i + 8, Math.min(b.length, i + 8 + len)));
      i += 8 + len + (len % 2);
    }
  }
  return null;
}

function stripExifHeader(t: Buffer): Buffer {
  return t.toString("latin1", 0, 6) === "Exif\0\0" ? t.subarray(6) : t;
}

const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

interface Entry {
  type: number;
  count: number;
  /** Offset of the value (inline or pointed to) within the TIFF block. */
  at: number;
}

function readIfd(t: Buffer, le: boolean, offset: number): Map<number, Entry> {
  const out = new Map<number, Entry>();
  if (offset < 8 || offset + 2 > t.length) return out;
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  const n = u16(offset);
  for (let k = 0; k < n; k++) {
    const e = offset + 2 + k * 12;
    if (e + 12 > t.length) break;
    const type = u16(e + 2);
    const count = u32(e + 4);
    const size = (SIZES[type] ?? 0) * count;
    if (!size) continue;
    const at = size <= 4 ? e + 8 : u32(e + 8);
    if (at + size > t.length) continue;
    out.set(u16(e), { type, count, at });
  }
  return out;
}

/** Reads EXIF GPS position and capture time. `defaultOffset` is the zone of a capture time without one (WIB). */
export function readExif(bytes: Buffer, defaultOffset = "+07:00"): PhotoExif {
  try {
    const t = tiffBlock(bytes);
    if (!t || t.length < 8) return NONE;
    const order = t.toString("latin1", 0, 2);
    if (order !== "II" && order !== "MM") return NONE;
    const le = order === "II";
    const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
    const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
    if (u16(2) !== 42) return NONE;
    const ifd0 = readIfd(t, le, u32(4));
    const pointer = (e: Entry | undefined) => (e && (e.type === 4 || e.type === 3) ? (e.type === 4 ? u32(e.at) : u16(e.at)) : 0);
    const exif = readIfd(t, le, pointer(ifd0.get(0x8769)));
    const gps = readIfd(t, le, pointer(ifd0.get(0x8825)));
    const ascii = (e: Entry | undefined) => (e && e.type === 2 ? t.toString("latin1", e.at, e.at + e.count).replace(/\0.*$/s, "").trim() : "");
    const rationals = (e: Entry | undefined) => {
      if (!e || (e.type !== 5 && e.type !== 10) || e.count < 1) return null;
      const out: number[] = [];
      for (let k = 0; k < e.count; k++) {
        const num = e.type === 5 ? u32(e.at + 8 * k) : (le ? t.readInt32LE(e.at + 8 * k) : t.readInt32BE(e.at + 8 * k));
        const den = e.type === 5 ? u32(e.at + 8 * k + 4) : (le ? t.readInt32LE(e.at + 8 * k + 4) : t.readInt32BE(e.at + 8 * k + 4));
        if (den === 0) return null;
        out.push(num / den);
      }
      return out;
    };
    const coord = (valueTag: number, refTag: number, neg: string, max: number) => {
      const v = rationals(gps.get(valueTag));
      if (!v) return null;
      const deg = v[0] + (v[1] ?? 0) / 60 + (v[2] ?? 0) / 3600;
      if (!Number.isFinite(deg) || deg > max) return null;
      const signed = ascii(gps.get(refTag)).toUpperCase() === neg ? -deg : deg;
      return Math.round(signed * 1e6) / 1e6;
    };
    let lat = coord(2, 1, "S", 90);
    let lng = coord(4, 3, "W", 180);
    if (lat === null || lng === null) lat = lng = null;
    const when = ascii(exif.get(0x9003)) || ascii(ifd0.get(0x0132));
    const zone = ascii(exif.get(0x9011)) || ascii(exif.get(0x9010)) || defaultOffset;
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(when);
    let takenAt: Date | null = null;
    if (m && /^[+-]\d{2}:\d{2}$/.test(zone)) {
      const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
      takenAt = Number.isNaN(d.getTime()) ? null : d;
    }
    return { lat, lng, takenAt };
  } catch {
    return NONE;
  }
}

/** The image type the bytes really are (JPEG, PNG or WebP by their signatures), or null. */
export function sniffImageType(b: Buffer): "image/jpeg" | "image/png" | "image/webp" | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return "image/png";
  if (b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return null;
}
