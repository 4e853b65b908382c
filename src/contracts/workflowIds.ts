import type { PurgeCondition } from './purge';

/**
 * Workflow ids derive from what a run is about, so a second start (a retried request, a double submit, the
 * schedule and an on-demand request at once) finds the run that is already there instead of starting another.
 */
export const processImageWorkflowId = (imageId: string) => `image-${imageId}`;
/** The purge a delete (soft or hard) schedules; a later delete of the same image replaces it. */
export const purgeImageWorkflowId = (imageId: string) => `purge-${imageId}`;
/**
 * The purge of a direct upload never completed: a run of its own, so that completing the upload cancels it without
 * ever touching the purge a delete has scheduled meanwhile.
 */
export const uploadPurgeWorkflowId = (imageId: string) => `purge-upload-${imageId}`;
/** Which purge a condition belongs to. */
export const purgeWorkflowIdOf = (imageId: string, when: PurgeCondition) =>
  when === 'never-uploaded' ? uploadPurgeWorkflowId(imageId) : purgeImageWorkflowId(imageId);
export const reclusterUserWorkflowId = (userId: string) => `recluster-${userId}`;

/** Workflow type names, as the worker registers them (the exported function names in src/workflows). */
export const WORKFLOW_TYPES = {
  processImage: 'processImage',
  purgeImage: 'purgeImage',
  reclusterUser: 'reclusterUser',
  reclusterAll: 'reclusterAll',
  sweepStorage: 'sweepStorage',
  deliverWebhooks: 'deliverWebhooks',
} as const;

/** The task queue workers poll unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'imagepipe';
