import sharp from 'sharp';
import type { AiProvider, ImageForAi } from './aiProvider';

const NAMED_COLOURS: Array<[name: string, r: number, g: number, b: number]> = [
  ['black', 0, 0, 0], ['white', 255, 255, 255], ['grey', 128, 128, 128], ['red', 200, 30, 30],
  ['orange', 240, 140, 20], ['yellow', 235, 220, 40], ['green', 40, 160, 60], ['teal', 20, 150, 150],
  ['blue', 30, 80, 210], ['purple', 130, 50, 170], ['pink', 240, 130, 180], ['brown', 120, 75, 40],
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

const GRID = 8; // luminance grid side: layout of light and dark
const BINS = 4; // histogram bins per channel: 64 colour bins

function l2Normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

/**
 * Needs no network and is deterministic: the description is built from measured facts (orientation, size,
 * dominant colours, brightness, sharpness), and the embedding from the pixels themselves (a colour histogram and
 * a small luminance grid, L2-normalised), so visually similar images land near each other.
 */
export class LocalAiProvider implements AiProvider {
  readonly name = `local-v1-${BINS ** 3 + GRID * GRID}d`;

  async describe(image: ImageForAi): Promise<string> {
    const stats = await sharp(image.thumbnail).removeAlpha().stats();
    const [red, green, blue] = stats.channels;
    const brightness = (0.2126 * red!.mean + 0.7152 * green!.mean + 0.0722 * blue!.mean) / 255;
    const orientation = image.width > image.height * 1.05 ? 'landscape' : image.height > image.width * 1.05 ? 'portrait' : 'square';
    const tone = brightness < 0.3 ? 'dark' : brightness > 0.7 ? 'bright' : 'evenly lit';
    const focus = stats.sharpness > 2 ? 'sharp, detailed' : stats.sharpness > 0.5 ? 'softly detailed' : 'smooth, uniform';
    const dominant = nearestColourName(stats.dominant.r, stats.dominant.g, stats.dominant.b);
    const average = nearestColourName(red!.mean, green!.mean, blue!.mean);
    const palette = dominant === average ? `${dominant} tones` : `${dominant} tones with ${average} overall`;
    return `A ${tone}, ${focus} ${orientation} ${image.format.toUpperCase()} image of ${image.width}x${image.height} pixels, dominated by ${palette}.`;
  }

  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const rgb = await sharp(image.thumbnail).removeAlpha().toColourspace('srgb').resize(64, 64, { fit: 'fill' }).raw().toBuffer();
    const histogram = new Array<number>(BINS ** 3).fill(0);
    const shift = 8 - Math.log2(BINS); // 0-255 to a bin index
    for (let offset = 0; offset < rgb.length; offset += 3) {
      histogram[((rgb[offset]! >> shift) * BINS + (rgb[offset + 1]! >> shift)) * BINS + (rgb[offset + 2]! >> shift)]! += 1;
    }
    const grid = await sharp(image.thumbnail).removeAlpha().greyscale().resize(GRID, GRID, { fit: 'fill' }).raw().toBuffer();
    const gridMean = grid.reduce((sum, value) => sum + value, 0) / grid.length;
    // Both halves are normalised on their own first, so colour and layout weigh the same.
    return l2Normalise([...l2Normalise(histogram), ...l2Normalise(Array.from(grid, (value) => value - gridMean))]);
  }
}
