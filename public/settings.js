// The settings, a dialog opened from the page's header: the user's webhook endpoints, each with its delivery log, and
// the form that adds one. While it is open the endpoints and their logs are read again every few seconds (a delivery
// lands in its log, a receiver's 410 disables its endpoint); nothing is read while it is closed or the tab is hidden.
// Closing it drops every secret it was showing.
import { announce, byId } from './dom.js';
import { problemText } from './format.js';
import { createWebhookCard } from './webhookCard.js';
import { createWebhookForm } from './webhookForm.js';

const REFRESH_MS = 5000;

/**
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 */
export function createSettings({ api }) {
  const dialog = byId('settings');
  /** @type {Map<string, ReturnType<typeof createWebhookCard>>} The cards shown, by endpoint. */
  const cards = new Map();
  /** Counts openings and closings: the readings of an earlier opening stop. */
  let opening = 0;
  /** Counts openings and the person's own changes: a list read before either is out of date. */
  let version = 0;
  let refreshTimer;

  function note() {
    byId('webhooks-note').textContent = cards.size === 0 ? 'No endpoints yet: add one below.' : '';
  }

  /** @param {import('./api.js').Webhook} webhook */
  function addCard(webhook) {
    const card = createWebhookCard(webhook, { api, onRemoved: removed });
    cards.set(webhook.webhook_id, card);
    byId('webhooks').append(card.node);
    return card;
  }

  /** @param {string} webhookId */
  function dropCard(webhookId) {
    cards.get(webhookId)?.node.remove();
    cards.delete(webhookId);
  }

  /** @param {string} webhookId */
  function removed(webhookId) {
    version++;
    dropCard(webhookId);
    note();
    form.clearProblems();
    announce('The endpoint is removed: nothing more is sent to it.');
    byId('webhooks-section').focus();
  }

  /** Reads the endpoints (another tab may have changed them) and each one's log. */
  async function refresh() {
    const asked = version;
    try {
      const webhooks = await api.webhooks();
      if (asked !== version) return;
      const listed = new Set(webhooks.map((webhook) => webhook.webhook_id));
      for (const webhookId of cards.keys()) if (!listed.has(webhookId)) dropCard(webhookId);
      for (const webhook of webhooks) {
        const card = cards.get(webhook.webhook_id);
        if (card) card.update(webhook);
        else addCard(webhook);
      }
      note();
      await Promise.all([...cards.values()].map((card) => card.readLog()));
    } catch (error) {
      if (asked === version)
        byId('webhooks-note').textContent = `Your endpoints could not be read: ${problemText(error)}`;
    }
  }

  /** The next reading, a few seconds after this one ended; none once the settings are closed (or opened anew). */
  function schedule() {
    const opened = opening;
    refreshTimer = setTimeout(async () => {
      if (opened !== opening) return;
      if (!document.hidden) await refresh();
      if (opened === opening) schedule();
    }, REFRESH_MS);
  }

  const form = createWebhookForm({
    api,
    onCreated: (created) => {
      version++;
      const { secret, ...webhook } = created;
      const card = cards.get(webhook.webhook_id) ?? addCard(webhook);
      note();
      card.showSecret(secret);
      announce('The endpoint is added. Its signing secret is shown this once: copy it now.');
      card.readLog();
    },
  });

  async function open() {
    opening++;
    version++;
    const opened = opening;
    byId('webhooks-note').textContent = 'Reading your endpoints…';
    dialog.showModal();
    byId('settings-close').focus();
    await refresh();
    if (opened === opening) schedule();
  }

  byId('open-settings').addEventListener('click', open);
  byId('settings-close').addEventListener('click', () => dialog.close());
  // A click on the backdrop (the dialog element itself, outside its content) closes it, as the image view's does.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    opening++;
    version++;
    clearTimeout(refreshTimer);
    for (const webhookId of [...cards.keys()]) dropCard(webhookId);
    form.reset();
  });
}
