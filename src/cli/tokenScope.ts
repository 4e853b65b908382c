import { normalizeApiUrl } from './apiUrl';
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
 * Refuses a request with the token to anywhere but under the API's base URL: the typed client builds every URL from
 * it, and this is the guard that keeps it so.
 */
export function refuseOutsideApi(apiUrl: string, url: string): void {
  const { href, origin, pathname } = new URL(url);
  // Both sides normalised by URL, so a prefix ending in `/` cannot match another host, port or longer path.
  if (href.startsWith(`${apiUrl}/`)) return;
  throw new CliError(`A request to ${origin}${pathname}, outside ${apiUrl}: your token is not sent there.`);
}
