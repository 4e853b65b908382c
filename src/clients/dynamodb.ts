import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';

export function createDynamoDbClient(config: Config): DynamoDBClient {
  return new DynamoDBClient({
    region: config.aws.region,
    credentials: config.aws.credentials,
    endpoint: config.dynamodb.endpoint,
    maxAttempts: 3,
  });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
