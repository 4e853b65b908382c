import {
  ActivityFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DELIVERY_GIVE_UP_HOURS,
  DELIVERY_MAX_INTERVAL_SECONDS,
  webhookEventSignal,
  type DeliverWebhooksInput,
  type DeliveryTiming,
  type WebhookActivities,
  type WebhookEvent,
} from '../contracts';

/** Attempts as the run's timing says: each bounded, retried with exponential back-off for DELIVERY_GIVE_UP_HOURS. */
const deliveries = ({ attemptSeconds, firstRetrySeconds }: DeliveryTiming) =>
  proxyActivities<WebhookActivities>({
    startToCloseTimeout: `${attemptSeconds} seconds`,
    scheduleToCloseTimeout: `${DELIVERY_GIVE_UP_HOURS} hours`,
    retry: {
      initialInterval: `${firstRetrySeconds} seconds`,
      backoffCoefficient: 2,
      maximumInterval: `${DELIVERY_MAX_INTERVAL_SECONDS} seconds`,
    },
  });
const { abandonWebhookEvent } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A run idle this long ends; the next event starts another (signal-with-start). */
const IDLE_END = '1 hour';
/** Event ids remembered to drop repeats: a publisher repeats an event within seconds, if at all. */
const SEEN = 500;
/** Deliveries per run before it continues as new, keeping its history short. */
const DELIVERIES_PER_RUN = 200;

/**
 * Delivers one webhook endpoint's events, one at a time in the order they came: each is retried with exponential
 * back-off for DELIVERY_GIVE_UP_HOURS until the receiver answers 2xx, then the next. The endpoint gone (410, deleted,
 * disabled) ends the run with whatever was still queued.
 */
export async function deliverWebhooks(input: DeliverWebhooksInput): Promise<void> {
  const { userId, webhookId, timing } = input;
  const { deliverWebhook } = deliveries(timing);
  const queue: WebhookEvent[] = [...(input.pending ?? [])];
  const seen: string[] = [...(input.seen ?? [])];
  setHandler(webhookEventSignal, (event) => {
    if (seen.includes(event.id)) return;
    seen.push(event.id);
    if (seen.length > SEEN) seen.shift();
    queue.push(event);
  });

  for (let delivered = 0; delivered < DELIVERIES_PER_RUN; delivered++) {
    if (!(await condition(() => queue.length > 0, IDLE_END))) return;
    const event = queue[0]!;
    try {
      if ((await deliverWebhook({ userId, webhookId, event })) === 'endpoint-gone') return;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await abandonWebhookEvent({ userId, webhookId, event, reason: error.cause?.message ?? error.message });
    }
    queue.shift();
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof deliverWebhooks>({ userId, webhookId, timing, pending: queue, seen });
}
