/**
 * bench/labelWords: what the vision provider's labels add to search, on real photos. Each photo (see realPhotos) is
 * shown to the provider as the pipeline shows it (its 256 px WebP thumbnail), and its description and labels are
 * indexed as search indexes them (src/storage/imageSearchTerms.ts). Prints, per photo, the description, the labels
 * and the words their classes add beyond the labels' own (src/contracts/classWords.ts), with their weights; then the
 * postings per image the labels cost: their own words, and the added words that no other word of the image indexes.
 * No stack.
 *   npm run bench:label-words
 */
import { readFile } from 'node:fs/promises';
import { VisionAiProvider } from '../src/ai/visionProvider';
import { imageDecoder, renderThumbnails } from '../src/images/renderThumbnails';
import { imageSearchTerms, LABEL_WORDS } from '../src/storage/imageSearchTerms';
import { tokenize } from '../src/storage/searchTokenizer';
import { realPhotos } from './retrievalPhotos';

async function main(): Promise<void> {
  const provider = new VisionAiProvider();
  const photos = await realPhotos();
  const own: number[] = [];
  const added: number[] = [];
  for (const photo of photos) {
    const rendered = await renderThumbnails(imageDecoder(await readFile(photo.path), 100_000_000), {
      sizes: [256],
      format: 'webp',
      quality: 80,
    });
    const image = {
      thumbnail: rendered.thumbnails[0]!.data,
      thumbnailType: 'image/webp',
      width: rendered.width,
      height: rendered.height,
      format: 'jpeg',
    };
    const ai_description = await provider.describe(image);
    const labels = await provider.labels(image);
    const described = new Set(
      imageSearchTerms({ ai_description, tags: [], filename: '' }).terms.map(({ term }) => term),
    );
    const labelled = new Set(labels.flatMap(({ name }) => tokenize(name)));
    const { terms } = imageSearchTerms({ ai_description, labels, tags: [], filename: '' });
    const extra = terms.filter(({ term }) => !described.has(term) && !labelled.has(term));
    own.push([...labelled].filter((term) => !described.has(term)).length);
    added.push(extra.length);
    console.log(`${photo.name}: ${ai_description}`);
    console.log(`  labels: ${labels.map(({ name, probability }) => `${name} ${probability}`).join(', ')}`);
    console.log(`  + ${extra.map(({ term, weight }) => `${term} ${weight.toFixed(2)}`).join(', ') || '(none)'}`);
  }
  await provider.close();
  const mean = (values: number[]) => (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
  console.log(
    `\n${photos.length} photos. Postings per image beyond the description's words: the labels' own words ` +
      `mean ${mean(own)}, max ${Math.max(...own)}; the words their classes add mean ${mean(added)}, ` +
      `max ${Math.max(...added)} (at most ${LABEL_WORDS.max}, each weighing at least ${LABEL_WORDS.minWeight}).`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
