import { z } from 'zod';
import { SEARCH_FIELDS } from '../../storage/imageSearchTerms';
import { nonBlank, pageLimit } from './text';

/**
 * A text search: the words (`q`), optionally the one field to look for them in, the page size and, past the first
 * page, the previous page's `next_cursor`. Only the shape is checked here; the search service refuses a query with
 * no word to look for and a cursor that is not one of this search's.
 */
export const searchQuerySchema = z
  .object({
    q: nonBlank(200),
    field: z
      .enum(SEARCH_FIELDS, `must be one of ${SEARCH_FIELDS.join(', ')}`)
      .optional()
      .meta({
        description:
          "Only this field's words count (labels: the images with a label of these words); the search by meaning is then not made",
      }),
    limit: pageLimit,
    cursor: z
      .string()
      .max(200, 'is not a cursor: the next_cursor of a page')
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor: the next_cursor of a page')
      .optional(),
  })
  .strict();
