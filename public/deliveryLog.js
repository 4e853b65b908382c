// An endpoint's delivery log: its latest attempts, newest first, each with its time, event, attempt, outcome, the
// receiver's answer (or why there was none) and latency. A table; a phone shows each row as a small card.
import { el } from './dom.js';
import { momentText } from './format.js';

// Rows shown until the person asks for all the API answered (its latest 50).
const SHOWN = 10;

const OUTCOMES = {
  delivered: 'Delivered',
  failed: 'Failed',
  gone: 'Gone: disabled',
  abandoned: 'Given up',
};

const COLUMNS = ['Time', 'Event', 'Event id', 'Attempt', 'Outcome', 'Answer', 'Latency'];

/**
 * A cell, with its role said outright: the phone's layout changes the table's display, which makes some browsers
 * drop the table's semantics.
 * @param {'th' | 'td'} tag
 * @param {string} className
 * @param {Array<Node | string | undefined>} children
 */
const cell = (tag, className, children) =>
  el(tag, { className, role: tag === 'th' ? 'columnheader' : 'cell' }, children);

/** @param {import('./api.js').Delivery} delivery */
function row(delivery) {
  const answer = [
    delivery.status_code === undefined ? undefined : el('span', { textContent: String(delivery.status_code) }),
    delivery.error ? el('span', { className: 'why', title: delivery.error, textContent: delivery.error }) : undefined,
  ];
  return el('tr', { className: delivery.outcome, role: 'row' }, [
    cell('td', 'at', [el('time', { dateTime: delivery.at, textContent: momentText(delivery.at) })]),
    cell('td', 'type', [el('code', { textContent: delivery.event_type })]),
    cell('td', 'event-id', [el('code', { textContent: delivery.event_id })]),
    // The entry that gives an event up is no attempt.
    cell('td', 'attempt', [delivery.attempt ? String(delivery.attempt) : '–']),
    cell('td', 'outcome', [OUTCOMES[delivery.outcome] ?? delivery.outcome]),
    cell('td', 'answer', answer.some(Boolean) ? answer : ['–']),
    cell('td', 'latency', [delivery.latency_ms === undefined ? '–' : `${delivery.latency_ms} ms`]),
  ]);
}

/**
 * The log as an element: none yet, or its latest SHOWN entries (all of them once `expanded`).
 * @param {import('./api.js').Delivery[]} deliveries
 * @param {{ expanded: boolean, onToggle: () => void }} view
 */
export function deliveryLog(deliveries, { expanded, onToggle }) {
  if (deliveries.length === 0) {
    return el('p', { className: 'hint', textContent: 'Nothing sent yet: each event is delivered as it happens.' });
  }
  const shown = expanded ? deliveries : deliveries.slice(0, SHOWN);
  const table = el('table', { className: 'deliveries', role: 'table' }, [
    el('thead', { role: 'rowgroup' }, [
      el(
        'tr',
        { role: 'row' },
        COLUMNS.map((name) => cell('th', '', [name])),
      ),
    ]),
    el('tbody', { role: 'rowgroup' }, shown.map(row)),
  ]);
  let toggle;
  if (deliveries.length > SHOWN) {
    toggle = el('button', {
      type: 'button',
      className: 'quiet toggle',
      textContent: expanded ? `Show the latest ${SHOWN}` : `Show all ${deliveries.length}`,
    });
    toggle.addEventListener('click', onToggle);
  }
  return el('div', { className: 'delivery-log' }, [table, toggle]);
}
