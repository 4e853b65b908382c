import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { DeliveryTiming, WebhookEvent } from '../contracts';
import type { HeldWebhookEvents } from '../storage/heldWebhookEvents';
import type { WebhookRecord } from '../storage/webhookRecord';
import type { WebhookRepository } from '../storage/webhookRepository';

/** An event held while its change is made, with the endpoints it is for (none held when there are none). */
export interface HeldEvent {
  event: WebhookEvent;
  endpoints: WebhookRecord[];
}

/**
 * Hands an event to each of its user's enabled endpoints that asked for its type: one Query of the user's endpoints,
 * then one signal-with-start per endpoint (none for a user without endpoints). Called by whatever made it happen: the
 * pipeline's last step (completed, failed) and a re-clustering, from activities that retry until it is queued; a
 * delete or a restore, from an API request, which holds the event while it makes the change (hold, then send).
 */
export class WebhookEvents {
  private readonly timing: DeliveryTiming;

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly held: HeldWebhookEvents,
    private readonly workflows: Pick<ImageWorkflows, 'enqueueWebhookEvent'>,
    config: Pick<Config, 'webhooks'>,
  ) {
    this.timing = {
      // The sender gives up at its own timeout; the attempt's bound leaves it a margin.
      attemptSeconds: Math.ceil(config.webhooks.timeoutMs / 1000) + 5,
      firstRetrySeconds: config.webhooks.firstRetrySeconds,
    };
  }

  /** How many endpoints it was queued for. */
  async publish(event: WebhookEvent): Promise<number> {
    const endpoints = await this.subscribers(event);
    await this.queue(event, endpoints);
    return endpoints.length;
  }

  /**
   * Holds the event before its change is made, when any endpoint wants it (one write; none for a user without
   * endpoints): if the process dies before `send`, the storage sweep sends it, once it sees the change was made.
   */
  async hold(event: WebhookEvent): Promise<HeldEvent> {
    const endpoints = await this.subscribers(event);
    if (endpoints.length > 0) await this.held.hold(event);
    return { event, endpoints };
  }

  /** Queues a held event for its endpoints once its change is made, and lets go of it. */
  async send({ event, endpoints }: HeldEvent): Promise<void> {
    if (endpoints.length === 0) return;
    await this.queue(event, endpoints);
    await this.held.release(event);
  }

  /** Lets go of a held event whose change was not made. */
  async drop({ event, endpoints }: HeldEvent): Promise<void> {
    if (endpoints.length > 0) await this.held.release(event);
  }

  private async subscribers(event: WebhookEvent): Promise<WebhookRecord[]> {
    return (await this.webhooks.list(event.userId)).filter(
      (endpoint) => endpoint.status === 'enabled' && endpoint.events.includes(event.type),
    );
  }

  private async queue(event: WebhookEvent, endpoints: WebhookRecord[]): Promise<void> {
    await Promise.all(
      endpoints.map((endpoint) =>
        this.workflows.enqueueWebhookEvent(event.userId, endpoint.webhook_id, event, this.timing),
      ),
    );
  }
}
