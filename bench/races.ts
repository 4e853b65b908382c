/**
 * bench/races: rounds of random interleavings of everything a client can do to one user's images, fired at once:
 * uploads by both routes (of a few photos, so the same bytes meet often), completes, soft, hard and bulk deletes,
 * restores, and purges coming due, with Temporal, DynamoDB or S3 killed and restarted during some rounds. Then it
 * waits for every run and purge to end (restore window 3 s; upload URLs 60 s, the shortest allowed) and checks what
 * must hold whatever happened:
 *   - every checksum names a live image of the user;
 *   - no image is left processing with no run, deleted or awaiting its upload past its purge;
 *   - no object, embedding or word list without its image item;
 *   - every image accepted, and every image an answer named as `duplicate_of`, exists, or its owner asked to delete it.
 * Prints the rounds, what was answered, the faults and the violations (target: 0). Loopback only; a few minutes.
 *   npx tsx bench/races.ts [rounds=300] [seed=1]
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ImageWorkflows } from '../src/clients/imageWorkflows';
import { USER_ID } from '../src/contracts';
import { createStorage } from '../src/storage/createStorage';
import type { ImageRecord } from '../src/storage/imageRecord';
import { resolveSettings } from '../scripts/devstack/settings';
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import { restartComponent, type ChaosEvent } from './chaosRun';
import { startServiceProcesses, type ServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const ROUNDS = Number(process.argv[2] ?? 300);
const SEED = Number(process.argv[3] ?? 1);
/** Every this many rounds, one component is killed and restarted while the round runs. */
const FAULT_EVERY = 25;
const FAULTED = ['temporal', 'dynamodb', 's3'];
const SETTLE_LIMIT_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32): the same seed, the same rounds. */
function randomOf(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]): T | undefined => items[Math.floor(next() * items.length)],
  };
}

/** What the client was told and asked, for the checks at the end. */
interface Ledger {
  /** Every image id the service handed out. */
  seen: string[];
  /** Direct uploads handed out, and whether their bytes were PUT. */
  direct: Map<string, { put: boolean }>;
  /** Images answered as new (202), by either route. */
  accepted: Set<string>;
  /** Images an answer named as `duplicate_of`. */
  duplicateOf: Set<string>;
  /** Images whose owner asked to delete them (whatever the answer: a sweep may finish what a 503 began). */
  deleteAsked: Set<string>;
  /** Answers by operation and status. */
  answers: Map<string, Map<string, number>>;
}

function tally(ledger: Ledger, operation: string, status: number | string): void {
  const byStatus = ledger.answers.get(operation) ?? new Map<string, number>();
  byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
  ledger.answers.set(operation, byStatus);
}

interface UploadAnswer {
  image_id: string;
  duplicate_of?: string;
}

/** The client side: each operation as an app backend sends it, its answer noted in the ledger. */
function clientOf(service: ServiceProcesses, token: string, ledger: Ledger) {
  const call = async (operation: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    const status = response?.status ?? 'network-error';
    tally(ledger, operation, status);
    const text = (await response?.text().catch(() => '')) ?? '';
    return { status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const noteUpload = (answer: UploadAnswer) => {
    ledger.seen.push(answer.image_id);
    if (answer.duplicate_of) ledger.duplicateOf.add(answer.duplicate_of);
    else ledger.accepted.add(answer.image_id);
  };
  return {
    async multipart(photo: Buffer) {
      const form = new FormData();
      form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'race.jpg');
      const answer = await call('upload (multipart)', 'POST', '/api/v1/images', form);
      for (const image of (answer.body.images as UploadAnswer[] | undefined) ?? []) noteUpload(image);
    },
    async direct(photo: Buffer, then: 'nothing' | 'put' | 'complete') {
      const answer = await call('upload (direct)', 'POST', '/api/v1/images/uploads', {
        filename: 'race.jpg',
        content_type: 'image/jpeg',
        size: photo.length,
      });
      const imageId = answer.body.image_id as string | undefined;
      if (answer.status !== 201 || !imageId) return;
      ledger.seen.push(imageId);
      ledger.direct.set(imageId, { put: false });
      if (then === 'nothing') return;
      const upload = answer.body.upload as { url: string; headers: Record<string, string> };
      const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: photo }).catch(
        () => undefined,
      );
      tally(ledger, 'PUT to the upload URL', put?.status ?? 'network-error');
      if (put?.ok) ledger.direct.set(imageId, { put: true });
      if (then === 'complete') await this.complete(imageId);
    },
    async complete(imageId: string) {
      const answer = await call('complete', 'POST', `/api/v1/images/${imageId}/complete`);
      if (answer.status === 202 || answer.status === 200) {
        const { duplicate_of: duplicate, status } = answer.body;
        if (typeof duplicate === 'string') ledger.duplicateOf.add(duplicate);
        else if (status === 'processing') ledger.accepted.add(imageId);
      }
    },
    async remove(imageId: string, hard: boolean) {
      ledger.deleteAsked.add(imageId);
      await call(
        hard ? 'hard delete' : 'soft delete',
        'DELETE',
        `/api/v1/images/${imageId}${hard ? '?hard=true' : ''}`,
      );
    },
    async removeMany(imageIds: string[], hard: boolean) {
      for (const imageId of imageIds) ledger.deleteAsked.add(imageId);
      await call(hard ? 'bulk hard delete' : 'bulk soft delete', 'DELETE', '/api/v1/images', {
        image_ids: imageIds,
        hard,
      });
    },
    async restore(imageId: string) {
      await call('restore', 'POST', `/api/v1/images/${imageId}/restore`);
    },
  };
}

/** A purge coming due now: the image's purge replaced by one that wakes at once, as its timer would. */
async function purgeNow(service: ServiceProcesses, userId: string, imageId: string, ledger: Ledger) {
  const storage = createStorage(service.clients, service.config);
  const workflows = new ImageWorkflows(service.temporal, service.config.temporal.taskQueue);
  try {
    const item = await storage.images.get(userId, imageId);
    const when = item?.deleted_at ? 'still-deleted' : item?.status === 'awaiting_upload' ? 'never-uploaded' : undefined;
    if (!when) return tally(ledger, 'purge comes due', 'nothing due');
    await workflows.schedulePurge({ userId, imageId, delayMs: 0, when });
    tally(ledger, 'purge comes due', when);
  } catch {
    tally(ledger, 'purge comes due', 'unavailable');
  }
}

/** Until no run of the user's is open (pipelines, purges, sweeps), or the limit. */
async function settle(service: ServiceProcesses, userId: string): Promise<number> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let lastReport = 0;
  for (;;) {
    let open = 0;
    for await (const _run of service.temporal.workflow.list({
      query: `${USER_ID.name} = '${userId}' AND ExecutionStatus = 'Running'`,
    }))
      open++;
    if (open === 0 || Date.now() > deadline) return open;
    if (Date.now() - lastReport > 30_000) {
      console.log(`  waiting for ${open} runs and purges to end`);
      lastReport = Date.now();
    }
    await sleep(3_000);
  }
}

async function queryAll(service: ServiceProcesses, table: string, key: string, value: string) {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await service.clients.documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': key },
        ExpressionAttributeValues: { ':value': value },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every invariant that must hold once everything has settled: one line per violation. */
async function audit(service: ServiceProcesses, userId: string, ledger: Ledger): Promise<string[]> {
  const { dynamodb, s3 } = service.config;
  const violations: string[] = [];
  const items = new Map(
    (await queryAll(service, dynamodb.imagesTable, 'user_id', userId)).map((item) => [
      item.image_id as string,
      item as unknown as ImageRecord,
    ]),
  );
  const live = (imageId: string) => {
    const item = items.get(imageId);
    return item && !item.deleted_at && !item.purging_at;
  };
  for (const checksum of await queryAll(service, dynamodb.checksumsTable, 'user_id', userId)) {
    if (!live(checksum.image_id as string))
      violations.push(`checksum ${String(checksum.sha256).slice(0, 12)} names ${String(checksum.image_id)}, not live`);
  }
  for (const item of items.values()) {
    if (item.status === 'processing') violations.push(`image ${item.image_id} processing with no run`);
    if (item.status === 'awaiting_upload') violations.push(`image ${item.image_id} awaiting its upload past its purge`);
    if (item.deleted_at) violations.push(`image ${item.image_id} deleted and past its restore window, not purged`);
  }
  const objects: string[] = [];
  let token: string | undefined;
  do {
    const page = await service.clients.s3.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `users/${userId}/images/`, ContinuationToken: token }),
    );
    objects.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  for (const key of objects) {
    if (!items.has(key.split('/')[3]!)) violations.push(`object ${key} with no image item`);
  }
  for (const embedding of await queryAll(service, dynamodb.embeddingsTable, 'user_id', userId)) {
    const imageId = embedding.image_id as string;
    if (!imageId.startsWith('#') && !items.has(imageId)) violations.push(`embedding of ${imageId} with no image item`);
  }
  for (const list of await queryAll(service, dynamodb.searchTermsTable, 'term_key', `${userId}#`)) {
    if (!items.has(list.image_id as string))
      violations.push(`word list of ${String(list.image_id)} with no image item`);
  }
  for (const imageId of ledger.accepted) {
    if (!items.has(imageId) && !ledger.deleteAsked.has(imageId))
      violations.push(`image ${imageId} was accepted and is gone, never deleted by its owner`);
  }
  for (const imageId of ledger.duplicateOf) {
    if (!items.has(imageId) && !ledger.deleteAsked.has(imageId))
      violations.push(`an answer named ${imageId} as duplicate_of; it does not exist, and its owner never deleted it`);
  }
  return violations;
}

runBench(() =>
  withBenchStack(async (stackEnv, stackDir) => {
    const settings = await resolveSettings({ dir: stackDir, env: {} });
    const service = await startServiceProcesses(stackEnv, {
      DUPLICATES: 'link',
      DELETE_RETENTION_SECONDS: '3',
      PRESIGNED_URL_EXPIRY_SECONDS: '60',
    });
    try {
      const user = await createTestUser(service.config);
      const photos = await syntheticPhotos(5, 0.25);
      const random = randomOf(SEED);
      const ledger: Ledger = {
        seen: [],
        direct: new Map(),
        accepted: new Set(),
        duplicateOf: new Set(),
        deleteAsked: new Set(),
        answers: new Map(),
      };
      const client = clientOf(service, user.idToken, ledger);
      // Most operations aim at the latest images, so that they meet.
      const recent = () => ledger.seen.slice(-12);
      const operations: Array<[number, () => Promise<unknown>]> = [
        [3, () => client.multipart(random.pick(photos)!)],
        [2, () => client.direct(random.pick(photos)!, random.pick(['nothing', 'put', 'complete'] as const)!)],
        [
          2,
          async () => {
            const uploaded = recent().filter((imageId) => ledger.direct.get(imageId)?.put);
            const imageId = random.pick(uploaded);
            if (imageId) await client.complete(imageId);
          },
        ],
        [
          2,
          async () => {
            const imageId = random.pick(recent());
            if (imageId) await client.remove(imageId, false);
          },
        ],
        [
          1,
          async () => {
            const imageId = random.pick(recent());
            if (imageId) await client.remove(imageId, true);
          },
        ],
        [
          1,
          async () => {
            const imageIds = [...new Set([random.pick(recent()), random.pick(recent())])].filter(
              (imageId): imageId is string => imageId !== undefined,
            );
            if (imageIds.length) await client.removeMany(imageIds, random.below(2) === 0);
          },
        ],
        [
          2,
          async () => {
            const imageId = random.pick(recent());
            if (imageId) await client.restore(imageId);
          },
        ],
        [
          1,
          async () => {
            const imageId = random.pick(recent());
            if (imageId) await purgeNow(service, user.uid, imageId, ledger);
          },
        ],
      ];
      const weighted = operations.flatMap(([weight, operation]) => Array.from({ length: weight }, () => operation));
      const probe = () =>
        fetch(`${service.base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
          (response) => response.status,
          () => 0,
        );

      console.log(
        `bench/races: ${ROUNDS} rounds (seed ${SEED}), a component killed and restarted every ${FAULT_EVERY}`,
      );
      const began = Date.now();
      const faults: ChaosEvent[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const component = round % FAULT_EVERY === 0 ? FAULTED[(round / FAULT_EVERY - 1) % FAULTED.length] : undefined;
        const fault = component ? restartComponent(settings, component, 3_000, probe) : undefined;
        // With a fault, the round's operations start once the component is down.
        if (fault) await sleep(300);
        const count = 2 + random.below(4);
        await Promise.all([
          ...Array.from({ length: count }, async () => {
            await sleep(random.below(40));
            await random.pick(weighted)!();
          }),
          fault?.then((event) => faults.push(event)),
        ]);
        if (round % 50 === 0) console.log(`  round ${round}: ${ledger.seen.length} image ids handed out`);
      }
      const roundsSeconds = (Date.now() - began) / 1000;
      const open = await settle(service, user.uid);
      const violations = await audit(service, user.uid, ledger);

      console.log(
        `rounds: ${ROUNDS} in ${roundsSeconds.toFixed(0)} s; settled in ${((Date.now() - began) / 1000 - roundsSeconds).toFixed(0)} s`,
      );
      console.log(
        `image ids: ${ledger.seen.length} handed out, ${ledger.accepted.size} accepted, ${ledger.duplicateOf.size} named as duplicate_of, ${ledger.deleteAsked.size} asked deleted`,
      );
      for (const [operation, byStatus] of ledger.answers) {
        console.log(`  ${operation}: ${[...byStatus].map(([status, count]) => `${status} x${count}`).join(', ')}`);
      }
      for (const event of faults) console.log(`fault: ${event.what}, away ${event.downSeconds.toFixed(1)} s`);
      if (open > 0) console.log(`runs still open after ${SETTLE_LIMIT_MS / 60_000} min: ${open}`);
      console.log(`violations: ${violations.length}`);
      for (const violation of violations.slice(0, 30)) console.log(`  ${violation}`);
      if (violations.length > 0 || open > 0)
        throw new Error('the races left the service in a state it must never be in');
    } finally {
      await service.stop();
    }
  }),
);
