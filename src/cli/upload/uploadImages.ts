import { mapWithConcurrency } from '../../util/mapWithConcurrency';
import type { ApiClient } from '../apiClient';
import type { LocalImage } from './findImages';
import { digestKey, heldImages } from './heldImages';
import { sendImage, type Sent } from './sendImage';
import { sha256File } from './sha256File';
import type { UploadProgress } from './uploadProgress';

/** What became of one local image, with its digest; `copy_of` names the file of this run it has the bytes of. */
export type ImageOutcome = Sent & { file: string; size: number; sha256: string; copy_of?: string };

export interface UploadOptions {
  concurrency: number;
  /** Files larger than this many bytes go through the presigned route. */
  directAbove: number;
  progress: UploadProgress;
}

/** A copy within the run ends as its first file did: a duplicate of the image it became, or refused alike. */
function asCopy(first: Sent): Sent {
  return first.result === 'uploaded' ? { ...first, result: 'duplicate' } : first;
}

/**
 * Uploads what the user does not hold yet: every file is hashed here, the first of each set of identical files is
 * checked against the library (`POST /images/checks`) and sent only when the library lacks it; the others end as
 * it did. The API's own `duplicate_of` answers (a file that arrived meanwhile) count as duplicates too.
 */
export async function uploadImages(
  client: ApiClient,
  images: LocalImage[],
  options: UploadOptions,
): Promise<ImageOutcome[]> {
  const { progress } = options;
  if (images.length === 0) return [];
  progress.start('hashing', images.length, sum(images));
  const digests = await mapWithConcurrency(images, options.concurrency, async (image) => {
    const sha256 = await sha256File(image.path);
    progress.fileDone(image.size);
    return { ...image, sha256 };
  });

  const firstOf = new Map<string, (typeof digests)[number]>();
  for (const digest of digests) if (!firstOf.has(digestKey(digest))) firstOf.set(digestKey(digest), digest);
  const firsts = [...firstOf.values()];
  const held = await heldImages(client, firsts);
  const toSend = firsts.filter((first) => !held.has(digestKey(first)));

  if (toSend.length > 0) progress.start('uploading', toSend.length, sum(toSend));
  const sent = new Map<string, Sent>();
  await mapWithConcurrency(toSend, options.concurrency, async (image) => {
    sent.set(digestKey(image), await sendImage(client, image, options.directAbove));
    progress.fileDone(image.size);
  });
  progress.stop();

  const firstFile = new Map<string, string>();
  return digests.map(({ path, size, sha256 }) => {
    const key = digestKey({ sha256, size });
    const heldImage = held.get(key);
    const first: Sent = heldImage ? { result: 'duplicate', ...heldImage } : sent.get(key)!;
    const copyOf = firstFile.get(key);
    if (copyOf === undefined) {
      firstFile.set(key, path);
      return { ...first, file: path, size, sha256 };
    }
    return { ...asCopy(first), file: path, size, sha256, copy_of: copyOf };
  });
}

const sum = (images: Array<{ size: number }>) => images.reduce((total, image) => total + image.size, 0);
