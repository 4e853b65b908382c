import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import { createDocumentClient, createDynamoDbClient } from './dynamodb';
import { createPresignS3Client, createS3Client } from './s3';
import { countDynamoDbRequests, countS3Requests, type StoreRequestListener } from './storeRequests';

/** The S3 and DynamoDB clients of one process, built once from the configuration. */
export interface StorageClients {
  s3: S3Client;
  /** Signs URLs for clients: the same store, reached at S3_PUBLIC_ENDPOINT when that is set. */
  presignS3: S3Client;
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** Tells `listener` of every request to S3 and DynamoDB, with DynamoDB's units: what the bill counts. */
  onRequest: (listener: StoreRequestListener) => void;
  destroy: () => void;
}

export function createStorageClients(config: Config): StorageClients {
  const s3 = createS3Client(config);
  const presignS3 = createPresignS3Client(config);
  const dynamodb = createDynamoDbClient(config);
  const listeners: StoreRequestListener[] = [];
  const tell: StoreRequestListener = (request) => {
    for (const listener of listeners) listener(request);
  };
  countS3Requests(s3, tell);
  countDynamoDbRequests(dynamodb, tell);
  return {
    s3,
    presignS3,
    dynamodb,
    documents: createDocumentClient(dynamodb),
    onRequest: (listener) => listeners.push(listener),
    destroy: () => {
      s3.destroy();
      presignS3.destroy();
      dynamodb.destroy();
    },
  };
}
