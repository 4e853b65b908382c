import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  AI_STEP_TIMEOUT_SECONDS,
  IMAGE_STATUS,
  NON_RETRYABLE_TYPES,
  PIPELINE_STEPS,
  progressQuery,
  THUMBNAIL_STEP_TIMEOUT_SECONDS,
  thumbnailShownToAi,
  type AnalyseImageInput,
  type ClusterAssignment,
  type EmbeddingSummary,
  type ImageFacts,
  type NearDuplicatesFound,
  type PipelineActivities,
  type PipelineProgress,
  type PipelineStep,
  type ProcessImageInput,
  type StepFailure,
  type StepProgress,
} from '../contracts';

// About four minutes of attempts: long enough to ride out a dependency's restart, short enough to tell the owner.
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 10,
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
};
const activities = (options: Omit<ActivityOptions, 'retry'>) =>
  proxyActivities<PipelineActivities>({ ...options, retry });
/**
 * A step as a local activity: run by the worker within the workflow task that schedules it, retried by the SDK on
 * the same policy, and recorded in the history as a marker. It saves the server a task and a round trip. Only for
 * steps of milliseconds: while one runs, its workflow task stays open, and the progress query waits for it.
 */
const localActivities = (options: Omit<LocalActivityOptions, 'retry'>) =>
  proxyLocalActivities<PipelineActivities>({ ...options, retry });
const stepsOf = (local: boolean) => (local ? localActivities : activities);

// Past its first seconds the step heartbeats as it reads and stores: a worker that dies is noticed in seconds.
const { createThumbnails } = activities({
  startToCloseTimeout: `${THUMBNAIL_STEP_TIMEOUT_SECONDS} seconds`,
  heartbeatTimeout: '10 seconds',
});

/**
 * The short storage steps (a few reads and writes) are local activities. Runs started before that change keep the
 * activities they began with.
 */
const LOCAL_STORAGE_STEPS = 'local-storage-steps';

function storageSteps(local: boolean) {
  const { validateImage } = stepsOf(local)({ startToCloseTimeout: '30 seconds' });
  const { saveImageResults, markImageFailed, assignCluster, findNearDuplicates } = stepsOf(local)({
    startToCloseTimeout: '20 seconds',
  });
  return { validateImage, saveImageResults, markImageFailed, assignCluster, findNearDuplicates };
}

/** Runs started before near-duplicates were looked for end at the cluster step, as they began. */
const NEAR_DUPLICATES_STEP = 'near-duplicates-step';

/**
 * Runs from then on find near-duplicates in the embedding step (the vector at hand) and save them with the other
 * results in one write, and upsert no status search attribute (the item holds the status, the run's own status says
 * how it ended): per image, a DynamoDB write and three Temporal actions (a local-activity batch, two upserts) less.
 */
const LEAN_RESULTS = 'lean-results';

/**
 * The AI steps are local activities too when the provider runs inside the worker (the input says so): then they
 * take milliseconds. A remote provider may take seconds and refuse for a while, so its steps stay activities of
 * their own, and the progress query is answered meanwhile.
 */
function aiSteps(inProcess: boolean) {
  return stepsOf(inProcess)({ startToCloseTimeout: `${AI_STEP_TIMEOUT_SECONDS} seconds` });
}

/**
 * The pipeline of one uploaded image: validate → thumbnails → description → embedding → metadata → cluster →
 * duplicates.
 * It passes only ids and keys; the activities move the bytes. The starter sets the user and image search
 * attributes; the run keeps the status attribute current for operators (before lean-results), answers the progress
 * query for the API while it runs, and hands its steps to the writes of its results or failure for the image item.
 */
export async function processImage(input: ProcessImageInput): Promise<PipelineProgress> {
  const findsNearDuplicates = patched(NEAR_DUPLICATES_STEP);
  const lean = patched(LEAN_RESULTS);
  const duplicatesStep = findsNearDuplicates && !lean;
  const progress: PipelineProgress = {
    status: 'processing',
    steps: PIPELINE_STEPS.filter((name) => duplicatesStep || name !== 'duplicates').map((name) => ({
      name,
      status: 'pending',
    })),
  };
  setHandler(progressQuery, () => progress);
  const statusForOperators = (value: 'processing' | 'completed' | 'failed') => {
    if (!lean) upsertSearchAttributes([{ key: IMAGE_STATUS, value }]);
  };
  statusForOperators('processing');
  const { validateImage, saveImageResults, markImageFailed, assignCluster, findNearDuplicates } = storageSteps(
    patched(LOCAL_STORAGE_STEPS),
  );
  const { describeImage, embedImage } = aiSteps(input.aiInProcess === true);
  const step = stepRecorder(progress);

  const ids = { userId: input.userId, imageId: input.imageId };
  // The item's writes carry the steps so far (as they stand when the write is scheduled), so the status URL answers a
  // finished image from the item. Only activity inputs change, not the commands: no patch, and runs in flight that a
  // worker of this code replays pass them too; runs from before lean-results, whose near-duplicates come in a step
  // after the write, pass none.
  const stepsSoFar = () => (lean ? { steps: progress.steps.map((entry) => ({ ...entry })) } : {});
  let embedding: EmbeddingSummary;
  try {
    await step('validate', () => validateImage({ originalKey: input.originalKey, checked: input.checked }));
    const facts = await step('thumbnails', () => createThumbnails(input));
    const shown = shownToAi(ids, facts);
    const description = await step('description', () => describeImage(shown));
    embedding = await step('embedding', () =>
      embedImage({ ...shown, description, ...(lean ? { findNearDuplicates: true } : {}) }),
    );
    await step('metadata', () => saveImageResults({ ...ids, facts, description, embedding, ...stepsSoFar() }));
  } catch (error) {
    if (isCancellation(error)) throw error; // a hard delete: nothing left to mark
    progress.status = 'failed';
    statusForOperators('failed');
    // The activity puts the failure into its owner's words, and returns them (none in runs from before it did).
    progress.failure_reason = await markImageFailed({ ...ids, failure: stepFailure(error), ...stepsSoFar() });
    throw error;
  }
  statusForOperators('completed');
  progress.cluster = toClusterProgress(await clusterOrWait(() => step('cluster', () => assignCluster(ids))));
  if (lean) progress.near_duplicates = toNearDuplicatesProgress(embedding);
  else if (duplicatesStep) {
    progress.near_duplicates = await nearDuplicatesOrNone(() => step('duplicates', () => findNearDuplicates(ids)));
  }
  progress.status = 'completed';
  progress.current_step = undefined;
  return progress;
}

/** Runs a step, keeping its entry in `progress` current: running, then completed or failed, with its timing. */
function stepRecorder(progress: PipelineProgress) {
  return async function step<T>(name: PipelineStep, run: () => Promise<T>): Promise<T> {
    const entry = progress.steps.find((candidate) => candidate.name === name) as StepProgress;
    const began = Date.now(); // workflow time: deterministic on replay
    Object.assign(entry, { status: 'running', started_at: new Date(began).toISOString() });
    progress.current_step = name;
    try {
      const result = await run();
      Object.assign(entry, { status: 'completed', duration_ms: Date.now() - began });
      return result;
    } catch (error) {
      Object.assign(entry, { status: 'failed', duration_ms: Date.now() - began });
      throw error;
    }
  };
}

/** The image as the AI steps are shown it: its smallest thumbnail, a few KB instead of the original. */
function shownToAi(ids: { userId: string; imageId: string }, facts: ImageFacts): AnalyseImageInput {
  const shown = thumbnailShownToAi(facts);
  return { ...ids, thumbnailKey: shown.key, width: facts.width, height: facts.height, format: facts.format };
}

/**
 * The image is complete and visible before it has a cluster; one that cannot be placed now (its attempts spent)
 * stays completed and unassigned, and the next re-clustering places it.
 */
async function clusterOrWait(assign: () => Promise<ClusterAssignment>): Promise<ClusterAssignment> {
  try {
    return await assign();
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { reason: 'assignment failed: the next re-clustering places the image' };
  }
}

/** Like the cluster step, looking for near-duplicates is no reason to fail an image that is complete. */
async function nearDuplicatesOrNone(find: () => Promise<NearDuplicatesFound>): Promise<NearDuplicatesFound> {
  try {
    return await find();
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { count: 0, reason: 'looking for near-duplicates failed' };
  }
}

const toNearDuplicatesProgress = ({ nearDuplicates }: EmbeddingSummary): PipelineProgress['near_duplicates'] =>
  nearDuplicates && { count: nearDuplicates.found.length, reason: nearDuplicates.reason };

const toClusterProgress = (assignment: ClusterAssignment): PipelineProgress['cluster'] => ({
  cluster_id: assignment.clusterId,
  similarity: assignment.similarity,
  reason: assignment.reason,
});

/** What failed, as the step raised it: an activity's failure comes wrapped in an ActivityFailure, a local one's not. */
function stepFailure(error: unknown): StepFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? undefined, message: cause.message };
  return { message: cause instanceof Error ? cause.message : String(cause) };
}
