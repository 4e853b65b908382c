import crypto from 'node:crypto';
import { InvalidInputError } from './serviceErrors';

/**
 * A search's cursor: how many of its results the previous pages showed, and a fingerprint of whose search it is
 * and of what (the query, and the field it is restricted to), as base64url JSON (opaque to clients). A cursor of
 * another query, field or user does not match the fingerprint of this one and is refused, rather than quietly paging
 * through a different result list. A client that builds a cursor itself gains nothing: the offset only pages through
 * its own results.
 */
export function searchFingerprint(userId: string, normalisedQuery: string, field?: string): string {
  // A search of every field keeps the fingerprint it had before searches could be restricted to one.
  const search = field === undefined ? normalisedQuery : `${normalisedQuery}\n${field}`;
  return crypto.createHash('sha256').update(`${userId}\n${search}`).digest('base64url').slice(0, 16);
}

export function encodeSearchCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

/** The offset a cursor resumes at; an InvalidInputError for one that is malformed, out of range or not this search's. */
export function decodeSearchCursor(cursor: string, fingerprint: string, maxOffset: number): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const { o: offset, f: of } = (decoded ?? {}) as { o?: unknown; f?: unknown };
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 1 || offset >= maxOffset) {
    throw new InvalidInputError('cursor', 'is not a cursor: the next_cursor of a page of this search');
  }
  if (of !== fingerprint) {
    throw new InvalidInputError('cursor', 'is the next_cursor of another search: page with the same q');
  }
  return offset;
}
