import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WebhookActivities, WebhookEvent } from '../contracts';
import type { DeliveryLogEntry, WebhookRecord } from '../storage/webhookRecord';
import type { WebhookRepository } from '../storage/webhookRepository';
import { webhookHeaders } from '../webhooks/signWebhook';

/** What a receiver did with one attempt: answered with a status, or could not be reached (and why). */
export type WebhookAnswer =
  | { kind: 'answered'; status: number; latencyMs: number; excerpt: string }
  | { kind: 'unreachable'; reason: string; latencyMs: number };

/** Sends one signed attempt to an endpoint's URL, refusing private addresses after DNS (src/webhooks/postWebhook.ts). */
export type WebhookSend = (url: string, body: string, headers: Record<string, string>) => Promise<WebhookAnswer>;

/** The failure type of an attempt a receiver did not accept: retried with back-off. */
const NOT_DELIVERED = 'WebhookNotDelivered';

export function createWebhookActivities(deps: {
  webhooks: WebhookRepository;
  /** The event's `data`: the image as its view shows it now, or the re-clustering's summary. */
  eventData: (event: WebhookEvent, endpoint: WebhookRecord) => Promise<unknown>;
  send: WebhookSend;
  now: () => Date;
}): WebhookActivities {
  const { webhooks, now } = deps;

  /** A log line is for people: losing one must not make a delivered event go out again. */
  const log = async (userId: string, entry: DeliveryLogEntry) => {
    try {
      await webhooks.logDelivery(userId, entry);
    } catch (error) {
      Context.current().log.warn('delivery log entry not written', { entry, error: (error as Error).message });
    }
  };

  return {
    /**
     * One attempt, signed as the Standard Webhooks specification says, with the event's id on every attempt and this
     * attempt's time. 2xx: delivered. 410: the endpoint is disabled and its run ends. Anything else, or no answer:
     * thrown, for the workflow's retry policy to try again later.
     */
    async deliverWebhook({ userId, webhookId, event }) {
      const endpoint = await webhooks.get(userId, webhookId);
      if (!endpoint || endpoint.status === 'disabled') return 'endpoint-gone';
      const body = JSON.stringify({
        type: event.type,
        timestamp: event.occurredAt,
        data: await deps.eventData(event, endpoint),
      });
      const sentAt = now();
      const secrets = endpoint.secrets
        .filter((secret) => !secret.expires_at || Date.parse(secret.expires_at) > sentAt.getTime())
        .map((secret) => secret.secret);
      const answer = await deps.send(endpoint.url, body, webhookHeaders(event.id, sentAt, body, secrets));
      const entry: DeliveryLogEntry = {
        webhook_id: webhookId,
        event_id: event.id,
        event_type: event.type,
        attempt: Context.current().info.attempt,
        at: sentAt.toISOString(),
        outcome: 'failed',
        latency_ms: Math.round(answer.latencyMs),
      };
      if (answer.kind === 'unreachable') {
        await log(userId, { ...entry, error: answer.reason });
        throw ApplicationFailure.retryable(`not delivered: ${answer.reason}`, NOT_DELIVERED);
      }
      entry.status_code = answer.status;
      if (answer.status >= 200 && answer.status < 300) {
        await log(userId, { ...entry, outcome: 'delivered' });
        return 'delivered';
      }
      if (answer.status === 410) {
        await log(userId, { ...entry, outcome: 'gone' });
        await webhooks.disable(userId, webhookId, 'the receiver answered 410 Gone', sentAt.toISOString());
        return 'endpoint-gone';
      }
      await log(userId, { ...entry, error: answer.excerpt || undefined });
      throw ApplicationFailure.retryable(`not delivered: the receiver answered ${answer.status}`, NOT_DELIVERED);
    },

    async abandonWebhookEvent({ userId, webhookId, event, reason }) {
      await webhooks.logDelivery(userId, {
        webhook_id: webhookId,
        event_id: event.id,
        event_type: event.type,
        attempt: 0,
        at: now().toISOString(),
        outcome: 'abandoned',
        error: `given up after its last attempt: ${reason}`,
      });
    },
  };
}
