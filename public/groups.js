// Groups: the library's clusters, named by the service; choosing one lists its images.
import { byId, el } from './dom.js';

const NO_GROUPS =
  'Similar images are grouped once your library has six or more: each night, or now with “Regroup my library”.';
// Images completing one after another reload the groups once.
const RELOAD_DELAY_MS = 1500;

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {ReturnType<import('./library.js').createLibrary>} deps.library
 */
export function createGroups({ api, library }) {
  /** @type {Map<string, string>} Each cluster's name, by id. */
  let names = new Map();
  /** What the cards drawn show, by ids, names and sizes (a sample's presigned URL changes on every load). */
  let drawn = '';
  let reloadTimer;

  /** Whether the library lists this group (all images, with no group). */
  function listed(clusterId) {
    const { listing } = library;
    return listing.kind === 'group' ? listing.cluster === clusterId : listing.kind === 'all' && !clusterId;
  }

  /** @param {import('./api.js').Preview[]} samples */
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
        'aria-pressed': String(listed(clusterId)),
        'data-cluster': clusterId ?? '',
      },
      [
        mosaic,
        el('span', { className: 'group-name', textContent: label }),
        el('span', { className: 'count', textContent: count }),
      ],
    );
    button.addEventListener('click', () => show(clusterId));
    return el('li', {}, [button]);
  }

  async function load() {
    try {
      const clusters = await api.clusters();
      names = new Map(clusters.map((cluster) => [cluster.cluster_id, cluster.name]));
      const drawing = JSON.stringify(
        clusters.map(({ cluster_id, name, size, samples }) => [cluster_id, name, size, samples.map((s) => s.image_id)]),
      );
      if (drawing !== drawn) draw(clusters);
      drawn = drawing;
      const note = byId('groups-note').textContent;
      if (clusters.length === 0 && !note) byId('groups-note').textContent = NO_GROUPS;
      if (clusters.length > 0 && note === NO_GROUPS) byId('groups-note').textContent = '';
    } catch (error) {
      byId('groups-note').textContent = `The groups could not be loaded: ${error.message}`;
    }
  }

  /**
   * Draws the cards. Only when they change: images completing reload the groups, and a redraw would reload every
   * mosaic and move a keyboard user's place.
   * @param {import('./api.js').Cluster[]} clusters
   */
  function draw(clusters) {
    // A card that had the focus keeps it.
    const focused = byId('groups').contains(document.activeElement)
      ? /** @type {HTMLElement} */ (document.activeElement).dataset.cluster
      : undefined;
    byId('groups').replaceChildren(
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
      /** @type {HTMLElement | null} */ (
        byId('groups').querySelector(`[data-cluster="${CSS.escape(focused)}"]`)
      )?.focus();
  }

  /** Lists a group's images in the library (all of them, with no group). */
  function show(clusterId) {
    library.show(
      clusterId ? { kind: 'group', cluster: clusterId, title: names.get(clusterId) ?? 'Group' } : { kind: 'all' },
    );
  }

  async function regroup() {
    const button = byId('regroup');
    button.disabled = true;
    byId('groups-note').textContent = 'Regrouping your library…';
    try {
      const { status, result } = await api.regroup();
      byId('groups-note').textContent =
        status !== 'completed'
          ? 'Regrouping failed; your groups are as they were.'
          : result?.k
            ? `${result.k} groups of ${result.images} images.`
            : `No groups: ${result?.reason ?? 'too few images'}.`;
      await load();
      show(undefined);
    } catch (error) {
      byId('groups-note').textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  byId('regroup').addEventListener('click', regroup);

  return {
    load,
    show,

    reloadSoon() {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, RELOAD_DELAY_MS);
    },

    /** @param {string} clusterId */
    nameOf: (clusterId) => names.get(clusterId),

    /** Marks the card of what the library lists now (none, while it lists what a search found). */
    reflect() {
      for (const button of byId('groups').querySelectorAll('button'))
        button.setAttribute('aria-pressed', String(listed(button.dataset.cluster || undefined)));
    },
  };
}
