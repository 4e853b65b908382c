import crypto from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import {
  progressQuery,
  type ImageFacts,
  type PipelineActivities,
  type PipelineProgress,
  type ProcessImageInput,
} from '../../src/contracts';
import { processImage } from '../../src/workflows/processImage';
import { timeSkippingEnvironment, withStandIns, type StandIns } from '../harness/standInActivities';
import { stepAttempts } from '../harness/stepAttempts';

/**
 * The workflow on its own: its activities are stand-ins recording what they are given, on the test stack's Temporal
 * server, on a task queue of each test's own.
 */
type ActivityStubs = StandIns<PipelineActivities>;

const facts: ImageFacts = {
  width: 1200,
  height: 800,
  format: 'jpeg',
  bytes: 123_456,
  sha256: 'ab'.repeat(32),
  dominantColor: '#336699',
  placeholder: 'data:image/webp;base64,AAAA',
  thumbnails: [256, 512].map((size) => ({
    size,
    key: `users/u/images/i/thumbnails/${size}.webp`,
    width: size,
    height: size / 1.5,
    bytes: 1000,
    contentType: 'image/webp',
  })),
};

const defaults: ActivityStubs = {
  validateImage: async () => ({
    bytes: 123_456,
    format: 'jpeg',
    contentType: 'image/jpeg',
    width: 1200,
    height: 800,
  }),
  createThumbnails: async () => facts,
  describeImage: async () => 'A bright landscape.',
  embedImage: async () => ({
    dimensions: 128,
    provider: 'local-v1-128d',
    nearDuplicates: { found: [{ imageId: 'earlier-image', similarity: 0.97 }] },
  }),
  saveImageResults: async () => undefined,
  assignCluster: async () => ({ clusterId: 'cluster-1', similarity: 0.93 }),
  markImageFailed: async () => 'The owner’s words.',
};

// Every activity of a completed run, in the order the workflow calls them.
const ALL_STEPS = [
  'validateImage',
  'createThumbnails',
  'describeImage',
  'embedImage',
  'saveImageResults',
  'assignCluster',
];

describe('processImage (unit, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
  }, 60_000);
  afterAll(() => env?.teardown());

  async function run(
    overrides: ActivityStubs = {},
    whileRunning?: (workflowId: string) => Promise<void>,
    extraInput: Partial<ProcessImageInput> = {},
  ) {
    const imageId = crypto.randomUUID();
    const { outcome, calls, names } = await withStandIns(env, { ...defaults, ...overrides }, async (taskQueue) => {
      const handle = await env.client.workflow.start(processImage, {
        taskQueue,
        workflowId: `image-${imageId}`,
        args: [{ userId: 'user-1', imageId, originalKey: `users/user-1/images/${imageId}/original`, ...extraInput }],
      });
      await whileRunning?.(handle.workflowId);
      const ended = await handle.result().then(
        (progress) => ({ progress, error: undefined }),
        (error: unknown) => ({ progress: undefined as PipelineProgress | undefined, error }),
      );
      // What the progress query answers once the run has ended, failed or not.
      return { ...ended, last: await handle.query(progressQuery) };
    });
    return { ...outcome, calls, names, workflowId: `image-${imageId}` };
  }

  it('runs the steps in order, passing only ids and keys, and reports each step with its timing', async () => {
    const { progress, calls, names } = await run();
    expect(names).toEqual(ALL_STEPS);
    // No image bytes ever travel through the workflow's history: every input is small and holds no buffer.
    for (const [, input] of calls) {
      expect(JSON.stringify(input).length).toBeLessThan(2_000);
      expect(
        Object.values(input as object).some((value) => Buffer.isBuffer(value) || value instanceof Uint8Array),
      ).toBe(false);
    }
    expect(calls[2]![1]).toMatchObject({
      thumbnailKey: facts.thumbnails[0]!.key,
      width: 1200,
      height: 800,
      format: 'jpeg',
    });
    // Near-duplicates are found where the vector is, and saved with the rest in one write.
    expect(calls[3]![1]).toMatchObject({ description: 'A bright landscape.', findNearDuplicates: true });
    // What the steps returned, as they returned it: the activity makes the image item's fields of it. With them, the
    // steps so far (the metadata step running: this is its write), for the status URL to read from the item.
    const done = { status: 'completed', started_at: expect.any(String), duration_ms: expect.any(Number) };
    expect(calls[4]![1]).toEqual({
      userId: 'user-1',
      imageId: expect.any(String),
      facts,
      description: 'A bright landscape.',
      embedding: {
        dimensions: 128,
        provider: 'local-v1-128d',
        nearDuplicates: { found: [{ imageId: 'earlier-image', similarity: 0.97 }] },
      },
      steps: [
        { name: 'validate', ...done },
        { name: 'thumbnails', ...done },
        { name: 'description', ...done },
        { name: 'embedding', ...done },
        { name: 'metadata', status: 'running', started_at: expect.any(String) },
        { name: 'cluster', status: 'pending' },
      ],
    });
    expect(progress).toMatchObject({
      status: 'completed',
      cluster: { cluster_id: 'cluster-1', similarity: 0.93 },
      near_duplicates: { count: 1 },
    });
    expect(progress!.current_step).toBeUndefined();
    for (const step of progress!.steps) {
      expect(step).toMatchObject({
        status: 'completed',
        started_at: expect.any(String),
        duration_ms: expect.any(Number),
      });
    }
  });

  it('runs only the thumbnails as an activity task when the AI provider is in-process; the rest are local', async () => {
    const { progress, names, workflowId } = await run({}, undefined, { aiInProcess: true });
    expect(progress?.status).toBe('completed');
    expect(names).toEqual(ALL_STEPS);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = history.events!.flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
    expect(scheduled).toEqual(['createThumbnails']);
    expect(stepAttempts(history)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('answers the progress query with the current step while a step runs', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let seen: PipelineProgress | undefined;
    await run({ describeImage: () => released.then(() => 'late description') }, async (workflowId) => {
      const handle = env.client.workflow.getHandle(workflowId);
      for (let i = 0; i < 100 && seen?.current_step !== 'description'; i++) {
        seen = await handle.query(progressQuery);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      release();
    });
    expect(seen).toMatchObject({ status: 'processing', current_step: 'description' });
    expect(seen!.steps.map((step) => step.status)).toEqual([
      'completed',
      'completed',
      'running',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('fails bad input at once: no retry, no later step, the image marked failed with the failure', async () => {
    const { error, names, calls, last } = await run({
      createThumbnails: async () => {
        throw ApplicationFailure.nonRetryable(
          'The image cannot be decoded: premature end of JPEG image',
          'InvalidImage',
        );
      },
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(names).toEqual(['validateImage', 'createThumbnails', 'markImageFailed']);
    expect(calls[2]![1]).toMatchObject({
      failure: { type: 'InvalidImage', message: 'The image cannot be decoded: premature end of JPEG image' },
      // The steps as far as they got, for the item.
      steps: [
        { name: 'validate', status: 'completed' },
        { name: 'thumbnails', status: 'failed', duration_ms: expect.any(Number) },
        ...['description', 'embedding', 'metadata', 'cluster'].map((name) => ({ name, status: 'pending' })),
      ],
    });
    // The reason is the activity's words for the owner, as it returns them.
    expect(last).toMatchObject({ status: 'failed', failure_reason: 'The owner’s words.' });
    expect(last.steps.find((entry) => entry.name === 'thumbnails')).toMatchObject({ status: 'failed' });
  });

  it("hands the failed step's type and message to markImageFailed, which words them for the owner", async () => {
    const refused = await run({
      describeImage: async () => {
        throw ApplicationFailure.nonRetryable(
          'describe: the AI provider answered 401: Incorrect API key provided: sk-proj-abc123',
          'AiRequestRejected',
        );
      },
    });
    // An activity's failure, unwrapped from its ActivityFailure; the key stays in the run's history, where it
    // already is: the owner reads what the activity makes of it (test/activities/recordImage.test.ts).
    expect(refused.calls.at(-1)).toEqual([
      'markImageFailed',
      expect.objectContaining({
        failure: {
          type: 'AiRequestRejected',
          message: 'describe: the AI provider answered 401: Incorrect API key provided: sk-proj-abc123',
        },
      }),
    ]);
    const broken = await run({
      saveImageResults: async () => {
        throw ApplicationFailure.nonRetryable('connect ECONNREFUSED 10.0.3.7:8000', 'NetworkError');
      },
    });
    expect(broken.calls.at(-1)).toEqual([
      'markImageFailed',
      expect.objectContaining({ failure: { type: 'NetworkError', message: 'connect ECONNREFUSED 10.0.3.7:8000' } }),
    ]);
    expect(broken.last).toMatchObject({ status: 'failed', failure_reason: 'The owner’s words.' });
  });

  it('never retries the bad-input failure types, even when an activity forgets to mark them non-retryable', async () => {
    const { error, names, calls } = await run({
      validateImage: async () => {
        throw ApplicationFailure.retryable('Only JPEG, PNG, GIF and WebP images are accepted.', 'InvalidImage');
      },
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(names).toEqual(['validateImage', 'markImageFailed']);
    // Validation runs as a local activity, whose failure is not wrapped: its type and message still get through.
    expect(calls.at(-1)).toEqual([
      'markImageFailed',
      expect.objectContaining({
        failure: { type: 'InvalidImage', message: 'Only JPEG, PNG, GIF and WebP images are accepted.' },
      }),
    ]);
  });

  it('retries a transient failure and completes', async () => {
    let attempts = 0;
    const { progress, names } = await run({
      embedImage: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
        return { dimensions: 128, provider: 'local-v1-128d' };
      },
    });
    expect(progress?.status).toBe('completed');
    expect(names.filter((name) => name === 'embedImage')).toHaveLength(2);
  });

  it('keeps a completed image completed when its cluster cannot be assigned', async () => {
    const { progress, names } = await run({
      assignCluster: async () => {
        throw ApplicationFailure.nonRetryable('clusters table unreadable', 'ClusterError');
      },
    });
    expect(progress).toMatchObject({
      status: 'completed',
      // The error's own text stays in the run's history: the owner reads what it means for the image.
      cluster: { reason: 'assignment failed: the next re-clustering places the image' },
    });
    expect(progress!.steps.at(-1)).toMatchObject({ name: 'cluster', status: 'failed' });
    expect(names).not.toContain('markImageFailed');
  });

  it('says why no near-duplicates were recorded, as the embedding step found', async () => {
    const { progress } = await run({
      embedImage: async () => ({
        dimensions: 128,
        provider: 'local-v1-128d',
        nearDuplicates: { found: [], reason: 'looking for near-duplicates failed' },
      }),
    });
    expect(progress).toMatchObject({
      status: 'completed',
      near_duplicates: { count: 0, reason: 'looking for near-duplicates failed' },
    });
  });

  it('stops on cancellation (a hard delete) without marking the image failed', async () => {
    let release!: () => void;
    const released = new Promise<string>((resolve) => (release = () => resolve('too late')));
    const { error, names } = await run({ describeImage: () => released }, async (workflowId) => {
      const handle = env.client.workflow.getHandle(workflowId);
      for (let i = 0; i < 100 && (await handle.query(progressQuery)).current_step !== 'description'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await handle.cancel();
      // The stand-in does not heartbeat, so it never hears of the cancellation: let it end so the worker can stop.
      release();
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(names).not.toContain('markImageFailed');
  });
});
