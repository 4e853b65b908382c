/**
 * The pretrained networks the offline providers run in the model thread (src/ai/modelThread.ts), by name, and what
 * each gives for one image. Kept apart from the networks' code, which loads TensorFlow.js: only the thread does.
 */

/** Both take a square RGB image of this side (3 bytes a pixel). */
export const NETWORK_SIDE = 224;

/** The length of both networks' pooled features: their last convolution, globally average-pooled. */
export const FEATURE_DIMENSIONS = 1280;

/**
 * `mobilenet-v2`: MobileNetV2 from the nsfwjs package, features only (its own head is not ImageNet's).
 * `efficientnet-lite0`: EfficientNet-Lite0 with its ImageNet head, converted at install time (scripts/install-models.sh).
 */
export type NetworkName = 'mobilenet-v2' | 'efficientnet-lite0';

export interface NetworkOutput {
  /** The pooled features (FEATURE_DIMENSIONS values). */
  features: Float32Array;
  /** The probability of each of ImageNet's 1,000 classes, by class index; none from a network without that head. */
  probabilities?: Float32Array;
}

/** Runs one network on one NETWORK_SIDE² RGB image. */
export type Network = (rgb: Uint8Array) => NetworkOutput;
