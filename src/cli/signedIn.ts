import type { Command } from 'commander';
import { createApiClient, type ApiClient } from './apiClient';
import { ApiSession } from './apiSession';
import { resolveApiUrl, type ApiOptions } from './apiUrl';
import { CliError, EXIT } from './cliError';
import { readLogin, writeLogin } from './configFile';
import { refuseAnotherApi } from './tokenScope';

/** The `--api` and `--allow-http` options, whether given before the command or after it. */
export const apiOptions = (command: Command) => command.optsWithGlobals<ApiOptions>();

/**
 * The API client of the saved login: every command but `login` starts here. `--api` or IMAGEPIPE_API_URL may only
 * name the API the login was made at (however spelled): another one is refused before any token is sent.
 */
export async function signedInClient(command: Command): Promise<ApiClient> {
  const login = await readLogin();
  if (!login) throw new CliError('Not signed in: run `imagepipe login --email you@example.com` first.', EXIT.usage);
  const apiUrl = resolveApiUrl(apiOptions(command), login.api_url);
  refuseAnotherApi(apiUrl, login);
  return createApiClient(new ApiSession({ ...login, api_url: apiUrl }, writeLogin));
}
