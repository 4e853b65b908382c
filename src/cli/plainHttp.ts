import { CliError, EXIT } from './cliError';

/** The environment variable that allows plain `http:` off this machine, as `--allow-http` does for one run. */
const ALLOW_HTTP_VARIABLE = 'IMAGEPIPE_ALLOW_HTTP';

/**
 * Whether a URL's host names this machine: 127.0.0.0/8, ::1 or `localhost`, as `URL` spells them (an IPv4 address
 * in dotted decimal, an IPv6 one in brackets). Judged by the name, not by what it resolves to: a name's address can
 * change between the check and the request.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Whether the environment allows plain `http:` off this machine (`IMAGEPIPE_ALLOW_HTTP=1` or `true`). */
export const httpAllowedBy = (env: NodeJS.ProcessEnv) => /^(1|true)$/i.test(env[ALLOW_HTTP_VARIABLE] ?? '');

/**
 * Plain `http:` is for an API on this machine: anywhere else the password and the tokens would cross the network
 * readable by anyone on the way, so it takes the user's explicit word.
 */
export function refusePlainHttpOffMachine(apiUrl: string): void {
  const url = new URL(apiUrl);
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return;
  throw new CliError(
    `Refusing plain http to ${url.host}: your password and tokens would cross the network unencrypted. Use https, ` +
      `or pass --allow-http (or set ${ALLOW_HTTP_VARIABLE}=1) if you accept that.`,
    EXIT.usage,
  );
}
