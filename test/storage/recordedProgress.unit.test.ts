import type { StepProgress } from '../../src/contracts';
import { recordedSteps, recordProgress } from '../../src/storage/recordedProgress';

/** The run's steps as they stand when it writes its results: five done, the metadata step's write under way. */
const atResults: StepProgress[] = [
  { name: 'validate', status: 'completed', started_at: '2026-12-04T10:00:00.000Z', duration_ms: 4 },
  { name: 'thumbnails', status: 'completed', started_at: '2026-12-04T10:00:00.010Z', duration_ms: 180 },
  { name: 'description', status: 'completed', started_at: '2026-12-04T10:00:00.200Z', duration_ms: 6 },
  { name: 'embedding', status: 'completed', started_at: '2026-12-04T10:00:00.206Z', duration_ms: 9 },
  { name: 'metadata', status: 'running', started_at: '2026-12-04T10:00:00.215Z' },
  { name: 'cluster', status: 'pending' },
];

describe('the steps a run records on the image item', () => {
  it('keeps them compact: when the first began, then per step [ms after that it began, ms it took]', () => {
    expect(recordProgress(atResults, 'embeddings by local-v3-92d do not tell near-duplicates apart')).toEqual({
      started_at: '2026-12-04T10:00:00.000Z',
      steps: {
        validate: [0, 4],
        thumbnails: [10, 180],
        description: [200, 6],
        embedding: [206, 9],
        metadata: [215],
        cluster: [],
      },
      near_duplicates_reason: 'embeddings by local-v3-92d do not tell near-duplicates apart',
    });
    expect(recordProgress(atResults)).not.toHaveProperty('near_duplicates_reason');
    expect(recordProgress([{ name: 'validate', status: 'pending' }])).toBeUndefined();
  });

  it('reads a completed image back as the run answered: the writing step ends with its write, later ones untimed', () => {
    const steps = recordedSteps(recordProgress(atResults)!, {
      status: 'completed',
      completed_at: '2026-12-04T10:00:00.240Z',
    });
    expect(steps).toEqual([
      ...atResults.slice(0, 4),
      { name: 'metadata', status: 'completed', started_at: '2026-12-04T10:00:00.215Z', duration_ms: 25 },
      { name: 'cluster', status: 'completed' },
    ]);
  });

  it('reads a failed image back with the last step begun failed and the rest pending', () => {
    const atFailure: StepProgress[] = [
      { name: 'validate', status: 'completed', started_at: '2026-12-04T10:00:00.000Z', duration_ms: 4 },
      { name: 'thumbnails', status: 'failed', started_at: '2026-12-04T10:00:00.010Z', duration_ms: 30 },
      ...(['description', 'embedding', 'metadata', 'cluster'] as const).map((name): StepProgress => ({
        name,
        status: 'pending',
      })),
    ];
    expect(recordedSteps(recordProgress(atFailure)!, { status: 'failed' })).toEqual(atFailure);
  });

  it('lists the steps in the pipeline’s order whatever order the item’s map comes back in', () => {
    const progress = recordProgress(atResults)!;
    const shuffled = { ...progress, steps: Object.fromEntries(Object.entries(progress.steps).reverse()) };
    expect(recordedSteps(shuffled, { status: 'failed' }).map((step) => step.name)).toEqual(
      atResults.map((step) => step.name),
    );
  });
});
