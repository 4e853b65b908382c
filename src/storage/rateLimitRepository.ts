import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimitRule } from './rateLimitRule';
import { RATE_LIMITS_EXPIRY_ATTRIBUTE } from './tables/rateLimitsTable';

/** What a take left: tokens granted (0: the bucket is empty) and the key's theoretical arrival time after it. */
export interface BucketTake {
  granted: number;
  arrivalUs: number;
}

const ARRIVAL = 'theoretical_arrival_us';

// A write either succeeds or shows the item as another process left it, and the next write starts from that: each
// failure means another take succeeded in between. After this many, the key is too busy to wait for.
const MAX_WRITES = 4;

/**
 * The rate limits' buckets, shared by every API process (see rateLimitsTableDefinition and RateLimitRule). A take is
 * one conditional UpdateItem: DynamoDB cannot take the later of a key's TAT and now in an update, so the write for
 * an idle key (TAT past: restart from now) and the one for a busy key (TAT ahead: push it later) differ, and the
 * caller's last sight of the TAT picks which to try first. A wrong guess costs one failed write, which returns the
 * item; so does a bucket found empty. A TAT seen ahead of now stays ahead (it never moves back): a bucket seen empty
 * is refused without a write until that sight says it holds a token again.
 */
export class RateLimitRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Takes up to `wanted` tokens (fewer when fewer are left) from the key's bucket at `nowUs`. `seenArrivalUs`: the
   * key's TAT when the caller last saw it, if it did.
   */
  async take(
    key: string,
    rule: RateLimitRule,
    wanted: number,
    nowUs: number,
    seenArrivalUs?: number,
  ): Promise<BucketTake> {
    let seen = seenArrivalUs;
    for (let write = 0; write < MAX_WRITES; write++) {
      const count = Math.min(wanted, rule.available(seen, nowUs));
      if (count < 1) return { granted: 0, arrivalUs: seen! };
      try {
        const arrivalUs =
          seen === undefined || seen <= nowUs
            ? await this.restart(key, rule, count, nowUs)
            : await this.advance(key, rule, count, nowUs);
        return { granted: count, arrivalUs };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The client hands back the item as it was, in DynamoDB's own typed form; none: it expired meanwhile.
        const stored = error.Item?.[ARRIVAL]?.N;
        seen = stored === undefined ? undefined : Number(stored);
      }
    }
    // Taken from by others between each of our writes: this request waits, as one over the limit does.
    return { granted: 0, arrivalUs: seen ?? nowUs };
  }

  /** An idle key (no item, or a TAT already past): its bucket was full, and is now `count` tokens short. */
  private async restart(key: string, rule: RateLimitRule, count: number, nowUs: number): Promise<number> {
    const arrivalUs = nowUs + count * rule.intervalUs;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { bucket_key: key },
        UpdateExpression: 'SET #arrival = :arrival, #expires = :expires',
        ConditionExpression: 'attribute_not_exists(#arrival) OR #arrival <= :now',
        ExpressionAttributeNames: { '#arrival': ARRIVAL, '#expires': RATE_LIMITS_EXPIRY_ATTRIBUTE },
        ExpressionAttributeValues: { ':arrival': arrivalUs, ':now': nowUs, ':expires': expiresAt(rule, nowUs) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return arrivalUs;
  }

  /** A busy key (TAT ahead of now): pushed `count` intervals later, if that leaves it within the burst. */
  private async advance(key: string, rule: RateLimitRule, count: number, nowUs: number): Promise<number> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { bucket_key: key },
        UpdateExpression: 'SET #arrival = #arrival + :cost, #expires = :expires',
        ConditionExpression: '#arrival > :now AND #arrival <= :latest',
        ExpressionAttributeNames: { '#arrival': ARRIVAL, '#expires': RATE_LIMITS_EXPIRY_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':cost': count * rule.intervalUs,
          ':now': nowUs,
          ':latest': rule.latestArrivalFor(count, nowUs),
          ':expires': expiresAt(rule, nowUs),
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes![ARRIVAL] as number;
  }
}

// DynamoDB's TTL compares with its own clock, in seconds: a minute more than needed, for clocks that differ.
const EXPIRY_SLACK_SECONDS = 60;

/** When DynamoDB may delete the item: once its bucket is full again, whatever this take leaves it at. */
function expiresAt(rule: RateLimitRule, nowUs: number): number {
  return Math.ceil(rule.fullAgainBy(nowUs) / 1_000_000) + EXPIRY_SLACK_SECONDS;
}
