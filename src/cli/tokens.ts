import { apiEndpoint } from './apiUrl';
import { CliError } from './cliError';
import { asProblem, describeProblem } from './describeProblem';
import { refuseRedirect } from './redirects';

/** The API's OAuth2 token answer, as `/auth/token` gives it for either grant. */
export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token: string;
}

/**
 * `POST /auth/token` with the grant's fields (password or refresh_token): the tokens, or a CliError telling why
 * not (`refused` says what a 401 means for that grant).
 */
export async function requestTokens(
  apiUrl: string,
  fields: Record<string, string>,
  refused: string,
): Promise<TokenAnswer> {
  let response: Response;
  try {
    response = await fetch(apiEndpoint(apiUrl, '/api/v1/auth/token'), {
      method: 'POST',
      body: new URLSearchParams(fields),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(`Cannot reach the API at ${apiUrl}: ${(error as Error).message}`);
  }
  refuseRedirect(response, apiUrl);
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body as TokenAnswer;
  if (response.status === 401) throw new CliError(refused);
  throw new CliError(`Sign-in failed: ${describeProblem(asProblem(response.status, body))}`);
}

/** When an access token given now, valid `expiresIn` seconds, should be renewed: a minute early, for clock drift. */
export const renewAt = (expiresIn: number, now = Date.now()) => now + (expiresIn - 60) * 1000;
