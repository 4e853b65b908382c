import { PIPELINE_STEPS, type PipelineStep, type StepProgress } from '../contracts';

/**
 * How a run's steps went, as the run records them on the image item in the write of its results or of its failure:
 * the status URL reads a finished image's steps here instead of asking its run, a query that makes a worker replay a
 * closed run's whole history (and is a billed action on Temporal Cloud). Compact, since the write and every later
 * write of the item pay for its size by the KB: when the first step began, and each of the run's steps by name as
 * [ms after that it began, ms it took]; [] for a step not begun, [began] for the step whose write this is.
 */
export interface RecordedProgress {
  started_at: string;
  steps: Partial<Record<PipelineStep, number[]>>;
  /** Why no near-duplicates were looked for, when the run said why. */
  near_duplicates_reason?: string;
}

/** The run's steps as it hands them to the write; undefined when none has begun. */
export function recordProgress(steps: StepProgress[], nearDuplicatesReason?: string): RecordedProgress | undefined {
  const begun = steps.flatMap((step) => (step.started_at ? [Date.parse(step.started_at)] : []));
  if (begun.length === 0) return undefined;
  const first = Math.min(...begun);
  const recorded: RecordedProgress['steps'] = {};
  for (const step of steps) {
    if (!step.started_at) recorded[step.name] = [];
    else {
      const began = Date.parse(step.started_at) - first;
      recorded[step.name] = step.duration_ms === undefined ? [began] : [began, step.duration_ms];
    }
  }
  return {
    started_at: new Date(first).toISOString(),
    steps: recorded,
    ...(nearDuplicatesReason ? { near_duplicates_reason: nearDuplicatesReason } : {}),
  };
}

/**
 * The recorded steps as the run's progress query answered them once the run had ended as the item says. Completed:
 * the step that wrote the results ends with its write (`completed_at`); the steps after it (the cluster step) run
 * once the image is complete and cannot fail it, so they are completed, untimed. Failed: the last step begun failed,
 * and those never begun stay pending.
 */
export function recordedSteps(
  progress: RecordedProgress,
  outcome: { status: 'completed' | 'failed'; completed_at?: string },
): StepProgress[] {
  const start = Date.parse(progress.started_at);
  const names = PIPELINE_STEPS.filter((name) => progress.steps[name] !== undefined);
  const lastBegun = names.findLast((name) => progress.steps[name]!.length > 0);
  const endedAt = outcome.completed_at ? Date.parse(outcome.completed_at) : undefined;
  return names.map((name) => {
    const [began, took] = progress.steps[name]!;
    if (began === undefined) return { name, status: outcome.status === 'completed' ? 'completed' : 'pending' };
    const startedAt = start + began;
    const duration = took ?? (endedAt === undefined ? undefined : Math.max(0, endedAt - startedAt));
    return {
      name,
      status: outcome.status === 'failed' && name === lastBegun ? 'failed' : 'completed',
      started_at: new Date(startedAt).toISOString(),
      ...(duration === undefined ? {} : { duration_ms: duration }),
    };
  });
}
