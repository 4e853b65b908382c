import type { PipelineProgress } from '../contracts';
import type { ImageRecord } from '../storage/imageRecord';
import { recordedSteps } from '../storage/recordedProgress';

/** What the status URL shows of an image's run: its current step (while it runs), steps, cluster, near-duplicates. */
export type RunProgress = Pick<PipelineProgress, 'current_step' | 'steps' | 'cluster' | 'near_duplicates'>;

/**
 * Whether the status URL must ask the image's run (a query, which makes a worker replay a closed run's whole history
 * and is a billed action on Temporal Cloud): only while it is processing, for its current step and live timings, or
 * once it has ended without its steps on the item (runs from before they were written there, which still answer).
 */
export function asksRun(record: ImageRecord): boolean {
  if (record.status === 'processing') return true;
  return (record.status === 'completed' || record.status === 'failed') && !record.progress;
}

/**
 * A finished image's progress from its item: the steps its run wrote with its results or failure, and for a
 * completed image its cluster and near-duplicates as the item has them now (a re-clustering since may have moved it).
 * The cluster step runs after the image is complete: its timing and the reason an image was left out of a cluster
 * are not kept, which would cost a write per image. Undefined when the item holds none (nothing to show).
 */
export function recordedProgress(record: ImageRecord): RunProgress | undefined {
  if (!record.progress || (record.status !== 'completed' && record.status !== 'failed')) return undefined;
  if (record.status === 'failed') return { steps: recordedSteps(record.progress, { status: 'failed' }) };
  return {
    steps: recordedSteps(record.progress, { status: 'completed', completed_at: record.completed_at }),
    cluster: record.cluster_id
      ? { cluster_id: record.cluster_id, similarity: record.cluster_similarity }
      : { reason: 'not in a cluster yet: the next re-clustering places the image' },
    near_duplicates: { count: record.near_duplicates?.length ?? 0, reason: record.progress.near_duplicates_reason },
  };
}
