// Following an image's run to its end: its upload row (if it has one) says how far it is; the end is announced.
import { announce } from './dom.js';
import { nameOf } from './format.js';

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {(image: import('./api.js').Image) => void} deps.onEnd With the image as its run left it.
 */
export function createRunFollower({ api, onEnd }) {
  // Each image is followed once, however many times it is listed or uploaded meanwhile.
  const followed = new Set();

  /**
   * @param {string} imageId
   * @param {import('./uploads.js').UploadRow} [row]
   */
  async function follow(imageId, row) {
    if (followed.has(imageId)) return;
    followed.add(imageId);
    try {
      const status = await api.runEnd(imageId, (progress) => {
        const steps = progress.steps ?? [];
        const done = steps.filter((step) => step.status === 'completed').length;
        row?.show(
          'processing',
          progress.current_step
            ? `Processing: ${progress.current_step} (step ${done + 1} of ${steps.length})`
            : 'Processing…',
          steps.length ? done / steps.length : undefined,
        );
      });
      const image = await api.image(imageId);
      onEnd(image);
      if (status.status === 'completed') {
        row?.show('completed', 'Completed', 1);
        row?.linkTo(imageId, 'Open');
        announce(`${nameOf(image)} is ready.`);
      } else {
        row?.show('failed', `Failed: ${status.failure_reason ?? 'no reason was given'}`, 1);
        announce(`${nameOf(image)} failed.`);
      }
    } catch (error) {
      row?.show('failed', `Lost track of it: ${error.message}`, 0);
    } finally {
      followed.delete(imageId);
    }
  }

  return { follow };
}
