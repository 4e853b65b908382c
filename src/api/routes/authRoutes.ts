import express, { Router, type RequestHandler } from 'express';
import type { Config } from '../../config';
import { currentUser } from '../auth/authenticate';
import { signInWithPassword } from '../auth/identityToolkit';
import { tokenRequestSchema } from '../schemas/tokenRequest';
import { parseOrThrow } from '../validation';

/** `POST /auth/token` (OAuth2 password form, as the seeds' clients send it) and `GET /auth/me`. */
export function authRoutes(config: Config, authenticate: RequestHandler): Router {
  const router = Router();
  router.post('/auth/token', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res) => {
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
