import express, { Router, type RequestHandler } from 'express';
import type { Config } from '../../config';
import { currentUser } from '../auth/authenticate';
import { rateLimitSignIn } from '../rateLimit';
import { signInWithPassword } from '../auth/identityToolkit';
import { tokenRequestSchema } from '../schemas/tokenRequest';
import { parseOrThrow } from '../validation';

/** `POST /auth/token` (the OAuth2 password form), limited per client address and per account, and `GET /auth/me`. */
export function authRoutes(config: Config, authenticate: RequestHandler): Router {
  const router = Router();
  // Room for the longest form the document allows, every character percent-encoded.
  const form = express.urlencoded({ extended: false, limit: '128kb' });
  router.post('/auth/token', form, rateLimitSignIn(config.signInRateLimit), async (req, res) => {
    const { username, password } = parseOrThrow(tokenRequestSchema, req.body ?? {}, 'body', 400);
    const signedIn = await signInWithPassword(config, username, password);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: signedIn.idToken, token_type: 'bearer', expires_in: signedIn.expiresIn });
  });
  router.get('/auth/me', authenticate, (req, res) => {
    const user = currentUser(req);
    res.json({ user_id: user.uid, email: user.email, email_verified: user.emailVerified });
  });
  return router;
}
