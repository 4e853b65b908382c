export interface SweepStorageInput {
  /** Multipart uploads begun longer ago than this are aborted: no upload through the API takes an hour. */
  olderThanHours: number;
}

export interface StorageSweepActivities {
  abortStaleUploads: (input: SweepStorageInput) => Promise<{ aborted: number }>;
}
