/**
 * bench/retrieval: how well each offline AI provider's embedding finds a photo again once it has been altered,
 * without labels. The real photos available offline (see realPhotos) each get 5 altered copies (crop to 80 %,
 * rotate 10°, brightness +30 %, JPEG quality 40, greyscale); each copy is looked up among all the original photos by
 * cosine similarity, and counts as found at rank k when its own source is among the k nearest. Every image is
 * embedded as the pipeline embeds it: from its 256 px WebP thumbnail. Prints recall@1 and recall@5 by provider and
 * alteration, the CPU time of one embedding, and where a near-duplicate threshold separates the copies from
 * different photos.
 *   npx tsx bench/retrieval.ts
 */
import { readFile } from 'node:fs/promises';
import type { AiProvider, ImageForAi } from '../src/ai/aiProvider';
import { LocalAiProvider } from '../src/ai/localProvider';
import { MobileNetAiProvider } from '../src/ai/mobileNetProvider';
import { ModelThread } from '../src/ai/modelThread';
import { VisionAiProvider } from '../src/ai/visionProvider';
import { markdownTable } from './markdownTable';
import { ALTERATIONS, alteredCopies, realPhotos } from './retrievalPhotos';
import { shownToAi } from './shownToAi';

async function embed(provider: AiProvider, image: ImageForAi): Promise<Float64Array> {
  const vector = await provider.embed({ image, description: '' });
  const norm = Math.hypot(...vector) || 1;
  return Float64Array.from(vector, (value) => value / norm);
}

// Near-duplicate thresholds tried: how many copies each catches, and how many different photos it confuses.
const THRESHOLDS = [0.8, 0.85, 0.88, 0.9, 0.92, 0.95];

const dot = (a: Float64Array, b: Float64Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);
const ratio = (part: number, whole: number) => (whole ? part / whole : 0).toFixed(3);

async function main(): Promise<void> {
  const photos = await realPhotos();
  const sources = await Promise.all(photos.map(async (photo) => shownToAi(await readFile(photo.path))));
  const copies = (
    await Promise.all(
      photos.map(async (photo, source) =>
        Promise.all(
          (await alteredCopies(await readFile(photo.path))).map(async (copy) => ({
            source,
            alteration: copy.alteration,
            image: await shownToAi(copy.data),
          })),
        ),
      ),
    )
  ).flat();
  console.log(`${photos.length} photos, ${copies.length} altered copies (${ALTERATIONS.length} each)\n`);

  // A model thread each, so that each network's first image shows its own cold start (a worker has one thread).
  const threads = [new ModelThread(), new ModelThread()] as const;
  const providers: AiProvider[] = [
    new LocalAiProvider(),
    new MobileNetAiProvider(threads[0]),
    new VisionAiProvider(threads[1]),
  ];
  const rows: string[][] = [];
  const separations: string[] = [];
  const loads: string[] = [];
  for (const provider of providers) {
    // A provider that loads a network loads it here, outside the timing: how long a worker's first image waits.
    const loading = performance.now();
    await embed(provider, sources[0]!);
    loads.push(`${provider.name}: first image in ${((performance.now() - loading) / 1000).toFixed(1)} s`);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const sourceVectors: Float64Array[] = [];
    for (const image of sources) sourceVectors.push(await embed(provider, image));
    const copyVectors: Float64Array[] = [];
    for (const copy of copies) copyVectors.push(await embed(provider, copy.image));
    const embedded = sources.length + copies.length;
    const { user, system } = process.cpuUsage(cpuBefore);
    const cpuMs = (user + system) / 1000 / embedded;
    const wallMs = (performance.now() - started) / embedded;

    const hits = new Map<string, { at1: number; at5: number; total: number }>();
    const sameSimilarities: number[] = [];
    const differentSimilarities: number[] = [];
    copies.forEach((copy, index) => {
      const similarities = sourceVectors.map((vector) => dot(copyVectors[index]!, vector));
      const own = similarities[copy.source]!;
      const rank = similarities.filter((similarity) => similarity > own).length; // 0: its source is the nearest
      sameSimilarities.push(own);
      for (const key of [copy.alteration, 'all']) {
        const tally = hits.get(key) ?? { at1: 0, at5: 0, total: 0 };
        tally.total += 1;
        if (rank < 1) tally.at1 += 1;
        if (rank < 5) tally.at5 += 1;
        hits.set(key, tally);
      }
    });
    // Each pair of different photos: a near-duplicate threshold must keep them apart.
    sourceVectors.forEach((a, i) =>
      sourceVectors.forEach((b, j) => {
        if (i < j) differentSimilarities.push(dot(a, b));
      }),
    );
    const all = hits.get('all')!;
    rows.push([
      provider.name,
      ratio(all.at1, all.total),
      ratio(all.at5, all.total),
      ...ALTERATIONS.map((alteration) => ratio(hits.get(alteration)!.at1, hits.get(alteration)!.total)),
      cpuMs.toFixed(1),
      wallMs.toFixed(1),
    ]);
    const above = (similarities: number[], threshold: number) =>
      similarities.filter((similarity) => similarity >= threshold).length;
    const chosen = provider.nearDuplicateSimilarity;
    separations.push(
      `${provider.name}: a copy and its source ≥ ${Math.min(...sameSimilarities).toFixed(3)}, ` +
        `two different photos ≤ ${Math.max(...differentSimilarities).toFixed(3)}; ` +
        `near-duplicate threshold ${chosen ?? 'none'}`,
      ...THRESHOLDS.map(
        (threshold) =>
          `  ≥ ${threshold.toFixed(2)}: ${ratio(above(sameSimilarities, threshold), sameSimilarities.length)} of ` +
          `copies, ${above(differentSimilarities, threshold)} of ${differentSimilarities.length} pairs of different photos`,
      ),
    );
  }
  await Promise.all(threads.map((thread) => thread.close()));

  const header = ['provider', 'recall@1', 'recall@5', ...ALTERATIONS.map((name) => `@1 ${name}`), 'CPU ms', 'wall ms'];
  console.log(markdownTable(header, rows));
  console.log('\nCPU ms and wall ms: one embedding from a thumbnail, one at a time (the network in its own thread).');
  console.log(`\nA worker's first image (the network loading in its thread): ${loads.join('; ')}.`);
  console.log('\nCosine similarities, and near-duplicate thresholds:');
  for (const separation of separations) console.log(`  ${separation}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
