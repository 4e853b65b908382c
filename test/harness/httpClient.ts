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
 * Polls an image's status until it leaves `processing` (as a client would), bounded in time; an answer other than
 * 200 fails the test that waits.
 */
export async function waitForImage(client: ApiClient, imageId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, error, response } = await client.typed.GET('/api/v1/images/{imageId}/status', {
      params: { path: { imageId } },
    });
    if (!data) throw new Error(`the status of ${imageId} answered ${response.status}: ${JSON.stringify(error)}`);
    if (data.status !== 'processing' || Date.now() > deadline) return { status: response.status, body: data };
    await sleep(150);
  }
}
