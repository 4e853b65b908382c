const MAX_FILENAME_LENGTH = 200;

/**
 * The client's file name, kept only as a label: no directories, no control or bidi characters, bounded length.
 * It never becomes part of a storage key.
 */
export function sanitizeFilename(original: string | undefined): string {
  const lastSegment = (original ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/^\.+/, '')
    .trim();
  return Array.from(cleaned).slice(0, MAX_FILENAME_LENGTH).join('') || 'upload';
}
