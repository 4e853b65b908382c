import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Duplicate detection: one item per checksum a user's images have, naming the image that holds it. Written only by a
 * conditional put, so of two uploads of the same bytes exactly one holds it; the owner's partition answers a batch of
 * checks with key reads, never a scan.
 */
export function checksumsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'sha256', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'sha256', KeyType: 'RANGE' },
    ],
  };
}
