import crypto from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SecretSealError } from '../../src/storage/secretSealer';
import type { WebhookRecord } from '../../src/storage/webhookRecord';
import { WebhookLimitError } from '../../src/storage/webhookRepository';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';

/** The webhooks table's conditional writes, on DynamoDB Local: what keeps endpoints counted and secrets whole. */
describe('the webhook repository', () => {
  const storage = testStorage();
  const sealing = testStorage(testConfig({ WEBHOOK_SECRETS_KEY: 'a-random-string-of-at-least-32-characters' }));
  afterAll(() => {
    storage.destroy();
    sealing.destroy();
  });

  /** The endpoint's item as the table holds it. */
  const storedSecrets = async (record: WebhookRecord) => {
    const { Item } = await storage.clients.documents.send(
      new GetCommand({
        TableName: storage.config.dynamodb.webhooksTable,
        Key: { user_id: record.user_id, item_key: `webhook#${record.webhook_id}` },
      }),
    );
    return (Item!.secrets as Array<{ secret: string }>).map((each) => each.secret);
  };

  const endpoint = (userId: string, at = new Date().toISOString()): WebhookRecord => ({
    user_id: userId,
    webhook_id: crypto.randomUUID(),
    url: 'https://example.com/hooks',
    events: ['image.completed'],
    api_base: 'http://127.0.0.1:8080',
    secrets: [{ secret: 'whsec_first', created_at: at }],
    status: 'enabled',
    created_at: at,
    updated_at: at,
  });

  it('replaces secrets only if the endpoint is unchanged since it was read', async () => {
    const record = endpoint(crypto.randomUUID());
    await storage.webhooks.create(record, 5);
    const later = new Date(Date.now() + 1000).toISOString();
    const rotated = [{ secret: 'whsec_second', created_at: later }, record.secrets[0]!];
    // The first rotation, from the read; a second one from the same (now stale) read is refused.
    expect(
      await storage.webhooks.replaceSecrets(record.user_id, record.webhook_id, record.updated_at, rotated, later),
    ).toBe(true);
    const lost = [{ secret: 'whsec_third', created_at: later }, record.secrets[0]!];
    expect(
      await storage.webhooks.replaceSecrets(record.user_id, record.webhook_id, record.updated_at, lost, later),
    ).toBe(false);
    expect((await storage.webhooks.get(record.user_id, record.webhook_id))!.secrets.map((s) => s.secret)).toEqual([
      'whsec_second',
      'whsec_first',
    ]);
  });

  it('stores secrets sealed with WEBHOOK_SECRETS_KEY and answers them open; one stored before a key was set too', async () => {
    const record = endpoint(crypto.randomUUID());
    await sealing.webhooks.create(record, 5);
    const stored = await storedSecrets(record);
    expect(stored).toEqual([expect.stringMatching(/^sealed:v1:/)]);
    expect(stored.join()).not.toContain('whsec_first');
    expect((await sealing.webhooks.get(record.user_id, record.webhook_id))!.secrets[0]!.secret).toBe('whsec_first');
    expect((await sealing.webhooks.list(record.user_id))[0]!.secrets[0]!.secret).toBe('whsec_first');
    // Without the key it cannot be read, and says why.
    await expect(storage.webhooks.get(record.user_id, record.webhook_id)).rejects.toThrow(SecretSealError);

    // Stored before the key was set: read as it is, and sealed by the next rotation.
    const older = endpoint(crypto.randomUUID());
    await storage.webhooks.create(older, 5);
    expect(await storedSecrets(older)).toEqual(['whsec_first']);
    const read = (await sealing.webhooks.get(older.user_id, older.webhook_id))!;
    const later = new Date(Date.now() + 1000).toISOString();
    const rotated = [{ secret: 'whsec_second', created_at: later }, ...read.secrets];
    expect(
      await sealing.webhooks.replaceSecrets(older.user_id, older.webhook_id, read.updated_at, rotated, later),
    ).toBe(true);
    expect(await storedSecrets(older)).toEqual([
      expect.stringMatching(/^sealed:v1:/),
      expect.stringMatching(/^sealed:v1:/),
    ]);
    expect((await sealing.webhooks.get(older.user_id, older.webhook_id))!.secrets.map((each) => each.secret)).toEqual([
      'whsec_second',
      'whsec_first',
    ]);
  });

  it('counts endpoints in and out, so a removal frees its place and a second removal finds nothing', async () => {
    const userId = crypto.randomUUID();
    const [first, second] = [endpoint(userId), endpoint(userId)];
    await storage.webhooks.create(first, 1);
    await expect(storage.webhooks.create(second, 1)).rejects.toBeInstanceOf(WebhookLimitError);
    expect(await storage.webhooks.remove(userId, first.webhook_id)).toBe(true);
    expect(await storage.webhooks.remove(userId, first.webhook_id)).toBe(false);
    await storage.webhooks.create(second, 1);
    expect((await storage.webhooks.list(userId)).map((hook) => hook.webhook_id)).toEqual([second.webhook_id]);
  });

  it('keeps the delivery log apart from the endpoints, newest first, and disabling a removed endpoint does nothing', async () => {
    const record = endpoint(crypto.randomUUID());
    await storage.webhooks.create(record, 5);
    for (const [attempt, at] of ['2026-12-05T01:00:00.000Z', '2026-12-05T01:00:05.000Z'].entries())
      await storage.webhooks.logDelivery(record.user_id, {
        webhook_id: record.webhook_id,
        event_id: 'evt_1',
        event_type: 'image.completed',
        attempt: attempt + 1,
        at,
        outcome: attempt ? 'delivered' : 'failed',
      });
    expect((await storage.webhooks.deliveries(record.user_id, record.webhook_id, 10)).map((d) => d.attempt)).toEqual([
      2, 1,
    ]);
    expect(await storage.webhooks.list(record.user_id)).toHaveLength(1);
    await storage.webhooks.remove(record.user_id, record.webhook_id);
    expect(await storage.webhooks.disable(record.user_id, record.webhook_id, 'gone', new Date().toISOString())).toBe(
      false,
    );
    expect(await storage.webhooks.get(record.user_id, record.webhook_id)).toBeUndefined();
  });
});
