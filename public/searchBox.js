// The search box: words are searched once typing has settled, or at once on Enter, and the library lists what was
// found; emptying the box, or Escape, lists the whole library again. Each search is a request to the API (and, with
// a provider that embeds text, a paid call to it), so a query is searched once, never per keystroke.
import { byId } from './dom.js';

// Typing is taken as settled after this pause; as-you-type waits for two characters (no shorter word is searched).
const SETTLE_MS = 500;
const SHORTEST_TYPED = 2;

/** The query as the API compares queries: case, spacing and Unicode forms aside. */
const normalised = (q) => q.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

/**
 * @param {object} deps
 * @param {ReturnType<import('./library.js').createLibrary>} deps.library
 * @param {() => void} deps.showAll Lists the whole library.
 */
export function createSearchBox({ library, showAll }) {
  const input = byId('search-input');
  let settleTimer;
  /** @type {string | undefined} The query the library lists the results of, once they came. */
  let searched;

  async function search() {
    clearTimeout(settleTimer);
    const q = input.value.trim();
    if (!q) {
      showAll();
      return;
    }
    if (searched === normalised(q) && library.listing.kind === 'words') return;
    searched = normalised(q);
    // A search that failed is tried again when asked again.
    if (!(await library.show({ kind: 'words', q }))) searched = undefined;
  }

  byId('search').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  input.addEventListener('input', () => {
    clearTimeout(settleTimer);
    // The box emptied (by its ×, or by hand) lists the whole library at once.
    if (!input.value.trim()) {
      if (library.listing.kind === 'words') showAll();
      return;
    }
    if (input.value.trim().length >= SHORTEST_TYPED) settleTimer = setTimeout(search, SETTLE_MS);
  });
  input.addEventListener('keydown', (event) => {
    const found = library.listing.kind === 'words' || library.listing.kind === 'label';
    if (event.key !== 'Escape' || (!input.value && !found)) return;
    event.preventDefault();
    input.value = '';
    clearTimeout(settleTimer);
    if (found) showAll();
  });

  return {
    /**
     * Follows what the library lists: anything but a search of words empties the box.
     * @param {import('./library.js').Listing} listing
     */
    reflect(listing) {
      if (listing.kind === 'words') return;
      clearTimeout(settleTimer);
      searched = undefined;
      input.value = '';
    },
  };
}
