import { el } from './dom.js';

/**
 * An image's picture: its dominant colour and blurred placeholder until the thumbnail has loaded over them.
 * @param {import('./api.js').Image} image
 * @param {string} sizes How wide it is shown, for the browser to choose among the thumbnails.
 * @param {string} alt
 */
export function picture(image, sizes, alt) {
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
