/**
 * bench/pipeline: N generated 1-3 MP JPEGs (default 200) through the whole service on the local stack (multipart
 * upload to the API → one workflow each → completed item), beside the same thumbnail set made from the same images
 * by bare sharp in one process and by ImageMagick's `convert`. Prints images/s, p50/p95 latency and CPU per image of
 * each; for imagepipe, the CPU per image of every process (the worker's also by thread, and as a multiple of bare
 * sharp's), and the latency of images uploaded one at a time on the idle service.
 * Targets: the worker's CPU per image ≤ 1.25× bare sharp's; the whole service ≥ 55 % of bare sharp's images/s on the
 * same cores; one image at a time p50 ≤ 300 ms. The pipeline runs once per AI provider named (default `local`; e.g.
 * `local,vision` prints the two beside each other), each with service processes of its own on the same stack.
 *   npx tsx bench/pipeline.ts [images=200] [providers=local]
 * BENCH_PROFILE=<dir> writes V8 CPU profiles of the API and worker processes there (open in Chrome DevTools).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Config } from '../src/config';
import { imageDecoder, renderThumbnails } from '../src/images/renderThumbnails';
import { createTestUser } from '../test/harness/users';
import { percentile, runBench, withBenchStack } from './benchStack';
import {
  addCounts,
  costPerImage,
  countsSince,
  describeCost,
  storeCounts,
  readRunHistories,
  type CostPerImage,
} from './costPerImage';
import { childrenCpuSeconds, cpuMeter, stackPids, threadCpuSecondsOf, threadCpuSince, type CpuUse } from './processCpu';
import { startServiceProcesses } from './serviceProcess';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';
import { syntheticPhotos } from './syntheticPhotos';

const COUNT = Number(process.argv[2] ?? 200);
const PROVIDERS = (process.argv[3] ?? 'local').split(',');
const UPLOAD_CONCURRENCY = 8;
const LONE_UPLOADS = 10;
// Two images per core keeps both cores busy while one image waits on I/O.
const LOCAL_CONCURRENCY = os.availableParallelism() * 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Figures {
  name: string;
  seconds: number;
  latenciesMs: number[];
  /** CPU seconds the work took (the process's own, or its children's for ImageMagick). */
  cpuSeconds?: number;
  /** Where imagepipe's CPU time went, by process. */
  cpu?: CpuUse;
  /** Bare sharp's CPU seconds by thread group. */
  threads?: Record<string, number>;
  /** Latencies of images uploaded one at a time on an idle service. */
  aloneMs?: number[];
  /** What each image cost in store requests and Temporal actions. */
  cost?: CostPerImage;
}

const perImageMs = (cpuSeconds: number, images: number) => (cpuSeconds / images) * 1000;

const line = ({ name, seconds, latenciesMs, cpuSeconds }: Figures, baseline?: Figures) =>
  `${name.padEnd(34)} ${(latenciesMs.length / seconds).toFixed(1).padStart(7)} images/s   p50 ${percentile(latenciesMs, 50).toFixed(0).padStart(6)} ms   p95 ${percentile(latenciesMs, 95).toFixed(0).padStart(6)} ms` +
  (cpuSeconds === undefined ? '' : `   CPU ${perImageMs(cpuSeconds, latenciesMs.length).toFixed(0)} ms/image`) +
  (baseline
    ? `   ${((latenciesMs.length / seconds / (baseline.latenciesMs.length / baseline.seconds)) * 100).toFixed(0)} % of ${baseline.name}`
    : '');

/** imagepipe's CPU per image, process by process, the worker's also by thread and against bare sharp's. */
function cpuLines(cpu: CpuUse, images: number, bare: Figures): string[] {
  const bareMs = perImageMs(bare.cpuSeconds!, bare.latenciesMs.length);
  const workerMs = perImageMs(cpu.processes.worker!, images);
  // Largest first, leaving out what used next to nothing: "worker 212, dynamodb 50, ...".
  const perImage = (seconds: Record<string, number>, count: number) =>
    Object.entries(seconds)
      .filter(([, used]) => used >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([name, used]) => `${name} ${perImageMs(used, count).toFixed(0)}`)
      .join(', ');
  return [
    `imagepipe CPU per image by process: ${perImage(cpu.processes, images)} ms; machine ${(cpu.machineBusy * 100).toFixed(0)} % busy over ${cpu.seconds.toFixed(1)} s`,
    `worker CPU per image: ${workerMs.toFixed(0)} ms = ${(workerMs / bareMs).toFixed(2)}× bare sharp's ${bareMs.toFixed(0)} ms`,
    `  by thread, worker: ${perImage(cpu.threads.worker ?? {}, images)} ms (threads that ended are not counted)`,
    `  by thread, bare sharp: ${perImage(bare.threads ?? {}, bare.latenciesMs.length)} ms`,
  ];
}

/** The same work the thumbnail activity does, minus storage and Temporal: hash, decode once, three sizes, stats. */
async function bareSharp(photos: Buffer[], config: Config): Promise<Figures> {
  const { thumbnailSizes, thumbnailFormat, thumbnailQuality, maxPixels } = config.images;
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpuSecondsOf(process.pid);
  const latenciesMs = await mapWithConcurrency(photos, LOCAL_CONCURRENCY, async (photo) => {
    const start = performance.now();
    crypto.createHash('sha256').update(photo).digest('hex');
    await renderThumbnails(imageDecoder(photo, maxPixels), {
      sizes: thumbnailSizes,
      format: thumbnailFormat,
      quality: thumbnailQuality,
    });
    return performance.now() - start;
  });
  const { user, system } = process.cpuUsage(cpuBefore);
  return {
    threads: threadCpuSince(process.pid, threadsBefore),
    name: 'bare sharp (one process)',
    seconds: (performance.now() - began) / 1000,
    latenciesMs,
    cpuSeconds: (user + system) / 1e6,
  };
}

/** ImageMagick's convert making the same set: oriented, stripped, each size fitted inside its square, WebP. */
async function imageMagick(photos: Buffer[], config: Config): Promise<Figures | string> {
  const run = promisify(execFile);
  try {
    await run('convert', ['-version']);
  } catch {
    return 'ImageMagick: `convert` not found (apt-get install imagemagick); skipped';
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-bench-magick-'));
  try {
    const inputs = photos.map((photo, index) => {
      const file = path.join(dir, `${index}.jpg`);
      fs.writeFileSync(file, photo);
      return file;
    });
    const { thumbnailSizes, thumbnailFormat, thumbnailQuality } = config.images;
    const began = performance.now();
    const cpuBefore = childrenCpuSeconds();
    const latenciesMs = await mapWithConcurrency(inputs, os.availableParallelism(), async (input, index) => {
      const start = performance.now();
      const outputs = thumbnailSizes.flatMap((size) => [
        '(',
        '+clone',
        '-resize',
        `${size}x${size}>`,
        '-write',
        path.join(dir, `${index}-${size}.${thumbnailFormat}`),
        '+delete',
        ')',
      ]);
      await run('convert', [
        input,
        '-auto-orient',
        '-strip',
        '-quality',
        String(thumbnailQuality),
        ...outputs,
        'null:',
      ]);
      return performance.now() - start;
    });
    return {
      name: 'ImageMagick convert',
      seconds: (performance.now() - began) / 1000,
      latenciesMs,
      cpuSeconds: childrenCpuSeconds() - cpuBefore,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Uploads every photo through the API, then waits for each image's item to be completed. */
async function pipeline(
  photos: Buffer[],
  stackEnv: Record<string, string>,
  stackDir: string,
  provider: string,
): Promise<Figures> {
  const service = await startServiceProcesses(stackEnv, { AI_PROVIDER: provider });
  try {
    const base = `${service.base}/api/v1`;
    const user = await createTestUser(service.config);
    const headers = { authorization: `Bearer ${user.idToken}` };
    const meter = cpuMeter({ ...stackPids(stackDir), api: service.api.pid!, worker: service.worker.pid! }, ['worker']);
    const [apiMetrics, workerMetrics] = service.metricsUrls as [string, string];
    const apiBefore = await storeCounts([apiMetrics]);
    const workerBefore = await storeCounts([workerMetrics]);
    const upload = async (photo: Buffer, index: number) => {
      const form = new FormData();
      form.append('file', new Blob([photo], { type: 'image/jpeg' }), `photo-${index}.jpg`);
      const startedAt = Date.now();
      const response = await fetch(`${base}/images`, { method: 'POST', body: form, headers });
      if (response.status !== 202) throw new Error(`upload ${index}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { images: Array<{ image_id: string }> };
      return { imageId: body.images[0]!.image_id, startedAt };
    };
    const began = Date.now();
    const uploads = await mapWithConcurrency(photos, UPLOAD_CONCURRENCY, upload);
    // The API's part of the cost, before the polling below adds its list reads.
    const apiStore = countsSince(apiBefore, await storeCounts([apiMetrics]));
    const deadline = Date.now() + 15 * 60_000;
    const finished = new Map<string, { status: string; completed_at?: string }>();
    while (finished.size < uploads.length && Date.now() < deadline) {
      await sleep(2_000); // completion times come from the items, so polling rarely costs no precision
      for (const status of ['completed', 'failed']) {
        let cursor: string | null = null;
        do {
          const query: string = `status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
          const page = (await (await fetch(`${base}/images?${query}`, { headers })).json()) as {
            items: Array<{ image_id: string; status: string; completed_at?: string; updated_at: string }>;
            next_cursor: string | null;
          };
          for (const item of page.items)
            finished.set(item.image_id, { status: item.status, completed_at: item.completed_at ?? item.updated_at });
          cursor = page.next_cursor;
        } while (cursor);
      }
    }
    const failed = [...finished.values()].filter((item) => item.status !== 'completed').length;
    if (finished.size < uploads.length || failed > 0) {
      throw new Error(`pipeline: ${finished.size} of ${uploads.length} finished, ${failed} failed`);
    }
    const latenciesMs = uploads.map(
      ({ imageId, startedAt }) => Date.parse(finished.get(imageId)!.completed_at!) - startedAt,
    );
    const lastDone = Math.max(...[...finished.values()].map((item) => Date.parse(item.completed_at!)));
    const cpu = meter();
    const cpuSeconds = Object.values(cpu.processes).reduce((sum, seconds) => sum + seconds, 0);
    const workerStore = countsSince(workerBefore, await storeCounts([workerMetrics]));
    const store = addCounts(apiStore, workerStore);
    const { actions } = await readRunHistories(
      service.temporal,
      uploads.map(({ imageId }) => `image-${imageId}`),
    );
    const cost = costPerImage(store, actions, uploads.length);

    // Then one image at a time on the idle service: the latency a lone upload sees, with no queue ahead of it.
    const alone: number[] = [];
    for (let index = 0; index < Math.min(LONE_UPLOADS, photos.length); index++) {
      const { imageId, startedAt } = await upload(photos[index]!, index);
      for (;;) {
        const image = (await (await fetch(`${base}/images/${imageId}`, { headers })).json()) as {
          status: string;
          completed_at?: string;
        };
        if (image.status === 'completed') {
          alone.push(Date.parse(image.completed_at!) - startedAt);
          break;
        }
        if (image.status !== 'processing') throw new Error(`lone upload ${index}: ${image.status}`);
        await sleep(20);
      }
    }
    return {
      name: `imagepipe, ${provider} (API → item)`,
      seconds: (lastDone - began) / 1000,
      latenciesMs,
      cpuSeconds,
      cpu,
      aloneMs: alone,
      cost,
    };
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const config = loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe-bench', LOG_LEVEL: 'silent' });
  process.stdout.write(`generating ${COUNT} photos (1.2-3.0 MP JPEG)... `);
  const photos = await syntheticPhotos(COUNT);
  const megabytes = photos.reduce((sum, photo) => sum + photo.length, 0) / 1024 / 1024;
  console.log(`${megabytes.toFixed(0)} MB`);
  console.log(
    `thumbnail set: ${config.images.thumbnailSizes.join(', ')} px ${config.images.thumbnailFormat} q${config.images.thumbnailQuality}; ${os.availableParallelism()} cores`,
  );

  const sharpFigures = await bareSharp(photos, config);
  console.log(line(sharpFigures));
  const magick = await imageMagick(photos, config);
  console.log(typeof magick === 'string' ? magick : line(magick, sharpFigures));
  const runs = await withBenchStack(async (env, dir) => {
    const figures: Figures[] = [];
    for (const provider of PROVIDERS) figures.push(await pipeline(photos, env, dir, provider));
    return figures;
  });
  for (const pipelineFigures of runs) {
    console.log(line(pipelineFigures, sharpFigures));
    for (const text of cpuLines(pipelineFigures.cpu!, pipelineFigures.latenciesMs.length, sharpFigures))
      console.log(text);
    const alone = pipelineFigures.aloneMs!;
    console.log(
      `imagepipe, one image at a time: p50 ${percentile(alone, 50)} ms, p95 ${percentile(alone, 95)} ms (${alone.length} uploads)`,
    );
    console.log(describeCost(pipelineFigures.cost!));
  }
  console.log(
    'pipeline latency: from the start of its upload to its item being completed; in the batch all images are uploaded at once, so it includes queueing.',
  );
}

runBench(main);
