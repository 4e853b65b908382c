import { z } from 'zod';

/** At most this many files per check: a client's folder is checked in a few requests, each a bounded batch read. */
export const MAX_FILE_CHECKS = 1_000;

export const fileChecksSchema = z
  .object({
    files: z
      .array(
        z
          .object({
            sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lowercase hex (64 characters)'),
            size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          })
          .strict(),
      )
      .min(1, 'at least one file')
      .max(MAX_FILE_CHECKS, `at most ${MAX_FILE_CHECKS} files`),
  })
  .strict();
