import type { ImageRecord } from '../images/imageRecord';
import type { ImageUrls } from '../images/imageUrls';

/** The image as its owner sees it over the API: the stored record without storage internals, plus URLs. */
export async function imageView(record: ImageRecord, urls: ImageUrls, apiBase: string) {
  const path = `${apiBase}/api/v1/images/${record.image_id}`;
  const proxied = urls.mode === 'proxy';
  const thumbnails = await Promise.all(
    (record.thumbnails ?? []).map(async (thumbnail) => ({
      size: thumbnail.size,
      width: thumbnail.width,
      height: thumbnail.height,
      bytes: thumbnail.bytes,
      content_type: thumbnail.content_type,
      url: proxied ? `${path}/thumbnail?size=${thumbnail.size}` : (await urls.signed(thumbnail.key)).url,
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
    cluster_id: record.cluster_id,
    failure_reason: record.failure_reason,
    urls: {
      self: path,
      status: `${path}/status`,
      original: proxied ? `${path}/original` : (await urls.signed(record.original_key)).url,
      download: `${path}/download`,
    },
  };
}
