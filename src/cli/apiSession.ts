import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from './cliError';
import type { StoredLogin } from './configFile';
import { refuseRedirect } from './redirects';
import { refuseOutsideApi } from './tokenScope';
import { renewAt, requestTokens } from './tokens';

// Rate-limited (429) or briefly unavailable (503): waited out as Retry-After says, this many times, this long at most.
const RETRIES = 4;
const MAX_WAIT_SECONDS = 30;

/**
 * The signed-in user's way to the API, as the typed client's `fetch`: each request carries the access token, renewed
 * through the refresh grant when it has expired or the API answers 401 (once per request), the renewed login saved
 * for the next run; 429 and 503 are waited out. The login's `api_url` is normalised (`normalizeApiUrl`): the token
 * goes under it and nowhere else, and a redirect is never followed.
 */
export class ApiSession {
  private renewal?: Promise<void>;

  constructor(
    private login: StoredLogin,
    private readonly saveLogin: (login: StoredLogin) => Promise<unknown>,
  ) {}

  get apiUrl(): string {
    return this.login.api_url;
  }

  /** Any status but a redirect is answered; an unreachable API, a lost login, a redirect or a URL outside the API throws. */
  readonly fetch = async (request: Request): Promise<Response> => {
    refuseOutsideApi(this.login.api_url, request.url);
    if (!this.login.access_token || Date.now() >= (this.login.access_expires_at ?? 0)) await this.renew();
    const response = await this.send(request);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    await this.renew();
    return this.send(request);
  };

  /** The request with the current token, sent again (a copy each time: its body is read once) while 429 or 503. */
  private async send(request: Request): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${this.login.access_token}`);
      let response: Response;
      try {
        response = await fetch(new Request(request.clone(), { headers, redirect: 'manual' }));
      } catch (error) {
        throw new CliError(`Cannot reach the API at ${this.login.api_url}: ${(error as Error).message}`);
      }
      refuseRedirect(response, this.login.api_url);
      if ((response.status !== 429 && response.status !== 503) || attempt === RETRIES) return response;
      await response.body?.cancel();
      const waitSeconds = Number(response.headers.get('retry-after') ?? 2);
      await sleep(Math.min(Number.isFinite(waitSeconds) ? waitSeconds : 2, MAX_WAIT_SECONDS) * 1000);
    }
  }

  /** One renewal at a time: concurrent requests that find the token expired wait for the same one. */
  private renew(): Promise<void> {
    this.renewal ??= this.refresh().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async refresh(): Promise<void> {
    const tokens = await requestTokens(
      this.login.api_url,
      { grant_type: 'refresh_token', refresh_token: this.login.refresh_token },
      'Your login has expired or was revoked: run `imagepipe login` again.',
    );
    this.login = {
      ...this.login,
      refresh_token: tokens.refresh_token,
      access_token: tokens.access_token,
      access_expires_at: renewAt(tokens.expires_in),
    };
    await this.saveLogin(this.login);
  }
}
