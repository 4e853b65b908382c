import express, { Router, type RequestHandler, type Response } from 'express';
import type { Config } from '../../config';
import { currentUser } from '../auth/authenticate';
import { refreshSession, signInWithPassword, signUp, type Session } from '../auth/identityToolkit';
import { ProblemError } from '../problem';
import { signUpRequestSchema } from '../schemas/signUpRequest';
import { passwordGrantSchema, refreshGrantSchema } from '../schemas/tokenRequest';
import { parseOrThrow } from '../validation';

/** The OAuth2 token answer (RFC 6749 §5.1); tokens are never cached on the way. */
function sendSession(res: Response, status: number, session: Session, extra: Record<string, unknown> = {}): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json({
    access_token: session.idToken,
    token_type: 'bearer',
    expires_in: session.expiresIn,
    refresh_token: session.refreshToken,
    ...extra,
  });
}

/** The session a token request asks for, by its grant (the password grant when it names none). */
async function grantedSession(config: Config, body: Record<string, unknown>): Promise<Session> {
  const grantType = body.grant_type ?? 'password';
  if (grantType === 'password') {
    const { username, password } = parseOrThrow(passwordGrantSchema, body, 'body', 400);
    return signInWithPassword(config, username, password);
  }
  if (grantType === 'refresh_token') {
    const { refresh_token: refreshToken } = parseOrThrow(refreshGrantSchema, body, 'body', 400);
    return refreshSession(config, refreshToken);
  }
  throw new ProblemError({
    status: 400,
    error: 'unsupported_grant_type',
    detail: 'grant_type must be password or refresh_token.',
  });
}

/** The limits on attempts of each route that takes a password (see rateLimitSignIn). */
export interface SignInLimits {
  token: RequestHandler;
  signup: RequestHandler;
}

/**
 * `POST /auth/token` (the OAuth2 password and refresh grants) and `POST /auth/signup`, limited per client address
 * and per account, and `GET /auth/me`.
 */
export function authRoutes(config: Config, authenticate: RequestHandler, limits: SignInLimits): Router {
  const router = Router();
  // Room for the longest form the document allows, every character percent-encoded.
  const form = express.urlencoded({ extended: false, limit: '128kb' });
  router.post('/auth/token', form, limits.token, async (req, res) => {
    sendSession(res, 200, await grantedSession(config, (req.body ?? {}) as Record<string, unknown>));
  });
  // JSON (parsed by the app) or the same form as sign-in.
  router.post('/auth/signup', form, limits.signup, async (req, res) => {
    const { email, password } = parseOrThrow(signUpRequestSchema, req.body ?? {}, 'body', 400);
    const session = await signUp(config, email, password);
    sendSession(res, 201, session, { user_id: session.userId });
  });
  router.get('/auth/me', authenticate, (req, res) => {
    const user = currentUser(req);
    res.json({ user_id: user.uid, email: user.email, email_verified: user.emailVerified });
  });
  return router;
}
