import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { ImageForAi } from '../../src/ai/aiProvider';
import { ModelThread } from '../../src/ai/modelThread';
import { FEATURE_DIMENSIONS, type NetworkName, type NetworkOutput } from '../../src/ai/networks';
import { VisionAiProvider } from '../../src/ai/visionProvider';
import { realPhotos } from '../../bench/retrievalPhotos';

/** What the pipeline shows a provider: the 256 px WebP thumbnail and the original's facts. */
async function shown(original: Buffer): Promise<ImageForAi> {
  const thumbnail = await sharp(original).resize(256, 256, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  const { width, height } = await sharp(original).metadata();
  return { thumbnail, thumbnailType: 'image/webp', width, height, format: 'jpeg' };
}

/** A model thread that answers with set probabilities, and counts what it is asked. */
class SetProbabilities extends ModelThread {
  runs = 0;
  constructor(private readonly probabilities: Record<number, number>) {
    super();
  }
  override run(_network: NetworkName, _rgb: Uint8Array): Promise<NetworkOutput> {
    this.runs++;
    const probabilities = new Float32Array(1000);
    for (const [index, probability] of Object.entries(this.probabilities)) probabilities[Number(index)] = probability;
    return Promise.resolve({ features: new Float32Array(FEATURE_DIMENSIONS).fill(1), probabilities });
  }
}

// ImageNet class indexes: 281 tabby, 282 tiger cat, 285 Egyptian cat, 967 espresso, 670 motor scooter, 665 moped.
const flat = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
    .png()
    .toBuffer()
    .then(shown);

describe('VisionAiProvider, on its words', () => {
  it('says what it sees as sure as the network is, with the article each name takes', async () => {
    const said = (probabilities: Record<number, number>) =>
      flat().then((image) => new VisionAiProvider(new SetProbabilities(probabilities)).describe(image));
    expect(await said({ 967: 0.93, 281: 0.02 })).toBe('A photo of an espresso.');
    expect(await said({ 282: 0.34, 285: 0.33 })).toBe('Probably a tiger cat, or an Egyptian cat.');
    expect(await said({ 282: 0.34, 285: 0.05 })).toBe('Probably a tiger cat.');
    expect(await said({ 665: 0.08, 670: 0.07 })).toBe('Hard to make out: perhaps a moped.');
  });

  it('runs the network once for the description and the embedding of one thumbnail', async () => {
    const models = new SetProbabilities({ 967: 0.9 });
    const provider = new VisionAiProvider(models);
    const image = await flat();
    const description = await provider.describe(image);
    const vector = await provider.embed({ image, description });
    expect(models.runs).toBe(1);
    expect(vector).toHaveLength(FEATURE_DIMENSIONS);
    expect(vector.reduce((sum, value) => sum + value * value, 0)).toBeCloseTo(1, 5);
  });

  it('names a cluster after the class its members are most often', async () => {
    const provider = new VisionAiProvider(new SetProbabilities({}));
    expect(
      await provider.nameCluster([
        'A photo of an espresso.',
        'Probably an espresso, or a cup.',
        'A photo of a tabby.',
        'An evenly lit, smooth, uniform landscape JPEG image of 300x200 pixels, dominated by blue tones.',
      ]),
    ).toBe('Espressos');
    expect(await provider.nameCluster(['A bright landscape image.'])).toBe('Mixed images');
  });
});

/**
 * The real network (EfficientNet-Lite0, converted by scripts/install-models.sh) on real photographs (bench/retrieval's
 * pinned set, downloaded once per machine): it names what is in them.
 */
describe('VisionAiProvider, on real photos', () => {
  const provider = new VisionAiProvider();
  afterAll(() => provider.close());

  const photo = async (name: string) => {
    const found = (await realPhotos()).find((each) => each.name === name)!;
    return shown(await fs.readFile(found.path));
  };

  it('loads the network off the event loop and names a cat, a coffee and a motorcycle', async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const cat = await provider.labels(await photo('skimage-chelsea'));
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(5);
    expect(cat.map((label) => label.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(tabby|tiger cat|Egyptian cat)$/)]),
    );
    expect(cat.reduce((sum, label) => sum + label.probability, 0)).toBeGreaterThan(0.6);
    // At most five, each at least 5 % probable, most probable first.
    expect(cat.length).toBeLessThanOrEqual(5);
    expect(
      cat.every(
        (label, index) =>
          label.probability >= 0.05 && (index === 0 || label.probability <= cat[index - 1]!.probability),
      ),
    ).toBe(true);
    expect(await provider.describe(await photo('skimage-coffee'))).toMatch(/espresso|cup|coffee/);
    expect(await provider.describe(await photo('skimage-motorcycle_left'))).toMatch(/moped|motor scooter|motorcycle/);
  }, 60_000);
});
