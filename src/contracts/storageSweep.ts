import type { PurgeImageInput } from './purge';

export interface SweepStorageInput {
  /** Multipart uploads begun longer ago than this are aborted: no upload through the API takes an hour. */
  olderThanHours: number;
  /**
   * Images created longer ago than this whose run has not recorded them are checked: one no run ever took (its API
   * process died in between) is purged. Long enough that any request that created one has ended.
   */
  strandedAfterMinutes: number;
}

/** What the sweep found among images whose run has not recorded them. */
export interface StrandedImages {
  /** Purges to start: an image no run took, or a direct upload whose purge was never scheduled. */
  purges: PurgeImageInput[];
  /** Left processing by a run that closed without recording them (terminated): now marked failed. */
  failed: number;
  /** Done, but still in the GSI (written before it existed): taken out. */
  settled: number;
}

export interface StorageSweepActivities {
  abortStaleUploads: (input: Pick<SweepStorageInput, 'olderThanHours'>) => Promise<{ aborted: number }>;
  findStrandedImages: (input: { strandedAfterMinutes: number }) => Promise<StrandedImages>;
}
