import { z } from 'zod';

/** `POST /auth/token`: the OAuth2 password form, as the seeds' clients send it. */
export const tokenRequestSchema = z.object({
  username: z.email('must be an email address'),
  password: z.string().min(1, 'is required').max(4096),
});
