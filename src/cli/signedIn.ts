import type { Command } from 'commander';
import { ApiClient } from './apiClient';
import { resolveApiUrl } from './apiUrl';
import { CliError, EXIT } from './cliError';
import { readLogin, writeLogin } from './configFile';

/** The `--api` option, whether given before the command or after it. */
export const apiOption = (command: Command) => command.optsWithGlobals<{ api?: string }>().api;

/** The API client of the saved login (at `--api` when given): every command but `login` starts here. */
export async function signedInClient(command: Command): Promise<ApiClient> {
  const login = await readLogin();
  if (!login) throw new CliError('Not signed in: run `imagepipe login --email you@example.com` first.', EXIT.usage);
  // Renewed tokens are saved with the login's own API URL: `--api` holds for this run only.
  return new ApiClient({ ...login, api_url: resolveApiUrl(apiOption(command), login.api_url) }, (renewed) =>
    writeLogin({ ...renewed, api_url: login.api_url }),
  );
}
