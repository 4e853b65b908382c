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

/** What the sweep did with the webhook events API requests held and never let go (their process died). */
export interface HeldEventsSwept {
  /** Their change was made: queued for delivery, with the id they were held under. */
  sent: number;
  /** Their change was never made: let go. */
  dropped: number;
  /** A hard delete not finished yet (its removal's sweep is on its way): left for the next sweep. */
  waiting: number;
}

export interface StorageSweepActivities {
  abortStaleUploads: (input: Pick<SweepStorageInput, 'olderThanHours'>) => Promise<{ aborted: number }>;
  findStrandedImages: (input: { strandedAfterMinutes: number }) => Promise<StrandedImages>;
  sendHeldEvents: (input: { heldAfterMinutes: number }) => Promise<HeldEventsSwept>;
}
