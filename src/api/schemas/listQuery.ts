import { z } from 'zod';
import type { ListPosition } from '../../storage/imageRepository';
import { nonBlank, pageLimit, text } from './text';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value, context) => {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
    context.addIssue({ code: 'custom', message: 'is not a date that exists' });
    return z.NEVER;
  });

/**
 * Where the previous page ended: its last image's creation time and id. Any cursor of this form is a place to
 * resume from (the list goes on after it, whether or not such an image exists), so the document can say exactly
 * which cursors the API takes.
 */
const CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeCursor(position: ListPosition): string {
  return `${position.created_at}_${position.image_id}`;
}

const cursor = z
  .string()
  .regex(CURSOR, 'is not a cursor: the next_cursor of a page')
  .transform((value): ListPosition => {
    const [, createdAt, imageId] = CURSOR.exec(value)!;
    return { created_at: createdAt!, image_id: imageId! };
  });

export const listQuerySchema = z
  .object({
    limit: pageLimit,
    cursor: cursor.optional(),
    tag: nonBlank(50).optional(),
    category: nonBlank(50).optional(),
    visibility: z.enum(['private', 'public']).optional(),
    status: z.enum(['processing', 'completed', 'failed']).optional(),
    cluster: text(100, 1).optional(),
    near_duplicates: z
      .literal('true', 'must be true (only images that nearly duplicate earlier ones)')
      .transform(() => true)
      .optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

export type ListQuery = z.infer<typeof listQuerySchema>;
