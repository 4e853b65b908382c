import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Embeddings live apart from image items: lists never read them, and re-clustering pages through one user's
 * vectors with a Query on the partition key alone.
 */
export function embeddingsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'image_id', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'image_id', KeyType: 'RANGE' },
    ],
  };
}
