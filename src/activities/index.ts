import type { AiProvider } from '../ai/aiProvider';
import type { ClusteringOptions } from '../clustering/clusterEmbeddings';
import type { Config } from '../config';
import { thumbnailShownToAi, type Activities, type ImageFacts, type WebhookEvent } from '../contracts';
import { uploadLimits } from '../images/uploadRules';
import type { Storage } from '../storage/createStorage';
import { createAnalysisActivities } from './analyseImage';
import { SimilarityIndex } from '../similarity/similarityIndex';
import { createClusterActivities } from './assignCluster';
import { createThumbnailActivities } from './createThumbnails';
import { createNearDuplicateActivities } from './findNearDuplicates';
import type { NearDuplicateSearch } from './nearDuplicatesOf';
import type { ImageRuns } from './imageRuns';
import { createPurgeActivities } from './purgeImage';
import { createReclusterActivities } from './reclusterLibrary';
import { RecentlyStored } from './recentlyStored';
import { createRecordActivities } from './recordImage';
import { createStorageSweepActivities } from './sweepStorage';
import { createStrandedImageActivities } from './findStrandedImages';
import { createHeldEventActivities } from './sendHeldEvents';
import { thumbnailForAi, type RecentThumbnails, type ThumbnailSource } from './thumbnailForAi';
import type { RecentEmbeddings } from './analyseImage';
import { createValidationActivities } from './validateImage';
import { createWebhookActivities } from './deliverWebhook';

// Each holds several hundred images' worth (256 px thumbnails; vectors, 8 bytes a value): more than the images
// in flight on one worker, and a few megabytes in all.
const RECENT_THUMBNAIL_BYTES = 8 * 1024 * 1024;
const RECENT_EMBEDDING_BYTES = 4 * 1024 * 1024;

export interface ActivityDependencies {
  storage: Storage;
  ai: AiProvider;
  config: Config;
  /** The images' runs, as Temporal knows them (a removal's sweep waits for its run; the storage sweep checks them). */
  runs: ImageRuns;
  /** The user's webhook endpoints: told of each image's outcome and each re-clustering (src/services/webhookEvents.ts). */
  events: { publish: (event: WebhookEvent) => Promise<unknown> };
  /** What deliveries send: the event's data, and the sender (src/webhooks/postWebhook.ts). */
  webhooks: Pick<Parameters<typeof createWebhookActivities>[0], 'eventData' | 'send'>;
  now?: () => Date;
}

/** Every activity the worker registers, built from injected storage and provider so tests can point them anywhere real. */
export function createActivities(deps: ActivityDependencies): Activities {
  const { storage, ai, config } = deps;
  const { objects, images, embeddings, clusters, searchTerms, purger } = storage;
  const now = deps.now ?? (() => new Date());
  const recentThumbnails: RecentThumbnails = new RecentlyStored(RECENT_THUMBNAIL_BYTES, ({ data }) => data.length);
  const recentEmbeddings: RecentEmbeddings = new RecentlyStored(
    RECENT_EMBEDDING_BYTES,
    ({ vector }) => vector.length * 8,
  );
  const thumbnails: ThumbnailSource = {
    objects,
    recent: recentThumbnails,
    presignedForSeconds: config.ai.imageTransport === 'presigned_url' ? config.urls.expirySeconds : undefined,
  };
  const similarity = new SimilarityIndex(embeddings, config.similarity.cacheValues);
  const nearDuplicateSearch: NearDuplicateSearch = {
    similarity,
    // Only the configured provider's embeddings are judged: its threshold is for its own space.
    minSimilarity: (provider) =>
      provider === ai.name ? (config.ai.nearDuplicateSimilarity ?? ai.nearDuplicateSimilarity) : undefined,
  };
  const clustering: ClusteringOptions = {
    maxK: config.clustering.maxK,
    seed: config.clustering.seed,
    silhouetteSample: config.clustering.silhouetteSample,
  };
  const shownToAi = (facts: ImageFacts) => thumbnailForAi(thumbnails, thumbnailShownToAi(facts).key, facts);
  return {
    ...createValidationActivities({ objects, limits: uploadLimits(config) }),
    ...createThumbnailActivities({ objects, images: config.images, recentThumbnails }),
    ...createAnalysisActivities({ ...nearDuplicateSearch, thumbnails, ai, embeddings, recentEmbeddings, now }),
    ...createRecordActivities({
      images,
      searchTerms,
      labelsOf: ai.labels ? async (facts) => ai.labels!(await shownToAi(facts)) : undefined,
      objectsOf: ai.objects ? async (facts) => ai.objects!(await shownToAi(facts)) : undefined,
      publish: (event) => deps.events.publish(event),
      now,
    }),
    ...createClusterActivities({
      clusters,
      images,
      embeddings,
      recentEmbeddings,
      assignMargin: config.clustering.assignMargin,
      now,
    }),
    ...createNearDuplicateActivities({ ...nearDuplicateSearch, embeddings, recentEmbeddings, images, now }),
    ...createReclusterActivities({
      objects,
      thumbnails,
      ai,
      images,
      embeddings,
      clusters,
      options: clustering,
      publish: (event) => deps.events.publish(event),
      now,
    }),
    ...createPurgeActivities({ purger, images, runs: deps.runs, now }),
    ...createStorageSweepActivities({ objects, now }),
    ...createStrandedImageActivities({ images, runs: deps.runs, uploadUrlSeconds: config.urls.expirySeconds, now }),
    ...createHeldEventActivities({ heldEvents: storage.heldEvents, images, events: deps.events, now }),
    ...createWebhookActivities({ webhooks: storage.webhooks, ...deps.webhooks, now }),
  };
}
