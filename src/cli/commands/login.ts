import { text } from 'node:stream/consumers';
import password from '@inquirer/password';
import { Command } from 'commander';
import { resolveApiUrl } from '../apiUrl';
import { CliError, EXIT } from '../cliError';
import { readLogin, writeLogin } from '../configFile';
import { apiOptions } from '../signedIn';
import { renewAt, requestTokens } from '../tokens';

/** The password: all of stdin (one trailing line break dropped), or asked on the terminal without echo. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!process.stdin.isTTY)
    throw new CliError('No terminal to ask the password on: pipe it with --password-stdin.', EXIT.usage);
  return password({ message: 'Password' }, { output: process.stderr });
}

/** `login --email`: signs in with the password and keeps the refresh token (not the password) for later runs. */
export function loginCommand(): Command {
  return new Command('login')
    .description('Sign in; the refresh token is kept in your config folder, readable by you only')
    .requiredOption('--email <email>', 'the email address of your account')
    .option('--password-stdin', 'read the password from standard input (for scripts)')
    .action(async (options: { email: string; passwordStdin?: boolean }, command) => {
      const apiUrl = resolveApiUrl(apiOptions(command as Command), (await readLogin())?.api_url);
      const secret = await readPassword(options.passwordStdin ?? false);
      if (!secret) throw new CliError('The password is empty.', EXIT.usage);
      const tokens = await requestTokens(
        apiUrl,
        { grant_type: 'password', username: options.email, password: secret },
        'Invalid email or password.',
      );
      const file = await writeLogin({
        api_url: apiUrl,
        email: options.email,
        refresh_token: tokens.refresh_token,
        access_token: tokens.access_token,
        access_expires_at: renewAt(tokens.expires_in),
      });
      process.stdout.write(`Signed in as ${options.email} at ${apiUrl} (kept in ${file}).\n`);
    });
}
