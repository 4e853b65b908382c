import crypto from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Client } from '@temporalio/client';
import type { StorageClients } from '../src/clients/storageClients';
import type { Config } from '../src/config';
import { purgeImageWorkflowId, WORKFLOW_TYPES, type SweepStorageInput } from '../src/contracts';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';
import { percentile } from './benchStack';
import { taggedJpeg } from './syntheticPhotos';

export interface LoadOptions {
  baseUrl: string;
  token: string;
  uploads: number;
  concurrency: number;
  /** The bodies to upload, used in turn (each upload is a new image whatever its bytes). */
  photos: Buffer[];
  /** Nothing waits past this. */
  deadline: number;
  /** At most this many new uploads a second (retries not counted); as fast as possible when unset. */
  perSecond?: number;
  /** Called with each accepted image id, as it is accepted (a chaos run paces its faults by them). */
  onAccepted?: (imageId: string) => void;
  /**
   * Each upload's bytes made its own (a comment segment in the JPEG), so a retry of an upload
   * whose answer was lost is answered `duplicate_of` the image the first attempt made, as a real client's would be,
   * and counted as that image (the service must then run with DUPLICATES=link, its default).
   */
  uniqueBodies?: boolean;
}

export interface LoadResult {
  uploads: number;
  sent: number;
  accepted: string[];
  /** Answers other than 202, by status (a dependency down answers 503, a client should retry). */
  refused: Record<string, number>;
  seconds: number;
  acceptMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Uploads `uploads` images at `concurrency`, as app backends would: each POST is retried on 503 or a network error
 * (what a client must do while a dependency is down) until it is accepted or the deadline passes.
 */
export async function runUploads(options: LoadOptions): Promise<LoadResult> {
  const accepted: string[] = [];
  const refused: Record<string, number> = {};
  const acceptMs: number[] = [];
  let sent = 0;
  const began = performance.now();
  const run = crypto.randomUUID();
  await mapWithConcurrency(
    Array.from({ length: options.uploads }, (_, index) => index),
    options.concurrency,
    async (index) => {
      if (options.perSecond) await sleep(Math.max(0, (index / options.perSecond) * 1000 - (performance.now() - began)));
      for (;;) {
        const photo = options.photos[index % options.photos.length]!;
        const body = options.uniqueBodies ? taggedJpeg(photo, `imagepipe-load ${run} ${index}`) : photo;
        const form = new FormData();
        form.append('file', new Blob([body], { type: 'image/jpeg' }), `load-${index}.jpg`);
        const started = performance.now();
        sent++;
        const response = await fetch(`${options.baseUrl}/api/v1/images`, {
          method: 'POST',
          body: form,
          headers: { authorization: `Bearer ${options.token}` },
        }).catch(() => undefined);
        const status = response?.status ?? 'network-error';
        // 200: the image was already held, from an earlier attempt whose answer never arrived.
        if (response?.status === 202 || (response?.status === 200 && options.uniqueBodies)) {
          const answer = (await response.json()) as { images: Array<{ image_id: string }> };
          accepted.push(answer.images[0]!.image_id);
          options.onAccepted?.(answer.images[0]!.image_id);
          acceptMs.push(performance.now() - started);
          return;
        }
        await response?.body?.cancel();
        refused[status] = (refused[status] ?? 0) + 1;
        if (Date.now() > options.deadline) return;
        await sleep(500);
      }
    },
  );
  return { uploads: options.uploads, sent, accepted, refused, seconds: (performance.now() - began) / 1000, acceptMs };
}

export interface Audit {
  completed: number;
  failed: number;
  /** Accepted, but with no item, or no run that completed. */
  lost: string[];
  /**
   * Objects beyond one original and one of each thumbnail size per accepted image, or of images never accepted that
   * still have an item. Those of an image removed whose sweep is still scheduled are not counted: they will go.
   */
  duplicateObjects: number;
  /**
   * Originals with no item at all: an API that died between storing an upload's original and writing its item
   * leaves one (its client's request was cut off). Nothing finds them yet (see docs/edges.md); counted apart.
   */
  originalsWithoutItem: number;
  /** Items of images never accepted, still there at the deadline (a refused upload is taken back by a purge run). */
  duplicateItems: number;
  /** Image workflows started more than once for one image. */
  duplicateRuns: number;
  /** Accepted, still processing at the deadline with no run open to finish it. */
  stuck: string[];
  /**
   * Never accepted (the client's request was cut off), yet left as an item in `processing` with no run: what an API's
   * death between the two leaves. The storage sweep purges them (run here at once, as its schedule would later):
   * these are the ones it left. Not in the duplicate counts.
   */
  orphans: string[];
  /** How many such images the storage sweep purged. */
  swept: number;
  /** When the audit first saw no accepted image still processing (it looks once a second), as Date.now(). */
  settledAt: number;
}

/** Waits until every accepted image has left `processing` (or the deadline), then counts what is where. */
export async function auditUploads(
  deps: { config: Config; clients: Pick<StorageClients, 's3' | 'documents'>; temporal: Client },
  userId: string,
  accepted: string[],
  deadline: number,
  /** Called once no accepted image is processing any more, before the counting (a bench reads its CPU meter then). */
  onSettled: () => void = () => {},
): Promise<Audit> {
  const items = new Map<string, { status: string }>();
  const readItems = async () => {
    items.clear();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await deps.clients.documents.send(
        new QueryCommand({
          TableName: deps.config.dynamodb.imagesTable,
          KeyConditionExpression: 'user_id = :user',
          ExpressionAttributeValues: { ':user': userId },
          ProjectionExpression: 'image_id, #status',
          ExpressionAttributeNames: { '#status': 'status' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) items.set(item.image_id as string, { status: item.status as string });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  for (;;) {
    await readItems().catch(() => undefined); // a dependency may still be coming back
    const pending = accepted.filter((id) => items.get(id)?.status === 'processing').length;
    if ((pending === 0 && items.size > 0) || Date.now() > deadline) break;
    await sleep(1_000);
  }
  const settledAt = Date.now();
  onSettled();

  const acceptedSet = new Set(accepted);
  const stuck: string[] = [];
  await mapWithConcurrency(
    accepted.filter((id) => items.get(id)?.status === 'processing'),
    16,
    async (imageId) => {
      const run = await deps.temporal.workflow
        .getHandle(`image-${imageId}`)
        .describe()
        .catch(() => undefined);
      if (run?.status.name !== 'RUNNING') stuck.push(imageId);
    },
  );
  // Each image's run, to its end (it ends a moment after its item is completed, with the cluster step).
  const completedRuns = new Set<string>();
  await mapWithConcurrency(accepted, 16, async (imageId) => {
    const workflowId = `image-${imageId}`;
    let timer: NodeJS.Timeout | undefined;
    const ended = deps.temporal.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => true,
        () => false,
      );
    const outOfTime = new Promise<boolean>(
      (resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false)),
    );
    if (await Promise.race([ended, outOfTime])) completedRuns.add(workflowId);
    clearTimeout(timer);
  });
  // An upload refused while a store was away is taken back by a purge run once the store is back: given a minute
  // more (within the deadline). What is left then stays.
  const strays = () => [...items.keys()].filter((id) => !acceptedSet.has(id)).length;
  const straysDeadline = Math.min(deadline, Date.now() + 60_000);
  while (strays() > 0 && Date.now() < straysDeadline) {
    await sleep(1_000);
    await readItems().catch(() => undefined);
  }
  const runsPerWorkflow = new Map<string, number>();
  for await (const run of deps.temporal.workflow.list({
    query: `ImagepipeUserId = "${userId}" AND WorkflowType = "processImage"`,
  })) {
    runsPerWorkflow.set(run.workflowId, (runsPerWorkflow.get(run.workflowId) ?? 0) + 1);
  }

  // Items of uploads never answered, still processing with no run: an API killed between writing the item and
  // starting the run. The storage sweep purges them; what it leaves is counted apart from duplicates.
  const orphansNow = () =>
    [...items]
      .filter(
        ([id, item]) => !acceptedSet.has(id) && item.status === 'processing' && !runsPerWorkflow.has(`image-${id}`),
      )
      .map(([id]) => id);
  let swept = 0;
  if (orphansNow().length > 0) {
    swept = await sweepStrandedNow(deps, orphansNow());
    await readItems();
  }
  const objectsPerImage = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await deps.clients.s3.send(
      new ListObjectsV2Command({
        Bucket: deps.config.s3.bucket,
        Prefix: `users/${userId}/images/`,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      const imageId = object.Key!.split('/')[3]!;
      objectsPerImage.set(imageId, (objectsPerImage.get(imageId) ?? 0) + 1);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const orphans = orphansNow();
  const orphanSet = new Set(orphans);
  const expectedObjects = 1 + deps.config.images.thumbnailSizes.length;
  // An image removed as a duplicate upload (answered duplicate_of) keeps what a step of its cancelled run wrote after
  // the removal until its sweep, a purge run a few minutes later: scheduled, not left behind.
  const sweepPending = new Set<string>();
  await mapWithConcurrency(
    [...objectsPerImage.keys()].filter((id) => !acceptedSet.has(id) && !items.has(id) && !orphanSet.has(id)),
    16,
    async (imageId) => {
      const purge = await deps.temporal.workflow
        .getHandle(purgeImageWorkflowId(imageId))
        .describe()
        .catch(() => undefined);
      if (purge?.status.name === 'RUNNING') sweepPending.add(imageId);
    },
  );
  let duplicateObjects = 0;
  let originalsWithoutItem = 0;
  for (const [imageId, count] of objectsPerImage) {
    if (orphanSet.has(imageId) || sweepPending.has(imageId)) continue;
    if (!acceptedSet.has(imageId) && !items.has(imageId) && count === 1) originalsWithoutItem++;
    else duplicateObjects += acceptedSet.has(imageId) ? Math.max(0, count - expectedObjects) : count;
  }
  return {
    completed: accepted.filter((id) => items.get(id)?.status === 'completed').length,
    failed: accepted.filter((id) => items.get(id)?.status === 'failed').length,
    lost: accepted.filter((id) => !items.has(id) || !completedRuns.has(`image-${id}`)),
    duplicateObjects,
    originalsWithoutItem,
    duplicateItems: strays() - orphans.length,
    orphans,
    swept,
    duplicateRuns: [...runsPerWorkflow.values()].filter((count) => count > 1).length,
    stuck,
    settledAt,
  };
}

/**
 * Runs the storage sweep now, taking any image no run took however young (every request of the load has been
 * answered), and waits for the purges it starts of `orphans`; returns how many of those it purged.
 */
async function sweepStrandedNow(deps: { config: Config; temporal: Client }, orphans: string[]): Promise<number> {
  await deps.temporal.workflow.execute(WORKFLOW_TYPES.sweepStorage, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: `bench-sweep-${crypto.randomUUID()}`,
    args: [
      { olderThanHours: deps.config.storageSweep.olderThanHours, strandedAfterMinutes: 0 } satisfies SweepStorageInput,
    ],
  });
  const purged = await Promise.all(
    orphans.map((imageId) =>
      deps.temporal.workflow
        .getHandle(purgeImageWorkflowId(imageId))
        .result()
        .then(
          () => true,
          () => false,
        ),
    ),
  );
  return purged.filter(Boolean).length;
}

export function describeLoad(result: LoadResult, audit: Audit): string {
  const refused =
    Object.entries(result.refused)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ') || 'none';
  return [
    `uploads: ${result.accepted.length} of ${result.uploads} accepted in ${result.seconds.toFixed(1)} s = ${(result.accepted.length / result.seconds).toFixed(1)} uploads/s (${result.sent} requests; answers retried: ${refused})`,
    `accept latency: p50 ${percentile(result.acceptMs, 50).toFixed(0)} ms, p95 ${percentile(result.acceptMs, 95).toFixed(0)} ms, p99 ${percentile(result.acceptMs, 99).toFixed(0)} ms`,
    `completed ${audit.completed}, failed ${audit.failed}, lost ${audit.lost.length}, duplicate objects ${audit.duplicateObjects}, originals without item ${audit.originalsWithoutItem}, duplicate items ${audit.duplicateItems}, duplicate runs ${audit.duplicateRuns}, stuck ${audit.stuck.length}, orphans ${audit.orphans.length} (${audit.swept} purged by the storage sweep)`,
  ].join('\n');
}
