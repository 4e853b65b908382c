import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Client } from '@temporalio/client';
import type { Auth } from 'firebase-admin/auth';
import { createDocumentClient, createDynamoDbClient } from '../clients/dynamodb';
import { createFirebaseAuth } from '../clients/firebase';
import { createPresignS3Client, createS3Client } from '../clients/s3';
import { createTemporalClient } from '../clients/temporal';
import type { Config } from '../config';

/** Every client the API talks through, built once from the configuration. */
export interface ApiClients {
  s3: S3Client;
  /** Signs URLs for clients: the same store, reached at S3_PUBLIC_ENDPOINT when that is set. */
  presignS3: S3Client;
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  temporal: Client;
  firebaseAuth: Auth;
  close: () => Promise<void>;
}

export function createApiClients(config: Config): ApiClients {
  const s3 = createS3Client(config);
  const presignS3 = createPresignS3Client(config, s3);
  const dynamodb = createDynamoDbClient(config);
  const temporal = createTemporalClient(config);
  return {
    s3,
    presignS3,
    dynamodb,
    documents: createDocumentClient(dynamodb),
    temporal,
    firebaseAuth: createFirebaseAuth(config),
    close: async () => {
      await temporal.connection.close().catch(() => undefined);
      s3.destroy();
      presignS3.destroy();
      dynamodb.destroy();
    },
  };
}
