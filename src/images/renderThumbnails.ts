import sharp, { type Sharp } from 'sharp';

export interface ThumbnailOptions {
  /** Long-side sizes in pixels, ascending. An image smaller than a size is never enlarged. */
  sizes: number[];
  format: 'webp' | 'jpeg';
  /** Encoder quality, 1-100. */
  quality: number;
}

export interface RenderedThumbnail {
  size: number;
  width: number;
  height: number;
  data: Buffer;
}

export interface RenderedImage {
  /** As a viewer sees it: after EXIF orientation. */
  width: number;
  height: number;
  format: string;
  /** `#rrggbb` of the most common colour. */
  dominantColor: string;
  /** A 16 px blurred preview as a data URL, small enough to inline in a list response. */
  placeholder: string;
  thumbnails: RenderedThumbnail[];
}

/** The image is not one this service can decode: another attempt cannot help. */
export class UndecodableImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableImageError';
  }
}

const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'gif', 'webp']);

// The input is in memory, so a decoding error is about the image itself, except running out of memory.
const TRANSIENT = /out of memory/i;

/** The dimensions of `image` shrunk to fit a `size` square, never enlarged. */
export function fitInside(image: { width: number; height: number }, size: number): { width: number; height: number } {
  const scale = Math.min(1, size / Math.max(image.width, image.height));
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

const hex = (value: number) => value.toString(16).padStart(2, '0');

/**
 * The decoder for one original: the first frame of an animation, a pixel limit that refuses a decompression bomb
 * before it is decoded, and a hard failure on corrupt data instead of a grey half-image.
 */
export function imageDecoder(original: Buffer, maxPixels: number): Sharp {
  return sharp(original, { limitInputPixels: maxPixels, animated: false, failOn: 'error', sequentialRead: true });
}

/**
 * Renders the thumbnail set of one image and measures it. The original is decoded once, oriented, converted to
 * 8-bit sRGB (CMYK and 16-bit inputs included) and shrunk to the largest size; the smaller sizes, the colour
 * statistics and the placeholder all come from that one rendition. Outputs carry no metadata: sharp copies none
 * unless asked, so EXIF (GPS included), XMP and comments never reach a thumbnail.
 *
 * `onThumbnail` sees each thumbnail as soon as it is encoded (not in size order), so the caller can store it and
 * report progress; the result lists them in the order of `options.sizes`.
 */
export async function renderThumbnails(
  decoder: Sharp,
  options: ThumbnailOptions,
  onThumbnail: (thumbnail: RenderedThumbnail) => Promise<void> = async () => undefined,
): Promise<RenderedImage> {
  const metadata = await decoding(decoder.clone().metadata());
  if (!metadata.format || !SUPPORTED_FORMATS.has(metadata.format)) {
    throw new UndecodableImageError(`Unsupported image format: ${metadata.format ?? 'unknown'}.`);
  }
  // `autoOrient` swaps width and height for EXIF orientations 5-8: the dimensions a viewer sees.
  const { width, height } = metadata.autoOrient ?? metadata;
  const seen = { width: width ?? 1, height: height ?? 1 };
  const largest = fitInside(seen, Math.max(...options.sizes));
  const base = await decoding(
    decoder
      .clone()
      .rotate()
      .resize({ ...largest, fit: 'fill' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } };
  const fromBase = () => sharp(base.data, raw);

  // The sizes are encoded at once (libvips spreads them over its threads: a lone image is done sooner), each handed
  // on as soon as it is ready; the colour statistics and the placeholder come from the same rendition meanwhile.
  const encode = async (size: number): Promise<RenderedThumbnail> => {
    // Sizes come from the original's dimensions, so each is what resizing the original itself would give.
    let image = fromBase().resize({ ...fitInside(seen, size), fit: 'fill' });
    // JPEG has no alpha: transparent areas become white rather than black.
    if (options.format === 'jpeg') image = image.flatten({ background: '#ffffff' });
    const { data, info } = await image
      .toFormat(options.format, { quality: options.quality })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = { size, width: info.width, height: info.height, data };
    await onThumbnail(thumbnail);
    return thumbnail;
  };
  const [thumbnails, { dominant }, placeholder] = await Promise.all([
    Promise.all(options.sizes.map(encode)),
    fromBase().stats(),
    fromBase().resize({ width: 16, height: 16, fit: 'inside' }).blur(1).webp({ quality: 40 }).toBuffer(),
  ]);
  return {
    width: seen.width,
    height: seen.height,
    format: metadata.format,
    dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
    placeholder: `data:image/webp;base64,${placeholder.toString('base64')}`,
    thumbnails,
  };
}

/**
 * Reading the header and decoding the pixels are the only steps that see the original's bytes: their failures say
 * the image is bad. Everything after works on decoded pixels, and `onThumbnail`'s own errors (storage) pass as
 * they are, to be retried.
 */
async function decoding<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Error && !TRANSIENT.test(error.message))
      throw new UndecodableImageError(`The image cannot be decoded: ${error.message}`);
    throw error;
  }
}
