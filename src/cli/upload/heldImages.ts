import { bodyOf, type ApiClient } from '../apiClient';

/** The image the user holds already with a file's bytes. */
export interface HeldImage {
  image_id: string;
  status: string;
}

export interface FileDigest {
  sha256: string;
  size: number;
}

// The most files `POST /images/checks` takes at once.
const CHECKS_PER_REQUEST = 1_000;

export const digestKey = (digest: FileDigest) => `${digest.sha256}:${digest.size}`;

/** Which of the files the user holds already (by `digestKey`), asked of `POST /images/checks` in batches. */
export async function heldImages(client: ApiClient, digests: FileDigest[]): Promise<Map<string, HeldImage>> {
  const held = new Map<string, HeldImage>();
  for (let start = 0; start < digests.length; start += CHECKS_PER_REQUEST) {
    const files = digests.slice(start, start + CHECKS_PER_REQUEST).map(({ sha256, size }) => ({ sha256, size }));
    const { results } = bodyOf(await client.POST('/api/v1/images/checks', { body: { files } }));
    for (const result of results) {
      if (result.exists && result.image_id)
        held.set(digestKey(result), { image_id: result.image_id, status: result.status ?? 'unknown' });
    }
  }
  return held;
}
