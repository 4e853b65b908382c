import sharp from 'sharp';
import type { AiProvider, ImageForAi } from './aiProvider';

const NAMED_COLOURS: Array<[name: string, r: number, g: number, b: number]> = [
  ['black', 0, 0, 0],
  ['white', 255, 255, 255],
  ['grey', 128, 128, 128],
  ['red', 200, 30, 30],
  ['orange', 240, 140, 20],
  ['yellow', 235, 220, 40],
  ['green', 40, 160, 60],
  ['teal', 20, 150, 150],
  ['blue', 30, 80, 210],
  ['purple', 130, 50, 170],
  ['pink', 240, 130, 180],
  ['brown', 120, 75, 40],
];

function nearestColourName(r: number, g: number, b: number): string {
  let best = NAMED_COLOURS[0]!;
  let bestDistance = Infinity;
  for (const colour of NAMED_COLOURS) {
    const distance = (colour[1] - r) ** 2 + (colour[2] - g) ** 2 + (colour[3] - b) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [colour, distance];
  }
  return best[0];
}

const BINS = 4; // colour histogram bins per channel: 64 colour bins
const ORIENTATIONS = 12; // edge orientation bins over 0-180°: stripes, columns, checks, smooth
const GRID = 4; // luminance grid side: coarse layout of light and dark
const SIDE = 64; // the embedding reads a 64×64 rendition of the thumbnail
// How much each part weighs once each is normalised on its own: colour first, then texture, then layout.
const WEIGHTS = { colour: 0.7, texture: 0.55, layout: 0.3 };
const DIMENSIONS = BINS ** 3 + ORIENTATIONS + GRID * GRID;

function l2Normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

/** Edge strength by orientation on a greyscale image (central differences): what kind of texture it has. */
function orientationHistogram(grey: Buffer, side: number): number[] {
  const histogram = new Array<number>(ORIENTATIONS).fill(0);
  for (let y = 1; y < side - 1; y++) {
    for (let x = 1; x < side - 1; x++) {
      const gx = grey[y * side + x + 1]! - grey[y * side + x - 1]!;
      const gy = grey[(y + 1) * side + x]! - grey[(y - 1) * side + x]!;
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      const angle = (Math.atan2(gy, gx) + Math.PI) % Math.PI; // 0..π: an edge and its opposite are the same
      histogram[Math.min(ORIENTATIONS - 1, Math.floor((angle / Math.PI) * ORIENTATIONS))]! += magnitude;
    }
  }
  return histogram;
}

/**
 * Needs no network and is deterministic: the description is built from measured facts (orientation, size,
 * dominant colours, brightness, sharpness), and the embedding from the pixels themselves, so visually similar
 * images land near each other: a colour histogram (square-rooted, so one colour cannot drown the rest), a histogram
 * of edge orientations (texture, whatever its scale) and a coarse luminance grid (layout), each L2-normalised and
 * weighted, then the whole L2-normalised.
 */
export class LocalAiProvider implements AiProvider {
  readonly name = `local-v2-${DIMENSIONS}d`;

  async describe(image: ImageForAi): Promise<string> {
    const stats = await sharp(image.thumbnail).removeAlpha().stats();
    const [red, green, blue] = stats.channels;
    const brightness = (0.2126 * red!.mean + 0.7152 * green!.mean + 0.0722 * blue!.mean) / 255;
    const orientation =
      image.width > image.height * 1.05 ? 'landscape' : image.height > image.width * 1.05 ? 'portrait' : 'square';
    const tone = brightness < 0.3 ? 'dark' : brightness > 0.7 ? 'bright' : 'evenly lit';
    const focus =
      stats.sharpness > 2 ? 'sharp, detailed' : stats.sharpness > 0.5 ? 'softly detailed' : 'smooth, uniform';
    const dominant = nearestColourName(stats.dominant.r, stats.dominant.g, stats.dominant.b);
    const average = nearestColourName(red!.mean, green!.mean, blue!.mean);
    const palette = dominant === average ? `${dominant} tones` : `${dominant} tones with ${average} overall`;
    return `A ${tone}, ${focus} ${orientation} ${image.format.toUpperCase()} image of ${image.width}x${image.height} pixels, dominated by ${palette}.`;
  }

  /** The commonest tone, colour and orientation among the descriptions, e.g. "Bright blue landscapes". */
  async nameCluster(descriptions: string[]): Promise<string> {
    const commonest = (pattern: RegExp) => {
      const counts = new Map<string, number>();
      for (const description of descriptions) {
        const found = pattern.exec(description)?.[1];
        if (found) counts.set(found, (counts.get(found) ?? 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    };
    const tone = commonest(/^A (dark|bright|evenly lit),/);
    const colour = commonest(/dominated by (\w+) tones/);
    const orientation = commonest(/ (landscape|portrait|square) /);
    const words = [tone === 'evenly lit' ? undefined : tone, colour, orientation ? `${orientation}s` : 'images']
      .filter(Boolean)
      .join(' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const rendition = sharp(image.thumbnail).removeAlpha().toColourspace('srgb').resize(SIDE, SIDE, { fit: 'fill' });
    const [rgb, grey, grid] = await Promise.all([
      rendition.clone().raw().toBuffer(),
      rendition.clone().greyscale().raw().toBuffer(),
      rendition.clone().greyscale().resize(GRID, GRID, { fit: 'fill' }).raw().toBuffer(),
    ]);
    const colours = new Array<number>(BINS ** 3).fill(0);
    const shift = 8 - Math.log2(BINS); // 0-255 to a bin index
    for (let offset = 0; offset < rgb.length; offset += 3) {
      colours[((rgb[offset]! >> shift) * BINS + (rgb[offset + 1]! >> shift)) * BINS + (rgb[offset + 2]! >> shift)]! +=
        1;
    }
    const gridMean = grid.reduce((sum, value) => sum + value, 0) / grid.length;
    const weighted = (vector: number[], weight: number) => l2Normalise(vector).map((value) => value * weight);
    return l2Normalise([
      ...weighted(colours.map(Math.sqrt), WEIGHTS.colour),
      ...weighted(orientationHistogram(grey, SIDE), WEIGHTS.texture),
      ...weighted(
        Array.from(grid, (value) => value - gridMean),
        WEIGHTS.layout,
      ),
    ]);
  }
}
