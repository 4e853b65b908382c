import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { DeliveryTiming, WebhookEvent } from '../contracts';
import type { WebhookRepository } from '../storage/webhookRepository';

/**
 * Hands an event to each of its user's enabled endpoints that asked for its type: one Query of the user's endpoints,
 * then one signal-with-start per endpoint (none for a user without endpoints). Called by whatever made it happen: the
 * pipeline's last step (completed, failed), a delete or a restore, a re-clustering.
 */
export class WebhookEvents {
  private readonly timing: DeliveryTiming;

  constructor(
    private readonly webhooks: WebhookRepository,
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
    const endpoints = (await this.webhooks.list(event.userId)).filter(
      (endpoint) => endpoint.status === 'enabled' && endpoint.events.includes(event.type),
    );
    await Promise.all(
      endpoints.map((endpoint) =>
        this.workflows.enqueueWebhookEvent(event.userId, endpoint.webhook_id, event, this.timing),
      ),
    );
    return endpoints.length;
  }
}
