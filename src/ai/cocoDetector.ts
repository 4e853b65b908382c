import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Detection, Network } from './networks';

/**
 * The model's files as the npm package @vladmandic/human 3.3.6 ships them (MIT), by SHA-256. Files of another version
 * are refused: the graph's nodes fed below and the order of its classes (src/ai/cocoClasses.ts) are this model's.
 */
export const CENTERNET_SHA256: Readonly<Record<string, string>> = {
  'centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
  'centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
};

/**
 * Where the package keeps its models: beside the folder of its main file, which is only resolved, never loaded (the
 * package's `exports` name its builds only, so no path inside it can be resolved directly).
 */
export const HUMAN_MODELS_DIR = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'models');

/**
 * How sure the detector must be of an object for it to count. Its scores run low (they are its heatmap's peaks): on
 * bench/objects' 23 real photos every object plainly there scores 0.46 or more, and the three wrong finds above this
 * floor at most 0.39 (a ladybird taken for a bird, coins for a clock, the moon's surface for a kite). 0.3 is also the
 * threshold the original CenterNet's demo shows detections from.
 */
export const DETECTION_FLOOR = 0.3;

/** Two detections of one class that overlap more than this (intersection over union) are one object. */
const SAME_OBJECT = 0.5;

/** The backbone halves the image five times: the graph takes sides that are multiples of this. */
const STRIDE = 32;

/** Its heatmap of object centres is a quarter of the input's size. */
const HEATMAP_STRIDE = 4;

const INPUT = 'tower_0/images';
/** Its top 100 heatmap peaks, each x1, y1, x2, y2 (input pixels), score, class index. */
const OUTPUT = 'tower_0/detections';
const COLUMNS = 6;

/**
 * The graph was frozen for 512×512 images: these constant nodes hold sizes derived from that one (the upsampled
 * feature maps' sizes, the heatmap's width and its cell count). Fed the sizes of the image at hand instead, the graph
 * runs on any size that is a multiple of STRIDE: a smaller image costs less (bench/objects).
 */
function sizeNodes(heatmapHeight: number, heatmapWidth: number): tf.NamedTensorMap {
  const ints = (values: number[]) => tf.tensor(values, values.length === 1 ? [] : [values.length], 'int32');
  return {
    'tower_0/CenternetHead/c5_upsample/up_sampling2d/mul': ints([heatmapHeight / 4, heatmapWidth / 4]),
    'tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul': ints([heatmapHeight / 2, heatmapWidth / 2]),
    'tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul': ints([heatmapHeight, heatmapWidth]),
    'tower_0/strided_slice_6': ints([heatmapWidth]),
    'tower_0/BatchGather/concat': ints([heatmapHeight * heatmapWidth, 4]),
  };
}

/** The model's files from `dir`, each checked against its pinned SHA-256. */
async function pinnedFiles(dir: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const [file, expected] of Object.entries(CENTERNET_SHA256)) {
    const bytes = await fs.readFile(path.join(dir, file));
    const actual = crypto.createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected)
      throw new Error(
        `centernet-coco: ${path.join(dir, file)} is not the pinned model file of @vladmandic/human 3.3.6 ` +
          `(SHA-256 ${actual}, expected ${expected})`,
      );
    files[file] = bytes;
  }
  return files;
}

const area = ([left, top, right, bottom]: Detection['box']) => Math.max(0, right - left) * Math.max(0, bottom - top);

function overlap(a: Detection['box'], b: Detection['box']): number {
  const shared = area([Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
  return shared / (area(a) + area(b) - shared || 1);
}

/** Non-maximum suppression within each class: of the detections of one object, the surest (they come surest first). */
function oneEach(detections: Detection[]): Detection[] {
  const kept: Detection[] = [];
  for (const detection of detections)
    if (
      !kept.some(
        (other) => other.classIndex === detection.classIndex && overlap(other.box, detection.box) > SAME_OBJECT,
      )
    )
      kept.push(detection);
  return kept;
}

/**
 * CenterNet (a MobileNetV3 backbone) trained on COCO's 80 object classes, as @vladmandic/human ships it (4 MB of
 * weights, from github.com/610265158/mobilenetv3_centernet), read from `dir` and checked against its pinned SHA-256,
 * run as a TensorFlow.js graph on the WebAssembly backend (none of the package's own code is run). An image of any
 * size is padded with black to multiples of STRIDE, centred, as the model's author pads it; pixels stay 0 to 255. The
 * graph finds the peaks of its heatmap of object centres and the box around each; here the peaks under
 * DETECTION_FLOOR are dropped and overlapping boxes of one class merged. Boxes are fractions of the unpadded image.
 */
export async function loadCocoDetector(dir = HUMAN_MODELS_DIR): Promise<Network<'centernet-coco'>> {
  const files = await pinnedFiles(dir);
  await tf.setBackend('wasm');
  await tf.ready();
  const model = JSON.parse(files['centernet.json']!.toString('utf8')) as {
    modelTopology: { node: Array<{ name: string; attr: { shape?: { shape: { dim: Array<{ size: string }> } } } }> };
    weightsManifest: tf.io.WeightsManifestConfig;
  };
  // Its input's height and width, fixed at 512 in the file, are left free (-1).
  const input = model.modelTopology.node.find((node) => node.name === INPUT)!;
  input.attr.shape!.shape.dim = ['1', '-1', '-1', '3'].map((size) => ({ size }));
  const weights = files['centernet.bin']!;
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );

  return ({ rgb, width, height }) => {
    const paddedWidth = Math.ceil(width / STRIDE) * STRIDE;
    const paddedHeight = Math.ceil(height / STRIDE) * STRIDE;
    const left = Math.floor((paddedWidth - width) / 2);
    const top = Math.floor((paddedHeight - height) / 2);
    const rows = tf.tidy(() => {
      const image = tf.pad(tf.tensor4d(rgb, [1, height, width, 3], 'float32'), [
        [0, 0],
        [top, paddedHeight - height - top],
        [left, paddedWidth - width - left],
        [0, 0],
      ]);
      const feed = { [INPUT]: image, ...sizeNodes(paddedHeight / HEATMAP_STRIDE, paddedWidth / HEATMAP_STRIDE) };
      return (graph.execute(feed, OUTPUT) as tf.Tensor).dataSync() as Float32Array;
    });
    const clamp = (value: number) => Math.min(1, Math.max(0, value));
    const detections: Detection[] = [];
    for (let row = 0; row < rows.length; row += COLUMNS) {
      const [x1, y1, x2, y2, score, classIndex] = rows.subarray(row, row + COLUMNS);
      // The peaks come surest first.
      if (score! < DETECTION_FLOOR) break;
      detections.push({
        classIndex: classIndex!,
        score: score!,
        box: [
          clamp((x1! - left) / width),
          clamp((y1! - top) / height),
          clamp((x2! - left) / width),
          clamp((y2! - top) / height),
        ],
      });
    }
    return oneEach(detections);
  };
}
