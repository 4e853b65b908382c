import sharp from 'sharp';
import type { ImageForAi } from '../../src/ai/aiProvider';
import { ModelThread } from '../../src/ai/modelThread';
import { FEATURE_DIMENSIONS, NETWORK_SIDE } from '../../src/ai/networks';
import { MobileNetAiProvider } from '../../src/ai/mobileNetProvider';
import { familyMember } from '../fixtures/families';

/** What the pipeline shows a provider: the 256 px WebP thumbnail and the original's facts. */
async function shown(original: Buffer): Promise<ImageForAi> {
  const thumbnail = await sharp(original).resize(256, 256, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  const { width, height } = await sharp(original).metadata();
  return { thumbnail, thumbnailType: 'image/webp', width, height, format: 'jpeg' };
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

/** The real network (loaded once for the file: a few seconds), in its thread. */
describe('MobileNetAiProvider', () => {
  const models = new ModelThread();
  const provider = new MobileNetAiProvider(models);
  afterAll(() => provider.close());

  it('loads and runs the network off the event loop, and embeds as a unit vector of 1,280 values', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const vector = await provider.embed({ image: await shown(await familyMember('red-stripes', 0)), description: '' });
    clearInterval(ticker);
    expect(vector).toHaveLength(FEATURE_DIMENSIONS);
    expect(cosine(vector, vector)).toBeCloseTo(1, 5);
    // Loading takes seconds: the event loop turned all along.
    expect(ticks).toBeGreaterThan(20);
  });

  it('finds an image again cropped, or recompressed and turned grey, nearer than a different one', async () => {
    const source = await familyMember('red-stripes', 1);
    const { width, height } = await sharp(source).metadata();
    const [original, greyCopy, cropped, other] = await Promise.all(
      [
        source,
        await sharp(source).greyscale().jpeg({ quality: 40 }).toBuffer(),
        await sharp(source)
          .extract({
            left: Math.round(width / 10),
            top: Math.round(height / 10),
            width: Math.round(width * 0.8),
            height: Math.round(height * 0.8),
          })
          .toBuffer(),
        await familyMember('green-checks', 1),
      ].map(async (image) => provider.embed({ image: await shown(image), description: '' })),
    );
    // Colour and compression make no difference to it: a near-duplicate.
    expect(cosine(original!, greyCopy!)).toBeGreaterThanOrEqual(provider.nearDuplicateSimilarity);
    for (const copy of [greyCopy!, cropped!]) expect(cosine(original!, copy)).toBeGreaterThan(cosine(other!, copy));
  });

  it('takes one-channel and transparent images', async () => {
    const grey = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#808080' } })
      .greyscale()
      .png()
      .toBuffer();
    const transparent = await sharp({ create: { width: 80, height: 120, channels: 4, background: '#ff000080' } })
      .png()
      .toBuffer();
    for (const image of [grey, transparent]) {
      const thumbnail = { thumbnail: image, thumbnailType: 'image/png', width: 120, height: 80, format: 'png' };
      expect(await provider.embed({ image: thumbnail, description: '' })).toHaveLength(FEATURE_DIMENSIONS);
    }
  });

  it('fails a request it cannot run, and goes on answering the next ones', async () => {
    await expect(models.run('mobilenet-v2', new Uint8Array(10))).rejects.toThrow(/model thread/);
    const { features } = await models.run('mobilenet-v2', new Uint8Array(NETWORK_SIDE * NETWORK_SIDE * 3).fill(128));
    expect(features).toHaveLength(FEATURE_DIMENSIONS);
  });

  it('describes and names clusters from measured facts, as the histogram provider does', async () => {
    const flat = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#1e50d2' } })
      .jpeg()
      .toBuffer();
    expect(await provider.describe(await shown(flat))).toMatch(/landscape JPEG image of 300x200 pixels.*blue/);
    expect(
      await provider.nameCluster(['A bright, smooth, uniform landscape PNG image, dominated by blue tones.']),
    ).toBe('Bright blue landscapes');
  });
});
