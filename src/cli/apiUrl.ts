import { CliError, EXIT } from './cliError';

/** Where `scripts/start.sh` serves the API. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/**
 * The API's base URL: `--api`, else IMAGEPIPE_API_URL, else the one of the saved login, else the local one; a
 * trailing `/` or `/api/v1` (as the gallery's address reads) is dropped, as every path starts with it.
 */
export function resolveApiUrl(option: string | undefined, saved: string | undefined, env = process.env): string {
  const given = option ?? (env.IMAGEPIPE_API_URL || undefined) ?? saved ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new CliError(`Not a URL: ${given}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`Not an HTTP URL: ${given}`, EXIT.usage);
  return url.href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}
