import type { PurgeImageInput, StorageSweepActivities } from '../contracts';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';
import { uploadPurgeTime } from '../storage/uploadExpiry';
import type { ImageRuns } from './imageRuns';

/** How many images whose run has not recorded them one sweep checks, per shard; the next sweep takes the rest. */
const STRANDED_PER_SWEEP = 250;

/** The failure reason of an image whose run was stopped (terminated) before it recorded anything. */
export const STOPPED_RUN_REASON = 'Processing was stopped before it finished: upload the image again.';

/** What the sweep does with one image whose run has not recorded it: a purge, a write, or nothing yet. */
type Verdict = { purge: PurgeImageInput } | 'fail' | 'settle' | 'wait';

export function createStrandedImageActivities(deps: {
  images: ImageRepository;
  runs: ImageRuns;
  /** PRESIGNED_URL_EXPIRY_SECONDS: when an upload URL handed out before its expiry was recorded expires. */
  uploadUrlSeconds: number;
  now: () => Date;
}): Pick<StorageSweepActivities, 'findStrandedImages'> {
  /**
   * An image still in the run-pending GSI, long after it was created: a run open or a purge on its way is left to
   * finish; one no run took is purged (the client whose request made it was answered with an error, and sends it
   * again); one whose run closed without recording it is failed.
   */
  async function verdictOn(record: ImageRecord): Promise<Verdict> {
    const ids = { userId: record.user_id, imageId: record.image_id };
    if (record.deleted_at || record.purging_at) return 'wait';
    if (record.status === 'completed' || record.status === 'failed') return 'settle';
    if (record.status === 'awaiting_upload') {
      // Its API process died before it scheduled the purge of its URL: schedule it now, for when it is due.
      if ((await deps.runs.uploadPurgeClosedAt(record.image_id)) === 'running') return 'wait';
      const due = uploadPurgeTime(record, deps.uploadUrlSeconds).getTime() - deps.now().getTime();
      return { purge: { ...ids, when: 'never-uploaded', delayMs: Math.max(0, due) } };
    }
    const run = await deps.runs.closedAt(record.image_id);
    if (run === 'running') return 'wait';
    if (run === undefined) return { purge: { ...ids, when: 'always', delayMs: 0 } };
    return 'fail';
  }

  return {
    /** Checks the images created more than `strandedAfterMinutes` ago that no run has recorded (see verdictOn). */
    async findStrandedImages(input) {
      const before = new Date(deps.now().getTime() - input.strandedAfterMinutes * 60_000).toISOString();
      const found = { purges: [] as PurgeImageInput[], failed: 0, settled: 0 };
      for (const { user_id: userId, image_id: imageId } of await deps.images.runPending(before, STRANDED_PER_SWEEP)) {
        // The GSI is read eventually consistent: the item itself decides.
        const record = await deps.images.get(userId, imageId);
        if (!record) continue;
        const verdict = await verdictOn(record);
        const at = deps.now().toISOString();
        if (verdict === 'fail' && (await deps.images.failStopped(userId, imageId, STOPPED_RUN_REASON, at))) {
          found.failed++;
        } else if (verdict === 'settle' && (await deps.images.settleRunPending(userId, imageId))) {
          found.settled++;
        } else if (typeof verdict === 'object') {
          found.purges.push(verdict.purge);
        }
      }
      return found;
    },
  };
}
