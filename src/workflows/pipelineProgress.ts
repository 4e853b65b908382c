import { defineQuery } from '@temporalio/workflow';

export const PIPELINE_STEPS = ['validate', 'thumbnails', 'description', 'embedding', 'metadata', 'cluster'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

export interface StepProgress {
  name: PipelineStep;
  status: 'pending' | 'running' | 'completed' | 'failed';
  started_at?: string;
  duration_ms?: number;
}

export interface PipelineProgress {
  status: 'processing' | 'completed' | 'failed';
  current_step?: PipelineStep;
  steps: StepProgress[];
  failure_reason?: string;
  /** The cluster the image joined, or why it waits for the next re-clustering. */
  cluster?: { cluster_id?: string; similarity?: number; reason?: string };
}

/** The run's progress: its current step and the timing of each step, for the API's status URL and operators. */
export const progressQuery = defineQuery<PipelineProgress>('progress');
