import sharp from 'sharp';
import { capitalised, withArticle } from './english';
import { unitVector } from './unitVector';
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
const SIDE = 64; // both steps read a 64×64 rendition of the thumbnail
// How much each part weighs once each is normalised on its own: colour first, then texture, then layout.
const WEIGHTS = { colour: 0.7, texture: 0.55, layout: 0.3 };
const DIMENSIONS = BINS ** 3 + ORIENTATIONS + GRID * GRID;
// Laplacian deviation (on 0-255 grey, the kernel scaled by 1/9 as libvips' own sharpness is) above which an image
// reads as sharp, and as softly detailed. Calibrated so that smooth photos, gradients, blurred photos, stripes and
// checks read as they did when measured on the whole 256 px thumbnail (where the thresholds were 2 and 0.5).
const SHARPNESS = { detailed: 3.5, soft: 0.6 };

/** A SIDE×SIDE sRGB rendition (3 bytes a pixel) and its Rec. 709 luminance. */
interface Rendition {
  rgb: Buffer;
  grey: Float32Array;
}

async function renditionOf(thumbnail: Buffer): Promise<Rendition> {
  const rgb = await sharp(thumbnail)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(SIDE, SIDE, { fit: 'fill' })
    .raw()
    .toBuffer();
  const grey = new Float32Array(SIDE * SIDE);
  for (let pixel = 0; pixel < grey.length; pixel++) {
    grey[pixel] = 0.2126 * rgb[pixel * 3]! + 0.7152 * rgb[pixel * 3 + 1]! + 0.0722 * rgb[pixel * 3 + 2]!;
  }
  return { rgb, grey };
}

/** Mean of each channel, and the commonest colour (the centre of the fullest of 16×16×16 bins). */
function colourFacts(rgb: Buffer): { mean: [number, number, number]; dominant: [number, number, number] } {
  const sums = [0, 0, 0];
  const bins = new Uint32Array(4096);
  for (let offset = 0; offset < rgb.length; offset += 3) {
    const [r, g, b] = [rgb[offset]!, rgb[offset + 1]!, rgb[offset + 2]!];
    sums[0]! += r;
    sums[1]! += g;
    sums[2]! += b;
    bins[((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4)]! += 1;
  }
  let fullest = 0;
  for (let bin = 1; bin < bins.length; bin++) if (bins[bin]! > bins[fullest]!) fullest = bin;
  const pixels = rgb.length / 3;
  return {
    mean: [sums[0]! / pixels, sums[1]! / pixels, sums[2]! / pixels],
    dominant: [((fullest >> 8) << 4) + 8, (((fullest >> 4) & 15) << 4) + 8, ((fullest & 15) << 4) + 8],
  };
}

/** Standard deviation of the Laplacian of the grey rendition: how much fine detail there is. */
function sharpness(grey: Float32Array): number {
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let y = 1; y < SIDE - 1; y++) {
    for (let x = 1; x < SIDE - 1; x++) {
      const at = y * SIDE + x;
      const laplacian = (grey[at - 1]! + grey[at + 1]! + grey[at - SIDE]! + grey[at + SIDE]! - 4 * grey[at]!) / 9;
      sum += laplacian;
      squares += laplacian * laplacian;
      count += 1;
    }
  }
  return Math.sqrt(Math.max(0, squares / count - (sum / count) ** 2));
}

/** Edge strength by orientation on the grey rendition (central differences): what kind of texture it has. */
function orientationHistogram(grey: Float32Array): number[] {
  const histogram = new Array<number>(ORIENTATIONS).fill(0);
  for (let y = 1; y < SIDE - 1; y++) {
    for (let x = 1; x < SIDE - 1; x++) {
      const gx = grey[y * SIDE + x + 1]! - grey[y * SIDE + x - 1]!;
      const gy = grey[(y + 1) * SIDE + x]! - grey[(y - 1) * SIDE + x]!;
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      const angle = (Math.atan2(gy, gx) + Math.PI) % Math.PI; // 0..π: an edge and its opposite are the same
      histogram[Math.min(ORIENTATIONS - 1, Math.floor((angle / Math.PI) * ORIENTATIONS))]! += magnitude;
    }
  }
  return histogram;
}

/** Mean grey of each cell of a GRID×GRID layout, less the overall mean: where the light and the dark are. */
function luminanceGrid(grey: Float32Array): number[] {
  const cell = SIDE / GRID;
  const cells = new Array<number>(GRID * GRID).fill(0);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) cells[Math.floor(y / cell) * GRID + Math.floor(x / cell)]! += grey[y * SIDE + x]!;
  }
  const means = cells.map((total) => total / (cell * cell));
  const overall = means.reduce((sum, value) => sum + value, 0) / means.length;
  return means.map((value) => value - overall);
}

/**
 * Needs no network and is deterministic: the description is built from measured facts (orientation, size,
 * dominant colours, brightness, sharpness), and the embedding from the pixels themselves, so visually similar
 * images land near each other: a colour histogram (square-rooted, so one colour cannot drown the rest), a histogram
 * of edge orientations (texture, whatever its scale) and a coarse luminance grid (layout), each L2-normalised and
 * weighted, then the whole L2-normalised.
 *
 * Both read one 64×64 rendition of the thumbnail, decoded once per thumbnail: the pipeline describes and then embeds
 * the same bytes, so the second step finds the rendition the first one made (held only as long as the bytes are).
 */
export class LocalAiProvider implements AiProvider {
  readonly name = `local-v3-${DIMENSIONS}d`;
  private readonly renditions = new WeakMap<Buffer, Promise<Rendition>>();

  private rendition(thumbnail: Buffer): Promise<Rendition> {
    let rendition = this.renditions.get(thumbnail);
    if (!rendition) {
      rendition = renditionOf(thumbnail);
      this.renditions.set(thumbnail, rendition);
      rendition.catch(() => this.renditions.delete(thumbnail));
    }
    return rendition;
  }

  async describe(image: ImageForAi): Promise<string> {
    const { rgb, grey } = await this.rendition(image.thumbnail);
    const { mean, dominant } = colourFacts(rgb);
    const brightness = (0.2126 * mean[0] + 0.7152 * mean[1] + 0.0722 * mean[2]) / 255;
    const detail = sharpness(grey);
    const orientation =
      image.width > image.height * 1.05 ? 'landscape' : image.height > image.width * 1.05 ? 'portrait' : 'square';
    const tone = brightness < 0.3 ? 'dark' : brightness > 0.7 ? 'bright' : 'evenly lit';
    const focus =
      detail > SHARPNESS.detailed ? 'sharp, detailed' : detail > SHARPNESS.soft ? 'softly detailed' : 'smooth, uniform';
    const dominantName = nearestColourName(...dominant);
    const average = nearestColourName(...mean);
    const palette =
      dominantName === average ? `${dominantName} tones` : `${dominantName} tones with ${average} overall`;
    return `${capitalised(withArticle(tone))}, ${focus} ${orientation} ${image.format.toUpperCase()} image of ${image.width}x${image.height} pixels, dominated by ${palette}.`;
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
    const tone = commonest(/^An? (dark|bright|evenly lit),/);
    const colour = commonest(/dominated by (\w+) tones/);
    const orientation = commonest(/ (landscape|portrait|square) /);
    const words = [tone === 'evenly lit' ? undefined : tone, colour, orientation ? `${orientation}s` : 'images']
      .filter(Boolean)
      .join(' ');
    return capitalised(words);
  }

  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const { rgb, grey } = await this.rendition(image.thumbnail);
    const colours = new Array<number>(BINS ** 3).fill(0);
    const shift = 8 - Math.log2(BINS); // 0-255 to a bin index
    for (let offset = 0; offset < rgb.length; offset += 3) {
      colours[((rgb[offset]! >> shift) * BINS + (rgb[offset + 1]! >> shift)) * BINS + (rgb[offset + 2]! >> shift)]! +=
        1;
    }
    const weighted = (vector: number[], weight: number) => unitVector(vector).map((value) => value * weight);
    return unitVector([
      ...weighted(colours.map(Math.sqrt), WEIGHTS.colour),
      ...weighted(orientationHistogram(grey), WEIGHTS.texture),
      ...weighted(luminanceGrid(grey), WEIGHTS.layout),
    ]);
  }
}
