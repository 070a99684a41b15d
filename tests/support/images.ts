import sharp from "sharp";

/** A real JPEG of the given size (a coloured gradient), made on the spot. */
export async function aJpeg(width = 640, height = 480, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * seed) % 256;
      raw[i + 1] = (y * 2) % 256;
      raw[i + 2] = (x + y + seed * 40) % 256;
    }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}
