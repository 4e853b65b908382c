import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2';
import { NETWORK_SIDE, type Network } from './networks';
// The pooled features, flattened: the layer before the package's own classifier, which is never run.
const FEATURE_LAYER = 'flatten_1';

/**
 * MobileNetV2 as the npm package nsfwjs ships it (weights inside the package, base64 in a JS module: nothing is
 * downloaded), cut at its pooled features: a generic image embedding. The package's classifier head (its NSFW
 * classes) is dropped and never evaluated. Runs on TensorFlow.js's WebAssembly backend (SIMD), which needs no native
 * library; it takes a few seconds and a few hundred MB to load, so a process loads it once.
 */
export async function loadMobileNetFeatures(): Promise<Network<'mobilenet-v2'>> {
  await tf.setBackend('wasm');
  await tf.ready();
  const { default: json } = await MobileNetV2Model.modelJson();
  const shards = await Promise.all(MobileNetV2Model.weightBundles.map(async (bundle) => (await bundle()).default));
  const weights = Buffer.concat(shards.map((shard) => Buffer.from(shard, 'base64')));
  const network = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: (json.weightsManifest ?? []).flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const features = tf.model({ inputs: network.inputs, outputs: network.getLayer(FEATURE_LAYER).output });
  // The network was trained on pixels scaled to 0..1.
  const scale = tf.scalar(1 / 255);
  return (rgb) =>
    tf.tidy(() => {
      const batch = tf.tensor4d(rgb, [1, NETWORK_SIDE, NETWORK_SIDE, 3], 'float32').mul(scale);
      return { features: (features.predict(batch) as tf.Tensor).dataSync() as Float32Array };
    });
}
