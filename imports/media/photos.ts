import { createHash } from "node:crypto";
import sharp from "sharp";
import { fileTypeFromBuffer } from "file-type";
import { DomainError } from "../../domain/kernel/domain-error";
import type { ProcessedPhoto } from "../../domain/musrenbang/photos";
import { PHOTO_MAX, PHOTO_MAX_BYTES, PHOTO_TYPES } from "../../domain/musrenbang/vocabulary";

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

/**
 * Checks uploaded photos at the edge: count, size, the real content type sniffed from the bytes (the
 * browser's claim and the file name are ignored), a sha256 checksum, the pixel size, and a 320 px WebP
 * thumbnail. A file that is not a decodable JPEG, PNG or WebP is refused by name.
 */
export async function processPhotos(files: UploadedFile[]): Promise<ProcessedPhoto[]> {
  const real = files.filter((f) => f.bytes.length > 0);
  if (real.length > PHOTO_MAX) throw new DomainError("musrenbang.photo.tooMany", { max: PHOTO_MAX, have: 0 }, "invalid", "photos");
  const out: ProcessedPhoto[] = [];
  for (const f of real) {
    const name = f.name.replace(/[^\w.\- ()]/g, "_").slice(0, 120) || "foto";
    if (f.bytes.length > PHOTO_MAX_BYTES) throw new DomainError("musrenbang.photo.tooLarge", { name, maxMb: 5 }, "invalid", "photos");
    const type = await fileTypeFromBuffer(f.bytes);
    const mime = PHOTO_TYPES.find((t) => t === type?.mime);
    if (!mime) throw new DomainError("musrenbang.photo.type", { name }, "invalid", "photos");
    let width: number;
    let height: number;
    let thumb: Buffer;
    try {
      const img = sharp(f.bytes, { failOn: "error" });
      const meta = await img.metadata();
      width = meta.width ?? 0;
      height = meta.height ?? 0;
      thumb = await sharp(f.bytes).rotate().resize({ width: 320, height: 320, fit: "inside", withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
    } catch {
      throw new DomainError("musrenbang.photo.type", { name }, "invalid", "photos");
    }
    if (!width || !height) throw new DomainError("musrenbang.photo.type", { name }, "invalid", "photos");
    out.push({
      filename: name,
      contentType: mime,
      size: f.bytes.length,
      sha256: createHash("sha256").update(f.bytes).digest("hex"),
      width,
      height,
      data: f.bytes,
      thumb,
    });
  }
  return out;
}
