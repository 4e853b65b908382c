import crypto from 'node:crypto';
import sharp from 'sharp';

/** Sizes of the generated photos: 1.2, 1.9 and 3.0 megapixels, landscape and portrait. */
const SIZES: Array<[number, number]> = [
  [1280, 960],
  [1600, 1200],
  [1200, 1600],
  [2000, 1500],
];

/**
 * A JPEG that compresses like a photo rather than a flat test card: smooth colour fields (a tiny random image
 * blown up) under fine grain (Gaussian noise, overlaid). Deterministic for a given index.
 */
export async function syntheticPhoto(index: number, scale = 1): Promise<Buffer> {
  const [fullWidth, fullHeight] = SIZES[index % SIZES.length]!;
  const [width, height] = [Math.round(fullWidth * scale), Math.round(fullHeight * scale)];
  const seed = crypto.createHash('sha256').update(`photo-${index}`).digest();
  const fields = await sharp(seed.subarray(0, 27), { raw: { width: 3, height: 3, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: { width, height, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 18 } },
  })
    .png()
    .toBuffer();
  return sharp(fields, { raw: { width, height, channels: 3 } })
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function syntheticPhotos(count: number, scale = 1): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (let index = 0; index < count; index++) photos.push(await syntheticPhoto(index, scale));
  return photos;
}

/**
 * The same JPEG with a comment segment (COM) right after its start marker: other bytes, the same pixels. A valid
 * file, unlike bytes appended after its end, which the API refuses as corrupt.
 */
export function taggedJpeg(jpeg: Buffer, tag: string): Buffer {
  const text = Buffer.from(tag, 'utf8');
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(2 + text.length, 2);
  text.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}
