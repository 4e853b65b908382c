import type { Config } from '../../config';
import type { WebhookEndpoints } from '../../services/webhookEndpoints';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/** The caller's webhook endpoints: register, list, read, remove, rotate the secret, read the delivery log. */
export function webhookRoutes(deps: {
  config: Config;
  webhooks: WebhookEndpoints;
}): Pick<
  OperationHandlers,
  'createWebhook' | 'listWebhooks' | 'getWebhook' | 'deleteWebhook' | 'rotateWebhookSecret' | 'listWebhookDeliveries'
> {
  const { config, webhooks } = deps;
  return {
    createWebhook: async ({ body }, { req, res, reply }) => {
      const created = await webhooks.register(currentUser(req).uid, body, apiBase(req, config));
      res.location(`${apiBase(req, config)}/api/v1/webhooks/${created.webhook_id}`);
      // The secret is in the answer: no cache may keep it.
      res.setHeader('Cache-Control', 'no-store');
      reply(201, created);
    },
    listWebhooks: async (_input, { req, reply }) => {
      reply(200, { webhooks: await webhooks.list(currentUser(req).uid) });
    },
    getWebhook: async ({ params }, { req, reply }) => {
      reply(200, await webhooks.get(currentUser(req).uid, params.webhookId));
    },
    deleteWebhook: async ({ params }, { req, res }) => {
      await webhooks.remove(currentUser(req).uid, params.webhookId);
      res.status(204).end();
    },
    rotateWebhookSecret: async ({ params }, { req, res, reply }) => {
      const rotated = await webhooks.rotateSecret(currentUser(req).uid, params.webhookId);
      res.setHeader('Cache-Control', 'no-store');
      reply(200, rotated);
    },
    listWebhookDeliveries: async ({ params }, { req, res, reply }) => {
      const deliveries = await webhooks.deliveries(currentUser(req).uid, params.webhookId);
      res.setHeader('Cache-Control', 'no-store');
      reply(200, { deliveries });
    },
  };
}
