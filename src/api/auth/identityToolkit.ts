import type { Config } from '../../config';
import { ProblemError, type Problem } from '../problem';

/** What a sign-in, a sign-up or a refresh gives: a Firebase ID token and the refresh token that renews it. */
export interface Session {
  idToken: string;
  expiresIn: number;
  refreshToken: string;
  userId: string;
}

// Every way a sign-in can be refused answers the same, so the response never tells which accounts exist.
const CREDENTIAL_ERRORS = new Set([
  'EMAIL_NOT_FOUND',
  'INVALID_PASSWORD',
  'INVALID_LOGIN_CREDENTIALS',
  'USER_DISABLED',
  'INVALID_EMAIL',
  'MISSING_PASSWORD',
]);

// Every way a refresh token stops working (malformed, expired, revoked, its user disabled or deleted): sign in again.
const REFRESH_ERRORS = new Set([
  'INVALID_REFRESH_TOKEN',
  'TOKEN_EXPIRED',
  'USER_DISABLED',
  'USER_NOT_FOUND',
  'MISSING_REFRESH_TOKEN',
]);

const SIGN_UP_PROBLEMS: Record<string, Problem> = {
  EMAIL_EXISTS: { status: 409, detail: 'An account with this email address exists already.' },
  INVALID_EMAIL: { status: 400, detail: 'The email address is not valid.' },
  MISSING_EMAIL: { status: 400, detail: 'An email address is required.' },
  MISSING_PASSWORD: { status: 400, detail: 'A password is required.' },
};

function emulatorOr(config: Config, host: string): string {
  const emulator = config.firebase.authEmulatorHost;
  return emulator ? `http://${emulator}/${host}` : `https://${host}`;
}

interface ProviderAnswer {
  ok: boolean;
  body: Record<string, unknown>;
  /** The provider's error code (`EMAIL_EXISTS`), without the explanation that may follow it. */
  code: string;
  /** That explanation (`Password should be at least 6 characters`), when given. */
  reason?: string;
}

/** One call to Firebase's REST APIs: 503 when the server is not configured for it or the provider is unreachable. */
async function callProvider(
  config: Config,
  url: (apiKey: string) => string,
  init: RequestInit,
): Promise<ProviderAnswer> {
  if (!config.firebase.apiKey) {
    throw new ProblemError({
      status: 503,
      detail: 'Password sign-in is not configured on this server (FIREBASE_API_KEY).',
    });
  }
  let response: Response;
  try {
    response = await fetch(url(encodeURIComponent(config.firebase.apiKey)), {
      method: 'POST',
      ...init,
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new ProblemError({ status: 503, detail: 'The identity provider could not be reached. Try again shortly.' });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown> & { error?: { message?: string } };
  const [code = '', reason] = (body.error?.message ?? '').split(' : ');
  return { ok: response.ok, body, code: code.trim(), reason };
}

function tooManyAttempts(code: string): ProblemError | undefined {
  return code.startsWith('TOO_MANY_ATTEMPTS')
    ? new ProblemError({ status: 429, detail: 'Too many attempts. Try again later.' })
    : undefined;
}

const providerRefused = () =>
  new ProblemError({ status: 503, detail: 'The identity provider refused the request. Try again shortly.' });

/** The answer of Identity Toolkit's `accounts:*` methods as a session, when it carries one. */
function accountSession(body: Record<string, unknown>): Session | undefined {
  const { idToken, refreshToken, expiresIn, localId } = body;
  if (typeof idToken !== 'string' || typeof refreshToken !== 'string' || typeof localId !== 'string') return undefined;
  return { idToken, refreshToken, userId: localId, expiresIn: Number(expiresIn ?? 3600) };
}

function identityToolkit(config: Config, method: string, payload: Record<string, unknown>) {
  return callProvider(
    config,
    (key) => `${emulatorOr(config, 'identitytoolkit.googleapis.com')}/v1/${method}?key=${key}`,
    {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload, returnSecureToken: true }),
    },
  );
}

/** Exchanges email and password for a session through the Identity Toolkit REST API. */
export async function signInWithPassword(config: Config, email: string, password: string): Promise<Session> {
  const answer = await identityToolkit(config, 'accounts:signInWithPassword', { email, password });
  const session = answer.ok ? accountSession(answer.body) : undefined;
  if (session) return session;
  if (CREDENTIAL_ERRORS.has(answer.code)) throw new ProblemError({ status: 401, detail: 'Invalid email or password.' });
  throw tooManyAttempts(answer.code) ?? providerRefused();
}

/** Creates an email and password account and signs it in. */
export async function signUp(config: Config, email: string, password: string): Promise<Session> {
  const answer = await identityToolkit(config, 'accounts:signUp', { email, password });
  const session = answer.ok ? accountSession(answer.body) : undefined;
  if (session) return session;
  const known = SIGN_UP_PROBLEMS[answer.code];
  if (known) throw new ProblemError(known);
  if (answer.code === 'WEAK_PASSWORD') {
    throw new ProblemError({
      status: 400,
      detail: `The password is too weak${answer.reason ? `: ${answer.reason}` : ''}.`,
    });
  }
  throw tooManyAttempts(answer.code) ?? providerRefused();
}

/** Exchanges a refresh token for a new session through the Secure Token API (the OAuth2 refresh grant). */
export async function refreshSession(config: Config, refreshToken: string): Promise<Session> {
  const answer = await callProvider(
    config,
    (key) => `${emulatorOr(config, 'securetoken.googleapis.com')}/v1/token?key=${key}`,
    { body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }) },
  );
  const { id_token: idToken, refresh_token: renewed, expires_in: expiresIn, user_id: userId } = answer.body;
  if (answer.ok && typeof idToken === 'string' && typeof renewed === 'string' && typeof userId === 'string')
    return { idToken, refreshToken: renewed, userId, expiresIn: Number(expiresIn ?? 3600) };
  if (REFRESH_ERRORS.has(answer.code)) {
    throw new ProblemError({
      status: 401,
      error: 'invalid_grant',
      detail: 'The refresh token is invalid, expired or revoked. Sign in again.',
    });
  }
  throw tooManyAttempts(answer.code) ?? providerRefused();
}
