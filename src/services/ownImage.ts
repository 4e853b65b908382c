import { z } from 'zod';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';
import { NotFoundError } from './serviceErrors';

const imageIdSchema = z.uuid();

/**
 * The user's image, or a NotFoundError that reads the same whether the id is malformed, unknown or another user's:
 * nothing is learned about images that are not yours. Soft-deleted images count as gone, except to the flows that
 * restore or purge them.
 */
export async function ownImage(
  images: ImageRepository,
  userId: string,
  imageId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<ImageRecord> {
  const record = imageIdSchema.safeParse(imageId).success ? await images.get(userId, imageId) : undefined;
  if (!record || record.purging_at || (record.deleted_at && !options.includeDeleted)) {
    throw new NotFoundError(`No image ${imageId}.`);
  }
  return record;
}
