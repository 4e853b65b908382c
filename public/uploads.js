// Uploads: one request per file, so each has its own progress; then its run is followed to the end.
import { announce, byId, el } from './dom.js';

// More at once only splits the same bandwidth, and each file's bar would crawl.
const PARALLEL_UPLOADS = 3;

/**
 * @typedef {object} UploadRow
 * @property {(state: string, words: string, fraction?: number) => void} show State (the row's data-state), what
 *   is happening in words, and how far (no fraction: a bar that only says something is under way).
 * @property {(imageId: string, words: string) => void} linkTo
 */

/**
 * A row of the uploads list: the file's name, a bar, and what is happening to it in words.
 * @returns {UploadRow}
 */
function uploadRow(filename) {
  const bar = el('progress', { max: 1, value: 0, 'aria-label': filename });
  const text = el('span', { className: 'upload-state', textContent: 'Waiting…' });
  const link = el('a', { className: 'upload-link', hidden: true });
  const row = el('li', { className: 'upload', 'data-state': 'queued' }, [
    el('span', { className: 'upload-name', textContent: filename }),
    bar,
    el('span', { className: 'upload-line' }, [text, link]),
  ]);
  byId('uploads').append(row);
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

/**
 * The uploads panel and its queue.
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {ReturnType<import('./library.js').createLibrary>} deps.library
 * @param {ReturnType<import('./runFollower.js').createRunFollower>} deps.runs
 */
export function createUploads({ api, library, runs }) {
  const queue = [];
  let uploading = 0;

  async function upload({ file, row }) {
    const progress = (fraction) => row.show('uploading', `Uploading ${Math.round(fraction * 100)} %`, fraction);
    progress(0);
    try {
      const { status, body } = await api.upload(file, progress);
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
      library.addNew(image.image_id);
      // Not awaited: the next file's upload need not wait for this one's processing.
      runs.follow(image.image_id, row);
    } catch (error) {
      row.show('failed', `Failed: ${error.message}`, 0);
    }
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

  /** @param {File[]} files */
  function add(files) {
    if (files.length === 0) return;
    byId('uploads-panel').hidden = false;
    for (const file of files) queue.push({ file, row: uploadRow(file.name) });
    announce(`${files.length} ${files.length === 1 ? 'file' : 'files'} added to the uploads.`);
    while (uploading < PARALLEL_UPLOADS && queue.length > 0) nextUpload();
  }

  byId('choose').addEventListener('click', () => byId('file-input').click());
  byId('file-input').addEventListener('change', (/** @type {Event} */ event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    add([...input.files]);
    input.value = '';
  });
  byId('clear-uploads').addEventListener('click', () => {
    for (const row of byId('uploads').querySelectorAll(
      '[data-state=completed], [data-state=failed], [data-state=duplicate]',
    ))
      row.remove();
    byId('uploads-panel').hidden = byId('uploads').children.length === 0;
    byId('choose').focus();
  });

  return { add };
}
