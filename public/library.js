// The library: a grid of tiles, all images or one group's, newest first, a page at a time.
import { byId, el } from './dom.js';
import { nameOf } from './format.js';
import { picture } from './picture.js';

const PAGE_SIZE = 30;
const GRID_SIZES = '(max-width: 599px) 50vw, 240px';

const tileOf = (imageId) => byId('grid').querySelector(`li[data-image-id="${CSS.escape(imageId)}"]`);

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {(imageId: string) => void} deps.follow Follows a run still processing.
 * @param {(imageId: string) => void} deps.open Opens an image's view.
 */
export function createLibrary({ api, follow, open }) {
  // What the grid lists (a group's images, or all) and where its next page starts.
  const listing = { cluster: undefined, cursor: undefined };
  /** @type {Map<string, import('./api.js').Image>} The images of the tiles, by id: their times order the grid. */
  const known = new Map();

  /** @param {import('./api.js').Image} image */
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
    button.addEventListener('click', () => open(image.image_id));
    return el('li', { 'data-image-id': image.image_id, 'data-status': image.status }, [button]);
  }

  function note() {
    const empty = byId('grid').children.length === 0;
    byId('library-note').textContent = empty
      ? listing.cluster
        ? 'Nothing in this group any more.'
        : 'No images yet: drop some on the page, or choose them above.'
      : '';
  }

  /** Puts the image's tile where its upload time places it among the loaded ones (newest first). */
  function place(image) {
    known.set(image.image_id, image);
    const existing = tileOf(image.image_id);
    if (existing) {
      existing.replaceWith(tile(image));
      return;
    }
    if (listing.cluster && image.cluster_id !== listing.cluster) return;
    /** @type {HTMLElement[]} */
    const tiles = [...byId('grid').children];
    const later = tiles.find((item) => (known.get(item.dataset.imageId)?.created_at ?? '') < image.created_at);
    byId('grid').insertBefore(tile(image), later ?? null);
    note();
  }

  function focus(imageId) {
    tileOf(imageId)?.querySelector('button').focus();
  }

  /** The first page of the listing, or (`more`) its next page. */
  async function load(more = false) {
    const requested = listing.cluster;
    try {
      const page = await api.images({
        cluster: listing.cluster,
        cursor: more ? listing.cursor : undefined,
        limit: PAGE_SIZE,
      });
      if (requested !== listing.cluster) return; // another group was chosen meanwhile
      if (!more) byId('grid').replaceChildren();
      for (const image of page.items) {
        known.set(image.image_id, image);
        byId('grid').append(tile(image));
        if (image.status === 'processing') follow(image.image_id);
      }
      listing.cursor = page.next_cursor ?? undefined;
      byId('more').hidden = !listing.cursor;
      note();
    } catch (error) {
      byId('library-note').textContent = `The images could not be loaded: ${error.message}`;
    }
  }

  byId('more').addEventListener('click', () => load(true));

  return {
    load,
    place,
    focus,

    /** The group listed, or undefined for all images. */
    get cluster() {
      return listing.cluster;
    },

    /** Lists a group's images (or all, with no group) under that title. */
    list(clusterId, title) {
      listing.cluster = clusterId;
      listing.cursor = undefined;
      byId('library-title').textContent = title;
      load();
    },

    /** A new upload's tile, before its run has ended. */
    async addNew(imageId) {
      try {
        place(await api.image(imageId));
      } catch {
        // The tile comes with the next listing; the upload row already says how the image is doing.
      }
    },

    /** Redraws the image's tile; a focused tile keeps the focus. */
    update(image) {
      const hadFocus = tileOf(image.image_id)?.contains(document.activeElement);
      place(image);
      if (hadFocus) focus(image.image_id);
    },

    remove(imageId) {
      tileOf(imageId)?.remove();
      note();
    },
  };
}
