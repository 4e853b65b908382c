// Every request the gallery makes to the API: the bearer token and its renewal, problem+json errors, uploads with
// their progress and the presigned route, and the polls that follow long work. A client generated from the OpenAPI
// document can take over here without the rest of the gallery changing.

const API = '/api/v1';
const RUN_POLL_MS = 800;
const REGROUP_POLL_MS = 1000;

/**
 * What the gallery reads of the API's answers (each holds more: /docs has them whole).
 *
 * @typedef {object} Tokens The answer of `POST /auth/token` and `POST /auth/signup`.
 * @property {string} access_token A Firebase ID token, sent as the bearer.
 * @property {number} [expires_in] Seconds the access token is valid.
 * @property {string} [refresh_token] Absent when a refresh grant keeps the one it was given.
 *
 * @typedef {object} Problem A problem+json answer (RFC 9457).
 * @property {string} [detail]
 * @property {string} [rule] The upload rule a 413 broke: `max_request_bytes` is the request as a whole.
 *
 * @typedef {object} Thumbnail
 * @property {string} url Presigned storage URL (or the API's own).
 * @property {number} width
 *
 * @typedef {object} Image `GET /images/{id}`, and each item of `GET /images`.
 * @property {string} image_id
 * @property {'awaiting_upload' | 'processing' | 'completed' | 'failed'} status
 * @property {string} created_at ISO 8601, so that strings compare as times.
 * @property {string} filename
 * @property {string} content_type
 * @property {number} bytes
 * @property {number} [width]
 * @property {number} [height]
 * @property {string} [title]
 * @property {string} [description]
 * @property {string} [ai_description]
 * @property {string[]} [tags]
 * @property {Thumbnail[]} [thumbnails] Smallest first.
 * @property {string} [dominant_color] A CSS colour.
 * @property {string} [placeholder] A tiny blurred picture, as a data: URL.
 * @property {string} [cluster_id]
 * @property {string} [failure_reason]
 *
 * @typedef {object} ImagePage `GET /images`: newest first.
 * @property {Image[]} items
 * @property {string | null} [next_cursor] Null on the last page.
 *
 * @typedef {object} Step
 * @property {string} name
 * @property {'pending' | 'running' | 'completed' | 'failed'} status
 * @property {number} [duration_ms]
 *
 * @typedef {object} RunStatus `GET /images/{id}/status`
 * @property {Image['status']} status
 * @property {string} [current_step]
 * @property {Step[]} [steps] Absent when the run could not be asked.
 * @property {string} [failure_reason]
 * @property {string} [run_url] The run in the Temporal UI, when the service knows where that is.
 *
 * @typedef {object} Preview One of a cluster's samples, or of an image's similar images.
 * @property {string} image_id
 * @property {string} [thumbnail_url]
 * @property {string} [ai_description]
 *
 * @typedef {Preview & { similarity: number }} Similar `GET /images/{id}/similar`: similarity from 0 to 1.
 *
 * @typedef {object} Cluster `GET /images/clusters`: largest first.
 * @property {string} cluster_id
 * @property {string} name
 * @property {number} size
 * @property {Preview[]} samples
 *
 * @typedef {object} RegroupStatus `GET /images/cluster/status`
 * @property {'running' | 'completed' | 'failed'} status
 * @property {{ k: number, images: number, reason?: string }} [result] What a completed regrouping made.
 *
 * @typedef {object} UploadedImage One of the `images` answered to `POST /images`.
 * @property {string} image_id
 * @property {string} [duplicate_of] Set when the library already held these bytes.
 *
 * @typedef {object} DirectUpload `POST /images/uploads`: where to send the file, and where to say it has arrived.
 * @property {{ method: string, url: string, headers: Record<string, string> }} upload A presigned request.
 * @property {string} complete_url POSTed once the file is there: answers with the UploadedImage.
 *
 * @typedef {object} UploadAnswer An upload's answer as it came: its status tells a refusal from an acceptance.
 * @property {number} status
 * @property {{ images?: UploadedImage[] } & Problem} [body]
 */

/** An answer other than 2xx, with the problem+json the API sent (if it sent one). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {Problem} [problem]
   */
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

const problemError = (status, problem) =>
  new ApiError(status, problem?.detail ?? `The service answered ${status}.`, problem);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const imagePath = (imageId) => `/images/${encodeURIComponent(imageId)}`;

/**
 * A 413 for the request as a whole, not for the file: the deployment carries no larger request (AWS Lambda takes at
 * most 6 MB), said by the API (rule max_request_bytes) or by the platform in front of it (no rule).
 * @param {UploadAnswer} answer
 */
const tooLargeForTheRequest = ({ status, body }) =>
  status === 413 && (body?.rule === undefined || body.rule === 'max_request_bytes');

/**
 * Sends a body with XMLHttpRequest rather than fetch: only it reports how much of the body has been sent.
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

/** The API's client for one session store (see session.js): it keeps the session's tokens current. */
export function createApi(session) {
  let refreshTimer;
  let refreshing;

  /** @param {Tokens} tokens */
  function saveTokens(tokens, email) {
    session.save(tokens, email);
    scheduleRefresh();
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    // A minute early, so no request leaves with a token about to lapse; a failure here is retried on the next 401.
    refreshTimer = setTimeout(
      () => refresh().catch(() => undefined),
      Math.max(0, session.current.expires_at - Date.now() - 60_000),
    );
  }

  /** One refresh at a time, however many requests met a 401 meanwhile. */
  function refresh() {
    refreshing ??= (async () => {
      const refreshToken = session.current?.refresh_token;
      if (!refreshToken) throw new ApiError(401, 'Signed out.');
      const response = await fetch(`${API}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      });
      if (!response.ok) throw new ApiError(response.status, 'The session could not be renewed.');
      saveTokens(await response.json());
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  function authorization() {
    if (!session.current) throw new ApiError(401, 'Signed out.');
    return `Bearer ${session.current.access_token}`;
  }

  /** A request with the session's token; a 401 renews it and tries once more, then ends the session. */
  async function request(path, options = {}, retried = false) {
    const response = await fetch(API + path, {
      ...options,
      headers: { ...options.headers, authorization: authorization() },
    });
    if (response.status === 401 && !retried) {
      const renewed = await refresh().then(
        () => true,
        () => false,
      );
      if (renewed) return request(path, options, true);
    }
    if (response.status === 401) session.end('Your session has ended: sign in again.');
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw problemError(response.status, body);
    return body;
  }

  const postJson = (path, body) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Sign-in and sign-up answer with tokens, which become the session. */
  async function signedIn(response, email) {
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw problemError(response.status, body);
    saveTokens(body, email);
  }

  /** @returns {Promise<UploadAnswer>} */
  function sendForm(file, onProgress) {
    const form = new FormData();
    form.append('file', file);
    const headers = { authorization: authorization() };
    return sendWithProgress({ method: 'POST', url: `${API}/images`, headers, body: form }, onProgress);
  }

  /**
   * The presigned route: announce the file, PUT it to storage with the headers it was signed for, then complete it.
   * @returns {Promise<UploadAnswer>}
   */
  async function sendDirect(file, onProgress) {
    /** @type {DirectUpload} */
    const started = await postJson('/images/uploads', {
      filename: file.name,
      content_type: file.type,
      size: file.size,
    });
    // The browser sets Content-Length itself and refuses to be told it.
    const headers = Object.fromEntries(
      Object.entries(started.upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
    );
    const put = await sendWithProgress(
      { method: started.upload.method, url: started.upload.url, headers, body: file },
      onProgress,
    );
    if (put.status >= 300) return { status: put.status, body: { detail: `Storage refused the file (${put.status}).` } };
    const completed = await request(new URL(started.complete_url).pathname.replace(/^\/api\/v1/, ''), {
      method: 'POST',
    });
    return { status: 202, body: { images: [completed] } };
  }

  /** @returns {Promise<RunStatus>} */
  const runStatus = (imageId) => request(`${imagePath(imageId)}/status`);

  return {
    scheduleRefresh,

    async signIn(email, password) {
      const response = await fetch(`${API}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ username: email, password }),
      });
      await signedIn(response, email);
    },

    async signUp(email, password) {
      const response = await fetch(`${API}/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      await signedIn(response, email);
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

    /** @returns {Promise<Image>} */
    image: (imageId) => request(imagePath(imageId)),

    /**
     * @param {{ cluster?: string, cursor?: string, limit: number }} page
     * @returns {Promise<ImagePage>}
     */
    images({ cluster, cursor, limit }) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cluster) query.set('cluster', cluster);
      if (cursor) query.set('cursor', cursor);
      return request(`/images?${query}`);
    },

    runStatus,

    /**
     * Polls the image's run until it has completed or failed, telling `onProgress` each status before then.
     * @param {(status: RunStatus) => void} onProgress
     * @returns {Promise<RunStatus>}
     */
    async runEnd(imageId, onProgress) {
      for (;;) {
        const status = await runStatus(imageId);
        if (status.status === 'completed' || status.status === 'failed') return status;
        onProgress(status);
        await sleep(RUN_POLL_MS);
      }
    },

    /** @returns {Promise<Similar[]>} */
    similar: async (imageId, limit) => (await request(`${imagePath(imageId)}/similar?limit=${limit}`)).similar,

    deleteImage: (imageId) => request(imagePath(imageId), { method: 'DELETE' }),

    restoreImage: (imageId) => request(`${imagePath(imageId)}/restore`, { method: 'POST' }),

    /** @returns {Promise<Cluster[]>} */
    clusters: async () => (await request('/images/clusters')).clusters,

    /**
     * Regroups the library and waits until that has ended.
     * @returns {Promise<RegroupStatus>}
     */
    async regroup() {
      await request('/images/cluster', { method: 'POST' });
      let status;
      do {
        await sleep(REGROUP_POLL_MS);
        status = await request('/images/cluster/status');
      } while (status.status === 'running');
      return status;
    },
  };
}
