import { defineSignal } from '@temporalio/workflow';
import type { ReclusterResult } from './reclustering';

/** What a webhook endpoint can be told of. */
export const WEBHOOK_EVENT_TYPES = [
  'image.completed',
  'image.failed',
  'image.deleted',
  'image.restored',
  'library.reclustered',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Something that happened, for the endpoints of its user that asked for its type. Its id is the `webhook-id` of every
 * attempt to deliver it, so a receiver can drop repeats; it is derived from what happened where that can happen only
 * once (an image completes or fails once), so a publisher that retries sends the same event again, not another.
 */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  userId: string;
  /** When it happened (ISO 8601). */
  occurredAt: string;
  /** The image it is about (the image events). */
  imageId?: string;
  /** How it was deleted (image.deleted): soft (restorable until then) or hard (gone). */
  deletion?: { kind: 'soft' | 'hard'; restorableUntil?: string };
  /** What the re-clustering found (library.reclustered). */
  summary?: ReclusterResult;
}

/** The event ids of what happens to an image once: its processing's end. */
export const imageOutcomeEventId = (imageId: string, outcome: 'completed' | 'failed') => `evt_${imageId}_${outcome}`;

/** One endpoint's deliveries run in order in one workflow: events of one image reach it in the order they happened. */
export const webhookDeliveryWorkflowId = (webhookId: string) => `webhook-${webhookId}`;

/** How the delivery run times its attempts (from the configuration of whoever started it). */
export interface DeliveryTiming {
  /** One attempt's bound, the sender's own (WEBHOOK_TIMEOUT_SECONDS) plus a margin. */
  attemptSeconds: number;
  /** The first retry's wait; each next one doubles, up to DELIVERY_MAX_INTERVAL_SECONDS. */
  firstRetrySeconds: number;
}

export interface DeliverWebhooksInput {
  userId: string;
  webhookId: string;
  timing: DeliveryTiming;
  /** Events not yet delivered, carried over by continue-as-new. */
  pending?: WebhookEvent[];
  /** Ids of the events delivered or queued lately, carried over by continue-as-new: a repeat is dropped. */
  seen?: string[];
}

/** A new event for the endpoint: queued behind those before it, dropped if its id was seen lately. */
export const webhookEventSignal = defineSignal<[WebhookEvent]>('webhookEvent');

/**
 * How long one event is retried: exponential back-off from the first retry's wait (DeliveryTiming), doubling up to an
 * hour between attempts, for DELIVERY_GIVE_UP_HOURS in all (about 30 attempts).
 */
export const DELIVERY_MAX_INTERVAL_SECONDS = 3600;
export const DELIVERY_GIVE_UP_HOURS = 26;

/** An attempt's outcome: delivered (2xx), or the endpoint is gone (answered 410, deleted, or disabled). */
export type DeliveryOutcome = 'delivered' | 'endpoint-gone';

/** The activities the delivery workflow runs, as it calls them. */
export interface WebhookActivities {
  /**
   * One attempt to deliver the event to the endpoint, logged on the endpoint: resolves on 2xx or when the endpoint is
   * gone (a 410 disables it), throws (to be retried) on anything else.
   */
  deliverWebhook: (input: { userId: string; webhookId: string; event: WebhookEvent }) => Promise<DeliveryOutcome>;
  /** Logs that the event was given up on after DELIVERY_GIVE_UP_HOURS of attempts. */
  abandonWebhookEvent: (input: {
    userId: string;
    webhookId: string;
    event: WebhookEvent;
    reason: string;
  }) => Promise<void>;
}
