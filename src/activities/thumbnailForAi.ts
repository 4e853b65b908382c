import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImageForAi } from '../ai/aiProvider';

/** Where thumbnails for the AI provider come from, and how it is to be shown them. */
export interface ThumbnailSource {
  s3: S3Client;
  bucket: string;
  /** Set when providers fetch thumbnails themselves (AI_IMAGE_TRANSPORT=presigned_url). */
  signUrl?: (key: string) => Promise<string>;
}

/** What a provider is shown of an image: its smallest thumbnail (a few KB, not the original) and its facts. */
export async function thumbnailForAi(
  source: ThumbnailSource,
  key: string,
  facts: { width: number; height: number; format: string },
): Promise<ImageForAi> {
  const object = await source.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
  return {
    thumbnail: Buffer.from(await object.Body!.transformToByteArray()),
    thumbnailType: object.ContentType ?? 'image/webp',
    thumbnailUrl: source.signUrl && (await source.signUrl(key)),
    ...facts,
  };
}
