// The image view: picture, labels, objects, facts, the pipeline's steps and timings, similar images, delete with undo.
import { byId, el } from './dom.js';
import { bytesText, nameOf, percentText } from './format.js';
import { picture } from './picture.js';
import { showSteps } from './pipelineSteps.js';
import { showSimilar } from './similarImages.js';
import { toast } from './toasts.js';

const VIEWER_SIZES = '(max-width: 899px) 100vw, 65vw';

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {ReturnType<import('./library.js').createLibrary>} deps.library
 * @param {ReturnType<import('./groups.js').createGroups>} deps.groups
 */
export function createImageView({ api, library, groups }) {
  const viewer = byId('viewer');
  // The image asked for (answers for another are dropped) and the one on show (what Delete deletes).
  const view = { requested: undefined, image: undefined };

  /** A message for the person: in the image view while it is open (the page beneath is out of reach), else a toast. */
  function tell(message) {
    if (viewer.open) byId('viewer-error').textContent = message;
    else toast(message);
  }

  /**
   * What the provider recognised in the image, most probable first: each a chip with its probability, which lists
   * the library's images with that label. None (the `local` provider names nothing) hides the section.
   * @param {import('./api.js').Image} image
   */
  function showLabels(image) {
    const labels = image.labels ?? [];
    byId('viewer-recognised').hidden = labels.length === 0;
    byId('viewer-labels').replaceChildren(
      ...labels.map(({ name, probability }) => {
        const chip = el('button', { type: 'button', className: 'chip' }, [
          el('span', { textContent: name }),
          el('span', { className: 'percent', textContent: percentText(probability) }),
        ]);
        chip.addEventListener('click', () => {
          viewer.close();
          library.show({ kind: 'label', label: name });
          byId('library').focus();
        });
        return el('li', {}, [chip]);
      }),
    );
  }

  /**
   * The kinds of object the provider found, surest first, each with how many ("person × 2"). None (only the `vision`
   * provider detects objects) hides the section.
   * @param {import('./api.js').Image} image
   */
  function showObjects(image) {
    const objects = image.objects ?? [];
    byId('viewer-detected').hidden = objects.length === 0;
    byId('viewer-objects').replaceChildren(
      ...objects.map(({ name, count }) =>
        el('li', { className: 'chip' }, [
          el('span', { textContent: name }),
          el('span', { className: 'count', textContent: `× ${count}` }),
        ]),
      ),
    );
  }

  /** @param {import('./api.js').Image} image */
  function fill(image) {
    const name = nameOf(image);
    byId('viewer-title').textContent = name;
    byId('viewer-error').textContent = '';
    const frame = picture(image, VIEWER_SIZES, image.ai_description ?? name);
    frame.id = 'viewer-frame';
    byId('viewer-frame').replaceWith(frame);
    byId('viewer-description').textContent =
      image.status === 'failed'
        ? `Processing failed: ${image.failure_reason ?? 'no reason was given'}.`
        : [image.description, image.ai_description].filter(Boolean).join(' — ') ||
          'No description yet: it comes when processing finishes.';
    showLabels(image);
    showObjects(image);
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
          textContent: groups.nameOf(image.cluster_id) ?? 'Its group',
        })
      : undefined;
    group?.addEventListener('click', () => {
      viewer.close();
      groups.show(image.cluster_id);
      byId('library').focus();
    });
    byId('viewer-facts').replaceChildren(
      ...facts.flatMap(([term, value]) =>
        value ? [el('dt', { textContent: term }), el('dd', { textContent: value })] : [],
      ),
      ...(group ? [el('dt', { textContent: 'Group' }), el('dd', {}, [group])] : []),
    );
    byId('viewer-tags').replaceChildren(...(image.tags ?? []).map((tag) => el('li', { textContent: tag })));
  }

  async function open(imageId) {
    view.requested = imageId;
    let image;
    try {
      image = await api.image(imageId);
    } catch (error) {
      tell(error.status === 404 ? 'That image is not in your library.' : error.message);
      return;
    }
    if (view.requested !== imageId) return;
    view.image = image;
    fill(image);
    if (!viewer.open) viewer.showModal();
    history.replaceState(null, '', `#image/${imageId}`);
    byId('viewer-close').focus();
    const stillShown = () => view.requested === imageId;
    showSteps(api, image, stillShown);
    showSimilar(api, image, { stillShown, open });
  }

  async function restore(imageId) {
    try {
      await api.restoreImage(imageId);
      const image = await api.image(imageId);
      library.place(image);
      groups.reloadSoon();
      toast(`Restored “${nameOf(image)}”.`);
      library.focus(imageId);
    } catch (error) {
      toast(`Not restored: ${error.message}`);
    }
  }

  async function deleteShown() {
    const { image } = view;
    try {
      await api.deleteImage(image.image_id);
    } catch (error) {
      tell(`Not deleted: ${error.message}`);
      return;
    }
    viewer.close();
    library.remove(image.image_id);
    groups.reloadSoon();
    const undo = toast(`Deleted “${nameOf(image)}”.`, { label: 'Undo', run: () => restore(image.image_id) });
    undo.focus();
  }

  byId('viewer-close').addEventListener('click', () => viewer.close());
  byId('viewer-delete').addEventListener('click', deleteShown);
  // A click on the backdrop (the dialog element itself, outside its content) closes the view.
  viewer.addEventListener('click', (event) => {
    if (event.target === viewer) viewer.close();
  });
  // Closing the dialog gives the focus back to what had it before (the tile, or a link to the image).
  viewer.addEventListener('close', () => {
    view.requested = undefined;
    view.image = undefined;
    history.replaceState(null, '', location.pathname);
  });

  return {
    open,

    /** Opens the image the address names (`#image/<id>`), as a link from an upload row or a reload does. */
    openFromHash() {
      const match = /^#image\/([\w-]+)$/.exec(location.hash);
      if (match) open(match[1]);
    },
  };
}
