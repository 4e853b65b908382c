import { z } from 'zod';

/** How many items a page holds: 1 to 100, 20 unless asked (lists and search alike). */
export const pageLimit = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(100, 'must be at most 100')
  .default(20);

/**
 * An email address, as zod's own email check has it, stated in the document as that pattern alone: a fuzzer's idea
 * of the `email` format (which allows and refuses other addresses) is then not a second, different rule.
 */
export const emailAddress = z.string().regex(z.regexes.email, 'must be an email address').max(320);

/**
 * A string of `min` to `max` characters counted as the OpenAPI document counts them: Unicode code points, as JSON
 * Schema's minLength and maxLength do, not JavaScript's UTF-16 units (an emoji is one character, not two). Checked
 * as sent: a value is trimmed only after, so the document's bounds are the server's.
 */
export function text(max: number, min = 0) {
  return z
    .string()
    .refine((value) => [...value].length <= max, `at most ${max} characters`)
    .refine((value) => [...value].length >= min, min === 1 ? 'is required' : `at least ${min} characters`)
    .meta({ maxLength: max, ...(min > 0 ? { minLength: min } : {}) });
}

/** As `text`, with at least one character that is not white space; trimmed once checked. */
export function nonBlank(max: number) {
  return text(max, 1)
    .regex(/\S/u, 'must not be blank')
    .transform((value) => value.trim());
}
