import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from './cliError';
import type { StoredLogin } from './configFile';
import { asProblem, describeProblem, type Problem } from './problem';
import { refuseRedirect } from './redirects';
import { apiRequestUrl } from './tokenScope';
import { renewAt, requestTokens } from './tokens';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON (problem+json too); undefined for an empty or non-JSON body. */
  body: unknown;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  query?: Record<string, string | undefined>;
}

// Rate-limited (429) or briefly unavailable (503): waited out as Retry-After says, this many times, this long at most.
const RETRIES = 4;
const MAX_WAIT_SECONDS = 30;

/**
 * The API as the signed-in user: each request carries the access token, renewed through the refresh grant when it
 * has expired or the API answers 401 (once per request), the renewed login saved for the next run. The login's
 * `api_url` is normalised (`normalizeApiUrl`): the token goes under it and nowhere else.
 */
export class ApiClient {
  private renewal?: Promise<void>;

  constructor(
    private login: StoredLogin,
    private readonly saveLogin: (login: StoredLogin) => Promise<unknown>,
  ) {}

  /**
   * Any status but a redirect is returned (the caller reads its problems); an unreachable API, a lost login, a
   * redirect or a URL outside the API throws.
   */
  async request(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const url = apiRequestUrl(this.login.api_url, pathOrUrl);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, value);
    if (!this.login.access_token || Date.now() >= (this.login.access_expires_at ?? 0)) await this.renew();
    let answer = await this.send(method, url, options);
    if (answer.status === 401) {
      await this.renew();
      answer = await this.send(method, url, options);
    }
    return answer;
  }

  /** As `request`, for answers the caller only reads when they succeed: any problem becomes a CliError. */
  async requestOk(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<unknown> {
    const answer = await this.request(method, pathOrUrl, options);
    if (answer.status >= 400) throw new CliError(describeProblem(problemOf(answer)));
    return answer.body;
  }

  private async send(method: string, url: URL, options: RequestOptions): Promise<ApiAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = this.login.access_token;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: options.json !== undefined ? JSON.stringify(options.json) : options.form,
          redirect: 'manual',
        });
      } catch (error) {
        throw new CliError(`Cannot reach the API at ${this.login.api_url}: ${(error as Error).message}`);
      }
      refuseRedirect(response, this.login.api_url);
      const text = await response.text();
      const answer = { status: response.status, headers: response.headers, body: parseJson(text) };
      const waitSeconds = Number(response.headers.get('retry-after') ?? 2);
      if ((response.status !== 429 && response.status !== 503) || attempt === RETRIES) return answer;
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

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The problem an error answer carries. */
export function problemOf(answer: ApiAnswer): Problem {
  return asProblem(answer.status, answer.body);
}
