import crypto from 'node:crypto';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SharedRateLimit } from '../../src/api/sharedRateLimit';
import { RateLimitRule } from '../../src/storage/rateLimitRule';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';

/**
 * One process's allowances over the shared buckets in the stack's DynamoDB Local, on a clock the test moves: what
 * each refill takes from the shared bucket is read back from its item (its TAT, in intervals).
 */
describe('a shared rate limit spent through local allowances', () => {
  const storage = testStorage();
  afterAll(() => storage.destroy());

  const freshKey = () => `test:${crypto.randomUUID()}`;
  const table = storage.config.dynamodb.rateLimitsTable;
  // A token a minute, a hundred at once: nothing refills while a test runs.
  const slow = new RateLimitRule(1, 100);
  /** Tokens the key's shared bucket has given out, as its stored TAT says (relative to `startMs`). */
  const takenFromBucket = async (key: string, rule: RateLimitRule, startMs: number) => {
    const { Item } = await storage.clients.documents.send(
      new GetCommand({ TableName: table, Key: { bucket_key: key }, ConsistentRead: true }),
    );
    return ((Item!.theoretical_arrival_us as number) - startMs * 1000) / rule.intervalUs;
  };

  it('takes batches of 1, 2, 4, 8, then 10 for a busy key, and drops a batch left unspent for a second', async () => {
    const key = freshKey();
    const start = Date.now();
    let now = start;
    const limit = new SharedRateLimit(storage.rateLimits, slow, 10, () => now);
    const answers = [];
    for (let i = 0; i < 16; i++) answers.push(await limit.take(key));
    expect(answers.at(-1)).toEqual({ allowed: true, remaining: 84 });
    // 1 + 2 + 4 + 8 + 10 tokens in five writes; 9 of the last batch held here.
    expect(await takenFromBucket(key, slow, start)).toBe(25);

    now += 1_500; // the 9 held expire: their client loses them, and the next batch starts over at one
    expect(await limit.take(key)).toEqual({ allowed: true, remaining: 74 });
    expect(await takenFromBucket(key, slow, start)).toBe(26);
  });

  it('has the requests arriving during a refill wait for it, not write too', async () => {
    const key = freshKey();
    const start = Date.now();
    const limit = new SharedRateLimit(storage.rateLimits, slow, 10, () => start);
    const answers = await Promise.all(Array.from({ length: 5 }, () => limit.take(key)));
    expect(answers.every((answer) => answer.allowed)).toBe(true);
    // One refill at a time: 1, then 2, then 4 (two of them still held). Five writes of one would leave 5.
    expect(await takenFromBucket(key, slow, start)).toBe(7);
  });

  it('refuses a key seen empty without asking, until a token is due', async () => {
    const key = freshKey();
    let now = Date.now();
    const rule = new RateLimitRule(60, 2);
    const limit = new SharedRateLimit(storage.rateLimits, rule, 1, () => now);
    expect((await Promise.all([limit.take(key), limit.take(key)])).map((answer) => answer.allowed)).toEqual([
      true,
      true,
    ]);
    expect(await limit.take(key)).toEqual({ allowed: false, retryAfter: 1 });
    // Its bucket gone (as after a TTL deletion), the key is still refused: the process has not asked again.
    await storage.clients.documents.send(new DeleteCommand({ TableName: table, Key: { bucket_key: key } }));
    now += 500;
    expect(await limit.take(key)).toEqual({ allowed: false, retryAfter: 1 });
    now += 500; // a token is due: the process asks, and finds a full bucket
    expect(await limit.take(key)).toEqual({ allowed: true, remaining: 1 });
  });

  it('fails every request waiting on a refill that fails, and asks again for the next', async () => {
    const away = testStorage(testConfig({ DYNAMODB_TABLE_RATE_LIMITS: 'imagepipe-rate-limits-never-created' }));
    try {
      const limit = new SharedRateLimit(away.rateLimits, slow, 10);
      const key = freshKey();
      const answers = await Promise.allSettled([limit.take(key), limit.take(key)]);
      expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
      await expect(limit.take(key)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      away.destroy();
    }
  });
});
