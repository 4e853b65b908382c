import { originalKey, processImageWorkflowId } from '../contracts';
import type { ImageRecord, Visibility } from './imageRecord';
import { runPendingShard } from './tables/imagesTable';

/** What the uploader says of an image (validated by the API the same way for every upload path). */
export interface NewImageFields {
  title?: string;
  description?: string;
  tags?: string[];
  category?: string;
  visibility: Visibility;
}

export interface NewImage {
  userId: string;
  imageId: string;
  at: string;
  status: 'awaiting_upload' | 'processing';
  filename: string;
  original: Pick<ImageRecord, 'content_type' | 'format' | 'bytes' | 'sha256' | 'width' | 'height'>;
  fields: NewImageFields;
}

/** The item of a newly accepted image; its storage key and workflow id follow from its ids. */
export function newImageRecord(image: NewImage): ImageRecord {
  return {
    user_id: image.userId,
    image_id: image.imageId,
    created_at: image.at,
    updated_at: image.at,
    status: image.status,
    workflow_id: processImageWorkflowId(image.imageId),
    original_key: originalKey(image.userId, image.imageId),
    filename: image.filename,
    ...image.original,
    title: image.fields.title,
    description: image.fields.description,
    tags: image.fields.tags ?? [],
    category: image.fields.category,
    visibility: image.fields.visibility,
    run_pending: runPendingShard(image.imageId),
  };
}
