/**
 * bench/labelWords: what the vision provider's labels and objects add to search, on real photos. Each photo (see
 * realPhotos) is shown to the provider as the pipeline shows it (its 256 px WebP thumbnail), and its description,
 * labels and objects are indexed as search indexes them (src/storage/imageSearchTerms.ts). Prints, per photo, the
 * description, the labels and objects, and the words their classes add beyond their own names
 * (src/contracts/classWords.ts), with their weights; then the postings per image they cost beyond the description's
 * words: their own names' words, and the words their classes add. No stack.
 *   npm run bench:label-words
 */
import { readFile } from 'node:fs/promises';
import { VisionAiProvider } from '../src/ai/visionProvider';
import { imageDecoder, renderThumbnails } from '../src/images/renderThumbnails';
import { imageSearchTerms, CLASS_WORDS } from '../src/storage/imageSearchTerms';
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
    const [labels, objects] = await Promise.all([provider.labels(image), provider.objects(image)]);
    const described = new Set(
      imageSearchTerms({ ai_description, tags: [], filename: '' }).terms.map(({ term }) => term),
    );
    const named = new Set([...labels, ...objects].flatMap(({ name }) => tokenize(name)));
    const { terms } = imageSearchTerms({ ai_description, labels, objects, tags: [], filename: '' });
    const extra = terms.filter(({ term }) => !described.has(term) && !named.has(term));
    own.push([...named].filter((term) => !described.has(term)).length);
    added.push(extra.length);
    console.log(`${photo.name}: ${ai_description}`);
    console.log(`  labels: ${labels.map(({ name, probability }) => `${name} ${probability}`).join(', ')}`);
    if (objects.length) console.log(`  objects: ${objects.map(({ name, score }) => `${name} ${score}`).join(', ')}`);
    console.log(`  + ${extra.map(({ term, weight }) => `${term} ${weight.toFixed(2)}`).join(', ') || '(none)'}`);
  }
  await provider.close();
  const mean = (values: number[]) => (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
  console.log(
    `\n${photos.length} photos. Postings per image beyond the description's words: the labels' and objects' own ` +
      `words mean ${mean(own)}, max ${Math.max(...own)}; the words their classes add mean ${mean(added)}, ` +
      `max ${Math.max(...added)} (at most ${CLASS_WORDS.max}, each weighing at least ${CLASS_WORDS.minWeight}).`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
