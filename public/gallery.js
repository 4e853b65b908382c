// The imagepipe gallery: a client of the public API like any other, in one module with no framework or build step.
// (One file: ESLint reads public/*.js as scripts, so imports between modules would not pass the lint.)

const API = '/api/v1';
const SESSION_KEY = 'imagepipe-session';
const NOTICE_KEY = 'imagepipe-notice';
const PAGE_SIZE = 30;
const POLL_MS = 800;
const UNDO_MS = 8000;
// More at once only splits the same bandwidth, and each file's bar would crawl.
const PARALLEL_UPLOADS = 3;
const GRID_SIZES = '(max-width: 599px) 50vw, 240px';
const VIEWER_SIZES = '(max-width: 899px) 100vw, 65vw';

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An element with properties (attributes when the name has a dash: aria-*, data-*) and children. */
function el(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    if (key.includes('-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function announce(text) {
  $('announcer').textContent = text;
}

const bytesText = (bytes) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
const nameOf = (image) => image.title || image.filename || 'Untitled';
const stepLabel = (name) => name.charAt(0).toUpperCase() + name.slice(1);

// ---- Session: tokens in sessionStorage (gone with the tab), refreshed before they expire or on a 401.

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

let session = readSession();
let refreshTimer;
let refreshing;

function readSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}

function saveSession(tokens, email) {
  session = {
    access_token: tokens.access_token,
    // The refresh grant may answer without a new refresh token: the old one stays good.
    refresh_token: tokens.refresh_token ?? session?.refresh_token,
    expires_at: Date.now() + Number(tokens.expires_in ?? 3600) * 1000,
    email: email ?? session?.email,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  scheduleRefresh();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  // A minute early, so no request leaves with a token about to lapse; a failure here is retried on the next 401.
  refreshTimer = setTimeout(
    () => refreshSession().catch(() => undefined),
    Math.max(0, session.expires_at - Date.now() - 60_000),
  );
}

function refreshSession() {
  refreshing ??= (async () => {
    if (!session?.refresh_token) throw new ApiError(401, 'Signed out.');
    const response = await fetch(`${API}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refresh_token }),
    });
    if (!response.ok) throw new ApiError(response.status, 'The session could not be renewed.');
    saveSession(await response.json());
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** Back to the sign-in form with a clean page: uploads in flight, timers and state all go with it. */
function endSession(notice) {
  sessionStorage.removeItem(SESSION_KEY);
  if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
  location.replace(location.pathname);
}

async function api(path, options = {}, retried = false) {
  if (!session) throw new ApiError(401, 'Signed out.');
  const response = await fetch(API + path, {
    ...options,
    headers: { ...options.headers, authorization: `Bearer ${session.access_token}` },
  });
  if (response.status === 401 && !retried) {
    const renewed = await refreshSession().then(
      () => true,
      () => false,
    );
    if (renewed) return api(path, options, true);
  }
  if (response.status === 401) endSession('Your session has ended: sign in again.');
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, body?.detail ?? `The service answered ${response.status}.`);
  return body;
}

// ---- Sign in and sign up (the API signs in against the Firebase Auth emulator locally, Firebase in production).

let authMode = 'sign-in';

function setAuthMode(mode) {
  authMode = mode;
  const signUp = mode === 'sign-up';
  $('auth-title').textContent = signUp ? 'Create your account' : 'Sign in';
  $('auth-submit').textContent = signUp ? 'Create account' : 'Sign in';
  $('mode-sign-in').setAttribute('aria-pressed', String(!signUp));
  $('mode-sign-up').setAttribute('aria-pressed', String(signUp));
  $('password').autocomplete = signUp ? 'new-password' : 'current-password';
  $('password-hint').hidden = !signUp;
  $('auth-error').textContent = '';
}

async function submitAuth(event) {
  event.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  $('auth-error').textContent = '';
  $('auth-submit').disabled = true;
  try {
    const response =
      authMode === 'sign-up'
        ? await fetch(`${API}/auth/signup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password }),
          })
        : await fetch(`${API}/auth/token`, {
            method: 'POST',
            body: new URLSearchParams({ username: email, password }),
          });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      $('auth-error').textContent =
        response.status === 409
          ? 'An account with this email already exists: sign in instead.'
          : (body.detail ?? `That did not work (${response.status}). Try again.`);
      return;
    }
    saveSession(body, email);
    showApp();
    $('choose').focus();
  } catch {
    $('auth-error').textContent = 'The service could not be reached. Try again.';
  } finally {
    $('auth-submit').disabled = false;
  }
}

function showAuth() {
  $('auth').hidden = false;
  $('app').hidden = true;
  const notice = sessionStorage.getItem(NOTICE_KEY);
  if (notice) {
    sessionStorage.removeItem(NOTICE_KEY);
    $('auth-error').textContent = notice;
  }
}

function showApp() {
  $('auth').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who').textContent = session.email ?? '';
  $('sign-out').hidden = false;
  loadGroups();
  loadLibrary();
  openFromHash();
}

// ---- Uploads: one request per file, so each has its own progress; then its run is followed to the end.

const queue = [];
let uploading = 0;

function addFiles(files) {
  if (files.length === 0) return;
  $('uploads-panel').hidden = false;
  for (const file of files) queue.push({ file, row: uploadRow(file.name) });
  announce(`${files.length} ${files.length === 1 ? 'file' : 'files'} added to the uploads.`);
  while (uploading < PARALLEL_UPLOADS && queue.length > 0) nextUpload();
}

function nextUpload() {
  const job = queue.shift();
  if (!job) return;
  uploading++;
  upload(job).finally(() => {
    uploading--;
    nextUpload();
  });
}

/** A row of the uploads list: the file's name, a bar, and what is happening to it in words. */
function uploadRow(filename) {
  const bar = el('progress', { max: 1, value: 0, 'aria-label': filename });
  const text = el('span', { className: 'upload-state', textContent: 'Waiting…' });
  const link = el('a', { className: 'upload-link', hidden: true });
  const row = el('li', { className: 'upload', 'data-state': 'queued' }, [
    el('span', { className: 'upload-name', textContent: filename }),
    bar,
    el('span', { className: 'upload-line' }, [text, link]),
  ]);
  $('uploads').append(row);
  return {
    show(state, words, fraction) {
      row.dataset.state = state;
      text.textContent = words;
      if (fraction === undefined) bar.removeAttribute('value');
      else bar.value = fraction;
    },
    linkTo(imageId, words) {
      link.href = `#image/${imageId}`;
      link.textContent = words;
      link.hidden = false;
    },
  };
}

/** Sends a body with XMLHttpRequest rather than fetch: only it reports how much of the body has been sent. */
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

function send(file, onProgress) {
  const form = new FormData();
  form.append('file', file);
  const headers = { authorization: `Bearer ${session.access_token}` };
  return sendWithProgress({ method: 'POST', url: `${API}/images`, headers, body: form }, onProgress);
}

/**
 * A 413 for the request as a whole, not for the file: the deployment carries no larger request (AWS Lambda takes at
 * most 6 MB), said by the API (rule max_request_bytes) or by the platform in front of it (no rule).
 */
const tooLargeForTheRequest = ({ status, body }) =>
  status === 413 && (body?.rule === undefined || body.rule === 'max_request_bytes');

/** The presigned route: announce the file, PUT it to storage with the headers it was signed for, then complete it. */
async function sendDirect(file, onProgress) {
  const started = await api('/images/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: file.name, content_type: file.type, size: file.size }),
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
  const completed = await api(new URL(started.complete_url).pathname.replace(/^\/api\/v1/, ''), { method: 'POST' });
  return { status: 202, body: { images: [completed] } };
}

async function upload({ file, row }) {
  const progress = (fraction) => row.show('uploading', `Uploading ${Math.round(fraction * 100)} %`, fraction);
  progress(0);
  try {
    let answer = await send(file, progress);
    if (answer.status === 401) {
      await refreshSession();
      answer = await send(file, progress);
    }
    if (tooLargeForTheRequest(answer)) answer = await sendDirect(file, progress);
    const { status, body } = answer;
    const image = status === 200 || status === 202 ? body?.images?.[0] : undefined;
    if (!image) {
      row.show('failed', `Refused: ${body?.detail ?? `the service answered ${status}`}`, 0);
      announce(`${file.name} was refused.`);
      return;
    }
    if (image.duplicate_of) {
      row.show('duplicate', 'Already in your library.', 1);
      row.linkTo(image.image_id, 'Show it');
      announce(`${file.name} is already in your library.`);
      return;
    }
    row.show('processing', 'Uploaded; processing…', undefined);
    addNewTile(image.image_id);
    // Not awaited: the next file's upload need not wait for this one's processing.
    follow(image.image_id, row);
  } catch (error) {
    row.show('failed', `Failed: ${error.message}`, 0);
  }
}

const followed = new Set();

/** Polls an image's status until its run has completed or failed, keeping its row and tile current. */
async function follow(imageId, row) {
  if (followed.has(imageId)) return;
  followed.add(imageId);
  try {
    for (;;) {
      const status = await api(`/images/${imageId}/status`);
      if (status.status === 'completed' || status.status === 'failed') {
        const image = await api(`/images/${imageId}`);
        updateTile(image);
        reloadGroupsSoon();
        if (status.status === 'completed') {
          row?.show('completed', 'Completed', 1);
          row?.linkTo(imageId, 'Open');
          announce(`${nameOf(image)} is ready.`);
        } else {
          row?.show('failed', `Failed: ${status.failure_reason ?? 'no reason was given'}`, 1);
          announce(`${nameOf(image)} failed.`);
        }
        return;
      }
      const steps = status.steps ?? [];
      const done = steps.filter((step) => step.status === 'completed').length;
      row?.show(
        'processing',
        status.current_step
          ? `Processing: ${status.current_step} (step ${done + 1} of ${steps.length})`
          : 'Processing…',
        steps.length ? done / steps.length : undefined,
      );
      await sleep(POLL_MS);
    }
  } catch (error) {
    row?.show('failed', `Lost track of it: ${error.message}`, 0);
  } finally {
    followed.delete(imageId);
  }
}

// ---- The library: a grid of tiles, all images or one group's.

const listing = { cluster: undefined, cursor: undefined };
const known = new Map();
let clusterNames = new Map();

/** An image's picture: its dominant colour and blurred placeholder until the thumbnail has loaded over them. */
function picture(image, sizes, alt) {
  const frame = el('span', { className: 'frame' });
  if (image.dominant_color) frame.style.setProperty('--tone', image.dominant_color);
  if (image.placeholder) frame.append(el('img', { className: 'placeholder', src: image.placeholder, alt: '' }));
  const thumbnails = image.thumbnails ?? [];
  if (thumbnails.length > 0) {
    const full = el('img', {
      className: 'full',
      alt,
      sizes,
      srcset: thumbnails.map((thumbnail) => `${thumbnail.url} ${thumbnail.width}w`).join(', '),
      src: thumbnails[0].url,
    });
    full.addEventListener('load', () => full.classList.add('loaded'), { once: true });
    frame.append(full);
  }
  return frame;
}

function tile(image) {
  const badge =
    image.status === 'completed'
      ? undefined
      : el('span', {
          className: `badge ${image.status}`,
          textContent: image.status === 'failed' ? 'Failed' : 'Processing',
        });
  const button = el('button', { type: 'button', className: 'tile' }, [
    picture(image, GRID_SIZES, ''),
    el('span', { className: 'caption', textContent: nameOf(image) }),
    badge,
  ]);
  button.addEventListener('click', () => openImage(image.image_id));
  return el('li', { 'data-image-id': image.image_id, 'data-status': image.status }, [button]);
}

const tileOf = (imageId) => $('grid').querySelector(`li[data-image-id="${CSS.escape(imageId)}"]`);

function inListing(image) {
  return !listing.cluster || image.cluster_id === listing.cluster;
}

/** Puts the image's tile where its upload time places it among the loaded ones (newest first). */
function placeTile(image) {
  known.set(image.image_id, image);
  const existing = tileOf(image.image_id);
  if (existing) {
    existing.replaceWith(tile(image));
    return;
  }
  if (!inListing(image)) return;
  const later = [...$('grid').children].find(
    (item) => (known.get(item.dataset.imageId)?.created_at ?? '') < image.created_at,
  );
  $('grid').insertBefore(tile(image), later ?? null);
  libraryNote();
}

function updateTile(image) {
  // A focused tile keeps the focus when it is redrawn.
  const hadFocus = tileOf(image.image_id)?.contains(document.activeElement);
  placeTile(image);
  if (hadFocus) tileOf(image.image_id)?.querySelector('button').focus();
}

async function addNewTile(imageId) {
  try {
    placeTile(await api(`/images/${imageId}`));
  } catch {
    // The tile comes with the next listing; the upload row already says how the image is doing.
  }
}

function libraryNote() {
  const empty = $('grid').children.length === 0;
  $('library-note').textContent = empty
    ? listing.cluster
      ? 'Nothing in this group any more.'
      : 'No images yet: drop some on the page, or choose them above.'
    : '';
}

async function loadLibrary(more = false) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (listing.cluster) query.set('cluster', listing.cluster);
  if (more && listing.cursor) query.set('cursor', listing.cursor);
  const requested = listing.cluster;
  try {
    const page = await api(`/images?${query}`);
    if (requested !== listing.cluster) return; // another group was chosen meanwhile
    if (!more) $('grid').replaceChildren();
    for (const image of page.items) {
      known.set(image.image_id, image);
      $('grid').append(tile(image));
      if (image.status === 'processing') follow(image.image_id);
    }
    listing.cursor = page.next_cursor ?? undefined;
    $('more').hidden = !listing.cursor;
    libraryNote();
  } catch (error) {
    $('library-note').textContent = `The images could not be loaded: ${error.message}`;
  }
}

// ---- Groups: the library's clusters, named by the service; choosing one lists its images.

const NO_GROUPS =
  'Similar images are grouped once your library has six or more: each night, or now with “Regroup my library”.';
let groupsTimer;

function reloadGroupsSoon() {
  clearTimeout(groupsTimer);
  groupsTimer = setTimeout(loadGroups, 1500);
}

function groupButton(label, count, samples, clusterId) {
  const mosaic = el(
    'span',
    { className: 'mosaic', 'aria-hidden': 'true' },
    samples.slice(0, 3).map((sample) => el('img', { src: sample.thumbnail_url, alt: '' })),
  );
  const button = el(
    'button',
    {
      type: 'button',
      className: 'group',
      'aria-pressed': String(listing.cluster === clusterId),
      'data-cluster': clusterId ?? '',
    },
    [
      mosaic,
      el('span', { className: 'group-name', textContent: label }),
      el('span', { className: 'count', textContent: count }),
    ],
  );
  button.addEventListener('click', () => showGroup(clusterId));
  return el('li', {}, [button]);
}

async function loadGroups() {
  try {
    const { clusters } = await api('/images/clusters');
    clusterNames = new Map(clusters.map((cluster) => [cluster.cluster_id, cluster.name]));
    // Redrawn as images complete: a card that had the focus keeps it.
    const focused = $('groups').contains(document.activeElement) ? document.activeElement.dataset.cluster : undefined;
    $('groups').replaceChildren(
      // The whole library's card shows one typical image of each group.
      groupButton(
        'All images',
        '',
        clusters.flatMap((cluster) => cluster.samples.slice(0, 1)),
        undefined,
      ),
      ...clusters.map((cluster) =>
        groupButton(
          cluster.name,
          `${cluster.size} ${cluster.size === 1 ? 'image' : 'images'}`,
          cluster.samples,
          cluster.cluster_id,
        ),
      ),
    );
    if (focused !== undefined)
      $('groups')
        .querySelector(`[data-cluster="${CSS.escape(focused)}"]`)
        ?.focus();
    const note = $('groups-note').textContent;
    if (clusters.length === 0 && !note) $('groups-note').textContent = NO_GROUPS;
    if (clusters.length > 0 && note === NO_GROUPS) $('groups-note').textContent = '';
  } catch (error) {
    $('groups-note').textContent = `The groups could not be loaded: ${error.message}`;
  }
}

function showGroup(clusterId) {
  listing.cluster = clusterId;
  listing.cursor = undefined;
  $('library-title').textContent = clusterId ? (clusterNames.get(clusterId) ?? 'Group') : 'All images';
  for (const button of $('groups').querySelectorAll('button'))
    button.setAttribute('aria-pressed', String(button.dataset.cluster === (clusterId ?? '')));
  loadLibrary();
}

async function regroup() {
  const button = $('regroup');
  button.disabled = true;
  $('groups-note').textContent = 'Regrouping your library…';
  try {
    await api('/images/cluster', { method: 'POST' });
    let status;
    do {
      await sleep(1000);
      status = await api('/images/cluster/status');
    } while (status.status === 'running');
    const result = status.result;
    $('groups-note').textContent =
      status.status !== 'completed'
        ? 'Regrouping failed; your groups are as they were.'
        : result?.k
          ? `${result.k} groups of ${result.images} images.`
          : `No groups: ${result?.reason ?? 'too few images'}.`;
    await loadGroups();
    showGroup(undefined);
  } catch (error) {
    $('groups-note').textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

// ---- The image view: picture, facts, the pipeline's steps and timings, similar images, delete.

const viewer = $('viewer');
let shown;

async function openImage(imageId) {
  shown = imageId;
  let image;
  try {
    image = await api(`/images/${encodeURIComponent(imageId)}`);
  } catch (error) {
    tell(error.status === 404 ? 'That image is not in your library.' : error.message);
    return;
  }
  if (shown !== imageId) return;
  known.set(imageId, image);
  fillViewer(image);
  if (!viewer.open) viewer.showModal();
  history.replaceState(null, '', `#image/${imageId}`);
  $('viewer-close').focus();
  loadSteps(image);
  loadSimilar(image);
}

function fillViewer(image) {
  const name = nameOf(image);
  $('viewer-title').textContent = name;
  $('viewer-error').textContent = '';
  const frame = picture(image, VIEWER_SIZES, image.ai_description ?? name);
  frame.id = 'viewer-frame';
  $('viewer-frame').replaceWith(frame);
  $('viewer-description').textContent =
    image.status === 'failed'
      ? `Processing failed: ${image.failure_reason ?? 'no reason was given'}.`
      : [image.description, image.ai_description].filter(Boolean).join(' — ') ||
        'No description yet: it comes when processing finishes.';
  const facts = [
    ['Size', image.width ? `${image.width} × ${image.height} px` : undefined],
    [
      'File',
      `${image.filename} · ${(image.content_type ?? '').replace('image/', '').toUpperCase()} · ${bytesText(image.bytes)}`,
    ],
    ['Added', new Date(image.created_at).toLocaleString()],
    ['Status', image.status === 'completed' ? undefined : image.status],
  ];
  const group = image.cluster_id
    ? el('button', {
        type: 'button',
        className: 'link',
        textContent: clusterNames.get(image.cluster_id) ?? 'Its group',
      })
    : undefined;
  group?.addEventListener('click', () => {
    viewer.close();
    showGroup(image.cluster_id);
    $('library').focus();
  });
  $('viewer-facts').replaceChildren(
    ...facts.flatMap(([term, value]) =>
      value ? [el('dt', { textContent: term }), el('dd', { textContent: value })] : [],
    ),
    ...(group ? [el('dt', { textContent: 'Group' }), el('dd', {}, [group])] : []),
  );
  $('viewer-tags').replaceChildren(...(image.tags ?? []).map((tag) => el('li', { textContent: tag })));
  $('viewer-steps').replaceChildren();
  $('viewer-run').hidden = true;
  $('similar').replaceChildren();
  $('similar-note').textContent = '';
}

function stepItem(label, timing, state) {
  return el('li', { className: `step ${state}` }, [
    el('span', { textContent: label }),
    el('span', { className: 'timing', textContent: timing }),
  ]);
}

async function loadSteps(image) {
  try {
    const status = await api(`/images/${image.image_id}/status`);
    if (shown !== image.image_id) return;
    const steps = status.steps ?? [];
    const total = steps.reduce((sum, step) => sum + (step.duration_ms ?? 0), 0);
    $('viewer-steps').replaceChildren(
      ...steps.map((step) =>
        stepItem(
          stepLabel(step.name),
          step.duration_ms === undefined ? step.status : `${step.duration_ms} ms`,
          step.status,
        ),
      ),
      steps.length
        ? stepItem('Total', `${total} ms`, 'total')
        : el('li', { textContent: 'The run’s timings cannot be read right now.' }),
    );
    // Operators' link to the run, when the service knows where its Temporal UI is.
    if (status.run_url) {
      $('viewer-run').replaceChildren(
        'For operators: ',
        el('a', {
          href: status.run_url,
          target: '_blank',
          rel: 'noopener',
          textContent: 'this run in the Temporal UI',
        }),
      );
      $('viewer-run').hidden = false;
    }
  } catch (error) {
    $('viewer-steps').replaceChildren(el('li', { textContent: error.message }));
  }
}

async function loadSimilar(image) {
  if (image.status !== 'completed') {
    $('similar-note').textContent = 'Similar images are found once the image is processed.';
    return;
  }
  try {
    const { similar } = await api(`/images/${image.image_id}/similar?limit=8`);
    if (shown !== image.image_id) return;
    $('similar-note').textContent = similar.length ? '' : 'No other images to compare it with yet.';
    $('similar').replaceChildren(
      ...similar.map((neighbour) => {
        const alike = `${Math.round(neighbour.similarity * 100)} % alike`;
        const button = el(
          'button',
          { type: 'button', className: 'neighbour', 'aria-label': `${neighbour.ai_description ?? 'Image'}, ${alike}` },
          [
            el('span', { className: 'frame' }, [
              el('img', { className: 'full loaded', src: neighbour.thumbnail_url, alt: '' }),
            ]),
            el('span', { className: 'caption', textContent: alike }),
          ],
        );
        button.addEventListener('click', () => openImage(neighbour.image_id));
        return el('li', {}, [button]);
      }),
    );
  } catch (error) {
    $('similar-note').textContent = error.message;
  }
}

async function deleteShown() {
  const imageId = shown;
  const image = known.get(imageId);
  try {
    await api(`/images/${imageId}`, { method: 'DELETE' });
  } catch (error) {
    tell(`Not deleted: ${error.message}`);
    return;
  }
  viewer.close();
  tileOf(imageId)?.remove();
  libraryNote();
  reloadGroupsSoon();
  const undo = toast(`Deleted “${nameOf(image)}”.`, { label: 'Undo', run: () => restore(imageId) });
  undo.focus();
}

async function restore(imageId) {
  try {
    await api(`/images/${imageId}/restore`, { method: 'POST' });
    const image = await api(`/images/${imageId}`);
    placeTile(image);
    reloadGroupsSoon();
    toast(`Restored “${nameOf(image)}”.`);
    tileOf(imageId)?.querySelector('button').focus();
  } catch (error) {
    toast(`Not restored: ${error.message}`);
  }
}

// Closing the dialog gives the focus back to what had it before (the tile, or a link to the image).
viewer.addEventListener('close', () => {
  shown = undefined;
  history.replaceState(null, '', location.pathname);
});

function openFromHash() {
  const match = /^#image\/([\w-]+)$/.exec(location.hash);
  if (match && session) openImage(match[1]);
}

// ---- Toasts: short messages, with an action (Undo) that stays while it has the focus or the pointer.

/** A message for the person: in the image view while it is open (the page beneath is out of reach), else a toast. */
function tell(message) {
  if (viewer.open) $('viewer-error').textContent = message;
  else toast(message);
}

function toast(message, action) {
  const node = el('div', { className: 'toast' }, [el('span', { textContent: message })]);
  let timer;
  const dismiss = () => {
    clearTimeout(timer);
    node.remove();
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(dismiss, UNDO_MS);
  };
  let button;
  if (action) {
    button = el('button', { type: 'button', textContent: action.label });
    button.addEventListener('click', () => {
      dismiss();
      action.run();
    });
    node.append(button);
  }
  node.addEventListener('focusin', () => clearTimeout(timer));
  node.addEventListener('focusout', arm);
  node.addEventListener('pointerenter', () => clearTimeout(timer));
  node.addEventListener('pointerleave', arm);
  $('toasts').append(node);
  arm();
  return button ?? node;
}

// ---- Wiring.

$('mode-sign-in').addEventListener('click', () => setAuthMode('sign-in'));
$('mode-sign-up').addEventListener('click', () => setAuthMode('sign-up'));
$('auth-form').addEventListener('submit', submitAuth);
$('sign-out').addEventListener('click', () => endSession());
$('choose').addEventListener('click', () => $('file-input').click());
$('file-input').addEventListener('change', (event) => {
  addFiles([...event.target.files]);
  event.target.value = '';
});
$('clear-uploads').addEventListener('click', () => {
  for (const row of $('uploads').querySelectorAll(
    '[data-state=completed], [data-state=failed], [data-state=duplicate]',
  ))
    row.remove();
  $('uploads-panel').hidden = $('uploads').children.length === 0;
  $('choose').focus();
});
$('regroup').addEventListener('click', regroup);
$('more').addEventListener('click', () => loadLibrary(true));
$('viewer-close').addEventListener('click', () => viewer.close());
$('viewer-delete').addEventListener('click', deleteShown);
// A click on the backdrop (the dialog element itself, outside its content) closes the view.
viewer.addEventListener('click', (event) => {
  if (event.target === viewer) viewer.close();
});
window.addEventListener('hashchange', openFromHash);

// Files may be dropped anywhere on the page once signed in; the drop zone lights up while they are dragged.
const carriesFiles = (event) => Boolean(session) && [...(event.dataTransfer?.types ?? [])].includes('Files');
let dragDepth = 0;
document.addEventListener('dragenter', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dragDepth++;
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', (event) => {
  if (!carriesFiles(event)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) document.body.classList.remove('dragging');
});
document.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('drop', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dragDepth = 0;
  document.body.classList.remove('dragging');
  addFiles([...event.dataTransfer.files]);
});

if (session) {
  scheduleRefresh();
  showApp();
} else {
  showAuth();
}
