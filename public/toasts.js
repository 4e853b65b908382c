// Toasts: short messages, with an action (Undo) that stays while it has the focus or the pointer.
import { byId, el } from './dom.js';

const SHOWN_MS = 8000;

/**
 * Shows a message, and a button for the action if one is given; returns the button (to focus), else the toast.
 * @param {string} message
 * @param {{ label: string, run: () => void }} [action]
 */
export function toast(message, action) {
  const node = el('div', { className: 'toast' }, [el('span', { textContent: message })]);
  let timer;
  const dismiss = () => {
    clearTimeout(timer);
    node.remove();
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(dismiss, SHOWN_MS);
  };
  let button;
  if (action) {
    button = el('button', { type: 'button', textContent: action.label });
    button.addEventListener('click', () => {
      dismiss();
      action.run();
    });
    node.append(button);
  }
  node.addEventListener('focusin', () => clearTimeout(timer));
  node.addEventListener('focusout', arm);
  node.addEventListener('pointerenter', () => clearTimeout(timer));
  node.addEventListener('pointerleave', arm);
  byId('toasts').append(node);
  arm();
  return button ?? node;
}
