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
import { createRecordActivities } from './recordImage';
import { createStorageSweepActivities } from './sweepStorage';
import type { ThumbnailSource } from './thumbnailForAi';
import { createValidationActivities } from './validateImage';

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
  const thumbnails: ThumbnailSource = {
    objects,
    presignedForSeconds: config.ai.imageTransport === 'presigned_url' ? config.urls.expirySeconds : undefined,
  };
  const clustering: ClusteringOptions = {
    maxK: config.clustering.maxK,
    seed: config.clustering.seed,
    silhouetteSample: config.clustering.silhouetteSample,
  };
  return {
    ...createValidationActivities({ objects, limits: uploadLimits(config) }),
    ...createThumbnailActivities({ objects, images: config.images }),
    ...createAnalysisActivities({ thumbnails, ai, embeddings, now }),
    ...createRecordActivities({ images, now }),
    ...createClusterActivities({ clusters, embeddings, assignMargin: config.clustering.assignMargin, now }),
    ...createReclusterActivities({ objects, thumbnails, ai, images, embeddings, clusters, options: clustering, now }),
    ...createPurgeActivities({ purger, images, now }),
    ...createStorageSweepActivities({ objects, now }),
  };
}
