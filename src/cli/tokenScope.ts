import { apiEndpoint, normalizeApiUrl } from './apiUrl';
import { CliError, EXIT } from './cliError';
import type { StoredLogin } from './configFile';

/**
 * Tokens go back only to the API that issued them. "The same API" is the same normalised base URL (see
 * `normalizeApiUrl`): the same scheme, host and port, and the same base path. Anything else may be another
 * service (another port of the host, another app under another path of it) and gets no token.
 */
export function refuseAnotherApi(apiUrl: string, login: Pick<StoredLogin, 'api_url' | 'email'>): void {
  if (normalizeApiUrl(apiUrl) === normalizeApiUrl(login.api_url)) return;
  throw new CliError(
    `You are signed in at ${login.api_url}, not at ${apiUrl}: your tokens go only to the API that issued them. ` +
      `Sign in there first: imagepipe login --api ${apiUrl} --email ${login.email}`,
    EXIT.usage,
  );
}

/**
 * Where a request with the token goes: a path (`/api/v1/...`) under the API's base URL, or a URL the API handed out
 * (a `complete_url`) when it lies under that base URL too. A URL elsewhere is refused rather than sent the token.
 */
export function apiRequestUrl(apiUrl: string, pathOrUrl: string): URL {
  if (pathOrUrl.startsWith('/')) return apiEndpoint(apiUrl, pathOrUrl);
  const url = new URL(pathOrUrl);
  // Both sides normalised by URL, so a prefix ending in `/` cannot match another host, port or longer path.
  if (url.href.startsWith(`${apiUrl}/`)) return url;
  throw new CliError(
    `The API pointed to ${url.origin}${url.pathname}, outside ${apiUrl}: your token is not sent there.`,
  );
}
