import type { ImageRecord } from '../storage/imageRecord';
import type { ImageUrls } from './imageUrls';

/** The API path of one image, under the base URL the client reached the API on. */
export const imagePath = (apiBase: string, imageId: string) => `${apiBase}/api/v1/images/${imageId}`;

/** The image as its owner sees it over the API: the stored record without storage internals, plus URLs. */
export async function imageView(record: ImageRecord, urls: ImageUrls, apiBase: string) {
  const path = imagePath(apiBase, record.image_id);
  const thumbnails = await Promise.all(
    (record.thumbnails ?? []).map(async (thumbnail) => ({
      size: thumbnail.size,
      width: thumbnail.width,
      height: thumbnail.height,
      bytes: thumbnail.bytes,
      content_type: thumbnail.content_type,
      url: await urls.of(path, thumbnail.key, `/thumbnail?size=${thumbnail.size}`),
    })),
  );
  return {
    image_id: record.image_id,
    status: record.status,
    created_at: record.created_at,
    updated_at: record.updated_at,
    completed_at: record.completed_at,
    filename: record.filename,
    content_type: record.content_type,
    bytes: record.bytes,
    sha256: record.sha256,
    width: record.width,
    height: record.height,
    title: record.title,
    description: record.description,
    tags: record.tags,
    category: record.category,
    visibility: record.visibility,
    thumbnails,
    dominant_color: record.dominant_color,
    placeholder: record.placeholder,
    ai_description: record.ai_description,
    labels: record.labels,
    objects: record.objects,
    cluster_id: record.cluster_id,
    // As recorded when the image was processed: one deleted since answers 404 at its URL.
    near_duplicates: record.near_duplicates?.map((duplicate) => ({
      ...duplicate,
      url: imagePath(apiBase, duplicate.image_id),
    })),
    failure_reason: record.failure_reason,
    // A direct upload still open whose bytes were found to be another image's.
    duplicate_of: record.duplicate_of,
    urls: {
      self: path,
      status: `${path}/status`,
      original: await urls.of(path, record.original_key, '/original'),
      download: `${path}/download`,
    },
  };
}

/** The smallest thumbnail's URL and the description: what a preview of an image needs. */
export async function imagePreview(record: ImageRecord, urls: ImageUrls, apiBase: string) {
  const smallest = record.thumbnails?.[0];
  const url = smallest
    ? await urls.of(imagePath(apiBase, record.image_id), smallest.key, `/thumbnail?size=${smallest.size}`)
    : undefined;
  return { image_id: record.image_id, thumbnail_url: url, ai_description: record.ai_description };
}
