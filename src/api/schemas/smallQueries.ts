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

/**
 * A status request may wait (`wait`, seconds) until the image's processing ends: it is answered then, or when the
 * wait is over (held at most STATUS_WAIT_MAX_SECONDS), whichever comes first.
 */
export const statusQuerySchema = z
  .object({
    wait: z.coerce
      .number()
      .int('must be a whole number of seconds')
      .min(0, 'must be at least 0')
      .max(60, 'must be at most 60 (seconds)')
      .default(0),
  })
  .strict();

/** How long an event stream stays open before it ends (the client opens another). */
export const eventStreamQuerySchema = z
  .object({
    seconds: z.coerce
      .number()
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1')
      .max(300, 'must be at most 300')
      .default(300),
  })
  .strict();

/** For routes that take no query parameters: any given is refused, naming it. */
export const noQuerySchema = z.object({}).strict();
