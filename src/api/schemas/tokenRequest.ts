import { z } from 'zod';
import { text } from './text';

/**
 * `POST /auth/token`: the OAuth2 password form (RFC 6749 §4.3), as OAuth2 clients send it; the optional fields they
 * add are taken and ignored, anything else is refused.
 */
export const tokenRequestSchema = z
  .object({
    username: z.email('must be an email address').max(320),
    password: text(4096, 1),
    grant_type: z.literal('password').optional(),
    scope: text(1000).optional(),
    client_id: text(200).optional(),
    client_secret: text(200).optional(),
  })
  .strict();
