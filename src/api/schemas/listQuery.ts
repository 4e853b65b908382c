import { z } from 'zod';
import type { ListPosition } from '../../storage/imageRepository';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value).toISOString());

/** An opaque cursor: where the previous page ended, base64url-encoded. Its shape is checked when it comes back. */
const positionSchema = z.object({ image_id: z.uuid(), created_at: z.iso.datetime() }).strict();

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

const cursor = z
  .string()
  .max(500)
  .transform((value, context) => {
    try {
      return positionSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    } catch {
      context.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
      return z.NEVER;
    }
  });

export const listQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .default(20),
    cursor: cursor.optional(),
    tag: z.string().trim().min(1).max(50).optional(),
    category: z.string().trim().min(1).max(50).optional(),
    visibility: z.enum(['private', 'public']).optional(),
    status: z.enum(['processing', 'completed', 'failed']).optional(),
    cluster: z.string().min(1).max(100).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export type ListQuery = z.infer<typeof listQuerySchema>;
