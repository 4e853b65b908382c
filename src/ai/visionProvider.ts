import crypto from 'node:crypto';
import sharp from 'sharp';
import type { AiProvider, ImageForAi, ImageLabel } from './aiProvider';
import { capitalised, plural, withArticle } from './english';
import { CLASS_NAMES, topLabels, type Label } from './imageNetLabels';
import { ModelThread } from './modelThread';
import { unitVector } from './unitVector';
import { FEATURE_DIMENSIONS, NETWORK_SIDE, type NetworkOutput } from './networks';

/** The labels an image is given: at most this many, each at least this probable. */
const LABELS = { count: 5, minProbability: 0.05 };
/** How sure the network must be for a description to name a class without hedging, or to name it at all. */
const SURE = 0.5;
const LIKELY = 0.15;
/** A second class is named beside the first when it is at least this probable. */
const ALSO = 0.1;
/** Thumbnails whose network output is kept, so that describing then embedding an image runs the network once. */
const RECENT_OUTPUTS = 32;

/**
 * Names what it sees, offline: EfficientNet-Lite0 with its ImageNet head (src/ai/efficientNetLite.ts), in the model
 * thread. One forward pass per image gives both the description (its most probable classes, said as sure as the
 * network is) and the embedding (the pooled features). Nothing is downloaded at run time: the weights are converted
 * at install time (scripts/install-models.sh).
 */
export class VisionAiProvider implements AiProvider {
  readonly name = `efficientnet-lite0-${FEATURE_DIMENSIONS}d`;
  /**
   * bench/retrieval: from it, 90 % of the altered copies are near-duplicates of their source and none of 253 pairs of
   * different photos (the closest two: 0.641); every copy is nearest its own source (recall@1 1.000, greyscale too).
   */
  readonly nearDuplicateSimilarity = 0.8;
  private readonly recent = new Map<string, Promise<NetworkOutput>>();

  constructor(private readonly models = new ModelThread()) {}

  /** Its most probable classes (at most 5, each at least 5 % probable), most probable first. */
  async labels(image: ImageForAi): Promise<ImageLabel[]> {
    return (await this.ranked(image, LABELS.count))
      .filter((label) => label.probability >= LABELS.minProbability)
      .map(({ name, probability }) => ({ name, probability: Math.round(probability * 1000) / 1000 }));
  }

  /** The `count` most probable classes of the image, most probable first. */
  private async ranked(image: ImageForAi, count: number): Promise<Label[]> {
    const { probabilities } = await this.output(image);
    return topLabels(probabilities!, count);
  }

  /**
   * A sentence of what the network sees, as sure as it is: "A photo of an espresso." when it is sure; "Probably a
   * tiger cat, or an Egyptian cat." when it leans (the second named when it is likely too); "Hard to make out:
   * perhaps a bobsled." when it barely does.
   */
  async describe(image: ImageForAi): Promise<string> {
    const [first, second] = await this.ranked(image, 2);
    const also = second && second.probability >= ALSO ? `, or ${withArticle(second.name)}` : '';
    if (first!.probability >= SURE) return `A photo of ${withArticle(first!.name)}.`;
    if (first!.probability >= LIKELY) return `Probably ${withArticle(first!.name)}${also}.`;
    return `Hard to make out: perhaps ${withArticle(first!.name)}${also}.`;
  }

  /** The class its members' descriptions name most often, in the plural ("Espressos"); "Mixed images" if none. */
  async nameCluster(descriptions: string[]): Promise<string> {
    const counts = new Map<string, number>();
    for (const description of descriptions) {
      // The first class a description names is its most probable one.
      const named = /^(?:A photo of|Probably|Hard to make out: perhaps) an? (.+?)(?:, or |\.$)/.exec(description)?.[1];
      if (named && CLASS_NAMES.includes(named)) counts.set(named, (counts.get(named) ?? 0) + 1);
    }
    const [commonest] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return commonest ? capitalised(plural(commonest[0])) : 'Mixed images';
  }

  /** The pooled features, as a unit vector. */
  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const { features } = await this.output(image);
    return unitVector(features);
  }

  /** Stops the model thread. */
  close(): Promise<void> {
    return this.models.close();
  }

  /**
   * The network's output for the thumbnail, computed once for the describe and embed calls the pipeline makes in
   * turn: the thumbnail squeezed to the network's square input, nothing cropped away.
   */
  private output(image: ImageForAi): Promise<NetworkOutput> {
    const key = crypto.createHash('sha1').update(image.thumbnail).digest('hex');
    let output = this.recent.get(key);
    if (!output) {
      output = sharp(image.thumbnail)
        .removeAlpha()
        .toColourspace('srgb')
        .resize(NETWORK_SIDE, NETWORK_SIDE, { fit: 'fill' })
        .raw()
        .toBuffer()
        .then((rgb) => this.models.run('efficientnet-lite0', new Uint8Array(rgb)));
      this.recent.set(key, output);
      output.catch(() => this.recent.delete(key));
      if (this.recent.size > RECENT_OUTPUTS) this.recent.delete(this.recent.keys().next().value!);
    }
    return output;
  }
}
