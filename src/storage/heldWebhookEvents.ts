import crypto from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookEvent } from '../contracts';
import { WEBHOOKS_EXPIRY_ATTRIBUTE } from './tables/webhooksTable';

/** Held events are spread over this many partitions, so a bulk delete's writes do not all land on one. */
const SHARDS = 4;
/** A held event nobody released or sent is gone after this (the sweep sends or drops one within hours). */
const HELD_SECONDS = 8 * 24 * 3600;

const partitionOf = (shard: number) => `#held-events#${shard}`;
const shardOf = (eventId: string) => crypto.createHash('sha1').update(eventId).digest()[0]! % SHARDS;
/** Time first, so one Query per partition finds the events held longer than a given time. */
const keyOf = (event: WebhookEvent) => ({
  user_id: partitionOf(shardOf(event.id)),
  item_key: `${event.occurredAt}#${event.id}`,
});

/**
 * The webhook events an API request holds while it makes the change they tell of (a delete, a restore): written
 * before the change and released once the event is queued for delivery, so an API process that dies in between
 * leaves the event here for the storage sweep, which sends it if the change was made (src/activities/sendHeldEvents.ts).
 * They live in the webhooks table, under partitions no user id can take (a uid never starts with `#`).
 */
export class HeldWebhookEvents {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(event: WebhookEvent): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keyOf(event),
          event,
          [WEBHOOKS_EXPIRY_ATTRIBUTE]: Math.floor(Date.parse(event.occurredAt) / 1000) + HELD_SECONDS,
        },
      }),
    );
  }

  async release(event: WebhookEvent): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(event) }));
  }

  /**
   * Up to `limit` events held since before `before` (ISO 8601), oldest first: the sweep sends them in the order they
   * happened (an image's delete before its restore).
   */
  async heldSince(before: string, limit: number): Promise<WebhookEvent[]> {
    const found: WebhookEvent[] = [];
    for (let shard = 0; shard < SHARDS && found.length < limit; shard++) {
      const { Items } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'user_id = :partition AND item_key < :before',
          ExpressionAttributeValues: { ':partition': partitionOf(shard), ':before': before },
          Limit: limit - found.length,
        }),
      );
      for (const item of Items ?? []) found.push(item.event as WebhookEvent);
    }
    return found.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
  }
}
