import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ImageFacts } from '../activities/createThumbnails';
import { IMAGE_STATUS } from './searchAttributes';

export interface ProcessImageInput {
  userId: string;
  imageId: string;
  originalKey: string;
}

/** `image-{imageId}`: one run per image, so a double submit finds the run that is already there. */
export const processImageWorkflowId = (imageId: string) => `image-${imageId}`;

const { createThumbnails } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

const setStatus = (status: 'processing' | 'completed' | 'failed') => upsertSearchAttributes([{ key: IMAGE_STATUS, value: status }]);

/**
 * The pipeline of one uploaded image. It passes only ids and keys; the activities move the bytes.
 * The starter sets the user and image search attributes; the run keeps its status one up to date for operators.
 */
export async function processImage(input: ProcessImageInput): Promise<ImageFacts> {
  setStatus('processing');
  try {
    const facts = await createThumbnails(input);
    setStatus('completed');
    return facts;
  } catch (error) {
    setStatus('failed');
    throw error;
  }
}
