import type { RetryPolicy } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PIPELINE_STEPS, progressQuery, type PipelineProgress, type PipelineStep, type StepProgress } from './pipelineProgress';
import { IMAGE_STATUS } from './searchAttributes';

export interface ProcessImageInput {
  userId: string;
  imageId: string;
  originalKey: string;
}

/** `image-{imageId}`: one run per image, so a double submit finds the run that is already there. */
export const processImageWorkflowId = (imageId: string) => `image-${imageId}`;

const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 };

const { createThumbnails } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '30 seconds', retry });
const { describeImage, embedImage } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry });
const { saveImageResults, markImageFailed } = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry });

/**
 * The pipeline of one uploaded image: thumbnails → description → embedding → metadata. It passes only ids and
 * keys; the activities move the bytes. The starter sets the user and image search attributes; the run keeps its
 * status one current for operators, and answers the progress query for the API.
 */
export async function processImage(input: ProcessImageInput): Promise<PipelineProgress> {
  const progress: PipelineProgress = { status: 'processing', steps: PIPELINE_STEPS.map((name) => ({ name, status: 'pending' })) };
  setHandler(progressQuery, () => progress);
  upsertSearchAttributes([{ key: IMAGE_STATUS, value: 'processing' }]);

  async function step<T>(name: PipelineStep, run: () => Promise<T>): Promise<T> {
    const entry = progress.steps.find((candidate) => candidate.name === name) as StepProgress;
    const began = Date.now(); // workflow time: deterministic on replay
    Object.assign(entry, { status: 'running', started_at: new Date(began).toISOString() });
    progress.current_step = name;
    try {
      const result = await run();
      Object.assign(entry, { status: 'completed', duration_ms: Date.now() - began });
      return result;
    } catch (error) {
      Object.assign(entry, { status: 'failed', duration_ms: Date.now() - began });
      throw error;
    }
  }

  try {
    const facts = await step('thumbnails', () => createThumbnails(input));
    const smallest = facts.thumbnails[0]!;
    const shown = { userId: input.userId, imageId: input.imageId, thumbnailKey: smallest.key, width: facts.width, height: facts.height, format: facts.format };
    const description = await step('description', () => describeImage(shown));
    const embedding = await step('embedding', () => embedImage({ ...shown, description }));
    await step('metadata', () =>
      saveImageResults({
        userId: input.userId,
        imageId: input.imageId,
        results: {
          width: facts.width,
          height: facts.height,
          format: facts.format,
          bytes: facts.bytes,
          sha256: facts.sha256,
          thumbnails: facts.thumbnails.map((thumbnail) => ({
            size: thumbnail.size,
            key: thumbnail.key,
            width: thumbnail.width,
            height: thumbnail.height,
            bytes: thumbnail.bytes,
            content_type: thumbnail.contentType,
          })),
          dominant_color: facts.dominantColor,
          placeholder: facts.placeholder,
          ai_description: description,
          embedding_dimensions: embedding.dimensions,
          embedding_provider: embedding.provider,
        },
      }),
    );
    progress.status = 'completed';
    progress.current_step = undefined;
    upsertSearchAttributes([{ key: IMAGE_STATUS, value: 'completed' }]);
    return progress;
  } catch (error) {
    const reason = failureReason(error);
    progress.status = 'failed';
    progress.failure_reason = reason;
    upsertSearchAttributes([{ key: IMAGE_STATUS, value: 'failed' }]);
    await markImageFailed({ userId: input.userId, imageId: input.imageId, reason });
    throw error;
  }
}

/** The message the image's owner sees: the activity's own words when it refused the input. */
function failureReason(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause.message;
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : 'Processing failed.';
}
