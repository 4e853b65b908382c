// The few helpers every section of the page builds with.

/**
 * One of the page's elements, by id. Typed loosely on purpose: index.html decides what kind each is (an input, a
 * button, a dialog), and every id the sections ask for is there.
 * @param {string} id
 * @returns {any}
 */
export const byId = (id) => document.getElementById(id);

/** An element with properties (attributes when the name has a dash: aria-*, data-*) and children. */
export function el(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    if (key.includes('-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/** Said by screen readers (a polite live region): what changed where the person is not looking. */
export function announce(text) {
  byId('announcer').textContent = text;
}
