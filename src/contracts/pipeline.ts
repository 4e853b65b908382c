import { defineQuery } from '@temporalio/workflow';

/** What one processImage run is given: ids and the original's key, never bytes. */
export interface ProcessImageInput {
  userId: string;
  imageId: string;
  originalKey: string;
  /** The original's SHA-256 when the API hashed it while streaming it in; the thumbnail step hashes it otherwise. */
  sha256?: string;
  /**
   * What the API found when it checked the original against the upload rules (originals are immutable once
   * checked): validation takes them as they are, and the thumbnail step, which reads the object whole, checks its size.
   */
  checked?: OriginalFacts;
  /** The AI provider runs inside the worker (AI_PROVIDER=local): its steps take milliseconds. */
  aiInProcess?: boolean;
}

export const PIPELINE_STEPS = [
  'validate',
  'thumbnails',
  'description',
  'embedding',
  'metadata',
  'cluster',
  'duplicates',
] as const;

/** How long the description and embedding steps may take, each attempt: AI_TIMEOUT_MS must leave them room. */
export const AI_STEP_TIMEOUT_SECONDS = 60;
/**
 * How long the thumbnail step may take, each attempt: the longest step, so also how long after its run has closed
 * an attempt begun before may still write.
 */
export const THUMBNAIL_STEP_TIMEOUT_SECONDS = 120;
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
  /** How many of the owner's earlier images this one nearly duplicates, or why none were looked for. */
  near_duplicates?: { count: number; reason?: string };
}

/** The run's progress: its current step and the timing of each step, for the API's status URL and operators. */
export const progressQuery = defineQuery<PipelineProgress>('progress');

/** What an original is, read from its size and header alone (the validate step). */
export interface OriginalFacts {
  bytes: number;
  format: 'jpeg' | 'png' | 'gif' | 'webp';
  contentType: string;
  width: number;
  height: number;
}

/** A thumbnail the thumbnail step stored. */
export interface Thumbnail {
  size: number;
  key: string;
  width: number;
  height: number;
  bytes: number;
  contentType: string;
}

/** What the thumbnail step measured and stored. */
export interface ImageFacts {
  width: number;
  height: number;
  format: string;
  bytes: number;
  sha256: string;
  dominantColor: string;
  placeholder: string;
  thumbnails: Thumbnail[];
}

/** The thumbnail the AI steps are shown: the smallest, a few KB instead of the original. */
export const thumbnailShownToAi = (facts: ImageFacts): Thumbnail => facts.thumbnails[0]!;

/** The image as the AI steps are shown it: its smallest thumbnail's key and its facts. */
export interface AnalyseImageInput {
  userId: string;
  imageId: string;
  /** The thumbnail the provider is shown (the smallest one): a few KB instead of the original. */
  thumbnailKey: string;
  width: number;
  height: number;
  format: string;
}

/** What the embedding step found of the owner's other images: the same photo, possibly altered; or why none. */
export interface NearDuplicates {
  found: Array<{ imageId: string; similarity: number }>;
  reason?: string;
}

export interface EmbeddingSummary {
  dimensions: number;
  provider: string;
  /** When the run asked for them: found as soon as the vector is there, saved with the other results. */
  nearDuplicates?: NearDuplicates;
}

export interface ClusterAssignment {
  clusterId?: string;
  similarity?: number;
  /** Why the image was left unassigned, for the run's record. */
  reason?: string;
}

/** What the near-duplicates step of runs from before it was folded into the embedding step recorded, or why none. */
export interface NearDuplicatesFound {
  count: number;
  reason?: string;
}

/** What the steps before the metadata step returned, as the workflow hands them to it. */
export interface PipelineResults {
  facts: ImageFacts;
  description: string;
  embedding: EmbeddingSummary;
}

/**
 * The run's steps as they stand when it writes its results or its failure, for the image item: the status URL answers
 * a finished image from the item, without a query to its run. None from runs started before lean-results.
 */
export interface RunSteps {
  steps?: StepProgress[];
}

/**
 * Why a step failed, as the workflow caught it: the failure's type (one of failureTypes when the service itself
 * raised it; none for a timeout) and its message, which may be a provider's or a dependency's own words.
 */
export interface StepFailure {
  type?: string;
  message: string;
}

/** The activities processImage runs, as it calls them. */
export interface PipelineActivities {
  validateImage: (input: { originalKey: string; checked?: OriginalFacts }) => Promise<OriginalFacts>;
  createThumbnails: (input: ProcessImageInput) => Promise<ImageFacts>;
  describeImage: (input: AnalyseImageInput) => Promise<string>;
  embedImage: (
    input: AnalyseImageInput & { description: string; findNearDuplicates?: boolean },
  ) => Promise<EmbeddingSummary>;
  saveImageResults: (input: { userId: string; imageId: string } & PipelineResults & RunSteps) => Promise<void>;
  /** Marks the image failed with the reason its owner reads, made from `failure`, and returns that reason. */
  markImageFailed: (input: { userId: string; imageId: string; failure: StepFailure } & RunSteps) => Promise<string>;
  assignCluster: (input: { userId: string; imageId: string }) => Promise<ClusterAssignment>;
  /** Runs from before near-duplicates were found in the embedding step call it as a step of its own. */
  findNearDuplicates: (input: { userId: string; imageId: string }) => Promise<NearDuplicatesFound>;
}
