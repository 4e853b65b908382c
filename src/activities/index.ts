import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AiProvider } from '../ai/aiProvider';
import type { Config } from '../config';
import { RECLUSTER_DEFAULTS } from '../clustering/reclusterDefaults';
import { ClusterRepository } from '../images/clusterRepository';
import { EmbeddingRepository } from '../images/embeddingRepository';
import { ImagePurger } from '../images/imagePurger';
import { ImageRepository } from '../images/imageRepository';
import { ImageUrls } from '../images/imageUrls';
import { createAnalysisActivities } from './analyseImage';
import { createClusterActivities } from './assignCluster';
import { createThumbnailActivities } from './createThumbnails';
import { createPurgeActivities } from './purgeImage';
import { createRecordActivities } from './recordImage';
import { createReclusterActivities } from './reclusterLibrary';
import type { ThumbnailSource } from './thumbnailForAi';
import { createValidationActivities } from './validateImage';

export interface ActivityDependencies {
  s3: S3Client;
  documents: DynamoDBDocumentClient;
  ai: AiProvider;
  config: Config;
  /** Signs URLs for the AI provider to fetch (the endpoint it reaches S3 on); defaults to `s3`. */
  presignS3?: S3Client;
  now?: () => Date;
}

/** Every activity the worker registers, built from injected clients so tests can point them anywhere real. */
export function createActivities(deps: ActivityDependencies) {
  const now = deps.now ?? (() => new Date());
  const images = new ImageRepository(deps.documents, deps.config.dynamodb.imagesTable);
  const embeddings = new EmbeddingRepository(deps.documents, deps.config.dynamodb.embeddingsTable);
  const clusters = new ClusterRepository(
    deps.documents,
    deps.config.dynamodb.clustersTable,
    deps.config.dynamodb.imagesTable,
  );
  const urls = new ImageUrls(deps.presignS3 ?? deps.s3, deps.config, now);
  const thumbnails: ThumbnailSource = {
    s3: deps.s3,
    bucket: deps.config.s3.bucket,
    signUrl:
      deps.config.ai.imageTransport === 'presigned_url' ? async (key) => (await urls.signed(key)).url : undefined,
  };
  return {
    ...createValidationActivities(deps),
    ...createThumbnailActivities(deps),
    ...createAnalysisActivities({ thumbnails, ai: deps.ai, embeddings, now }),
    ...createRecordActivities({ images, now }),
    ...createClusterActivities({ clusters, embeddings, assignMargin: deps.config.clustering.assignMargin, now }),
    ...createReclusterActivities({
      s3: deps.s3,
      bucket: deps.config.s3.bucket,
      thumbnails,
      ai: deps.ai,
      images,
      embeddings,
      clusters,
      options: {
        maxK: deps.config.clustering.maxK,
        seed: deps.config.clustering.seed,
        silhouetteSample: RECLUSTER_DEFAULTS.silhouetteSample,
      },
      now,
    }),
    ...createPurgeActivities({ purger: new ImagePurger(deps.s3, deps.documents, deps.config), images }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
