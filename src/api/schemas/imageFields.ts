import { z } from 'zod';

/** A comma list or a repeated field: either way, an array of trimmed, distinct tags. */
const tagList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => [
    ...new Set(
      (Array.isArray(value) ? value : [value])
        .flatMap((entry) => entry.split(','))
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(50, 'each tag must be at most 50 characters')).max(10, 'at most 10 tags'));

/** The descriptive fields an upload may carry, validated the same for multipart and presigned uploads. */
export const imageFieldsSchema = z
  .object({
    title: z.string().trim().max(200, 'at most 200 characters').optional(),
    description: z.string().trim().max(1000, 'at most 1000 characters').optional(),
    tags: tagList.optional(),
    category: z.string().trim().min(1).max(50, 'at most 50 characters').optional(),
    visibility: z.enum(['private', 'public']).default('private'),
  })
  .strict();

export type ImageFields = z.infer<typeof imageFieldsSchema>;
