import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret, as the Standard Webhooks specification writes one: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64')}`;
}

/**
 * The three headers of the Standard Webhooks specification for one attempt: the event's id (the same on every
 * attempt), the attempt's time (receivers refuse old ones), and a `v1,` signature by each secret, space-separated, so
 * a receiver holding either the new or the previous secret during a rotation verifies it.
 */
export function webhookHeaders(
  eventId: string,
  sentAt: Date,
  body: string,
  secrets: string[],
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(eventId, sentAt, body)).join(' '),
  };
}
