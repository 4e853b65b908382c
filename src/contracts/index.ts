/**
 * What workflows, activities, services and the API share: workflow ids and types, the task queue, object keys,
 * failure types, queries, search attributes, and the activities as workflows call them. A leaf: it imports nothing
 * of the project, so workflow code can depend on it without pulling in I/O.
 */
export * from './failureTypes';
export * from './objectKeys';
export * from './pipeline';
export * from './purge';
export * from './reclustering';
export * from './searchAttributes';
export * from './storageSweep';
export * from './webhooks';
export * from './workflowIds';

import type { PipelineActivities } from './pipeline';
import type { PurgeActivities } from './purge';
import type { ReclusterActivities } from './reclustering';
import type { StorageSweepActivities } from './storageSweep';
import type { WebhookActivities } from './webhooks';

/** Every activity the worker registers. */
export type Activities = PipelineActivities &
  ReclusterActivities &
  PurgeActivities &
  StorageSweepActivities &
  WebhookActivities;
