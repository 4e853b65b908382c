import sharp from 'sharp';
import { LABELLED_PHOTOS, MATE_BACKGROUNDS, SCIKIT_IMAGE, SCIKIT_LEARN } from './labelledPhotos';
import { cachedPhotos, type CachedPhoto } from './photoCache';

/**
 * The real photographs of the retrieval benchmark: those of the labelled set (bench/labelledPhotos.ts) from three
 * archives, sorted by name, 23 in all. From scikit-image 0.26.0, the photographs of scenes and objects; left out are
 * its test patterns and drawings (chessboard_*, color, logo, horse, phantom, the animation no_time_for_that_tiny.gif),
 * microscopy and medical images (cell, ihc, microaneurysms, retina), texture tiles (brick, grass, gravel), documents
 * (page, text), clock_motion (a motion-blurred grey frame with little to find) and motorcycle_right (the other half of
 * a stereo pair with motorcycle_left: a near-duplicate that is no alteration would blur the benchmark's ground
 * truth). From scikit-learn 1.9.1, both of its sample photographs; from mate-backgrounds 1.26.0-1, all twelve nature
 * photographs. The first call downloads the three archives (about 70 MB); see cachedPhotos for where they are kept.
 */
export function realPhotos(): Promise<CachedPhoto[]> {
  const archives = [SCIKIT_IMAGE, SCIKIT_LEARN, MATE_BACKGROUNDS];
  return cachedPhotos(
    'retrieval-photos',
    LABELLED_PHOTOS.filter((photo) => archives.includes(photo.archive)),
  );
}

/** The altered copies made of every photo, in the order `alteredCopies` returns them. */
export const ALTERATIONS = ['crop 80 %', 'rotate 10°', 'brightness +30 %', 'JPEG quality 40', 'greyscale'] as const;

export type Alteration = (typeof ALTERATIONS)[number];

const ROTATION_DEGREES = 10;

/**
 * Five altered copies of a photo, one per entry of `ALTERATIONS`, as JPEGs of quality 90 (but the quality-40
 * one): the centre 80 % of its width and height; turned 10° clockwise and cropped back to the largest centred
 * rectangle of the photo's aspect ratio with no filled corners (as one straightens a photo: the copy holds no
 * artificial borders, and shows about 80 % of each side); 30 % brighter; re-encoded at quality 40; greyscale
 * (three equal channels: sharp writes sRGB).
 */
export async function alteredCopies(photo: Buffer): Promise<Array<{ alteration: Alteration; data: Buffer }>> {
  const { autoOrient } = await sharp(photo).metadata();
  const { width, height } = autoOrient;
  const upright = () => sharp(photo).autoOrient();
  const jpeg = (image: sharp.Sharp) => image.jpeg({ quality: 90 }).toBuffer();
  const copies: Record<Alteration, Promise<Buffer>> = {
    'crop 80 %': jpeg(upright().extract(centred(width, height, 0.8))),
    'rotate 10°': rotatedCrop(photo, width, height).then(jpeg),
    'brightness +30 %': jpeg(upright().modulate({ brightness: 1.3 })),
    'JPEG quality 40': upright().jpeg({ quality: 40 }).toBuffer(),
    greyscale: jpeg(upright().greyscale()),
  };
  return Promise.all(ALTERATIONS.map(async (alteration) => ({ alteration, data: await copies[alteration] })));
}

/** The centred rectangle of `scale` times the width and height of a width × height image. */
function centred(width: number, height: number, scale: number) {
  const [cropWidth, cropHeight] = [Math.floor(width * scale), Math.floor(height * scale)];
  return {
    left: Math.floor((width - cropWidth) / 2),
    top: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  };
}

/**
 * The photo turned by ROTATION_DEGREES, cut to the largest centred rectangle of its own aspect ratio inside the
 * turned photo. A centred rectangle scaled by s fits when s·(W·cos θ + H·sin θ) ≤ W and s·(W·sin θ + H·cos θ) ≤ H.
 */
async function rotatedCrop(photo: Buffer, width: number, height: number): Promise<sharp.Sharp> {
  const theta = (ROTATION_DEGREES * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const scale = Math.min(width / (width * cos + height * sin), height / (width * sin + height * cos));
  const { data, info } = await sharp(photo)
    .autoOrient()
    .rotate(ROTATION_DEGREES)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Two pixels less on each side keep the edge pixels that interpolation blended with the fill out.
  const inner = centred(width, height, scale);
  const crop = {
    left: Math.floor((info.width - inner.width) / 2) + 2,
    top: Math.floor((info.height - inner.height) / 2) + 2,
    width: inner.width - 4,
    height: inner.height - 4,
  };
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract(crop);
}
