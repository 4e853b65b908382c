/**
 * `always`: a sweep after a hard delete. `still-deleted`: a soft delete whose image was not restored.
 * `never-uploaded`: a direct upload that was never completed.
 */
export type PurgeCondition = 'always' | 'still-deleted' | 'never-uploaded';

export interface PurgeImageInput {
  userId: string;
  imageId: string;
  /** Wait this long first: the restore window of a soft delete, or a sweep after a hard delete. */
  delayMs: number;
  /** What must still hold when the time comes. */
  when: PurgeCondition;
}

export interface PurgeActivities {
  purgeImage: (input: {
    userId: string;
    imageId: string;
    when: PurgeCondition;
  }) => Promise<{ purged: boolean; objects: number }>;
}
