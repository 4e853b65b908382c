import { z } from 'zod';

/**
 * `POST /auth/token`: the OAuth2 password form (RFC 6749 §4.3), as OAuth2 clients send it; the optional fields they
 * add are taken and ignored, anything else is refused.
 */
export const tokenRequestSchema = z
  .object({
    username: z.email('must be an email address'),
    password: z.string().min(1, 'is required').max(4096),
    grant_type: z.literal('password').optional(),
    scope: z.string().max(1000).optional(),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(200).optional(),
  })
  .strict();
