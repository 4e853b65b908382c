import type { RequestHandler } from 'express';
import type { Auth } from 'firebase-admin/auth';
import { ProblemError } from '../problem';

export interface AuthenticatedUser {
  uid: string;
  email?: string;
  emailVerified: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` on every /api/v1 route that needs a signed-in user. */
    user?: AuthenticatedUser;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

function unauthorized(detail: string): ProblemError {
  return new ProblemError({ status: 401, detail, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
}

const RESERVED_UID_PREFIX = '#';

/**
 * Verifies the Firebase ID token in `Authorization: Bearer ...`: signature, expiry, audience and issuer of the
 * configured project, and (when configured) that it was not revoked. Which check failed is logged, not told.
 */
export function authenticate(auth: Auth, options: { checkRevoked: boolean }): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header)
      return next(
        new ProblemError({
          status: 401,
          detail: 'Authorization: Bearer <Firebase ID token> is required.',
          headers: { 'WWW-Authenticate': 'Bearer' },
        }),
      );
    const match = BEARER.exec(header);
    if (!match) return next(unauthorized('The Authorization header is not a Bearer token.'));
    try {
      const decoded = await auth.verifyIdToken(match[1]!, options.checkRevoked);
      // Keys starting with `#` are the service's own partitions (held webhook events, readiness probes): no user's.
      if (decoded.uid.startsWith(RESERVED_UID_PREFIX)) {
        req.log.warn({ uid: decoded.uid }, 'token for a reserved uid refused');
        return next(unauthorized('The token is not valid for this service.'));
      }
      req.user = { uid: decoded.uid, email: decoded.email, emailVerified: decoded.email_verified ?? false };
      req.log = req.log.child({ userId: decoded.uid });
      next();
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unknown';
      req.log.info({ code }, 'token refused');
      if (code === 'auth/id-token-expired') return next(unauthorized('The token has expired.'));
      if (code === 'auth/id-token-revoked' || code === 'auth/user-disabled')
        return next(unauthorized('The token is no longer valid.'));
      if (code.startsWith('auth/') && code !== 'auth/internal-error')
        return next(unauthorized('The token is not valid for this service.'));
      // Firebase itself could not be asked (network, emulator down): not the caller's fault.
      next(new ProblemError({ status: 503, detail: 'Tokens cannot be verified right now. Try again shortly.' }));
    }
  };
}

/** The signed-in user of a route behind `authenticate`. */
export function currentUser(req: { user?: AuthenticatedUser }): AuthenticatedUser {
  if (!req.user) throw new ProblemError({ status: 401, detail: 'Not signed in.' });
  return req.user;
}
