import { z } from 'zod';
import type { Config } from '../../config';
import { MIME_TYPES } from '../../images/sniffImage';
import { imageFieldsSchema } from './imageFields';
import { text } from './text';

/** `POST /images/uploads`: what the client announces of the file it will PUT, and the image's fields. */
export function directUploadRequestSchema(config: Config) {
  return imageFieldsSchema.extend({
    filename: text(1000, 1),
    content_type: z.enum(
      Object.values(MIME_TYPES) as [string, ...string[]],
      'must be image/jpeg, image/png, image/gif or image/webp',
    ),
    size: z.number().int().min(config.uploads.minBytes).max(config.uploads.maxBytes),
  });
}
