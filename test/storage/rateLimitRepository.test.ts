import crypto from 'node:crypto';
import { DeleteTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../../src/provisioning/ensureTables';
import { RateLimitRule } from '../../src/storage/rateLimitRule';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';

/**
 * The rate limits' buckets on the stack's DynamoDB Local: GCRA by conditional UpdateItem, whichever write a caller
 * guesses first, with takes from several clients at once, and items that expire.
 */
describe('rate limit repository', () => {
  const storage = testStorage();
  // Another client of the same table, as another API process has.
  const other = testStorage();
  afterAll(() => {
    storage.destroy();
    other.destroy();
  });

  const freshKey = () => `test:${crypto.randomUUID()}`;
  const stored = async (key: string) =>
    (
      await storage.clients.documents.send(
        new GetCommand({
          TableName: storage.config.dynamodb.rateLimitsTable,
          Key: { bucket_key: key },
          ConsistentRead: true,
        }),
      )
    ).Item;

  // A token a second, three at once.
  const rule = new RateLimitRule(60, 3);
  const second = 1_000_000;

  it('takes from a full bucket, pushes the TAT one interval per token, and grants what is left', async () => {
    const key = freshKey();
    const now = Date.now() * 1000;
    expect(await storage.rateLimits.take(key, rule, 1, now)).toEqual({ granted: 1, arrivalUs: now + second });
    // Not told the TAT, the caller guesses an idle key: that write fails, shows the item, and the next one advances.
    expect(await other.rateLimits.take(key, rule, 1, now)).toEqual({ granted: 1, arrivalUs: now + 2 * second });
    // Two asked, one left.
    expect(await storage.rateLimits.take(key, rule, 2, now, now + second)).toEqual({
      granted: 1,
      arrivalUs: now + 3 * second,
    });
    expect(await storage.rateLimits.take(key, rule, 1, now, now + 3 * second)).toEqual({
      granted: 0,
      arrivalUs: now + 3 * second,
    });
    // The item expires once the bucket is full again (3 s), a minute later for clocks that differ.
    expect(await stored(key)).toEqual({
      bucket_key: key,
      theoretical_arrival_us: now + 3 * second,
      expires_at: Math.ceil((now + 3 * second) / second) + 60,
    });
  });

  it('refuses a bucket seen empty without a write, and restarts one seen full from now', async () => {
    const key = freshKey();
    const now = Date.now() * 1000;
    expect((await storage.rateLimits.take(key, rule, 3, now)).granted).toBe(3);
    // Seen empty, it is refused on that sight alone (a TAT never moves back): even with its item gone, unread.
    await storage.clients.documents.send(
      new DeleteCommand({ TableName: storage.config.dynamodb.rateLimitsTable, Key: { bucket_key: key } }),
    );
    expect(await other.rateLimits.take(key, rule, 1, now + second / 2, now + 3 * second)).toEqual({
      granted: 0,
      arrivalUs: now + 3 * second,
    });
    expect(await stored(key)).toBeUndefined();
    // Once that sight says a token is back, the caller asks, and finds the bucket full (no item): three.
    expect(await other.rateLimits.take(key, rule, 3, now + second, now + 3 * second)).toEqual({
      granted: 3,
      arrivalUs: now + 4 * second,
    });
    // Ten seconds later a bucket seen short is full: the next take starts from then.
    const later = now + 10 * second;
    expect(await storage.rateLimits.take(key, rule, 2, later, now + 4 * second)).toEqual({
      granted: 2,
      arrivalUs: later + 2 * second,
    });
  });

  it('grants exactly the burst to takes from two clients at once', async () => {
    const key = freshKey();
    const now = Date.now() * 1000;
    const burst = new RateLimitRule(1, 10);
    const takes = await Promise.all(
      Array.from({ length: 30 }, (_, index) => (index % 2 ? other : storage).rateLimits.take(key, burst, 1, now)),
    );
    expect(takes.reduce((sum, take) => sum + take.granted, 0)).toBe(10);
    expect((await stored(key))!.theoretical_arrival_us).toBe(now + 10 * burst.intervalUs);
  });

  it('counts in whole microseconds, and needs a sustained rate', () => {
    expect(new RateLimitRule(7, 1).intervalUs).toBe(8_571_429);
    expect(new RateLimitRule(1_000_000, 1).intervalUs).toBe(60);
    expect(() => new RateLimitRule(0, 1)).toThrow(RangeError);
  });
});

describe('the rate limits table', () => {
  it('is created with TTL on its expiry attribute, which a second provisioning leaves on', async () => {
    const config = testConfig({ DYNAMODB_TABLE_RATE_LIMITS: `rate-limits-${crypto.randomUUID()}` });
    const storage = testStorage(config);
    const { dynamodb } = storage.clients;
    const timeToLive = async () =>
      (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: config.dynamodb.rateLimitsTable })))
        .TimeToLiveDescription;
    try {
      expect(await ensureTables(dynamodb, config)).toEqual([config.dynamodb.rateLimitsTable]);
      expect(await timeToLive()).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
      expect(await ensureTables(dynamodb, config)).toEqual([]);
      expect(await timeToLive()).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
    } finally {
      await dynamodb.send(new DeleteTableCommand({ TableName: config.dynamodb.rateLimitsTable }));
      storage.destroy();
    }
  });
});
