/**
 * bench/labels: can a person find real photos by the words they would search with, and what does each offline AI
 * provider (local, mobilenet, vision) cost per image? On the labelled set (bench/labelledPhotos.ts: 60 photographs
 * from pinned PyPI and Debian archives, each with the 2-5 words a person would search it by) it prints, per provider:
 *
 * - label accuracy, for providers that give labels: top-1 and top-5 against the photo's words (see namesPhoto), and
 *   likewise the share of photos whose detected objects name them, for providers that detect objects;
 * - search precision@1 for every word of the set, and their mean: each photo uploaded to the service on a throwaway
 *   local stack (one API, one worker with AI_PROVIDER set, a fresh user, neutral file names `photo-07.jpg`), indexed
 *   by the pipeline as any upload is, then each word searched alone through `GET /images/search`; the word scores 1
 *   when the top image carries it in the set, else 0 (no result is 0);
 * - CPU ms per image of the provider's work on one image in this process (describe, labels, objects, embed, as the
 *   pipeline asks for them; process CPU time, the model thread's included), the first image in this process (the
 *   networks loading) and the first image through the service (upload to completed on a fresh worker).
 *
 * What the providers and search learn later (WordNet words for labels, say) shows here without a change: the words
 * come from imageSearchTerms, the labels and objects from the provider, the ranking from the service.
 *   npx tsx bench/labels.ts
 */
import { readFile } from 'node:fs/promises';
import type { AiProvider, ImageForAi } from '../src/ai/aiProvider';
import { COCO_CLASS_NAMES } from '../src/ai/cocoClasses';
import { createAiProvider } from '../src/ai/createAiProvider';
import { CLASS_NAMES } from '../src/ai/imageNetLabels';
import { wordsOf } from '../src/contracts/classWords';
import { loadConfig } from '../src/config';
import type { ImageRecord } from '../src/storage/imageRecord';
import { imageSearchTerms } from '../src/storage/imageSearchTerms';
import { tokenize } from '../src/storage/searchTokenizer';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';
import { ApiClient, waitForImage } from '../test/harness/httpClient';
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import { labelledPhotos, setWords, type LabelledPhoto } from './labelledPhotos';
import { markdownTable } from './markdownTable';
import { startServiceProcesses } from './serviceProcess';
import { shownToAi } from './shownToAi';

const PROVIDERS = ['local', 'mobilenet', 'vision'] as const;
type ProviderName = (typeof PROVIDERS)[number];

const UPLOAD_CONCURRENCY = 4;
/** How long one image may take to be processed, the first one's network loading included. */
const PROCESSING_TIMEOUT_MS = 120_000;

interface InProcess {
  givesLabels: boolean;
  givesObjects: boolean;
  firstImageMs: number;
  cpuMsPerImage: number;
}

interface ThroughService {
  firstImageMs: number;
  /** What each photo's item holds (what search indexed), in the set's order. */
  found: Found[];
  /** For each word of the set, the photo (its index) the search ranked first; undefined when it found none. */
  topHit: Map<string, number | undefined>;
}

/** The labels and objects the pipeline recorded for an image, as its item holds them. */
type Found = Required<Pick<ImageRecord, 'labels' | 'objects'>>;

/**
 * The matching rule, the one place it is decided: labels or objects name what a photo shows when one of the words
 * search indexes them under (imageSearchTerms of a record holding them alone: the words of their names, and any
 * synonyms or broader words search learns to add) is one of the photo's words.
 */
function namesPhoto(found: Partial<Found>, photo: LabelledPhoto): boolean {
  return imageSearchTerms({ tags: [], filename: '', ...found }).terms.some((term) => photo.words.includes(term.term));
}

/** What the pipeline asks of a provider for one image: its description, labels and objects, then its embedding. */
async function analyse(provider: AiProvider, image: ImageForAi): Promise<void> {
  const description = await provider.describe(image);
  await provider.labels?.(image);
  await provider.objects?.(image);
  await provider.embed({ image, description });
}

/**
 * The provider in this process, on every photo one at a time: the first photo on its own (it loads the provider's
 * network, as a worker's first image does), then the CPU time of the others.
 */
async function inProcess(provider: AiProvider, shown: ImageForAi[]): Promise<InProcess> {
  const started = performance.now();
  await analyse(provider, shown[0]!);
  const firstImageMs = performance.now() - started;
  const cpuBefore = process.cpuUsage();
  for (const image of shown.slice(1)) await analyse(provider, image);
  const { user, system } = process.cpuUsage(cpuBefore);
  return {
    givesLabels: provider.labels !== undefined,
    givesObjects: provider.objects !== undefined,
    firstImageMs,
    cpuMsPerImage: (user + system) / 1000 / (shown.length - 1),
  };
}

/**
 * Every photo through the service with the provider, then every word of the set searched alone. The first photo is
 * uploaded and processed on its own: a fresh worker's first image, its network loading included.
 */
async function throughService(
  stackEnv: Record<string, string>,
  provider: ProviderName,
  originals: Buffer[],
  words: string[],
): Promise<ThroughService> {
  const service = await startServiceProcesses(stackEnv, { AI_PROVIDER: provider });
  try {
    const user = await createTestUser(service.config);
    const client = new ApiClient(service.base, user.idToken);
    const processPhoto = async (original: Buffer, index: number) => {
      const name = `photo-${String(index + 1).padStart(2, '0')}.jpg`;
      const uploaded = await client.upload([{ name, body: original }]);
      if (uploaded.status !== 202)
        throw new Error(`upload of ${name}: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
      const imageId = (uploaded.body as { images: Array<{ image_id: string }> }).images[0]!.image_id;
      const { body } = await waitForImage(client, imageId, PROCESSING_TIMEOUT_MS);
      if (body.status !== 'completed') throw new Error(`${name} (${imageId}) ended ${body.status}`);
      return imageId;
    };
    const started = performance.now();
    const firstId = await processPhoto(originals[0]!, 0);
    const firstImageMs = performance.now() - started;
    const restIds = await mapWithConcurrency(originals.slice(1), UPLOAD_CONCURRENCY, (original, index) =>
      processPhoto(original, index + 1),
    );
    const imageIds = [firstId, ...restIds];
    const found = await Promise.all(
      imageIds.map(async (imageId): Promise<Found> => {
        const { status, body } = await client.get(`/api/v1/images/${imageId}`);
        if (status !== 200) throw new Error(`image ${imageId}: ${status} ${JSON.stringify(body)}`);
        const { labels, objects } = body as Partial<Found>;
        return { labels: labels ?? [], objects: objects ?? [] };
      }),
    );
    const photoOf = new Map(imageIds.map((imageId, index) => [imageId, index]));
    const topHit = new Map<string, number | undefined>();
    for (const word of words) {
      const { status, body } = await client.get(
        `/api/v1/images/search?${new URLSearchParams({ q: word, limit: '1' }).toString()}`,
      );
      if (status !== 200) throw new Error(`search for "${word}": ${status} ${JSON.stringify(body)}`);
      const top = (body as { items: Array<{ image_id: string }> }).items[0];
      topHit.set(word, top && photoOf.get(top.image_id));
    }
    return { firstImageMs, found, topHit };
  } finally {
    await service.stop();
  }
}

/**
 * Every word the vision provider can ever index: the words of its 1,000 ImageNet classes and 80 COCO classes, and
 * the words WordNet gives them. A word outside it (moon, galaxy, sky, meadow) no label or object can find.
 */
function visionVocabulary(): Set<string> {
  return new Set(
    [...CLASS_NAMES, ...COCO_CLASS_NAMES].flatMap((name) => [
      ...tokenize(name),
      ...wordsOf(name).flatMap(({ word }) => tokenize(word)),
    ]),
  );
}

const ratio = (part: number, whole: number) => (whole ? part / whole : 0).toFixed(3);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const photos = await labelledPhotos();
  const words = setWords(photos);
  const originals = await Promise.all(photos.map((photo) => readFile(photo.file)));
  const shown = await Promise.all(originals.map(shownToAi));
  const archives = new Set(photos.map((photo) => photo.archive)).size;
  console.log(`bench/labels: ${photos.length} photos from ${archives} archives, ${words.length} words\n`);

  const measured = new Map<ProviderName, InProcess & { service: ThroughService }>();
  await withBenchStack(async (stackEnv) => {
    for (const name of PROVIDERS) {
      process.stderr.write(`${name}: in this process, then through the service\n`);
      const provider = createAiProvider(loadConfig({ ...process.env, ...stackEnv, AI_PROVIDER: name }));
      const own = await inProcess(provider, shown);
      measured.set(name, { ...own, service: await throughService(stackEnv, name, originals, words) });
    }
  });

  const vocabulary = visionVocabulary();
  const known = words.filter((word) => vocabulary.has(word));
  const topHit = (name: ProviderName, word: string) => measured.get(name)!.service.topHit.get(word);
  const precision = (name: ProviderName, word: string) => {
    const hit = topHit(name, word);
    return hit !== undefined && photos[hit]!.words.includes(word) ? 1 : 0;
  };
  // Labels within the first `top`, and objects, each judged by the one rule.
  const labelled = (found: Found, photo: LabelledPhoto, top: number) =>
    namesPhoto({ labels: found.labels.slice(0, top) }, photo);
  const detected = (found: Found, photo: LabelledPhoto) => namesPhoto({ objects: found.objects }, photo);
  const share = (right: (found: Found, photo: LabelledPhoto) => boolean, all: Found[]) =>
    ratio(photos.filter((photo, index) => right(all[index]!, photo)).length, photos.length);
  const rows = PROVIDERS.map((name) => {
    const { givesLabels, givesObjects, cpuMsPerImage, firstImageMs, service } = measured.get(name)!;
    const accuracy = (top: number) =>
      givesLabels ? share((found, photo) => labelled(found, photo, top), service.found) : 'no labels';
    const found = words.filter((word) => precision(name, word) === 1).length;
    const foundKnown = known.filter((word) => precision(name, word) === 1).length;
    return [
      name,
      accuracy(1),
      accuracy(5),
      givesObjects ? share(detected, service.found) : 'no objects',
      `${ratio(found, words.length)} (${found} of ${words.length})`,
      `${ratio(foundKnown, known.length)} (${foundKnown} of ${known.length})`,
      cpuMsPerImage.toFixed(1),
      seconds(firstImageMs),
      seconds(service.firstImageMs),
    ];
  });
  const header = [
    'provider',
    'label top-1',
    'label top-5',
    'objects',
    'search P@1',
    'P@1, words it knows',
    'CPU ms/image',
    'first image',
  ];
  console.log(markdownTable([...header, 'first image, service'], rows));
  console.log(
    '\nLabel top-k: a photo counts when one of its first k labels (as its item holds them: at most 5, each at least ' +
      '5 % probable) is indexed by search under one of its words; objects: likewise one of the kinds of object found. ' +
      'Search P@1: the mean over the words of the set; words it knows: over those of its words that some class of the ' +
      'vision provider is indexed under (its ImageNet and COCO names and their WordNet words), which leaves out what ' +
      'no label can find (moon, sky, meadow). CPU ms/image: what the pipeline asks of the provider for one ' +
      'image (describe, labels, objects, embed) from its 256 px thumbnail, in this process (the model thread ' +
      'included). First image: the same for the first photo, its networks loading included; through the service: ' +
      'its upload until its item is completed, on a fresh worker.',
  );

  console.log('\nSearch precision@1 by word (1: the top image carries the word; else 0 and the photo ranked first):');
  const cell = (name: ProviderName, word: string) => {
    const hit = topHit(name, word);
    return precision(name, word) === 1 ? '1' : `0 ${hit === undefined ? '(none)' : photos[hit]!.name}`;
  };
  const carrying = (word: string) => String(photos.filter((photo) => photo.words.includes(word)).length);
  console.log(
    markdownTable(
      ['word', 'photos', ...PROVIDERS],
      words.map((word) => [word, carrying(word), ...PROVIDERS.map((name) => cell(name, word))]),
    ),
  );

  const said = (named: Array<{ name: string; score?: number; probability?: number; count?: number }>) =>
    named
      .map(({ name, score, probability, count }) => {
        const times = count && count > 1 ? `${count} × ` : '';
        return `${times}${name} ${(probability ?? score ?? 0).toFixed(2)}`;
      })
      .join('; ') || '-';
  for (const name of PROVIDERS) {
    const { givesLabels, givesObjects, service } = measured.get(name)!;
    if (!givesLabels && !givesObjects) continue;
    console.log(`\nWhat ${name} found (✓: it names what the photo shows, by the rule above):`);
    console.log(
      markdownTable(
        ['photo', 'words', 'labels', 'top-1', 'top-5', 'objects', '✓'],
        photos.map((photo, index) => {
          const found = service.found[index]!;
          const mark = (right: boolean) => (right ? '✓' : '');
          return [
            photo.name,
            photo.words.join(', '),
            said(found.labels),
            mark(labelled(found, photo, 1)),
            mark(labelled(found, photo, 5)),
            said(found.objects),
            mark(detected(found, photo)),
          ];
        }),
      ),
    );
  }
}

runBench(main);
