// The imagepipe gallery: signs in through the API, uploads with progress, and shows the library as it is processed.
'use strict';

const api = '/api/v1';
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('imagepipe-token');
let pollTimer;

async function call(path, options = {}) {
  const response = await fetch(api + path, {
    ...options,
    headers: { ...(options.headers || {}), authorization: `Bearer ${token}` },
  });
  const body = response.status === 204 ? undefined : await response.json();
  if (response.status === 401) signOut();
  if (!response.ok) throw new Error(body?.detail || `HTTP ${response.status}`);
  return body;
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function showSignedIn(email) {
  $('sign-in-panel').hidden = true;
  $('library').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = email || '';
  refresh();
}

function signOut() {
  sessionStorage.removeItem('imagepipe-token');
  token = undefined;
  clearTimeout(pollTimer);
  $('sign-in-panel').hidden = false;
  $('library').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  const response = await fetch(`${api}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams(new FormData(event.target)),
  });
  const body = await response.json();
  if (!response.ok) {
    $('sign-in-error').textContent = body.detail || 'Sign-in failed.';
    return;
  }
  token = body.access_token;
  sessionStorage.setItem('imagepipe-token', token);
  showSignedIn(event.target.username.value);
});
$('sign-out').addEventListener('click', signOut);

// XMLHttpRequest rather than fetch: it reports upload progress.
$('upload').addEventListener('submit', (event) => {
  event.preventDefault();
  const files = $('files').files;
  if (files.length === 0) return;
  const form = new FormData();
  for (const file of files) form.append('files', file);
  const request = new XMLHttpRequest();
  request.open('POST', `${api}/images`);
  request.setRequestHeader('authorization', `Bearer ${token}`);
  $('progress').hidden = false;
  request.upload.onprogress = (progress) => {
    if (progress.lengthComputable) $('progress').value = Math.round((progress.loaded / progress.total) * 100);
  };
  request.onload = () => {
    $('progress').hidden = true;
    const body = JSON.parse(request.responseText || '{}');
    if (request.status === 202) {
      const refused = (body.rejected || []).map((problem) => `${problem.file}: ${problem.detail}`);
      $('upload-message').textContent =
        `${body.images.length} uploaded.${refused.length ? ` Refused: ${refused.join('; ')}` : ''}`;
    } else {
      $('upload-message').textContent = body.detail || `Upload failed (${request.status}).`;
    }
    $('upload').reset();
    refresh();
  };
  request.onerror = () => {
    $('progress').hidden = true;
    $('upload-message').textContent = 'Upload failed: the service could not be reached.';
  };
  request.send(form);
});

$('recluster').addEventListener('click', async () => {
  await call('/images/cluster', { method: 'POST' });
  $('recluster-status').textContent = 'Re-clustering...';
  const poll = async () => {
    const status = await call('/images/cluster/status');
    if (status.status === 'running') return setTimeout(poll, 500);
    $('recluster-status').textContent =
      status.status === 'completed'
        ? `${status.result.k} clusters of ${status.result.images} images.`
        : 'Re-clustering failed.';
    refresh();
  };
  poll();
});

function imageCard(image, clusterNames) {
  const thumbnail = image.thumbnails[0];
  const picture = thumbnail
    ? element('img', { src: thumbnail.url, alt: image.ai_description || image.filename })
    : element('img', { alt: 'processing' });
  if (!thumbnail && image.placeholder) picture.src = image.placeholder;
  const card = element('li', { className: 'image' }, [
    picture,
    element('p', { className: `status ${image.status}`, textContent: image.status }),
    element('p', { className: 'meta', textContent: image.title || image.filename }),
    element('p', { className: 'meta description', textContent: image.ai_description || image.failure_reason || '' }),
    element('p', {
      className: 'meta cluster',
      textContent: image.cluster_id ? `Cluster: ${clusterNames.get(image.cluster_id) || image.cluster_id}` : '',
    }),
  ]);
  card.dataset.imageId = image.image_id;
  card.addEventListener('click', () => showDetail(image));
  return card;
}

async function showDetail(image) {
  $('detail-image').src = image.thumbnails.at(-1)?.url || '';
  $('detail-description').textContent = image.ai_description || image.failure_reason || image.status;
  $('similar').replaceChildren();
  $('detail').showModal();
  if (image.status !== 'completed') return;
  const { similar } = await call(`/images/${image.image_id}/similar?limit=6`);
  $('similar').replaceChildren(
    ...similar.map((neighbour) =>
      element('li', {}, [
        element('img', { src: neighbour.thumbnail_url, alt: neighbour.ai_description }),
        element('p', { className: 'meta', textContent: `${Math.round(neighbour.similarity * 100)} % alike` }),
      ]),
    ),
  );
}
$('close-detail').addEventListener('click', () => $('detail').close());

async function refresh() {
  clearTimeout(pollTimer);
  if (!token) return;
  try {
    const [{ items }, { clusters }] = await Promise.all([call('/images?limit=60'), call('/images/clusters')]);
    const names = new Map(clusters.map((cluster) => [cluster.cluster_id, cluster.name]));
    $('images').replaceChildren(...items.map((image) => imageCard(image, names)));
    $('clusters').replaceChildren(
      ...clusters.map((cluster) =>
        element('li', {}, [
          element('strong', { textContent: `${cluster.name} (${cluster.size})` }),
          element(
            'div',
            {},
            cluster.samples.map((sample) => element('img', { src: sample.thumbnail_url, alt: '' })),
          ),
        ]),
      ),
    );
    if (clusters.length === 0)
      $('clusters').replaceChildren(
        element('li', { textContent: 'No clusters yet: re-cluster once the library has six images or more.' }),
      );
    // Keep following images still being processed.
    if (items.some((image) => image.status === 'processing')) pollTimer = setTimeout(refresh, 1000);
  } catch (error) {
    $('upload-message').textContent = error.message;
  }
}

if (token) showSignedIn();
