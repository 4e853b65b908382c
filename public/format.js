// How the page writes an image's name, a size in bytes and a pipeline step.

/** @param {{ title?: string, filename?: string }} image */
export const nameOf = (image) => image.title || image.filename || 'Untitled';

export const bytesText = (bytes) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export const stepLabel = (name) => name.charAt(0).toUpperCase() + name.slice(1);
