import { z } from 'zod';
import { nonBlank, pageLimit } from './text';

/**
 * A text search: the words (`q`), the page size and, past the first page, the previous page's `next_cursor`.
 * Only the shape is checked here; the search service refuses a query with no word to look for and a cursor that is
 * not one of this search's.
 */
export const searchQuerySchema = z
  .object({
    q: nonBlank(200),
    limit: pageLimit,
    cursor: z
      .string()
      .max(200, 'is not a cursor: the next_cursor of a page')
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor: the next_cursor of a page')
      .optional(),
  })
  .strict();
