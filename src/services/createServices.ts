import type { AiProvider } from '../ai/aiProvider';
import { OpenAiProvider } from '../ai/openAiProvider';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { Storage } from '../storage/createStorage';
import { ImageDeletion } from './imageDeletion';
import { ImageEventStream } from './imageEventStream';
import { ImageIntake } from './imageIntake';
import { ImageQueries } from './imageQueries';
import { ImageSearch } from './imageSearch';
import { ImageUrls } from './imageUrls';
import { Reclustering } from './reclustering';
import { SimilarityIndex } from '../similarity/similarityIndex';
import { NO_METRICS, type ServiceMetrics } from './serviceMetrics';
import { WebhookEndpoints } from './webhookEndpoints';
import { WebhookEvents } from './webhookEvents';

/** The services that own each flow: what the API's routes call, and what a CLI or a Lambda entry would call. */
export interface Services {
  intake: ImageIntake;
  deletion: ImageDeletion;
  queries: ImageQueries;
  search: ImageSearch;
  reclustering: Reclustering;
  webhooks: WebhookEndpoints;
  imageEvents: ImageEventStream;
}

export function createServices(deps: {
  storage: Storage;
  workflows: ImageWorkflows;
  config: Config;
  metrics?: ServiceMetrics;
  now?: () => Date;
  /** What embeds search queries into the space of the images' embeddings (see queryEmbedder by default). */
  ai?: Pick<AiProvider, 'name' | 'embedText'>;
}): Services {
  const { storage, workflows, config, metrics = NO_METRICS, now = () => new Date() } = deps;
  const urls = new ImageUrls(storage.objects, config.urls, now);
  // One index of vectors for similar images and text search: each user's vectors are held once, within one bound.
  const similarity = new SimilarityIndex(storage.embeddings, config.similarity.cacheValues);
  return {
    intake: new ImageIntake(storage, workflows, config, metrics, now),
    deletion: new ImageDeletion(
      storage,
      workflows,
      config,
      now,
      new WebhookEvents(storage.webhooks, storage.heldEvents, workflows, config),
      metrics,
    ),
    queries: new ImageQueries(storage, workflows, urls, similarity),
    search: new ImageSearch(storage, urls, similarity, deps.ai ?? queryEmbedder(config), metrics),
    reclustering: new Reclustering(workflows, config, metrics, now),
    webhooks: new WebhookEndpoints(storage, config, now),
    imageEvents: new ImageEventStream(storage, workflows, urls, config.api.imageEventsRescanSeconds * 1000, now),
  };
}

/**
 * The configured provider, when its image embeddings can be compared with an embedded query: only `openai`'s are
 * (they embed the description). The pixel-based providers are not even built here, so the API never loads what
 * they need (sharp, a neural network).
 */
function queryEmbedder(config: Config): Pick<AiProvider, 'name' | 'embedText'> | undefined {
  return config.ai.provider === 'openai' ? OpenAiProvider.fromConfig(config.ai) : undefined;
}
