// The image view's similar images: the nearest by embedding, each a button that opens it.
import { byId, el } from './dom.js';

const SIMILAR_LIMIT = 8;

/**
 * @param {ReturnType<import('./api.js').createApi>} api
 * @param {import('./api.js').Image} image
 * @param {object} view
 * @param {() => boolean} view.stillShown False once the view has moved on to another image.
 * @param {(imageId: string) => void} view.open
 */
export async function showSimilar(api, image, { stillShown, open }) {
  byId('similar').replaceChildren();
  byId('similar-note').textContent = '';
  if (image.status !== 'completed') {
    byId('similar-note').textContent = 'Similar images are found once the image is processed.';
    return;
  }
  try {
    const similar = await api.similar(image.image_id, SIMILAR_LIMIT);
    if (!stillShown()) return;
    byId('similar-note').textContent = similar.length ? '' : 'No other images to compare it with yet.';
    byId('similar').replaceChildren(
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
        button.addEventListener('click', () => open(neighbour.image_id));
        return el('li', {}, [button]);
      }),
    );
  } catch (error) {
    byId('similar-note').textContent = error.message;
  }
}
