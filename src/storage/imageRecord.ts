import type { RecordedProgress } from './recordedProgress';

/** The lifecycle of an image, as its owner sees it. */
export type ImageStatus = 'awaiting_upload' | 'processing' | 'completed' | 'failed';

export type Visibility = 'private' | 'public';

/** A stored thumbnail as the image item records it. */
export interface ThumbnailRecord {
  size: number;
  key: string;
  width: number;
  height: number;
  bytes: number;
  content_type: string;
}

/** An earlier image of the same owner that this one nearly duplicates, as the image item records it. */
export interface NearDuplicate {
  image_id: string;
  /** Cosine similarity of the two embeddings. */
  similarity: number;
}

/** One image's item in the images table (snake_case, as stored and as the API answers). */
export interface ImageRecord {
  user_id: string;
  image_id: string;
  created_at: string;
  updated_at: string;
  status: ImageStatus;
  workflow_id: string;
  original_key: string;
  filename: string;
  content_type: string;
  format: string;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
  title?: string;
  description?: string;
  tags: string[];
  category?: string;
  visibility: Visibility;
  thumbnails?: ThumbnailRecord[];
  dominant_color?: string;
  placeholder?: string;
  ai_description?: string;
  /** What the AI provider recognised in it, most probable first (providers that name classes only). */
  labels?: Array<{ name: string; probability: number }>;
  /** The kinds of object the AI provider found in it, surest first (providers that detect objects only). */
  objects?: Array<{ name: string; count: number; score: number }>;
  embedding_dimensions?: number;
  embedding_provider?: string;
  cluster_id?: string;
  /** Cosine similarity to its cluster's centroid when it joined. */
  cluster_similarity?: number;
  /** The owner's earlier images this one nearly duplicates when it was processed, most similar first. */
  near_duplicates?: NearDuplicate[];
  failure_reason?: string;
  completed_at?: string;
  /** How the run's steps went, written with its results or its failure (none by runs from before it was). */
  progress?: RecordedProgress;
  /** Set by a soft delete: hidden from its owner's lists and reads until restored or purged at `purge_after`. */
  deleted_at?: string;
  purge_after?: string;
  /** The run of the purge that soft delete scheduled: a restore cancels that run, and no other. */
  purge_run_id?: string;
  /**
   * Set by the latest restore, with the `deleted_at` of the delete it undid: by these the sweep of held webhook
   * events tells that a restore, and the delete before it, were made.
   */
  restored_at?: string;
  restored_deletion_at?: string;
  /**
   * A direct upload whose bytes its owner already had: the image holding them. Its own upload stays open (and is
   * purged with its URL) so a repeated complete answers the same.
   */
  duplicate_of?: string;
  /** A direct upload's: when its upload URL expires (its purge comes a little after, unless it was completed). */
  upload_expires_at?: string;
  /** Set by a purge before it removes anything: the image is on its way out, and nothing may bring it back. */
  purging_at?: string;
  /**
   * Its shard of the run-pending GSI, from creation until its run records it completed or failed: what the storage
   * sweep looks through for an image whose API process died before its run began. Never shown to its owner.
   */
  run_pending?: string;
}

/**
 * What the pipeline's metadata step records on the item when it completes the image (near-duplicates when any; the
 * steps' progress when the run handed it over).
 */
export type ProcessingResults = Required<
  Pick<
    ImageRecord,
    | 'width'
    | 'height'
    | 'format'
    | 'bytes'
    | 'sha256'
    | 'thumbnails'
    | 'dominant_color'
    | 'placeholder'
    | 'ai_description'
    | 'embedding_dimensions'
    | 'embedding_provider'
  >
> &
  Pick<ImageRecord, 'near_duplicates' | 'progress' | 'labels' | 'objects'>;
