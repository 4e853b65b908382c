// Every request the gallery makes to the API, through the typed client of its contract (openapi-fetch over the types
// generated from the OpenAPI document): the bearer token and its renewal, problem+json errors, uploads with their
// progress and the presigned route, and the polls that follow long work.

import createClient from './openapi-fetch.mjs';

// A status request waits this long for the run to end: answered at once when it does, with progress otherwise.
const RUN_WAIT_SECONDS = 5;
const REGROUP_POLL_MS = 1000;
// The image event stream is opened for this long, then again; after a failure, again after the pause.
const EVENT_STREAM_SECONDS = 300;
const EVENT_STREAM_RETRY_MS = 5000;

/**
 * The answers' shapes, from the contract generated of the API's OpenAPI document (src/client, `npm run api:generate`).
 *
 * @typedef {import('../src/client').Schemas} Schemas
 * @typedef {import('../src/client').paths} Paths
 * @typedef {Schemas['Session']} Tokens The answer of `POST /auth/token` and `POST /auth/signup`.
 * @typedef {Schemas['Problem']} Problem A problem+json answer (RFC 9457).
 * @typedef {Schemas['Image']} Image `GET /images/{id}`, and each item of `GET /images`.
 * @typedef {Schemas['ImageProgress']} RunStatus `GET /images/{id}/status`
 * @typedef {Schemas['ImagePreview']} Preview One of a cluster's samples, or of an image's similar images.
 * @typedef {Paths['/api/v1/images']['get']['responses'][200]['content']['application/json']} ImagePage
 * @typedef {Paths['/api/v1/images/{imageId}/similar']['get']['responses'][200]['content']['application/json']['similar'][number]} Similar
 * @typedef {Paths['/api/v1/images/clusters']['get']['responses'][200]['content']['application/json']['clusters'][number]} Cluster
 * @typedef {Paths['/api/v1/images/cluster/status']['get']['responses'][200]['content']['application/json']} RegroupStatus
 * @typedef {Schemas['UploadAnswer']['images'][number]} UploadedImage One of the `images` answered to `POST /images`.
 * @typedef {Schemas['SearchResult']} SearchResult One image `GET /images/search` found: the image, and what matched.
 * @typedef {Paths['/api/v1/images/search']['get']['responses'][200]['content']['application/json']} SearchPage
 * @typedef {Paths['/api/v1/images/search']['get']['parameters']['query']['field']} SearchField
 * @typedef {Schemas['Webhook']} Webhook A webhook endpoint as its owner sees it (never its secret).
 * @typedef {Schemas['NewWebhook']} NewWebhook A registered endpoint, with its signing secret: shown this once.
 * @typedef {Paths['/api/v1/webhooks']['post']['requestBody']['content']['application/json']} WebhookRequest
 * @typedef {Webhook['events'][number]} WebhookEventType
 * @typedef {Paths['/api/v1/webhooks/{webhookId}/rotate']['post']['responses'][200]['content']['application/json']} RotatedSecret
 * @typedef {Schemas['Delivery']} Delivery One attempt to deliver an event to an endpoint, or the end of trying.
 *
 * @typedef {object} UploadAnswer An upload's answer as it came: its status tells a refusal from an acceptance.
 * @property {number} status
 * @property {Partial<Schemas['UploadAnswer'] & Problem>} [body]
 */

/** An answer other than 2xx, with the problem+json the API sent (if it sent one). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {Partial<Problem>} [problem]
   */
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** @param {number} status @param {Partial<Problem> | undefined} problem */
const problemError = (status, problem) =>
  new ApiError(status, problem?.detail ?? `The service answered ${status}.`, problem);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The body of a typed client's answer, or the ApiError of its problem.
 * @template T
 * @param {{ data?: T, error?: unknown, response: Response }} answer
 * @returns {T}
 */
function bodyOf({ data, error, response }) {
  if (!response.ok || data === undefined) {
    throw problemError(response.status, typeof error === 'object' && error !== null ? error : undefined);
  }
  return data;
}

/**
 * An answer with no body (204): nothing, or the ApiError of its problem.
 * @param {{ error?: unknown, response: Response }} answer
 */
function doneOf({ error, response }) {
  if (!response.ok)
    throw problemError(response.status, typeof error === 'object' && error !== null ? error : undefined);
}

/**
 * A 413 for the request as a whole, not for the file: the deployment carries no larger request (AWS Lambda takes at
 * most 6 MB), said by the API (rule max_request_bytes) or by the platform in front of it (no rule).
 * @param {UploadAnswer} answer
 */
const tooLargeForTheRequest = ({ status, body }) =>
  status === 413 && (body?.rule === undefined || body.rule === 'max_request_bytes');

/**
 * Sends a body with XMLHttpRequest rather than fetch: only it reports how much of the body has been sent.
 * @param {{ method: string, url: string, headers: Record<string, string>, body: XMLHttpRequestBodyInit }} request
 * @param {(fraction: number) => void} onProgress
 * @returns {Promise<UploadAnswer>}
 */
function sendWithProgress({ method, url, headers, body }, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => resolve({ status: request.status, body: request.response }));
    request.addEventListener('error', () =>
      reject(new Error('the upload was cut off (a file over the size limit is) or the service was not reached.')),
    );
    request.send(body);
  });
}

/**
 * The API's client for one session store (see session.js): it keeps the session's tokens current.
 * @param {ReturnType<import('./session.js').createSession>} session
 */
export function createApi(session) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let refreshTimer;
  /** @type {Promise<void> | undefined} */
  let refreshing;
  /** Sign-in, sign-up and renewal: no token is sent. */
  const anonymous = /** @type {import('openapi-fetch').Client<Paths>} */ (createClient({ baseUrl: '' }));
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  /** @param {Tokens} tokens @param {string} [email] */
  function saveTokens(tokens, email) {
    session.save(tokens, email);
    scheduleRefresh();
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    // A minute early, so no request leaves with a token about to lapse; a failure here is retried on the next 401.
    refreshTimer = setTimeout(
      () => refresh().catch(() => undefined),
      Math.max(0, (session.current?.expires_at ?? 0) - Date.now() - 60_000),
    );
  }

  /** One refresh at a time, however many requests met a 401 meanwhile. */
  function refresh() {
    refreshing ??= (async () => {
      const refreshToken = session.current?.refresh_token;
      if (!refreshToken) throw new ApiError(401, 'Signed out.');
      const answer = await anonymous.POST('/api/v1/auth/token', {
        body: { grant_type: 'refresh_token', refresh_token: refreshToken },
        bodySerializer: (body) => new URLSearchParams(body),
        headers: form,
      });
      if (!answer.data) throw new ApiError(answer.response.status, 'The session could not be renewed.');
      saveTokens(answer.data);
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  function authorization() {
    if (!session.current) throw new ApiError(401, 'Signed out.');
    return `Bearer ${session.current.access_token}`;
  }

  /**
   * The typed client's way out: the session's token on every request; a 401 renews it and tries once more, then
   * ends the session.
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async function authorizedFetch(request) {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(request.headers);
      headers.set('authorization', authorization());
      const response = await fetch(new Request(request.clone(), { headers }));
      if (response.status !== 401) return response;
      const renewed =
        attempt === 0 &&
        (await refresh().then(
          () => true,
          () => false,
        ));
      if (!renewed) {
        session.end('Your session has ended: sign in again.');
        return response;
      }
    }
  }

  const client = /** @type {import('openapi-fetch').Client<Paths>} */ (
    createClient({ baseUrl: '', fetch: authorizedFetch })
  );

  /**
   * Sign-in and sign-up answer with tokens, which become the session.
   * @param {{ data?: Tokens, error?: unknown, response: Response }} answer
   * @param {string} email
   */
  function signedIn(answer, email) {
    saveTokens(bodyOf(answer), email);
  }

  /**
   * @param {File} file
   * @param {(fraction: number) => void} onProgress
   * @returns {Promise<UploadAnswer>}
   */
  function sendForm(file, onProgress) {
    const body = new FormData();
    body.append('file', file);
    return sendWithProgress(
      { method: 'POST', url: '/api/v1/images', headers: { authorization: authorization() }, body },
      onProgress,
    );
  }

  /**
   * The presigned route: announce the file, PUT it to storage with the headers it was signed for, then complete it.
   * @param {File} file
   * @param {(fraction: number) => void} onProgress
   * @returns {Promise<UploadAnswer>}
   */
  async function sendDirect(file, onProgress) {
    const started = bodyOf(
      await client.POST('/api/v1/images/uploads', {
        body: {
          filename: file.name,
          content_type: /** @type {import('../src/client').ImageContentType} */ (file.type),
          size: file.size,
        },
      }),
    );
    // The browser sets Content-Length itself and refuses to be told it.
    const headers = Object.fromEntries(
      Object.entries(started.upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
    );
    const put = await sendWithProgress(
      { method: started.upload.method, url: started.upload.url, headers, body: file },
      onProgress,
    );
    if (put.status >= 300) return { status: put.status, body: { detail: `Storage refused the file (${put.status}).` } };
    const completed = bodyOf(
      await client.POST('/api/v1/images/{imageId}/complete', { params: { path: { imageId: started.image_id } } }),
    );
    return { status: 202, body: { images: [{ ...completed, filename: file.name }] } };
  }

  /**
   * @param {string} imageId
   * @param {number} [wait] Seconds the API may hold the request until the run ends.
   * @returns {Promise<RunStatus>}
   */
  const runStatus = async (imageId, wait = 0) =>
    bodyOf(await client.GET('/api/v1/images/{imageId}/status', { params: { path: { imageId }, query: { wait } } }));

  return {
    scheduleRefresh,

    /** @param {string} email @param {string} password */
    async signIn(email, password) {
      const answer = await anonymous.POST('/api/v1/auth/token', {
        body: { username: email, password },
        bodySerializer: (body) => new URLSearchParams(body),
        headers: form,
      });
      signedIn(answer, email);
    },

    /** @param {string} email @param {string} password */
    async signUp(email, password) {
      signedIn(await anonymous.POST('/api/v1/auth/signup', { body: { email, password } }), email);
    },

    /**
     * One file, in a request of its own so that it has its own progress; the presigned route when the deployment
     * takes no request that large.
     * @param {File} file
     * @param {(fraction: number) => void} onProgress
     * @returns {Promise<UploadAnswer>}
     */
    async upload(file, onProgress) {
      let answer = await sendForm(file, onProgress);
      if (answer.status === 401) {
        await refresh();
        answer = await sendForm(file, onProgress);
      }
      if (tooLargeForTheRequest(answer)) answer = await sendDirect(file, onProgress);
      return answer;
    },

    /**
     * @param {string} imageId
     * @returns {Promise<Image>}
     */
    image: async (imageId) => bodyOf(await client.GET('/api/v1/images/{imageId}', { params: { path: { imageId } } })),

    /**
     * @param {{ cluster?: string, cursor?: string, limit: number }} page
     * @returns {Promise<ImagePage>}
     */
    images: async ({ cluster, cursor, limit }) =>
      bodyOf(await client.GET('/api/v1/images', { params: { query: { cluster, cursor, limit } } })),

    /**
     * One page of the images that have the words `q` (in `field` alone, when given), best first.
     * @param {{ q: string, field?: SearchField, cursor?: string, limit: number }} search
     * @returns {Promise<SearchPage>}
     */
    search: async ({ q, field, cursor, limit }) =>
      bodyOf(await client.GET('/api/v1/images/search', { params: { query: { q, field, cursor, limit } } })),

    runStatus,

    /**
     * Follows the user's image events (Server-Sent Events, read with fetch, which sends the session's token as an
     * EventSource cannot), opening the stream again each time it ends, for as long as the page lives (unless the
     * deployment does not offer it): `onImage` is told of each image whose processing ended, uploaded here or from
     * anywhere else.
     * @param {(image: Image) => void} onImage
     */
    async followImageEvents(onImage) {
      for (;;) {
        const opened = Date.now();
        try {
          const response = await authorizedFetch(new Request(`/api/v1/images/events?seconds=${EVENT_STREAM_SECONDS}`));
          // A deployment without the stream (AWS Lambda): this page's own uploads are still followed, one by one.
          if (response.status === 501) return;
          if (!response.ok || !response.body) throw new ApiError(response.status, 'The event stream was refused.');
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const data = buffer
                .slice(0, end)
                .split('\n')
                .find((line) => line.startsWith('data: '));
              buffer = buffer.slice(end + 2);
              if (data) onImage(/** @type {Image} */ (JSON.parse(data.slice('data: '.length))));
            }
          }
          // A stream that ran its course is opened again at once; one that ended early, after the pause.
          if (Date.now() - opened > EVENT_STREAM_SECONDS * 500) continue;
        } catch {
          // The network or the API away a moment: the pause, then the stream again.
        }
        await sleep(EVENT_STREAM_RETRY_MS);
      }
    },

    /**
     * Follows the image's run until it has completed or failed, telling `onProgress` each status before then: each
     * request waits up to RUN_WAIT_SECONDS for the end, so the end is seen at once and progress every few seconds.
     * @param {string} imageId
     * @param {(status: RunStatus) => void} onProgress
     * @returns {Promise<RunStatus>}
     */
    async runEnd(imageId, onProgress) {
      for (;;) {
        const asked = Date.now();
        const status = await runStatus(imageId, RUN_WAIT_SECONDS);
        if (status.status === 'completed' || status.status === 'failed') return status;
        onProgress(status);
        // An answer that did not wait (a run that ended with its image still processing) is not asked again at once.
        await sleep(Math.max(0, 1000 - (Date.now() - asked)));
      }
    },

    /**
     * @param {string} imageId
     * @param {number} limit
     * @returns {Promise<Similar[]>}
     */
    similar: async (imageId, limit) =>
      bodyOf(await client.GET('/api/v1/images/{imageId}/similar', { params: { path: { imageId }, query: { limit } } }))
        .similar,

    /** @param {string} imageId */
    deleteImage: async (imageId) =>
      bodyOf(await client.DELETE('/api/v1/images/{imageId}', { params: { path: { imageId } } })),

    /** @param {string} imageId */
    restoreImage: async (imageId) =>
      bodyOf(await client.POST('/api/v1/images/{imageId}/restore', { params: { path: { imageId } } })),

    /** @returns {Promise<Webhook[]>} */
    webhooks: async () => bodyOf(await client.GET('/api/v1/webhooks')).webhooks,

    /**
     * @param {string} webhookId
     * @returns {Promise<Webhook>}
     */
    webhook: async (webhookId) =>
      bodyOf(await client.GET('/api/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })),

    /**
     * Registers an endpoint; its answer holds the signing secret, which is never shown again.
     * @param {WebhookRequest} request
     * @returns {Promise<NewWebhook>}
     */
    createWebhook: async (request) => bodyOf(await client.POST('/api/v1/webhooks', { body: request })),

    /** @param {string} webhookId */
    deleteWebhook: async (webhookId) =>
      doneOf(await client.DELETE('/api/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })),

    /**
     * A new signing secret, shown this once; the previous one keeps signing beside it until the answer's time.
     * @param {string} webhookId
     * @returns {Promise<RotatedSecret>}
     */
    rotateWebhookSecret: async (webhookId) =>
      bodyOf(await client.POST('/api/v1/webhooks/{webhookId}/rotate', { params: { path: { webhookId } } })),

    /**
     * The endpoint's latest delivery attempts, newest first.
     * @param {string} webhookId
     * @returns {Promise<Delivery[]>}
     */
    webhookDeliveries: async (webhookId) =>
      bodyOf(await client.GET('/api/v1/webhooks/{webhookId}/deliveries', { params: { path: { webhookId } } }))
        .deliveries,

    /** @returns {Promise<Cluster[]>} */
    clusters: async () => bodyOf(await client.GET('/api/v1/images/clusters')).clusters,

    /**
     * Regroups the library and waits until that has ended.
     * @returns {Promise<RegroupStatus>}
     */
    async regroup() {
      bodyOf(await client.POST('/api/v1/images/cluster'));
      let status;
      do {
        await sleep(REGROUP_POLL_MS);
        status = bodyOf(await client.GET('/api/v1/images/cluster/status'));
      } while (status.status === 'running');
      return status;
    },
  };
}
