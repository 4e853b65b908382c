// A webhook's signing secret, shown the one time the API answers it (registration, rotation): a Copy button, and
// "Done" to put it away. It lives in this element alone; closing the settings drops it.
import { announce, el } from './dom.js';
import { momentText } from './format.js';

/**
 * Selects the secret's text, for the person to copy themselves where the page may not write the clipboard.
 * @param {HTMLElement} node
 */
function select(node) {
  const range = document.createRange();
  range.selectNodeContents(node);
  getSelection()?.removeAllRanges();
  getSelection()?.addRange(range);
}

/** How long the secret a rotation replaced keeps signing (the API says until when: 24 hours on). */
function overlapText(previousExpiresAt) {
  const hours = Math.round((Date.parse(previousExpiresAt) - Date.now()) / 3_600_000);
  return (
    `The previous secret keeps signing beside it for ${hours} hours (until ${momentText(previousExpiresAt)}): ` +
    'switch your receiver over before then.'
  );
}

/**
 * @param {object} shown
 * @param {string} shown.secret
 * @param {string} [shown.previousExpiresAt] A rotation's: until when the secret it replaced keeps signing.
 * @param {() => void} shown.onDone Called once the person has put it away.
 * @returns {{ node: HTMLElement, copyButton: HTMLButtonElement }}
 */
export function secretNotice({ secret, previousExpiresAt, onDone }) {
  const value = el('code', { className: 'secret-value', textContent: secret });
  const copyButton = el('button', { type: 'button', className: 'copy', textContent: 'Copy' });
  const copyNote = el('p', { className: 'hint', role: 'status' });
  const done = el('button', { type: 'button', className: 'quiet', textContent: 'Done' });
  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copyButton.textContent = 'Copied';
      announce('The secret is copied.');
    } catch {
      select(value);
      copyNote.textContent = 'The page may not copy it here: it is selected, copy it with Ctrl+C (⌘C).';
    }
  });
  const node = el('div', { className: 'secret' }, [
    el('p', {}, [
      el('strong', { textContent: previousExpiresAt ? 'New signing secret. ' : 'Signing secret. ' }),
      'Keep it now, where your receiver verifies signatures: you will not see it again.',
    ]),
    el('div', { className: 'secret-row' }, [value, copyButton]),
    copyNote,
    previousExpiresAt ? el('p', { className: 'hint', textContent: overlapText(previousExpiresAt) }) : undefined,
    done,
  ]);
  done.addEventListener('click', () => {
    node.remove();
    onDone();
  });
  return { node, copyButton };
}
