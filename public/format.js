// How the page writes an image's name, a size in bytes, a pipeline step, a probability, what a search matched, a
// moment and a problem the API answered.

/** @param {{ title?: string, filename?: string }} image */
export const nameOf = (image) => image.title || image.filename || 'Untitled';

export const bytesText = (bytes) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export const stepLabel = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/** A probability as a person reads it: 0.623 → "62 %". */
export const percentText = (probability) => `${Math.round(probability * 100)} %`;

/** How search's fields are named to a person (`matched.fields`). */
const FIELD_NAMES = {
  title: 'title',
  tags: 'tag',
  filename: 'file name',
  description: 'description',
  ai_description: 'AI description',
  labels: 'label',
  objects: 'object',
};

/**
 * The words a search result was found by, and where: "cat · tabby (label)"; "by meaning" when its embedding found it.
 * @param {import('./api.js').SearchResult['matched']} matched
 */
export function matchedText({ terms, fields, semantic }) {
  const words = terms.length
    ? `${terms.join(' · ')} (${fields.map((field) => FIELD_NAMES[field] ?? field).join(', ')})`
    : '';
  return [words, semantic ? 'by meaning' : ''].filter(Boolean).join(' · ');
}

/** A moment as the person's locale writes it, to the second: "12/5/26, 2:40:01 AM". @param {string} iso */
export const momentText = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/**
 * A problem+json answer as the person reads it: its title, and its detail unless that says the title again.
 * @param {Error & { problem?: Partial<import('./api.js').Problem> }} error
 */
export function problemText(error) {
  const { title, detail } = error.problem ?? {};
  if (!title || !detail) return detail ?? title ?? error.message;
  return detail.startsWith(title) ? detail : `${title}: ${detail}`;
}
