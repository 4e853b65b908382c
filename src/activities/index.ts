import type { AiProvider } from '../ai/aiProvider';
import type { ClusteringOptions } from '../clustering/clusterEmbeddings';
import type { Config } from '../config';
import type { Activities } from '../contracts';
import { uploadLimits } from '../images/uploadRules';
import type { Storage } from '../storage/createStorage';
import { createAnalysisActivities } from './analyseImage';
import { createClusterActivities } from './assignCluster';
import { createThumbnailActivities } from './createThumbnails';
import { createPurgeActivities } from './purgeImage';
import { createReclusterActivities } from './reclusterLibrary';
import { RecentThumbnails } from './recentThumbnails';
import { createRecordActivities } from './recordImage';
import { createStorageSweepActivities } from './sweepStorage';
import type { ThumbnailSource } from './thumbnailForAi';
import { createValidationActivities } from './validateImage';

// Several hundred thumbnails of 256 px: more than the images in flight on one worker.
const RECENT_THUMBNAIL_BYTES = 8 * 1024 * 1024;

export interface ActivityDependencies {
  storage: Storage;
  ai: AiProvider;
  config: Config;
  now?: () => Date;
}

/** Every activity the worker registers, built from injected storage and provider so tests can point them anywhere real. */
export function createActivities(deps: ActivityDependencies): Activities {
  const { storage, ai, config } = deps;
  const { objects, images, embeddings, clusters, purger } = storage;
  const now = deps.now ?? (() => new Date());
  const recentThumbnails = new RecentThumbnails(RECENT_THUMBNAIL_BYTES);
  const thumbnails: ThumbnailSource = {
    objects,
    recent: recentThumbnails,
    presignedForSeconds: config.ai.imageTransport === 'presigned_url' ? config.urls.expirySeconds : undefined,
  };
  const clustering: ClusteringOptions = {
    maxK: config.clustering.maxK,
    seed: config.clustering.seed,
    silhouetteSample: config.clustering.silhouetteSample,
  };
  return {
    ...createValidationActivities({ objects, limits: uploadLimits(config) }),
    ...createThumbnailActivities({ objects, images: config.images, recentThumbnails }),
    ...createAnalysisActivities({ thumbnails, ai, embeddings, now }),
    ...createRecordActivities({ images, now }),
    ...createClusterActivities({ clusters, embeddings, assignMargin: config.clustering.assignMargin, now }),
    ...createReclusterActivities({ objects, thumbnails, ai, images, embeddings, clusters, options: clustering, now }),
    ...createPurgeActivities({ purger, images, now }),
    ...createStorageSweepActivities({ objects, now }),
  };
}
