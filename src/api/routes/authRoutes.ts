import express, { type RequestHandler } from 'express';
import type { Config } from '../../config';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';
import { refreshSession, signInWithPassword, signUp, type Session } from '../auth/identityToolkit';
import { ProblemError } from '../problem';
import { signUpRequestSchema } from '../schemas/signUpRequest';
import { passwordGrantSchema, refreshGrantSchema } from '../schemas/tokenRequest';
import { parseOrThrow } from '../validation';

/** The OAuth2 token answer (RFC 6749 §5.1). */
function sessionAnswer(session: Session) {
  return {
    access_token: session.idToken,
    token_type: 'bearer' as const,
    expires_in: session.expiresIn,
    refresh_token: session.refreshToken,
  };
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
 * and per account, and `GET /auth/me`. Tokens are never cached on the way.
 */
export function authRoutes(
  config: Config,
  limits: SignInLimits,
): Pick<OperationHandlers, 'signIn' | 'signUp' | 'getMe'> {
  // Room for the longest form the document allows, every character percent-encoded.
  const form = express.urlencoded({ extended: false, limit: '128kb' });
  return {
    signIn: {
      before: [form, limits.token],
      handle: async (_input, { req, res, reply }) => {
        const session = await grantedSession(config, (req.body ?? {}) as Record<string, unknown>);
        res.setHeader('Cache-Control', 'no-store');
        reply(200, sessionAnswer(session));
      },
    },
    // JSON (parsed by the app) or the same form as sign-in.
    signUp: {
      before: [form, limits.signup],
      handle: async (_input, { req, res, reply }) => {
        const { email, password } = parseOrThrow(signUpRequestSchema, req.body ?? {}, 'body', 400);
        const session = await signUp(config, email, password);
        res.setHeader('Cache-Control', 'no-store');
        reply(201, { ...sessionAnswer(session), user_id: session.userId });
      },
    },
    getMe: (_input, { req, reply }) => {
      const user = currentUser(req);
      reply(200, { user_id: user.uid, email: user.email, email_verified: user.emailVerified });
    },
  };
}
