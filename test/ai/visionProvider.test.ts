import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { ImageForAi } from '../../src/ai/aiProvider';
import { COCO_CLASS_NAMES } from '../../src/ai/cocoClasses';
import { ModelThread } from '../../src/ai/modelThread';
import {
  FEATURE_DIMENSIONS,
  type Detection,
  type NetworkInput,
  type NetworkName,
  type NetworkOutput,
} from '../../src/ai/networks';
import { VisionAiProvider } from '../../src/ai/visionProvider';
import { realPhotos } from '../../bench/retrievalPhotos';

/** What the pipeline shows a provider: the 256 px WebP thumbnail and the original's facts. */
async function shown(original: Buffer): Promise<ImageForAi> {
  const thumbnail = await sharp(original).resize(256, 256, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  const { width, height } = await sharp(original).metadata();
  return { thumbnail, thumbnailType: 'image/webp', width, height, format: 'jpeg' };
}

/** A detection of a COCO class by name, with its score (its box does not matter here). */
const found = (name: string, score: number): Detection => ({
  classIndex: COCO_CLASS_NAMES.indexOf(name),
  score,
  box: [0, 0, 1, 1],
});

/**
 * A model thread whose classifier answers with set probabilities and whose detector finds set objects (surest first,
 * as the detector gives them), and that counts what each network is asked.
 */
class SetOutputs extends ModelThread {
  runs: Partial<Record<NetworkName, number>> = {};
  constructor(
    private readonly probabilities: Record<number, number>,
    private readonly detections: Detection[] = [],
  ) {
    super();
  }
  override run<N extends NetworkName>(network: N, _input: NetworkInput<N>): Promise<NetworkOutput<N>> {
    this.runs[network] = (this.runs[network] ?? 0) + 1;
    if (network === 'centernet-coco') return Promise.resolve(this.detections as NetworkOutput<N>);
    const probabilities = new Float32Array(1000);
    for (const [index, probability] of Object.entries(this.probabilities)) probabilities[Number(index)] = probability;
    return Promise.resolve({
      features: new Float32Array(FEATURE_DIMENSIONS).fill(1),
      probabilities,
    } as NetworkOutput<N>);
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
      flat().then((image) => new VisionAiProvider(new SetOutputs(probabilities)).describe(image));
    expect(await said({ 967: 0.93, 281: 0.02 })).toBe('A photo of an espresso.');
    expect(await said({ 282: 0.34, 285: 0.33 })).toBe('Probably a tiger cat, or an Egyptian cat.');
    expect(await said({ 282: 0.34, 285: 0.05 })).toBe('Probably a tiger cat.');
    expect(await said({ 665: 0.08, 670: 0.07 })).toBe('Hard to make out: perhaps a moped.');
  });

  it('names the objects the detector is sure of, with their counts, as sure as the classifier is', async () => {
    const said = (probabilities: Record<number, number>, detections: Detection[]) =>
      flat().then((image) => new VisionAiProvider(new SetOutputs(probabilities, detections)).describe(image));
    const twoPeople = [found('person', 0.71), found('person', 0.42)];
    expect(await said({ 665: 0.8 }, twoPeople)).toBe('A photo of a moped; also: 2 people.');
    // Unsure of the class, sure of the objects: they come first, the class hedged after them.
    expect(await said({ 665: 0.08, 670: 0.07 }, [found('person', 0.6)])).toBe(
      'A photo with a person; perhaps a moped.',
    );
    expect(await said({ 282: 0.34, 285: 0.33 }, [found('dog', 0.55), ...twoPeople, found('dog', 0.31)])).toBe(
      'A photo with 2 dogs and 2 people; probably a tiger cat, or an Egyptian cat.',
    );
    // Not an object the class already names, nor one the detector is unsure of.
    expect(await said({ 282: 0.9 }, [found('cat', 0.8), found('dog', 0.45)])).toBe('A photo of a tiger cat.');
    expect(await said({ 665: 0.08 }, [found('person', 0.49)])).toBe('Hard to make out: perhaps a moped.');
    // Plurals that take no s, things that come in pairs; at most three kinds.
    expect(
      await said({ 967: 0.9 }, [
        found('mouse', 0.9),
        found('knife', 0.8),
        found('scissors', 0.7),
        found('skis', 0.6),
        found('mouse', 0.5),
        found('knife', 0.5),
        found('knife', 0.4),
        found('scissors', 0.35),
      ]),
    ).toBe('A photo of an espresso; also: 2 mice, 3 knives and 2 pairs of scissors.');
    expect(await said({ 967: 0.9 }, [found('skis', 0.6)])).toBe('A photo of an espresso; also: a pair of skis.');
  });

  it('lists the kinds of object found, surest first, each counted, at most ten kinds', async () => {
    const detections = [
      found('person', 0.71234),
      found('dog', 0.5),
      found('person', 0.42),
      ...COCO_CLASS_NAMES.slice(40, 50).map((name) => found(name, 0.35)),
      found('dog', 0.31),
    ];
    const objects = await new VisionAiProvider(new SetOutputs({ 967: 0.9 }, detections)).objects(await flat());
    expect(objects).toHaveLength(10);
    expect(objects.slice(0, 3)).toEqual([
      { name: 'person', count: 2, score: 0.712 },
      { name: 'dog', count: 2, score: 0.5 },
      { name: 'wine glass', count: 1, score: 0.35 },
    ]);
    expect(await new VisionAiProvider(new SetOutputs({ 967: 0.9 })).objects(await flat())).toEqual([]);
  });

  it('runs each network once for the description, the embedding, the labels and the objects of one thumbnail', async () => {
    const models = new SetOutputs({ 967: 0.9 }, [found('cup', 0.6)]);
    const provider = new VisionAiProvider(models);
    const image = await flat();
    const description = await provider.describe(image);
    const vector = await provider.embed({ image, description });
    await provider.labels(image);
    await provider.objects(image);
    expect(models.runs).toEqual({ 'efficientnet-lite0': 1, 'centernet-coco': 1 });
    expect(vector).toHaveLength(FEATURE_DIMENSIONS);
    expect(vector.reduce((sum, value) => sum + value * value, 0)).toBeCloseTo(1, 5);
    // Embedding alone asks nothing of the detector.
    const embedding = new SetOutputs({ 967: 0.9 });
    await new VisionAiProvider(embedding).embed({ image, description });
    expect(embedding.runs).toEqual({ 'efficientnet-lite0': 1 });
  });

  it('names a cluster after the class its members are most often', async () => {
    const provider = new VisionAiProvider(new SetOutputs({}));
    expect(
      await provider.nameCluster([
        'A photo of an espresso.',
        'Probably an espresso, or a cup.',
        'A photo of a tabby; also: 2 people.',
        'A photo with a person; perhaps a tabby.',
        'A photo with 2 people and a cup; probably a tabby, or an Egyptian cat.',
        'An evenly lit, smooth, uniform landscape JPEG image of 300x200 pixels, dominated by blue tones.',
      ]),
    ).toBe('Tabbies');
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

  it('finds the objects in them, each counted once, and says those it is sure of', async () => {
    const objects = async (name: string) => (await provider.objects(await photo(name))).map((each) => each.name);
    expect(await provider.objects(await photo('skimage-astronaut'))).toEqual([
      { name: 'person', count: 1, score: expect.closeTo(0.6, 1) },
    ]);
    expect(await objects('skimage-motorcycle_left')).toEqual(['motorcycle']);
    expect(await objects('skimage-coffee')).toEqual(['cup']);
    expect(await objects('skimage-chelsea')).toEqual(['cat']);
    // Dunes, grass, a flower: nothing of COCO's classes in them, and nothing found.
    for (const name of ['mate-dune', 'mate-greenmeadow', 'sklearn-flower']) expect(await objects(name)).toEqual([]);
    // The classifier has no class for a person: the detector says there is one.
    expect(await provider.describe(await photo('skimage-astronaut'))).toMatch(
      /^A photo with a person; (probably|perhaps) /,
    );
    expect(await provider.describe(await photo('skimage-camera'))).toMatch(
      /; also: a person\.$|^A photo with a person; /,
    );
    expect(await provider.describe(await photo('skimage-motorcycle_left'))).toMatch(/motorcycle/);
  }, 60_000);

  it('finds where each object is, as fractions of the image', async () => {
    const models = new ModelThread();
    try {
      const { data, info } = await sharp((await photo('skimage-motorcycle_left')).thumbnail)
        .resize(384, 384, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const [motorcycle] = await models.run('centernet-coco', {
        rgb: new Uint8Array(data),
        width: info.width,
        height: info.height,
      });
      // The motorcycle fills the photo's middle, from near its left edge to near its right and its bottom.
      const [left, top, right, bottom] = motorcycle!.box;
      expect(COCO_CLASS_NAMES[motorcycle!.classIndex]).toBe('motorcycle');
      expect([left, top]).toEqual([expect.closeTo(0.15, 1), expect.closeTo(0.1, 1)]);
      expect([right, bottom]).toEqual([expect.closeTo(0.9, 1), expect.closeTo(0.9, 1)]);
    } finally {
      await models.close();
    }
  }, 60_000);
});
