import { z } from 'zod';
import crypto from 'node:crypto';
import type { Config } from '../config';
import type { WebhookEventType } from '../contracts';
import type { Storage } from '../storage/createStorage';
import type { WebhookRecord } from '../storage/webhookRecord';
import { WebhookLimitError } from '../storage/webhookRepository';
import { newWebhookSecret } from '../webhooks/signWebhook';
import { checkWebhookUrl, WebhookUrlError } from '../webhooks/webhookUrl';
import { ConflictError, InvalidInputError, NotFoundError } from './serviceErrors';

/** How long the secret a rotation replaces keeps signing beside the new one, for receivers to switch over. */
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;
/** Entries of the delivery log an endpoint's log answers with. */
const DELIVERY_LOG_ENTRIES = 50;

export interface NewWebhook {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

/** An endpoint as its owner sees it: never its secrets (shown once, at creation and at each rotation). */
export function webhookView(record: WebhookRecord) {
  const previous = record.secrets[1];
  return {
    webhook_id: record.webhook_id,
    url: record.url,
    events: record.events,
    description: record.description,
    status: record.status,
    disabled_reason: record.disabled_reason,
    created_at: record.created_at,
    updated_at: record.updated_at,
    secret_created_at: record.secrets[0]!.created_at,
    previous_secret_expires_at: previous?.expires_at,
  };
}

/** A user's webhook endpoints: registration (URL checked), listing, removal, secret rotation, delivery log. */
export class WebhookEndpoints {
  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, 'webhooks'>,
    private readonly now: () => Date,
  ) {}

  /**
   * Registers an endpoint and answers it with its signing secret (the only time it is shown). `apiBase` is where the
   * user reached the API: the links in the events' image views are under it.
   */
  async register(userId: string, request: NewWebhook, apiBase: string) {
    let url: URL;
    try {
      url = checkWebhookUrl(request.url, { insecureHosts: this.config.webhooks.insecureHosts });
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new InvalidInputError('url', error.message);
      throw error;
    }
    const at = this.now().toISOString();
    const record: WebhookRecord = {
      user_id: userId,
      webhook_id: crypto.randomUUID(),
      url: url.href,
      events: [...new Set(request.events)],
      description: request.description,
      api_base: apiBase,
      secrets: [{ secret: newWebhookSecret(), created_at: at }],
      status: 'enabled',
      created_at: at,
      updated_at: at,
    };
    try {
      await this.storage.webhooks.create(record, this.config.webhooks.maxEndpoints);
    } catch (error) {
      if (error instanceof WebhookLimitError)
        throw new ConflictError(
          `You have ${error.limit} webhook endpoint${error.limit === 1 ? '' : 's'}, the most one user may have: remove one first.`,
          'Too many webhook endpoints',
        );
      throw error;
    }
    return { ...webhookView(record), secret: record.secrets[0]!.secret };
  }

  async list(userId: string) {
    return (await this.storage.webhooks.list(userId)).map(webhookView);
  }

  async get(userId: string, webhookId: string) {
    return webhookView(await this.own(userId, webhookId));
  }

  /** Removes the endpoint: its delivery run finds it gone at its next attempt and ends. */
  async remove(userId: string, webhookId: string): Promise<void> {
    if (!isUuid(webhookId) || !(await this.storage.webhooks.remove(userId, webhookId)))
      throw new NotFoundError(`No webhook ${webhookId}.`);
  }

  /**
   * A new signing secret, shown once; the one it replaces keeps signing beside it for ROTATION_OVERLAP_SECONDS (each
   * attempt carries both signatures), and any older one is dropped.
   */
  async rotateSecret(userId: string, webhookId: string) {
    const record = await this.own(userId, webhookId);
    const now = this.now();
    const at = now.toISOString();
    const [current] = record.secrets;
    const secret = newWebhookSecret();
    const previousExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_SECONDS * 1000).toISOString();
    const secrets = [
      { secret, created_at: at },
      { ...current!, expires_at: previousExpiresAt },
    ];
    if (!(await this.storage.webhooks.replaceSecrets(userId, webhookId, record.updated_at, secrets, at)))
      throw new ConflictError(
        `Webhook ${webhookId} was changed or removed meanwhile: read it again.`,
        'Changed meanwhile',
      );
    return { webhook_id: webhookId, secret, previous_secret_expires_at: previousExpiresAt };
  }

  /** The endpoint's latest delivery attempts, newest first (kept a week). */
  async deliveries(userId: string, webhookId: string) {
    await this.own(userId, webhookId);
    return this.storage.webhooks.deliveries(userId, webhookId, DELIVERY_LOG_ENTRIES);
  }

  private async own(userId: string, webhookId: string): Promise<WebhookRecord> {
    const record = isUuid(webhookId) ? await this.storage.webhooks.get(userId, webhookId) : undefined;
    if (!record) throw new NotFoundError(`No webhook ${webhookId}.`);
    return record;
  }
}

// As image ids are checked (ownImage): a malformed id reads as an unknown one, with no read.
const webhookIdSchema = z.uuid();
const isUuid = (value: string) => webhookIdSchema.safeParse(value).success;
