import sharp from 'sharp';
import type { ImageForAi } from '../../src/ai/aiProvider';
import { LocalAiProvider } from '../../src/ai/localProvider';
import { familyMember } from '../fixtures/families';

/** What the pipeline shows a provider: the 256 px WebP thumbnail and the original's facts. */
async function shown(original: Buffer): Promise<ImageForAi> {
  const thumbnail = await sharp(original).resize(256, 256, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  const { width, height } = await sharp(original).metadata();
  return { thumbnail, thumbnailType: 'image/webp', width: width, height: height, format: 'jpeg' };
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

describe('LocalAiProvider', () => {
  const provider = new LocalAiProvider();

  it('describes what it measures: tone, detail, orientation, size and colours', async () => {
    const flat = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#1e50d2' } })
      .jpeg()
      .toBuffer();
    expect(await provider.describe(await shown(flat))).toBe(
      'An evenly lit, smooth, uniform landscape JPEG image of 300x200 pixels, dominated by blue tones.',
    );
    expect(await provider.describe(await shown(await familyMember('red-stripes', 0)))).toMatch(
      /^An? .*, sharp, detailed .* dominated by (red|pink) tones/,
    );
  });

  it('embeds deterministically, as a unit vector in which members of one family are nearer than other families', async () => {
    const [stripes, moreStripes, checks] = await Promise.all(
      (
        [
          ['red-stripes', 1],
          ['red-stripes', 2],
          ['green-checks', 1],
        ] as const
      ).map(async ([family, index]) => shown(await familyMember(family, index))),
    );
    const vectors = await Promise.all(
      [stripes!, moreStripes!, checks!].map((image) => provider.embed({ image, description: '' })),
    );
    expect(provider.name).toBe(`local-v3-${vectors[0]!.length}d`);
    expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 6);
    expect(await new LocalAiProvider().embed({ image: stripes!, description: '' })).toEqual(vectors[0]);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!) + 0.2);
  });
});
