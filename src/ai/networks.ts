/**
 * The pretrained networks the offline providers run in the model thread (src/ai/modelThread.ts), by name, and what
 * each is given and gives for one image. Kept apart from the networks' code, which loads TensorFlow.js: only the
 * thread does.
 */

/** The classifiers take a square RGB image of this side (3 bytes a pixel). */
export const NETWORK_SIDE = 224;

/**
 * The detector is shown the thumbnail at this size on its long side, its shape kept (it takes any size). It was
 * trained at 512, but the thumbnail has only 256 px on its long side: at 384 it finds on bench/objects' real photos
 * all it finds at 512, for 66 ms of CPU an image instead of 115; at 320 and below it starts seeing people who are not
 * there.
 */
export const DETECTOR_SIDE = 384;

/** The length of the classifiers' pooled features: their last convolution, globally average-pooled. */
export const FEATURE_DIMENSIONS = 1280;

/** An RGB image of any size: 3 bytes a pixel, row after row. */
export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** What a classifier gives for an image. */
export interface Features {
  /** The pooled features (FEATURE_DIMENSIONS values). */
  features: Float32Array;
}

/** One object the detector found in an image. */
export interface Detection {
  /** Its class, an index into COCO_CLASS_NAMES (src/ai/cocoClasses.ts). */
  classIndex: number;
  /** How sure the detector is, 0 to 1. */
  score: number;
  /** Where it is, as fractions of the image's width and height (0 to 1): left, top, right, bottom. */
  box: [number, number, number, number];
}

/**
 * Each network, by name, with what it is given and what it gives for one image:
 * - `mobilenet-v2`: MobileNetV2 from the nsfwjs package, features only (its own head is not ImageNet's);
 * - `efficientnet-lite0`: EfficientNet-Lite0 with its ImageNet head, converted at install time
 *   (scripts/install-models.sh): features and the probability of each of ImageNet's 1,000 classes, by class index;
 * - `centernet-coco`: CenterNet's COCO object detector from the @vladmandic/human package (src/ai/cocoDetector.ts),
 *   on an RGB image of any size: the objects it is sure enough of.
 */
export interface Networks {
  'mobilenet-v2': { input: Uint8Array; output: Features };
  'efficientnet-lite0': { input: Uint8Array; output: Features & { probabilities: Float32Array } };
  'centernet-coco': { input: RgbImage; output: Detection[] };
}
export type NetworkName = keyof Networks;
/** What a network is given for one image: the classifiers, a NETWORK_SIDE² RGB image's bytes. */
export type NetworkInput<N extends NetworkName> = Networks[N]['input'];
export type NetworkOutput<N extends NetworkName> = Networks[N]['output'];

/** Runs one network on one image. */
export type Network<N extends NetworkName> = (input: NetworkInput<N>) => NetworkOutput<N>;
