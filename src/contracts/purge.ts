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
  /**
   * A removal's sweep: it waits, too, until the image's pipeline run has closed and any step it had begun has ended,
   * so nothing that run writes can outlast the sweep.
   */
  afterPipeline?: boolean;
}

export interface PurgeActivities {
  purgeImage: (input: Omit<PurgeImageInput, 'delayMs'>) => Promise<{ purged: boolean; objects: number }>;
}
