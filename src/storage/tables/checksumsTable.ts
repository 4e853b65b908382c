import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { tableKey } from './tableKey';

const KEY = tableKey('user_id', 'sha256');

/**
 * Duplicate detection: one item per checksum a user's images have, naming the image that holds it. Written only by a
 * conditional put, so of two uploads of the same bytes exactly one holds it; the owner's partition answers a batch of
 * checks with key reads, never a scan.
 */
export function checksumsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: KEY.attributes,
    KeySchema: KEY.schema,
  };
}
