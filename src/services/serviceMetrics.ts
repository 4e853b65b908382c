/** What the services count; the API reports it on /metrics, other callers may ignore it (NO_METRICS). */
export interface ServiceMetrics {
  uploadAccepted(path: 'multipart' | 'direct', bytes: number): void;
  uploadRefused(rule: string): void;
  /** An upload of bytes its owner already had, answered with that image (DUPLICATES=link). */
  uploadLinked(path: 'multipart' | 'direct'): void;
  workflowStarted(workflow: 'processImage' | 'reclusterUser'): void;
  /** A text search ran on words alone: the AI provider could not embed its query. */
  searchWithoutEmbedding(): void;
  /** A change was made but its webhook event could not be queued then (Temporal or DynamoDB away): held for the sweep. */
  webhookEventNotQueued(type: string): void;
}

export const NO_METRICS: ServiceMetrics = {
  uploadAccepted: () => undefined,
  uploadRefused: () => undefined,
  uploadLinked: () => undefined,
  workflowStarted: () => undefined,
  searchWithoutEmbedding: () => undefined,
  webhookEventNotQueued: () => undefined,
};
