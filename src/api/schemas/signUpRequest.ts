import { z } from 'zod';
import { emailAddress, text } from './text';

/**
 * `POST /auth/signup`: a new email and password account. Six characters is Firebase Auth's own minimum, stated here
 * so the document says it; a stricter password policy of the project is the provider's to enforce (400).
 */
export const signUpRequestSchema = z
  .object({
    email: emailAddress,
    password: text(4096, 6),
  })
  .strict();
