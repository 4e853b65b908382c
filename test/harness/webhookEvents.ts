import type { ActivityDependencies } from '../../src/activities';
import type { WebhookEvent } from '../../src/contracts';

/**
 * For tests that build activities themselves: the webhook events they publish are kept for the test to read (no
 * endpoint is told), and no delivery is sent.
 */
export function keptEvents(): Pick<ActivityDependencies, 'events' | 'webhooks'> & { published: WebhookEvent[] } {
  const published: WebhookEvent[] = [];
  return {
    published,
    events: {
      publish: (event) => {
        published.push(event);
        return Promise.resolve(0);
      },
    },
    webhooks: {
      eventData: () => Promise.resolve({}),
      send: () => Promise.reject(new Error('this test sends no webhook')),
    },
  };
}
