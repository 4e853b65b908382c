import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../src/client';

export interface FilePart {
  name: string;
  body: Buffer | string;
  type?: string;
  field?: string;
}

/**
 * A small client for the API as an app backend uses it: JSON in, JSON (or problem+json) out, raw enough to send what
 * a careless client would; `typed` is the same API through the typed client generated from its contract.
 */
export class ApiClient {
  readonly typed: Client<paths>;

  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {
    this.typed = createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  withToken(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request(
    method: string,
    path: string,
    init: { body?: FormData | string; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      body: init.body,
      headers: this.headers(init.headers),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body, contentType };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  upload(files: FilePart[], fields: Record<string, string | string[]> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const entry of [value].flat()) form.append(name, entry);
    for (const file of files)
      form.append(file.field ?? 'files', new Blob([file.body], { type: file.type ?? 'image/jpeg' }), file.name);
    return this.request('POST', '/api/v1/images', { body: form });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows an image's status until it leaves `processing` (as a client would: each request waits for the run's end,
 * `?wait=`), bounded in time; an answer other than 200 fails the test that waits.
 */
export async function waitForImage(client: ApiClient, imageId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const asked = Date.now();
    const wait = Math.max(0, Math.min(5, Math.floor((deadline - asked) / 1000)));
    const { data, error, response } = await client.typed.GET('/api/v1/images/{imageId}/status', {
      params: { path: { imageId }, query: { wait } },
    });
    if (!data) throw new Error(`the status of ${imageId} answered ${response.status}: ${JSON.stringify(error)}`);
    if (data.status !== 'processing' || Date.now() > deadline) return { status: response.status, body: data };
    // A run that ended with its image still processing answers without waiting: not asked again at once.
    await sleep(Math.max(0, 150 - (Date.now() - asked)));
  }
}
