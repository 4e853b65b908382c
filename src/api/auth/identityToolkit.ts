import type { Config } from '../../config';
import { ProblemError } from '../problem';

export interface SignedIn {
  idToken: string;
  expiresIn: number;
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

function baseUrl(config: Config): string {
  const emulator = config.firebase.authEmulatorHost;
  return emulator
    ? `http://${emulator}/identitytoolkit.googleapis.com/v1`
    : 'https://identitytoolkit.googleapis.com/v1';
}

/** Exchanges email and password for a Firebase ID token through the Identity Toolkit REST API. */
export async function signInWithPassword(config: Config, email: string, password: string): Promise<SignedIn> {
  if (!config.firebase.apiKey) {
    throw new ProblemError({
      status: 503,
      detail: 'Password sign-in is not configured on this server (FIREBASE_API_KEY).',
    });
  }
  let response: Response;
  try {
    response = await fetch(
      `${baseUrl(config)}/accounts:signInWithPassword?key=${encodeURIComponent(config.firebase.apiKey)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, returnSecureToken: true }),
        signal: AbortSignal.timeout(10_000),
      },
    );
  } catch {
    throw new ProblemError({ status: 503, detail: 'The identity provider could not be reached. Try again shortly.' });
  }
  const body = (await response.json().catch(() => ({}))) as {
    idToken?: string;
    expiresIn?: string;
    error?: { message?: string };
  };
  if (response.ok && body.idToken) return { idToken: body.idToken, expiresIn: Number(body.expiresIn ?? 3600) };

  const code = (body.error?.message ?? '').split(' ')[0] ?? '';
  if (CREDENTIAL_ERRORS.has(code)) throw new ProblemError({ status: 401, detail: 'Invalid email or password.' });
  if (code.startsWith('TOO_MANY_ATTEMPTS'))
    throw new ProblemError({ status: 429, detail: 'Too many sign-in attempts. Try again later.' });
  throw new ProblemError({ status: 503, detail: 'The identity provider refused the request. Try again shortly.' });
}
