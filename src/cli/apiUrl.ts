import { CliError, EXIT } from './cliError';
import { httpAllowedBy, refusePlainHttpOffMachine } from './plainHttp';

/** Where `scripts/start.sh` serves the API. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** The command line's say on the API: `--api` and `--allow-http`, before the command or after it. */
export interface ApiOptions {
  api?: string;
  allowHttp?: boolean;
}

/**
 * An API base URL as the CLI keeps and compares it: its origin (scheme and host lower-cased, a default port dropped)
 * and its base path (dot segments resolved), without a trailing `/` or `/api/v1` (as the gallery's address reads),
 * as every path the CLI sends starts with `/api/v1`. Two spellings of one API normalise alike.
 */
export function normalizeApiUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new CliError(`Not a URL: ${given}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`Not an HTTP URL: ${given}`, EXIT.usage);
  if (url.username || url.password || url.search || url.hash)
    throw new CliError(`An API URL has no user name, password, query or fragment: ${given}`, EXIT.usage);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

/**
 * The API's base URL: `--api`, else IMAGEPIPE_API_URL, else the one of the saved login, else the local one; refused
 * when it is plain http off this machine and neither `--allow-http` nor IMAGEPIPE_ALLOW_HTTP says so.
 */
export function resolveApiUrl(options: ApiOptions, saved: string | undefined, env = process.env): string {
  const apiUrl = normalizeApiUrl(options.api ?? (env.IMAGEPIPE_API_URL || undefined) ?? saved ?? DEFAULT_API_URL);
  if (!options.allowHttp && !httpAllowedBy(env)) refusePlainHttpOffMachine(apiUrl);
  return apiUrl;
}

/** A path of the API (`/api/v1/...`) under its base URL, base path included. */
export const apiEndpoint = (apiUrl: string, path: string) => new URL(`${apiUrl}${path}`);
