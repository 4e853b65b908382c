// The image view's pipeline: each step of the image's run with its timing, the total, and a link for operators.
import { byId, el } from './dom.js';
import { stepLabel } from './format.js';

function stepItem(label, timing, state) {
  return el('li', { className: `step ${state}` }, [
    el('span', { textContent: label }),
    el('span', { className: 'timing', textContent: timing }),
  ]);
}

/**
 * @param {ReturnType<import('./api.js').createApi>} api
 * @param {import('./api.js').Image} image
 * @param {() => boolean} stillShown False once the view has moved on to another image.
 */
export async function showSteps(api, image, stillShown) {
  byId('viewer-steps').replaceChildren();
  byId('viewer-run').hidden = true;
  try {
    const status = await api.runStatus(image.image_id);
    if (!stillShown()) return;
    const steps = status.steps ?? [];
    const total = steps.reduce((sum, step) => sum + (step.duration_ms ?? 0), 0);
    byId('viewer-steps').replaceChildren(
      ...steps.map((step) =>
        stepItem(
          stepLabel(step.name),
          step.duration_ms === undefined ? step.status : `${step.duration_ms} ms`,
          step.status,
        ),
      ),
      steps.length
        ? stepItem('Total', `${total} ms`, 'total')
        : el('li', { textContent: 'The run’s timings cannot be read right now.' }),
    );
    // Operators' link to the run, when the service knows where its Temporal UI is.
    if (status.run_url) {
      byId('viewer-run').replaceChildren(
        'For operators: ',
        el('a', {
          href: status.run_url,
          target: '_blank',
          rel: 'noopener',
          textContent: 'this run in the Temporal UI',
        }),
      );
      byId('viewer-run').hidden = false;
    }
  } catch (error) {
    byId('viewer-steps').replaceChildren(el('li', { textContent: error.message }));
  }
}
