// One webhook endpoint in the settings: where it is, what it is sent, whether it is enabled (or why not), its delivery
// log, "Rotate secret" (the new secret shown once) and "Remove" (asked again first: there is no undo).
import { announce, el } from './dom.js';
import { deliveryLog } from './deliveryLog.js';
import { momentText, problemText } from './format.js';
import { secretNotice } from './secretNotice.js';

/** @param {import('./api.js').Webhook} webhook */
function statusLine(webhook) {
  if (webhook.status === 'enabled') return [el('strong', { textContent: 'Enabled' })];
  return [
    el('strong', { textContent: 'Disabled' }),
    `: ${webhook.disabled_reason ?? 'no reason was given'}. Nothing more is sent to it: remove it and add it again.`,
  ];
}

/** @param {import('./api.js').Webhook} webhook */
function factsOf(webhook) {
  const previousSigns =
    webhook.previous_secret_expires_at && Date.parse(webhook.previous_secret_expires_at) > Date.now();
  /** @type {Array<[string, Node | string | undefined]>} */
  const facts = [
    [
      'Events',
      el(
        'ul',
        { className: 'event-list' },
        webhook.events.map((type) => el('li', {}, [el('code', { textContent: type })])),
      ),
    ],
    ['Description', webhook.description],
    ['Added', momentText(webhook.created_at)],
    [
      'Secret',
      `from ${momentText(webhook.secret_created_at)}` +
        (previousSigns ? `; the previous one signs too until ${momentText(webhook.previous_secret_expires_at)}` : ''),
    ],
  ];
  return facts.flatMap(([term, value]) => (value ? [el('dt', { textContent: term }), el('dd', {}, [value])] : []));
}

/**
 * @param {import('./api.js').Webhook} initial
 * @param {object} deps
 * @param {ReturnType<import('./api.js').createApi>} deps.api
 * @param {(webhookId: string) => void} deps.onRemoved Called once the API has removed it.
 */
export function createWebhookCard(initial, { api, onRemoved }) {
  let webhook = initial;
  const id = webhook.webhook_id;
  /** @type {import('./api.js').Delivery[] | undefined} The log as last read. */
  let deliveries;
  let expanded = false;

  const status = el('p', { className: 'webhook-status' });
  const facts = el('dl', { className: 'facts' });
  const secretSlot = el('div');
  const problem = el('p', { className: 'error', role: 'alert' });
  const rotate = el('button', { type: 'button', textContent: 'Rotate secret' });
  const remove = el('button', { type: 'button', className: 'danger', textContent: 'Remove' });
  const actions = el('div', { className: 'webhook-actions' }, [rotate, remove]);
  const logProblem = el('p', { className: 'hint problem' });
  const log = el('div', { className: 'log' }, [el('p', { className: 'hint', textContent: 'Reading the log…' })]);
  const titleId = `webhook-${id}-url`;
  const node = el('li', { className: 'webhook', 'data-webhook-id': id }, [
    el('article', { 'aria-labelledby': titleId }, [
      el('h4', { id: titleId, textContent: webhook.url }),
      status,
      facts,
      secretSlot,
      problem,
      actions,
      el('h5', { textContent: 'Deliveries' }),
      logProblem,
      log,
    ]),
  ]);

  function show() {
    status.className = `webhook-status ${webhook.status}`;
    status.replaceChildren(...statusLine(webhook));
    facts.replaceChildren(...factsOf(webhook));
  }

  function showLog() {
    if (!deliveries) return;
    // Redrawn as the log is read again: a focused "Show all" keeps the focus.
    const hadFocus = log.contains(document.activeElement);
    log.replaceChildren(
      deliveryLog(deliveries, {
        expanded,
        onToggle: () => {
          expanded = !expanded;
          showLog();
        },
      }),
    );
    if (hadFocus) /** @type {HTMLElement | null} */ (log.querySelector('button'))?.focus();
  }

  async function rotateSecret() {
    problem.textContent = '';
    rotate.disabled = true;
    let rotated;
    try {
      rotated = await api.rotateWebhookSecret(id);
    } catch (error) {
      problem.textContent = `The secret was not rotated: ${problemText(error)}`;
      return;
    } finally {
      rotate.disabled = false;
    }
    const notice = secretNotice({
      secret: rotated.secret,
      previousExpiresAt: rotated.previous_secret_expires_at,
      onDone: () => rotate.focus(),
    });
    secretSlot.replaceChildren(notice.node);
    notice.copyButton.focus();
    announce('A new signing secret is shown, this once.');
    // Its facts as they are now (the new secret's time, until when the previous one signs); should this reading
    // fail, the settings' next one shows them.
    api.webhook(id).then(
      (now) => {
        webhook = now;
        show();
      },
      () => undefined,
    );
  }

  /** Asks again in place of the actions: removing cannot be undone. */
  function confirmRemoval() {
    problem.textContent = '';
    const yes = el('button', { type: 'button', className: 'danger', textContent: 'Remove it' });
    const no = el('button', { type: 'button', textContent: 'Keep it' });
    const question = el('div', { className: 'confirm', role: 'group', 'aria-label': 'Remove this endpoint?' }, [
      el('p', {}, [
        el('strong', { textContent: 'Remove this endpoint?' }),
        ' Nothing more is sent to it, and this cannot be undone.',
      ]),
      el('div', { className: 'webhook-actions' }, [yes, no]),
    ]);
    const back = () => {
      question.replaceWith(actions);
      remove.focus();
    };
    no.addEventListener('click', back);
    question.addEventListener('keydown', (event) => {
      // Escape steps back out of the question, not out of the settings.
      if (event.key !== 'Escape') return;
      event.preventDefault();
      back();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api.deleteWebhook(id);
        onRemoved(id);
      } catch (error) {
        back();
        problem.textContent = `Not removed: ${problemText(error)}`;
      }
    });
    actions.replaceWith(question);
    no.focus();
  }

  rotate.addEventListener('click', rotateSecret);
  remove.addEventListener('click', confirmRemoval);
  show();

  return {
    node,

    /** @param {import('./api.js').Webhook} next The endpoint as the API answers it now. */
    update(next) {
      webhook = next;
      show();
    },

    /** Shows the secret a registration answered, this once, and gives its Copy button the focus. */
    showSecret(secret) {
      const notice = secretNotice({ secret, onDone: () => rotate.focus() });
      secretSlot.replaceChildren(notice.node);
      notice.copyButton.focus();
    },

    /** Reads the log again and shows it; a failure says why above the log as last read. */
    async readLog() {
      try {
        deliveries = await api.webhookDeliveries(id);
        logProblem.textContent = '';
        showLog();
      } catch (error) {
        logProblem.textContent = `The log could not be read: ${problemText(error)}`;
        if (!deliveries) log.replaceChildren();
      }
    },
  };
}
