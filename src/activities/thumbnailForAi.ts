import type { ImageForAi } from '../ai/aiProvider';
import type { ImageObjects } from '../storage/imageObjects';
import type { RecentlyStored } from './recentlyStored';

/** Thumbnails this worker's thumbnail step stored lately, by key. */
export type RecentThumbnails = RecentlyStored<{ data: Buffer; contentType: string }>;

/** Where thumbnails for the AI provider come from, and how it is to be shown them. */
export interface ThumbnailSource {
  objects: ImageObjects;
  /** What this worker's thumbnail step stored lately: read before storage. */
  recent: RecentThumbnails;
  /** Set when providers fetch thumbnails themselves (AI_IMAGE_TRANSPORT=presigned_url): how long their URL lives. */
  presignedForSeconds?: number;
}

/** What a provider is shown of an image: its smallest thumbnail (a few KB, not the original) and its facts. */
export async function thumbnailForAi(
  source: ThumbnailSource,
  key: string,
  facts: { width: number; height: number; format: string },
): Promise<ImageForAi> {
  const recent = source.recent.get(key);
  const { bytes, contentType } = recent
    ? { bytes: recent.data, contentType: recent.contentType }
    : await source.objects.readBytes(key);
  return {
    thumbnail: bytes,
    thumbnailType: contentType ?? 'image/webp',
    thumbnailUrl:
      source.presignedForSeconds === undefined
        ? undefined
        : await source.objects.presignGet(key, { expiresIn: source.presignedForSeconds }),
    ...facts,
  };
}
