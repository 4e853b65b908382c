import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { USER_IMAGE_KEY } from './tableKey';

/**
 * Embeddings live apart from image items: lists never read them, and re-clustering pages through one user's
 * vectors with a Query on the partition key alone.
 */
export function embeddingsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: USER_IMAGE_KEY.attributes,
    KeySchema: USER_IMAGE_KEY.schema,
  };
}
