import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import { ChecksumRepository } from './checksumRepository';
import { ClusterRepository } from './clusterRepository';
import { EmbeddingRepository } from './embeddingRepository';
import { HeldWebhookEvents } from './heldWebhookEvents';
import { ImageObjects } from './imageObjects';
import { ImagePurger } from './imagePurger';
import { ImageRepository } from './imageRepository';
import { RateLimitRepository } from './rateLimitRepository';
import { SearchTermRepository } from './searchTermRepository';
import { SecretSealer } from './secretSealer';
import { WebhookRepository } from './webhookRepository';

/** The object store and the repositories, over the clients of one process: what the API, the worker and tests use. */
export interface Storage {
  objects: ImageObjects;
  images: ImageRepository;
  embeddings: EmbeddingRepository;
  clusters: ClusterRepository;
  searchTerms: SearchTermRepository;
  checksums: ChecksumRepository;
  /** The rate limits' buckets, shared by every API process. */
  rateLimits: RateLimitRepository;
  /** Users' webhook endpoints and their delivery logs. */
  webhooks: WebhookRepository;
  /** Webhook events held while the change they tell of is made (in the webhooks table). */
  heldEvents: HeldWebhookEvents;
  purger: ImagePurger;
}

export function createStorage(
  clients: { s3: S3Client; presignS3?: S3Client; documents: DynamoDBDocumentClient },
  config: Pick<Config, 's3' | 'dynamodb'> & { webhooks: Pick<Config['webhooks'], 'secretsKey'> },
): Storage {
  const objects = new ImageObjects(clients.s3, config.s3.bucket, clients.presignS3);
  const images = new ImageRepository(clients.documents, config.dynamodb.imagesTable);
  const embeddings = new EmbeddingRepository(clients.documents, config.dynamodb.embeddingsTable);
  const clusters = new ClusterRepository(clients.documents, config.dynamodb.clustersTable);
  const searchTerms = new SearchTermRepository(clients.documents, config.dynamodb.searchTermsTable);
  const checksums = new ChecksumRepository(clients.documents, config.dynamodb.checksumsTable);
  return {
    objects,
    images,
    embeddings,
    clusters,
    searchTerms,
    checksums,
    rateLimits: new RateLimitRepository(clients.documents, config.dynamodb.rateLimitsTable),
    webhooks: new WebhookRepository(
      clients.documents,
      config.dynamodb.webhooksTable,
      new SecretSealer(config.webhooks.secretsKey),
    ),
    heldEvents: new HeldWebhookEvents(clients.documents, config.dynamodb.webhooksTable),
    purger: new ImagePurger(objects, embeddings, clusters, searchTerms, images, checksums),
  };
}
