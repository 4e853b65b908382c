// The library: a grid of tiles, a page at a time: all images or one group's, newest first; or what a search found,
// by words or by a label, best first, each tile with the words it was found by.
import { announce, byId, el } from './dom.js';
import { matchedText, nameOf, problemText } from './format.js';
import { picture } from './picture.js';

const PAGE_SIZE = 30;
const GRID_SIZES = '(max-width: 599px) 50vw, 240px';

/**
 * What the grid lists: every image, a group's, the images with words (`q`), or those with a label.
 * @typedef {{ kind: 'all' }
 *   | { kind: 'group', cluster: string, title: string }
 *   | { kind: 'words', q: string }
 *   | { kind: 'label', label: string }} Listing
 */

const tileOf = (imageId) => byId('grid').querySelector(`li[data-image-id="${CSS.escape(imageId)}"]`);
const imagesText = (count) => `${count} ${count === 1 ? 'image' : 'images'}`;

/** @param {Listing} listing */
function titleOf(listing) {
  if (listing.kind === 'group') return listing.title;
  if (listing.kind === 'words') return `Images matching “${listing.q}”`;
  if (listing.kind === 'label') return `Images labelled “${listing.label}”`;
  return 'All images';
}

/** What the grid says when it lists nothing. @param {Listing} listing */
function emptyText(listing) {
  if (listing.kind === 'group') return 'Nothing in this group any more.';
  if (listing.kind === 'words') return `No image matches “${listing.q}”.`;
  if (listing.kind === 'label') return `No image has the label “${listing.label}”.`;
  return 'No images yet: drop some on the page, or choose them above.';
}

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {(imageId: string) => void} deps.follow Follows a run still processing.
 * @param {(imageId: string) => void} deps.open Opens an image's view.
 * @param {(listing: Listing) => void} deps.onShow Told what the grid lists from now on (the search box, the groups).
 */
export function createLibrary({ api, follow, open, onShow }) {
  /** @type {Listing} */
  let listing = { kind: 'all' };
  /** @type {string | undefined} Where the listing's next page starts. */
  let cursor;
  /** @type {Map<string, import('./api.js').Image>} The images of the tiles, by id: their times order the grid. */
  const known = new Map();
  /** @type {Map<string, import('./api.js').SearchResult['matched']>} What each found image was found by. */
  const matches = new Map();
  const searching = () => listing.kind === 'words' || listing.kind === 'label';

  /** @param {import('./api.js').Image} image */
  function tile(image) {
    const badge =
      image.status === 'completed'
        ? undefined
        : el('span', {
            className: `badge ${image.status}`,
            textContent: image.status === 'failed' ? 'Failed' : 'Processing',
          });
    const matched = matches.get(image.image_id);
    const button = el('button', { type: 'button', className: 'tile' }, [
      picture(image, GRID_SIZES, ''),
      el('span', { className: 'caption', textContent: nameOf(image) }),
      matched ? el('span', { className: 'matched', textContent: matchedText(matched) }) : undefined,
      badge,
    ]);
    button.addEventListener('click', () => open(image.image_id));
    return el('li', { 'data-image-id': image.image_id, 'data-status': image.status }, [button]);
  }

  /** What a tile shows of an image (a thumbnail's presigned URL changes on every read, so only its width counts). */
  function shown(image) {
    return JSON.stringify([
      image.status,
      nameOf(image),
      image.dominant_color,
      (image.thumbnails ?? []).map((thumbnail) => thumbnail.width),
    ]);
  }

  /** @param {string} text @param {boolean} [problem] */
  function say(text, problem = false) {
    byId('library-note').textContent = text;
    byId('library-note').classList.toggle('problem', problem);
  }

  function note() {
    say(byId('grid').children.length === 0 ? emptyText(listing) : '');
  }

  /** The filter a label listing is shown with, which its × removes (back to the whole library). */
  function showFilter() {
    const filters = byId('filters');
    filters.hidden = listing.kind !== 'label';
    if (listing.kind !== 'label') {
      filters.replaceChildren();
      return;
    }
    const remove = el('button', {
      type: 'button',
      className: 'icon',
      textContent: '×',
      'aria-label': `Remove the label filter “${listing.label}”`,
    });
    remove.addEventListener('click', () => {
      show({ kind: 'all' });
      byId('library').focus();
    });
    filters.replaceChildren(
      el('span', { className: 'filter' }, [
        el('span', { textContent: 'Label: ' }),
        el('strong', { textContent: listing.label }),
        remove,
      ]),
    );
  }

  /** Puts the image's tile where its upload time places it among the loaded ones (newest first). */
  function place(image) {
    const before = known.get(image.image_id);
    known.set(image.image_id, image);
    const existing = tileOf(image.image_id);
    if (existing) {
      // Only a tile that would look different is redrawn: its thumbnail would load again, and the focus move.
      if (!before || shown(before) !== shown(image)) existing.replaceWith(tile(image));
      return;
    }
    // A search's results are what it found: a new image waits for the next search.
    if (searching()) return;
    if (listing.kind === 'group' && image.cluster_id !== listing.cluster) return;
    /** @type {HTMLElement[]} */
    const tiles = [...byId('grid').children];
    const later = tiles.find((item) => (known.get(item.dataset.imageId)?.created_at ?? '') < image.created_at);
    byId('grid').insertBefore(tile(image), later ?? null);
    note();
  }

  function focus(imageId) {
    tileOf(imageId)?.querySelector('button').focus();
  }

  /**
   * A page of the listing: images, and for a search what each was found by.
   * @param {Listing} shown
   * @param {string} [from] The cursor of the page.
   * @returns {Promise<{
   *   items: Array<import('./api.js').Image & { matched?: import('./api.js').SearchResult['matched'] }>,
   *   next_cursor?: string | null,
   * }>}
   */
  function page(shown, from) {
    if (shown.kind === 'words' || shown.kind === 'label') {
      return api.search({
        ...(shown.kind === 'words' ? { q: shown.q } : { q: shown.label, field: 'labels' }),
        cursor: from,
        limit: PAGE_SIZE,
      });
    }
    return api.images({ cluster: shown.kind === 'group' ? shown.cluster : undefined, cursor: from, limit: PAGE_SIZE });
  }

  /** Tells a screen reader what a search found (the grid itself changes silently). */
  function announceFound(count) {
    if (listing.kind !== 'words' && listing.kind !== 'label') return;
    if (count === 0) announce(emptyText(listing));
    else if (listing.kind === 'words')
      announce(`${imagesText(count)} ${count === 1 ? 'matches' : 'match'} “${listing.q}”.`);
    else announce(`${imagesText(count)} labelled “${listing.label}”.`);
  }

  /**
   * The first page of the listing, or (`more`) its next page; false when it could not be loaded (the note says why).
   * @returns {Promise<boolean>}
   */
  async function load(more = false) {
    const shown = listing;
    try {
      const answer = await page(shown, more ? cursor : undefined);
      if (shown !== listing) return true; // another listing was chosen meanwhile
      if (!more) {
        byId('grid').replaceChildren();
        matches.clear();
      }
      for (const image of answer.items) {
        known.set(image.image_id, image);
        if (image.matched) matches.set(image.image_id, image.matched);
        byId('grid').append(tile(image));
        if (image.status === 'processing') follow(image.image_id);
      }
      cursor = answer.next_cursor ?? undefined;
      byId('more').hidden = !cursor;
      note();
      announceFound(byId('grid').children.length);
      return true;
    } catch (error) {
      if (shown !== listing) return true;
      if (!more) byId('grid').replaceChildren();
      byId('more').hidden = true;
      const what = searching() ? 'The search could not be made' : 'The images could not be loaded';
      say(`${what}: ${problemText(error)}`, true);
      announce(byId('library-note').textContent);
      return false;
    }
  }

  /**
   * Lists something else: its title, its filter, its first page.
   * @param {Listing} next
   */
  function show(next) {
    listing = next;
    cursor = undefined;
    byId('library-title').textContent = titleOf(listing);
    showFilter();
    onShow(listing);
    return load();
  }

  byId('more').addEventListener('click', () => load(true));

  return {
    load,
    show,
    place,
    focus,

    /** What the grid lists. */
    get listing() {
      return listing;
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
