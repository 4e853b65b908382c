/**
 * bench/objects: what the vision provider's object detector (CenterNet on COCO, src/ai/cocoDetector.ts) finds in the
 * real photos and what it costs beside the classifier. Each photo is shown as the pipeline shows it: its 256 px WebP
 * thumbnail. Prints, for the classifier alone (labels) and for the classifier and the detector (the description,
 * which runs both): the first image's time (the networks loading in a fresh model thread) and the steady CPU and wall
 * time per image after it; then the detector alone at several input sizes (the thumbnail's long side scaled to it):
 * its time per image, the objects expected in the photos that it finds, and those it finds that are not there; then
 * each photo's objects and description. No stack.
 *   npx tsx bench/objects.ts
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { ImageForAi } from '../src/ai/aiProvider';
import { COCO_CLASS_NAMES } from '../src/ai/cocoClasses';
import { DETECTION_FLOOR } from '../src/ai/cocoDetector';
import { ModelThread } from '../src/ai/modelThread';
import { DETECTOR_SIDE, type Detection } from '../src/ai/networks';
import { VisionAiProvider } from '../src/ai/visionProvider';
import { imageDecoder, renderThumbnails } from '../src/images/renderThumbnails';
import { realPhotos } from './retrievalPhotos';

/** The objects plainly in the photos, which the detector should find (by eye). */
const EXPECTED: Record<string, string[]> = {
  'skimage-astronaut': ['person'],
  'skimage-camera': ['person'],
  'skimage-chelsea': ['cat'],
  'skimage-coffee': ['cup'],
  'skimage-motorcycle_left': ['motorcycle'],
};
/** Objects also there, small or in part, which it may find without being wrong. */
const ALSO_THERE: Record<string, string[]> = {
  'skimage-coffee': ['spoon'],
  'skimage-motorcycle_left': ['bench', 'bicycle', 'bottle', 'chair'],
  'sklearn-china': ['boat'],
};
/** Input sizes (the long side) the detector is timed at: 512 is the size it was trained at. */
const SIDES = [512, 384, 320, 256];

/** The smallest thumbnail the pipeline makes (256 px WebP q80): what a provider is shown. */
async function shown(path: string): Promise<ImageForAi> {
  const rendered = await renderThumbnails(imageDecoder(await readFile(path), 100_000_000), {
    sizes: [256],
    format: 'webp',
    quality: 80,
  });
  const { width, height } = rendered;
  return { thumbnail: rendered.thumbnails[0]!.data, thumbnailType: 'image/webp', width, height, format: 'jpeg' };
}

/** Milliseconds of CPU (every thread of the process, the model thread's too) and of wall time a call takes. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number; wallMs: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const { user, system } = process.cpuUsage(cpuBefore);
  return { result, cpuMs: (user + system) / 1000, wallMs: performance.now() - started };
}

const ms = (value: number) => value.toFixed(0).padStart(5);

async function main(): Promise<void> {
  const photos = await realPhotos();
  const images = await Promise.all(photos.map((photo) => shown(photo.path)));
  console.log(`${photos.length} real photos, each as its 256 px WebP thumbnail; detector floor ${DETECTION_FLOOR}\n`);

  // Each in a fresh model thread, so that its first image shows its networks loading (a worker has one thread).
  const rows: string[] = [];
  const threads: ModelThread[] = [];
  const runs: Array<{ name: string; work: (provider: VisionAiProvider, image: ImageForAi) => Promise<unknown> }> = [
    { name: 'classifier (labels)', work: (provider, image) => provider.labels(image) },
    { name: 'classifier + detector (description)', work: (provider, image) => provider.describe(image) },
  ];
  for (const run of runs) {
    const thread = new ModelThread();
    threads.push(thread);
    const first = await timed(() => run.work(new VisionAiProvider(thread), images[0]!));
    // A provider of its own, so that nothing comes from the first one's outputs.
    const steady = new VisionAiProvider(thread);
    const all = await timed(async () => {
      for (const image of images) await run.work(steady, image);
    });
    rows.push(
      `${run.name.padEnd(36)} first image ${ms(first.wallMs)} ms   then CPU ${ms(all.cpuMs / images.length)} ms/image, ` +
        `wall ${ms(all.wallMs / images.length)} ms/image   (RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB)`,
    );
  }
  console.log(rows.join('\n'));

  // The detector alone, in the warm thread of the second run, at each input size.
  const detector = threads[1]!;
  console.log(
    `\ndetector alone by input size (the thumbnail's long side scaled to it; the provider uses ${DETECTOR_SIDE})`,
  );
  const expectedCount = Object.values(EXPECTED).flat().length;
  for (const side of SIDES) {
    const inputs = await Promise.all(
      images.map(async ({ thumbnail }) => {
        const { data, info } = await sharp(thumbnail)
          .removeAlpha()
          .toColourspace('srgb')
          .resize(side, side, { fit: 'inside' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        return { rgb: new Uint8Array(data), width: info.width, height: info.height };
      }),
    );
    const found: Detection[][] = [];
    const all = await timed(async () => {
      for (const input of inputs) found.push(await detector.run('centernet-coco', input));
    });
    let expectedFound = 0;
    let leastSure = 1;
    const wrong: string[] = [];
    found.forEach((detections, index) => {
      const photo = photos[index]!.name;
      for (const name of EXPECTED[photo] ?? []) {
        const best = detections.find((detection) => COCO_CLASS_NAMES[detection.classIndex] === name);
        if (best) {
          expectedFound += 1;
          leastSure = Math.min(leastSure, best.score);
        }
      }
      for (const { classIndex, score } of detections) {
        const name = COCO_CLASS_NAMES[classIndex]!;
        if (![...(EXPECTED[photo] ?? []), ...(ALSO_THERE[photo] ?? [])].includes(name))
          wrong.push(`${photo} ${name} ${score.toFixed(2)}`);
      }
    });
    console.log(
      `  ${String(side).padStart(3)} px: CPU ${ms(all.cpuMs / inputs.length)} ms/image, wall ${ms(all.wallMs / inputs.length)} ms/image;` +
        ` expected objects found ${expectedFound}/${expectedCount} (the least sure ${leastSure.toFixed(2)});` +
        ` not there: ${wrong.length ? wrong.join(', ') : 'none'}`,
    );
  }

  console.log(`\nEach photo at ${DETECTOR_SIDE} px: its objects (count × name, best score), then its description`);
  const provider = new VisionAiProvider(detector);
  for (const [index, image] of images.entries()) {
    const objects = await provider.objects(image);
    const said = objects.map(({ name, count, score }) => `${count} × ${name} ${score.toFixed(2)}`).join(', ');
    console.log(`  ${photos[index]!.name.padEnd(26)} ${(said || '-').padEnd(44)} ${await provider.describe(image)}`);
  }
  await Promise.all(threads.map((thread) => thread.close()));
}

void main();
