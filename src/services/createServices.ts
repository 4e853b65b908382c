import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { Storage } from '../storage/createStorage';
import { ImageDeletion } from './imageDeletion';
import { ImageIntake } from './imageIntake';
import { ImageQueries } from './imageQueries';
import { ImageUrls } from './imageUrls';
import { Reclustering } from './reclustering';
import { SimilarityIndex } from './similarityIndex';
import { NO_METRICS, type ServiceMetrics } from './serviceMetrics';

/** The services that own each flow: what the API's routes call, and what a CLI or a Lambda entry would call. */
export interface Services {
  intake: ImageIntake;
  deletion: ImageDeletion;
  queries: ImageQueries;
  reclustering: Reclustering;
}

export function createServices(deps: {
  storage: Storage;
  workflows: ImageWorkflows;
  config: Config;
  metrics?: ServiceMetrics;
  now?: () => Date;
}): Services {
  const { storage, workflows, config, metrics = NO_METRICS, now = () => new Date() } = deps;
  const urls = new ImageUrls(storage.objects, config.urls, now);
  return {
    intake: new ImageIntake(storage, workflows, config, metrics, now),
    deletion: new ImageDeletion(storage, workflows, config, now),
    queries: new ImageQueries(
      storage,
      workflows,
      urls,
      new SimilarityIndex(storage.embeddings, config.similarity.cacheValues),
    ),
    reclustering: new Reclustering(workflows, config, metrics, now),
  };
}
