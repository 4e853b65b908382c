import { z } from 'zod';
import { emailAddress, text } from './text';

// The optional fields OAuth2 clients add are taken and ignored; anything else is refused.
const clientFields = {
  scope: text(1000).optional(),
  client_id: text(200).optional(),
  client_secret: text(200).optional(),
};

/** The OAuth2 password grant (RFC 6749 §4.3); the grant of a form that names none. */
export const passwordGrantSchema = z
  .object({
    grant_type: z.literal('password').optional(),
    username: emailAddress,
    password: text(4096, 1),
    ...clientFields,
  })
  .strict();

/** The OAuth2 refresh grant (RFC 6749 §6): a refresh token from an earlier answer for a new access token. */
export const refreshGrantSchema = z
  .object({
    grant_type: z.literal('refresh_token'),
    refresh_token: text(4096, 1),
    ...clientFields,
  })
  .strict();

/** `POST /auth/token`: either grant, as OAuth2 clients send it. */
export const tokenRequestSchema = z.union([passwordGrantSchema, refreshGrantSchema]);
