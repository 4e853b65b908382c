import crypto from 'node:crypto';

/**
 * A client address no other test (or earlier run) has used: the rate limits' buckets are kept in the stack's
 * DynamoDB, and outlive a run by their refill time.
 */
export function freshClientAddress(): string {
  return `10.${Array.from(crypto.randomBytes(3)).join('.')}`;
}
