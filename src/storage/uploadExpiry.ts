import type { ImageRecord } from './imageRecord';

/** An upload URL not used by its expiry is purged a little after it, once any PUT still in flight has ended. */
export const UPLOAD_PURGE_GRACE_MS = 60_000;

/**
 * When a direct upload not completed is purged: a little after its URL expires. (Items from before the expiry was
 * recorded had a URL of `expirySeconds`, handed out when they were created.)
 */
export function uploadPurgeTime(record: ImageRecord, expirySeconds: number): Date {
  const expires = record.upload_expires_at
    ? Date.parse(record.upload_expires_at)
    : Date.parse(record.created_at) + expirySeconds * 1000;
  return new Date(expires + UPLOAD_PURGE_GRACE_MS);
}
