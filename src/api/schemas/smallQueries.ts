import { z } from 'zod';

// The query strings of the operations that take one or two parameters (or none): each refuses any it does not name.

export const similarQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(50, 'must be at most 50')
      .default(10),
  })
  .strict();

export const thumbnailQuerySchema = z.object({ size: z.coerce.number().int().positive() }).strict();

/** For routes that take no query parameters: any given is refused, naming it. */
export const noQuerySchema = z.object({}).strict();
