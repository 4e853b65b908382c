import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from './queryAllPages';
import type { SecretSealer } from './secretSealer';
import { transactUnlessFirstRefused } from './transactWriteItem';
import { WEBHOOKS_EXPIRY_ATTRIBUTE } from './tables/webhooksTable';
import type { DeliveryLogEntry, WebhookRecord, WebhookSecret } from './webhookRecord';

const COUNT_KEY = '#count';
const endpointKey = (webhookId: string) => `webhook#${webhookId}`;
const deliveriesPrefix = (webhookId: string) => `delivery#${webhookId}#`;
/** How long an attempt stays in the delivery log. */
const DELIVERY_LOG_SECONDS = 7 * 24 * 3600;

/** The user has as many endpoints as they may. */
export class WebhookLimitError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} webhook endpoints per user`);
    this.name = 'WebhookLimitError';
  }
}

type StoredWebhook = WebhookRecord & { item_key: string };

/** What a sealed secret is bound to: a sealed value copied onto another endpoint does not open. */
const ownerOf = (userId: string, webhookId: string) => `webhook/${userId}/${webhookId}`;

/**
 * The webhooks table (src/storage/tables/webhooksTable.ts): users' endpoints, capped per user by a count written in
 * the same transaction as each creation and removal, and the endpoints' delivery logs. Signing secrets are sealed
 * as they are written and opened as they are read (SecretSealer): callers only ever see them open.
 */
export class WebhookRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sealer: SecretSealer,
  ) {}

  /** Stores a new endpoint, unless the user has `limit` already (WebhookLimitError). */
  async create(record: WebhookRecord, limit: number): Promise<void> {
    const counted = await transactUnlessFirstRefused(this.documents, [
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: record.user_id, item_key: COUNT_KEY },
          UpdateExpression: 'ADD endpoints :one',
          ConditionExpression: 'attribute_not_exists(endpoints) OR endpoints < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...record,
            secrets: this.sealed(record.user_id, record.webhook_id, record.secrets),
            item_key: endpointKey(record.webhook_id),
          },
          ConditionExpression: 'attribute_not_exists(item_key)',
        },
      },
    ]);
    if (!counted) throw new WebhookLimitError(limit);
  }

  /** The user's endpoints, oldest first. */
  async list(userId: string): Promise<WebhookRecord[]> {
    const items = (await queryAllPages(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :user AND begins_with(item_key, :prefix)',
      ExpressionAttributeValues: { ':user': userId, ':prefix': 'webhook#' },
    })) as unknown as StoredWebhook[];
    return items.map((item) => this.recordOf(item)).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async get(userId: string, webhookId: string): Promise<WebhookRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, item_key: endpointKey(webhookId) } }),
    );
    return Item ? this.recordOf(Item as StoredWebhook) : undefined;
  }

  /** Removes the endpoint and counts it out; false when there was none. Its delivery log expires on its own. */
  async remove(userId: string, webhookId: string): Promise<boolean> {
    return transactUnlessFirstRefused(this.documents, [
      {
        Delete: {
          TableName: this.tableName,
          Key: { user_id: userId, item_key: endpointKey(webhookId) },
          ConditionExpression: 'attribute_exists(item_key)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: userId, item_key: COUNT_KEY },
          UpdateExpression: 'ADD endpoints :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ]);
  }

  /**
   * Replaces the endpoint's secrets, if it is unchanged since `readAt` (its updated_at when read): false when it
   * changed meanwhile (a rotation at the same moment) or is gone.
   */
  async replaceSecrets(userId: string, webhookId: string, readAt: string, secrets: WebhookSecret[], at: string) {
    return this.conditionalUpdate(userId, webhookId, {
      UpdateExpression: 'SET secrets = :secrets, updated_at = :at',
      ConditionExpression: 'updated_at = :read',
      ExpressionAttributeValues: {
        ':secrets': this.sealed(userId, webhookId, secrets),
        ':read': readAt,
        ':at': at,
      },
    });
  }

  /** Stops deliveries to the endpoint (its receiver said it is gone); false when the endpoint is gone already. */
  async disable(userId: string, webhookId: string, reason: string, at: string): Promise<boolean> {
    return this.conditionalUpdate(userId, webhookId, {
      UpdateExpression: 'SET #status = :disabled, disabled_reason = :reason, updated_at = :at',
      ConditionExpression: 'attribute_exists(item_key)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason, ':at': at },
    });
  }

  /** Adds an attempt to the endpoint's delivery log (kept a week). */
  async logDelivery(userId: string, entry: DeliveryLogEntry): Promise<void> {
    const expires = Math.floor(Date.parse(entry.at) / 1000) + DELIVERY_LOG_SECONDS;
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...entry,
          user_id: userId,
          // Time first, so the log reads newest first; event and attempt make each attempt its own item.
          item_key: `${deliveriesPrefix(entry.webhook_id)}${entry.at}#${entry.event_id}#${entry.attempt}`,
          [WEBHOOKS_EXPIRY_ATTRIBUTE]: expires,
        },
      }),
    );
  }

  /** The endpoint's latest attempts, newest first. */
  async deliveries(userId: string, webhookId: string, limit: number): Promise<DeliveryLogEntry[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'user_id = :user AND begins_with(item_key, :prefix)',
        ExpressionAttributeValues: { ':user': userId, ':prefix': deliveriesPrefix(webhookId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => {
      const { user_id: _user, item_key: _key, [WEBHOOKS_EXPIRY_ATTRIBUTE]: _expires, ...entry } = item;
      return entry as DeliveryLogEntry;
    });
  }

  private sealed(userId: string, webhookId: string, secrets: WebhookSecret[]): WebhookSecret[] {
    return secrets.map((each) => ({ ...each, secret: this.sealer.seal(each.secret, ownerOf(userId, webhookId)) }));
  }

  private recordOf({ item_key: _key, ...record }: StoredWebhook): WebhookRecord {
    const owner = ownerOf(record.user_id, record.webhook_id);
    return {
      ...record,
      secrets: record.secrets.map((each) => ({ ...each, secret: this.sealer.open(each.secret, owner) })),
    };
  }

  private async conditionalUpdate(
    userId: string,
    webhookId: string,
    update: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, item_key: endpointKey(webhookId) },
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
