import { z } from 'zod';

export const hardQuerySchema = z.object({ hard: z.enum(['true', 'false']).default('false') }).strict();

export const bulkDeleteSchema = z
  .object({
    image_ids: z.array(z.uuid()).min(1, 'at least one id').max(100, 'at most 100 ids'),
    hard: z.boolean().default(false),
  })
  .strict();
