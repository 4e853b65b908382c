import { IMAGENET_CLASSES as PACKAGE_CLASSES } from '@tensorflow-models/mobilenet/dist/imagenet_classes';

/** One of the 1,000 ImageNet classes a network's head scores, with its probability for an image. */
export interface Label {
  /** Its usual name, the first of its WordNet synonyms ("tabby" of "tabby, tabby cat"). */
  name: string;
  /** The other names it goes by ("tabby cat"). */
  synonyms: string[];
  probability: number;
}

/**
 * The class names by index, as the @tensorflow-models/mobilenet package ships them (Apache-2.0): ImageNet's classes in
 * their usual order, each a list of WordNet synonyms. Only the list is read from the package, none of its code.
 */
export const IMAGENET_CLASSES: ReadonlyArray<{ name: string; synonyms: string[] }> = Array.from(
  { length: 1000 },
  (_, index) => {
    const [name, ...synonyms] = PACKAGE_CLASSES[index]!.split(', ');
    return { name: name!, synonyms };
  },
);

/** The `count` most probable classes, most probable first. */
export function topLabels(probabilities: Float32Array, count: number): Label[] {
  return Array.from(probabilities, (probability, index) => ({ probability, index }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, count)
    .map(({ probability, index }) => ({ ...IMAGENET_CLASSES[index]!, probability }));
}

/** Every class's names, for finding them again in text. */
export const CLASS_NAMES: string[] = IMAGENET_CLASSES.map((each) => each.name);
