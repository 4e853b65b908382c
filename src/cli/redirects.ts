import { CliError } from './cliError';

/**
 * Requests to the API are made with `redirect: 'manual'` and a redirect answer ends them here. Followed, it would
 * send the request again wherever the answer points: its body always (a password, a refresh token, an image), its
 * token too when that is the same origin under another path.
 */
export function refuseRedirect(response: Response, apiUrl: string): void {
  if (response.status < 300 || response.status >= 400) return;
  throw new CliError(
    `The API at ${apiUrl} redirected to ${response.headers.get('location') ?? 'nowhere'}; redirects are not ` +
      'followed, so that nothing of your login leaves the API. If it moved, sign in at its new URL: ' +
      'imagepipe login --api <url> --email <email>',
  );
}
