import type { ImageRecord, ImageStatus } from '../../src/storage/imageRecord';
import { recordProgress } from '../../src/storage/recordedProgress';
import { asksRun, recordedProgress } from '../../src/services/recordedStatus';

const progress = recordProgress(
  [
    { name: 'validate', status: 'completed', started_at: '2026-12-04T10:00:00.000Z', duration_ms: 4 },
    { name: 'metadata', status: 'running', started_at: '2026-12-04T10:00:00.010Z' },
    { name: 'cluster', status: 'pending' },
  ],
  'embeddings by local-v3-92d do not tell near-duplicates apart',
)!;

const image = (status: ImageStatus, fields: Partial<ImageRecord> = {}) =>
  ({ image_id: 'image-1', status, ...fields }) as ImageRecord;

describe('the status of an image from its item', () => {
  it('asks the run only while the image is processing, or when its run wrote no steps on the item', () => {
    expect(asksRun(image('processing'))).toBe(true);
    expect(asksRun(image('processing', { progress }))).toBe(true);
    expect(asksRun(image('completed', { progress }))).toBe(false);
    expect(asksRun(image('failed', { progress }))).toBe(false);
    // Processed before runs wrote their steps there: their runs still answer.
    expect(asksRun(image('completed'))).toBe(true);
    expect(asksRun(image('failed'))).toBe(true);
    // A direct upload not yet completed has no run to ask.
    expect(asksRun(image('awaiting_upload'))).toBe(false);
  });

  it("shows a completed image's steps, its cluster as it is now and its near-duplicates", () => {
    const completed = image('completed', {
      progress,
      completed_at: '2026-12-04T10:00:00.030Z',
      cluster_id: 'cluster-7',
      cluster_similarity: 0.91,
      near_duplicates: [{ image_id: 'image-0', similarity: 0.97 }],
    });
    expect(recordedProgress(completed)).toEqual({
      steps: [
        { name: 'validate', status: 'completed', started_at: '2026-12-04T10:00:00.000Z', duration_ms: 4 },
        { name: 'metadata', status: 'completed', started_at: '2026-12-04T10:00:00.010Z', duration_ms: 20 },
        { name: 'cluster', status: 'completed' },
      ],
      cluster: { cluster_id: 'cluster-7', similarity: 0.91 },
      near_duplicates: { count: 1, reason: 'embeddings by local-v3-92d do not tell near-duplicates apart' },
    });
  });

  it('says why a completed image is in no cluster, and that it has no near-duplicates', () => {
    expect(recordedProgress(image('completed', { progress }))).toMatchObject({
      cluster: { reason: 'not in a cluster yet: the next re-clustering places the image' },
      near_duplicates: { count: 0 },
    });
  });

  it('shows only the steps of a failed image, and nothing for an item without steps', () => {
    expect(Object.keys(recordedProgress(image('failed', { progress }))!)).toEqual(['steps']);
    expect(recordedProgress(image('completed'))).toBeUndefined();
    expect(recordedProgress(image('processing', { progress }))).toBeUndefined();
  });
});
