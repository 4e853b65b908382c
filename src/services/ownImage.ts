import { z } from 'zod';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';
import { NotFoundError } from './serviceErrors';

const imageIdSchema = z.uuid();

declare const proven: unique symbol;

/**
 * An image item read for the user who asked, under their own id: proof that they own it. Whatever acts on an image's
 * runs or purges (which Temporal knows by image id alone) takes one of these, so no path can reach another user's
 * run or purge with an id it was merely given.
 */
export type OwnedImage = ImageRecord & { readonly [proven]: true };

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
): Promise<OwnedImage> {
  const record = imageIdSchema.safeParse(imageId).success ? await images.get(userId, imageId) : undefined;
  if (!record || record.purging_at || (record.deleted_at && !options.includeDeleted)) {
    throw new NotFoundError(`No image ${imageId}.`);
  }
  return record as OwnedImage;
}

/** An item this request has just created for its user: theirs by construction. */
export const createdForItsUser = (record: ImageRecord): OwnedImage => record as OwnedImage;
