// The form that registers a webhook endpoint: its URL, the events it wants, a description. A problem the API answers
// is shown by the field it names (a URL it refuses, no event), any other under the form (too many endpoints).
import { announce, byId } from './dom.js';
import { problemText } from './format.js';

/** The fields the API may name in a problem's `errors` ("events.0" is the events'): where each is shown. */
const FIELDS = {
  url: { problem: 'webhook-url-problem', control: 'webhook-url' },
  events: { problem: 'webhook-events-problem', control: 'webhook-events' },
  description: { problem: 'webhook-description-problem', control: 'webhook-description' },
};

/** @param {string} field */
const fieldOf = (field) => FIELDS[field.split('.')[0]];

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {(created: import('./api.js').NewWebhook) => void} deps.onCreated
 */
export function createWebhookForm({ api, onCreated }) {
  const form = byId('webhook-form');

  /** @param {{ problem: string, control: string }} where */
  function clear(where) {
    byId(where.problem).textContent = '';
    byId(where.control).removeAttribute('aria-invalid');
  }

  function clearAll() {
    Object.values(FIELDS).forEach(clear);
    byId('webhook-form-problem').textContent = '';
  }

  /**
   * By each field it names, the problem's title and what it says of the field; the focus goes to the first of them.
   * @param {import('./api.js').ApiError} error
   */
  function showProblem(error) {
    const named = (error.problem?.errors ?? []).filter(({ field }) => fieldOf(field));
    if (named.length === 0) {
      byId('webhook-form-problem').textContent = problemText(error);
      return;
    }
    /** @type {Map<{ problem: string, control: string }, string[]>} */
    const said = new Map();
    for (const { field, message } of named) said.set(fieldOf(field), [...(said.get(fieldOf(field)) ?? []), message]);
    const title = error.problem?.title;
    for (const [where, messages] of said) {
      byId(where.problem).textContent = [title, messages.join('; ')].filter(Boolean).join(': ');
      // A fieldset takes no aria-invalid: its checkboxes are not wrong one by one.
      if (where !== FIELDS.events) byId(where.control).setAttribute('aria-invalid', 'true');
    }
    const [first] = said.keys();
    (first === FIELDS.events ? form.querySelector('input[name=events]') : byId(first.control)).focus();
    announce([...said.keys()].map((where) => byId(where.problem).textContent).join(' '));
  }

  async function submit(event) {
    event.preventDefault();
    clearAll();
    const data = new FormData(form);
    const button = byId('webhook-submit');
    button.disabled = true;
    try {
      const created = await api.createWebhook({
        url: String(data.get('url')).trim(),
        events: /** @type {import('./api.js').WebhookEventType[]} */ (data.getAll('events')),
        description: String(data.get('description') ?? '').trim() || undefined,
      });
      form.reset();
      onCreated(created);
    } catch (error) {
      showProblem(error);
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener('submit', submit);
  // A field changed is no longer what the problem was about.
  byId('webhook-url').addEventListener('input', () => clear(FIELDS.url));
  byId('webhook-events').addEventListener('change', () => clear(FIELDS.events));
  byId('webhook-description').addEventListener('input', () => clear(FIELDS.description));

  return {
    /** Empties the form and its problems (the settings are closed). */
    reset() {
      form.reset();
      clearAll();
    },

    /** Drops the problems shown: they were about endpoints as they were (one was removed since). */
    clearProblems: clearAll,
  };
}
