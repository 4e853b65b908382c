import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../contracts';

/**
 * A new webhook endpoint: where to send (an https URL; the service checks it further, see
 * src/webhooks/webhookUrl.ts), which events, and a note for its owner.
 */
export const webhookRequestSchema = z
  .object({
    url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//i, 'must be an https URL')
      .meta({ description: 'https, to a public host (plain http only to hosts the operator allows)' }),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1, 'must name at least one event')
      .max(WEBHOOK_EVENT_TYPES.length * 2),
    description: z.string().trim().max(200).optional(),
  })
  .strict();

export const webhookIdParams = z.object({
  webhookId: z.uuid().meta({ description: 'The webhook endpoint, as its registration answered' }),
});
